"""The comparison: every model on every layout in one setting, and what a notebook shows of it.

:func:`compare_2d` trains each model on each layout as one batched ensemble of seeds and
returns a :class:`Comparison`: the standard table (with the noise and real-data rows), the
reading rule's sentences (:func:`utils.stats.contrast`), the recorded metrics and the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..stats import contrast
from . import figures
from .evaluate import Reference2D, metric_means, reference_rows, summarize
from .loop import Result2D, train_2d
from .setting import Setting2D

Model = Any  # utils.adversarial.experiment.Model (not imported: it imports this module)

# --------------------------------------------------------------------------- the comparison


@dataclass
class Comparison:
    """What :func:`compare_2d` returns: every (model, layout) result and the reference rows."""

    setting: Setting2D
    models: list[Model]
    mixtures: list[Any]
    results: dict[tuple[str, str], Result2D] = field(default_factory=dict)
    references: dict[tuple[str, str], Reference2D] = field(default_factory=dict)

    def __getitem__(self, key: tuple[str, str]) -> Result2D:
        return self.results[key]

    def means(self, model: str, layout: str) -> dict[str, float]:
        """Seed means and standard errors of one cell (``covered``, ``covered_se``, …)."""
        src = self.references if model in ("noise", "real") else self.results
        return metric_means(src[model, layout])

    def merge(self, other: Comparison) -> Comparison:
        """A comparison holding this one's rows and ``other``'s (same setting): to contrast a
        model trained later with the rows of a table already computed."""
        if other.setting != self.setting:
            raise ValueError("Comparison.merge: the two comparisons use different settings")
        mixes = {m.key: m for m in [*self.mixtures, *other.mixtures]}
        return Comparison(
            self.setting,
            [*self.models, *[m for m in other.models if m not in self.models]],
            list(mixes.values()),
            {**self.results, **other.results},
            {**self.references, **other.references},
        )

    def describe(self, model: str, layout: str) -> str:
        """One sentence with a cell's numbers: covered modes (and VEEGAN's count) and HQ share."""
        m = self.means(model, layout)
        k = len(next(mx for mx in self.mixtures if mx.key == layout).centers)
        return (
            f"{model} on the {layout}: {m['covered']:.1f} ± {m['covered_se']:.1f} of {k} modes "
            f"covered (VEEGAN's count {m['modes']:.1f}), high-quality share "
            f"{m['hq']:.2f} ± {m['hq_se']:.2f} ({self.setting.n_seeds} seeds)"
        )

    def contrast(self, a: str, b: str, layout: str, metric: str = "covered") -> str:
        """One sentence comparing two rows on ``metric``: the difference in standard errors.

        The reading rule of :func:`utils.stats.read`: a difference is called only beyond 3
        combined standard errors and at least the minimum effect (``hq`` normalised by the
        layout's real − noise rows).
        """
        ma, mb = self.means(a, layout), self.means(b, layout)
        return contrast(a, ma, b, mb, metric, f"{layout}, ", scale=self.scale(layout, metric))

    def scale(self, layout: str, metric: str) -> float | None:
        """The normalising scale of ``metric`` on ``layout`` for the reading rule: real − noise
        for ``hq`` (so the minimum effect is on ``(hq − noise) / (real − noise)``), else None."""
        if metric != "hq":
            return None
        real, noise = self.references["real", layout], self.references["noise", layout]
        return float(real.metrics["hq"].mean() - noise.metrics["hq"].mean())

    def table(self) -> Any:
        """Mean ± se per model and layout, the noise and real rows under each layout."""
        rows: list[Any] = []
        for mix in self.mixtures:
            rows += [r for (_, d), r in self.results.items() if d == mix.key]
            rows += [self.references["noise", mix.key], self.references["real", mix.key]]
        return summarize(rows)

    def record(self) -> None:
        """``utils.record`` every metric as ``<model>_<layout>_<metric>`` with a ``_se`` sibling,
        the reference rows as ``noise_<layout>_…`` / ``real_<layout>_…``, and ``n_seeds``."""
        from .. import record

        record("n_seeds", self.setting.n_seeds)
        for m in self.models:
            for mix in self.mixtures:
                if (m.name, mix.key) not in self.results:  # a model run on some layouts only
                    continue
                for k, v in self.means(m.name, mix.key).items():
                    record(f"{m.metric_key}_{mix.key}_{k}", v)
        for kind in ("noise", "real"):
            for mix in self.mixtures:
                means = self.means(kind, mix.key)
                for k in ("covered", "covered_se", "hq", "hq_se", "modes"):
                    record(f"{kind}_{mix.key}_{k}", means[k])

    def _colors(self, result: Result2D, step: int) -> Any:
        model = next(m for m in self.models if m.name == result.name)
        if model.colors is None:
            return None
        return model.colors(result.snapshots[step].shape[1])

    def plot_snapshots(self, layout: str | None = None) -> Any:
        """Samples over training of the median seed, one row per model (and layout)."""
        rs = [r for (_, d), r in self.results.items() if layout in (None, d)]
        return figures.plot_snapshots(rs, colors=self._colors)

    def plot_seeds(self, model: str, layout: str) -> Any:
        """Every seed's final samples of one cell."""
        r = self.results[model, layout]
        m = next(m for m in self.models if m.name == model)
        colors = None if m.colors is None else m.colors(r.samples.shape[1])
        return figures.plot_seeds(r, colors=colors)

    def plot_coverage(self) -> Any:
        """Covered modes and high-quality share over training (mean ± se over seeds)."""
        return figures.plot_coverage(list(self.results.values()))

    def plot_covered_vs_hq(self) -> Any:
        """Covered against high-quality share per seed, noise and real rows as markers."""
        return figures.plot_covered_vs_hq(
            list(self.results.values()), list(self.references.values())
        )


def compare_2d(
    models: Sequence[Model],
    mixtures: Sequence[Any],
    setting: Setting2D,
    *,
    n_snapshots: int = 4,
    curve_points: int = 15,
    progress: bool = True,
) -> Comparison:
    """Train every model on every layout in ``setting`` (one ensemble of seeds per cell).

    Also computes the noise and real-data rows of each layout with the same seeds and sample
    size. Snapshots at ``n_snapshots`` evenly spaced steps (0 and the last included) and the
    coverage curve at about ``curve_points`` steps feed the figures.
    """
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise ValueError(f"compare_2d: model names must differ, got {names}")
    keys = [mix.key for mix in mixtures]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"compare_2d: two layouts share the key {key!r}; give each a key=")
    steps = setting.steps
    snaps = sorted({round(i * steps / max(n_snapshots - 1, 1)) for i in range(n_snapshots)})
    out = Comparison(setting, list(models), list(mixtures))
    for mix in mixtures:
        for m in models:
            G, D = m.build(setting, setting.n_seeds)
            out.results[m.name, mix.key] = train_2d(
                G,
                D,
                m.d_loss,
                m.g_loss,
                mix,
                name=m.name,
                d_steps=m.d_steps,
                sample=m.sample,
                inner=m.inner,
                solo_loss=m.solo_loss,
                snapshot_steps=snaps,
                curve_every=max(steps // curve_points, 1),
                progress=progress,
                **setting.train_kwargs(),
            )
        for kind, ref in reference_rows(mix, setting.seeds, setting.n_eval).items():
            out.references[kind, mix.key] = ref
    return out


__all__ = ["Comparison", "compare_2d"]
