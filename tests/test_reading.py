"""Reading rules of the 2-D tables: how far each generator moved from its initialisation."""

from __future__ import annotations

import numpy as np

import utils.adversarial as adv
from utils.adversarial.evaluate import stuck, summarize
from utils.adversarial.loop import moved
from utils.adversarial.losses import gan_d_loss, gan_g_loss
from utils.mixtures import grid


def _run(lr_g: float) -> adv.Result2D:
    mix = grid(3, 2.0, 0.1)
    return adv.train_2d(
        adv.mlp([4, 16, 2], 2),
        adv.mlp([2, 16, 1], 2),
        gan_d_loss,
        gan_g_loss,
        mix,
        seeds=[0, 1],
        steps=60,
        batch=32,
        z_dim=4,
        lr_g=lr_g,
        lr_d=1e-2,
        n_eval=300,
        progress=False,
    )


def test_moved_is_the_mean_displacement_on_the_same_noise():
    a = np.zeros((2, 4, 2))
    b = a.copy()
    b[0, :, 0] = 3.0  # member 0 moved by 3, member 1 stayed
    b[1, :2, 1] = 4.0  # member 1: two of four points moved by 4 -> mean 2
    np.testing.assert_allclose(moved(a, b), [3.0, 2.0], rtol=0, atol=1e-12)


def test_a_generator_that_never_moved_is_flagged():
    """A frozen generator (learning rate 1e-9) sits at its initial point near the grid's centre
    mode: moved ~ 0, flagged stuck on every seed; a trained one moves and is not flagged."""
    frozen, trained = _run(1e-9), _run(1e-2)
    assert frozen.metrics["moved"].max() < 1e-4
    assert stuck(frozen.metrics["moved"], frozen.mixture).all()
    assert trained.metrics["moved"].min() > 3 * trained.mixture.std
    assert not stuck(trained.metrics["moved"], trained.mixture).any()
    table = summarize([frozen, trained])
    assert list(table["stuck"]) == [2, 0]
    assert "moved" in table.columns


def test_generator_separation_reads_disjoint_and_mixed_generators():
    from utils.metrics import generator_separation

    rng = np.random.default_rng(0)
    ids = np.repeat(np.arange(4), 500)
    centres = np.array([[0, 0], [5, 0], [0, 5], [5, 5]])
    apart = centres[ids] + 0.3 * rng.standard_normal((2000, 2))
    mixed = centres[rng.integers(0, 4, 2000)] + 0.3 * rng.standard_normal((2000, 2))
    assert generator_separation(apart, ids) == 1.0
    assert abs(generator_separation(mixed, ids)) < 0.1
    # two generators sharing two of the four regions: about half-way
    half = centres[np.where(ids < 2, rng.integers(0, 2, 2000), ids)]
    half = half + 0.3 * rng.standard_normal((2000, 2))
    assert 0.5 < generator_separation(half, ids) < 0.8
