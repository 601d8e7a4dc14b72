"""Homework: student versions hide the answers (checks vs. stubs: test_exercise_mutants.py)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from utils import assignments, headers, run
from utils.config import REPO, ROOT

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
    # every badge and the set-up cell point at the student repository, never the instructor's
    assert headers.links(path.stem, "student").colab in nb.cells[0].source
    assert f'"{headers.links(path.stem, "student").clone}"' in nb.cells[1].source
    assert f"{REPO}/blob" not in text and f'"https://github.com/{REPO}"' not in text


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


def test_instructor_only_cells_leave_the_student_version():
    """The run behind a model answer (tag ``instructor-only``) is replaced by a note in place."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("print('alpha 0.01 is worse at order 1')"),
    ]
    nb.cells[1].metadata["tags"] = [assignments.INSTRUCTOR_ONLY]
    released = assignments.student_version(nb)
    assert len(released.cells) == 2 and released.cells[0].source == "x = 1"
    assert released.cells[1].cell_type == "markdown" and "alpha" not in released.cells[1].source
    assert released.cells[1].get("id") == nb.cells[1].get("id")


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


# The student release: played from a clean clone against a local bare "student" repository.
LEAKS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "**Answer.**", "**Rubric (")


def _git(*args, cwd=None):
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def _solution_lines(notebooks: Path) -> list[str]:
    lines = []
    for path in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, _ in assignments.exercise_pairs(nb):
            body = nb.cells[i].source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            lines += [ln.split("#")[0].strip() for ln in body.splitlines()]
    return [ln for ln in lines if len(ln) >= 30]


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_release_publishes_a_student_repository_with_no_answers(tmp_path, monkeypatch):
    instructor, bare, student = tmp_path / "instructor", tmp_path / "student.git", tmp_path / "s"
    _git("clone", "-q", str(ROOT), str(instructor))
    _git("init", "-q", "--bare", str(bare))
    repo, branch = "teacher/course-student", "hand-out"
    first = assignments.publish(str(bare), root=instructor, repo=repo, branch=branch)
    _git("clone", "-q", "-b", branch, str(bare), str(student))
    files = [p for p in student.rglob("*") if p.is_file() and ".git" not in p.parts]
    names = {str(p.relative_to(student)) for p in files}
    assert "utils/__init__.py" in names and "pyproject.toml" in names and "data" in str(names)
    assert not {"utils/grade.py", "utils/assignments.py", "utils/site_check.py"} & names
    assert not any(n.startswith("utils/grading/") for n in names)
    # the student repository installs: no package the release leaves out is named in pyproject
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "wheel"), str(student)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-500:]
    assert not any(n.startswith("tests/") for n in names)
    solutions = _solution_lines(instructor / "notebooks")
    assert solutions, "the instructor notebooks hold solutions"
    for p in files:  # nothing a student can reach holds an answer, a hidden test or a rubric
        data = p.read_bytes()
        assert not [w for w in LEAKS if w.encode() in data], p
        text = data.decode(errors="replace")
        assert not [s for s in solutions if s in text], p
    notebooks = sorted((student / "notebooks").glob("*.ipynb"))
    assert [p.stem for p in notebooks] == [p.stem for p in NOTEBOOKS]
    for path in notebooks + [student / "README.md"]:
        text = path.read_text()
        assert f"{REPO}/blob" not in text and f'github.com/{REPO}"' not in text, path
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        badge = re.search(
            r"\(https://colab\.research\.google\.com/github/([^)]+)\)", nb.cells[0].source
        )
        assert badge.group(1) == f"{repo}/blob/{branch}/notebooks/{path.name}"
        _git("cat-file", "-e", f"{branch}:notebooks/{path.name}", cwd=bare)  # the badge resolves
        for target in re.findall(r"\]\(([0-9][0-9]_\w+\.ipynb)\)", nb.cells[0].source):
            assert (student / "notebooks" / target).exists(), target
        assert f'repo_url, branch = "https://github.com/{repo}", "{branch}"' in nb.cells[1].source
    # the set-up cell clones the student branch (git for real, pip recorded)
    home, calls, real_run = tmp_path / "content" / "gdl", [], subprocess.run

    def run(cmd, *args, **kwargs):
        calls.append(cmd)
        return real_run(cmd, *args, **kwargs) if cmd[0] == "git" else None

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("GDL_SETUP_TEST", "1")
    monkeypatch.setenv("GDL_REPO_URL", bare.as_uri())
    monkeypatch.setenv("GDL_HOME", str(home))
    exec(nbformat.read(notebooks[0], as_version=4).cells[1].source, {})
    monkeypatch.undo()
    assert calls[-1] == [sys.executable, "-m", "pip", "install", "-q", "-e", str(home)]
    assert (home / "notebooks" / notebooks[0].name).read_bytes() == notebooks[0].read_bytes()
    # a release that changes nothing adds no commit; a changed one adds one on the same branch
    assert assignments.publish(str(bare), root=instructor, repo=repo, branch=branch) == first
    (instructor / "data" / "NOTE.txt").write_text("new data\n")
    _git("add", "data/NOTE.txt", cwd=instructor)
    second = assignments.publish(str(bare), root=instructor, repo=repo, branch=branch)
    assert _git("rev-list", branch, cwd=bare).split() == [second, first]
    # an answer in any released file stops the release before anything is pushed
    with open(instructor / "utils" / "config.py", "a") as f:
        f.write("# ### BEGIN HIDDEN TESTS\n")
    with pytest.raises(RuntimeError, match="refusing to publish answers: utils/config.py"):
        assignments.publish(str(bare), root=instructor, repo=repo, branch=branch)
    assert _git("rev-parse", branch, cwd=bare).strip() == second


def test_release_cli(monkeypatch, capsys):
    seen = {}

    def publish(remote, *, repo=None, branch=None):
        seen.update(remote=remote, repo=repo, branch=branch)
        if remote == "bad":
            raise RuntimeError("release: refusing to publish answers: x")
        return "0123456789abcdef"

    monkeypatch.setattr(assignments, "publish", publish)
    monkeypatch.delenv("GDL_STUDENT_REMOTE", raising=False)
    assert assignments.main(["--publish", "--repo", "me/hw", "--branch", "b"]) == 0
    assert seen == {"remote": "https://github.com/me/hw.git", "repo": "me/hw", "branch": "b"}
    assert "0123456789ab" in capsys.readouterr().out
    assert assignments.main(["--publish", "--remote", "bad"]) == 1
    assert "refusing" in capsys.readouterr().err


def test_student_readme_needs_its_end_marker():
    with pytest.raises(ValueError, match="student-readme:end"):
        assignments.student_readme("# a README\n", ["00_introduction"])
    readme = (ROOT / "README.md").read_text()
    student = assignments.student_readme(readme, [p.stem for p in NOTEBOOKS])
    assert "## Start here" in student and "## Instructors" not in student
    assert headers.links("00_introduction", "student").colab in student
