"""GEN's enclosing ball (notebook 08): a soft minimal ball in random-feature space.

The paper (Le, Vu, Nguyen & Phung, IJCAI 2018) released no code; this is the course's reading.
The data's ball is support vector data description (SVDD) on the unit-norm random Fourier
features of :class:`~utils.adversarial.kernel.KernelCritic`:

    min_{a, R}  R² + C · mean_i [‖Φ(x_i) − a‖² − R²]_+

trained by Adam steps on data batches (:func:`svdd_loss`). With ‖Φ‖ = 1, "inside" is the
threshold ``aᵀΦ(x) ≥ ½(1 + ‖a‖² − R²)`` on a kernel expansion. The generator's terms
(:func:`gen_g_loss`): the enclosure of its samples in the data's ball (alone, it lets the
generator collapse onto any interior point), the two-sided term (the samples' own ball must
enclose the data) and the mean-embedding distance (MMD²) in the same feature space.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from .kernel import KernelCritic


class EnclosingBall(nn.Module):
    """``n_models`` soft minimal enclosing balls (SVDD) in random-feature space.

    The ball lives in the feature space of ``features``, a :class:`KernelCritic` (its weights
    unused): ``n_models`` members, frequencies per member, the median-heuristic widths, unit-norm
    Φ; e.g. ``EnclosingBall(KernelCritic(n_models, 2, 128, 4), c=20.0)``. ``centre``
    ``(n_models, 2·n_freq)`` and ``R² = softplus(rho)`` are trained by :func:`svdd_loss`. ``c``
    (> 1) prices points outside; at the optimum at most a share ``1/c`` of the data lies outside
    the ball.
    """

    def __init__(self, features: KernelCritic, c: float = 20.0) -> None:
        super().__init__()
        if not c > 1:
            raise ValueError(f"EnclosingBall: c must be > 1 (else the ball shrinks to 0), got {c}")
        n_models, n_freq = features.n_models, features.n_freq
        self.n_models, self.c, self.features = n_models, float(c), features
        self.centre = nn.Parameter(torch.zeros(n_models, 1, 2 * n_freq))
        self.rho = nn.Parameter(torch.zeros(n_models))
        self.state: dict[str, torch.Tensor] = {}

    @torch.no_grad()
    def init_member(self, i: int, generator: torch.Generator | None) -> None:
        """Member ``i`` restarts at the centre 0 with R² = softplus(0) = log 2."""
        self.centre[i] = 0.0
        self.rho[i] = 0.0
        self.state = {}

    def radius2(self) -> torch.Tensor:
        """R² per member, ``(n_models,)``."""
        return F.softplus(self.rho)

    def distance2(self, x: torch.Tensor, centre: torch.Tensor | None = None) -> torch.Tensor:
        """‖Φ(x) − a‖² per point, ``(n_models, n)``; ``centre`` defaults to the data's ball."""
        phi = self.features.features(x)
        a = self.centre if centre is None else centre
        return ((phi - a) ** 2).sum(-1)

    def inside(self, x: torch.Tensor) -> torch.Tensor:
        """``aᵀΦ(x) − ½(1 + ‖a‖² − R²)`` per point: ≥ 0 exactly inside the ball (‖Φ‖ = 1)."""
        phi = self.features.features(x)
        a = self.centre
        level = 0.5 * (1 + (a**2).sum(-1) - self.radius2()[:, None])
        return (phi * a).sum(-1) - level

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inside(x).unsqueeze(-1)


def svdd_loss(ball: EnclosingBall, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The data's soft ball: ``R² + C · mean_i [‖Φ(x_i) − a‖² − R²]_+`` per member.

    Called as the "discriminator" step of :func:`train_2d` (``fake`` unused); keeps the real
    batch for the generator's terms that need it.
    """
    ball.features.set_width(real)
    ball.state = {"real": real.detach()}
    r2 = ball.radius2()
    return r2 + ball.c * (ball.distance2(real) - r2[:, None]).clamp(min=0).mean(-1)


def enclosure(ball: EnclosingBall, fake: torch.Tensor) -> torch.Tensor:
    """The samples outside the data's ball, ``mean_j [‖Φ(G(z_j)) − a‖² − R²]_+`` (ball fixed)."""
    d2 = ((ball.features.features(fake) - ball.centre.detach()) ** 2).sum(-1)
    return (d2 - ball.radius2().detach()[:, None]).clamp(min=0).mean(-1)


def two_sided(ball: EnclosingBall, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The data outside the *samples'* ball: centre the samples' mean embedding, R² the
    ``1 − 1/c`` quantile of their distances to it (the share SVDD leaves outside); gradient
    reaches the generator through both."""
    phi = ball.features.features(fake)
    centre = phi.mean(-2, keepdim=True)
    r2 = torch.quantile(((phi - centre) ** 2).sum(-1), 1 - 1 / ball.c, dim=-1)
    return (ball.distance2(real, centre) - r2[:, None]).clamp(min=0).mean(-1)


def mmd2(ball: EnclosingBall, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Squared distance between the mean embeddings of data and samples (biased MMD²)."""
    phi_r, phi_f = ball.features.features(real), ball.features.features(fake)
    return ((phi_r.mean(-2) - phi_f.mean(-2)) ** 2).sum(-1)


def gen_g_loss(
    ball: EnclosingBall,
    fake: torch.Tensor,
    enclose: float = 1.0,
    two: float = 0.0,
    mmd: float = 0.0,
) -> torch.Tensor:
    """GEN's generator loss: ``enclose · enclosure + two · two_sided + mmd · MMD²`` per member.

    The real batch is the one :func:`svdd_loss` kept at this step's ball update.
    """
    if "real" not in ball.state:
        raise RuntimeError("gen_g_loss: run svdd_loss on a real batch first")
    real = ball.state["real"]
    loss = enclose * enclosure(ball, fake) if enclose else fake.new_zeros(fake.shape[0])
    if two:
        loss = loss + two * two_sided(ball, real, fake)
    if mmd:
        loss = loss + mmd * mmd2(ball, real, fake)
    return loss


__all__: list[Any] = [
    "EnclosingBall",
    "enclosure",
    "gen_g_loss",
    "mmd2",
    "svdd_loss",
    "two_sided",
]
