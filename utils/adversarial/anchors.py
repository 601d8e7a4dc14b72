"""The field's standard fixes, as anchors for the benchmark: PacGAN and WGAN-GP.

Facts from their papers (``shared/reference/evaluation.md``): PacGAN (Lin et al., NeurIPS 2018)
lets the discriminator see ``m`` samples concatenated (packing, m = 2 or 4), generator unchanged;
WGAN-GP (Gulrajani et al., NeurIPS 2017) has a critic without sigmoid and the gradient penalty
``λ · E(‖∇D(x̂)‖ − 1)²`` on random interpolates, λ = 10, 5 critic steps per generator step. In
the benchmark both run in the course's shared setting (its networks, Adam and budget), so they
are compared on equal footing rather than at their papers' own optimiser settings.
"""

from __future__ import annotations

import torch
from torch import nn

from .ensemble import mlp
from .experiment import Model, Setting2D
from .losses import gan_d_loss, gan_g_loss


def pack(x: torch.Tensor, m: int) -> torch.Tensor:
    """``(members, n, d)`` → ``(members, n // m, m·d)``: m consecutive samples side by side."""
    members, n, d = x.shape
    if n % m:
        raise ValueError(f"pack: the batch ({n}) must be a multiple of the packing degree {m}")
    return x.reshape(members, n // m, m * d)


def pacgan(m: int = 2, name: str | None = None, key: str | None = None) -> Model:
    """PacGAN-m: GAN's losses on packed batches; the discriminator reads ``2m`` inputs."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        critic = mlp([2 * m, setting.hidden, setting.hidden, 1], n, init_std=setting.init_std)
        return setting.generator(n), critic

    def dl(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        return gan_d_loss(D, pack(real, m), pack(fake, m))

    def gl(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
        return gan_g_loss(D, pack(fake, m))

    return Model(name or f"PacGAN{m}", build, dl, gl, key=key or f"pacgan{m}")


def wgan_gp_d_loss(
    critic: nn.Module, real: torch.Tensor, fake: torch.Tensor, lam: float = 10.0
) -> torch.Tensor:
    """``E D(fake) − E D(real) + λ E(‖∇D(x̂)‖ − 1)²``, x̂ on random segments real–fake (per member).

    The interpolation weights come from torch's global generator (seeded by the run), so a
    member's numbers depend on the whole seed set here, unlike the other models.
    """
    n = min(real.shape[-2], fake.shape[-2])
    eps = torch.rand(real.shape[0], n, 1, device=real.device)
    mix = (eps * real[:, :n] + (1 - eps) * fake[:, :n]).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mix).sum(), mix, create_graph=True)
    penalty = ((grad.norm(dim=-1) - 1) ** 2).mean(-1)
    return critic(fake).mean((-2, -1)) - critic(real).mean((-2, -1)) + lam * penalty


def wgan_g_loss(critic: nn.Module, fake: torch.Tensor) -> torch.Tensor:
    """The generator raises the critic's score on its samples: ``−E D(G(z))``."""
    return -critic(fake).mean((-2, -1))


def wgan_gp(
    d_steps: int = 5, lam: float = 10.0, name: str = "WGAN-GP", key: str = "wgangp"
) -> Model:
    """WGAN-GP: the setting's critic network as a critic, gradient penalty λ, 5 critic steps."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), setting.critic(n)

    def dl(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        return wgan_gp_d_loss(D, real, fake, lam)

    return Model(name, build, dl, wgan_g_loss, d_steps=d_steps, key=key)


__all__ = ["pack", "pacgan", "wgan_gp", "wgan_gp_d_loss", "wgan_g_loss"]
