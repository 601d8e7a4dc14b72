"""Grading a class: right, wrong, crashing, looping and tampering submissions of two notebooks."""

from __future__ import annotations

import csv

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from utils import assignments, grade

EXERCISE = "def {name}(x):\n    ### BEGIN SOLUTION\n    return {body}\n    ### END SOLUTION"


def _source(name: str, body: str, check: str, points: float) -> nbformat.NotebookNode:
    ex = new_code_cell(EXERCISE.format(name=name, body=body))
    ex.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": f"{name}_ex"}
    ck = new_code_cell(check)
    ck.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "grade_id": f"{name}_check",
        "points": points,
    }
    return new_notebook(
        cells=[new_markdown_cell("# a notebook"), new_code_cell("import math"), ex, ck]
    )


@pytest.fixture
def course(tmp_path):
    src = tmp_path / "source"
    src.mkdir()
    nbs = {
        "00_one": _source("double", "2 * x", "assert double(3) == 6 and double(-1) == -2", 2),
        "01_two": _source(
            "root",
            "math.sqrt(x)",
            "assert root(9) == 3\n### BEGIN HIDDEN TESTS\nassert abs(root(2) ** 2 - 2) < 1e-12\n"
            "### END HIDDEN TESTS",
            3,
        ),
    }
    for stem, nb in nbs.items():
        nbformat.write(nb, src / f"{stem}.ipynb")
    released = {stem: assignments.student_version(nb) for stem, nb in nbs.items()}
    answers = {
        "right": {"00_one": "return 2 * x", "01_two": "return math.sqrt(x)"},
        "wrong": {"00_one": "return x + 3", "01_two": "return x / 3"},  # right at x = 3 and 9 only
        "crash": {"00_one": "import os; os._exit(1)", "01_two": "return math.sqrt(x)"},
        "loop": {"00_one": "while True:\n        pass", "01_two": "return math.sqrt(x)"},
        "tamper": {"00_one": "return x", "01_two": "return math.sqrt(x)"},
    }
    subs = tmp_path / "submissions"
    for student, bodies in answers.items():
        (subs / student).mkdir(parents=True)
        for stem, body in bodies.items():
            nb = nbformat.from_dict(released[stem])
            cell = nb.cells[2]
            start = cell.source.index("    # YOUR CODE HERE")
            cell.source = cell.source[:start] + "    " + body
            if student == "tamper" and stem == "00_one":
                nb.cells[3].source = "pass  # the check, removed"
            nbformat.write(nb, subs / student / f"{stem}.ipynb")
    (subs / "right" / "notes.txt").write_text("not a notebook")
    return src, subs


def test_grade_class(course, tmp_path):
    src, subs = course
    out = tmp_path / "out"
    grades = grade.grade_class(subs, out, source_dir=src, timeout=8, workers=2, progress=False)
    with open(out / "grades.csv") as fh:
        rows = {(r["student"], r["notebook"]): r for r in csv.DictReader(fh)}
    assert len(rows) == len(grades) == 10
    got = {k: (r["passed"], float(r["points"])) for k, r in rows.items()}
    assert got == {
        ("crash", "00_one"): ("False", 0.0),
        ("crash", "01_two"): ("True", 3.0),
        ("loop", "00_one"): ("False", 0.0),
        ("loop", "01_two"): ("True", 3.0),
        ("right", "00_one"): ("True", 2.0),
        ("right", "01_two"): ("True", 3.0),
        ("tamper", "00_one"): ("False", 0.0),
        ("tamper", "01_two"): ("True", 3.0),
        ("wrong", "00_one"): ("False", 0.0),
        ("wrong", "01_two"): ("False", 0.0),  # the hidden test catches it
    }
    assert "kernel died" in rows["crash", "00_one"]["error"]
    assert "time limit" in rows["loop", "00_one"]["error"]
    assert "check cell edited" in rows["tamper", "00_one"]["error"]
    assert "AssertionError" in rows["wrong", "00_one"]["error"]
    feedback = (out / "feedback" / "right.md").read_text()
    assert "Total: 5 / 5 points graded automatically." in feedback
    wrong = (out / "feedback" / "wrong.md").read_text()
    assert "Total: 0 / 5 points graded automatically." in wrong


def test_grade_reports_bad_input(course, tmp_path, capsys):
    src, subs = course
    assert grade.main([str(tmp_path / "nope"), "--source", str(src)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    empty = tmp_path / "empty" / "someone"
    empty.mkdir(parents=True)
    assert grade.main([str(empty.parent), "--source", str(src)]) == 2
    assert "no submissions" in capsys.readouterr().err
    with pytest.raises(ValueError, match="timeout must be a positive"):
        grade.grade_class(subs, tmp_path / "o", source_dir=src, timeout=0)


def test_unreadable_and_incomplete_submissions(course, tmp_path):
    src, subs = course
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{ not json")
    (row,) = grade.grade_one("x", bad, src / "00_one.ipynb")
    assert not row.passed and "not a readable notebook" in row.error
    nb = nbformat.read(subs / "right" / "00_one.ipynb", as_version=4)
    del nb.cells[3]  # the check cell
    path = tmp_path / "00_one.ipynb"
    nbformat.write(nb, path)
    (row,) = grade.grade_one("x", path, src / "00_one.ipynb", timeout=30)
    assert not row.passed and row.error == "check cell missing from the submission"


def test_open_question_is_left_for_the_grader(tmp_path):
    src = tmp_path / "source"
    src.mkdir()
    nb = _source("double", "2 * x", "assert double(3) == 6", 2)
    ask = new_markdown_cell("**Open question.** Why?")
    answer = new_markdown_cell("**Answer.** Because.\n\n**Rubric (3 points).** 3 points: because.")
    answer.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "open", "points": 3}
    nb.cells += [ask, answer]
    nbformat.write(nb, src / "00_one.ipynb")
    released = assignments.student_version(nb)
    assert assignments.open_questions(nb) == [5]
    assert released.cells[5].source == "YOUR ANSWER HERE" and "Rubric" not in str(released)
    subs = tmp_path / "subs"
    for student, text in [("wrote", "Since doubling is linear.\nSecond line."), ("blank", None)]:
        sub = nbformat.from_dict(released)
        body = sub.cells[2].source
        sub.cells[2].source = body[: body.index("    # YOUR CODE HERE")] + "    return 2 * x"
        if text is not None:
            sub.cells[5].source = text
        (subs / student).mkdir(parents=True)
        nbformat.write(sub, subs / student / "00_one.ipynb")
    out = tmp_path / "out"
    grades = grade.grade_class(subs, out, source_dir=src, timeout=8, workers=2, progress=False)
    open_rows = {g.student: g for g in grades if g.exercise == "open question"}
    assert open_rows["wrote"].passed is None and open_rows["wrote"].max_points == 3
    assert open_rows["wrote"].error == "to be graded by hand"
    assert open_rows["blank"].error == "no answer written" and open_rows["blank"].answer == ""
    with open(out / "grades.csv") as fh:
        rows = [r for r in csv.DictReader(fh) if r["exercise"] == "open question"]
    assert [r["passed"] for r in rows] == ["", ""] and "answer" not in rows[0]
    feedback = (out / "feedback" / "wrote.md").read_text()
    assert "2 / 2 points graded automatically, and 3 points of open questions" in feedback
    assert "> Since doubling is linear.\n> Second line." in feedback
