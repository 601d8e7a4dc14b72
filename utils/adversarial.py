"""The shared adversarial harness: the 2-D mode-collapse experiment and the 28×28 DCGAN loop.

Notebooks 04-08 (GAN, D2GAN, MGAN, KGAN, GEN) plug their own *losses* and, where the model
needs it, their own networks into the same machinery, so every model is compared with GAN in
the same setting, with the same seeds and the same budget.

2-D experiment
    :func:`mlp` builds small MLPs out of :class:`EnsembleLinear` layers: one module holds the
    networks of *several seeds* side by side (weights of shape ``(seeds, in, out)``), and one
    batched matrix product per layer trains all of them at once. Members never interact: each
    has its own initialisation (from its own seed), its own data and noise stream, and Adam's
    update is element-wise, so member ``i`` follows the same trajectory it would follow alone.
    :func:`train_2d` runs the loop with the model's ``d_loss`` / ``g_loss``;
    :func:`evaluate_2d` applies the VEEGAN protocol; :func:`summarize`, :func:`plot_snapshots`
    and :func:`plot_coverage` give the standard table and figures.

Images
    :class:`DCGenerator` / :class:`DCDiscriminator` (small DCGAN networks for 28×28 digits),
    :func:`train_images` (the loop) and :func:`evaluate_images` (Fréchet distance in the frozen
    classifier's features beside the real-vs-real floor, class histogram and its KL to uniform).

Loss functions receive the discriminator module and tensors whose first dimension is the
ensemble member, and return one loss per member, shape ``(seeds,)``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .train import train_loop

LossFn = Callable[..., torch.Tensor]

# --------------------------------------------------------------------------- ensemble MLPs


class EnsembleLinear(nn.Module):
    """``n_models`` independent linear layers applied in one batched product.

    Input ``(n_models, batch, in_features)``, output ``(n_models, batch, out_features)``.
    ``init_std=None`` uses PyTorch's default ``nn.Linear`` initialisation (uniform in
    ±1/√in for weights and biases); a number draws weights from N(0, init_std²) with zero
    biases (D2GAN's official initialisation uses 0.01).
    """

    def __init__(
        self, n_models: int, in_features: int, out_features: int, init_std: float | None = None
    ) -> None:
        super().__init__()
        self.n_models, self.in_features, self.out_features = n_models, in_features, out_features
        self.init_std = init_std
        self.weight = nn.Parameter(torch.empty(n_models, in_features, out_features))
        self.bias = nn.Parameter(torch.empty(n_models, 1, out_features))
        for i in range(n_models):
            self.init_member(i, None)

    @torch.no_grad()
    def init_member(self, i: int, generator: torch.Generator | None) -> None:
        """(Re)initialise member ``i`` drawing from ``generator``."""
        w, b = self.weight[i], self.bias[i]
        if self.init_std is None:
            bound = 1.0 / math.sqrt(self.in_features)
            w.uniform_(-bound, bound, generator=generator)
            b.uniform_(-bound, bound, generator=generator)
        else:
            w.normal_(0.0, self.init_std, generator=generator)
            b.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.baddbmm(self.bias, x, self.weight)

    def extra_repr(self) -> str:
        return f"n_models={self.n_models}, in={self.in_features}, out={self.out_features}"


_ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
    "tanh": nn.Tanh,
    "softplus": nn.Softplus,
    "sigmoid": nn.Sigmoid,
}


def mlp(
    sizes: Sequence[int],
    n_models: int = 1,
    activation: str = "relu",
    out_activation: str | None = None,
    init_std: float | None = None,
) -> nn.Sequential:
    """An ensemble of ``n_models`` MLPs with layer sizes ``sizes`` (input first, output last).

    ``activation`` goes between layers; ``out_activation`` (``None`` for a linear output,
    e.g. logits) after the last. Names: relu, leaky_relu (slope 0.2), tanh, softplus, sigmoid.
    """
    if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
        raise ValueError(f"mlp: sizes must be >= 2 positive widths, got {list(sizes)}")
    for name in (activation, out_activation):
        if name is not None and name not in _ACTIVATIONS:
            raise ValueError(f"mlp: unknown activation {name!r}; use one of {list(_ACTIVATIONS)}")
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(EnsembleLinear(n_models, int(a), int(b), init_std))
        if i < len(sizes) - 2:
            layers.append(_ACTIVATIONS[activation]())
    if out_activation is not None:
        layers.append(_ACTIVATIONS[out_activation]())
    return nn.Sequential(*layers)


def init_members(modules: Sequence[nn.Module], seeds: Sequence[int]) -> None:
    """Initialise member ``i`` of every :class:`EnsembleLinear` in ``modules`` from ``seeds[i]``.

    Member ``i``'s weights then depend on its seed only, not on how many members train
    together: seed 3 trained in a group of five starts exactly as seed 3 trained alone.
    """
    for i, seed in enumerate(seeds):
        g = torch.Generator().manual_seed(int(seed))
        for module in modules:
            for layer in module.modules():
                if isinstance(layer, EnsembleLinear):
                    if layer.n_models % len(seeds):
                        raise ValueError(
                            f"init_members: a layer has {layer.n_models} members, "
                            f"not a multiple of {len(seeds)} seeds"
                        )
                    per = layer.n_models // len(seeds)
                    for j in range(per):
                        layer.init_member(i * per + j, g)


# --------------------------------------------------------------------------- GAN baseline


def gan_d_loss(discriminator: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """GAN's discriminator loss −V(D, G) = −log D(x) − log(1 − D(G(z))), D = sigmoid(logit).

    Notebook 04 derives it; it is the baseline that notebooks 05-08 re-run beside their own
    model. Averages over the last two dimensions (samples, outputs), keeping the ensemble one.
    """
    on_real = F.softplus(-discriminator(real)).mean((-2, -1))
    return on_real + F.softplus(discriminator(fake)).mean((-2, -1))


def gan_g_loss(discriminator: nn.Module, fake: torch.Tensor) -> torch.Tensor:
    """GAN's non-saturating generator loss −log D(G(z)) (notebook 04)."""
    return F.softplus(-discriminator(fake)).mean((-2, -1))


def log_softplus(a: torch.Tensor) -> torch.Tensor:
    """log(softplus(a)), finite for every a: softplus(a) ≈ exp(a) when a < −20 (notebook 05)."""
    return torch.where(a < -20, a, torch.log(F.softplus(a.clamp(min=-20))))


class TwoDiscriminators(nn.Module):
    """D2GAN's D1 and D2 as separate networks; returns their scores (..., 2) (notebook 05)."""

    def __init__(self, d1: nn.Module, d2: nn.Module) -> None:
        super().__init__()
        self.d1, self.d2 = d1, d2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.d1(x), self.d2(x)], dim=-1)


def d2gan_d_loss(
    discriminator: nn.Module,
    real: torch.Tensor,
    fake: torch.Tensor,
    alpha: float | torch.Tensor = 1.0,
    beta: float | torch.Tensor = 1.0,
) -> torch.Tensor:
    """D2GAN's discriminator loss −α log D1(x) + D1(G(z)) + D2(x) − β log D2(G(z)), D = softplus.

    Notebook 05 derives it; the reference copy later notebooks re-run D2GAN with.
    """
    s_real, s_fake = discriminator(real), discriminator(fake)
    on_real = -alpha * log_softplus(s_real[..., 0]) + F.softplus(s_real[..., 1])
    on_fake = F.softplus(s_fake[..., 0]) - beta * log_softplus(s_fake[..., 1])
    return on_real.mean(-1) + on_fake.mean(-1)


def d2gan_g_loss(
    discriminator: nn.Module, fake: torch.Tensor, beta: float | torch.Tensor = 1.0
) -> torch.Tensor:
    """D2GAN's generator loss −D1(G(z)) + β log D2(G(z)) (notebook 05)."""
    s_fake = discriminator(fake)
    return (-F.softplus(s_fake[..., 0]) + beta * log_softplus(s_fake[..., 1])).mean(-1)


# --------------------------------------------------------------------------- 2-D experiment


class MemberStreams:
    """One random stream per ensemble member: real 2-D batches and noise, seeded per member.

    Member ``i`` draws from a generator seeded with ``seed_i + offset``, so its data and noise
    depend on its own seed only. On CUDA the streams are drawn on the GPU (drawing on the CPU
    and copying would cost more than a 2-D training step); elsewhere on the CPU. A CUDA run
    therefore sees other random numbers than a CPU run with the same seeds.
    """

    def __init__(
        self, seeds: Sequence[int], offset: int = 10_000, device: str | torch.device = "cpu"
    ) -> None:
        self.device = torch.device(device)
        self.draw_on = self.device if self.device.type == "cuda" else torch.device("cpu")
        self.gens = [torch.Generator(self.draw_on).manual_seed(int(s) + offset) for s in seeds]

    def real(self, mixture: Any, n: int) -> torch.Tensor:
        """``(members, n, 2)`` points from ``mixture`` (a :class:`utils.data.Mixture2D`)."""
        centers = torch.as_tensor(mixture.centers, dtype=torch.float32, device=self.draw_on)
        out = []
        for g in self.gens:
            k = torch.randint(len(centers), (n,), generator=g, device=self.draw_on)
            out.append(
                centers[k] + mixture.std * torch.randn(n, 2, generator=g, device=self.draw_on)
            )
        return torch.stack(out).to(self.device)

    def noise(self, n: int, dim: int, kind: str = "normal") -> torch.Tensor:
        """``(members, n, dim)`` noise: standard normal, or uniform on [−1, 1]."""
        if kind == "normal":
            z = [torch.randn(n, dim, generator=g, device=self.draw_on) for g in self.gens]
        elif kind == "uniform":
            z = [2 * torch.rand(n, dim, generator=g, device=self.draw_on) - 1 for g in self.gens]
        else:
            raise ValueError(f"noise: unknown kind {kind!r}; use 'normal' or 'uniform'")
        return torch.stack(z).to(self.device)


@dataclass
class Result2D:
    """What :func:`train_2d` returns: histories, snapshots and the final evaluation."""

    name: str
    mixture: Any
    seeds: list[int]
    steps: int
    history: dict[str, list[float]]  # mean losses over members, every log_every steps
    snapshots: dict[int, np.ndarray]  # step -> samples (members, n_snapshot, 2)
    curve: dict[str, np.ndarray]  # "step" (T,), "modes" (T, members), "hq" (T, members)
    samples: np.ndarray  # final samples (members, n_eval, 2)
    metrics: Any  # pandas DataFrame, one row per seed: modes, hq, skl, w
    wall_s: float  # training and evaluation
    train_s: float = 0.0  # the optimisation steps alone (no measurements)
    extra: dict[str, Any] = field(default_factory=dict)


def _default_sample(generator: nn.Module, z: torch.Tensor) -> torch.Tensor:
    return generator(z)


def train_2d(
    generator: nn.Module,
    discriminator: nn.Module,
    d_loss: LossFn,
    g_loss: LossFn,
    mixture: Any,
    *,
    seeds: Sequence[int],
    steps: int,
    batch: int = 512,
    z_dim: int = 256,
    noise: str = "normal",
    lr_d: float = 2e-4,
    lr_g: float = 2e-4,
    betas: tuple[float, float] = (0.5, 0.999),
    d_steps: int = 1,
    n_eval: int = 2500,
    n_snapshot: int = 1000,
    snapshot_steps: Sequence[int] = (),
    curve_every: int = 0,
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = None,
    name: str = "model",
    log_every: int = 50,
    w_points: int = 1000,
    device: str | torch.device = "cpu",
    progress: bool = True,
    checkpoint: str | None = None,
) -> Result2D:
    """Train an ensemble of generator/discriminator pairs (one per seed) on a 2-D mixture.

    Each step: ``d_steps`` Adam steps on ``d_loss(discriminator, real, fake)`` with ``fake``
    detached, then one Adam step on ``g_loss(discriminator, fake)`` with fresh noise.
    ``real`` and ``fake`` have shape ``(members, batch, 2)``; each loss returns ``(members,)``
    and their sum is minimised (members are independent, so each gets its own gradient).
    ``sample(generator, z)`` turns noise into samples (default ``generator(z)``; MGAN picks a
    generator per sample). Every ``curve_every`` steps the modes covered and the high-quality
    share are measured on ``n_eval`` samples per member; at ``snapshot_steps`` samples are kept
    for the figures. The final evaluation (:func:`evaluate_2d`) uses ``n_eval`` samples.
    Random streams: see :class:`MemberStreams` (drawn on the GPU under CUDA).
    """
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("train_2d: give at least one seed")
    for key, v in {"steps": steps, "batch": batch, "z_dim": z_dim, "d_steps": d_steps}.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < (0 if key == "steps" else 1):
            raise ValueError(f"train_2d: {key} must be a positive int, got {v!r}")
    sample = sample or _default_sample
    init_members([generator, discriminator], seeds)
    device = torch.device(device)
    generator.to(device)
    discriminator.to(device)
    streams = MemberStreams(seeds, device=device)
    eval_streams = MemberStreams(seeds, 20_000, device)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr_d, betas=betas)
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr_g, betas=betas)
    snapshot_steps = sorted({int(s) for s in snapshot_steps if 0 <= int(s) <= steps})
    snapshots: dict[int, np.ndarray] = {}
    curve: dict[str, list] = {"step": [], "modes": [], "hq": []}

    def draw(n: int, streams_: MemberStreams) -> np.ndarray:
        with torch.no_grad():
            return sample(generator, streams_.noise(n, z_dim, noise)).cpu().numpy()

    def observe(step: int) -> None:
        from .metrics import mode_coverage

        if step in snapshot_steps:
            snapshots[step] = draw(n_snapshot, MemberStreams(seeds, 30_000, device))
        if curve_every and (step % curve_every == 0 or step == steps):
            xs = draw(n_eval, MemberStreams(seeds, 30_000, device))
            cov = [mode_coverage(x, mixture.centers, mixture.std) for x in xs]
            curve["step"].append(step)
            curve["modes"].append([c.modes for c in cov])
            curve["hq"].append([c.hq for c in cov])

    observed = [0.0]

    def step_fn(step: int) -> dict[str, float]:
        tic = time.perf_counter()
        observe(step)
        observed[0] += time.perf_counter() - tic
        for _ in range(d_steps):
            real = streams.real(mixture, batch)
            with torch.no_grad():
                fake = sample(generator, streams.noise(batch, z_dim, noise))
            loss_d = d_loss(discriminator, real, fake)
            opt_d.zero_grad(set_to_none=True)
            loss_d.sum().backward()
            opt_d.step()
        fake = sample(generator, streams.noise(batch, z_dim, noise))
        loss_g = g_loss(discriminator, fake)
        opt_g.zero_grad(set_to_none=True)
        loss_g.sum().backward()
        opt_g.step()
        return {"d_loss": loss_d.detach().mean(), "g_loss": loss_g.detach().mean()}

    start = time.perf_counter()
    pair = {"G": generator, "D": discriminator, "opt_g": opt_g, "opt_d": opt_d}
    history = _train_pair(
        step_fn,
        steps,
        f"{name} on {mixture.name} ({len(seeds)} seeds)",
        pair,
        checkpoint,
        log_every,
        progress,
    )
    train_s = time.perf_counter() - start - observed[0]
    observe(steps)
    final = draw(n_eval, eval_streams)
    metrics = evaluate_2d(final, mixture, seeds, w_points=w_points)
    return Result2D(
        name=name,
        mixture=mixture,
        seeds=seeds,
        steps=steps,
        history=history,
        snapshots=snapshots,
        curve={k: np.asarray(v) for k, v in curve.items()},
        samples=final,
        metrics=metrics,
        wall_s=time.perf_counter() - start,
        train_s=train_s,
    )


def _train_pair(
    step_fn: Callable[[int], Mapping[str, Any]],
    steps: int,
    desc: str,
    modules: Mapping[str, Any],
    checkpoint: str | None,
    log_every: int,
    progress: bool,
) -> dict[str, list[float]]:
    """:func:`utils.train.train_loop` for a generator/discriminator pair (5 checkpoints a run)."""
    return train_loop(
        step_fn,
        steps,
        desc=desc,
        modules=modules,
        checkpoint=checkpoint,
        checkpoint_every=max(steps // 5, 1) if checkpoint else 0,
        log_every=log_every,
        progress=progress,
    )


def evaluate_2d(
    samples: np.ndarray, mixture: Any, seeds: Sequence[int] | None = None, w_points: int = 1000
) -> Any:
    """VEEGAN protocol per ensemble member, as a DataFrame (one row per seed).

    ``samples`` is ``(members, n, 2)`` (use n = 2,500). Columns: ``modes`` covered,
    ``hq`` (share of high-quality samples, within 3 std of the nearest mode), ``skl`` (the
    course's histogram symmetric KL to ``n`` fresh data points,
    :func:`utils.metrics.symmetric_kl_2d`, on a fixed 60×60 grid over the modes' range ± 1) and
    ``w`` (exact Wasserstein-1 between ``w_points`` samples and as many data points,
    :func:`utils.metrics.wasserstein_2d`).
    """
    import pandas as pd

    from .metrics import mode_coverage, symmetric_kl_2d, wasserstein_2d

    samples = np.asarray(samples)
    if samples.ndim == 2:
        samples = samples[None]
    if samples.ndim != 3 or samples.shape[-1] != 2:
        raise ValueError(f"evaluate_2d: want samples (members, n, 2), got {samples.shape}")
    seeds = list(seeds) if seeds is not None else list(range(len(samples)))
    reach = float(np.abs(mixture.centers).max()) + 1.0
    rows = []
    for seed, x in zip(seeds, samples):
        real = mixture.sample(len(x), seed=1_000_000 + int(seed))
        cov = mode_coverage(x, mixture.centers, mixture.std)
        m = min(w_points, len(x))
        rows.append(
            {
                "seed": int(seed),
                "modes": cov.modes,
                "hq": cov.hq,
                "skl": symmetric_kl_2d(x, real, bins=60, bounds=(-reach, reach)),
                "w": wasserstein_2d(x[:m], real[:m]),
            }
        )
    return pd.DataFrame(rows).set_index("seed")


def summarize(results: Mapping[str, Result2D] | Sequence[Result2D]) -> Any:
    """The standard table: mean ± standard error over seeds, one row per model and dataset.

    Columns ``modes``, ``hq`` (%), ``skl``, ``w`` as ``"mean ± se"`` strings, plus ``seeds``
    and training ``wall_s``. Use :func:`metric_means` for the numbers themselves.
    """
    import pandas as pd

    items = results.values() if isinstance(results, Mapping) else results
    rows = []
    for r in items:
        m = r.metrics.copy()
        m["hq"] = 100 * m["hq"]
        n = len(m)
        row: dict[str, Any] = {"model": r.name, "data": r.mixture.name}
        for col, fmt in (("modes", ".1f"), ("hq", ".1f"), ("skl", ".2f"), ("w", ".3f")):
            se = m[col].std(ddof=1) / math.sqrt(n) if n > 1 else float("nan")
            row[col if col != "hq" else "hq %"] = f"{m[col].mean():{fmt}} ± {se:{fmt}}"
        row["seeds"] = n
        row["wall_s"] = round(r.wall_s, 1)
        rows.append(row)
    return pd.DataFrame(rows).set_index(["model", "data"])


def metric_means(result: Result2D) -> dict[str, float]:
    """Mean over seeds of each metric of a :class:`Result2D` (``hq`` as a fraction)."""
    return {k: float(v) for k, v in result.metrics.mean().items()}


def plot_snapshots(
    results: Sequence[Result2D], member: int = 0, lim: float | None = None, colors: Any = None
) -> Any:
    """Samples over training: one row per result, one column per snapshot step (one seed)."""
    import matplotlib.pyplot as plt

    from .plot import scatter_2d

    steps = sorted(results[0].snapshots)
    fig, axes = plt.subplots(
        len(results), len(steps), figsize=(2.3 * len(steps), 2.4 * len(results)), squeeze=False
    )
    for row, r in zip(axes, results):
        reach = lim or float(np.abs(r.mixture.centers).max()) + 1.0
        real = r.mixture.sample(500, seed=0)
        for ax, s in zip(row, steps):
            c = None if colors is None else colors(r, s)
            scatter_2d(r.snapshots[s][member], r.mixture.centers, real, ax=ax, lim=reach, colors=c)
            ax.set_title(f"{r.name}, step {s}", fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_coverage(results: Sequence[Result2D]) -> Any:
    """Modes covered and high-quality share over training (mean over seeds, ± 1 se band)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.3))
    for r in results:
        label = f"{r.name} ({r.mixture.name})"
        for ax, key, scale in ((axes[0], "modes", 1.0), (axes[1], "hq", 100.0)):
            v = scale * np.asarray(r.curve[key], dtype=float)
            mean = v.mean(1)
            se = v.std(1, ddof=1) / math.sqrt(v.shape[1]) if v.shape[1] > 1 else 0 * mean
            ax.plot(r.curve["step"], mean, label=label)
            ax.fill_between(r.curve["step"], mean - se, mean + se, alpha=0.2)
    axes[0].set_ylabel("modes covered")
    axes[1].set_ylabel("high-quality samples (%)")
    for ax in axes:
        ax.set_xlabel("step")
    axes[0].legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- 1-D optimal D


def fit_discriminator_1d(
    objective: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor],
    p_data: Callable[[np.ndarray], np.ndarray],
    p_model: Callable[[np.ndarray], np.ndarray],
    *,
    outputs: int = 1,
    lo: float = -6.0,
    hi: float = 6.0,
    points: int = 2001,
    hidden: int = 64,
    steps: int = 3000,
    lr: float = 3e-3,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Train an MLP discriminator against two *known* 1-D densities; return ``(x, D(x))``.

    The expectations in the objective are computed exactly by quadrature on a grid of
    ``points`` over ``[lo, hi]``: ``objective(d, w_data, w_model)`` gets the network's raw
    outputs ``d`` (points, outputs) and the quadrature weights ``p(x)·Δx`` of each density,
    and returns the loss to *minimise* (e.g. minus GAN's value function). Comparing the result
    with a closed-form optimum (D* = p_d/(p_d + p_g) for GAN) checks the derivation.
    """
    torch.manual_seed(seed)
    x = np.linspace(lo, hi, points)
    dx = x[1] - x[0]
    w_d = torch.as_tensor(p_data(x) * dx, dtype=torch.float64)
    w_m = torch.as_tensor(p_model(x) * dx, dtype=torch.float64)
    xt = torch.as_tensor(x, dtype=torch.float64)[:, None]
    net = nn.Sequential(
        nn.Linear(1, hidden),
        nn.Tanh(),
        nn.Linear(hidden, hidden),
        nn.Tanh(),
        nn.Linear(hidden, outputs),
    ).double()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for _ in range(steps):
        loss = objective(net(xt), w_d, w_m)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        return x, net(xt).numpy()


# --------------------------------------------------------------------------- 28×28 DCGAN


class DCGenerator(nn.Module):
    """A small DCGAN generator for 28×28 images: z → 2c·7·7 → 2c@14² → ``out_channels``@28².

    ``head`` (linear + batch norm + ReLU) maps noise to a 7×7 feature map; ``body``
    (two transposed convolutions) upsamples it; the output is in [−1, 1] (tanh). MGAN gives each
    of its generators its own ``head`` and shares the ``body``.
    """

    def __init__(self, z_dim: int = 64, channels: int = 32, out_channels: int = 1) -> None:
        super().__init__()
        c = channels
        self.z_dim = z_dim
        self.head = nn.Sequential(
            nn.Linear(z_dim, 2 * c * 7 * 7),
            nn.Unflatten(1, (2 * c, 7, 7)),
            nn.BatchNorm2d(2 * c),
            nn.ReLU(),
        )
        self.body = nn.Sequential(
            nn.ConvTranspose2d(2 * c, c, 4, 2, 1),
            nn.BatchNorm2d(c),
            nn.ReLU(),
            nn.ConvTranspose2d(c, out_channels, 4, 2, 1),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.body(self.head(z))


class DCDiscriminator(nn.Module):
    """A small DCGAN discriminator for 28×28 images, ``outputs`` raw scores per image.

    ``trunk``: conv 4×4/2 → LeakyReLU 0.2 → conv 4×4/2 → LeakyReLU → flatten; ``head``: one
    linear layer. No batch norm: with 4,000 training digits, a batch-normed discriminator gave
    a worse class balance in the course's trials (class KL 0.13 against 0.05 at equal budget).
    D2GAN reads two outputs (its two discriminators' scores); MGAN reads 1 + K (discriminator
    and classifier heads on one trunk, as in its official code).
    """

    def __init__(self, channels: int = 32, in_channels: int = 1, outputs: int = 1) -> None:
        super().__init__()
        c = channels
        self.trunk = nn.Sequential(
            nn.Conv2d(in_channels, c, 4, 2, 1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(c, 2 * c, 4, 2, 1),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
        )
        self.head = nn.Linear(2 * c * 7 * 7, outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.trunk(x))


@dataclass
class ImageResult:
    """What :func:`train_images` returns."""

    name: str
    steps: int
    history: dict[str, list[float]]
    snapshots: dict[int, torch.Tensor]  # step -> fixed-noise samples in [0, 1]
    wall_s: float


def to_unit(x: torch.Tensor) -> torch.Tensor:
    """Map generator outputs from [−1, 1] to [0, 1] (what the classifier and plots expect)."""
    return ((x + 1) / 2).clamp(0, 1)


def train_images(
    generator: nn.Module,
    discriminator: nn.Module,
    d_loss: LossFn,
    g_loss: LossFn,
    images: torch.Tensor,
    *,
    steps: int,
    batch: int = 64,
    z_dim: int = 64,
    lr_d: float = 2e-4,
    lr_g: float = 2e-4,
    betas: tuple[float, float] = (0.5, 0.999),
    seed: int = 0,
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = None,
    snapshot_steps: Sequence[int] = (),
    n_fixed: int = 50,
    name: str = "model",
    device: str | torch.device = "cpu",
    log_every: int = 10,
    progress: bool = True,
    checkpoint: str | None = None,
) -> ImageResult:
    """The DCGAN loop on images ``(N, C, 28, 28)`` in [0, 1] (rescaled to [−1, 1] inside).

    Each step: one Adam step on ``d_loss(discriminator, real, fake.detach())``, then one on
    ``g_loss(discriminator, fake)`` with fresh noise; batches are drawn by reshuffling the data
    every epoch with a generator seeded by ``seed``. Samples from a fixed noise batch are kept
    at ``snapshot_steps``. The same loss functions as in :func:`train_2d` work here, because the
    discriminator's output is ``(batch, outputs)`` instead of ``(members, batch, outputs)``.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"train_images: steps must be a non-negative int, got {steps!r}")
    if images.ndim != 4 or images.shape[-2:] != (28, 28):
        raise ValueError(f"train_images: want images (N, C, 28, 28), got {tuple(images.shape)}")
    device = torch.device(device)
    torch.manual_seed(seed)
    sample = sample or _default_sample
    generator.to(device).train()
    discriminator.to(device).train()
    data = (2 * images.float() - 1).to(device)
    gen = torch.Generator().manual_seed(seed)
    fixed = torch.randn(n_fixed, z_dim, generator=gen).to(device)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr_d, betas=betas)
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr_g, betas=betas)
    snapshot_steps = {int(s) for s in snapshot_steps}
    snapshots: dict[int, torch.Tensor] = {}
    order = torch.randperm(len(data), generator=gen)
    pos = 0

    def snap(step: int) -> None:
        generator.eval()
        with torch.no_grad():
            snapshots[step] = to_unit(sample(generator, fixed)).cpu()
        generator.train()

    def step_fn(step: int) -> dict[str, float]:
        nonlocal order, pos
        if step in snapshot_steps:
            snap(step)
        if pos + batch > len(data):
            order, pos = torch.randperm(len(data), generator=gen), 0
        real = data[order[pos : pos + batch].to(device)]
        pos += batch
        z = torch.randn(batch, z_dim, generator=gen).to(device)
        with torch.no_grad():
            fake = sample(generator, z)
        loss_d = d_loss(discriminator, real, fake)
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        z = torch.randn(batch, z_dim, generator=gen).to(device)
        loss_g = g_loss(discriminator, sample(generator, z))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        return {"d_loss": loss_d.detach(), "g_loss": loss_g.detach()}

    start = time.perf_counter()
    pair = {"G": generator, "D": discriminator, "opt_g": opt_g, "opt_d": opt_d}
    history = _train_pair(
        step_fn, steps, f"{name} on images", pair, checkpoint, log_every, progress
    )
    if steps in snapshot_steps:
        snap(steps)
    generator.eval()
    return ImageResult(name, steps, history, snapshots, time.perf_counter() - start)


def generate_images(
    generator: nn.Module,
    n: int,
    z_dim: int,
    seed: int = 0,
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = None,
    batch: int = 500,
) -> torch.Tensor:
    """``n`` samples in [0, 1] on the CPU, generator in eval mode, noise seeded by ``seed``."""
    sample = sample or _default_sample
    device = next(generator.parameters()).device
    z = torch.randn(n, z_dim, generator=torch.Generator().manual_seed(seed))
    generator.eval()
    out = []
    with torch.no_grad():
        for i in range(0, n, batch):
            out.append(to_unit(sample(generator, z[i : i + batch].to(device))).cpu())
    return torch.cat(out)


def evaluate_images(
    fake: torch.Tensor, n_fd: int = 1000, classifier: nn.Module | None = None
) -> dict[str, Any]:
    """Fréchet distance (first ``n_fd`` samples vs the 1,000 test digits), its floor and classes.

    Returns ``fd``; ``fd_floor`` (the same distance from 1,000 *training* digits to the test
    digits: what a perfect generator would score at this N); ``class_hist`` (share of each
    digit the frozen classifier sees among all of ``fake``) and ``class_kl`` (its KL to
    uniform; 0 when every digit is equally frequent, log 10 ≈ 2.30 for a single digit).
    """
    from .classifier import load_classifier
    from .data import mnist5k
    from .metrics import class_histogram, frechet_distance, kl_to_uniform, predict_digits

    if fake.ndim != 4 or fake.shape[1:] != (1, 28, 28):
        raise ValueError(f"evaluate_images: want samples (N, 1, 28, 28), got {tuple(fake.shape)}")
    if len(fake) < n_fd:
        raise ValueError(f"evaluate_images: need at least n_fd={n_fd} samples, got {len(fake)}")
    clf = classifier if classifier is not None else load_classifier()
    data = mnist5k()
    test = data.test.x[:n_fd]
    hist = class_histogram(predict_digits(fake, clf))
    return {
        "fd": frechet_distance(test, fake[:n_fd], clf),
        "fd_floor": frechet_distance(test, data.train.x[:n_fd], clf),
        "class_hist": hist,
        "class_kl": kl_to_uniform(hist),
    }


def nearest_training_images(
    samples: torch.Tensor, train: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """For each sample, the closest training image in pixel space (Euclidean) and its distance.

    Shows whether a generator copies its training set (distance near 0) or makes new digits.
    """
    a = samples.reshape(len(samples), -1).float()
    b = train.reshape(len(train), -1).float()
    d = torch.cdist(a, b)
    dist, idx = d.min(1)
    return train[idx], dist
