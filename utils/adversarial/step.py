"""One GAN step, shared by the 2-D loop (:func:`.loop.train_2d`) and the image loop
(:func:`.images.train_images`): ``d_steps`` discriminator steps on fresh batches, then one
generator step on fresh noise."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def descend(opt: torch.optim.Optimizer, loss: torch.Tensor) -> torch.Tensor:
    """One optimiser step on ``loss`` summed over members; returns the loss, detached."""
    opt.zero_grad(set_to_none=True)
    loss.sum().backward()
    opt.step()
    return loss.detach()


def gan_step(
    generator: nn.Module,
    discriminator: nn.Module,
    opt_d: torch.optim.Optimizer,
    opt_g: torch.optim.Optimizer,
    d_loss: Callable[[nn.Module, torch.Tensor, torch.Tensor], torch.Tensor],
    g_loss: Callable[[nn.Module, torch.Tensor], torch.Tensor],
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor],
    batches: Callable[[], tuple[torch.Tensor, torch.Tensor]],
    noise: Callable[[], torch.Tensor],
    d_steps: int = 1,
) -> dict[str, torch.Tensor]:
    """``d_steps`` times: ``(real, z) = batches()``, descend ``d_loss(D, real, G(z))`` with the
    generated batch detached; then descend ``g_loss(D, G(noise()))``. Returns the last two
    losses (means over members)."""
    for _ in range(d_steps):
        real, z = batches()
        with torch.no_grad():
            fake = sample(generator, z)
        loss_d = descend(opt_d, d_loss(discriminator, real, fake))
    loss_g = descend(opt_g, g_loss(discriminator, sample(generator, noise())))
    return {"d_loss": loss_d.mean(), "g_loss": loss_g.mean()}


__all__ = ["descend", "gan_step"]
