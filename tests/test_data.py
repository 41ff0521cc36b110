"""nn.data: datasets, DataLoader batching / shuffling / drop_last / reproducibility, random_split,
transforms."""

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn.data import (
    Compose,
    DataLoader,
    Dataset,
    RandomCrop,
    RandomHorizontalFlip,
    Standardize,
    Subset,
    TensorDataset,
    one_hot,
    random_split,
    resize,
)


class Squares(Dataset):
    """A plain dataset (no get_batch): item i is (float vector [i, i²], label i % 3)."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float32), i % 3


class CountingTensorDataset(TensorDataset):
    calls = 0

    def __getitem__(self, index):
        CountingTensorDataset.calls += 1
        return super().__getitem__(index)


def xy(n=10):
    return np.arange(2 * n, dtype=np.float32).reshape(n, 2), np.arange(n, dtype=np.int64)


def test_tensor_dataset_items_and_length():
    x, y = xy(5)
    ds = TensorDataset(Tensor(x), y)
    assert len(ds) == 5
    xi, yi = ds[3]
    assert xi.tolist() == [6.0, 7.0] and yi == 3


def test_tensor_dataset_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="same first dimension"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))


def test_batches_in_order_with_a_short_last_batch():
    x, y = xy(10)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and [len(b[1]) for b in batches] == [4, 4, 2]
    xb, yb = batches[0]
    assert isinstance(xb, Tensor) and xb.dtype == np.float32 and yb.dtype == np.int64
    assert xb.shape == (4, 2) and yb.tolist() == [0, 1, 2, 3] and batches[2][1].tolist() == [8, 9]
    np.testing.assert_array_equal(xb.numpy(), x[:4])


def test_drop_last():
    loader = DataLoader(TensorDataset(*xy(10)), batch_size=4, drop_last=True)
    assert len(loader) == 2 and [len(b[1]) for b in loader] == [4, 4]


def test_shuffle_is_a_permutation_that_changes_each_epoch_and_is_reproducible():
    x, y = xy(20)
    loader = DataLoader(TensorDataset(x, y), batch_size=6, shuffle=True, generator=np.random.default_rng(7))
    epoch1 = np.concatenate([b[1].numpy() for b in loader])
    epoch2 = np.concatenate([b[1].numpy() for b in loader])
    assert sorted(epoch1.tolist()) == list(range(20)) and sorted(epoch2.tolist()) == list(range(20))
    assert epoch1.tolist() != list(range(20)) and epoch1.tolist() != epoch2.tolist()
    for xb, yb in loader:  # inputs stay paired with their labels
        np.testing.assert_array_equal(xb.numpy(), x[yb.numpy()])
    again = DataLoader(TensorDataset(x, y), batch_size=6, shuffle=True, generator=np.random.default_rng(7))
    assert np.concatenate([b[1].numpy() for b in again]).tolist() == epoch1.tolist()


def test_shuffle_uses_the_default_generator_seeded_by_manual_seed():
    loader = DataLoader(TensorDataset(*xy(30)), batch_size=30, shuffle=True)
    autograd.manual_seed(3)
    first = next(iter(loader))[1].tolist()
    autograd.manual_seed(3)
    assert next(iter(loader))[1].tolist() == first
    assert first == np.random.default_rng(3).permutation(30).tolist()


def test_tensor_dataset_batches_without_per_item_calls():
    CountingTensorDataset.calls = 0
    ds = CountingTensorDataset(*xy(50))
    batches = list(DataLoader(ds, batch_size=16, shuffle=True, generator=np.random.default_rng(0)))
    assert CountingTensorDataset.calls == 0 and sum(len(b[1]) for b in batches) == 50
    sub = random_split(ds, [30, 20], generator=np.random.default_rng(1))[0]
    assert len(list(DataLoader(sub, batch_size=8))) == 4 and CountingTensorDataset.calls == 0


def test_a_plain_dataset_is_collated_item_by_item():
    xb, yb = next(iter(DataLoader(Squares(7), batch_size=3)))
    assert xb.shape == (3, 2) and xb.dtype == np.float32
    assert xb.tolist() == [[0, 0], [1, 1], [2, 4]] and yb.tolist() == [0, 1, 2] and yb.dtype == np.int64


def test_loader_transform_applies_to_the_inputs_only():
    x, y = xy(4)
    xb, yb = next(iter(DataLoader(TensorDataset(x, y), batch_size=4, transform=lambda a: -a)))
    np.testing.assert_array_equal(xb.numpy(), -x)
    assert yb.tolist() == [0, 1, 2, 3]


def test_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(TensorDataset(*xy(3)), batch_size=0)


def test_random_split_with_lengths_is_a_reproducible_partition():
    ds = TensorDataset(*xy(10))
    parts = random_split(ds, [6, 3, 1], generator=np.random.default_rng(0))
    assert [len(p) for p in parts] == [6, 3, 1] and all(isinstance(p, Subset) for p in parts)
    labels = [[int(p[i][1]) for i in range(len(p))] for p in parts]
    assert sorted(sum(labels, [])) == list(range(10))
    again = random_split(ds, [6, 3, 1], generator=np.random.default_rng(0))
    assert [[int(p[i][1]) for i in range(len(p))] for p in again] == labels


def test_random_split_with_fractions_hands_out_the_remainder_first():
    # floor(0.5·11) = 5, floor(0.3·11) = 3, floor(0.2·11) = 2; the one left over goes to the first split
    parts = random_split(Squares(11), [0.5, 0.3, 0.2], generator=np.random.default_rng(0))
    assert [len(p) for p in parts] == [6, 3, 2]


def test_random_split_bad_lengths():
    with pytest.raises(ValueError, match="sum to the dataset size 10"):
        random_split(Squares(10), [5, 4])
    with pytest.raises(ValueError, match="fractions"):
        random_split(Squares(10), [0.5, 0.6])


# ---- transforms -----------------------------------------------------------------------------------


def test_standardize_uses_training_statistics():
    train = np.array([[1.0, 5.0], [3.0, 5.0]], dtype=np.float32)  # mean (2, 5), std (1, 0 → 1)
    scaler = Standardize().fit(train)
    out = scaler(np.array([[4.0, 7.0]], dtype=np.float32))
    assert out.dtype == np.float32 and out.tolist() == [[2.0, 2.0]]
    np.testing.assert_allclose(scaler(train), [[-1.0, 0.0], [1.0, 0.0]])


def test_standardize_per_channel_and_errors():
    x = np.stack([np.full((2, 2), 1.0), np.full((2, 2), 3.0)])[:, None]  # (2, 1, 2, 2), channel mean 2, std 1
    np.testing.assert_allclose(Standardize(axis=(0, 2, 3)).fit(x)(x)[:, 0, 0, 0], [-1.0, 1.0])
    with pytest.raises(RuntimeError, match="fit"):
        Standardize()(x)
    with pytest.raises(ValueError, match="does not fit"):
        Standardize().fit(np.zeros((3, 4)))(np.zeros((3, 5)))


def test_one_hot():
    out = one_hot([2, 0, 1], 4)
    assert out.dtype == np.float32 and out.tolist() == [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]
    assert one_hot(np.array([[1], [0]])).shape == (2, 1, 2)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        one_hot([0, 3], 3)
    with pytest.raises(TypeError, match="integers"):
        one_hot([0.5])


def images(n=6, c=2, h=4, w=5):
    return np.arange(n * c * h * w, dtype=np.float32).reshape(n, c, h, w) + 1  # no zeros: padding shows


def test_random_crop_takes_windows_of_the_padded_image():
    x = images()
    out = RandomCrop((4, 5), padding=2, generator=np.random.default_rng(0))(x)
    assert out.shape == x.shape and out.dtype == x.dtype
    padded = np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2)))
    offsets = set()
    for i in range(len(x)):
        hits = [
            (t, left)
            for t in range(5)
            for left in range(5)
            if np.array_equal(out[i], padded[i, :, t : t + 4, left : left + 5])
        ]
        assert hits, f"example {i} is not a window of its padded image"
        offsets.add(hits[0])
    assert len(offsets) > 1  # each example draws its own offset


def test_random_crop_pads_with_fill():
    x = images(n=3, c=1, h=2, w=2)
    out = RandomCrop(6, padding=2, fill=-0.5)(x)  # the whole padded image: the fill frames the pixels
    assert np.all(out[:, :, :2] == -0.5) and np.all(out[:, :, :, -2:] == -0.5)
    np.testing.assert_array_equal(out[:, :, 2:4, 2:4], x)
    pixels = np.ones((1, 1, 2, 2), np.uint8)
    assert RandomCrop(4, padding=1, fill=3)(pixels)[0, 0, 0, 0] == 3
    for fill in (-0.5, -1, 256):  # not a uint8 value: it would be truncated or wrap around
        with pytest.raises(ValueError, match=rf"fill={fill} cannot pad uint8 images"):
            RandomCrop(4, padding=1, fill=fill)(pixels)


def test_random_crop_without_padding_at_full_size_is_identity_and_seeded():
    x = images()
    np.testing.assert_array_equal(RandomCrop((4, 5))(x), x)
    a = RandomCrop(3, padding=1, generator=np.random.default_rng(5))(x)
    b = RandomCrop(3, padding=1, generator=np.random.default_rng(5))(x)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="larger than the padded image"):
        RandomCrop(9)(x)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        RandomCrop(2)(x[0])


def test_random_horizontal_flip():
    x = images(n=40)
    out = RandomHorizontalFlip(p=0.5, generator=np.random.default_rng(1))(x)
    flipped = [np.array_equal(out[i], x[i, :, :, ::-1]) for i in range(40)]
    kept = [np.array_equal(out[i], x[i]) for i in range(40)]
    assert all(f or k for f, k in zip(flipped, kept)) and 5 < sum(flipped) < 35
    np.testing.assert_array_equal(RandomHorizontalFlip(p=1.0)(x), x[..., ::-1])
    np.testing.assert_array_equal(RandomHorizontalFlip(p=0.0)(x), x)


def test_compose_in_a_loader():
    x = images(n=8)
    aug = Compose([RandomHorizontalFlip(p=1.0), RandomCrop((4, 5))])
    xb, _ = next(iter(DataLoader(TensorDataset(x, np.zeros(8, np.int64)), batch_size=8, transform=aug)))
    np.testing.assert_array_equal(xb.numpy(), x[..., ::-1])


def bilinear_reference(img, h, w):
    """Half-pixel-centre bilinear sampling written per output pixel, for one (H, W) image."""
    H, W = img.shape
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            y = min(max((i + 0.5) * H / h - 0.5, 0), H - 1)
            x = min(max((j + 0.5) * W / w - 0.5, 0), W - 1)
            y0, x0 = int(y), int(x)
            y1, x1 = min(y0 + 1, H - 1), min(x0 + 1, W - 1)
            dy, dx = y - y0, x - x0
            top = (1 - dx) * img[y0, x0] + dx * img[y0, x1]
            bottom = (1 - dx) * img[y1, x0] + dx * img[y1, x1]
            out[i, j] = (1 - dy) * top + dy * bottom
    return out


def test_resize_is_bilinear_with_half_pixel_centres():
    # [1, 2] to 4 pixels samples at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped): PyTorch's
    # F.interpolate(mode="bilinear", align_corners=False) gives 1, 1.25, 1.75, 2
    row = resize(np.array([[[[1.0, 2.0]]]]), (1, 4))
    np.testing.assert_allclose(row[0, 0, 0], [1.0, 1.25, 1.75, 2.0])
    x = np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype(np.float32)
    for size in [(28, 28), (5, 11), (8, 8)]:
        out = resize(x, size)
        assert out.shape == (2, 3, *size) and out.dtype == np.float32
        np.testing.assert_allclose(out[1, 2], bilinear_reference(x[1, 2].astype(np.float64), *size), atol=1e-5)
    np.testing.assert_allclose(resize(x, 8), x, atol=1e-6)  # same size: each pixel samples itself
    assert resize(np.full((1, 1, 8, 8), 16, np.uint8), 28).dtype == np.float32
    np.testing.assert_allclose(resize(np.full((1, 1, 8, 8), 16, np.uint8), 28), 16, rtol=1e-6)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        resize(x[0], 28)
    with pytest.raises(ValueError, match="positive"):
        resize(x, 0)


# ---- PyTorch's dataset API --------------------------------------------------------------------------


def test_tensor_dataset_items_are_tuples_of_tensors():
    x, y = xy(4)
    ds = TensorDataset(Tensor(x), y)
    assert isinstance(ds.tensors, tuple) and all(isinstance(t, Tensor) for t in ds.tensors)
    item = ds[2]
    assert isinstance(item, tuple) and all(isinstance(t, Tensor) for t in item)
    assert item[0].tolist() == [4.0, 5.0] and item[1].dtype == np.int64 and item[1].item() == 2


def test_dataset_base_classes_and_chaining():
    from nn.data import ChainDataset, ConcatDataset, IterableDataset

    with pytest.raises(NotImplementedError, match="must define __getitem__"):
        Dataset()[0]

    class Count(IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

    assert list(Count(2) + Count(3)) == [0, 1, 0, 1, 2] and isinstance(Count(1) + Count(1), ChainDataset)
    both = Squares(2) + Squares(3)
    assert isinstance(both, ConcatDataset) and len(both) == 5 and both[2][1] == 0 and both[-1][1] == 2
    with pytest.raises(TypeError, match="does not support IterableDataset"):
        ConcatDataset([Squares(2), Count(2)])
    with pytest.raises(TypeError, match="only supports IterableDataset"):
        list(ChainDataset([Squares(2)]))
    sub = Subset(TensorDataset(np.arange(10)), [9, 3, 4])
    assert sub[[0, 2]][0].tolist() == [9, 4] and sub[1][0].item() == 3 and sub.indices == [9, 3, 4]


def test_loader_transform_needs_a_tensor_or_a_sequence_batch():
    loader = DataLoader(Squares(3), batch_size=3, collate_fn=lambda b: {"x": b}, transform=lambda a: a)
    with pytest.raises(TypeError, match="transform applies to a Tensor batch .* got a batch of type dict"):
        next(iter(loader))
    xb = next(
        iter(
            DataLoader(
                TensorDataset(np.ones((2, 2))), batch_size=2, collate_fn=lambda b: b[0][0], transform=lambda a: -a
            )
        )
    )
    assert xb.tolist() == [-1.0, -1.0]


def test_the_classes_are_generic_as_pytorch_for_annotations():
    from nn.data import IterableDataset, Sampler

    class Ints(Dataset[int]):
        def __getitem__(self, i):
            return i

        def __len__(self):
            return 3

    assert next(iter(DataLoader(Ints(), batch_size=3))).tolist() == [0, 1, 2]
    assert IterableDataset[int] is not None and Sampler[int] is not None and DataLoader[int] is not None


def test_a_timeout_without_workers_is_refused():
    with pytest.raises(TypeError, match=r"timeout=1 needs worker processes \(num_workers > 0\)"):
        iter(DataLoader(Squares(2), timeout=1))
