"""utils.stats: the one standard error and the one reading rule (values worked out by hand)."""

import math

import numpy as np
import pandas as pd
import pytest

from utils import stats


def test_mean_se_matches_hand_computation():
    # 1, 2, 3, 4: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, s² = 5/3, se = s/2
    m, se = stats.mean_se([1, 2, 3, 4])
    assert m == 2.5
    assert se == pytest.approx(math.sqrt(5 / 3) / 2, rel=1e-12, abs=0)
    # along an axis: rows are steps, columns seeds
    mean, se2 = stats.mean_se(np.array([[0.0, 2.0], [1.0, 1.0]]), axis=1)
    np.testing.assert_allclose(mean, [1.0, 1.0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(se2, [1.0, 0.0], rtol=0, atol=1e-15)  # s = √2, se = √2/√2


@pytest.mark.parametrize("values", [[3.0], np.zeros((5, 1))])
def test_one_seed_has_no_standard_error(values):
    axis = None if np.ndim(values) == 1 else 1
    with pytest.raises(ValueError, match="at least 2 seeds, got 1"):
        stats.mean_se(values, axis=axis)


def test_mean_se_table_groups_and_refuses_one_seed():
    df = pd.DataFrame({"model": ["a", "a", "b", "b"], "x": [1.0, 3.0, 5.0, 5.0]})
    t = stats.mean_se_table(df, ["model"], ["x"])
    assert t.loc["a", "x"] == 2.0 and t.loc["a", "x_se"] == pytest.approx(1.0, abs=1e-15)
    assert t.loc["b", "x_se"] == 0.0 and t.loc["b", "seeds"] == 2
    with pytest.raises(ValueError, match="at least 2 seeds"):
        stats.mean_se_table(df.iloc[:3], ["model"], ["x"])
    assert stats.format_mean_se([1, 3], ".1f") == "2.0 ± 1.0"


def row(metric, mean, se):
    return {metric: mean, f"{metric}_se": se}


def test_reading_needs_three_standard_errors_and_the_minimum_effect():
    b = row("covered", 2.7, 0.3)
    # 5.3 modes apart at se 0.3: 17.7 se, well above one mode
    r = stats.read("A", row("covered", 8.0, 0.0), "B", b, "covered")
    assert r.called and r.z == pytest.approx(5.3 / 0.3, rel=1e-12, abs=0)
    assert "17.7 combined standard errors" in r.sentence() and "a clear difference" in r.sentence()
    # 0.5 modes apart at se 0.3·√2: 1.2 se, within the noise
    assert stats.read("C", row("covered", 3.2, 0.3), "B", b, "covered").verdict == (
        "within the noise of the seeds"
    )
    # 0.9 modes apart at se ~0.014: 64 se, but below one mode
    tight = stats.read("D", row("covered", 3.6, 0.01), "E", row("covered", 2.7, 0.01), "covered")
    assert tight.beyond_noise and not tight.called
    assert tight.verdict == "below the minimum effect"
    # exactly one mode and > 3 se: called (the minimum effect is inclusive)
    one_mode = stats.read("F", row("covered", 3.7, 0.1), "E", row("covered", 2.7, 0.1), "covered")
    assert one_mode.called
    # the minimum effect is a parameter
    assert stats.read("D", row("covered", 3.6, 0.01), "E", row("covered", 2.7, 0.01),
                      "covered", min_effect=0.5).called  # fmt: skip


def test_hq_effect_is_normalised_by_real_minus_noise():
    a, b = row("hq", 0.08, 0.01), row("hq", 0.02, 0.01)  # 0.06 apart, 4.2 se
    # real − noise = 0.8: normalised 0.075 < 0.1
    r = stats.read("GAN", a, "noise", b, "hq", scale=0.8)
    assert r.beyond_noise and r.effect == pytest.approx(0.075, rel=1e-12, abs=0)
    assert not r.called and "normalised +0.07" in r.sentence()
    # real − noise = 0.5: normalised 0.12 ≥ 0.1
    assert stats.read("GAN", a, "noise", b, "hq", scale=0.5).called
    # without a scale the raw difference must reach 0.1 (stricter)
    assert not stats.read("GAN", a, "noise", b, "hq").called


def test_zero_standard_errors_never_read_as_infinitely_many():
    a, b = row("covered", 8.0, 0.0), row("covered", 7.0, 0.0)
    s = stats.contrast("A", a, "B", b, "covered")
    assert "∞" not in s and "standard errors 0 (every seed agrees)" in s
    assert stats.read("A", a, "B", b, "covered").called  # one mode apart, seeds agree
    same = stats.read("A", a, "B", row("covered", 8.0, 0.0), "covered")
    assert not same.called and same.verdict == "within the noise of the seeds"
    with pytest.raises(ValueError, match="NaN"):
        stats.read("A", a, "B", row("covered", 8.0, float("nan")), "covered")
    with pytest.raises(ValueError, match="no minimum effect for 'w'"):
        stats.read("A", row("w", 1, 1), "B", row("w", 1, 1), "w")


def test_paired_reading_uses_the_seedwise_differences():
    # a = b + (0.02, 0.03, 0.04): differences mean 0.03, s = 0.01, se = 0.01/sqrt(3) = 0.00577;
    # 0.03 / 0.00577 = 5.2 paired se, while the combined se of a and b (large spread) is not
    b = np.array([0.50, 0.70, 0.90])
    a = b + np.array([0.02, 0.03, 0.04])
    r = stats.read_paired("a", a, "b", b, "accuracy", min_effect=0.01)
    assert math.isclose(r.diff, 0.03, rel_tol=0, abs_tol=1e-12)
    assert math.isclose(r.se, 0.01 / math.sqrt(3), rel_tol=0, abs_tol=1e-12)
    assert r.called and "5.2 paired standard errors" in r.sentence()
    unpaired = stats.read(
        "a",
        {"x": a.mean(), "x_se": stats.mean_se(a)[1]},
        "b",
        {"x": b.mean(), "x_se": stats.mean_se(b)[1]},
        "x",
        min_effect=0.01,
    )
    assert not unpaired.called  # the same numbers read unpaired are within the noise
    assert not stats.read_paired("a", a, "b", b, "accuracy", min_effect=0.05).called
    with pytest.raises(ValueError, match="two equal 1-D arrays"):
        stats.read_paired("a", a, "b", b[:2], "accuracy", min_effect=0.01)


def test_learnable_bar_at_its_boundaries():
    """The capacity control's bar: >= 90 % of the modes and normalised HQ >= 0.5, both needed."""
    from utils.stats import learnable

    # 9 modes: 8.1 covered is exactly 90 %; noise 0.1, real 0.9: hq 0.5 is normalised 0.5
    assert learnable(8.1, 9, 0.5, 0.1, 0.9)[0]
    assert not learnable(8.0, 9, 0.9, 0.1, 0.9)[0]  # every sample sharp, too few modes
    assert not learnable(9.0, 9, 0.49, 0.1, 0.9)[0]  # every mode, too diffuse
    ok, why = learnable(1.9, 16, 0.13, 0.02, 0.99)
    assert not ok and why == "1.9 of 16 modes, normalised HQ 0.11"
