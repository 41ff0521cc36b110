"""The shipped digits, the synthetic 2-D sets, and the MNIST / CIFAR-10 readers on files written
here in those formats (and broken on purpose)."""

import gzip
import struct

import numpy as np
import pytest

from nn.data import (
    digits_splits,
    load_cifar10,
    load_digits,
    load_mnist,
    make_moons,
    make_spirals,
    read_cifar10_batch,
    read_idx,
    resize,
)
from nn.serialization import FileFormatError

# ---- digits ---------------------------------------------------------------------------------------


def test_digits_shapes_values_and_class_counts():
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_first_image_is_a_zero():
    # the first row of the UCI test file: a "0" whose top row is 0 0 5 13 9 1 0 0
    images, labels = load_digits()
    assert labels[0] == 0 and images[0, 0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_digits_splits_are_seeded_disjoint_and_standardised():
    s = digits_splits(val_fraction=0.2, test_fraction=0.1, seed=1)
    assert (len(s.x_train), len(s.x_val), len(s.x_test)) == (1258, 359, 180)
    assert s.x_train.shape[1] == 64 and s.x_train.dtype == np.float32 and s.y_train.dtype == np.int64
    np.testing.assert_allclose(s.x_train.mean(0), 0, atol=1e-5)
    stds = s.x_train.std(0)
    assert np.all((np.abs(stds - 1) < 1e-4) | (stds == 0))
    # undoing the scaling gives back the raw rows with their labels: together, exactly the data set
    images, labels = load_digits()
    raw = np.column_stack([images.reshape(1797, 64), labels])
    parts = [(s.x_train, s.y_train), (s.x_val, s.y_val), (s.x_test, s.y_test)]
    back = np.concatenate([np.column_stack([x * s.scaler.std + s.scaler.mean, y]) for x, y in parts])
    np.testing.assert_allclose(back, np.round(back), atol=1e-4)
    back = np.round(back).astype(np.int64)
    assert np.array_equal(back[np.lexsort(back.T)], raw[np.lexsort(raw.T)])
    again = digits_splits(val_fraction=0.2, test_fraction=0.1, seed=1)
    np.testing.assert_array_equal(again.x_test, s.x_test)
    assert digits_splits(seed=2).y_test.tolist() != digits_splits(seed=3).y_test.tolist()
    with pytest.raises(ValueError, match="test_fraction"):
        digits_splits(val_fraction=0.5, test_fraction=0.5)


def test_digits_splits_as_images_resize_the_same_split_for_a_cnn():
    flat, imgs = digits_splits(seed=4), digits_splits(seed=4, image_size=28)
    assert imgs.x_train.shape == (1257, 1, 28, 28) and imgs.x_test.shape == (270, 1, 28, 28)
    assert imgs.x_train.dtype == np.float32
    np.testing.assert_array_equal(imgs.y_test, flat.y_test)  # the same examples in the same order
    assert abs(imgs.x_train.mean()) < 1e-5 and abs(imgs.x_train.std() - 1) < 1e-4  # over all pixels
    # undoing the scaling gives a raw digit of the right label, bilinearly resized
    images, labels = load_digits()
    raw = imgs.x_test[:1] * imgs.scaler.std + imgs.scaler.mean
    same = [j for j in range(1797) if np.allclose(raw, resize(images[j : j + 1, None], 28), atol=1e-3)]
    assert same and labels[same[0]] == imgs.y_test[0]
    native = digits_splits(seed=4, image_size=8)  # resizing to 8×8 keeps the raw pixels
    back = native.x_train * native.scaler.std + native.scaler.mean
    np.testing.assert_allclose(back, np.round(back), atol=1e-4)
    with pytest.raises(ValueError, match="image_size"):
        digits_splits(image_size=0)


# ---- synthetic sets -------------------------------------------------------------------------------


def test_make_moons_without_noise_lies_on_the_two_half_circles():
    x, y = make_moons(101, generator=np.random.default_rng(0))
    assert x.shape == (101, 2) and x.dtype == np.float32 and np.bincount(y).tolist() == [51, 50]
    outer, inner = x[y == 0], x[y == 1]
    np.testing.assert_allclose(np.hypot(*outer.T), 1, rtol=1e-5)
    np.testing.assert_allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1, rtol=1e-5)
    assert outer[:, 1].min() >= -1e-6 and inner[:, 1].max() <= 0.5 + 1e-6


def test_make_moons_noise_and_seed():
    a = make_moons(50, noise=0.1, generator=np.random.default_rng(4))
    b = make_moons(50, noise=0.1, generator=np.random.default_rng(4))
    np.testing.assert_array_equal(a[0], b[0])
    clean = make_moons(50, generator=np.random.default_rng(4))
    assert not np.allclose(np.sort(a[0], 0), np.sort(clean[0], 0))


def test_make_spirals():
    x, y = make_spirals(100, classes=3, noise=0.0, generator=np.random.default_rng(0))
    assert x.shape == (100, 2) and np.bincount(y).tolist() == [34, 33, 33]
    r = np.hypot(*x.T)
    assert r.max() == pytest.approx(1.0, rel=1e-6) and r.min() == pytest.approx(0.0, abs=1e-7)
    # without noise, the point at radius r of arm k sits at angle 4k + 4r: (sin θ, cos θ) = x / r
    k, far = y[r > 0.1], x[r > 0.1] / r[r > 0.1, None]
    theta = 4 * k + 4 * r[r > 0.1]
    np.testing.assert_allclose(far, np.stack([np.sin(theta), np.cos(theta)], 1), atol=1e-5)


# ---- MNIST IDX --------------------------------------------------------------------------------------


def idx_bytes(array, code=0x08, dtype=">u1"):
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.asarray(array).astype(dtype).tobytes()


def write_mnist(root, prefix, n, gz=False):
    rng = np.random.default_rng(n)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    for kind, code, arr in (("images", "idx3", images), ("labels", "idx1", labels)):
        data = idx_bytes(arr)
        path = root / f"{prefix}-{kind}-{code}-ubyte{'.gz' if gz else ''}"
        path.write_bytes(gzip.compress(data) if gz else data)
    return images, labels


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_reads_raw_and_gzipped_idx(tmp_path, gz):
    images, labels = write_mnist(tmp_path, "train", 7, gz)
    test_images, _ = write_mnist(tmp_path, "t10k", 3, gz)
    x, y = load_mnist(tmp_path)
    assert x.dtype == np.uint8 and y.dtype == np.int64
    np.testing.assert_array_equal(x, images)
    np.testing.assert_array_equal(y, labels)
    np.testing.assert_array_equal(load_mnist(tmp_path, train=False)[0], test_images)


def test_load_mnist_finds_the_torchvision_layout(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    images, _ = write_mnist(raw, "t10k", 2)
    np.testing.assert_array_equal(load_mnist(tmp_path, train=False)[0], images)


@pytest.mark.parametrize(
    "code, dtype",
    [(0x08, ">u1"), (0x09, ">i1"), (0x0B, ">i2"), (0x0C, ">i4"), (0x0D, ">f4"), (0x0E, ">f8")],
)
def test_read_idx_every_type_code_big_endian(tmp_path, code, dtype):
    values = np.array([[1, -2, 3], [100, 0, -7]]) if dtype != ">u1" else np.array([[1, 2, 3], [200, 0, 7]])
    (tmp_path / "a.idx").write_bytes(idx_bytes(values, code, dtype))
    out = read_idx(tmp_path / "a.idx")
    assert out.shape == (2, 3) and out.dtype == np.dtype(dtype).newbyteorder("=")
    np.testing.assert_array_equal(out, values)


def test_read_idx_rejects_malformed_files(tmp_path):
    good = idx_bytes(np.zeros((2, 3), np.uint8))
    cases = {
        "magic.idx": (b"\x01\x02" + good[2:], "not an IDX file"),
        "code.idx": (good[:2] + b"\x07" + good[3:], "type code"),
        "short.idx": (good[:-1], "needs 18"),
        "long.idx": (good + b"\x00", "needs 18"),
        "header.idx": (good[:6], "ends inside its header"),
        "empty.idx": (b"", "not an IDX file"),
        "badgz.idx.gz": (gzip.compress(good)[:-8], "gzip"),
    }
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(FileFormatError, match=message):
            read_idx(tmp_path / name)


def test_read_idx_huge_header_dims_do_not_overflow_the_size_check(tmp_path):
    # 2**31 cubed is 2**93 elements: np.prod wraps that to 0 in int64, so a bare header looked complete
    header = bytes([0, 0, 0x08, 3]) + struct.pack(">3I", 2**31, 2**31, 2**31)
    for name, data in (("bare.idx", header), ("tiny.idx", header + b"\x00" * 8)):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(FileFormatError, match=rf"has {len(data)} bytes.*needs {16 + 2**93}"):
            read_idx(tmp_path / name)


def test_load_mnist_missing_files_say_where_to_get_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.*yann.lecun.com"):
        load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="no file"):
        read_idx(tmp_path / "nothing")


def test_load_mnist_rejects_inconsistent_files(tmp_path):
    write_mnist(tmp_path, "train", 4)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes(np.array([1, 2, 3], np.uint8)))
    with pytest.raises(FileFormatError, match="4 images but 3 labels"):
        load_mnist(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes(np.array([1, 2, 3, 12], np.uint8)))
    with pytest.raises(FileFormatError, match="outside 0-9"):
        load_mnist(tmp_path)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(idx_bytes(np.zeros((4, 2, 2)), 0x0B, ">i2"))
    with pytest.raises(FileFormatError, match="expected uint8 images"):
        load_mnist(tmp_path)


# ---- CIFAR-10 binary ----------------------------------------------------------------------------------


def cifar_bytes(images, labels):
    return b"".join(bytes([lab]) + img.tobytes() for img, lab in zip(images, labels))


def write_cifar(directory, name, n, seed):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 3, 32, 32), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n)
    (directory / name).write_bytes(cifar_bytes(images, labels))
    return images, labels


def test_read_cifar10_batch_planes_are_red_green_blue(tmp_path):
    img = np.zeros((3, 32, 32), np.uint8)
    img[0, 0, 1], img[1, 2, 3], img[2, 31, 31] = 10, 20, 30  # red at row 0 col 1, green (2, 3), blue (31, 31)
    record = bytes([7]) + img.tobytes()
    assert len(record) == 3073 and record[1 + 1] == 10 and record[1 + 1024 + 2 * 32 + 3] == 20
    (tmp_path / "b.bin").write_bytes(record * 2)
    x, y = read_cifar10_batch(tmp_path / "b.bin")
    assert x.shape == (2, 3, 32, 32) and x.dtype == np.uint8 and y.tolist() == [7, 7] and y.dtype == np.int64
    assert x[1, 0, 0, 1] == 10 and x[1, 1, 2, 3] == 20 and x[1, 2, 31, 31] == 30 and x.sum() == 120


def test_load_cifar10_concatenates_the_training_batches(tmp_path):
    root = tmp_path / "cifar-10-batches-bin"
    root.mkdir()
    parts = [write_cifar(root, f"data_batch_{i}.bin", 2, i) for i in range(1, 6)]
    test = write_cifar(root, "test_batch.bin", 3, 9)
    x, y = load_cifar10(tmp_path)
    np.testing.assert_array_equal(x, np.concatenate([p[0] for p in parts]))
    np.testing.assert_array_equal(y, np.concatenate([p[1] for p in parts]))
    np.testing.assert_array_equal(load_cifar10(root, train=False)[1], test[1])


def test_cifar10_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="test_batch.bin.*cifar-10-binary.tar.gz"):
        load_cifar10(tmp_path, train=False)
    (tmp_path / "short.bin").write_bytes(b"\x01" * 3072)
    with pytest.raises(FileFormatError, match="3072 bytes, not a whole number of 3073-byte records"):
        read_cifar10_batch(tmp_path / "short.bin")
    (tmp_path / "label.bin").write_bytes(bytes([10]) + b"\x00" * 3072)
    with pytest.raises(FileFormatError, match="label 10"):
        read_cifar10_batch(tmp_path / "label.bin")
    (tmp_path / "empty.bin").write_bytes(b"")
    with pytest.raises(FileFormatError, match="0 bytes"):
        read_cifar10_batch(tmp_path / "empty.bin")
