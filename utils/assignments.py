"""Student versions of the notebooks, with nbgrader's preprocessors and no database.

Open questions are markdown answer cells (nbgrader ``solution`` and ``grade``, manual points),
whose model answer and rubric the student version replaces with "YOUR ANSWER HERE".
Exercise cells mark the answer with ``### BEGIN SOLUTION`` / ``### END SOLUTION`` (and may hide
tests between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``); each is followed by a
check cell with asserts. ``make assignments`` (``python -m utils.assignments``) writes the
student versions, outputs cleared and answers replaced by ``raise NotImplementedError()``, to
``release/``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

from .config import NOTEBOOKS_DIR, ROOT

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def student_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with solutions and hidden tests removed and outputs cleared."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions

    nb = nbformat.from_dict(nb)  # deep copy
    nb, _ = ClearSolutions(enforce_metadata=False).preprocess(nb, {})
    nb, _ = ClearHiddenTests(enforce_metadata=False).preprocess(nb, {})
    nb, _ = ClearOutput().preprocess(nb, {})
    return nb


def exercise_pairs(nb: nbformat.NotebookNode) -> list[tuple[int, int]]:
    """(exercise cell, check cell) index pairs: the check is the next code cell."""
    pairs = []
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and SOLUTION_MARKERS[0] in c.source:
            j = next(
                (k for k in range(i + 1, len(nb.cells)) if nb.cells[k].cell_type == "code"), None
            )
            if j is None:
                raise ValueError(f"exercise cell {i} has no check cell after it")
            pairs.append((i, j))
    return pairs


def open_questions(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of the hand-graded answer cells: markdown cells that nbgrader grades as solutions.

    The instructor's version holds the course's model answer and the grader's rubric; the student
    version replaces the whole cell with nbgrader's "YOUR ANSWER HERE".
    """
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown"
        and c.metadata.get("nbgrader", {}).get("solution")
        and c.metadata.get("nbgrader", {}).get("grade")
    ]


def release(path: Path, out_dir: Path) -> Path:
    """Write the student version of the notebook at ``path`` into ``out_dir``."""
    nb = nbformat.read(path, as_version=4)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / path.name
    nbformat.write(student_version(nb), target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m utils.assignments [NOTEBOOK ...] [--out DIR]``."""
    from .run import RunError, resolve

    ap = argparse.ArgumentParser(
        prog="python -m utils.assignments", description=__doc__.splitlines()[0]
    )
    ap.add_argument("notebooks", nargs="*", help="paths or number prefixes (default: all)")
    ap.add_argument("--out", default=str(ROOT / "release"))
    args = ap.parse_args(argv)
    try:
        paths = resolve(args.notebooks, NOTEBOOKS_DIR)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for p in paths:
        print(f"released {release(p, Path(args.out))}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
