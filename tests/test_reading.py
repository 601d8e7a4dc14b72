"""Reading rules of the 2-D tables: how far each generator moved from its initialisation."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_findings_names_only_the_called_differences_and_their_direction():
    """The takeaway phrase lists what the reading rule calls, with its direction, and nothing
    else: a difference within the noise (or below the minimum effect) is never named as one."""
    from utils.stats import findings, read

    def row(m, se, metric="covered"):
        return {metric: m, f"{metric}_se": se}

    readings = {
        "ring covered": read("A", row(8.0, 0.0), "B", row(2.7, 0.3), "covered"),  # +5.3, 17.7 se
        "grid covered": read("A", row(7.3, 0.3), "B", row(6.9, 0.2), "covered"),  # 1.1 se
        "ring HQ": read("A", row(0.46, 0.01, "hq"), "B", row(0.56, 0.02, "hq"), "hq", scale=0.86),
        "grid HQ": read("A", row(0.46, 0.01, "hq"), "B", row(0.38, 0.01, "hq"), "hq", scale=0.83),
    }
    # grid HQ: 5.7 se but normalised 0.096 < 0.1: below the minimum effect, not a finding
    assert findings(readings) == (
        "clearly higher ring covered (8.0 vs 2.7), lower ring HQ (0.46 vs 0.56);"
        " no clear difference in grid covered, grid HQ"
    )
    assert findings({"x": readings["grid covered"]}) == "no clear difference in x"
    assert findings({"x": readings["ring covered"]}) == "clearly higher x (8.0 vs 2.7)"
    with pytest.raises(ValueError, match="no readings"):
        findings({})


def test_readings_reads_every_layout_and_metric_of_a_comparison():
    """Two rows of a comparison on each layout and metric, hq on the normalised scale the
    comparison gives (real − noise): the same Reading as read() by hand."""
    from utils.stats import read, readings

    class Rows:
        rows = {
            ("A", "ring"): {"covered": 8.0, "covered_se": 0.0, "hq": 0.56, "hq_se": 0.02},
            ("B", "ring"): {"covered": 8.0, "covered_se": 0.0, "hq": 0.46, "hq_se": 0.02},
            ("A", "grid"): {"covered": 7.3, "covered_se": 0.3, "hq": 0.39, "hq_se": 0.02},
            ("B", "grid"): {"covered": 5.1, "covered_se": 0.8, "hq": 0.32, "hq_se": 0.03},
        }

        def means(self, model, layout):
            return self.rows[model, layout]

        def scale(self, layout, metric):
            return {"ring": 0.86, "grid": 0.83}[layout] if metric == "hq" else None

    got = readings(Rows(), "A", "B", ["ring", "grid"])
    assert list(got) == ["ring covered", "ring HQ", "grid covered", "grid HQ"]
    want = read("A", Rows.rows["A", "grid"], "B", Rows.rows["B", "grid"], "hq", scale=0.83)
    assert got["grid HQ"] == want
    assert got["ring HQ"].normalised and not got["ring covered"].normalised
    assert got["ring HQ"].called  # 0.10 / 0.86 = 0.12 normalised, 3.5 se
    assert not got["grid covered"].called  # 2.2 modes but 2.6 se
    assert list(readings(Rows(), "A", "B", ["grid"], ["hq"])) == ["grid HQ"]

    class Elsewhere(Rows):  # B trained in another comparison (another setting), A absent there
        rows = {("B", "ring"): {"covered": 1.2, "covered_se": 0.3, "hq": 0.11, "hq_se": 0.01}}

    apart = readings(Rows(), "A", "B", ["ring"], b_from=Elsewhere())
    assert apart["ring covered"].mean_b == 1.2 and apart["ring covered"].called
    assert apart["ring HQ"].effect == (0.56 - 0.11) / 0.86
