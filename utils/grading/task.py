"""Grading one (student, notebook) task: what runs on a Dask worker."""

from __future__ import annotations

import secrets
from dataclasses import asdict

import nbformat

from .checks import prepare
from .model import Assignment, Grade, Limits, Task, _grade_id
from .runner import run_notebook


def _rows(
    task: Task,
    assignment: Assignment,
    status: dict[str, dict],
    problems: dict[str, str],
    note: str,
) -> list[Grade]:
    file = task.path.name if task.path else ""
    out = []
    for c in assignment.checks:
        res = status.get(c.grade_id)
        if problems.get(c.grade_id) == "missing":
            passed, err = False, "check cell missing from the submission"
        elif res is not None:
            passed, err = bool(res["passed"]), str(res["error"])
        else:
            passed, err = False, f"not reached ({note})" if note else "not reached"
        if problems.get(c.grade_id) == "tampered":
            err = "check cell edited (graded with the original)" + (f"; {err}" if err else "")
        if task.others:
            err = (err + "; " if err else "") + f"also handed in: {', '.join(task.others)}"
        out.append(
            Grade(
                task.student,
                task.stem,
                c.exercise,
                c.grade_id,
                file,
                c.points if passed else 0.0,
                c.points,
                passed,
                err,
            )
        )
    return out


def _not_submitted(task: Task, assignment: Assignment) -> list[Grade]:
    rows = [
        Grade(task.student, task.stem, c.exercise, c.grade_id, "", 0.0, c.points, False, "")
        for c in assignment.checks
    ]
    rows += [
        Grade(task.student, task.stem, "open question", q.grade_id, "", 0.0, q.points, False, "")
        for q in assignment.questions
    ]
    for g in rows:
        g.error = "not submitted"
    return rows


def grade_one(task: Task, assignment: Assignment, limits: Limits) -> list[Grade]:
    """Grade one submitted notebook against ``assignment`` (the instructor's checks, as data)."""
    if task.path is None:
        return _not_submitted(task, assignment)
    try:
        submitted = nbformat.read(task.path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is graded 0
        return _rows(task, assignment, {}, {}, f"not a readable notebook: {type(exc).__name__}")
    token = secrets.token_hex(16)
    nb, problems = prepare(submitted, assignment.checks, token)
    nb.metadata["gdl_grade_token"] = token  # for the runner; the kernel never sees the file
    status, note = run_notebook(nb, limits)
    return _rows(task, assignment, status, problems, note) + open_answers(
        task, assignment, submitted
    )


def open_answers(
    task: Task, assignment: Assignment, submitted: nbformat.NotebookNode
) -> list[Grade]:
    """One row per open question: the student's answer, graded by hand."""
    out = []
    for q in assignment.questions:
        cell = next((c for c in submitted.cells if _grade_id(c) == q.grade_id), None)
        answer = "" if cell is None else cell.source.strip()
        if cell is None:
            note = "answer cell missing from the submission"
        elif not answer or answer == "YOUR ANSWER HERE":
            note = "no answer written"
        else:
            note = "to be graded by hand"
        out.append(
            Grade(
                task.student,
                task.stem,
                "open question",
                q.grade_id,
                task.path.name if task.path else "",
                0.0,
                q.points,
                None,
                note,
                answer if note == "to be graded by hand" else "",
            )
        )
    return out


def grade_task(task: Task, assignment: Assignment, limits: Limits) -> dict:
    """A task's result record (what ``OUT/results/<student>/<notebook>.json`` holds)."""
    return {
        "student": task.student,
        "notebook": task.stem,
        "fingerprint": f"{task.fingerprint}:{assignment.digest}",
        "rows": [asdict(g) for g in grade_one(task, assignment, limits)],
    }
