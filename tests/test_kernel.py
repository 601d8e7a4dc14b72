"""KGAN's kernel discriminator: features, the hinge dual and its solver, the max–max step."""

from __future__ import annotations

import math

import pytest
import torch

from utils import adversarial as adv
from utils import data


def critic_on(real, n_freq=64, n_widths=4, seeds=(0, 1, 2), **kw):
    c = adv.KernelCritic(len(seeds), real.shape[-1], n_freq, n_widths, **kw)
    adv.init_members([c], list(seeds))
    c.set_width(real)
    return c


@pytest.fixture
def batch():
    s = adv.MemberStreams([0, 1, 2])
    real = s.real(data.ring(), 24)
    fake = 0.5 * s.real(data.ring(), 20) + 1.0  # unequal halves on purpose
    return real, fake


def test_features_unit_norm_median_and_kernel(batch):
    real, _ = batch
    c = critic_on(real)
    phi = c.features(real)
    assert phi.shape == (3, 24, 128)
    assert torch.allclose(phi.norm(dim=-1), torch.ones(3, 24), atol=1e-5)
    d = torch.cdist(real[1], real[1])
    iu = torch.triu_indices(24, 24, 1)
    assert c.median[1, 0, 0] == pytest.approx(float(d[iu[0], iu[1]].median()))
    assert torch.allclose(c.widths()[1], c.median[1, 0, 0] / torch.tensor([1.0, 2, 4, 8]))
    # the width stays fixed after the first batch
    before = c.median.clone()
    c.set_width(real * 10)
    assert torch.equal(before, c.median)
    # more frequencies, a better kernel approximation
    small = critic_on(real, n_freq=16, n_widths=1)
    big = critic_on(real, n_freq=16384, n_widths=1)
    assert adv.rff_kernel_error(big, real[0]) < 0.05 < adv.rff_kernel_error(small, real[0])


def test_members_depend_on_their_own_seed(batch):
    real, _ = batch
    three = critic_on(real, seeds=(0, 1, 2))
    alone = critic_on(real[1:2], seeds=(1,))
    assert torch.equal(three.omega[1], alone.omega[0])
    assert not torch.equal(three.omega[0], three.omega[1])


def test_bad_configuration_and_order_errors(batch):
    real, fake = batch
    with pytest.raises(ValueError, match="multiple of n_widths"):
        adv.KernelCritic(1, 2, 10, 4)
    c = adv.KernelCritic(3, 2, 16, 2)
    with pytest.raises(RuntimeError, match="set_width"):
        c.features(real)
    with pytest.raises(RuntimeError, match="kgan_inner"):
        adv.kgan_g_loss(c, fake)


@pytest.mark.parametrize("lam", [0.01, 0.1, 2.0])
def test_dual_solve_reaches_the_optimum(batch, lam):
    real, fake = batch
    c = critic_on(real)
    logs = adv.kgan_inner(c, real, fake, lam=lam, iters=5000, tol=1e-5)  # float32 features
    assert (logs["gap"] < 1e-5).all() and (logs["gap"] > -1e-6).all()
    alpha = c.state["alpha"]
    a = torch.cat([c.features(real), -c.features(fake)], -2)
    margins = (a @ c.w).squeeze(-1)
    # KKT of the hinge, as far as the gap certifies it: P - D is the mean over points of the
    # complementary slackness (1 - alpha)(1 - m) inside the margin and alpha (m - 1) outside
    slack = torch.where(margins < 1, (1 - alpha) * (1 - margins), alpha * (margins - 1))
    assert (slack > -1e-6).all()
    assert torch.allclose(slack.mean(-1).double(), logs["gap"], rtol=0, atol=2e-6)
    assert (slack.max(-1).values <= a.shape[-2] * 1e-5 + 1e-5).all()  # no point far from KKT
    # weak duality: no alpha in the box beats the primal value at w(alpha*)
    primal = adv.hinge_primal(a, c.w, lam)
    g = torch.Generator().manual_seed(0)
    for _ in range(5):
        other = torch.rand(alpha.shape, generator=g)
        assert (adv.hinge_dual_value(a, other, lam) <= primal + 1e-6).all()
    # the generator's loss is minus the dual value at the optimum
    assert torch.allclose(adv.kgan_g_loss(c, fake), -logs["dual"], atol=1e-6)
    if lam == 2.0:  # heavy regularisation: every margin < 1, every alpha = 1 (MMD)
        assert torch.equal(alpha, torch.ones_like(alpha))


def test_gram_gap_matches_the_primal_minus_dual(batch):
    real, fake = batch
    c = critic_on(real)
    a = torch.cat([c.features(real), -c.features(fake)], -2)
    alpha = torch.rand(a.shape[:-1], generator=torch.Generator().manual_seed(1))
    w = a.transpose(-2, -1) @ alpha.unsqueeze(-1) / (0.1 * a.shape[-2])
    expected = adv.hinge_primal(a, w, 0.1) - adv.hinge_dual_value(a, alpha, 0.1)
    got = adv.duality_gap(a, alpha, 0.1)
    assert got.dtype == torch.float64  # the gap is summed in float64
    assert torch.allclose(got.float(), expected, atol=1e-5)


def test_each_seed_solves_its_dual_as_if_alone():
    """A member stops at its own duality gap: its steps and alpha do not depend on the others.

    Members with features scaled from 0.3 to 1 need from 0 to about 240 steps; before, every
    member ran until the slowest had converged (and its alpha drifted on meanwhile)."""
    g = torch.Generator().manual_seed(0)
    a = torch.nn.functional.normalize(torch.randn(6, 64, 16, generator=g), dim=-1)
    a = a * torch.linspace(0.3, 1.0, 6)[:, None, None]
    alpha, gap, used = adv.hinge_dual(a, 0.01, None, 400, 1e-4)
    assert used.shape == (6,) and len(set(used.tolist())) > 3  # the members stop apart
    for i in range(6):
        alone, gap_alone, used_alone = adv.hinge_dual(a[i : i + 1], 0.01, None, 400, 1e-4)
        assert int(used_alone[0]) == int(used[i])
        assert torch.allclose(alone[0], alpha[i], rtol=0, atol=1e-5)
        assert torch.allclose(gap_alone[0], gap[i], rtol=0, atol=1e-7)
    # the factored products A(Aᵀα) give the Gram matrix's gap
    q = a.double() @ a.double().transpose(-2, -1)
    qa = (q @ alpha.double().unsqueeze(-1)).squeeze(-1)
    n, lam = a.shape[-2], 0.01
    by_gram = (
        (1 - qa / (lam * n)).clamp(min=0).mean(-1)
        + (alpha * qa).sum(-1) / (lam * n * n)
        - alpha.double().mean(-1)
    )
    assert torch.allclose(adv.duality_gap(a, alpha, lam), by_gram, rtol=0, atol=1e-12)


def test_danskin_gradient_matches_finite_differences():
    """d/dθ max_α D(α; θ) equals the gradient of D at α* (one-member 1-D toy, float64)."""
    q = torch.linspace(-1.5, 1.5, 16, dtype=torch.float64)
    real = (1.0 + q).unsqueeze(-1)
    c = adv.KernelCritic(1, 1, 32, 2).double()
    adv.init_members([c], [3])
    c.set_width(real)

    def value(theta: float) -> float:
        c.w.zero_()
        return float(adv.kgan_inner(c, real, (theta + q).unsqueeze(-1), 0.05, 20000, 1e-13)["dual"])

    theta = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    fake = (theta + q).unsqueeze(-1)
    c.w.zero_()
    adv.kgan_inner(c, real, fake.detach(), 0.05, 20000, 1e-13)
    (grad,) = torch.autograd.grad(-adv.kgan_g_loss(c, fake)[0], [theta])
    h = 1e-4
    numeric = (value(0.3 + h) - value(0.3 - h)) / (2 * h)
    assert grad.item() == pytest.approx(numeric, rel=1e-3, abs=1e-6)


def test_minmax_losses(batch):
    """Both min-max losses against the primal written out point by point in float64."""
    real, fake = batch  # 24 real and 20 generated points per member: N = 44
    lam = 0.1
    c = critic_on(real, learn_w=True)
    assert isinstance(c.w, torch.nn.Parameter)
    with torch.no_grad():
        c.w.normal_(generator=torch.Generator().manual_seed(0))
    d_loss = adv.kernel_d_loss(c, real, fake, lam)
    g_loss = adv.kernel_g_loss(c, fake)
    phi_r, phi_f = c.features(real).double(), c.features(fake).double()
    w = c.w.detach().double().reshape(3, -1)
    for m in range(3):
        real_terms = [max(0.0, 1 - float(phi_r[m, i] @ w[m])) for i in range(24)]
        fake_terms = [max(0.0, 1 + float(phi_f[m, j] @ w[m])) for j in range(20)]
        primal = 0.5 * lam * float(w[m] @ w[m]) + (sum(real_terms) + sum(fake_terms)) / 44
        assert float(d_loss[m]) == pytest.approx(primal, rel=1e-5, abs=0)
        # the generator's loss is -P's generated part with N = 2 x generated points (training
        # draws as many real as generated points); with 20 of each that is /40, not /44
        assert float(g_loss[m]) == pytest.approx(-sum(fake_terms) / 40, rel=1e-5, abs=0)
        assert float(g_loss[m]) != pytest.approx(-sum(fake_terms) / 44, rel=1e-3, abs=0)


def test_kgan_and_minmax_train_in_the_shared_setting():
    s = adv.Setting2D(n_seeds=2, steps=12, batch=16, hidden=8, n_eval=300)
    models = [adv.registry.build("2d", "kgan"), adv.registry.build("2d", "kernel_minmax")]
    assert [m.key for m in models] == ["kgan", "kernel_minmax"]
    comp = adv.compare_2d(models, [data.ring()], s, progress=False)
    h = comp["KGAN", "ring"].history
    assert {"dual", "gap", "iters", "g_loss"} <= set(h) and "d_loss" not in h
    assert max(h["gap"]) < 1e-4
    assert "d_loss" in comp["kernel min-max", "ring"].history
    with pytest.raises(ValueError, match="no parameters"):
        G = s.generator(2)
        adv.train_2d(G, adv.KernelCritic(2, 2, 8, 1), None, adv.kgan_g_loss, data.ring(),
                     seeds=[0, 1], steps=1, progress=False)  # fmt: skip


@pytest.mark.parametrize("learn", [False, True])
def test_kgan_on_images_with_a_trunk(learn):
    images = torch.rand(40, 1, 28, 28)
    trunk = adv.DCDiscriminator(4).trunk
    critic = adv.KernelCritic(1, 4 * 2 * 49, 32, 2, trunk=trunk, learn_trunk=learn)
    before = [p.clone() for p in trunk.parameters()]
    G = adv.DCGenerator(8, 4)
    res = adv.train_images(
        G, critic, adv.kgan_trunk_loss if learn else None, adv.kgan_g_loss, images,
        steps=3, batch=8, z_dim=8, progress=False, inner=adv.kgan_inner,
    )  # fmt: skip
    assert {"dual", "gap", "g_loss"} <= set(res.history)
    moved = any(not torch.equal(b, p) for b, p in zip(before, trunk.parameters()))
    assert moved == learn
    assert critic(images[:5]).shape == (5, 1)
    assert math.isfinite(res.history["g_loss"][-1])
