"""Standard errors and the course's reading rule: the one home of both.

* :func:`mean_se` — the seed mean and its standard error (sample standard deviation with
  ``ddof=1`` over ``√n``). A standard error needs at least two seeds: one seed raises a
  one-line ``ValueError`` instead of giving NaN (or a made-up 0).
* :func:`mean_se_table` — the same per group of a DataFrame (``<metric>`` and ``<metric>_se``).
* :func:`read` / :func:`contrast` — the reading rule of every comparison in the course: a
  difference is *called* only when it exceeds ``3`` combined standard errors **and** a minimum
  effect size (:data:`MIN_EFFECT`: one mode for the mode counts; ``0.1`` of the way from the
  noise row to the real-data row for the high-quality share). Two standard errors of 0 (every
  seed agrees) never give "∞ standard errors": the sentence says the seeds agree and the
  minimum effect alone decides.
* :func:`readings` / :func:`findings` — two rows of a comparison read on every layout and
  metric, and the called differences among them in one phrase (the part of a notebook's
  takeaway sentence that the rule decides).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: How many combined standard errors a difference must exceed to be called.
SIGMAS = 3.0

#: The minimum effect per metric: ``covered`` and ``modes`` in modes; ``hq`` on the normalised
#: scale ``(hq − noise) / (real − noise)`` (see :func:`read`'s ``scale``).
MIN_EFFECT: dict[str, float] = {"covered": 1.0, "modes": 1.0, "hq": 0.1}


#: When a layout counts as learnable in a setting: the capacity control (a generator of the same
#: size and budget with no game) covers at least this share of the modes at at least this
#: normalised high-quality share ``(hq − noise) / (real − noise)``. A layout that fails it
#: measures the network and the budget, not the game: no finding is read on it.
LEARNABLE: dict[str, float] = {"covered_share": 0.9, "hq_normalised": 0.5}


def learnable(
    covered: float, modes: int, hq: float, noise_hq: float, real_hq: float
) -> tuple[bool, str]:
    """Whether the capacity control's seed means pass :data:`LEARNABLE`, and the numbers why."""
    norm = (hq - noise_hq) / (real_hq - noise_hq)
    ok = covered >= LEARNABLE["covered_share"] * modes and norm >= LEARNABLE["hq_normalised"]
    return ok, f"{covered:.1f} of {modes} modes, normalised HQ {norm:.2f}"


def mean_se(values: Any, axis: int | None = None) -> tuple[Any, Any]:
    """Seed mean and standard error (``std(ddof=1) / √n``) of ``values``.

    With ``axis=None`` the values are flattened and two floats come back; with an ``axis`` the
    seeds lie along it and two arrays come back. Fewer than two seeds raise ``ValueError``.
    """
    a = np.asarray(values, dtype=float)
    n = a.size if axis is None else a.shape[axis]
    if n < 2:
        raise ValueError(f"a standard error needs at least 2 seeds, got {n}")
    if axis is None:
        a = a.ravel()
        return float(a.mean()), float(a.std(ddof=1) / math.sqrt(n))
    return a.mean(axis), a.std(axis, ddof=1) / math.sqrt(n)


def mean_se_table(df: Any, by: Sequence[str], metrics: Sequence[str]) -> Any:
    """Per group of ``df`` (grouped by ``by``, in order of appearance): each metric's seed mean,
    its standard error as ``<metric>_se``, and ``seeds``. A group of one seed raises."""
    import pandas as pd

    rows = {}
    for key, g in df.groupby(list(by), sort=False):
        row: dict[str, float] = {}
        for m in metrics:
            try:
                row[m], row[f"{m}_se"] = mean_se(g[m].to_numpy())
            except ValueError as e:
                raise ValueError(f"{key}: {m}: {e}") from None
        row["seeds"] = len(g)
        rows[key[0] if len(by) == 1 else key] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index = pd.MultiIndex.from_tuples(out.index, names=list(by)) if len(by) > 1 else out.index
    return out


def format_mean_se(values: Any, fmt: str = ".2f") -> str:
    """``"mean ± se"`` of ``values`` with ``fmt`` (two seeds at least)."""
    m, s = mean_se(values)
    return f"{m:{fmt}} ± {s:{fmt}}"


@dataclass(frozen=True)
class Reading:
    """The reading of one difference ``a − b`` on ``metric`` (see :func:`read`)."""

    metric: str
    a: str
    b: str
    mean_a: float
    mean_b: float
    diff: float
    se: float
    effect: float
    min_effect: float
    normalised: bool
    paired: bool = False

    @property
    def z(self) -> float | None:
        """The difference in combined standard errors (None when both are 0)."""
        return abs(self.diff) / self.se if self.se > 0 else None

    @property
    def beyond_noise(self) -> bool:
        """More than :data:`SIGMAS` combined standard errors (or any difference at se 0)."""
        return self.diff != 0 if self.z is None else self.z > SIGMAS

    @property
    def large_enough(self) -> bool:
        """At least the minimum effect."""
        return abs(self.effect) >= self.min_effect

    @property
    def called(self) -> bool:
        """A finding: beyond the noise of the seeds and at least the minimum effect."""
        return self.beyond_noise and self.large_enough

    @property
    def verdict(self) -> str:
        """``a clear difference``, or which of the two conditions it misses."""
        if self.called:
            return "a clear difference"
        if not self.beyond_noise:
            return "within the noise of the seeds"
        return "below the minimum effect"

    def sentence(self, prefix: str = "") -> str:
        """One sentence: both means, the difference, its size in standard errors, the verdict."""
        z = self.z
        size = (
            "standard errors 0 (every seed agrees)"
            if z is None
            else f"{z:.1f} {'paired' if self.paired else 'combined'} standard errors"
        )
        eff = f"normalised {self.effect:+.2f}, " if self.normalised else ""
        return (
            f"{prefix}{self.metric}: {self.a} {self.mean_a:.2f} vs {self.b} {self.mean_b:.2f} — "
            f"difference {self.diff:+.2f}, {eff}{size} (minimum effect {self.min_effect:g}): "
            f"{self.verdict}"
        )


def read(
    a: str,
    ma: Mapping[str, float],
    b: str,
    mb: Mapping[str, float],
    metric: str,
    *,
    min_effect: float | None = None,
    scale: float | None = None,
) -> Reading:
    """Read ``a − b`` on ``metric`` from seed means with ``<metric>_se`` siblings.

    The effect is the difference divided by ``scale`` when one is given (for ``hq``: the
    real-data row's share minus the noise row's, so the effect is on the normalised scale
    ``(hq − noise) / (real − noise)``); without one it is the raw difference (for ``hq`` that is
    stricter, as real − noise ≤ 1). ``min_effect`` defaults to :data:`MIN_EFFECT`'s entry;
    a metric without one needs it given.
    """
    if min_effect is None:
        if metric not in MIN_EFFECT:
            raise ValueError(f"contrast: no minimum effect for {metric!r}; pass min_effect=")
        min_effect = MIN_EFFECT[metric]
    if scale is not None and not scale > 0:
        raise ValueError(f"contrast: scale must be positive, got {scale!r}")
    diff = float(ma[metric]) - float(mb[metric])
    se = math.hypot(float(ma[f"{metric}_se"]), float(mb[f"{metric}_se"]))
    if math.isnan(se):
        raise ValueError(f"contrast: {metric} standard error is NaN (fewer than 2 seeds?)")
    effect = diff / scale if scale is not None else diff
    return Reading(
        metric,
        a,
        b,
        float(ma[metric]),
        float(mb[metric]),
        diff,
        se,
        effect,
        float(min_effect),
        scale is not None,
    )


def read_paired(
    a: str, values_a: Any, b: str, values_b: Any, metric: str, *, min_effect: float
) -> Reading:
    """Read ``a − b`` on ``metric`` from per-seed values measured on the *same* seeds: the
    standard error is that of the seed-wise differences (:func:`mean_se`), the rule the same."""
    va = np.asarray(values_a, dtype=float)
    vb = np.asarray(values_b, dtype=float)
    if va.shape != vb.shape or va.ndim != 1:
        raise ValueError(f"read_paired: need two equal 1-D arrays, got {va.shape} and {vb.shape}")
    diff, se = mean_se(va - vb)
    return Reading(
        metric, a, b, float(va.mean()), float(vb.mean()), float(diff), float(se), float(diff),
        float(min_effect), False, True,
    )  # fmt: skip


def contrast(
    a: str, ma: Mapping[str, float], b: str, mb: Mapping[str, float], metric: str,
    prefix: str = "", **rule: Any,
) -> str:  # fmt: skip
    """One sentence comparing rows ``a`` and ``b`` by the reading rule (:func:`read`; ``rule``:
    its ``min_effect`` and ``scale``)."""
    return read(a, ma, b, mb, metric, **rule).sentence(prefix)


def readings(
    comparison: Any,
    a: str,
    b: str,
    layouts: Iterable[str],
    metrics: Sequence[str] = ("covered", "hq"),
    b_from: Any = None,
) -> dict[str, Reading]:
    """``a − b`` by :func:`read` on each layout and metric of a comparison — anything with
    ``means(model, layout)`` and ``scale(layout, metric)``, such as
    :class:`utils.adversarial.Comparison` (so ``hq`` is read on the normalised scale) — keyed
    ``"<layout> <metric>"`` with ``hq`` spelled ``HQ``: the input of :func:`findings`.
    ``b_from``: the comparison that holds ``b`` when it was trained in another one (another
    setting: other learning rates); the scale is ``comparison``'s."""
    other = comparison if b_from is None else b_from
    return {
        f"{layout} {'HQ' if metric == 'hq' else metric}": read(
            a,
            comparison.means(a, layout),
            b,
            other.means(b, layout),
            metric,
            scale=comparison.scale(layout, metric),
        )
        for layout in layouts
        for metric in metrics
    }


def findings(readings: Mapping[str, Reading]) -> str:
    """The called differences among ``readings`` (keyed by where each was read, e.g.
    ``"ring HQ"``), in one phrase: ``"clearly higher ring HQ (0.56 vs 0.46); no clear difference
    in ring covered, grid HQ"``. Mode counts print with one decimal, other metrics with two.
    An empty mapping raises."""
    if not readings:
        raise ValueError("findings: no readings given")
    fmt = {"covered": ".1f", "modes": ".1f"}
    called = [
        f"{'higher' if r.diff > 0 else 'lower'} {where}"
        f" ({r.mean_a:{fmt.get(r.metric, '.2f')}} vs {r.mean_b:{fmt.get(r.metric, '.2f')}})"
        for where, r in readings.items()
        if r.called
    ]
    rest = [where for where, r in readings.items() if not r.called]
    parts = (["clearly " + ", ".join(called)] if called else []) + (
        ["no clear difference in " + ", ".join(rest)] if rest else []
    )
    return "; ".join(parts)


__all__ = [
    "MIN_EFFECT",
    "SIGMAS",
    "Reading",
    "contrast",
    "findings",
    "format_mean_se",
    "mean_se",
    "mean_se_table",
    "read",
    "read_paired",
    "readings",
]
