"""Homework: student versions hide the answers (checks vs. stubs: test_exercise_mutants.py)."""

import os

import nbformat
import pytest

from utils import assignments, run

NOTEBOOKS = run.list_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_released_notebook_has_no_solutions(path, tmp_path):
    target = assignments.release(path, tmp_path)
    nb = nbformat.read(target, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "### BEGIN SOLUTION" not in text and "### END SOLUTION" not in text
    assert "### BEGIN HIDDEN TESTS" not in text
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    source = nbformat.read(path, as_version=4)
    pairs = assignments.exercise_pairs(source)
    assert len(pairs) >= 2, "each notebook has 2-4 exercises"
    for i, _ in pairs:  # every exercise's answer is gone
        body = source.cells[i].source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        for line in body.strip().splitlines():
            if len(line.strip()) > 8:  # skip lone brackets and the like
                assert line.strip() not in nb.cells[i].source
        assert "raise NotImplementedError" in nb.cells[i].source


def test_exercise_without_check_is_an_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")]
    with pytest.raises(ValueError, match="no check cell"):
        assignments.exercise_pairs(nb)


def test_cli_writes_release_folder(tmp_path, capsys):
    assert assignments.main(["00", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "00_introduction.ipynb").exists()
    assert assignments.main(["77", "--out", str(tmp_path)]) == 2
    assert "no notebook matches" in capsys.readouterr().err
    assert os.listdir(tmp_path) == ["00_introduction.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_exercises_carry_nbgrader_metadata(path, tmp_path):
    source = nbformat.read(path, as_version=4)
    released = nbformat.read(assignments.release(path, tmp_path), as_version=4)
    ids = []
    for i, j in assignments.exercise_pairs(source):
        ex, check = source.cells[i].metadata["nbgrader"], source.cells[j].metadata["nbgrader"]
        assert ex["solution"] and not ex["grade"]
        assert check["grade"] and check["locked"] and check["points"] > 0
        ids += [ex["grade_id"], check["grade_id"]]
        assert released.cells[j].metadata["nbgrader"] == check  # nbgrader's autograde can use it
    assert len(ids) == len(set(ids)), "grade ids must be unique"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_one_open_question_with_answer_and_rubric(path, tmp_path):
    source = nbformat.read(path, as_version=4)
    (i,) = assignments.open_questions(source)  # exactly one per notebook
    meta = source.cells[i].metadata["nbgrader"]
    assert meta["grade_id"] == "open" and meta["points"] > 0 and not meta.get("locked")
    answer = source.cells[i].source
    assert answer.startswith("**Answer.**") and "**Rubric (" in answer
    assert source.cells[i - 1].source.startswith("**Open question")
    assert i > max(j for _, j in assignments.exercise_pairs(source)), "after the coded exercises"
    released = nbformat.read(assignments.release(path, tmp_path), as_version=4)
    assert released.cells[i].source == "YOUR ANSWER HERE"
    assert "**Rubric (" not in "\n".join(c.source for c in released.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_solution_line_appears_earlier_on_the_page(path):
    """A heuristic for "the answer is not already on the page": no substantial line of a
    solution occurs verbatim in a code cell the student sees before the exercise."""
    source = nbformat.read(path, as_version=4)
    released = assignments.student_version(source)
    for i, _ in assignments.exercise_pairs(source):
        body = source.cells[i].source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        earlier = "\n".join(c.source for c in released.cells[:i] if c.cell_type == "code")
        earlier_lines = {line.strip() for line in earlier.splitlines()}
        for line in body.splitlines():
            code = line.split("#")[0].strip()
            if len(code) >= 25 and not code.startswith(("return", "for ", "if ")):
                assert code not in earlier_lines, f"cell {i}: {code!r} is already on the page"
            elif code.startswith("return ") and len(code) >= 30:
                assert code[len("return ") :] not in earlier, f"cell {i}: {code!r} is on the page"
