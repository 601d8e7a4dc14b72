"""The paper-scale preset: PacGAN's 2-D networks, optimiser and budget, for a GPU.

PacGAN's Table 1 (24.8 of 25 grid modes for PacGAN4) comes from networks and a budget far
beyond the course's CPU setting (``../shared/reference/evaluation.md``): a generator
``z (2-D) → 4 × [400, batch norm, ReLU] → 2``, a discriminator ``2 → 3 × [200, maxout of 5
pieces] → 1``, weights N(0, 0.02²) and zero biases, Adam at 1e-4 with β1 = 0.8, batches of 100
and about 400,000 steps. :class:`PaperSetting` is a :class:`~.setting.Setting2D` that builds
those networks (as ensembles: every seed trains in one batched module), so every model of the
registry runs at that scale unchanged::

    python -m utils.benchmark --preset paper --device cuda          # the GPU run
    python -m utils.benchmark --preset paper --fast                 # a CPU check of the path

The course's reading where the paper's code is not followed: batch norm always normalises with
the statistics of the batch it sees (training batches of 100, evaluation batches of ``n_eval``)
and keeps no running averages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from .ensemble import EnsembleLinear
from .setting import Setting2D


class EnsembleBatchNorm(nn.Module):
    """Batch normalisation of ``n_models`` members, each over its own batch axis.

    Input ``(n_models, batch, features)``; member ``i`` has its own scale and shift (1 and 0
    at initialisation) and is normalised with the mean and variance of its own batch.
    """

    def __init__(self, n_models: int, features: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.n_models, self.eps = n_models, eps
        self.weight = nn.Parameter(torch.ones(n_models, 1, features))
        self.bias = nn.Parameter(torch.zeros(n_models, 1, features))

    @torch.no_grad()
    def init_member(self, i: int, generator: torch.Generator | None) -> None:
        """Member ``i`` back to scale 1 and shift 0 (nothing is drawn)."""
        self.weight[i].fill_(1.0)
        self.bias[i].zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(1, keepdim=True)
        var = x.var(1, unbiased=False, keepdim=True)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


class EnsembleMaxout(nn.Module):
    """A maxout layer of ``n_models`` members: ``pieces`` linear maps, their element-wise max."""

    def __init__(
        self, n_models: int, in_features: int, out_features: int, pieces: int, init_std: float
    ) -> None:
        super().__init__()
        self.out_features, self.pieces = out_features, pieces
        self.linear = EnsembleLinear(n_models, in_features, out_features * pieces, init_std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.linear(x)
        return y.reshape(*y.shape[:-1], self.out_features, self.pieces).amax(-1)


#: PacGAN's optimiser and budget (the networks' sizes are :class:`PaperSetting`'s fields).
PAPER: dict[str, Any] = {
    "z_dim": 2,
    "hidden": 400,
    "batch": 100,
    "lr_g": 1e-4,
    "lr_d": 1e-4,
    "betas": (0.8, 0.999),
    "init_std": 0.02,
    "steps": 400_000,
    "n_eval": 2500,
}


#: Registered models the preset does not run, and why.
PAPER_SKIPS: dict[str, str] = {
    "flow": "the flow draws its time from a third noise coordinate and PacGAN's z is 2-D; at this"
    " scale the paper's own PacGAN4 row (24.8 of 25 grid modes) shows the layouts are learnable",
}


@dataclass(frozen=True)
class PaperSetting(Setting2D):
    """:class:`Setting2D` with PacGAN's networks: ``g_layers`` hidden layers of ``hidden`` units
    with batch norm in the generator, ``d_layers`` maxout layers of ``d_hidden`` units of
    ``pieces`` pieces in the discriminator. Build it with :func:`paper_setting`."""

    preset: str = field(default="paper")
    g_layers: int = 4
    d_hidden: int = 200
    d_layers: int = 3
    pieces: int = 5

    def generator(self, n: int) -> nn.Module:
        """``n`` generators ``z_dim → g_layers × [hidden, batch norm, ReLU] → 2``."""
        layers: list[nn.Module] = []
        width = self.z_dim
        for _ in range(self.g_layers):
            layers += [
                EnsembleLinear(n, width, self.hidden, self.init_std),
                EnsembleBatchNorm(n, self.hidden),
                nn.ReLU(),
            ]
            width = self.hidden
        return nn.Sequential(*layers, EnsembleLinear(n, width, 2, self.init_std))

    def critic(self, n: int, outputs: int = 1) -> nn.Module:
        """``n`` discriminators ``2 → d_layers × [d_hidden, maxout of pieces] → outputs``."""
        std = float(self.init_std or 0.02)
        layers: list[nn.Module] = []
        width = 2
        for _ in range(self.d_layers):
            layers.append(EnsembleMaxout(n, width, self.d_hidden, self.pieces, std))
            width = self.d_hidden
        return nn.Sequential(*layers, EnsembleLinear(n, width, outputs, std))


def paper_setting(**overrides: Any) -> PaperSetting:
    """PacGAN's setting (:data:`PAPER`) with ``overrides`` (e.g. ``steps``, ``n_seeds``,
    ``device``); unknown names raise one clear line."""
    unknown = sorted(set(overrides) - set(PaperSetting.__dataclass_fields__))
    if unknown:
        raise ValueError(f"paper_setting: unknown field(s) {', '.join(unknown)}")
    return PaperSetting(**{**PAPER, **overrides})


__all__ = [
    "PAPER",
    "PAPER_SKIPS",
    "EnsembleBatchNorm",
    "EnsembleMaxout",
    "PaperSetting",
    "paper_setting",
]
