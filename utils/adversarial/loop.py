"""The 2-D training loop: an ensemble of generator/discriminator pairs, one per seed."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import torch
from torch import nn

from ..train import train_loop
from .ensemble import MemberStreams, init_members
from .evaluate import evaluate_2d
from .step import gan_step, inner_step, solo_step

LossFn = Callable[..., torch.Tensor]
InnerFn = Callable[[nn.Module, torch.Tensor, torch.Tensor], Mapping[str, torch.Tensor]]


@dataclass
class Result2D:
    """What :func:`train_2d` returns: histories, snapshots and the final evaluation."""

    name: str
    mixture: Any
    seeds: list[int]
    steps: int
    history: dict[str, list[float]]  # mean losses over members, every log_every steps
    snapshots: dict[int, np.ndarray]  # step -> samples (members, n_snapshot, 2)
    curve: dict[str, np.ndarray]  # "step" (T,); "modes", "covered", "hq": (T, members)
    samples: np.ndarray  # final samples (members, n_eval, 2)
    metrics: Any  # pandas DataFrame, one row per seed: modes, covered, hq, skl, w
    wall_s: float  # training and evaluation
    train_s: float = 0.0  # the optimisation steps alone (no measurements)
    extra: dict[str, Any] = field(default_factory=dict)


def adam(params: Any, lr: float, betas: tuple[float, float]) -> torch.optim.Adam:
    """Adam, fused into one kernel where this torch supports it (4x faster steps on a CPU for
    the small 2-D networks); the same update rule, rounded differently."""
    try:
        return torch.optim.Adam(params, lr=lr, betas=betas, fused=True)
    except (RuntimeError, TypeError):  # pragma: no cover - old torch or unsupported device
        return torch.optim.Adam(list(params), lr=lr, betas=betas)


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
    inner: InnerFn | None = None,
    solo_loss: Callable[..., torch.Tensor] | None = None,
) -> Result2D:
    """Train an ensemble of generator/discriminator pairs (one per seed) on a 2-D mixture.

    Each step (:func:`game_step`): ``d_steps`` Adam steps on ``d_loss(discriminator, real,
    fake)`` with ``fake`` detached, then one Adam step on ``g_loss(discriminator, fake)`` with
    fresh noise. ``real`` and ``fake`` have shape ``(members, batch, 2)``; each loss returns
    ``(members,)`` and their sum is minimised (members are independent, so each gets its own
    gradient). ``sample(generator, z)`` turns noise into samples (default ``generator(z)``;
    MGAN picks a generator per sample). ``inner(discriminator, real, fake)`` (KGAN,
    :func:`inner_step`) replaces the discriminator's Adam steps; ``solo_loss(generator,
    discriminator, real, z)`` (the flow, :func:`solo_step`) replaces both players' steps.
    Every ``curve_every`` steps and at ``snapshot_steps`` the samples are measured
    (:class:`Observer`). The final evaluation (:func:`evaluate_2d`) uses ``n_eval`` samples,
    plus ``moved`` (:func:`moved`: how far the generators moved from their initialisation on
    the final draw's noise). Random streams: see :class:`MemberStreams` (on the GPU under CUDA).
    """
    seeds = _check(seeds, steps, batch, z_dim, 1 if inner is not None else d_steps)
    init_members([generator, discriminator], seeds)
    device = torch.device(device)
    generator.to(device)
    discriminator.to(device)
    draws = Draws(MemberStreams(seeds, device=device), mixture, batch, z_dim, noise)
    draw = Sampler(generator, sample or _default_sample, z_dim, noise)
    eval_streams = MemberStreams(seeds, 20_000, device)
    opt_d, opt_g = _optimisers(generator, discriminator, lr_d, lr_g, betas)
    game = game_step(
        generator, discriminator, opt_d, opt_g, d_loss, g_loss, draw.sample, draws,
        d_steps, inner, solo_loss,
    )  # fmt: skip
    observe = Observer(
        draw, seeds, device, mixture, n_eval, n_snapshot, curve_every, steps, snapshot_steps
    )
    initial = draw(n_eval, MemberStreams(seeds, 20_000, device))  # the final draw's noise
    start = time.perf_counter()
    modules = {"G": generator, "D": discriminator, "opt_g": opt_g}
    modules.update({} if opt_d is None else {"opt_d": opt_d})
    desc = f"{name} on {mixture.name} ({len(seeds)} seeds)"
    step_fn = partial(_observed, observe, game)
    history = _train_pair(step_fn, steps, desc, modules, log_every, progress)
    train_s = time.perf_counter() - start - observe.seconds
    observe(steps)
    final = draw(n_eval, eval_streams)
    metrics = evaluate_2d(final, mixture, seeds, w_points=w_points)
    metrics["moved"] = moved(initial, final)
    return Result2D(
        name=name,
        mixture=mixture,
        seeds=seeds,
        steps=steps,
        history=history,
        snapshots=observe.snapshots,
        curve={k: np.asarray(v) for k, v in observe.curve.items()},
        samples=final,
        metrics=metrics,
        wall_s=time.perf_counter() - start,
        train_s=train_s,
    )


def _check(seeds: Sequence[int], steps: int, batch: int, z_dim: int, d_steps: int) -> list[int]:
    """The seeds as ints, after checking the loop's sizes (one-line errors for bad input)."""
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("train_2d: give at least one seed")
    for key, v in {"steps": steps, "batch": batch, "z_dim": z_dim, "d_steps": d_steps}.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < (0 if key == "steps" else 1):
            raise ValueError(f"train_2d: {key} must be a positive int, got {v!r}")
    return seeds


def _optimisers(
    generator: nn.Module,
    discriminator: nn.Module,
    lr_d: float,
    lr_g: float,
    betas: tuple[float, float],
) -> tuple[torch.optim.Adam | None, torch.optim.Adam]:
    """Adam for each player; ``None`` for a discriminator without parameters (KGAN, the flow)."""
    d_params = list(discriminator.parameters())
    opt_d = adam(d_params, lr_d, betas) if d_params else None
    return opt_d, adam(list(generator.parameters()), lr_g, betas)


@dataclass
class Draws:
    """Each training step's random draws: real batches of ``mixture`` and noise, from the
    members' training streams (``streams.real`` then ``streams.noise`` per pair)."""

    streams: MemberStreams
    mixture: Any
    batch: int
    z_dim: int
    noise: str

    def z(self) -> torch.Tensor:
        """``(members, batch, z_dim)`` noise."""
        return self.streams.noise(self.batch, self.z_dim, self.noise)

    def pair(self) -> tuple[torch.Tensor, torch.Tensor]:
        """A real batch, then noise: ``(real, z)``."""
        return self.streams.real(self.mixture, self.batch), self.z()


@dataclass
class Sampler:
    """``sampler(n, streams)``: ``n`` samples per member as a numpy array ``(members, n, 2)``,
    from noise of ``streams``, without gradients."""

    generator: nn.Module
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor]
    z_dim: int
    noise: str

    def __call__(self, n: int, streams: MemberStreams) -> np.ndarray:
        with torch.no_grad():
            z = streams.noise(n, self.z_dim, self.noise)
            return self.sample(self.generator, z).cpu().numpy()


@dataclass
class Observer:
    """The measurements during training, each on fresh noise of the measurement streams (seed
    offset 30 000): ``n_snapshot`` samples at ``snapshot_steps`` (those in ``0 … steps``), and every
    ``curve_every`` steps (and at ``steps``) the modes covered and the high-quality share of
    ``n_eval`` samples. ``seconds`` adds up the time spent, which training time leaves out."""

    draw: Sampler
    seeds: list[int]
    device: torch.device
    mixture: Any
    n_eval: int
    n_snapshot: int
    curve_every: int
    steps: int
    snapshot_steps: Sequence[int] = ()
    snapshots: dict[int, np.ndarray] = field(default_factory=dict)
    curve: dict[str, list] = field(
        default_factory=lambda: {"step": [], "modes": [], "covered": [], "hq": []}
    )
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.snapshot_steps = sorted(
            {int(s) for s in self.snapshot_steps if 0 <= int(s) <= self.steps}
        )

    def __call__(self, step: int) -> None:
        from ..metrics import mode_coverage

        tic = time.perf_counter()
        if step in self.snapshot_steps:
            self.snapshots[step] = self.draw(self.n_snapshot, self._streams())
        if self.curve_every and (step % self.curve_every == 0 or step == self.steps):
            xs = self.draw(self.n_eval, self._streams())
            cov = [mode_coverage(x, self.mixture.centers, self.mixture.std) for x in xs]
            self.curve["step"].append(step)
            for key in ("modes", "covered", "hq"):
                self.curve[key].append([getattr(c, key) for c in cov])
        self.seconds += time.perf_counter() - tic

    def _streams(self) -> MemberStreams:
        return MemberStreams(self.seeds, 30_000, self.device)


def game_step(
    generator: nn.Module,
    discriminator: nn.Module,
    opt_d: torch.optim.Optimizer | None,
    opt_g: torch.optim.Optimizer,
    d_loss: LossFn,
    g_loss: LossFn,
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor],
    draws: Draws,
    d_steps: int,
    inner: InnerFn | None,
    solo_loss: Callable[..., torch.Tensor] | None,
) -> Callable[[], dict[str, torch.Tensor]]:
    """One training step of :func:`train_2d` as a function of nothing: :func:`.step.solo_step`
    with a ``solo_loss``, else :func:`.step.inner_step` with an ``inner`` solve, else
    :func:`.step.gan_step` (which needs a discriminator with parameters)."""
    G, D = generator, discriminator
    if solo_loss is not None:
        return partial(solo_step, G, D, opt_g, solo_loss, draws.pair)
    if inner is not None:
        return partial(inner_step, G, D, opt_g, inner, g_loss, sample, draws.pair)
    if opt_d is None:
        raise ValueError("train_2d: the discriminator has no parameters; give an inner solve")
    return partial(
        gan_step, G, D, opt_d, opt_g, d_loss, g_loss, sample, draws.pair, draws.z, d_steps
    )


def _observed(
    observe: Observer, game: Callable[[], dict[str, torch.Tensor]], step: int
) -> dict[str, torch.Tensor]:
    """One step of the training loop: measure (if due), then train."""
    observe(step)
    return game()


def moved(initial: np.ndarray, final: np.ndarray) -> np.ndarray:
    """How far each member's generator moved from its initialisation, per member: the mean
    distance ``‖G_T(z) − G_0(z)‖`` over the same noise ``z`` (arrays ``(members, n, 2)``).

    A generator that never moved scores whatever its starting point scores — on a grid with a
    mode at the origin, "one mode, sharp" — so a table reads ``moved`` before ``hq``
    (:func:`utils.adversarial.evaluate.stuck`).
    """
    return np.linalg.norm(np.asarray(final) - np.asarray(initial), axis=-1).mean(-1)


def _train_pair(
    step_fn: Callable[[int], Mapping[str, Any]],
    steps: int,
    desc: str,
    modules: Mapping[str, Any],
    log_every: int,
    progress: bool,
) -> dict[str, list[float]]:
    """:func:`utils.train.train_loop` for a generator/discriminator pair. No checkpoints: the
    loops' random streams, curves and snapshots are not in one, so a resumed run would not be
    the run it continues (a short CPU run is re-run instead)."""
    return train_loop(
        step_fn, steps, desc=desc, modules=modules, log_every=log_every, progress=progress
    )
