"""Every exercise's check accepts the solution and rejects plausible wrong answers.

The wrong answers live in ``tests/mutants/m<NN>_<topic>.py``, one module per notebook, each with

* ``STEM``: the notebook's file stem;
* ``MUTANTS``: exercise function name -> {mutant name: source of the whole function};
* ``SETUP`` (optional): source run first, e.g. the notebook's imports the functions use;
* ``FROM_NOTEBOOK`` (optional): substrings naming notebook code cells to run first (helpers the
  checks call, taken from the notebook itself rather than copied).

A case defines every exercise of the notebook with its solution, then redefines one with a
*mutant* body (a mistake a student could make) and runs that exercise's check cell: it must raise
``AssertionError``; with the solution it must pass. Checks run in a small namespace (NumPy, torch,
``F``, ``math``, the package as ``dm``), without executing the rest of the notebook, so they must
not depend on the notebook's training results.
"""

from __future__ import annotations

import importlib.util
import math
from functools import cache
from pathlib import Path
from types import ModuleType

import matplotlib
import nbformat
import numpy as np
import pytest
import torch
from torch.nn import functional as F

from utils import assignments, density
from utils.config import NOTEBOOKS_DIR

matplotlib.use("Agg")

MUTANT_DIR = Path(__file__).parent / "mutants"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"mutants_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MODULES = {m.STEM: m for m in map(_load, sorted(MUTANT_DIR.glob("m*.py")))}


@cache
def _notebook(stem: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)


def _exercises(stem: str) -> dict[str, tuple[str, str]]:
    """Exercise function name -> (exercise cell source, check cell source), in notebook order."""
    nb = _notebook(stem)
    out = {}
    for i, j in assignments.exercise_pairs(nb):
        src = nb.cells[i].source
        name = src.split("def ", 1)[1].split("(", 1)[0]
        out[name] = (src, nb.cells[j].source)
    return out


def _run(stem: str, fn: str, function_source: str) -> None:
    module = MODULES[stem]
    ns = {"np": np, "torch": torch, "F": F, "dm": density, "math": math}
    exec(getattr(module, "SETUP", ""), ns)  # noqa: S102 - our own test sources
    cells = [c.source for c in _notebook(stem).cells if c.cell_type == "code"]
    for marker in getattr(module, "FROM_NOTEBOOK", ()):
        found = [c for c in cells if marker in c]
        assert len(found) == 1, f"{stem}: {len(found)} code cells contain {marker!r}"
        exec(found[0], ns)  # noqa: S102
    exercises = _exercises(stem)
    for solution, _ in exercises.values():
        exec(solution, ns)  # noqa: S102
    exec(function_source, ns)  # noqa: S102
    exec(exercises[fn][1], ns)  # noqa: S102


CASES = [
    (stem, fn, mutant)
    for stem, module in sorted(MODULES.items())
    for fn, mutants in module.MUTANTS.items()
    for mutant in mutants
]


@pytest.mark.parametrize("stem", [p.stem for p in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))])
def test_every_exercise_has_mutants_and_the_solution_passes(stem):
    assert stem in MODULES, f"tests/mutants has no module for {stem}"
    exercises = _exercises(stem)
    assert set(exercises) == set(MODULES[stem].MUTANTS), "each exercise needs its mutants here"
    for fn, (solution, _) in exercises.items():
        assert len(MODULES[stem].MUTANTS[fn]) >= 2, f"{fn}: at least two wrong answers"
        _run(stem, fn, solution)


@pytest.mark.parametrize(("stem", "fn", "mutant"), CASES, ids=[f"{s}-{f}-{m}" for s, f, m in CASES])
def test_check_rejects_the_mutant(stem, fn, mutant):
    with pytest.raises(AssertionError):
        _run(stem, fn, MODULES[stem].MUTANTS[fn][mutant])
