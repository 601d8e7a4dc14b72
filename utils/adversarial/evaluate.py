"""Evaluation of 2-D samples: one result shape for every model, and the two reference rows.

Every 2-D table of the course has the same columns, per seed and as mean ± standard error:
``modes`` (VEEGAN's count, kept to compare with papers), ``covered`` (the course's count that
uniform noise cannot pass), ``hq`` (the high-quality *fraction*), ``skl`` and ``w``; and two
standing rows computed the same way: uniform **noise** over the plot box (what a count means
nothing below) and **real** data (the best a model can score with this many samples).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..stats import mean_se

#: The metric columns of every 2-D table, in order.
METRICS = ("modes", "covered", "hq", "skl", "w")


def plot_reach(mixture: Any) -> float:
    """Half-width of the plot box of ``mixture``: the modes' range plus 1 on each side."""
    return float(np.abs(mixture.centers).max()) + 1.0


def evaluate_2d(
    samples: np.ndarray, mixture: Any, seeds: Sequence[int] | None = None, w_points: int = 1000
) -> Any:
    """The 2-D metrics per ensemble member, as a DataFrame (one row per seed).

    ``samples`` is ``(members, n, 2)`` (use n = 2,500, VEEGAN's protocol). Columns:
    ``modes`` (VEEGAN's count: modes with at least one high-quality sample), ``covered`` (the
    noise-proof count: modes with at least n/(4K) high-quality samples,
    :func:`utils.metrics.mode_coverage`), ``hq`` (fraction of samples within 3 std of their
    nearest mode), ``skl`` (the course's histogram symmetric KL to n fresh data points on a fixed
    60×60 grid over the plot box, :func:`utils.metrics.symmetric_kl_2d`) and ``w`` (exact
    Wasserstein-1 between ``w_points`` samples and as many data points,
    :func:`utils.metrics.wasserstein_2d`).
    """
    import pandas as pd

    from ..metrics import mode_coverage, symmetric_kl_2d, wasserstein_2d

    samples = np.asarray(samples)
    if samples.ndim == 2:
        samples = samples[None]
    if samples.ndim != 3 or samples.shape[-1] != 2:
        raise ValueError(f"evaluate_2d: want samples (members, n, 2), got {samples.shape}")
    seeds = list(seeds) if seeds is not None else list(range(len(samples)))
    reach = plot_reach(mixture)
    rows = []
    for seed, x in zip(seeds, samples):
        real = mixture.sample(len(x), seed=1_000_000 + int(seed))
        cov = mode_coverage(x, mixture.centers, mixture.std)
        m = min(w_points, len(x))
        rows.append(
            {
                "seed": int(seed),
                "modes": cov.modes,
                "covered": cov.covered,
                "hq": cov.hq,
                "skl": symmetric_kl_2d(x, real, bins=60, bounds=(-reach, reach)),
                "w": wasserstein_2d(x[:m], real[:m]),
            }
        )
    return pd.DataFrame(rows).set_index("seed")


@dataclass
class Reference2D:
    """A standing row of every 2-D table: ``noise`` or ``real`` samples, evaluated per seed."""

    name: str
    mixture: Any
    seeds: list[int]
    samples: np.ndarray  # (members, n, 2)
    metrics: Any  # DataFrame, as :func:`evaluate_2d`
    wall_s: float = 0.0
    curve: dict[str, np.ndarray] = field(default_factory=dict)


def reference_rows(
    mixture: Any, seeds: Sequence[int], n: int = 2500, w_points: int = 1000
) -> dict[str, Reference2D]:
    """The two standing rows for ``mixture``: uniform noise over the plot box, and real data.

    Each seed draws its own ``n`` points (noise from seed ``2_000_000 + seed``, data from
    ``3_000_000 + seed``), evaluated exactly as a model's samples. Noise covers no mode under the
    noise-proof count (it passes VEEGAN's); real data cover every mode.
    """
    seeds = [int(s) for s in seeds]
    reach = plot_reach(mixture)
    noise = np.stack(
        [np.random.default_rng(2_000_000 + s).uniform(-reach, reach, (n, 2)) for s in seeds]
    )
    real = np.stack([mixture.sample(n, seed=3_000_000 + s) for s in seeds])
    return {
        "noise": Reference2D(
            "noise", mixture, seeds, noise, evaluate_2d(noise, mixture, seeds, w_points)
        ),
        "real": Reference2D(
            "real", mixture, seeds, real, evaluate_2d(real, mixture, seeds, w_points)
        ),
    }


def stuck(moved: Any, mixture: Any) -> Any:
    """Which members never left their initialisation: ``moved`` (the mean distance between the
    final and the initial generator's samples on the same noise) below 3 standard deviations of
    the layout's modes, less than a high-quality radius. Such a member scores what its starting
    point scores (one sharp mode on a grid with a mode at the origin): flag it, do not read its
    ``hq`` as sharpness."""
    return np.asarray(moved) < 3 * float(mixture.std)


def metric_means(result: Any) -> dict[str, float]:
    """Seed mean of each metric (``hq`` a fraction) and its standard error as ``<metric>_se``
    (:func:`utils.stats.mean_se`: two seeds at least)."""
    out: dict[str, float] = {}
    for col in result.metrics.columns:
        out[col], out[f"{col}_se"] = mean_se(result.metrics[col].to_numpy())
    return out


def summarize(results: Mapping[Any, Any] | Sequence[Any]) -> Any:
    """The standard table: mean ± standard error over seeds, one row per model and data set.

    Columns ``modes`` (VEEGAN), ``covered`` (noise-proof), ``hq`` (fraction), ``skl``, ``w``
    as ``"mean ± se"`` strings, ``moved`` (how far the generators moved from initialisation)
    and ``stuck`` (how many seeds never left it, :func:`stuck`) for trained rows, plus ``seeds``
    and ``wall_s``. Accepts :class:`Result2D` and
    :class:`Reference2D` alike. Use :func:`metric_means` for the numbers themselves.
    """
    import pandas as pd

    items = results.values() if isinstance(results, Mapping) else results
    rows = []
    for r in items:
        one = len(r.metrics) < 2  # one seed: the mean alone, no standard error
        means = r.metrics.mean().to_dict() if one else metric_means(r)
        row: dict[str, Any] = {"model": r.name, "data": r.mixture.key}
        for col, fmt in (
            ("modes", ".1f"),
            ("covered", ".1f"),
            ("hq", ".2f"),
            ("skl", ".2f"),
            ("w", ".3f"),
            ("moved", ".2f"),
        ):
            if col in means:
                se = "" if one else f" ± {means[col + '_se']:{fmt}}"
                row[col] = f"{means[col]:{fmt}}{se}"
        if "moved" in means:
            n_stuck = int(stuck(r.metrics["moved"].to_numpy(), r.mixture).sum())
            row["stuck"] = n_stuck
        row["seeds"] = len(r.metrics)
        row["wall_s"] = round(r.wall_s, 1)
        rows.append(row)
    return pd.DataFrame(rows).set_index(["model", "data"])
