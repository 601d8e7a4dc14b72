"""Losses of the adversarial models, as functions of the discriminator and the batches.

Each takes the discriminator module and tensors whose first dimension is the ensemble member
(or none, for the image models) and returns one loss per member. The notebooks that teach a
model write its losses out; these are the reference copies the later notebooks re-run
(``tests/test_adversarial.py`` ties each notebook's copy to these).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


def gan_d_loss(discriminator: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """GAN's discriminator loss −V(D, G) = −log D(x) − log(1 − D(G(z))), D = sigmoid(logit).

    Notebook 04 derives it; it is the baseline that notebooks 05-08 re-run beside their own
    model. Averages over the last two dimensions (samples, outputs), keeping the ensemble one.
    """
    on_real = F.softplus(-discriminator(real)).mean((-2, -1))
    return on_real + F.softplus(discriminator(fake)).mean((-2, -1))


def gan_g_loss(discriminator: nn.Module, fake: torch.Tensor) -> torch.Tensor:
    """GAN's non-saturating generator loss −log D(G(z)) (notebook 04)."""
    return F.softplus(-discriminator(fake)).mean((-2, -1))


def gan_g_loss_saturating(discriminator: nn.Module, fake: torch.Tensor) -> torch.Tensor:
    """GAN's minimax (saturating) generator loss log(1 − D(G(z))) = −softplus(d) (notebook 04)."""
    return -F.softplus(discriminator(fake)).mean((-2, -1))


def log_softplus(a: torch.Tensor) -> torch.Tensor:
    """log(softplus(a)), finite for every a: softplus(a) ≈ exp(a) when a < −20 (notebook 05)."""
    return torch.where(a < -20, a, torch.log(F.softplus(a.clamp(min=-20))))


class TwoDiscriminators(nn.Module):
    """D2GAN's D1 and D2 as separate networks; returns their scores (..., 2) (notebook 05)."""

    def __init__(self, d1: nn.Module, d2: nn.Module) -> None:
        super().__init__()
        self.d1, self.d2 = d1, d2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.d1(x), self.d2(x)], dim=-1)


def d2gan_d_loss(
    discriminator: nn.Module,
    real: torch.Tensor,
    fake: torch.Tensor,
    alpha: float | torch.Tensor = 1.0,
    beta: float | torch.Tensor = 1.0,
) -> torch.Tensor:
    """D2GAN's discriminator loss −α log D1(x) + D1(G(z)) + D2(x) − β log D2(G(z)), D = softplus.

    Notebook 05 derives it; the reference copy later notebooks re-run D2GAN with.
    """
    s_real, s_fake = discriminator(real), discriminator(fake)
    on_real = -alpha * log_softplus(s_real[..., 0]) + F.softplus(s_real[..., 1])
    on_fake = F.softplus(s_fake[..., 0]) - beta * log_softplus(s_fake[..., 1])
    return on_real.mean(-1) + on_fake.mean(-1)


def d2gan_g_loss(
    discriminator: nn.Module, fake: torch.Tensor, beta: float | torch.Tensor = 1.0
) -> torch.Tensor:
    """D2GAN's generator loss −D1(G(z)) + β log D2(G(z)) (notebook 05)."""
    s_fake = discriminator(fake)
    return (-F.softplus(s_fake[..., 0]) + beta * log_softplus(s_fake[..., 1])).mean(-1)


# --------------------------------------------------------------------------- MGAN (notebook 06)


def generator_ids(n: int, k: int, device: torch.device | str | None = None) -> torch.Tensor:
    """Which of ``k`` generators made each of ``n`` samples laid out generator by generator.

    Generator ``j`` makes the samples ``i`` with ``⌊i·k/n⌋ = j``: blocks whose sizes differ by
    at most one, so all ``n`` samples are made (none dropped when ``k`` does not divide ``n``).
    """
    return torch.arange(n, device=device) * k // n


def classifier_xent(logits: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
    """−log C_id(x) averaged over samples; ``logits`` (..., n, K), ``ids`` (n,)."""
    logp = logits.log_softmax(-1)
    return -logp.gather(-1, ids.expand(logp.shape[:-1]).unsqueeze(-1)).squeeze(-1).mean(-1)


def mgan_d_loss(
    discriminator: nn.Module, real: torch.Tensor, fake: torch.Tensor, k: int = 4
) -> torch.Tensor:
    """MGAN's D/C loss: GAN's discriminator loss on output 0, plus the classifier's
    cross-entropy −log C_k(G_k(z)) on the fakes (outputs 1..K; weight 1, as the official code)."""
    out_real, out_fake = discriminator(real), discriminator(fake)
    ids = generator_ids(out_fake.shape[-2], k, out_fake.device)
    gan = gan_d_loss(lambda x: x[..., :1], out_real, out_fake)
    return gan + classifier_xent(out_fake[..., 1:], ids)


def mgan_g_loss(
    discriminator: nn.Module, fake: torch.Tensor, k: int = 4, beta: float | torch.Tensor = 0.05
) -> torch.Tensor:
    """MGAN's generator loss: non-saturating GAN loss plus β times the classifier's
    cross-entropy (the generators want to be told apart)."""
    out_fake = discriminator(fake)
    ids = generator_ids(out_fake.shape[-2], k, out_fake.device)
    xent = classifier_xent(out_fake[..., 1:], ids)
    return gan_g_loss(lambda x: x[..., :1], out_fake) + beta * xent
