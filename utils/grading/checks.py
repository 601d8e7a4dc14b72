"""Reading an instructor notebook once, and preparing a submission for the run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat

from ..assignments import exercise_pairs, open_questions, student_version
from .model import DEFAULT_POINTS, REPORT_MIME, Assignment, Check, Question, _grade_id


def checks_of(source: nbformat.NotebookNode) -> list[Check]:
    """The graded checks of an instructor notebook, in order.

    The check is the code cell after each exercise (cells with ``### BEGIN SOLUTION``); its
    ``grade_id`` and ``points`` come from the nbgrader metadata, else ``ex<k>_check`` and
    :data:`DEFAULT_POINTS`.
    """
    released = student_version(source)
    out = []
    for k, (_, j) in enumerate(exercise_pairs(source), start=1):
        meta = source.cells[j].metadata.get("nbgrader", {})
        out.append(
            Check(
                grade_id=meta.get("grade_id", f"ex{k}_check"),
                exercise=f"exercise {k}",
                points=float(meta.get("points", DEFAULT_POINTS)),
                source=source.cells[j].source,
                released=released.cells[j].source,
            )
        )
    return out


def load_assignment(path: Path) -> Assignment:
    """Read an instructor notebook once: its checks and open questions, as data."""
    nb = nbformat.read(path, as_version=4)
    questions = []
    for k, i in enumerate(open_questions(nb), start=1):
        meta = nb.cells[i].metadata["nbgrader"]
        questions.append(
            Question(meta.get("grade_id", f"open{k}"), float(meta.get("points", DEFAULT_POINTS)))
        )
    return Assignment(path.stem, checks_of(nb), questions)


def report_line(grade_id: str, token: str) -> str:
    """The line appended to a check cell: reached only when every assert above it held."""
    record = {REPORT_MIME: {"id": grade_id, "token": token}}
    return f"\n__import__('IPython').display.display({record!r}, raw=True)\n"


def prepare(
    submission: nbformat.NotebookNode, checks: Sequence[Check], token: str = ""
) -> tuple[nbformat.NotebookNode, dict[str, str]]:
    """The notebook to execute (instructor's checks in place) and the problems found per check.

    A check cell is found by its ``grade_id``, else by its released text. Problems: ``missing``
    (no such cell: the check scores 0), ``tampered`` (its text was edited). Each check ends with
    :func:`report_line` (with ``token``), the only way it can pass.
    """
    nb = nbformat.from_dict(submission)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    problems: dict[str, str] = {}
    for check in checks:
        idx = next((i for i, c in enumerate(nb.cells) if _grade_id(c) == check.grade_id), None)
        if idx is None:
            idx = next(
                (i for i, c in enumerate(nb.cells) if c.source.strip() == check.released.strip()),
                None,
            )
        if idx is None:
            problems[check.grade_id] = "missing"
            continue
        if nb.cells[idx].source.strip() != check.released.strip():
            problems[check.grade_id] = "tampered"
        cell = nb.cells[idx]
        if cell.cell_type != "code":
            nb.cells[idx] = cell = nbformat.v4.new_code_cell(metadata=cell.metadata)
        cell.source = check.source + report_line(check.grade_id, token)
        cell.metadata.setdefault("nbgrader", {})["grade_id"] = check.grade_id
    return nb, problems
