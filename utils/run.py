"""Execute course notebooks with papermill and collect their metrics.

Usage::

    python -m utils.run [NOTEBOOK ...] [-p NAME VALUE ...] [--fast] [--out DIR]

NOTEBOOK is a path or a number prefix (``04``); none means every notebook. Overrides are
validated against the notebook's declared parameters before any cell runs (one line naming the
parameter on error). Writes the executed notebooks, ``DIR/metrics.json`` shaped
``{"<stem>": {"<metric>": value, ..., "wall_s": seconds}}`` and ``DIR/report.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from . import METRIC_MIME
from .config import FAST_ENV, NOTEBOOKS_DIR, ROOT
from .files import write_atomic
from .params import ParameterError, Spec, specs_from_source


class RunError(RuntimeError):
    """A notebook could not be found or run as asked."""


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The course notebooks, ``NN_topic.ipynb``, in teaching order."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def resolve(names: Sequence[str], folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Turn paths or number prefixes (``"04"``, ``"4"``, ``"04_gan"``) into notebook paths."""
    available = list_notebooks(folder)
    if not names:
        return available
    out = []
    for name in names:
        p = Path(name)
        if p.suffix == ".ipynb":
            if not p.exists():
                raise RunError(f"no notebook {name}")
            out.append(p.resolve())
            continue
        key = name.zfill(2) if name.isdigit() else name
        hits = [nb for nb in available if nb.stem == key or nb.stem.startswith(key + "_")]
        if len(hits) != 1:
            known = ", ".join(nb.stem for nb in available)
            raise RunError(f"no notebook matches {name!r}; available: {known}")
        out.append(hits[0])
    return out


def parameter_cells(nb: nbformat.NotebookNode) -> tuple[int, int]:
    """Indices of the cell tagged ``parameters`` and of the ``check_params`` cell after it."""
    tagged = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if len(tagged) != 1:
        raise RunError(f"want exactly one cell tagged 'parameters', found {len(tagged)}")
    for j in range(tagged[0] + 1, len(nb.cells)):
        c = nb.cells[j]
        if c.cell_type == "code" and "check_params(" in c.source:
            return tagged[0], j
    raise RunError("no check_params(...) cell after the parameters cell")


def declared_specs(path: Path) -> dict[str, Spec]:
    """The parameters a notebook declares, with their specs, read without running it."""
    nb = nbformat.read(path, as_version=4)
    _, j = parameter_cells(nb)
    return specs_from_source(nb.cells[j].source)


def validate_overrides(path: Path, raw: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Parse command-line ``(NAME, VALUE)`` pairs against a notebook's declared specs."""
    specs = declared_specs(path)
    values: dict[str, Any] = {}
    for name, text in raw:
        if name not in specs:
            raise ParameterError(
                f"unknown parameter {name} for {path.stem}; it takes {', '.join(specs)}"
            )
        values[name] = specs[name].parse(name, text)
    return values


def extract_metrics(nb: nbformat.NotebookNode) -> dict[str, float]:
    """Metrics recorded with ``utils.record`` in an executed notebook, in order."""
    metrics: dict[str, float] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if METRIC_MIME in data:
                item = data[METRIC_MIME]
                if "metrics" in item:  # one summary output per cell (utils.record)
                    metrics.update((k, float(v)) for k, v in item["metrics"].items())
                else:  # one output per metric, as notebooks executed before 2026-12 hold
                    metrics[item["name"]] = float(item["value"])
    return metrics


#: tqdm's bar text, ``desc:  40%|####      | 800/2000 [00:01<00:02, 512.3it/s]``.
PROGRESS_BAR = re.compile(
    r"\d+%\|[^|\n]*\| *[^ \n]+/[^ \n]+ \[[^\]\n]*\]"  # with a total
    r"|\d+it \[\d+:\d\d, *[^\]\n]*(?:it/s|s/it)\]"  # without: ``312it [00:01, 300.1it/s]``
)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def strip_progress_bars(nb: nbformat.NotebookNode) -> int:
    """Remove tqdm progress bars from an executed notebook; return how many outputs changed.

    A bar saved in a notebook is frozen at the frame it was drawn in (``0%| | 0/2000`` for a
    widget bar, whose live state is not saved), so executed copies drop them: widget outputs
    whose text is a bar, and the bar lines of stderr streams (other stderr lines stay). A
    student running the notebook still sees live bars.
    """
    changed = 0
    for cell in nb.cells:
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data and PROGRESS_BAR.search(str(data.get("text/plain", ""))):
                changed += 1
                continue
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                lines = out.get("text", "").splitlines(keepends=True)
                rest = [line for line in lines if not PROGRESS_BAR.search(line)]
                if len(rest) < len(lines):
                    changed += 1
                    if not "".join(rest).strip():
                        continue
                    out["text"] = "".join(rest)
            kept.append(out)
        if "outputs" in cell:
            cell.outputs = kept
    if not any(WIDGET_MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])):
        nb.metadata.pop("widgets", None)  # the bars' widget state, kept for nothing now
    return changed


def _not_unknown_parameter(record: logging.LogRecord) -> bool:
    """Drop papermill's "Passed unknown parameter" warning: :func:`validate_overrides` checked every
    name against the notebook's specs, which cover the shared parameters its parameters cell
    imports (``from utils.adversarial.shared_2d import *``); papermill sees only assignments."""
    return not record.getMessage().startswith("Passed unknown parameter")


#: Seconds one cell may run before papermill stops the notebook (a hang must not hang ``make run``).
CELL_TIMEOUT = 900


def run_one(
    path: Path,
    out_dir: Path,
    params: dict[str, Any],
    fast: bool,
    timeout: int = CELL_TIMEOUT,
) -> dict[str, float]:
    """Execute one notebook with papermill into ``out_dir``; return its metrics and wall time.

    A cell running longer than ``timeout`` seconds fails the notebook.
    """
    import papermill as pm

    logging.getLogger("papermill").addFilter(_not_unknown_parameter)
    target = out_dir / path.name
    env_before = os.environ.get(FAST_ENV)
    if fast:
        os.environ[FAST_ENV] = "1"
    start = time.perf_counter()
    try:
        pm.execute_notebook(
            str(path),
            str(target),
            parameters=params,
            cwd=str(path.parent),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=timeout,
        )
    finally:
        if fast:
            if env_before is None:
                os.environ.pop(FAST_ENV, None)
            else:
                os.environ[FAST_ENV] = env_before
    wall = time.perf_counter() - start
    executed = nbformat.read(target, as_version=4)
    if strip_progress_bars(executed):
        nbformat.write(executed, target)
    metrics = extract_metrics(executed)
    metrics["wall_s"] = round(wall, 2)
    return metrics


def write_back(executed: Path, source: Path) -> None:
    """Copy an executed notebook over its source, without papermill's run metadata."""
    nb = nbformat.read(executed, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    text = nbformat.writes(nb)
    write_atomic(source, text if text.endswith("\n") else text + "\n")  # as nbformat.write


def write_report(out_dir: Path, results: dict[str, dict[str, Any]], fast: bool) -> Path:
    """Write ``metrics.json`` and ``report.md`` (one row per notebook) into ``out_dir``."""
    (out_dir / "metrics.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        f"# Course run{' (fast mode)' if fast else ''}",
        "",
        "| notebook | status | wall time (s) | metrics |",
        "|---|---|---|---|",
    ]
    for stem, m in results.items():
        status = f"failed: {m['error']}" if "error" in m else "ok"
        shown = ", ".join(f"{k} = {v:.4g}" for k, v in m.items() if k not in ("wall_s", "error"))
        lines.append(f"| {stem} | {status} | {m.get('wall_s', float('nan')):.1f} | {shown} |")
    report = out_dir / "report.md"
    report.write_text("\n".join(lines) + "\n")
    return report


def exit_status(failed: Sequence[str], message: str) -> int:
    """A command's exit status once it has checked or run several things: 0 when ``failed`` is
    empty; else 1, after printing ``message`` to stderr with ``{n}`` (how many failed) and
    ``{names}`` (them, comma-separated) filled in."""
    if not failed:
        return 0
    print(message.format(n=len(failed), names=", ".join(failed)), file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(
        prog="python -m utils.run", description="Execute course notebooks with papermill."
    )
    ap.add_argument("notebooks", nargs="*", help="paths or number prefixes (default: all)")
    ap.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="override a parameter",
    )
    ap.add_argument("--fast", action="store_true", help=f"fast mode ({FAST_ENV}=1)")
    ap.add_argument("--out", default=None, help="output folder (default: runs/<timestamp>)")
    ap.add_argument(
        "--inplace",
        action="store_true",
        help="write the executed notebooks back over the sources (defaults only)",
    )
    args = ap.parse_args(argv)
    if args.inplace and (args.param or args.fast):
        print(
            "error: --inplace commits outputs of a run at the defaults: drop -p and --fast",
            file=sys.stderr,
        )
        return 2

    try:
        paths = resolve(args.notebooks)
        if not paths:
            raise RunError(f"no notebooks found in {NOTEBOOKS_DIR}")
        plans = [(p, validate_overrides(p, args.param)) for p in paths]
    except (RunError, ParameterError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    out_dir = Path(args.out) if args.out else ROOT / "runs" / time.strftime("%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    failed = []
    for path, params in plans:
        print(f"running {path.stem} {params or ''}".rstrip(), flush=True)
        try:
            results[path.stem] = run_one(path, out_dir, params, args.fast)
            print(f"  done in {results[path.stem]['wall_s']:.1f} s", flush=True)
            if args.inplace:
                write_back(out_dir / path.name, path)
        except Exception as exc:  # report and go on with the other notebooks
            line = str(exc).strip().splitlines()
            msg = f"{type(exc).__name__}: {line[-1] if line else ''}"
            results[path.stem] = {"error": msg}
            failed.append(path.stem)
            print(f"  FAILED: {msg}", file=sys.stderr, flush=True)
        write_report(out_dir, results, args.fast)
    report = write_report(out_dir, results, args.fast)
    print(f"executed notebooks, metrics.json and {report.name} are in {out_dir}")
    return exit_status(failed, "error: {n} notebook(s) failed: {names}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
