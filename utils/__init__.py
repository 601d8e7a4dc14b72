"""Shared machinery of the generative deep learning course.

Import it at the top of every notebook::

    import utils
    from utils.params import Int, Float, Bool, Str, Choice

Light helpers live here (``record``, ``budget``, ``check_params``, ``seed_everything``,
``get_device``); the heavier submodules (``utils.data``, ``utils.metrics``, ``utils.plot``,
``utils.train``, ``utils.classifier``) are imported on first use.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

from .config import FAST_ENV, fast_mode
from .params import Bool, Choice, Float, Int, ParameterError, Str, check_params
from .seed import get_device, seed_everything, seed_worker, torch_generator

__all__ = [
    "FAST_ENV",
    "METRIC_MIME",
    "RECORDS",
    "Bool",
    "Choice",
    "Float",
    "Int",
    "ParameterError",
    "Str",
    "budget",
    "check_params",
    "fast_mode",
    "get_device",
    "record",
    "seed_everything",
    "seed_worker",
    "torch_generator",
]

_SUBMODULES = {
    "adversarial",
    "data",
    "metrics",
    "plot",
    "train",
    "classifier",
    "run",
    "headers",
    "assignments",
}

#: MIME type of the display output that carries a recorded metric (read back by ``utils.run``).
METRIC_MIME = "application/vnd.gdl.metric+json"

#: Metrics recorded in this process (name -> value), in recording order.
RECORDS: dict[str, float] = {}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'utils' has no attribute {name!r}")


def record(name: str, value: float, fmt: str = ".4g") -> None:
    """Record a notebook's key metric for ``metrics.json``; show one summary line per cell.

    In a notebook, the first ``record`` of a cell displays one line and later ones in the same
    cell update it (``recorded: fd = 147 · fd_floor = 5.511``, or ``recorded 61 metrics (…)``
    past four), so a loop over many metrics leaves one output, not a wall of them; the cell's
    tables carry the numbers for reading. That output also carries every metric of the cell
    under :data:`METRIC_MIME`, which ``utils.run`` collects into ``metrics.json``. Outside
    IPython each call prints ``name = value``. The value must be a finite real number (a NaN
    metric is a bug to surface, not to store).
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"record: metric name must be an identifier, got {name!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"record: metric {name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"record: metric {name} is not finite ({number})")
    RECORDS[name] = number
    text = f"{name} = {number:{fmt}}"
    try:
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is a dependency
        shell = None
    if shell is None:
        print(text)
        return
    cell = (getattr(shell, "execution_count", None), _message_id(shell))
    if _CELL.get("key") != cell:  # the first record of this cell: a new summary line
        _CELL.update(key=cell, shown={}, values={}, handle=None)
    _CELL["values"][name] = number
    _CELL["shown"][name] = text
    bundle = {
        "text/plain": _summary(list(_CELL["shown"].values())),
        METRIC_MIME: {"metrics": dict(_CELL["values"])},
    }
    if _CELL["handle"] is None:
        _CELL["handle"] = display(bundle, raw=True, display_id=True)
    else:
        _CELL["handle"].update(bundle, raw=True)


#: The metrics recorded in the cell now running (its summary output is updated in place).
_CELL: dict[str, Any] = {}


def _message_id(shell: Any) -> str | None:
    """The kernel message that runs the current cell (tells two runs of one cell apart)."""
    header = getattr(shell, "parent_header", None)
    return header.get("msg_id") if isinstance(header, dict) else None


def _summary(shown: list[str]) -> str:
    """One line for a cell's recorded metrics: all of them up to four, else a count and ends."""
    if len(shown) <= 4:
        return "recorded: " + " · ".join(shown)
    return f"recorded {len(shown)} metrics ({', '.join(shown[:3])}, …, {shown[-1]})"


def budget(**items: tuple[Any, Any]) -> Any:
    """Shrink budgets in fast mode: ``EPOCHS, N = utils.budget(EPOCHS=(EPOCHS, 2), N=(N, 100))``.

    Each keyword maps to ``(value, fast_value)``. At full budget the values come back unchanged;
    with ``GDL_FAST=1`` each becomes ``min(value, fast_value)`` and one line says so, so a
    shrunk run is never silent. Returns a single value for one keyword, else a tuple.
    """
    out = []
    changed = []
    for name, pair in items.items():
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"budget: {name} must be given (value, fast_value)")
        value, small = pair
        if fast_mode():
            new = min(value, small)
            if new != value:
                changed.append(f"{name} {value} -> {new}")
            value = new
        out.append(value)
    if fast_mode():
        print(f"fast mode ({FAST_ENV}=1): " + (", ".join(changed) if changed else "no change"))
    return out[0] if len(out) == 1 else tuple(out)
