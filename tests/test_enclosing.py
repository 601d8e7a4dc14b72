"""GEN's enclosing ball: the SVDD objective, the inside test, the generator's terms."""

from __future__ import annotations

import pytest
import torch

from utils import adversarial as adv
from utils import data


@pytest.fixture
def ring_batch():
    s = adv.MemberStreams([0, 1])
    return s.real(data.ring(), 64), 0.3 * s.real(data.ring(), 48)


def fitted(points, c=10.0, steps=400, seeds=(0, 1)):
    ball = adv.EnclosingBall(adv.KernelCritic(len(seeds), 2, 64, 2), c)
    adv.init_members([ball], list(seeds))
    opt = torch.optim.Adam(ball.parameters(), lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        adv.svdd_loss(ball, points, None).sum().backward()
        opt.step()
    return ball


def test_inside_is_the_threshold_form(ring_batch):
    real, fake = ring_batch
    ball = fitted(real)
    d2 = ball.distance2(fake)
    assert torch.allclose(ball.inside(fake), 0.5 * (ball.radius2()[:, None] - d2), atol=1e-5)
    assert ball(fake).shape == (2, 48, 1)


def test_share_outside_follows_one_over_c():
    pts = adv.MemberStreams([3]).real(data.ring(), 400)
    for c in (2.0, 10.0):
        ball = fitted(pts, c=c, steps=800, seeds=(3,))
        share = float((ball.inside(pts) < 0).float().mean())
        assert share <= 1 / c + 0.05
    with pytest.raises(ValueError, match="c must be > 1"):
        adv.EnclosingBall(adv.KernelCritic(1), c=1.0)


def test_generator_terms(ring_batch):
    real, fake = ring_batch
    ball = fitted(real)
    adv.svdd_loss(ball, real, fake)  # keeps the real batch
    # a generator sitting at one interior point pays no enclosure
    with torch.no_grad():
        u = torch.linspace(-3, 3, 61)
        plane = torch.stack(torch.meshgrid(u, u, indexing="xy"), -1).reshape(1, -1, 2)
        plane = plane.expand(2, -1, -1)
        deepest = plane[0, ball.inside(plane)[0].argmax()]
    collapsed = deepest.expand(2, 32, 2)
    assert float(adv.enclosure(ball, collapsed)[0]) == 0.0
    # ... but MMD does not let it: far above the value for real data itself
    assert (adv.mmd2(ball, real, collapsed) > 10 * adv.mmd2(ball, real[:, :32], real[:, 32:])).all()
    assert torch.allclose(adv.mmd2(ball, real, real), torch.zeros(2), atol=1e-6)
    # the two-sided term: data inside the samples' own ball cost nothing when samples = data
    assert (adv.two_sided(ball, real, real) <= adv.two_sided(ball, real, collapsed)).all()
    total = adv.gen_g_loss(ball, fake, enclose=1.0, two=0.5, mmd=2.0)
    parts = (
        adv.enclosure(ball, fake)
        + 0.5 * adv.two_sided(ball, real, fake)
        + 2 * adv.mmd2(ball, real, fake)
    )
    assert torch.allclose(total, parts)
    assert torch.equal(adv.gen_g_loss(ball, fake, 0.0, 0.0, 0.0), torch.zeros(2))
    fresh = adv.EnclosingBall(adv.KernelCritic(2, 2, 128, 4))
    with pytest.raises(RuntimeError, match="svdd_loss"):
        adv.gen_g_loss(fresh, fake)


def test_gen_trains_in_the_shared_setting():
    s = adv.Setting2D(n_seeds=2, steps=15, batch=16, hidden=8, n_eval=300)
    model = adv.registry.build("2d", "gen")
    assert model.key == "gen"
    comp = adv.compare_2d([model], [data.ring()], s, progress=False)
    assert comp["GEN", "ring"].samples.shape == (2, 300, 2)
    merged = comp.merge(
        adv.compare_2d(
            [adv.gan()], [data.ring(), data.grid(3, 2.0, 0.05, key="grid")], s, progress=False
        )
    )
    merged.record()  # GEN has no grid row: skipped, not a KeyError
    from utils import RECORDS

    assert "gen_ring_covered_se" in RECORDS and "gan_grid_covered" in RECORDS
