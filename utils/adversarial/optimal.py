"""The 1-D optimal-player check: a network trained against two known densities."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn


def fit_discriminator_1d(
    objective: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor],
    p_data: Callable[[np.ndarray], np.ndarray],
    p_model: Callable[[np.ndarray], np.ndarray],
    *,
    outputs: int = 1,
    hidden: int = 64,
    steps: int = 3000,
    lr: float = 3e-3,
    lo: float = -6.0,
    hi: float = 6.0,
    points: int = 2001,
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
