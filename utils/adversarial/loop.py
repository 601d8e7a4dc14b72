"""The 2-D training loop: an ensemble of generator/discriminator pairs, one per seed."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from ..train import train_loop
from .ensemble import MemberStreams, init_members
from .evaluate import evaluate_2d
from .step import descend, gan_step

LossFn = Callable[..., torch.Tensor]


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
    inner: Callable[[nn.Module, torch.Tensor, torch.Tensor], Mapping[str, torch.Tensor]]
    | None = None,
    solo_loss: Callable[..., torch.Tensor] | None = None,
) -> Result2D:
    """Train an ensemble of generator/discriminator pairs (one per seed) on a 2-D mixture.

    Each step: ``d_steps`` Adam steps on ``d_loss(discriminator, real, fake)`` with ``fake``
    detached, then one Adam step on ``g_loss(discriminator, fake)`` with fresh noise.
    ``real`` and ``fake`` have shape ``(members, batch, 2)``; each loss returns ``(members,)``
    and their sum is minimised (members are independent, so each gets its own gradient).
    ``sample(generator, z)`` turns noise into samples (default ``generator(z)``; MGAN picks a
    generator per sample). Every ``curve_every`` steps the modes covered and the high-quality
    share are measured on ``n_eval`` samples per member; at ``snapshot_steps`` samples are kept
    for the figures. ``inner(discriminator, real, fake)`` (KGAN) replaces the discriminator's
    Adam steps: it solves the discriminator's problem on each step's own batch (``fake``
    detached) and returns values to log; the generator's loss then sees the *same* generated
    batch, as Danskin's theorem asks. ``solo_loss(generator, discriminator, real, z)`` (the flow,
    :mod:`.flow`) replaces both players' steps: a non-adversarial model's own loss per member
    on the step's real batch and noise, minimised by the generator's optimiser alone.
    The final evaluation (:func:`evaluate_2d`) uses
    ``n_eval`` samples, plus ``moved`` (:func:`moved`: how far the generators moved from their
    initialisation on the final draw's noise).
    Random streams: see :class:`MemberStreams` (drawn on the GPU under CUDA).
    """
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("train_2d: give at least one seed")
    if inner is not None:
        d_steps = 1  # unused: the inner solve replaces the discriminator's Adam steps
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
    d_params = list(discriminator.parameters())
    opt_d = adam(d_params, lr_d, betas) if d_params else None
    opt_g = adam(list(generator.parameters()), lr_g, betas)
    if inner is None and solo_loss is None and opt_d is None:
        raise ValueError("train_2d: the discriminator has no parameters; give an inner solve")
    snapshot_steps = sorted({int(s) for s in snapshot_steps if 0 <= int(s) <= steps})
    snapshots: dict[int, np.ndarray] = {}
    curve: dict[str, list] = {"step": [], "modes": [], "covered": [], "hq": []}

    def draw(n: int, streams_: MemberStreams) -> np.ndarray:
        with torch.no_grad():
            return sample(generator, streams_.noise(n, z_dim, noise)).cpu().numpy()

    def observe(step: int) -> None:
        from ..metrics import mode_coverage

        if step in snapshot_steps:
            snapshots[step] = draw(n_snapshot, MemberStreams(seeds, 30_000, device))
        if curve_every and (step % curve_every == 0 or step == steps):
            xs = draw(n_eval, MemberStreams(seeds, 30_000, device))
            cov = [mode_coverage(x, mixture.centers, mixture.std) for x in xs]
            curve["step"].append(step)
            curve["modes"].append([c.modes for c in cov])
            curve["covered"].append([c.covered for c in cov])
            curve["hq"].append([c.hq for c in cov])

    observed = [0.0]

    def step_fn(step: int) -> dict[str, float]:
        tic = time.perf_counter()
        observe(step)
        observed[0] += time.perf_counter() - tic

        def draw_noise() -> torch.Tensor:
            return streams.noise(batch, z_dim, noise)

        if solo_loss is not None:
            real = streams.real(mixture, batch)
            loss = descend(opt_g, solo_loss(generator, discriminator, real, draw_noise()))
            return {"g_loss": loss.mean()}
        if inner is not None:
            real = streams.real(mixture, batch)
            fake = sample(generator, draw_noise())
            logs = inner(discriminator, real, fake.detach())
            loss_g = descend(opt_g, g_loss(discriminator, fake))
            return {**{k: v.detach().mean() for k, v in logs.items()}, "g_loss": loss_g.mean()}
        assert opt_d is not None

        def batches() -> tuple[torch.Tensor, torch.Tensor]:
            return streams.real(mixture, batch), draw_noise()

        return gan_step(
            generator, discriminator, opt_d, opt_g, d_loss, g_loss, sample, batches, draw_noise,
            d_steps,
        )  # fmt: skip

    initial = draw(n_eval, MemberStreams(seeds, 20_000, device))  # the final draw's noise
    start = time.perf_counter()
    pair = {"G": generator, "D": discriminator, "opt_g": opt_g}
    if opt_d is not None:
        pair["opt_d"] = opt_d
    history = _train_pair(
        step_fn,
        steps,
        f"{name} on {mixture.name} ({len(seeds)} seeds)",
        pair,
        log_every,
        progress,
    )
    train_s = time.perf_counter() - start - observed[0]
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
        snapshots=snapshots,
        curve={k: np.asarray(v) for k, v in curve.items()},
        samples=final,
        metrics=metrics,
        wall_s=time.perf_counter() - start,
        train_s=train_s,
    )


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
