"""The capacity control (rectified flow / conditional flow matching, utils.adversarial.flow)."""

from __future__ import annotations

import math

import pytest
import torch

from utils.adversarial.flow import (
    FlowGenerator,
    NoCritic,
    flow_loss,
    flow_step,
    flow_times,
    gaussian_velocity,
    integrate,
)


def test_closed_form_field_carries_the_normal_to_the_gaussian():
    """Integrating the optimal field of a Gaussian pair maps N(0, 1) to N(m, s²) exactly:
    x0 ↦ m + s·x0 (the straight-line map), so the ODE solver and the closed form agree."""
    mean, std = torch.tensor([1.5, -0.5]), 0.3
    x0 = torch.linspace(-3, 3, 13).repeat(2, 1).T.reshape(1, 13, 2)
    for method, steps, tol in (("midpoint", 50, 1e-3), ("euler", 400, 1e-2)):
        x1 = integrate(lambda x, t: gaussian_velocity(x, t, mean, std), x0, steps, method)
        torch.testing.assert_close(x1, mean + std * x0, rtol=0, atol=tol)


def test_closed_form_is_the_conditional_mean():
    """Monte Carlo check of E[x1 − x0 | x_t ≈ x] against gaussian_velocity (1-D, t = 0.4)."""
    g = torch.Generator().manual_seed(0)
    m, s, t, n = 2.0, 0.5, 0.4, 2_000_000
    x0, x1 = torch.randn(n, generator=g), m + s * torch.randn(n, generator=g)
    xt = (1 - t) * x0 + t * x1
    for x in (-0.5, 0.8, 1.5):
        near = (xt - x).abs() < 0.01
        mc = (x1 - x0)[near].mean()
        assert float(mc) == pytest.approx(
            float(gaussian_velocity(torch.tensor(x), t, m, s)), abs=0.03
        )


def test_times_are_uniform():
    z = torch.randn(1, 200_000, 3, generator=torch.Generator().manual_seed(1))
    t = flow_times(z)
    assert t.shape == (1, 200_000, 1) and 0 < float(t.min()) and float(t.max()) < 1
    assert float(t.mean()) == pytest.approx(0.5, abs=0.005)
    assert float(t.var()) == pytest.approx(1 / 12, abs=0.002)


def test_loss_is_zero_for_the_straight_line_velocity():
    """The loss per member regresses on x1 − x0: a field returning exactly that costs 0."""
    G = FlowGenerator(2, 8)
    z = torch.randn(2, 5, 16)
    real = torch.randn(2, 5, 2)
    target = real - z[..., :2]
    G.velocity = lambda x, t: target  # type: ignore[method-assign]
    assert torch.equal(flow_loss(G, real, z), torch.zeros(2))
    G.velocity = lambda x, t: target + 1.0  # type: ignore[method-assign]
    torch.testing.assert_close(flow_loss(G, real, z), torch.full((2,), 2.0))


def _train(mean: float, std: float, steps: int = 2000) -> tuple[FlowGenerator, torch.Tensor]:
    torch.manual_seed(0)
    G = FlowGenerator(2, 32, ode_steps=20)
    opt = torch.optim.Adam(G.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for _ in range(steps):
        z = torch.randn(2, 256, 3)
        real = mean + std * torch.randn(2, 256, 2)
        loss = flow_step(G, NoCritic(), real, z)
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        x = G(torch.randn(2, 20_000, 3))
    return G, x


def test_flow_learns_a_gaussian_mean_variance_and_field():
    """Trained by regression alone, two members learn N(1, 0.5²) in 2-D: the samples' mean and
    standard deviation, and the velocity field against the closed form where the mass is."""
    mean, std = 1.0, 0.5
    G, x = _train(mean, std)
    torch.testing.assert_close(x.mean(1), torch.full((2, 2), mean), rtol=0, atol=0.05)
    torch.testing.assert_close(x.std(1), torch.full((2, 2), std), rtol=0, atol=0.05)
    with torch.no_grad():
        for t in (0.25, 0.5, 0.75):
            scale = math.sqrt((1 - t) ** 2 + (t * std) ** 2)
            pts = t * mean + scale * torch.randn(
                2, 500, 2, generator=torch.Generator().manual_seed(2)
            )
            exact = gaussian_velocity(pts, t, mean, std)
            size = float(exact.norm(dim=-1).mean())
            err = float((G.velocity(pts, t) - exact).norm(dim=-1).mean())
            assert err < 0.12 * size, (t, err, size)
            # a neighbouring field (data std 1 instead of 0.5) is far outside that tolerance
            wrong = float((gaussian_velocity(pts, t, mean, 1.0) - exact).norm(dim=-1).mean())
            assert wrong > 2 * err


def test_flow_in_the_shared_harness_covers_the_ring():
    """Through train_2d's ``solo_loss`` (the benchmark's path): a short run on the ring covers
    most of its modes; the discriminator stand-in has nothing to train."""
    from utils.adversarial.loop import train_2d
    from utils.data import ring

    mix = ring(8, 2.0, 0.02**0.5)
    r = train_2d(
        FlowGenerator(2, 64, ode_steps=20),
        NoCritic(),
        None,
        None,
        mix,
        seeds=[0, 1],
        steps=600,
        batch=128,
        z_dim=16,
        lr_g=1e-3,
        n_eval=1000,
        solo_loss=flow_step,
        progress=False,
    )
    assert r.metrics["covered"].min() >= 6
    assert r.metrics["hq"].mean() > 0.4


def test_bad_input_fails_clearly():
    with pytest.raises(ValueError, match="method"):
        FlowGenerator(1, 8, method="rk4")
    with pytest.raises(ValueError, match="ode_steps"):
        FlowGenerator(1, 8, ode_steps=0)
    with pytest.raises(ValueError, match="3 coordinates"):
        FlowGenerator(1, 8)(torch.zeros(1, 4, 2))
