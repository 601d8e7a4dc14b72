"""Results: the one row type, the one result store and the one provenance record.

* :class:`Row` — one (model, layout, seed) result with the one column vocabulary
  :data:`COLUMNS` (``modes``, ``covered``, ``hq``, ``skl``, ``w`` for the 2-D family; ``modes``
  and ``kl`` for stacked MNIST).
* :class:`ResultStore` — a folder of cell files, each named by a hash of its *full* spec (the
  model's definition, the layout's definition, the setting, the training code), written
  atomically and never overwritten: a changed model or layout is a new cell, never a stale one.
* :func:`provenance` — commit (``-dirty`` when the tree has changes), versions, device, date.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .config import ROOT
from .files import write_atomic

#: The one column vocabulary of a result row (metrics absent from a family are None).
COLUMNS = ("model", "layout", "seed", "steps", "modes", "covered", "hq", "skl", "w", "kl", "wall_s")

#: Old spellings read from committed files.
_ALIASES = {"w1": "w"}


@dataclass(frozen=True)
class Row:
    """One seed of one (model, layout) cell."""

    model: str
    layout: str
    seed: int
    steps: int
    modes: float | None = None
    covered: float | None = None
    hq: float | None = None
    skl: float | None = None
    w: float | None = None
    kl: float | None = None
    wall_s: float = 0.0

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Row:
        """A row from a mapping (old column names such as ``w1`` are read as ``w``)."""
        d = {_ALIASES.get(k, k): v for k, v in d.items()}
        unknown = set(d) - set(COLUMNS)
        if unknown:
            raise ValueError(f"Row: unknown columns {sorted(unknown)}; the columns are {COLUMNS}")
        return cls(**d)

    def to_dict(self) -> dict[str, Any]:
        """The row as a mapping without the metrics its family does not have."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def rows_frame(rows: Iterable[Row | Mapping[str, Any]]) -> Any:
    """A DataFrame of rows with the columns :data:`COLUMNS` that any row has."""
    import pandas as pd

    rs = [r if isinstance(r, Row) else Row.from_dict(r) for r in rows]
    df = pd.DataFrame([asdict(r) for r in rs], columns=list(COLUMNS))
    return df.dropna(axis=1, how="all") if len(df) else df  # no rows: every column, empty


# --------------------------------------------------------------------------- provenance


def commit(root: Path = ROOT) -> str:
    """``git rev-parse HEAD`` of ``root``, with ``-dirty`` if tracked files have changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):  # pragma: no cover - not a checkout
        return "unknown"


def device_name(device: str) -> str:
    """A readable name of ``device``: the GPU's model, or the CPU and its core count."""
    if str(device).startswith("cuda"):
        import torch

        return torch.cuda.get_device_name(0)
    return f"cpu ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"


def provenance(command: str, device: str = "cpu", **extra: Any) -> dict[str, Any]:
    """The one provenance record: command, commit, versions, device, UTC date, and ``extra``."""
    import numpy
    import torch

    return {
        "command": command,
        "commit": commit(),
        "versions": {
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "numpy": numpy.__version__,
        },
        "device": device_name(device),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **extra,
    }


# --------------------------------------------------------------------------- definitions


def _source_hash(obj: Any) -> str | None:
    try:
        path = inspect.getsourcefile(obj)
    except TypeError:
        return None
    if path and os.path.exists(path):
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    try:  # defined in a notebook: its own source
        return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]
    except (OSError, TypeError):
        return None


def fingerprint(obj: Any, _depth: int = 0) -> Any:
    """What ``obj`` computes, as plain data: numbers and strings as they are; a function as
    its qualified name, a hash of its module's source (or its own, in a notebook) and the
    fingerprints of its closure and defaults; containers and dataclasses element-wise."""
    if _depth > 8:
        return type(obj).__qualname__
    f = functools.partial(fingerprint, _depth=_depth + 1)
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, float):
        return round(obj, 12)
    if isinstance(obj, functools.partial):
        return {"partial": f(obj.func), "args": f(list(obj.args)), "kwargs": f(obj.keywords)}
    if inspect.isfunction(obj) or inspect.ismethod(obj) or isinstance(obj, type):
        fn = getattr(obj, "__func__", obj)
        out: dict[str, Any] = {"name": f"{fn.__module__}.{fn.__qualname__}"}
        out["source"] = _source_hash(fn)
        if inspect.isfunction(fn):
            out["closure"] = [f(c.cell_contents) for c in fn.__closure__ or ()]
            out["defaults"] = f(list(fn.__defaults__ or ()))
            out["kwdefaults"] = f(fn.__kwdefaults__ or {})
        return out
    if isinstance(obj, Mapping):
        return {str(k): f(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [f(v) for v in obj]
    if hasattr(obj, "definition") and callable(obj.definition):
        return f(obj.definition())
    if hasattr(obj, "__dataclass_fields__"):
        return {
            "type": type(obj).__qualname__,
            **{x.name: f(getattr(obj, x.name)) for x in fields(obj)},
        }
    if hasattr(obj, "tolist"):  # arrays and tensors
        return f(obj.tolist())
    return {
        "type": f"{type(obj).__module__}.{type(obj).__qualname__}",
        "source": _source_hash(type(obj)),
    }


#: The modules whose code every 2-D cell runs (a change in any is a new cell).
TRAINING_CODE = (
    "utils/adversarial/loop.py",
    "utils/adversarial/step.py",
    "utils/adversarial/setting.py",
    "utils/adversarial/ensemble.py",
    "utils/adversarial/evaluate.py",
    "utils/adversarial/compare.py",
    "utils/metrics.py",
)


def code_hash(paths: Iterable[str] = TRAINING_CODE) -> str:
    """A hash of the training code's source files (those that exist)."""
    h = hashlib.sha256()
    for rel in paths:
        p = ROOT / rel
        if p.exists():
            h.update(rel.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def spec_hash(spec: Mapping[str, Any]) -> str:
    """The first 16 hex digits of the SHA-256 of ``spec`` as canonical JSON."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- the store


class ResultStore:
    """A folder of result cells: ``cells/<model>__<layout>__<hash>.json``, one per full spec.

    ``spec`` must hold ``model`` and ``layout`` mappings with a ``key`` each. A cell file holds
    the spec, the rows and the provenance of the run that computed it; it is written once,
    atomically, and never overwritten (older files named ``<model>__<layout>.json`` are read).
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.cells = self.directory / "cells"

    def path(self, spec: Mapping[str, Any]) -> Path:
        """Where the cell of ``spec`` lives."""
        return (
            self.cells / f"{spec['model']['key']}__{spec['layout']['key']}__{spec_hash(spec)}.json"
        )

    def get(self, spec: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """The rows of ``spec``'s cell, or None if it was never computed."""
        path = self.path(spec)
        if not path.exists():
            return None
        return json.loads(path.read_text())["rows"]

    def put(
        self, spec: Mapping[str, Any], rows: list[dict[str, Any]], prov: Mapping[str, Any]
    ) -> Path:
        """Write a new cell (``FileExistsError`` if that spec's cell exists)."""
        cell = {"spec": dict(spec), "rows": rows, **prov}
        return write_atomic(
            self.path(spec), json.dumps(cell, indent=1, default=str), exclusive=True
        )

    def load(self, keep: Callable[[dict[str, Any]], bool] | None = None) -> list[dict[str, Any]]:
        """Every cell file whose spec passes ``keep`` (default: all), oldest first by date; for one
        (model, layout) only the newest counts."""
        cells = [json.loads(p.read_text()) for p in sorted(self.cells.glob("*.json"))]
        newest: dict[tuple[str, str], dict[str, Any]] = {}
        for cell in sorted(cells, key=lambda c: str(c.get("date", ""))):
            if not cell["rows"] or (keep is not None and not keep(cell.get("spec", {}))):
                continue
            r = cell["rows"][0]
            newest[r["model"], r["layout"]] = cell
        return list(newest.values())


__all__ = [
    "COLUMNS",
    "ResultStore",
    "Row",
    "code_hash",
    "commit",
    "device_name",
    "fingerprint",
    "provenance",
    "rows_frame",
    "spec_hash",
]
