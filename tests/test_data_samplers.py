"""nn.data's random samplers: seeded (the same generator state gives the same order, with an
autograd.Generator or a numpy Generator alike), permutations where they should be, the weights
respected; and a custom collate_fn sees the examples as PyTorch gives them."""

import numpy as np
import pytest

import autograd as ag
from nn.data import (
    DataLoader,
    RandomSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
)


def test_random_sampler_is_a_seeded_permutation():
    order = list(RandomSampler(range(50), generator=np.random.default_rng(4)))
    assert sorted(order) == list(range(50)) and order != list(range(50))
    assert order == np.random.default_rng(4).permutation(50).tolist()  # NumPy's permutation of the seed
    assert list(RandomSampler(range(50), generator=ag.Generator().manual_seed(4))) == order
    sampler = RandomSampler(range(50), generator=np.random.default_rng(4))
    assert list(sampler) == order and list(sampler) != order  # a fresh permutation each pass


def test_random_sampler_without_replacement_and_more_samples_than_examples():
    draws = list(RandomSampler(range(10), num_samples=25, generator=np.random.default_rng(0)))
    assert len(draws) == 25
    assert sorted(draws[:10]) == sorted(draws[10:20]) == list(range(10))  # whole permutations first
    assert len(set(draws[20:])) == 5  # then the start of one


def test_random_sampler_with_replacement_is_uniform():
    draws = np.array(
        list(RandomSampler(range(4), replacement=True, num_samples=8000, generator=np.random.default_rng(1)))
    )
    counts = np.bincount(draws, minlength=4)
    assert counts.sum() == 8000 and draws.min() >= 0 and draws.max() <= 3
    assert np.all(np.abs(counts - 2000) < 5 * np.sqrt(2000 * 0.75))  # within 5 standard deviations


def test_random_sampler_default_generator_follows_manual_seed():
    ag.manual_seed(11)
    first = list(RandomSampler(range(20)))
    ag.manual_seed(11)
    assert list(RandomSampler(range(20))) == first == np.random.default_rng(11).permutation(20).tolist()


def test_subset_random_sampler_permutes_the_given_indices():
    indices = [3, 9, 4, 100]
    got = list(SubsetRandomSampler(indices, generator=np.random.default_rng(2)))
    assert sorted(got) == sorted(indices) and len(SubsetRandomSampler(indices)) == 4
    assert got == [indices[i] for i in np.random.default_rng(2).permutation(4)]


def test_weighted_sampler_respects_the_weights():
    weights = [0.0, 1.0, 2.0, 5.0]
    draws = np.array(list(WeightedRandomSampler(weights, 16000, generator=np.random.default_rng(3))))
    counts = np.bincount(draws, minlength=4)
    assert counts[0] == 0  # weight 0: never drawn
    expected = 16000 * np.array(weights) / 8
    assert np.all(np.abs(counts[1:] - expected[1:]) < 5 * np.sqrt(expected[1:]))
    again = list(WeightedRandomSampler(weights, 16000, generator=np.random.default_rng(3)))
    assert again == draws.tolist()


def test_weighted_sampler_without_replacement_draws_each_index_once():
    draws = list(
        WeightedRandomSampler([1.0, 1.0, 10.0, 1.0, 1.0], 5, replacement=False, generator=np.random.default_rng(0))
    )
    assert sorted(draws) == [0, 1, 2, 3, 4]
    firsts = [
        next(iter(WeightedRandomSampler([1.0, 1.0, 10.0], 1, replacement=False, generator=np.random.default_rng(s))))
        for s in range(300)
    ]
    assert 0.75 < firsts.count(2) / 300 < 0.92  # 10/12 = 0.83
    with pytest.raises(ValueError, match="cannot sample num_samples=3 > 2 categories without replacement"):
        list(WeightedRandomSampler([1.0, 0.0], 3, replacement=False))


def test_loader_with_a_sampler_and_shuffle_with_either_generator():
    ds = TensorDataset(np.arange(30))
    weighted = DataLoader(ds, batch_size=10, sampler=WeightedRandomSampler([0.0] * 29 + [1.0], 20))
    assert [b[0].tolist() for b in weighted] == [[29] * 10] * 2
    a = [b[0].tolist() for b in DataLoader(ds, batch_size=7, shuffle=True, generator=ag.Generator().manual_seed(5))]
    b = [b[0].tolist() for b in DataLoader(ds, batch_size=7, shuffle=True, generator=np.random.default_rng(5))]
    assert a == b and sorted(sum(a, [])) == list(range(30))


def test_custom_collate_sees_the_examples_and_the_fast_path_equals_them():
    x = np.arange(20.0).reshape(10, 2)
    ds = TensorDataset(x, np.arange(10))
    seen = []

    def collate(batch):
        seen.append(batch)
        return default_collate(batch)

    slow = list(DataLoader(ds, batch_size=4, collate_fn=collate))
    fast = list(DataLoader(ds, batch_size=4))
    assert isinstance(seen[0], list) and len(seen[0]) == 4 and isinstance(seen[0][0], tuple)
    assert isinstance(seen[0][0][0], ag.Tensor) and seen[0][1][0].tolist() == [2.0, 3.0]
    assert len(slow) == len(fast) == 3
    for s, f in zip(slow, fast):
        assert isinstance(f, list) and [t.dtype for t in s] == [t.dtype for t in f] == [ag.float64, ag.int64]
        assert all(np.array_equal(a.numpy(), b.numpy()) for a, b in zip(s, f))
