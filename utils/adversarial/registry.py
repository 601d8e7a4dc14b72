"""The one model registry: every model of the course's tables, by family, key and role.

A *model spec* (:class:`ModelSpec`) is anything with a ``name`` (the label a table shows) and a
``key`` (the slug that prefixes recorded metrics and names benchmark cells, :func:`slug` of the
name unless given). Two dataclasses satisfy it: :class:`~.experiment.Model` (the 2-D mixtures)
and :class:`~.images.DigitModel` (28 × 28 digits). Every registered model is an :class:`Entry`:

* ``family`` — ``"2d"`` (the mixtures of notebooks 04-09 and the benchmark) or ``"stacked"``
  (stacked MNIST, 1,000 modes);
* ``role`` — ``"course"`` (a model a notebook teaches), ``"control"`` (a matched control: the
  same setting without one model's mechanism), ``"capacity"`` (the non-adversarial generator
  that says whether a layout is learnable in the setting) or ``"anchor"`` (a standard fix from
  outside the lecture: PacGAN, WGAN-GP).

:func:`models` is what the benchmark, the reports and the tests read; nothing else lists keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

FAMILIES = ("2d", "stacked")
ROLES = ("course", "control", "capacity", "anchor")


@runtime_checkable
class ModelSpec(Protocol):
    """What every model of a table has: a display ``name`` and a metric ``key``."""

    name: str
    key: str


def slug(name: str) -> str:
    """The one slug rule: a name lower-cased, letters and digits only ("GAN, 5 D-steps" →
    "gan5dsteps")."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class Entry:
    """One registered model: its key, family and role, and the factory that builds its spec
    (stacked factories take ``z_dim`` and ``channels`` keywords)."""

    key: str
    family: str
    role: str
    factory: Callable[..., Any]
    note: str = ""


def _entries() -> tuple[Entry, ...]:
    from . import anchors, losses
    from . import experiment as ex
    from . import stacked_models as st
    from .images import dcgan

    def two_d(key: str, role: str, factory: Callable[[], Any], note: str = "") -> Entry:
        return Entry(key, "2d", role, factory, note)

    def stacked(key: str, factory: Callable[..., Any]) -> Entry:
        return Entry(key, "stacked", "anchor" if key.startswith("pacgan") else "course", factory)

    return (
        two_d("gan", "course", ex.gan, "non-saturating GAN (04)"),
        two_d("gan5d", "course", lambda: ex.gan(d_steps=5), "GAN with 5 D-steps per G-step (04)"),
        two_d("d2gan", "course", ex.d2gan, "05"),
        two_d("mgan", "course", ex.mgan, "06, K = 4"),
        two_d("kgan", "course", ex.kgan, "07, max-max"),
        two_d("kernel_minmax", "control", ex.kernel_minmax, "KGAN's objective as a min-max (07)"),
        two_d("gen", "course", ex.gen, "08"),
        two_d("flow", "capacity", ex.flow, "rectified flow: is the layout learnable at all?"),
        two_d(
            "gan_sat",
            "control",
            lambda: ex.gan(
                g_loss=losses.gan_g_loss_saturating, name="GAN, saturating loss", key="gan_sat"
            ),
            "GAN with its minimax generator loss: D2GAN's generator-loss control (05)",
        ),
        two_d(
            "mmd_only",
            "control",
            lambda: ex.gen(0.0, 0.0, 1.0, name="MMD only", key="mmd_only"),
            "MMD² alone in the random-feature kernel: KGAN's and GEN's control (07, 08)",
        ),
        two_d(
            "mgan_k16",
            "control",
            lambda: ex.mgan(k=16, name="MGAN, K = 16", key="mgan_k16"),
            "MGAN with at least as many generators as any benchmark layout has modes (06)",
        ),
        two_d("pacgan2", "anchor", lambda: anchors.pacgan(2)),
        two_d("pacgan4", "anchor", lambda: anchors.pacgan(4)),
        two_d("wgangp", "anchor", anchors.wgan_gp),
        stacked("gan", lambda z_dim=64, channels=16: dcgan(z_dim, channels)),
        stacked("d2gan", lambda z_dim=64, channels=16: st.digit_d2gan(z_dim, channels)),
        stacked("mgan", lambda z_dim=64, channels=16: st.digit_mgan(z_dim, channels)),
        stacked("pacgan2", lambda z_dim=64, channels=16: st.digit_pacgan(z_dim, channels, 2)),
    )


def entries(family: str = "2d", roles: Iterable[str] | None = None) -> list[Entry]:
    """The registered models of ``family`` (in table order), optionally only some ``roles``."""
    if family not in FAMILIES:
        raise ValueError(f"unknown model family {family!r}; choose one of {', '.join(FAMILIES)}")
    wanted = tuple(ROLES if roles is None else roles)
    for role in wanted:
        if role not in ROLES:
            raise ValueError(f"unknown model role {role!r}; choose from {', '.join(ROLES)}")
    return [e for e in _entries() if e.family == family and e.role in wanted]


def models(family: str = "2d", roles: Iterable[str] | None = None) -> dict[str, Callable[..., Any]]:
    """Key → factory of the registered models of ``family`` (see :func:`entries`)."""
    return {e.key: e.factory for e in entries(family, roles)}


def keys(family: str = "2d", roles: Iterable[str] | None = None) -> list[str]:
    """The keys of :func:`models`, in table order."""
    return [e.key for e in entries(family, roles)]


def build(family: str, key: str, **kwargs: Any) -> Any:
    """The spec of registered model ``key`` of ``family``; an unknown key is one clear line."""
    found = models(family)
    if key not in found:
        raise ValueError(f"unknown {family} model {key!r}; choose from {', '.join(found)}")
    return found[key](**kwargs)


__all__ = [
    "FAMILIES",
    "ROLES",
    "Entry",
    "ModelSpec",
    "build",
    "entries",
    "keys",
    "models",
    "slug",
]
