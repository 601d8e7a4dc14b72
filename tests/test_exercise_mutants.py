"""Every exercise's check accepts correct answers and rejects plausible wrong ones, in the
namespace a student really has.

The answers live in ``tests/mutants/m<NN>_<topic>.py``, one module per notebook, each with

* ``STEM``: the notebook's file stem;
* ``MUTANTS``: exercise function name -> {mutant name: source of the exercise cell}, wrong answers
  a student could write. A name starts with its class, as in issue 25: ``"route: ..."`` (a
  forbidden route taken through another name, module or captured object), ``"tol: ..."`` (right
  up to a tolerance the check states), ``"narrow: ..."`` (a neighbouring rule that agrees on
  narrow inputs), ``"namespace: ..."`` (a bypass through a name the notebook's own cells bound),
  or ``"wrong: ..."`` (plainly wrong);
* ``ALTERNATIVES``: exercise function name -> {name: source}, *correct* answers written
  differently from the reference; each must pass;
* ``SETUP`` (optional): source prepended to every mutant and alternative, like imports a student
  writes at the top of the exercise cell;
* ``FROM_NOTEBOOK`` (optional): substrings naming further notebook code cells (before the
  exercises) to run when building the namespace, for helpers the checks call.

The student's namespace is built from the notebook itself, in notebook order: the set-up cell,
the parameters cell, the import cell (the first code cell after the parameters), every cell
before the exercises that only imports, defines functions or classes, or binds literals, the
``FROM_NOTEBOOK`` cells, and the imports and definitions (not the computations) of every other
cell before the exercises. Then every exercise cell runs with its reference solution (a student who
solved the earlier ones), then the candidate source, then the exercise's check cell, hidden tests
included: a mutant must raise ``AssertionError``; a reference or an alternative must pass.
Training cells are not run, so checks must not depend on the notebook's training results.
The student version (nbgrader's) is checked too: each stub cell runs, each visible check passes
with the reference and fails against the stub.
"""

from __future__ import annotations

import ast
import importlib.util
import os
from functools import cache
from pathlib import Path
from types import ModuleType

import matplotlib
import nbformat
import pytest

from utils import assignments
from utils.config import NOTEBOOKS_DIR

matplotlib.use("Agg")

MUTANT_DIR = Path(__file__).parent / "mutants"
CLASSES = ("route", "tol", "narrow", "namespace", "wrong")
#: the four classes of issue 25 that each notebook's wrong answers must span
REQUIRED_CLASSES = {"route", "tol", "narrow", "namespace"}
MIN_MUTANTS = 4


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"mutants_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MODULES = {m.STEM: m for m in map(_load, sorted(MUTANT_DIR.glob("m*.py")))}
STEMS = [p.stem for p in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))]


@cache
def _notebook(stem: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)


@cache
def _student(stem: str) -> nbformat.NotebookNode:
    return assignments.student_version(_notebook(stem))


def _exercises(nb: nbformat.NotebookNode, pairs=None) -> dict[str, tuple[str, str]]:
    """Exercise function name -> (exercise cell source, check cell source), in notebook order;
    ``pairs`` (cell indices) default to those of ``nb``'s solution markers."""
    out = {}
    for i, j in assignments.exercise_pairs(nb) if pairs is None else pairs:
        src = nb.cells[i].source
        name = src.split("def ", 1)[1].split("(", 1)[0]
        out[name] = (src, nb.cells[j].source)
    return out


def _defines_only(source: str) -> bool:
    """True for a cell that only imports, defines functions/classes or binds literals: cheap to
    run and part of what a student has in scope."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            try:
                ast.literal_eval(node.value)
            except ValueError:
                return False
            continue
        return False
    return bool(body)


def _definitions(source: str) -> str:
    """The imports and function/class definitions of a cell, without its computations."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return ""
    keep = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    return "\n\n".join(ast.unparse(node) for node in body if isinstance(node, keep))


@cache
def _prelude(stem: str) -> tuple[tuple[str, bool], ...]:
    """(source, whole) for the notebook cells that build the student's namespace, in notebook
    order: whole cells (set-up, parameters, import cell, definition-only and ``FROM_NOTEBOOK``
    cells), else only the imports and definitions of the cell (``whole`` False)."""
    nb = _notebook(stem)
    first_exercise = assignments.exercise_pairs(nb)[0][0]
    markers = getattr(MODULES.get(stem), "FROM_NOTEBOOK", ())
    cells = [(k, c) for k, c in enumerate(nb.cells[:first_exercise]) if c.cell_type == "code"]
    params = [k for k, c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{stem}: {len(params)} parameter cells"
    import_cell = next(k for k, _ in cells if k > params[0])
    chosen = []
    for k, c in cells:
        tags = c.metadata.get("tags", [])
        if (
            "colab-setup" in tags
            or k in (params[0], import_cell)
            or _defines_only(c.source)
            or any(m in c.source for m in markers)
        ):
            chosen.append((c.source, True))
        elif k > import_cell and (defs := _definitions(c.source)):
            chosen.append((defs, False))
    for m in markers:
        found = [c for _, c in cells if m in c.source]
        assert len(found) == 1, f"{stem}: {len(found)} code cells contain {m!r}"
    return tuple(chosen)


def _namespace(stem: str) -> dict:
    ns: dict = {"__name__": "__main__"}
    env = os.environ.pop("GDL_SETUP_TEST", None)  # the Colab set-up cell must not run here
    try:
        for source, whole in _prelude(stem):
            code = compile(source, f"<{stem} cell>", "exec")
            if whole:
                exec(code, ns)  # noqa: S102 - our own notebooks
                continue
            try:
                exec(code, ns)  # noqa: S102
            except NameError:  # a default argument needs a training result: a student has it,
                pass  # but definitions that need it are not for the checks
    finally:
        if env is not None:
            os.environ["GDL_SETUP_TEST"] = env
    return ns


def _run(stem: str, fn: str, candidate: str | None, *, check: str | None = None) -> None:
    """Build the namespace, run every exercise cell with its reference, then ``candidate`` (a
    whole exercise cell) in place of ``fn``'s, then ``check`` (default: ``fn``'s check cell,
    hidden tests included)."""
    ns = _namespace(stem)
    exercises = _exercises(_notebook(stem))
    for cell, _ in exercises.values():
        exec(compile(cell, f"<{stem} exercise>", "exec"), ns)  # noqa: S102
    if candidate is not None:
        exec(compile(candidate, f"<{stem} answer>", "exec"), ns)  # noqa: S102
    check = exercises[fn][1] if check is None else check
    exec(compile(check, f"<{stem} check {fn}>", "exec"), ns)  # noqa: S102


def _with_setup(stem: str, source: str) -> str:
    return getattr(MODULES[stem], "SETUP", "") + "\n" + source


def _cases(attr: str) -> list[tuple[str, str, str]]:
    return [
        (stem, fn, name)
        for stem, module in sorted(MODULES.items())
        for fn, answers in getattr(module, attr, {}).items()
        for name in answers
    ]


MUTANT_CASES = _cases("MUTANTS")
ALTERNATIVE_CASES = _cases("ALTERNATIVES")
REFERENCE_CASES = [(stem, fn) for stem in STEMS for fn in _exercises(_notebook(stem))]
REFERENCE_IDS = [f"{s}-{f}" for s, f in REFERENCE_CASES]


@pytest.mark.parametrize("stem", STEMS)
def test_every_exercise_has_wrong_and_alternative_answers(stem):
    assert stem in MODULES, f"tests/mutants has no module for {stem}"
    module = MODULES[stem]
    exercises = _exercises(_notebook(stem))
    assert set(exercises) == set(module.MUTANTS), "each exercise needs its wrong answers here"
    alternatives = getattr(module, "ALTERNATIVES", {})
    assert set(exercises) == set(alternatives), "each exercise needs an alternative correct answer"
    seen = set()
    for fn in exercises:
        assert len(module.MUTANTS[fn]) >= MIN_MUTANTS, f"{fn}: at least {MIN_MUTANTS} wrong answers"
        assert alternatives[fn], f"{fn}: at least one alternative correct answer"
        for name in module.MUTANTS[fn]:
            cls = name.split(":", 1)[0]
            assert cls in CLASSES, f"{fn}: mutant {name!r} must start with one of {CLASSES}"
            seen.add(cls)
    assert REQUIRED_CLASSES <= seen, f"no wrong answers of class {REQUIRED_CLASSES - seen}"


@pytest.mark.parametrize("stem", STEMS)
def test_exercises_come_after_every_other_code_cell(stem):
    """The student version differs from the instructor's only in exercise and check cells (and
    the instructor-only runs it drops), so running the instructor notebook (``make run``) also
    shows the student's runs; every other code cell is in the harness's reach or independent of
    the exercises."""
    nb = _notebook(stem)
    pairs = assignments.exercise_pairs(nb)
    owned = {k for pair in pairs for k in pair}
    later = [
        k
        for k in range(pairs[0][0], len(nb.cells))
        if nb.cells[k].cell_type == "code"
        and assignments.INSTRUCTOR_ONLY not in nb.cells[k].metadata.get("tags", [])
    ]
    assert set(later) <= owned, f"code cells {sorted(set(later) - owned)} follow the exercises"


@pytest.mark.parametrize(
    ("stem", "fn"), REFERENCE_CASES, ids=[f"{s}-{f}" for s, f in REFERENCE_CASES]
)
def test_reference_passes(stem, fn):
    _run(stem, fn, None)


@pytest.mark.parametrize(
    ("stem", "fn"), REFERENCE_CASES, ids=[f"{s}-{f}" for s, f in REFERENCE_CASES]
)
def test_visible_check_passes_with_the_reference_and_fails_against_the_stub(stem, fn):
    """The student's check (hidden tests removed) accepts the reference and rejects the stub."""
    student = _exercises(_student(stem), assignments.exercise_pairs(_notebook(stem)))
    stub, visible = student[fn]
    assert "raise NotImplementedError" in stub
    assert "assert" in visible
    _run(stem, fn, None, check=visible)
    with pytest.raises(Exception):  # noqa: B017, PT011 - any failure: the stub raises
        _run(stem, fn, stub, check=visible)
    with pytest.raises(Exception):  # noqa: B017, PT011
        _run(stem, fn, stub)


@pytest.mark.parametrize(
    ("stem", "fn", "name"), ALTERNATIVE_CASES, ids=[f"{s}-{f}-{m}" for s, f, m in ALTERNATIVE_CASES]
)
def test_check_accepts_the_alternative(stem, fn, name):
    _run(stem, fn, _with_setup(stem, MODULES[stem].ALTERNATIVES[fn][name]))


@pytest.mark.parametrize(
    ("stem", "fn", "name"), MUTANT_CASES, ids=[f"{s}-{f}-{m}" for s, f, m in MUTANT_CASES]
)
def test_check_rejects_the_mutant(stem, fn, name):
    with pytest.raises(AssertionError):
        _run(stem, fn, _with_setup(stem, MODULES[stem].MUTANTS[fn][name]))
