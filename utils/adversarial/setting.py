"""The shared 2-D setting: what every model of notebooks 04-08 is trained with.

:class:`Setting2D` pins networks, initialisation, optimiser, budget and seeds, so the GAN row is
the same row in every notebook; its notebook parameters (``SEED`` … ``GRID_STD``) and their
specs are :data:`SETTING_SPECS`; :func:`shared_setting` is a 2-D notebook's set-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from torch import nn

from ..mixtures import LAYOUT_DEFAULTS
from ..params import Bool, Choice, Float, Int, Spec
from .ensemble import mlp

# --------------------------------------------------------------------------- the setting


@dataclass(frozen=True)
class Setting2D:
    """The shared 2-D setting (the CPU defaults of notebooks 04-08).

    Generator ``z_dim → hidden → hidden → 2`` and discriminator ``2 → hidden → hidden → out``
    (ReLU MLPs, PyTorch's default initialisation), Adam with β = ``betas`` at ``lr_g`` for the
    generator and ``lr_d`` for the discriminator (two time-scales, Heusel et al. 2017: a faster
    discriminator), ``steps`` generator steps of ``batch`` real and ``batch`` generated points, one
    batched ensemble of ``n_seeds`` seeds ``seed, seed + 1, …``; ``n_eval`` samples per seed
    for the metrics. Invalid values raise a one-line ``ValueError`` at construction.
    """

    seed: int = 0
    n_seeds: int = 10
    steps: int = 2000
    batch: int = 128
    z_dim: int = 16
    hidden: int = 64
    lr_g: float = 1e-3
    lr_d: float = 1e-2
    betas: tuple[float, float] = (0.5, 0.999)
    init_std: float | None = None
    n_eval: int = 2500
    device: str = "cpu"

    def __post_init__(self) -> None:
        # one set of bounds: the notebook parameters' specs (_PARAMS) check the fields too
        for name, (key, spec) in _PARAMS.items():
            if key in self.__dataclass_fields__:
                try:
                    spec.check(key, getattr(self, key))
                except ValueError as exc:
                    why = " (a standard error needs two seeds)" if key == "n_seeds" else ""
                    raise ValueError(f"Setting2D: {exc}{why} (notebook parameter {name})") from None
        if self.init_std is not None and not self.init_std > 0:
            raise ValueError(f"Setting2D: init_std must be positive or None, got {self.init_std!r}")

    @property
    def seeds(self) -> list[int]:
        """The seeds of the ensemble: ``seed, seed + 1, …, seed + n_seeds − 1``."""
        return list(range(self.seed, self.seed + self.n_seeds))

    def generator(self, n: int) -> nn.Module:
        """``n`` generators ``z_dim → hidden → hidden → 2``."""
        return mlp([self.z_dim, self.hidden, self.hidden, 2], n, init_std=self.init_std)

    def critic(self, n: int, outputs: int = 1) -> nn.Module:
        """``n`` discriminators ``2 → hidden → hidden → outputs`` (raw scores)."""
        return mlp([2, self.hidden, self.hidden, outputs], n, init_std=self.init_std)

    def train_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`train_2d` this setting fixes."""
        fixed = ("steps", "batch", "z_dim", "lr_d", "lr_g", "betas", "n_eval", "device")
        return {"seeds": self.seeds, **{k: getattr(self, k) for k in fixed}}


#: Notebook parameter → (Setting2D field or layout argument, spec). Every 2-D notebook declares
#: these parameters with the defaults below and validates them with ``**adv.SETTING_SPECS``.
_PARAMS: dict[str, tuple[str, Spec]] = {
    "SEED": ("seed", Int(min=0)),
    "N_SEEDS": ("n_seeds", Int(min=2, max=256)),
    "STEPS_2D": ("steps", Int(min=1)),
    "BATCH_2D": ("batch", Int(min=1)),
    "Z_DIM_2D": ("z_dim", Int(min=1)),
    "HIDDEN_2D": ("hidden", Int(min=1)),
    "LR_G_2D": ("lr_g", Float(min=1e-6, max=1.0)),
    "LR_D_2D": ("lr_d", Float(min=1e-6, max=1.0)),
    "N_EVAL": ("n_eval", Int(min=100)),
    "RING_MODES": ("ring_modes", Int(min=2, max=100)),
    "RING_RADIUS": ("ring_radius", Float(min=0.1, max=100.0)),
    "RING_STD": ("ring_std", Float(min=1e-4, max=10.0)),
    "GRID_SIDE": ("grid_side", Int(min=2, max=20)),
    "GRID_SPACING": ("grid_spacing", Float(min=0.1, max=100.0)),
    "GRID_STD": ("grid_std", Float(min=1e-4, max=10.0)),
}
SETTING_SPECS: dict[str, Spec] = {name: spec for name, (_, spec) in _PARAMS.items()}

#: The digit experiments' common parameters (notebooks 04-06 declare them with their own
#: defaults and validate them with ``**adv.IMAGE_SPECS``), and the device.
IMAGE_SPECS: dict[str, Spec] = {
    "DC_STEPS": Int(min=1),
    "DC_CHANNELS": Int(min=1),
    "DC_LR": Float(min=1e-6, max=1.0),
    "Z_DIM": Int(min=1),
    "N_SAMPLES": Int(min=1000),
    "STACKED": Bool(),
    "STACKED_STEPS": Int(min=1),
    "DEVICE": Choice("auto", "cpu", "cuda", "mps"),
}


def setting_defaults() -> dict[str, Any]:
    """The notebook parameters' defaults (``SEED``, ``N_SEEDS``, …, ``GRID_STD``)."""
    base = {**asdict(Setting2D()), **LAYOUT_DEFAULTS}
    return {name: base[key] for name, (key, _) in _PARAMS.items()}


def from_params(namespace: Mapping[str, Any], device: Any = "cpu") -> tuple[Setting2D, list[Any]]:
    """The :class:`Setting2D` and the two layouts ``[ring, grid]`` a notebook's parameters give."""
    from ..mixtures import grid, ring

    values = {key: namespace[name] for name, (key, _) in _PARAMS.items()}
    layout = {k: values.pop(k) for k in LAYOUT_DEFAULTS}
    setting = Setting2D(**values, device=str(device))
    mixtures = [  # keyed "ring" and "grid" whatever their parameters: the notebook's pair
        ring(layout["ring_modes"], layout["ring_radius"], layout["ring_std"], key="ring"),
        grid(layout["grid_side"], layout["grid_spacing"], layout["grid_std"], key="grid"),
    ]
    return setting, mixtures


def shared_setting(namespace: dict[str, Any]) -> tuple[Setting2D, list[Any], Any]:
    """A 2-D notebook's set-up after ``check_params``: ``setting, (ring, grid), device``.

    Shrinks ``STEPS_2D``, ``N_SEEDS`` and ``N_EVAL`` in fast mode (in ``namespace`` too, and
    says so), seeds everything with ``SEED``, sets the course's figure style, picks the device
    named by ``DEVICE``, and builds the :class:`Setting2D` and the two layouts the parameters
    give (:func:`from_params`); prints the device and the setting.
    """
    from .. import budget, get_device, plot, seed_everything

    shrunk = budget(
        STEPS_2D=(namespace["STEPS_2D"], 300),
        N_SEEDS=(namespace["N_SEEDS"], 4),
        N_EVAL=(namespace["N_EVAL"], 1000),
    )
    namespace.update(zip(("STEPS_2D", "N_SEEDS", "N_EVAL"), shrunk))
    seed_everything(namespace["SEED"])
    plot.set_style()
    device = get_device(namespace.get("DEVICE", "auto"))
    setting, mixtures = from_params(namespace, device)
    print("device:", device)
    print(setting)
    return setting, mixtures, device


__all__ = [
    "IMAGE_SPECS",
    "LAYOUT_DEFAULTS",
    "SETTING_SPECS",
    "Setting2D",
    "from_params",
    "setting_defaults",
    "shared_setting",
]
