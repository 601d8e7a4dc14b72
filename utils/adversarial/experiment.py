"""The 2-D model specs: :class:`Model` (a name, a builder and two losses), one factory per
model of notebooks 04-08 (their keys: :mod:`.registry`).

The setting lives in :mod:`.setting` and the comparison in :mod:`.compare`; both are
re-exported here so ``from utils.adversarial.experiment import Setting2D, compare_2d`` works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from . import losses
from .compare import Comparison, compare_2d
from .enclosing import EnclosingBall, gen_g_loss, svdd_loss
from .flow import FlowGenerator, NoCritic, flow_step
from .kernel import KernelCritic, kernel_d_loss, kernel_g_loss, kgan_g_loss, kgan_inner
from .loop import LossFn
from .networks import Generators2D
from .registry import slug
from .setting import (  # noqa: F401 (re-exported)
    IMAGE_SPECS,
    LAYOUT_DEFAULTS,
    SETTING_SPECS,
    Setting2D,
    from_params,
    setting_defaults,
    shared_setting,
)

# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class Model:
    """One adversarial model of the 2-D table: how to build ``n`` of it, and its two losses.

    ``build(setting, n)`` returns ``(generator, discriminator)`` ensembles of ``n`` members;
    ``d_steps`` discriminator steps per generator step; ``sample(G, z)`` turns noise into
    samples (default ``G(z)``); ``colors(n)`` labels ``n`` samples for the figures (MGAN's
    generator ids). ``key`` prefixes the recorded metrics (default: the name, lower-cased,
    letters and digits only). ``inner(D, real, fake)`` (KGAN) solves the discriminator's problem
    on each step's batch instead of ``d_loss``'s Adam steps (see :func:`train_2d`);
    ``solo_loss(G, D, real, z)`` (the flow) is a model's own loss with no game.
    """

    name: str
    build: Callable[[Setting2D, int], tuple[nn.Module, nn.Module]]
    d_loss: LossFn | None
    g_loss: LossFn
    d_steps: int = 1
    sample: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = None
    colors: Callable[[int], np.ndarray] | None = None
    key: str = ""
    inner: Callable[..., Any] | None = None
    solo_loss: Callable[..., torch.Tensor] | None = None

    def __post_init__(self) -> None:
        if not self.key:  # the one slug rule: "GAN, 5 D-steps" -> "gan5dsteps"
            object.__setattr__(self, "key", slug(self.name))

    @property
    def metric_key(self) -> str:
        """The same as :attr:`key` (the prefix of this model's recorded metrics)."""
        return self.key


def _plain(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
    return setting.generator(n), setting.critic(n)


def gan(
    d_steps: int = 1,
    d_loss: LossFn = losses.gan_d_loss,
    g_loss: LossFn = losses.gan_g_loss,
    name: str | None = None,
    key: str = "",
) -> Model:
    """GAN with the non-saturating generator loss; ``d_steps=5`` is the second standing baseline.

    Default names: "GAN" (key ``gan``) and "GAN, 5 D-steps" (key ``gan5d``).
    """
    default = "GAN" if d_steps == 1 else f"GAN, {d_steps} D-steps"
    default_key = "gan" if d_steps == 1 else f"gan{d_steps}d"
    return Model(name or default, _plain, d_loss, g_loss, d_steps=d_steps, key=key or default_key)


def d2gan(
    alpha: float = 1.0,
    beta: float = 1.0,
    d_loss: LossFn = losses.d2gan_d_loss,
    g_loss: LossFn = losses.d2gan_g_loss,
    *,
    name: str = "D2GAN",
    key: str = "",
) -> Model:
    """D2GAN (notebook 05): two softplus discriminators of the setting's architecture."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), losses.TwoDiscriminators(setting.critic(n), setting.critic(n))

    def dl(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        return d_loss(D, real, fake, alpha=alpha, beta=beta)

    def gl(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
        return g_loss(D, fake, beta=beta)

    return Model(name, build, dl, gl, key=key)


def mgan(
    k: int = 4,
    beta: float = 0.05,
    d_loss: LossFn | None = None,
    g_loss: LossFn | None = None,
    name: str = "MGAN",
    key: str = "",
    generators: Callable[..., nn.Module] = Generators2D,
) -> Model:
    """MGAN (notebook 06): K generators sharing all but the first layer, D and C on one trunk.

    ``generators(n_seeds, k, z_dim, hidden, init_std=…)`` builds the K generators of every seed
    (default :class:`Generators2D`; notebook 06 passes its own copy); the losses default to
    :func:`.losses.mgan_d_loss` and :func:`.losses.mgan_g_loss`.
    """
    d_loss = d_loss or losses.mgan_d_loss
    g_loss = g_loss or losses.mgan_g_loss

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        G = generators(n, k, setting.z_dim, setting.hidden, init_std=setting.init_std)
        return G, setting.critic(n, 1 + k)

    def dl(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        return d_loss(D, real, fake, k=k)

    def gl(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
        return g_loss(D, fake, k=k, beta=beta)

    return Model(name, build, dl, gl, colors=lambda n: losses.generator_ids(n, k).numpy(), key=key)


def kgan(
    lam: float = 0.1,
    n_freq: int = 128,
    n_widths: int = 4,
    iters: int = 200,
    tol: float = 1e-4,
    inner: Callable[..., Any] = kgan_inner,
    g_loss: LossFn = kgan_g_loss,
    name: str = "KGAN",
    key: str = "",
) -> Model:
    """KGAN (notebook 07), max–max: a kernel discriminator on random Fourier features whose
    hinge dual is solved on every batch (to duality gap ``tol``), the generator ascending it."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), KernelCritic(n, 2, n_freq, n_widths)

    def solve(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> Any:
        return inner(D, real, fake, lam, iters, tol)

    return Model(name, build, None, g_loss, key=key, inner=solve)


def kernel_minmax(
    lam: float = 0.1,
    n_freq: int = 128,
    n_widths: int = 4,
    d_loss: Callable[..., torch.Tensor] = kernel_d_loss,
    g_loss: LossFn = kernel_g_loss,
    name: str = "kernel min-max",
    key: str = "kernel_minmax",
) -> Model:
    """KGAN's objective played as a min–max (notebook 07): the same kernel discriminator, its
    weights taking Adam steps on the regularised hinge loss, alternating with the generator."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), KernelCritic(n, 2, n_freq, n_widths, learn_w=True)

    def dl(D: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        return d_loss(D, real, fake, lam)

    return Model(name, build, dl, g_loss, key=key)


def gen(
    enclose: float = 1.0,
    two: float = 0.0,
    mmd: float = 1.0,
    c: float = 20.0,
    n_freq: int = 128,
    n_widths: int = 4,
    d_loss: Callable[..., torch.Tensor] = svdd_loss,
    g_loss: Callable[..., torch.Tensor] = gen_g_loss,
    name: str = "GEN",
    key: str = "",
) -> Model:
    """GEN (notebook 08), the course's reading: the data's soft enclosing ball in random-feature
    space takes Adam steps on SVDD; the generator minimises ``enclose`` × its samples outside
    the ball + ``two`` × the data outside the samples' ball + ``mmd`` × MMD² (no game)."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        return setting.generator(n), EnclosingBall(KernelCritic(n, 2, n_freq, n_widths), c)

    def gl(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
        return g_loss(D, fake, enclose, two, mmd)

    return Model(name, build, d_loss, gl, key=key)


def flow(ode_steps: int = 10, method: str = "midpoint", name: str = "flow") -> Model:
    """The capacity control (:mod:`.flow`): rectified flow / conditional flow matching, a
    velocity field with the generator's hidden layers, trained by regression on the same steps,
    batches and seeds, sampled by ``ode_steps`` steps of ``method``. No discriminator."""

    def build(setting: Setting2D, n: int) -> tuple[nn.Module, nn.Module]:
        G = FlowGenerator(n, setting.hidden, ode_steps, method, init_std=setting.init_std)
        return G, NoCritic()

    return Model(name, build, None, _no_g_loss, key="flow", solo_loss=flow_step)


def _no_g_loss(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:  # pragma: no cover
    """Never called: the flow trains by its ``solo_loss``."""
    raise RuntimeError("the flow has no generator loss against a discriminator")


__all__ = [
    "Comparison",
    "LAYOUT_DEFAULTS",
    "Model",
    "SETTING_SPECS",
    "Setting2D",
    "compare_2d",
    "d2gan",
    "flow",
    "from_params",
    "gan",
    "gen",
    "kernel_minmax",
    "kgan",
    "mgan",
    "replace",
    "setting_defaults",
]
