"""Ensembles of small networks: one module holds the networks of several seeds.

:class:`EnsembleLinear` layers (weights ``(members, in, out)``, one batched product) make
:func:`mlp`; :func:`init_members` seeds member *i* from seed *i* alone; :class:`MemberStreams`
gives each member its own data and noise stream.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import nn


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
    """Initialise member ``i`` of every per-member layer in ``modules`` from ``seeds[i]`` alone.

    Member ``i``'s weights then depend on its seed only, not on how many members train
    together: seed 3 trained in a group of five starts exactly as seed 3 trained alone.

    The protocol: every submodule that owns parameters or buffers must be *per-member*: have
    ``n_models`` (a multiple of the number of seeds; seed ``i`` owns members
    ``i·per … (i+1)·per − 1``) and ``init_member(j, generator)``, which (re)draws member ``j``
    from ``generator`` — :class:`EnsembleLinear` does; KGAN's random-feature layers and GEN's
    feature maps must too. Anything else (an ``nn.Linear``, a batch norm) cannot be seeded per
    member and raises, naming the module, instead of silently sharing one draw between seeds.
    """
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("init_members: give at least one seed")
    layers = []
    for module in modules:
        for name, sub in module.named_modules():
            owns = any(True for _ in sub.parameters(recurse=False)) or any(
                True for _ in sub.buffers(recurse=False)
            )
            if not owns:
                continue
            if not (hasattr(sub, "init_member") and hasattr(sub, "n_models")):
                where = name or "<root>"
                raise TypeError(
                    f"init_members: {type(sub).__name__} at {where!r} has parameters but "
                    "no per-member initialisation (n_models and init_member(j, generator)); build "
                    "it from EnsembleLinear or give it those two"
                )
            if sub.n_models % len(seeds):
                raise ValueError(
                    f"init_members: {type(sub).__name__} at {name or '<root>'!r} has "
                    f"{sub.n_models} members, not a multiple of {len(seeds)} seeds"
                )
            layers.append(sub)
    for i, seed in enumerate(seeds):
        g = torch.Generator().manual_seed(seed)
        for layer in layers:
            per = layer.n_models // len(seeds)
            for j in range(per):
                layer.init_member(i * per + j, g)


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
