"""Training plumbing: atomic checkpoints, resume-if-present, a NaN guard and a step loop.

The loop is deliberately small: a notebook writes its own ``step`` function (the model being
taught stays visible there) and :func:`train_loop` adds the progress bar, the NaN/inf guard,
periodic checkpoints and the loss history.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import torch
from tqdm.auto import tqdm


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite; the last good checkpoint (if any) is kept."""


def save_checkpoint(path: str | Path, state: Mapping[str, Any]) -> Path:
    """Write ``state`` with ``torch.save`` atomically (temporary file, then rename).

    A crash mid-write never leaves a truncated checkpoint behind. Returns the path.
    """
    from .files import write_atomic

    return write_atomic(path, lambda tmp: torch.save(dict(state), tmp))


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """Load a checkpoint written by :func:`save_checkpoint`."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    return torch.load(path, map_location=map_location, weights_only=False)


def resume_if_present(
    path: str | Path | None, modules: Mapping[str, Any], map_location: str | torch.device = "cpu"
) -> int:
    """Restore ``modules`` (name -> module, optimiser or ``torch.Generator``) from ``path``.

    Returns the step to continue from (0 when there is no checkpoint).
    """
    if path is None or not Path(path).exists():
        return 0
    state = load_checkpoint(path, map_location)
    for name, obj in modules.items():
        if name not in state:
            raise KeyError(f"checkpoint {path} has no entry {name!r}")
        if isinstance(obj, torch.Generator):  # a random stream continues where it stopped
            obj.set_state(state[name])
        else:
            obj.load_state_dict(state[name])
    return int(state.get("step", 0))


def check_finite(
    values: Mapping[str, float], step: int, checkpoint: str | Path | None = None
) -> None:
    """Raise :class:`TrainingDiverged` if any value is NaN or infinite.

    The message names the quantity and the step, and where the last good checkpoint is.
    """
    for name, v in values.items():
        if not math.isfinite(float(v)):
            where = (
                f"the last good checkpoint is kept at {checkpoint}"
                if checkpoint is not None and Path(checkpoint).exists()
                else "no checkpoint was saved"
            )
            raise TrainingDiverged(
                f"training diverged: {name} = {float(v)} at step {step}; {where}. "
                "Try a smaller learning rate."
            )


def train_loop(
    step_fn: Callable[[int], Mapping[str, float]],
    steps: int,
    *,
    desc: str = "training",
    modules: Mapping[str, Any] | None = None,
    checkpoint: str | Path | None = None,
    checkpoint_every: int = 0,
    resume: bool = False,
    log_every: int = 1,
    progress: bool = True,
) -> dict[str, list[float]]:
    """Call ``step_fn(step)`` for ``steps`` steps; return the history of what it returns.

    ``step_fn`` does one optimisation step and returns a dict of floats (losses, say). Each
    value is checked: a NaN or inf stops training with :class:`TrainingDiverged`, keeping the
    last good checkpoint. With ``checkpoint`` and ``modules`` (name -> module, optimiser or the
    ``torch.Generator`` the step draws from), the state and the history are saved atomically
    every ``checkpoint_every`` steps and at the end; with ``resume=True`` an existing checkpoint
    is loaded first and training continues from its step, so an interrupted run and one run
    give the same parameters and the same history (every random draw through ``modules``).
    History keeps every ``log_every``-th step, plus a ``step`` list.
    """
    if steps < 0:
        raise ValueError(f"train_loop: steps must be >= 0, got {steps}")
    if checkpoint is not None and not modules:
        raise ValueError("train_loop: a checkpoint needs the modules to save")
    start = resume_if_present(checkpoint, modules or {}) if resume else 0
    history: dict[str, list[float]] = {"step": []}
    if start:  # the history so far, so a resumed run returns what one run would have
        history = {k: list(v) for k, v in load_checkpoint(checkpoint).get("history", {}).items()}
        history.setdefault("step", [])
    bar = tqdm(range(start, steps), desc=desc, disable=not progress, leave=False)
    for step in bar:
        values = {k: float(v) for k, v in step_fn(step).items()}
        check_finite(values, step, checkpoint)
        if step % log_every == 0 or step == steps - 1:
            history["step"].append(step)
            for k, v in values.items():
                history.setdefault(k, []).append(v)
            bar.set_postfix({k: f"{v:.3g}" for k, v in values.items()}, refresh=False)
        if checkpoint is not None and checkpoint_every and (step + 1) % checkpoint_every == 0:
            _save_modules(checkpoint, modules or {}, step + 1, history)
    if checkpoint is not None and steps > start:
        _save_modules(checkpoint, modules or {}, steps, history)
    return history


def _save_modules(
    path: str | Path, modules: Mapping[str, Any], step: int, history: Mapping[str, list]
) -> None:
    state: dict[str, Any] = {
        name: obj.get_state() if isinstance(obj, torch.Generator) else obj.state_dict()
        for name, obj in modules.items()
    }
    state["step"] = step
    state["history"] = {k: list(v) for k, v in history.items()}
    save_checkpoint(path, state)
