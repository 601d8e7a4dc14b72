"""The digit models of the stacked-MNIST benchmark family: GAN, D2GAN, MGAN and PacGAN2.

Package versions of the digit models notebooks 04-06 build in their own cells (DCGAN networks,
each model's losses), so that ``python -m utils.benchmark --family stacked`` can train them
outside the notebooks; ``tests/test_taught_models.py`` checks MGAN's image generators against
notebook 06's.
"""

from __future__ import annotations

import functools

import torch
from torch import nn

from .images import DCDiscriminator, DCGenerator, DigitModel
from .losses import (
    TwoDiscriminators,
    d2gan_d_loss,
    d2gan_g_loss,
    gan_d_loss,
    gan_g_loss,
    generator_ids,
    mgan_d_loss,
    mgan_g_loss,
)


class DigitGenerators(nn.Module):
    """``k`` DCGAN generators sharing the body (transposed convolutions); each owns its head.

    Samples come generator by generator (:func:`generator_ids`), as in notebook 06.
    """

    def __init__(self, k: int, z_dim: int = 64, channels: int = 16, out_channels: int = 1):
        super().__init__()
        base = DCGenerator(z_dim, channels, out_channels)
        others = [DCGenerator(z_dim, channels, out_channels).head for _ in range(k - 1)]
        self.heads = nn.ModuleList([base.head, *others])
        self.body = base.body

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        ids = generator_ids(len(z), len(self.heads), z.device)
        return self.body(torch.cat([h(z[ids == j]) for j, h in enumerate(self.heads)]))


def pack_images(x: torch.Tensor, m: int) -> torch.Tensor:
    """PacGAN's packing for images: ``m`` consecutive images become one of ``m·C`` channels."""
    n = (x.shape[0] // m) * m
    return x[:n].reshape(n // m, m * x.shape[1], *x.shape[2:])


def digit_d2gan(z_dim: int, channels: int, alpha: float = 0.2, beta: float = 0.1) -> DigitModel:
    """D2GAN on images: two DCGAN discriminators, α and β of notebook 05's digits."""
    return DigitModel(
        "D2GAN",
        lambda c: DCGenerator(z_dim, channels, out_channels=c),
        lambda c: TwoDiscriminators(DCDiscriminator(channels, c), DCDiscriminator(channels, c)),
        functools.partial(d2gan_d_loss, alpha=alpha, beta=beta),
        functools.partial(d2gan_g_loss, beta=beta),
    )


def digit_mgan(z_dim: int, channels: int, k: int = 10, beta: float = 0.01) -> DigitModel:
    """MGAN on images: ``k`` generators, one trunk with 1 + k heads (notebook 06's digits)."""
    return DigitModel(
        "MGAN",
        lambda c: DigitGenerators(k, z_dim, channels, out_channels=c),
        lambda c: DCDiscriminator(channels, in_channels=c, outputs=1 + k),
        lambda D, real, fake: mgan_d_loss(D, real, fake, k=k),
        lambda D, fake: mgan_g_loss(D, fake, k=k, beta=beta),
    )


def digit_pacgan(z_dim: int, channels: int, m: int = 2) -> DigitModel:
    """PacGAN on images: the discriminator reads ``m`` images packed along the channels."""
    return DigitModel(
        f"PacGAN{m}",
        lambda c: DCGenerator(z_dim, channels, out_channels=c),
        lambda c: DCDiscriminator(channels, in_channels=m * c),
        lambda D, real, fake: gan_d_loss(D, pack_images(real, m), pack_images(fake, m)),
        lambda D, fake: gan_g_loss(D, pack_images(fake, m)),
    )


__all__ = [
    "DigitGenerators",
    "digit_d2gan",
    "digit_mgan",
    "digit_pacgan",
    "pack_images",
]
