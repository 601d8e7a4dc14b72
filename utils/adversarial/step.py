"""One training step. :func:`gan_step`, shared by the 2-D loop (:func:`.loop.train_2d`) and the
image loop (:func:`.images.train_images`): ``d_steps`` discriminator steps on fresh batches, then
one generator step on fresh noise. The 2-D loop's two other kinds of step: :func:`inner_step`
(KGAN: the discriminator's problem solved on the step's batch) and :func:`solo_step` (the flow:
a model's own loss, no game)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

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


def inner_step(
    generator: nn.Module,
    discriminator: nn.Module,
    opt_g: torch.optim.Optimizer,
    inner: Callable[[nn.Module, torch.Tensor, torch.Tensor], Mapping[str, torch.Tensor]],
    g_loss: Callable[[nn.Module, torch.Tensor], torch.Tensor],
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor],
    batches: Callable[[], tuple[torch.Tensor, torch.Tensor]],
) -> dict[str, torch.Tensor]:
    """``(real, z) = batches()``; ``inner(D, real, G(z))`` solves the discriminator's problem on
    this batch (generated batch detached) and returns values to log; then descend
    ``g_loss(D, G(z))`` on the *same* generated batch, as Danskin's theorem asks. Returns the
    logged values and the generator's loss (means over members)."""
    real, z = batches()
    fake = sample(generator, z)
    logs = inner(discriminator, real, fake.detach())
    loss_g = descend(opt_g, g_loss(discriminator, fake))
    return {**{k: v.detach().mean() for k, v in logs.items()}, "g_loss": loss_g.mean()}


def solo_step(
    generator: nn.Module,
    discriminator: nn.Module,
    opt_g: torch.optim.Optimizer,
    solo_loss: Callable[..., torch.Tensor],
    batches: Callable[[], tuple[torch.Tensor, torch.Tensor]],
) -> dict[str, torch.Tensor]:
    """``(real, z) = batches()``; descend a non-adversarial model's own loss per member,
    ``solo_loss(G, D, real, z)``, with the generator's optimiser alone (the flow,
    :mod:`.flow`). Returns the loss (mean over members) as ``g_loss``."""
    real, z = batches()
    return {"g_loss": descend(opt_g, solo_loss(generator, discriminator, real, z)).mean()}


__all__ = ["descend", "gan_step", "inner_step", "solo_step"]
