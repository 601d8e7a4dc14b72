"""The shared 2-D and digit notebook parameters at their defaults, for a parameters cell.

``from utils.adversarial.shared_2d_digits import *`` defines what :mod:`.shared_2d` does and the
shared digit parameters ``DC_CHANNELS``, ``DC_LR``, ``Z_DIM``, ``N_SAMPLES``, ``STACKED`` and
``STACKED_STEPS`` (:data:`.setting.IMAGE_DEFAULTS`); ``DC_STEPS`` is each notebook's own.
"""

from .setting import shared_parameters

_DEFAULTS = shared_parameters(digits=True)
globals().update(_DEFAULTS)
__all__ = list(_DEFAULTS)
