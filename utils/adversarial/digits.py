"""The digit experiments of notebooks 04-07 and the stacked benchmark: every
:class:`~.images.DigitModel` trained with the same seed, steps and learning rate on mnist5k
(:func:`compare_digits`, :func:`digits_table`) or on stacked MNIST (:func:`stacked_experiment`),
and a notebook's shared set-up (:func:`image_setting`). The networks, loop and evaluation live
in :mod:`.images`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from ..config import FAST_BUDGETS
from .images import DigitModel, ImageResult, evaluate_images, generate_images, train_images


@dataclass
class DigitRun:
    """One trained digit model: the generator, its samples and their evaluation."""

    generator: nn.Module
    samples: torch.Tensor
    evaluation: dict[str, Any]
    result: ImageResult


def compare_digits(
    models: Sequence[DigitModel],
    images: torch.Tensor,
    *,
    steps: int,
    z_dim: int,
    lr: float,
    seed: int = 0,
    n_samples: int = 5000,
    device: str | torch.device = "cpu",
    record: bool = True,
) -> dict[str, DigitRun]:
    """Train every model on ``images`` with the same seed, steps and learning rate; evaluate.

    Each generator starts from ``torch.manual_seed(seed)``; ``n_samples`` samples (noise seed
    ``seed + 1``) give the Fréchet distance and class histogram (:func:`evaluate_images`). With
    ``record``, ``<model>_mnist_fd`` and ``<model>_mnist_class_kl`` are recorded.
    """
    from .. import record as record_metric

    runs: dict[str, DigitRun] = {}
    for m in models:
        torch.manual_seed(seed)
        G = m.generator(images.shape[1])
        res = train_images(
            G, m.discriminator(images.shape[1]), m.d_loss, m.g_loss, images, steps=steps,
            z_dim=z_dim, lr_d=lr, lr_g=lr, seed=seed, device=device, name=m.name, inner=m.inner,
        )  # fmt: skip
        fake = generate_images(G, n_samples, z_dim, seed=seed + 1)
        ev = evaluate_images(fake)
        runs[m.name] = DigitRun(G, fake, ev, res)
        if record:
            record_metric(f"{m.key}_mnist_fd", ev["fd"])
            record_metric(f"{m.key}_mnist_class_kl", ev["class_kl"])
    return runs


def digits_table(runs: dict[str, DigitRun]) -> Any:
    """Fréchet distance, its real-vs-real floor and the class KL of each run, as a DataFrame."""
    import pandas as pd

    return pd.DataFrame(
        {
            name: {
                "FD": r.evaluation["fd"],
                "FD floor": r.evaluation["fd_floor"],
                "class KL": r.evaluation["class_kl"],
            }
            for name, r in runs.items()
        }
    ).T.round(3)


def image_setting(namespace: dict[str, Any], device: Any) -> dict[str, Any]:
    """A notebook's digit set-up: shrink ``DC_STEPS``, ``N_SAMPLES`` and ``STACKED_STEPS`` in
    fast mode (in ``namespace`` too) and return the keyword arguments every digit experiment
    of the notebook shares: ``z_dim`` (``Z_DIM``), ``lr`` (``DC_LR``), ``seed`` (``SEED``) and
    ``device``."""
    from .. import budget

    names = [n for n in ("DC_STEPS", "N_SAMPLES", "STACKED_STEPS") if n in namespace]
    small = FAST_BUDGETS["digits"]
    shrunk = budget(**{n: (namespace[n], small[n]) for n in names})
    namespace.update(zip(names, shrunk if len(names) > 1 else [shrunk]))
    return {
        "z_dim": namespace["Z_DIM"],
        "lr": namespace["DC_LR"],
        "seed": namespace["SEED"],
        "device": device,
    }


def stacked_experiment(
    models: Sequence[DigitModel],
    *,
    run: bool = True,
    steps: int,
    z_dim: int,
    lr: float,
    seed: int = 0,
    n_train: int = 50_000,
    n_samples: int = 26_000,
    device: str | torch.device = "cpu",
) -> dict[str, tuple[int, float]]:
    """Stacked MNIST (1,000 modes): train each model on ``n_train`` stacked digits, count modes.

    Same seed, steps and learning rate for every model; ``n_samples`` samples are classified
    channel by channel by the frozen classifier (:func:`utils.metrics.stacked_mnist_modes`).
    Records ``<model>_stacked_modes`` and ``<model>_stacked_kl``; returns them per model.
    With ``run=False`` (a notebook's ``STACKED`` parameter off) it only says how to run it.
    """
    if not run:
        print("Stacked MNIST not run (STACKED=False): run with STACKED=True on a GPU.")
        return {}
    from .. import record as record_metric
    from ..data import stacked_mnist
    from ..metrics import stacked_mnist_modes

    x, _ = stacked_mnist(n_train, seed=seed)
    out: dict[str, tuple[int, float]] = {}
    for m in models:
        torch.manual_seed(seed)
        G = m.generator(3)
        train_images(
            G, m.discriminator(3), m.d_loss, m.g_loss, x, steps=steps, z_dim=z_dim,
            lr_d=lr, lr_g=lr, seed=seed, device=device, name=f"{m.name}, stacked", inner=m.inner,
        )  # fmt: skip
        modes, kl = stacked_mnist_modes(generate_images(G, n_samples, z_dim, seed=seed + 2))
        record_metric(f"{m.key}_stacked_modes", modes)
        record_metric(f"{m.key}_stacked_kl", kl)
        out[m.name] = (modes, kl)
    return out


__all__ = ["DigitRun", "compare_digits", "digits_table", "image_setting", "stacked_experiment"]
