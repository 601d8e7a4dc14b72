"""The shared 2-D setting: what every model of notebooks 04-08 is trained with.

:class:`Setting2D` pins networks, initialisation, optimiser, budget and seeds, so the GAN row is
the same row in every notebook; its notebook parameters (``SEED`` … ``GRID_STD``) and their
specs are :data:`SETTING_SPECS`; :func:`shared_setting` is a 2-D notebook's set-up.

A notebook's parameters cell holds only what the notebook teaches; one star import brings the
shared parameters at their defaults (:func:`shared_parameters`, through the modules
:mod:`.shared_2d` and :mod:`.shared_2d_digits`). Papermill injects its overrides after that cell,
and ``check_params(globals(), **SETTING_SPECS, ...)`` validates them with the notebook's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from torch import nn

from ..config import FAST_BUDGETS
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


#: Notebook parameter → (Setting2D field or layout argument, spec). Every 2-D notebook takes
#: these parameters at the defaults below (``from utils.adversarial.shared_2d import *``) and
#: validates them with ``**adv.SETTING_SPECS``.
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
#: The shared 2-D parameters' specs, and the device every notebook's set-up picks.
SETTING_SPECS: dict[str, Spec] = {
    **{name: spec for name, (_, spec) in _PARAMS.items()},
    "DEVICE": Choice("auto", "cpu", "cuda", "mps"),
}

#: The digit experiments' common parameters (notebooks 04-07 validate them with
#: ``**adv.IMAGE_SPECS``). ``DC_STEPS`` is each notebook's own budget, set in its parameters
#: cell; the others are shared, at :data:`IMAGE_DEFAULTS`.
IMAGE_SPECS: dict[str, Spec] = {
    "DC_STEPS": Int(min=1),
    "DC_CHANNELS": Int(min=1),
    "DC_LR": Float(min=1e-6, max=1.0),
    "Z_DIM": Int(min=1),
    "N_SAMPLES": Int(min=1000),
    "STACKED": Bool(),
    "STACKED_STEPS": Int(min=1),
}
IMAGE_DEFAULTS: dict[str, Any] = {
    "DC_CHANNELS": 16,  # base channels of the DCGAN networks
    "DC_LR": 0.001,  # Adam learning rate on digits (beta1 0.5)
    "Z_DIM": 64,  # noise dimensions of the digit generators
    "N_SAMPLES": 5000,  # generated digits for the class histogram (the first 1,000 give the FD)
    "STACKED": False,  # also run stacked MNIST (1,000 modes): a GPU setting
    "STACKED_STEPS": 20000,  # steps on stacked MNIST when STACKED is True
}


def setting_defaults() -> dict[str, Any]:
    """The shared 2-D parameters' defaults (``SEED``, ``N_SEEDS``, …, ``GRID_STD``, ``DEVICE``)."""
    base = {**asdict(Setting2D()), **LAYOUT_DEFAULTS}
    return {**{name: base[key] for name, (key, _) in _PARAMS.items()}, "DEVICE": "auto"}


def shared_parameters(digits: bool = False) -> dict[str, Any]:
    """The shared notebook parameters at their defaults, as a parameters cell takes them.

    The 2-D setting (:func:`setting_defaults`), and with ``digits`` the shared digit parameters
    (:data:`IMAGE_DEFAULTS`). A parameters cell brings them in one line, ``from
    utils.adversarial.shared_2d import *`` (or ``shared_2d_digits``), before the notebook's own
    parameters, so a notebook may still set one of them to a default of its own and papermill's
    overrides (``-p STEPS_2D 500``), injected after the cell, replace any of them.
    """
    return {**setting_defaults(), **(IMAGE_DEFAULTS if digits else {})}


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


def shared_setting(
    namespace: dict[str, Any], fast_steps: int = FAST_BUDGETS["2d"]["STEPS_2D"]
) -> tuple[Setting2D, list[Any], Any]:
    """A 2-D notebook's set-up after ``check_params``: ``setting, (ring, grid), device``.

    Shrinks ``STEPS_2D`` (to at most ``fast_steps``, for a notebook with more 2-D experiments
    than most), ``N_SEEDS`` and ``N_EVAL`` in fast mode (:data:`utils.config.FAST_BUDGETS`; in
    ``namespace`` too, and says so),
    seeds everything with ``SEED``, sets the course's figure style, picks the device named by
    ``DEVICE``, and builds the :class:`Setting2D` and the two layouts the parameters give
    (:func:`from_params`); prints the device and the setting.
    """
    from .. import budget, get_device, plot, seed_everything

    if isinstance(fast_steps, bool) or not isinstance(fast_steps, int) or fast_steps < 1:
        raise ValueError(f"shared_setting: fast_steps must be a positive int, got {fast_steps!r}")
    shrunk = budget(
        STEPS_2D=(namespace["STEPS_2D"], fast_steps),
        N_SEEDS=(namespace["N_SEEDS"], FAST_BUDGETS["2d"]["N_SEEDS"]),
        N_EVAL=(namespace["N_EVAL"], FAST_BUDGETS["2d"]["N_EVAL"]),
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
    "IMAGE_DEFAULTS",
    "IMAGE_SPECS",
    "LAYOUT_DEFAULTS",
    "SETTING_SPECS",
    "Setting2D",
    "from_params",
    "setting_defaults",
    "shared_parameters",
    "shared_setting",
]
