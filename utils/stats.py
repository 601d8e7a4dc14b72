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
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: How many combined standard errors a difference must exceed to be called.
SIGMAS = 3.0

#: The minimum effect per metric: ``covered`` and ``modes`` in modes; ``hq`` on the normalised
#: scale ``(hq − noise) / (real − noise)`` (see :func:`read`'s ``scale``).
MIN_EFFECT: dict[str, float] = {"covered": 1.0, "modes": 1.0, "hq": 0.1}


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
            else f"{z:.1f} combined standard errors"
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


def contrast(
    a: str, ma: Mapping[str, float], b: str, mb: Mapping[str, float], metric: str,
    prefix: str = "", **rule: Any,
) -> str:  # fmt: skip
    """One sentence comparing rows ``a`` and ``b`` by the reading rule (:func:`read`; ``rule``:
    its ``min_effect`` and ``scale``)."""
    return read(a, ma, b, mb, metric, **rule).sentence(prefix)


__all__ = [
    "MIN_EFFECT",
    "SIGMAS",
    "Reading",
    "contrast",
    "format_mean_se",
    "mean_se",
    "mean_se_table",
    "read",
]
