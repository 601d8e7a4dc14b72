"""The standard 2-D figures: snapshots of the median seed, every seed's samples, coverage curves,
and covered modes against the high-quality share with the noise and real-data rows."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..stats import mean_se
from .evaluate import plot_reach


def median_member(result: Any) -> int:
    """Index of the seed whose final (covered, hq) is the median one, to show as typical.

    Seeds are ranked by the noise-proof count, then by the high-quality share; the member in the
    middle of that ranking is returned (the lower middle for an even number of seeds).
    """
    m = result.metrics.reset_index()
    order = sorted(range(len(m)), key=lambda i: (m["covered"].iloc[i], m["hq"].iloc[i]))
    return order[(len(order) - 1) // 2]


def plot_snapshots(
    results: Sequence[Any],
    member: int | None = None,
    lim: float | None = None,
    colors: Callable[[Any, int], Any] | None = None,
) -> Any:
    """Samples over training, one row per result, one column per snapshot step.

    Shows the **median seed** of each result (:func:`median_member`, named in the titles) unless
    ``member`` picks one. ``colors(result, step)`` may colour the samples (MGAN's generators).
    """
    import matplotlib.pyplot as plt

    from ..plot import scatter_2d

    steps = sorted(results[0].snapshots)
    fig, axes = plt.subplots(
        len(results), len(steps), figsize=(2.3 * len(steps), 2.4 * len(results)), squeeze=False
    )
    for row, r in zip(axes, results):
        i = median_member(r) if member is None else member
        reach = lim or plot_reach(r.mixture)
        real = r.mixture.sample(500, seed=0)
        for ax, s in zip(row, steps):
            c = None if colors is None else colors(r, s)
            scatter_2d(r.snapshots[s][i], r.mixture.centers, real, ax=ax, lim=reach, colors=c)
            which = "median seed" if member is None else "seed"
            ax.set_title(f"{r.name}, step {s}\n{which} {r.seeds[i]}", fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_seeds(result: Any, n_points: int = 600, colors: Any = None) -> Any:
    """Every seed's final samples as small multiples, titled with its covered modes and HQ."""
    import matplotlib.pyplot as plt

    from ..plot import scatter_2d

    n = len(result.seeds)
    cols = min(n, 10)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(1.6 * cols, 1.75 * rows), squeeze=False)
    m = result.metrics.reset_index()
    reach = plot_reach(result.mixture)
    for k, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= n:
            ax.axis("off")
            continue
        c = None if colors is None else np.asarray(colors)[:n_points]
        scatter_2d(
            result.samples[k][:n_points], result.mixture.centers, None, ax=ax, lim=reach, colors=c
        )
        ax.set_title(
            f"seed {result.seeds[k]}: {int(m['covered'].iloc[k])}, {m['hq'].iloc[k]:.2f}",
            fontsize=7,
        )
    fig.suptitle(f"{result.name} on {result.mixture.key}: every seed (covered, HQ)", fontsize=9)
    fig.tight_layout()
    return fig


def plot_coverage(results: Sequence[Any]) -> Any:
    """Covered modes (noise-proof count) and high-quality share over training, mean ± 1 se."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.3))
    for r in results:
        label = f"{r.name} ({r.mixture.key})"
        key0 = "covered" if "covered" in r.curve else "modes"
        for ax, key in ((axes[0], key0), (axes[1], "hq")):
            v = np.asarray(r.curve[key], dtype=float)
            if v.shape[1] < 2:  # one seed: the curve alone, no standard-error band
                ax.plot(r.curve["step"], v[:, 0], label=label)
                continue
            mean, se = mean_se(v, axis=1)
            ax.plot(r.curve["step"], mean, label=label)
            ax.fill_between(r.curve["step"], mean - se, mean + se, alpha=0.2)
    axes[0].set_ylabel("modes covered (noise-proof count)")
    axes[1].set_ylabel("high-quality share")
    for ax in axes:
        ax.set_xlabel("step")
    axes[0].legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def plot_covered_vs_hq(results: Sequence[Any], references: Sequence[Any] = ()) -> Any:
    """Covered modes against the high-quality share, one point per seed, one panel per data set.

    ``references`` (the noise and real rows of :func:`reference_rows`) are drawn as grey and
    black markers: a model's points mean something only well away from the noise marker.
    """
    import matplotlib.pyplot as plt

    from ..plot import PALETTE

    datasets = list(dict.fromkeys(r.mixture.key for r in results))
    fig, axes = plt.subplots(1, len(datasets), figsize=(4.6 * len(datasets), 3.6), squeeze=False)
    names = list(dict.fromkeys(r.name for r in results))
    rng = np.random.default_rng(0)
    for ax, d in zip(axes[0], datasets):
        k_modes = None
        for r in results:
            if r.mixture.key != d:
                continue
            k_modes = len(r.mixture.centers)
            m = r.metrics
            jitter = rng.uniform(-0.15, 0.15, len(m))
            color = PALETTE[names.index(r.name) % len(PALETTE)]
            ax.scatter(m["hq"], m["covered"] + jitter, s=22, alpha=0.75, color=color, label=r.name)
        for ref in references:
            if ref.mixture.key != d:
                continue
            m = ref.metrics
            style = {"noise": ("x", "0.5"), "real": ("*", "k")}.get(ref.name, ("+", "k"))
            ax.scatter(
                m["hq"].mean(),
                m["covered"].mean(),
                marker=style[0],
                s=120,
                color=style[1],
                label=ref.name,
                zorder=5,
            )
        ax.set_xlim(-0.03, 1.03)
        if k_modes:
            ax.set_ylim(-0.8, k_modes + 0.8)
        ax.set_xlabel("high-quality share")
        ax.set_ylabel("modes covered (noise-proof count)")
        ax.set_title(d)
        ax.legend(frameon=False, fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig
