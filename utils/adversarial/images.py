"""The 28×28 image experiments: small DCGAN networks, their loop and evaluation."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from .loop import LossFn, _default_sample, _train_pair, adam
from .registry import slug
from .step import descend, gan_step


class DCGenerator(nn.Module):
    """A small DCGAN generator for 28×28 images: z → 2c·7·7 → 2c@14² → ``out_channels``@28².

    ``head`` (linear + batch norm + ReLU) maps noise to a 7×7 feature map; ``body``
    (two transposed convolutions) upsamples it; the output is in [−1, 1] (tanh). MGAN gives each
    of its generators its own ``head`` and shares the ``body``.
    """

    def __init__(self, z_dim: int = 64, channels: int = 32, out_channels: int = 1) -> None:
        super().__init__()
        c = channels
        self.z_dim = z_dim
        self.head = nn.Sequential(
            nn.Linear(z_dim, 2 * c * 7 * 7),
            nn.Unflatten(1, (2 * c, 7, 7)),
            nn.BatchNorm2d(2 * c),
            nn.ReLU(),
        )
        self.body = nn.Sequential(
            nn.ConvTranspose2d(2 * c, c, 4, 2, 1),
            nn.BatchNorm2d(c),
            nn.ReLU(),
            nn.ConvTranspose2d(c, out_channels, 4, 2, 1),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.body(self.head(z))


class DCDiscriminator(nn.Module):
    """A small DCGAN discriminator for 28×28 images, ``outputs`` raw scores per image.

    ``trunk``: conv 4×4/2 → LeakyReLU 0.2 → conv 4×4/2 → LeakyReLU → flatten; ``head``: one
    linear layer. No batch norm: with 4,000 training digits, a batch-normed discriminator gave
    a worse class balance in the course's trials (class KL 0.13 against 0.05 at equal budget).
    D2GAN reads two outputs (its two discriminators' scores); MGAN reads 1 + K (discriminator
    and classifier heads on one trunk, as in its official code).
    """

    def __init__(self, channels: int = 32, in_channels: int = 1, outputs: int = 1) -> None:
        super().__init__()
        c = channels
        self.trunk = nn.Sequential(
            nn.Conv2d(in_channels, c, 4, 2, 1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(c, 2 * c, 4, 2, 1),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
        )
        self.head = nn.Linear(2 * c * 7 * 7, outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.trunk(x))


@dataclass
class ImageResult:
    """What :func:`train_images` returns."""

    name: str
    steps: int
    history: dict[str, list[float]]
    snapshots: dict[int, torch.Tensor]  # step -> fixed-noise samples in [0, 1]
    wall_s: float


def to_unit(x: torch.Tensor) -> torch.Tensor:
    """Map generator outputs from [−1, 1] to [0, 1] (what the classifier and plots expect)."""
    return ((x + 1) / 2).clamp(0, 1)


def train_images(
    generator: nn.Module,
    discriminator: nn.Module,
    d_loss: LossFn,
    g_loss: LossFn,
    images: torch.Tensor,
    *,
    steps: int,
    batch: int = 64,
    z_dim: int = 64,
    lr_d: float = 2e-4,
    lr_g: float = 2e-4,
    betas: tuple[float, float] = (0.5, 0.999),
    seed: int = 0,
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = None,
    snapshot_steps: Sequence[int] = (),
    n_fixed: int = 50,
    name: str = "model",
    device: str | torch.device = "cpu",
    log_every: int = 10,
    progress: bool = True,
    inner: LossFn | None = None,
) -> ImageResult:
    """The DCGAN loop on images ``(N, C, 28, 28)`` in [0, 1] (rescaled to [−1, 1] inside).

    Each step: one Adam step on ``d_loss(discriminator, real, fake.detach())``, then one on
    ``g_loss(discriminator, fake)`` with fresh noise; batches are drawn by reshuffling the data
    every epoch with a generator seeded by ``seed``. Samples from a fixed noise batch are kept
    at ``snapshot_steps``. The same loss functions as in :func:`train_2d` work here, because the
    discriminator's output is ``(batch, outputs)`` instead of ``(members, batch, outputs)``.
    ``inner`` replaces the discriminator's Adam step by a solve on the step's own batch, as in
    :func:`train_2d` (KGAN); if the discriminator still has trainable parameters (a learned
    feature trunk), one Adam step on ``d_loss`` follows the solve.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"train_images: steps must be a non-negative int, got {steps!r}")
    if images.ndim != 4 or images.shape[-2:] != (28, 28):
        raise ValueError(f"train_images: want images (N, C, 28, 28), got {tuple(images.shape)}")
    device = torch.device(device)
    torch.manual_seed(seed)
    sample = sample or _default_sample
    generator.to(device).train()
    discriminator.to(device).train()
    data = (2 * images.float() - 1).to(device)
    gen = torch.Generator().manual_seed(seed)
    fixed = torch.randn(n_fixed, z_dim, generator=gen).to(device)
    d_params = [p for p in discriminator.parameters() if p.requires_grad]
    opt_d = adam(d_params, lr_d, betas) if d_params else None
    opt_g = adam(list(generator.parameters()), lr_g, betas)
    if inner is None and opt_d is None:
        raise ValueError("train_images: the discriminator has no parameters; give an inner solve")
    snapshot_steps = {int(s) for s in snapshot_steps}
    snapshots: dict[int, torch.Tensor] = {}
    order = torch.randperm(len(data), generator=gen)
    pos = 0

    def snap(step: int) -> None:
        generator.eval()
        with torch.no_grad():
            snapshots[step] = to_unit(sample(generator, fixed)).cpu()
        generator.train()

    def step_fn(step: int) -> dict[str, float]:
        nonlocal order, pos
        if step in snapshot_steps:
            snap(step)
        if pos + batch > len(data):
            order, pos = torch.randperm(len(data), generator=gen), 0
        real = data[order[pos : pos + batch].to(device)]
        pos += batch
        z = torch.randn(batch, z_dim, generator=gen).to(device)
        if inner is not None:
            fake = sample(generator, z)
            logs = inner(discriminator, real, fake.detach())
            if opt_d is not None and d_loss is not None:  # learned features: a second player
                descend(opt_d, d_loss(discriminator, real, fake.detach()))
            loss_g = descend(opt_g, g_loss(discriminator, fake)).sum()
            return {**{k: v.detach().mean() for k, v in logs.items()}, "g_loss": loss_g}
        assert opt_d is not None
        return gan_step(
            generator, discriminator, opt_d, opt_g, d_loss, g_loss, sample,
            lambda: (real, z), lambda: torch.randn(batch, z_dim, generator=gen).to(device),
        )  # fmt: skip

    start = time.perf_counter()
    pair = {"G": generator, "D": discriminator, "opt_g": opt_g}
    if opt_d is not None:
        pair["opt_d"] = opt_d
    history = _train_pair(step_fn, steps, f"{name} on images", pair, log_every, progress)
    if steps in snapshot_steps:
        snap(steps)
    generator.eval()
    return ImageResult(name, steps, history, snapshots, time.perf_counter() - start)


def generate_images(
    generator: nn.Module,
    n: int,
    z_dim: int,
    seed: int = 0,
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = None,
    batch: int = 500,
) -> torch.Tensor:
    """``n`` samples in [0, 1] on the CPU, generator in eval mode, noise seeded by ``seed``."""
    sample = sample or _default_sample
    device = next(generator.parameters()).device
    z = torch.randn(n, z_dim, generator=torch.Generator().manual_seed(seed))
    generator.eval()
    out = []
    with torch.no_grad():
        for i in range(0, n, batch):
            out.append(to_unit(sample(generator, z[i : i + batch].to(device))).cpu())
    return torch.cat(out)


def evaluate_images(
    fake: torch.Tensor, n_fd: int = 1000, classifier: nn.Module | None = None
) -> dict[str, Any]:
    """Fréchet distance (first ``n_fd`` samples vs the 1,000 test digits), its floor and classes.

    Returns ``fd``; ``fd_floor`` (the same distance from 1,000 *training* digits to the test
    digits: what a perfect generator would score at this N); ``class_hist`` (share of each
    digit the frozen classifier sees among all of ``fake``) and ``class_kl`` (its KL to
    uniform; 0 when every digit is equally frequent, log 10 ≈ 2.30 for a single digit).
    """
    from ..classifier import load_classifier
    from ..data import mnist5k
    from ..metrics import class_histogram, frechet_distance, kl_to_uniform, predict_digits

    if fake.ndim != 4 or fake.shape[1:] != (1, 28, 28):
        raise ValueError(f"evaluate_images: want samples (N, 1, 28, 28), got {tuple(fake.shape)}")
    if len(fake) < n_fd:
        raise ValueError(f"evaluate_images: need at least n_fd={n_fd} samples, got {len(fake)}")
    clf = classifier if classifier is not None else load_classifier()
    data = mnist5k()
    test = data.test.x[:n_fd]
    hist = class_histogram(predict_digits(fake, clf))
    return {
        "fd": frechet_distance(test, fake[:n_fd], clf),
        "fd_floor": frechet_distance(test, data.train.x[:n_fd], clf),
        "class_hist": hist,
        "class_kl": kl_to_uniform(hist),
    }


def nearest_training_images(
    samples: torch.Tensor, train: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """For each sample, the closest training image in pixel space (Euclidean) and its distance.

    Shows whether a generator copies its training set (distance near 0) or makes new digits.
    """
    a = samples.reshape(len(samples), -1).float()
    b = train.reshape(len(train), -1).float()
    # the direct form, not the matrix-product one: an image is at distance exactly 0 from itself
    d = torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist")
    dist, idx = d.min(1)
    return train[idx], dist


# --------------------------------------------------------------------------- digit models


@dataclass(frozen=True)
class DigitModel:
    """A model of the digit experiments: how to build it for ``c`` channels, and its losses.

    ``generator(c)`` makes ``c``-channel 28×28 images from ``z_dim`` noise; ``discriminator(c)``
    reads them (1 channel for mnist5k, 3 for stacked MNIST).
    """

    name: str
    generator: Callable[[int], nn.Module]
    discriminator: Callable[[int], nn.Module]
    d_loss: LossFn | None
    g_loss: LossFn
    inner: LossFn | None = None  # KGAN: a solve on each step's batch replaces d_loss's Adam step
    key: str = ""  # prefix of the recorded metrics; default: the one slug rule on the name

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", slug(self.name))


def dcgan(z_dim: int, channels: int, name: str = "GAN") -> DigitModel:
    """The course's DCGAN (notebook 04) as a :class:`DigitModel`: GAN's losses, DCGAN networks."""
    from .losses import gan_d_loss, gan_g_loss

    return DigitModel(
        name,
        lambda c: DCGenerator(z_dim, channels, out_channels=c),
        lambda c: DCDiscriminator(channels, in_channels=c),
        gan_d_loss,
        gan_g_loss,
    )
