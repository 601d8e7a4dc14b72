"""Networks of the 2-D experiment beyond a plain :func:`mlp`: MGAN's K generators per seed."""

from __future__ import annotations

import torch
from torch import nn

from .ensemble import EnsembleLinear, mlp
from .losses import generator_ids


class Generators2D(nn.Module):
    """MGAN's K generators for every seed: each owns its first layer, all share the rest.

    Input ``(seeds, n, z)``, output ``(seeds, n, 2)``: sample ``i`` of a batch is made by
    generator :func:`generator_ids` ``(n, K)[i]`` (blocks of ⌊n/K⌋ or ⌈n/K⌉ samples). One
    :class:`EnsembleLinear` holds the ``seeds × K`` first layers; every generator's first layer is
    applied to the whole batch and each sample keeps its own generator's row (the first layer is
    small, so this costs little and loses no sample when K does not divide n).
    """

    def __init__(
        self,
        n_seeds: int,
        k: int,
        z_dim: int,
        hidden: int,
        layers: int = 2,
        init_std: float | None = None,
    ) -> None:
        super().__init__()
        self.k = k
        self.first = EnsembleLinear(n_seeds * k, z_dim, hidden, init_std)
        self.shared = mlp([hidden] * layers + [2], n_seeds, init_std=init_std)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        s, n, d = z.shape
        zz = z.unsqueeze(1).expand(s, self.k, n, d).reshape(s * self.k, n, d)
        h = torch.relu(self.first(zz)).reshape(s, self.k, n, -1)
        ids = generator_ids(n, self.k, z.device)
        h = h[:, ids, torch.arange(n, device=z.device)]  # (s, n, hidden): own generator's row
        return self.shared(h)
