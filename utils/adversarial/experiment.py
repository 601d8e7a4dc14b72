"""The shared 2-D setting and the experiment registry: one table for every adversarial model.

:class:`Setting2D` pins what every model of notebooks 04-08 is trained with on the 2-D
mixtures — networks, initialisation, optimiser, budget and seeds — so the GAN row is the same
row in every notebook. A :class:`Model` is a name, a builder and two losses; :func:`compare_2d`
trains each model on each layout as one batched ensemble of seeds and returns a
:class:`Comparison`: the standard table (with the noise and real-data rows), the recorded
metrics and the standard figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from ..mixtures import LAYOUT_DEFAULTS
from ..params import Bool, Choice, Float, Int, Spec
from ..stats import contrast
from . import figures
from .enclosing import EnclosingBall, gen_g_loss, svdd_loss
from .ensemble import mlp
from .evaluate import Reference2D, metric_means, reference_rows, summarize
from .flow import FlowGenerator, NoCritic, flow_step
from .kernel import KernelCritic, kernel_d_loss, kernel_g_loss, kgan_g_loss, kgan_inner
from .loop import LossFn, Result2D, train_2d
from .losses import (
    TwoDiscriminators,
    d2gan_d_loss,
    d2gan_g_loss,
    gan_d_loss,
    gan_g_loss,
    gan_g_loss_saturating,
    generator_ids,
    mgan_d_loss,
    mgan_g_loss,
)
from .networks import Generators2D

# --------------------------------------------------------------------------- the setting


@dataclass(frozen=True)
class Setting2D:
    """The shared 2-D setting (the CPU defaults of notebooks 04-08).

    Generator ``z_dim → hidden → hidden → 2`` and discriminator ``2 → hidden → hidden → out``
    (ReLU MLPs, PyTorch's default initialisation), Adam with β = ``betas`` at ``lr_g`` for the
    generator and ``lr_d`` for the discriminator (two time-scales, Heusel et al. 2017: a faster
    discriminator), ``steps`` generator steps of ``batch`` real and ``batch`` generated points, one
    batched ensemble of ``n_seeds`` seeds ``seed, seed + 1, …``; ``n_eval`` samples per seed
    for the metrics. Invalid values raise a one-line ``ValueError`` at construction.
    """

    seed: int = 0
    n_seeds: int = 10
    steps: int = 2000
    batch: int = 128
    z_dim: int = 16
    hidden: int = 64
    lr_g: float = 1e-3
    lr_d: float = 1e-2
    betas: tuple[float, float] = (0.5, 0.999)
    init_std: float | None = None
    n_eval: int = 2500
    device: str = "cpu"

    def __post_init__(self) -> None:
        n = self.n_seeds
        if isinstance(n, bool) or not isinstance(n, int) or n < 2:
            raise ValueError(
                f"Setting2D: n_seeds must be an int >= 2 (a standard error needs two seeds), "
                f"got {n!r}"
            )
        for key in ("steps", "batch", "z_dim", "hidden", "n_eval"):
            v = getattr(self, key)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"Setting2D: {key} must be a positive int, got {v!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"Setting2D: seed must be a non-negative int, got {self.seed!r}")
        for key in ("lr_g", "lr_d"):
            v = getattr(self, key)
            if isinstance(v, bool) or not (isinstance(v, int | float) and 0 < v <= 1):
                raise ValueError(f"Setting2D: {key} must be in (0, 1], got {v!r}")
        if self.init_std is not None and not self.init_std > 0:
            raise ValueError(f"Setting2D: init_std must be positive or None, got {self.init_std!r}")

    @property
    def seeds(self) -> list[int]:
        """The seeds of the ensemble: ``seed, seed + 1, …, seed + n_seeds − 1``."""
        return list(range(self.seed, self.seed + self.n_seeds))

    def generator(self, n: int) -> nn.Module:
        """``n`` generators ``z_dim → hidden → hidden → 2``."""
        return mlp([self.z_dim, self.hidden, self.hidden, 2], n, init_std=self.init_std)

    def critic(self, n: int, outputs: int = 1) -> nn.Module:
        """``n`` discriminators ``2 → hidden → hidden → outputs`` (raw scores)."""
        return mlp([2, self.hidden, self.hidden, outputs], n, init_std=self.init_std)

    def train_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`train_2d` this setting fixes."""
        return dict(
            seeds=self.seeds,
            steps=self.steps,
            batch=self.batch,
            z_dim=self.z_dim,
            lr_d=self.lr_d,
            lr_g=self.lr_g,
            betas=self.betas,
            n_eval=self.n_eval,
            device=self.device,
        )


#: Notebook parameter → (Setting2D field or layout argument, spec). Every 2-D notebook declares
#: these parameters with the defaults below and validates them with ``**adv.SETTING_SPECS``.
_PARAMS: dict[str, tuple[str, Spec]] = {
    "SEED": ("seed", Int(min=0)),
    "N_SEEDS": ("n_seeds", Int(min=2, max=256)),
    "STEPS_2D": ("steps", Int(min=1)),
    "BATCH_2D": ("batch", Int(min=1)),
    "Z_DIM_2D": ("z_dim", Int(min=1)),
    "HIDDEN_2D": ("hidden", Int(min=1)),
    "LR_G_2D": ("lr_g", Float(min=1e-6, max=1.0)),
    "LR_D_2D": ("lr_d", Float(min=1e-6, max=1.0)),
    "N_EVAL": ("n_eval", Int(min=100)),
    "RING_MODES": ("ring_modes", Int(min=2, max=100)),
    "RING_RADIUS": ("ring_radius", Float(min=0.1, max=100.0)),
    "RING_STD": ("ring_std", Float(min=1e-4, max=10.0)),
    "GRID_SIDE": ("grid_side", Int(min=2, max=20)),
    "GRID_SPACING": ("grid_spacing", Float(min=0.1, max=100.0)),
    "GRID_STD": ("grid_std", Float(min=1e-4, max=10.0)),
}
SETTING_SPECS: dict[str, Spec] = {name: spec for name, (_, spec) in _PARAMS.items()}

#: The digit experiments' common parameters (notebooks 04-06 declare them with their own
#: defaults and validate them with ``**adv.IMAGE_SPECS``), and the device.
IMAGE_SPECS: dict[str, Spec] = {
    "DC_STEPS": Int(min=1),
    "DC_CHANNELS": Int(min=1),
    "DC_LR": Float(min=1e-6, max=1.0),
    "Z_DIM": Int(min=1),
    "N_SAMPLES": Int(min=1000),
    "STACKED": Bool(),
    "STACKED_STEPS": Int(min=1),
    "DEVICE": Choice("auto", "cpu", "cuda", "mps"),
}


def setting_defaults() -> dict[str, Any]:
    """The notebook parameters' defaults (``SEED``, ``N_SEEDS``, …, ``GRID_STD``)."""
    base = {**asdict(Setting2D()), **LAYOUT_DEFAULTS}
    return {name: base[key] for name, (key, _) in _PARAMS.items()}


def from_params(namespace: Mapping[str, Any], device: Any = "cpu") -> tuple[Setting2D, list[Any]]:
    """The :class:`Setting2D` and the two layouts ``[ring, grid]`` a notebook's parameters give."""
    from ..mixtures import grid, ring

    values = {key: namespace[name] for name, (key, _) in _PARAMS.items()}
    layout = {k: values.pop(k) for k in LAYOUT_DEFAULTS}
    setting = Setting2D(**values, device=str(device))
    mixtures = [  # keyed "ring" and "grid" whatever their parameters: the notebook's pair
        ring(layout["ring_modes"], layout["ring_radius"], layout["ring_std"], key="ring"),
        grid(layout["grid_side"], layout["grid_spacing"], layout["grid_std"], key="grid"),
    ]
    return setting, mixtures


def shared_setting(namespace: dict[str, Any]) -> tuple[Setting2D, list[Any], Any]:
    """A 2-D notebook's set-up after ``check_params``: ``setting, (ring, grid), device``.

    Shrinks ``STEPS_2D``, ``N_SEEDS`` and ``N_EVAL`` in fast mode (in ``namespace`` too, and
    says so), seeds everything with ``SEED``, sets the course's figure style, picks the device
    named by ``DEVICE``, and builds the :class:`Setting2D` and the two layouts the parameters
    give (:func:`from_params`); prints the device and the setting.
    """
    from .. import budget, get_device, plot, seed_everything

    shrunk = budget(
        STEPS_2D=(namespace["STEPS_2D"], 300),
        N_SEEDS=(namespace["N_SEEDS"], 4),
        N_EVAL=(namespace["N_EVAL"], 1000),
    )
    namespace.update(zip(("STEPS_2D", "N_SEEDS", "N_EVAL"), shrunk))
    seed_everything(namespace["SEED"])
    plot.set_style()
    device = get_device(namespace.get("DEVICE", "auto"))
    setting, mixtures = from_params(namespace, device)
    print("device:", device)
    print(setting)
    return setting, mixtures, device


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class Model:
    """One adversarial model of the 2-D table: how to build ``n`` of it, and its two losses.

    ``build(setting, n)`` returns ``(generator, discriminator)`` ensembles of ``n`` members;
    ``d_steps`` discriminator steps per generator step; ``sample(G, z)`` turns noise into
    samples (default ``G(z)``); ``colors(n)`` labels ``n`` samples for the figures (MGAN's
    generator ids). ``key`` prefixes the recorded metrics (default: the name, lower-cased,
    letters and digits only). ``inner(D, real, fake)`` (KGAN) solves the discriminator's problem
    on each step's batch instead of ``d_loss``'s Adam steps (see :func:`train_2d`);
    ``solo_loss(G, D, real, z)`` (the flow) is a model's own loss with no game.
    """

    name: str
    build: Callable[[Setting2D, int], tuple[nn.Module, nn.Module]]
    d_loss: LossFn | None
    g_loss: LossFn
    d_steps: int = 1
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = None
    colors: Callable[[int], np.ndarray] | None = None
    key: str | None = None
    inner: Callable[..., Any] | None = None
    solo_loss: Callable[..., torch.Tensor] | None = None

    @property
    def metric_key(self) -> str:
        """Prefix of this model's recorded metrics, e.g. ``gan5d`` for "GAN, 5 D-steps"."""
        return self.key or re.sub(r"[^a-z0-9]", "", self.name.lower())


def _plain(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
    return setting.generator(n), setting.critic(n)


def gan(
    d_steps: int = 1,
    d_loss: LossFn = gan_d_loss,
    g_loss: LossFn = gan_g_loss,
    name: str | None = None,
    key: str | None = None,
) -> Model:
    """GAN with the non-saturating generator loss; ``d_steps=5`` is the second standing baseline.

    Default names: "GAN" (key ``gan``) and "GAN, 5 D-steps" (key ``gan5d``).
    """
    default = "GAN" if d_steps == 1 else f"GAN, {d_steps} D-steps"
    default_key = "gan" if d_steps == 1 else f"gan{d_steps}d"
    return Model(name or default, _plain, d_loss, g_loss, d_steps=d_steps, key=key or default_key)


def d2gan(
    alpha: float = 1.0,
    beta: float = 1.0,
    d_loss: LossFn = d2gan_d_loss,
    g_loss: LossFn = d2gan_g_loss,
    name: str = "D2GAN",
    key: str | None = None,
) -> Model:
    """D2GAN (notebook 05): two softplus discriminators of the setting's architecture."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), TwoDiscriminators(setting.critic(n), setting.critic(n))

    def dl(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        return d_loss(D, real, fake, alpha=alpha, beta=beta)

    def gl(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
        return g_loss(D, fake, beta=beta)

    return Model(name, build, dl, gl, key=key)


def mgan(
    k: int = 4,
    beta: float = 0.05,
    d_loss: LossFn = mgan_d_loss,
    g_loss: LossFn = mgan_g_loss,
    name: str = "MGAN",
    key: str | None = None,
    generators: Callable[..., nn.Module] = Generators2D,
) -> Model:
    """MGAN (notebook 06): K generators sharing all but the first layer, D and C on one trunk.

    ``generators(n_seeds, k, z_dim, hidden, init_std=…)`` builds the K generators of every seed
    (default :class:`Generators2D`; notebook 06 passes its own copy).
    """

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        G = generators(n, k, setting.z_dim, setting.hidden, init_std=setting.init_std)
        return G, setting.critic(n, 1 + k)

    def dl(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        return d_loss(D, real, fake, k=k)

    def gl(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
        return g_loss(D, fake, k=k, beta=beta)

    return Model(name, build, dl, gl, colors=lambda n: generator_ids(n, k).numpy(), key=key)


def kgan(
    lam: float = 0.1,
    n_freq: int = 128,
    n_widths: int = 4,
    iters: int = 200,
    tol: float = 1e-4,
    inner: Callable[..., Any] = kgan_inner,
    g_loss: LossFn = kgan_g_loss,
    name: str = "KGAN",
    key: str | None = None,
) -> Model:
    """KGAN (notebook 07), max–max: a kernel discriminator on random Fourier features whose
    hinge dual is solved on every batch (to duality gap ``tol``), the generator ascending it."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), KernelCritic(n, 2, n_freq, n_widths)

    def solve(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> Any:
        return inner(D, real, fake, lam, iters, tol)

    return Model(name, build, None, g_loss, key=key, inner=solve)


def kernel_minmax(
    lam: float = 0.1,
    n_freq: int = 128,
    n_widths: int = 4,
    d_loss: Callable[..., torch.Tensor] = kernel_d_loss,
    g_loss: LossFn = kernel_g_loss,
    name: str = "kernel min-max",
    key: str = "kernel_minmax",
) -> Model:
    """KGAN's objective played as a min–max (notebook 07): the same kernel discriminator, its
    weights taking Adam steps on the regularised hinge loss, alternating with the generator."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), KernelCritic(n, 2, n_freq, n_widths, learn_w=True)

    def dl(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        return d_loss(D, real, fake, lam)

    return Model(name, build, dl, g_loss, key=key)


def gen(
    enclose: float = 1.0,
    two: float = 0.0,
    mmd: float = 1.0,
    c: float = 20.0,
    n_freq: int = 128,
    n_widths: int = 4,
    d_loss: Callable[..., torch.Tensor] = svdd_loss,
    g_loss: Callable[..., torch.Tensor] = gen_g_loss,
    name: str = "GEN",
    key: str | None = None,
) -> Model:
    """GEN (notebook 08), the course's reading: the data's soft enclosing ball in random-feature
    space takes Adam steps on SVDD; the generator minimises ``enclose`` × its samples outside
    the ball + ``two`` × the data outside the samples' ball + ``mmd`` × MMD² (no game)."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), EnclosingBall(n, 2, n_freq, n_widths, c)

    def gl(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
        return g_loss(D, fake, enclose, two, mmd)

    return Model(name, build, d_loss, gl, key=key)


def flow(ode_steps: int = 20, method: str = "midpoint", name: str = "flow") -> Model:
    """The capacity control (:mod:`.flow`): rectified flow / conditional flow matching, a
    velocity field with the generator's hidden layers, trained by regression on the same steps,
    batches and seeds, sampled by ``ode_steps`` steps of ``method``. No discriminator."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        G = FlowGenerator(n, setting.hidden, ode_steps, method, init_std=setting.init_std)
        return G, NoCritic()

    return Model(name, build, None, _no_g_loss, key="flow", solo_loss=flow_step)


def _no_g_loss(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:  # pragma: no cover
    """Never called: the flow trains by its ``solo_loss``."""
    raise RuntimeError("the flow has no generator loss against a discriminator")


#: The models of the course so far, by key (the benchmark's registry).
REGISTRY: dict[str, Callable[[], Model]] = {
    "gan": gan,
    "gan5d": lambda: gan(d_steps=5),
    "d2gan": d2gan,
    "mgan": mgan,
    "kgan": kgan,
    "kernel_minmax": kernel_minmax,
    "gen": gen,
    "flow": flow,
    # matched controls (issue 24): GAN with its minimax (saturating) generator loss, D2GAN's
    # generator-loss control; MMD² alone in the random-feature kernel, KGAN's and GEN's control
    "gan_sat": lambda: gan(
        g_loss=gan_g_loss_saturating, name="GAN, saturating loss", key="gan_sat"
    ),
    "mmd_only": lambda: gen(0.0, 0.0, 1.0, name="MMD only", key="mmd_only"),
}


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


__all__ = [
    "Comparison",
    "LAYOUT_DEFAULTS",
    "Model",
    "REGISTRY",
    "SETTING_SPECS",
    "Setting2D",
    "compare_2d",
    "d2gan",
    "flow",
    "from_params",
    "gan",
    "gen",
    "kernel_minmax",
    "kgan",
    "mgan",
    "replace",
    "setting_defaults",
]
