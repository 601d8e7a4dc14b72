"""Seeding and device choice: same seed, same numbers."""

from __future__ import annotations

import os
import random

import numpy as np


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python's ``random``, NumPy's legacy global state and torch (CPU and CUDA).

    Returns a fresh ``numpy.random.Generator`` seeded with ``seed`` for code that prefers the
    new NumPy API. Use :func:`torch_generator` and :func:`seed_worker` for DataLoaders.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    import torch

    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():  # pragma: no cover - no GPU in CI
        torch.cuda.manual_seed_all(seed)
    return np.random.default_rng(seed)


def seed_worker(worker_id: int) -> None:
    """``worker_init_fn`` for DataLoaders: seed NumPy and ``random`` in each worker from torch."""
    import torch

    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)
    random.seed(worker_seed)


def torch_generator(seed: int):
    """A seeded ``torch.Generator`` to pass to a DataLoader (``generator=``) or a sampler."""
    import torch

    g = torch.Generator()
    g.manual_seed(seed)
    return g


def get_device(prefer: str = "auto"):
    """Pick the device: CUDA if present, then Apple's MPS, else the CPU.

    ``prefer`` may be ``"auto"``, ``"cpu"``, ``"cuda"`` or ``"mps"``; asking for an absent
    accelerator raises a one-line error.
    """
    import torch

    if prefer not in {"auto", "cpu", "cuda", "mps"}:
        raise ValueError(f"device: unknown device {prefer!r}; use auto, cpu, cuda or mps")
    has_mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if prefer == "auto":
        if torch.cuda.is_available():  # pragma: no cover - no GPU in CI
            return torch.device("cuda")
        if has_mps:  # pragma: no cover
            return torch.device("mps")
        return torch.device("cpu")
    if prefer == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device: CUDA was asked for but is not available; use DEVICE='auto'")
    if prefer == "mps" and not has_mps:
        raise RuntimeError("device: MPS was asked for but is not available; use DEVICE='auto'")
    return torch.device(prefer)
