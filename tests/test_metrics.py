import math

import numpy as np
import pytest
import torch

from utils import data, metrics


def test_perfect_generator_covers_every_mode():
    g = data.grid()
    cov = metrics.mode_coverage(g.sample(2500, seed=1), g.centers, g.std)
    assert cov.modes == 25 and cov.hq > 0.98 and cov.counts.sum() == round(cov.hq * 2500)


def test_one_mode_generator_covers_one():
    r = data.ring()
    one = r.centers[3] + r.std * np.random.default_rng(0).standard_normal((2500, 2))
    cov = metrics.mode_coverage(one, r.centers, r.std)
    assert cov.modes == 1 and cov.counts[3] == cov.counts.sum()


def test_far_samples_are_low_quality():
    r = data.ring()
    cov = metrics.mode_coverage(np.zeros((100, 2)), r.centers, r.std)
    assert cov.modes == 0 and cov.hq == 0.0
    with pytest.raises(ValueError, match="shape"):
        metrics.mode_coverage(np.zeros((3, 3)), r.centers, r.std)


def test_symmetric_kl():
    g = data.grid()
    a, b = g.sample(5000, seed=0), g.sample(5000, seed=1)
    assert metrics.symmetric_kl_2d(a, a) == pytest.approx(0.0, abs=1e-12)
    same = metrics.symmetric_kl_2d(a, b, bounds=(-5, 5))
    far = metrics.symmetric_kl_2d(a, b + 1.0, bounds=(-5, 5))
    assert 0 < same < far


def test_wasserstein_of_a_shift_is_the_shift():
    p = np.random.default_rng(0).standard_normal((300, 2))
    assert metrics.wasserstein_2d(p, p) == pytest.approx(0.0, abs=1e-9)
    assert metrics.wasserstein_2d(p, p + np.array([0.7, 0.0])) == pytest.approx(0.7, rel=1e-6)


def test_frechet_distance_floor_and_separation():
    m = data.mnist5k()
    real, other = m.train.x[:500], m.test.x[:500]
    same = metrics.frechet_distance(real, real)
    floor = metrics.frechet_distance(real, other)
    noise = metrics.frechet_distance(real, torch.rand(500, 1, 28, 28))
    assert abs(same) < 1e-3 and floor < noise / 10


def test_class_histogram_and_kl():
    h = metrics.class_histogram(np.array([0, 1, 1, 3]), 4)
    assert np.allclose(h, [0.25, 0.5, 0, 0.25])
    assert metrics.kl_to_uniform(np.ones(10)) == pytest.approx(0.0, abs=1e-12)
    assert metrics.kl_to_uniform(np.eye(10)[0]) == pytest.approx(math.log(10))
    with pytest.raises(ValueError, match="no labels"):
        metrics.class_histogram(np.array([], dtype=int))


def test_predictions_and_stacked_modes():
    m = data.mnist5k()
    pred = metrics.predict_digits(m.test.x[:200])
    assert (pred == m.test.y[:200]).float().mean() > 0.95
    x, _ = data.stacked_mnist(2000, seed=0, split="test")
    modes, kl = metrics.stacked_mnist_modes(x)
    assert modes > 800 and kl < 0.6
    one = x[:1].repeat(100, 1, 1, 1)
    assert metrics.stacked_mnist_modes(one) == (1, pytest.approx(math.log(1000)))
    with pytest.raises(ValueError, match="3, 28, 28"):
        metrics.stacked_mnist_modes(m.test.x[:5])


def test_precision_recall_and_density_coverage():
    rng = torch.Generator().manual_seed(0)
    a = torch.randn(400, 8, generator=rng)
    b = torch.randn(400, 8, generator=rng)
    p, r = metrics.precision_recall(a, a)
    assert p == 1.0 and r == 1.0
    p, r = metrics.precision_recall(a, b)
    assert 0.5 < p <= 1 and 0.5 < r <= 1
    p, r = metrics.precision_recall(a, b + 100)
    assert p == 0.0 and r == 0.0
    d, c = metrics.density_coverage(a, b)
    assert 0.7 < d < 1.3 and 0.8 < c <= 1
    d, c = metrics.density_coverage(a, b + 100)
    assert d == 0.0 and c == 0.0
    f = metrics.classifier_features(data.mnist5k().test.x[:10])
    assert f.shape == (10, 64)


def test_likelihood_helpers():
    x = torch.tensor([[0.0, math.log(3.0)], [1000.0, 1000.0]])
    assert torch.allclose(metrics.log_mean_exp(x, 1), torch.tensor([math.log(2.0), 1000.0]))
    lw = torch.full((3, 7), -5.0)
    assert torch.allclose(metrics.importance_log_likelihood(lw), torch.full((3,), -5.0))
    with pytest.raises(ValueError, match="N, K"):
        metrics.importance_log_likelihood(torch.zeros(3))


def test_coverage_threshold_is_exactly_a_quarter_of_the_fair_share():
    """n = 80 samples on K = 2 modes: a mode is covered at n/(4K) = 10 good samples, not at 9."""
    from utils.metrics import mode_coverage

    centers = np.array([[0.0, 0.0], [10.0, 0.0]])

    def samples(at_second):  # the rest sit far from both modes (not high quality)
        return np.array(
            [[0.0, 0.0]] * 40 + [[10.0, 0.0]] * at_second + [[5.0, 50.0]] * (40 - at_second)
        )

    assert mode_coverage(samples(10), centers, std=0.1).covered == 2
    assert mode_coverage(samples(9), centers, std=0.1).covered == 1
    assert mode_coverage(samples(9), centers, std=0.1).modes == 2  # VEEGAN's count: any one


def test_high_quality_radius_is_three_standard_deviations_inclusive():
    from utils.metrics import mode_coverage

    centers = np.array([[0.0, 0.0]])
    std = 0.5  # radius 1.5, exactly representable
    on = mode_coverage(np.array([[1.5, 0.0], [0.0, -1.5]]), centers, std)
    out = mode_coverage(np.array([[np.nextafter(1.5, 2.0), 0.0]]), centers, std)
    assert on.hq == 1.0 and out.hq == 0.0
    assert mode_coverage(np.array([[1.9, 0.0]]), centers, std, n_std=4.0).hq == 1.0
