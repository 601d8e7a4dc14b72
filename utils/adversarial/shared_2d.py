"""The shared 2-D setting's notebook parameters at their defaults, for a parameters cell.

``from utils.adversarial.shared_2d import *`` defines ``SEED``, ``N_SEEDS``, ``STEPS_2D``, …,
``GRID_STD`` and ``DEVICE`` (:func:`.setting.shared_parameters`); what each means and may be is
in :mod:`.setting`. Papermill's overrides, injected after the parameters cell, replace them.
"""

from .setting import shared_parameters

_DEFAULTS = shared_parameters()
globals().update(_DEFAULTS)
__all__ = list(_DEFAULTS)
