"""The capacity control of the 2-D tables: rectified flow (conditional flow matching), no game.

A non-adversarial generator of the shared setting's size, trained on the same budget (steps,
batch, seeds) by plain regression, tells whether a layout is *learnable in the setting*: when it
covers the layout and a GAN does not, the game is to blame; when it fails too, the network and the
budget are (Liu, Gong & Liu 2023, "Flow straight and fast"; Lipman et al. 2023, "Flow matching
for generative modeling").

The model: a velocity field ``v(x, t)`` (an MLP ``2 + 1 → hidden → hidden → 2``, the same hidden
layers as the setting's generator) is regressed on the straight-line velocity of a random pair,

    x_t = (1 − t)·x0 + t·x1,   x0 ~ N(0, I),  x1 ~ data,  t ~ U(0, 1),
    loss = E ‖v(x_t, t) − (x1 − x0)‖².

Its minimiser is the conditional mean ``E[x1 − x0 | x_t = x]``, and the ODE ``dx/dt = v(x, t)``
carries N(0, I) at t = 0 to the data at t = 1 (the marginals of x_t are preserved). Sampling
integrates that ODE from ``x0`` with a fixed-step solver (:func:`integrate`). For Gaussian data
the optimal field has a closed form (:func:`gaussian_velocity`), which the tests use.

In the ensemble: :class:`FlowGenerator` holds one velocity field per seed; ``G(z)`` takes the first
two noise coordinates as ``x0`` and integrates, so the harness samples it like any generator;
:func:`flow_loss` is the training step's loss, with ``t = Φ(z₃)`` (uniform on (0, 1) because
z₃ ~ N(0, 1)), so every random number comes from the member's own noise stream.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from .ensemble import mlp

#: The ODE solvers :func:`integrate` knows.
METHODS = ("euler", "midpoint")


class FlowGenerator(nn.Module):
    """``n`` velocity fields ``v(x, t)`` (``2 + 1 → hidden → hidden → 2`` ReLU MLPs), sampled by
    integrating ``dx/dt = v`` from ``x0 = z[..., :2]`` at t = 0 to t = 1.

    ``ode_steps`` solver steps of ``method`` (``"euler"``: one evaluation a step;
    ``"midpoint"``: two). Input ``z`` is ``(n, batch, z_dim)`` with ``z_dim ≥ 3`` standard
    normal coordinates (the third gives the training time, see :func:`flow_loss`).
    """

    def __init__(
        self,
        n: int,
        hidden: int,
        ode_steps: int = 10,
        method: str = "midpoint",
        init_std: float | None = None,
    ) -> None:
        super().__init__()
        if method not in METHODS:
            raise ValueError(f"FlowGenerator: unknown method {method!r}; use one of {METHODS}")
        if isinstance(ode_steps, bool) or not isinstance(ode_steps, int) or ode_steps < 1:
            raise ValueError(f"FlowGenerator: ode_steps must be a positive int, got {ode_steps!r}")
        self.net = mlp([3, hidden, hidden, 2], n, init_std=init_std)
        self.ode_steps, self.method = ode_steps, method

    def velocity(self, x: torch.Tensor, t: torch.Tensor | float) -> torch.Tensor:
        """``v(x, t)`` for ``x`` of shape ``(n, batch, 2)``; ``t`` a number or ``(n, batch, 1)``."""
        if not torch.is_tensor(t) or t.dim() == 0:
            t = torch.full_like(x[..., :1], float(t))
        return self.net(torch.cat([x, t], dim=-1))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.shape[-1] < 3:
            raise ValueError(f"FlowGenerator: z needs at least 3 coordinates, got {z.shape[-1]}")
        return integrate(self.velocity, z[..., :2], self.ode_steps, self.method)


def integrate(
    velocity: Any, x0: torch.Tensor, steps: int = 50, method: str = "midpoint"
) -> torch.Tensor:
    """Solve ``dx/dt = velocity(x, t)`` from ``x0`` at t = 0 to t = 1 in ``steps`` equal steps.

    ``"euler"``: ``x += h·v(x, t)``; ``"midpoint"``: ``x += h·v(x + h/2·v(x, t), t + h/2)``
    (second order: its error falls as h², Euler's as h).
    """
    if method not in METHODS:
        raise ValueError(f"integrate: unknown method {method!r}; use one of {METHODS}")
    h, x = 1.0 / steps, x0
    for i in range(steps):
        t = i * h
        v = velocity(x, t)
        if method == "midpoint":
            v = velocity(x + 0.5 * h * v, t + 0.5 * h)
        x = x + h * v
    return x


def flow_times(z: torch.Tensor) -> torch.Tensor:
    """``t = Φ(z₃)`` of shape ``(…, 1)``: uniform on (0, 1) for standard normal noise ``z``."""
    return 0.5 * (1.0 + torch.erf(z[..., 2:3] / math.sqrt(2.0)))


def flow_loss(generator: FlowGenerator, real: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """Conditional flow matching's loss per member, ``(n,)``: the mean over the batch of
    ``‖v(x_t, t) − (x1 − x0)‖²`` at ``x_t = (1 − t)·x0 + t·x1`` with ``x1 = real``,
    ``x0 = z[..., :2]`` and ``t = Φ(z₃)`` (:func:`flow_times`)."""
    x0, t = z[..., :2], flow_times(z)
    xt = (1 - t) * x0 + t * real
    return (generator.velocity(xt, t) - (real - x0)).pow(2).sum(-1).mean(-1)


def gaussian_velocity(
    x: torch.Tensor, t: float, mean: torch.Tensor | float, std: float
) -> torch.Tensor:
    """The optimal velocity field for data N(mean, std²·I) and independent x0 ~ N(0, I).

    ``E[x1 − x0 | x_t = x] = mean + (t·std² − (1 − t)) / ((1 − t)² + t²·std²) · (x − t·mean)``
    (the regression of x1 − x0 on x_t, both Gaussian). Its ODE carries N(0, I) to N(mean, std²I).
    """
    var = (1 - t) ** 2 + (t * std) ** 2
    return mean + (t * std**2 - (1 - t)) / var * (x - t * mean)


def flow_step(
    generator: nn.Module, discriminator: nn.Module, real: torch.Tensor, z: torch.Tensor
) -> torch.Tensor:
    """The training step :func:`utils.adversarial.train_2d` takes for the flow (no
    discriminator: its loss is :func:`flow_loss` on the step's real batch and noise)."""
    return flow_loss(generator, real, z)


class NoCritic(nn.Module):
    """The flow's stand-in for a discriminator: no parameters, nothing to train."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # pragma: no cover - never called
        raise RuntimeError("the flow has no discriminator")


__all__ = [
    "METHODS",
    "FlowGenerator",
    "NoCritic",
    "flow_loss",
    "flow_step",
    "flow_times",
    "gaussian_velocity",
    "integrate",
]
