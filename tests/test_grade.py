"""Grading a class that tries to break its grader.

Two tiny instructor notebooks (00_one: ``double``, 01_two: ``root`` with hidden tests) and a class
whose students read the hidden tests from disk, vandalise the files around them, ask for 20 GB,
fork a daemon that would outlive its kernel, loop with SIGINT ignored, crash, tamper with a check,
answer wrongly, or answer right (one of them in a misnamed file).

Every notebook graded starts a runner and a kernel (a few seconds each): the hostile class runs
nine, under a time limit (15 s) that makes the looping one cost about what the eight others do.
"""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from utils import assignments, grade
from utils.config import ROOT

EXERCISE = "def {name}(x):\n    ### BEGIN SOLUTION\n    return {body}\n    ### END SOLUTION"
TIMEOUT = 60  # seconds per notebook: the fixtures need ~2 s (more on a loaded machine)
#: The hostile class's limit, what the looping student costs a worker: a fixture needs ~2 s alone
#: and ~7 s on two cores loaded by a dozen processes; only the loop may reach it.
HOSTILE = 15  # seconds
FENCED = grade._landlock_abi() > 0  # reading/writing by absolute path is stopped only then


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


def _sources(src: Path) -> dict[str, nbformat.NotebookNode]:
    src.mkdir(parents=True)
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
    return nbs


def _submit(nb: nbformat.NotebookNode, body: str, path: Path, check: str | None = None) -> None:
    """The student version of ``nb`` with ``body`` as the answer, written to ``path``."""
    nb = assignments.student_version(nb)
    cell = nb.cells[2]
    start = cell.source.index("    # YOUR CODE HERE")
    cell.source = cell.source[:start] + textwrap.indent(textwrap.dedent(body).strip(), "    ")
    if check is not None:
        nb.cells[3].source = check
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _leftovers(*markers: str) -> list[str]:
    """Running processes whose command line holds a marker (zombies do not count)."""
    found = []
    for p in psutil.process_iter(["cmdline", "status"]):
        try:
            line = " ".join(p.info["cmdline"] or [])
        except psutil.Error:
            continue
        if p.info["status"] != psutil.STATUS_ZOMBIE and any(m in line for m in markers):
            found.append(f"{p.pid}: {line[:120]}")
    return found


def _wait_gone(*markers: str, within: float = 15) -> list[str]:
    end = time.monotonic() + within
    while (left := _leftovers(*markers)) and time.monotonic() < end:
        time.sleep(0.5)
    return left


@pytest.fixture
def course(tmp_path):
    src = tmp_path / "source"
    nbs = _sources(src)
    marker = f"gdl-orphan-{uuid.uuid4().hex}"
    reader = f"""
        import pathlib
        spots = [*pathlib.Path(".").glob("*"), *pathlib.Path("..").glob("*")]
        spots += [pathlib.Path({str(src / "01_two.ipynb")!r})] if {FENCED} else []
        for spot in spots:
            try:
                text = spot.read_text()
            except (OSError, UnicodeDecodeError):
                continue
            if "root(2)" in text or "HIDDEN" in text:
                raise RuntimeError(f"read the hidden tests in {{spot}}")
        return math.sqrt(x)
    """
    vandal = f"""
        import pathlib
        spots = [*pathlib.Path(".").glob("*"), *pathlib.Path("..").glob("*")]
        spots += list(pathlib.Path({str(src)!r}).glob("*")) if {FENCED} else []
        for spot in spots:
            try:
                spot.write_text("vandalised")
            except OSError:
                pass
    """
    hog = """
        import numpy as np
        hoard = [np.zeros(2 * 2**30, dtype=np.uint8) for _ in range(10)]  # 20 GB, untouched
        return 2 * x + 0 * int(hoard[0][0])
    """
    forker = f"""
        import subprocess, sys
        code = "import os, time\\nif os.fork(): os._exit(0)\\nos.setsid(); time.sleep(600)"
        subprocess.run([sys.executable, "-c", code, {marker!r}], start_new_session=True)
    """
    loop = """
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        while True:
            pass
    """
    subs = tmp_path / "submissions"
    plan = {  # the malicious come first in the alphabet: everyone after them must be unaffected
        ("a_loop", "00_one"): loop,  # first in line: the longest task starts first
        ("a_reader", "01_two"): reader,
        # vandalises, then forks a daemon: no file changes, nothing stays running, and it passes
        ("b_vandal", "00_one"): textwrap.dedent(vandal) + textwrap.dedent(forker) + "return 2 * x",
        ("c_hog", "00_one"): hog,
        ("f_crash", "00_one"): "import os; os._exit(1)",
        ("right", "00_one (1)"): "return 2 * x",  # a misnamed file, matched by its prefix
        ("right", "01_two"): "return math.sqrt(x)",
        ("tamper", "00_one"): "raise ValueError('this check passed')",
        ("wrong", "01_two"): "return x / 3",  # right at x = 9 only: the hidden test catches it
    }
    for (student, name), body in plan.items():
        check = "pass  # removed" if student == "tamper" else None
        _submit(nbs[name.split()[0]], body, subs / student / f"{name}.ipynb", check)
    (subs / "right" / "notes.txt").write_text("not a notebook")
    return src, subs, marker


def test_grade_a_hostile_class(course, tmp_path, monkeypatch):
    src, subs, marker = course
    monkeypatch.setenv("GDL_SECRET_TOKEN", "instructor-only")
    before = _hashes(src)
    # processes that were running before (e.g. the session's shared Dask cluster) are not ours
    already = {p.pid for p in psutil.Process().children(recursive=True)}
    out = tmp_path / "out"
    grades, counts = grade.grade_class(
        subs, out, source_dir=src, timeout=HOSTILE, workers=2, progress=False, scratch=tmp_path
    )
    assert _hashes(src) == before  # no instructor file changed
    assert counts == {"graded": 9, "resumed": 0, "not_submitted": 7}
    with open(out / "grades.csv") as fh:
        rows = {(r["student"], r["notebook"]): r for r in csv.DictReader(fh)}
    assert len(rows) == len(grades) == 16  # 8 students x 2 notebooks
    got = {k: (r["passed"], float(r["points"])) for k, r in rows.items()}
    expected = dict.fromkeys(rows, ("False", 0.0))  # not submitted, or failed
    expected |= {
        ("a_reader", "01_two"): ("True", 3.0),  # found no hidden test to read
        ("b_vandal", "00_one"): ("True", 2.0),  # and its daemon is gone (below)
        ("right", "00_one"): ("True", 2.0),
        ("right", "01_two"): ("True", 3.0),
    }
    assert got == expected
    assert rows["a_reader", "00_one"]["error"] == "not submitted"
    assert rows["right", "00_one"]["file"] == "00_one (1).ipynb"
    assert rows["c_hog", "00_one"]["error"].startswith("MemoryError")
    assert "time limit" in rows["a_loop", "00_one"]["error"]
    assert "kernel died" in rows["f_crash", "00_one"]["error"]
    assert rows["tamper", "00_one"]["error"].startswith("check cell edited")
    assert rows["tamper", "00_one"]["error"].endswith("passed")  # and still 0 points
    assert "AssertionError" in rows["wrong", "01_two"]["error"]
    assert "Total: 5 / 5 points" in (out / "feedback" / "right.md").read_text()
    # Nothing is left running: no daemon, no kernel, no runner, no worker.
    assert _wait_gone(marker, str(tmp_path)) == []
    mine = [p for p in psutil.Process().children(recursive=True) if p.pid not in already]
    # multiprocessing's tracker may stay
    assert [p for p in mine if "resource_tracker" not in " ".join(p.cmdline())] == []


def test_kernel_is_fenced_scrubbed_and_on_one_thread(tmp_path, monkeypatch):
    src = tmp_path / "source"
    nbs = _sources(src)
    check = textwrap.dedent(
        f"""
        import os, resource, pathlib, torch
        assert double(3) == 6
        assert "GDL_SECRET_TOKEN" not in os.environ and os.environ["GDL_FAST"] == "1", "env"
        assert os.environ["HOME"] == os.getcwd() != {str(src)!r}, "cwd"
        assert {{os.environ[v] for v in {grade.THREAD_VARS!r}}} == {{"1"}}, "threads"
        assert torch.get_num_threads() == torch.get_num_interop_threads() == 1, "torch"
        assert resource.getrlimit(resource.RLIMIT_AS)[0] == 6 * 2**30, "memory"
        assert os.listdir(".") == [], os.listdir(".")
        """
    )
    nbs["00_one"].cells[3].source = check
    nbformat.write(nbs["00_one"], src / "00_one.ipynb")
    monkeypatch.setenv("GDL_SECRET_TOKEN", "instructor-only")
    _submit(nbs["00_one"], "return 2 * x", tmp_path / "subs" / "x" / "00_one.ipynb")
    task = grade.Task("x", "00_one", tmp_path / "subs" / "x" / "00_one.ipynb", "f")
    limits = grade.Limits(timeout=60, memory=6 * 2**30, scratch=str(tmp_path))
    if FENCED:
        limits.fence = grade.fence_paths([src])
    (row,) = grade.grade_one(task, grade.load_assignment(src / "00_one.ipynb"), limits)
    assert (row.passed, row.error) == (True, "")


def test_killed_grader_resumes_with_the_rest(tmp_path, capsys):
    src = tmp_path / "source"
    nbs = _sources(src)
    subs, out = tmp_path / "subs", tmp_path / "out"
    for k in range(3):  # one graded before the kill, one killed in its run, one not started
        _submit(nbs["00_one"], "return 2 * x", subs / f"s{k}" / "00_one.ipynb")
    cmd = [sys.executable, "-m", "utils.grade", str(subs), "--out", str(out), "--source"]
    cmd += [str(src), "--workers", "1", "--timeout", str(TIMEOUT), "--scratch", str(tmp_path)]
    first = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stderr=subprocess.DEVNULL)
    end = time.monotonic() + 120
    while not list((out / "results").glob("*/*.json")) and time.monotonic() < end:
        time.sleep(0.2)
    tree = psutil.Process(first.pid).children(recursive=True)
    os.kill(first.pid, signal.SIGKILL)  # no clean-up at all
    first.wait()
    kept = {p: p.stat().st_mtime_ns for p in (out / "results").glob("*/*.json")}
    assert 1 <= len(kept) < 3
    psutil.wait_procs(tree, timeout=20)
    assert [p.pid for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    assert _wait_gone(str(tmp_path)) == []
    capsys.readouterr()
    assert grade.main(cmd[3:]) == 0  # the rerun, in this process (the same command line)
    assert f"graded {3 - len(kept)} notebook(s), {len(kept)} kept" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in kept} == kept
    with open(out / "grades.csv") as fh:
        assert [r["passed"] for r in csv.DictReader(fh)] == ["True"] * 3


def test_grade_reports_bad_input(tmp_path, capsys):
    src = tmp_path / "source"
    _sources(src)
    assert grade.main([str(tmp_path / "nope"), "--source", str(src)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    empty = tmp_path / "empty" / "someone"
    empty.mkdir(parents=True)
    assert grade.main([str(empty.parent), "--source", str(src)]) == 2
    assert "no submissions" in capsys.readouterr().err
    assert grade.main([str(empty.parent), "--source", str(src), "--notebooks", "07"]) == 2
    assert "no instructor notebook '07'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="timeout must be a positive"):
        grade.grade_class(empty.parent, tmp_path / "o", source_dir=src, timeout=0)


def test_missing_extra_is_one_clear_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails
    with pytest.raises(grade.MissingExtra, match=r"needs the 'grade' extra \(distributed"):
        grade.require_extra()


def test_submissions_matched_by_prefix(tmp_path):
    src = tmp_path / "source"
    _sources(src)
    sources = {p.stem: p for p in src.glob("*.ipynb")}
    for name in ["a/00_one (1).ipynb", "a/00_one.ipynb", "b/00-ONE.ipynb", "c/01_two.ipynb"]:
        (tmp_path / "subs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "subs" / name).write_text("{}")
    tasks = grade.find_submissions(tmp_path / "subs", sources)
    got = {(t.student, t.stem): (t.path.name if t.path else None, t.others) for t in tasks}
    assert got == {
        ("a", "00_one"): ("00_one.ipynb", ["00_one (1).ipynb"]),
        ("a", "01_two"): (None, []),
        ("b", "00_one"): ("00-ONE.ipynb", []),
        ("b", "01_two"): (None, []),
        ("c", "00_one"): (None, []),
        ("c", "01_two"): ("01_two.ipynb", []),
    }
    only = grade.find_submissions(tmp_path / "subs", sources, ["00"])
    assert {t.stem for t in only} == {"00_one"}


def test_pass_is_data_not_text():
    source = _source("double", "2 * x", "assert double(3) == 6", 2)
    assignment = grade.Assignment("00_one", grade.checks_of(source), [])
    task = grade.Task("s", "00_one", Path("00_one.ipynb"), "f")
    status = {"double_check": {"passed": False, "error": "ValueError: this check passed"}}
    (row,) = grade._rows(task, assignment, status, {"double_check": "tampered"}, "")
    assert (row.passed, row.points) == (False, 0.0)


def test_unreadable_and_incomplete_submissions(tmp_path):
    src = tmp_path / "source"
    nbs = _sources(src)
    assignment = grade.load_assignment(src / "00_one.ipynb")
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{ not json")
    limits = grade.Limits(timeout=60, scratch=str(tmp_path))
    (row,) = grade.grade_one(grade.Task("x", "00_one", bad, "f"), assignment, limits)
    assert not row.passed and "not a readable notebook" in row.error
    path = tmp_path / "00_one.ipynb"
    _submit(nbs["00_one"], "return 2 * x", path)
    nb = nbformat.read(path, as_version=4)
    del nb.cells[3]  # the check cell
    nbformat.write(nb, path)
    (row,) = grade.grade_one(grade.Task("x", "00_one", path, "f"), assignment, limits)
    assert not row.passed and row.error == "check cell missing from the submission"


def test_open_questions_graded_by_hand_and_merged(tmp_path, capsys):
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
    grades, _ = grade.grade_class(
        subs, out, source_dir=src, timeout=TIMEOUT, workers=2, progress=False, scratch=tmp_path
    )
    open_rows = {g.student: g for g in grades if g.exercise == "open question"}
    assert open_rows["wrote"].passed is None and open_rows["wrote"].max_points == 3
    assert open_rows["wrote"].error == "to be graded by hand"
    assert open_rows["blank"].error == "no answer written" and open_rows["blank"].answer == ""
    with open(out / "grades.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["passed"] for r in rows if r["exercise"] == "open question"] == ["", ""]
    assert "answer" not in rows[0]
    feedback = (out / "feedback" / "wrote.md").read_text()
    assert "2 / 2 points graded automatically, and 0 / 3 points of open questions" in feedback
    assert "graded by hand (1 still to grade)." in feedback
    assert "> Since doubling is linear.\n> Second line." in feedback

    def edit(points: dict[tuple[str, str], str]) -> Path:
        path = tmp_path / f"edited-{len(list(tmp_path.glob('edited-*')))}.csv"
        with open(path, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=rows[0].keys())
            w.writeheader()
            for r in rows:
                w.writerow({**r, "points": points.get((r["student"], r["exercise"]), r["points"])})
        return path

    good = edit({("wrote", "open question"): "2.5", ("blank", "open question"): ""})
    assert grade.main(["merge", str(good), "--out", str(out)]) == 0
    with open(out / "grades.csv") as fh:
        merged = {(r["student"], r["exercise"]): r for r in csv.DictReader(fh)}
    assert merged["wrote", "open question"]["points"] == "2.5"
    assert merged["wrote", "open question"]["error"] == "graded by hand"
    assert merged["blank", "open question"]["points"] == "0.0"
    assert (
        "and 2.5 / 3 points of open questions graded by hand."
        in (out / "feedback" / "wrote.md").read_text()
    )
    capsys.readouterr()
    for bad, message in [
        ({("wrote", "open question"): "4"}, "outside [0, 3]"),
        ({("wrote", "open question"): "lots"}, "is not a number"),
        ({("blank", "exercise 1"): "0"}, "automatically graded row changed"),
    ]:
        assert grade.main(["merge", str(edit(bad)), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1
    with open(out / "grades.csv") as fh:  # a refused merge changes nothing
        assert {(r["student"], r["exercise"]): r for r in csv.DictReader(fh)} == merged
    # A rerun keeps the hand grades and grades nothing again.
    grades, counts = grade.grade_class(subs, out, source_dir=src, workers=1, progress=False)
    assert counts == {"graded": 0, "resumed": 2, "not_submitted": 0}
    assert [g.points for g in grades if g.student == "wrote" and g.passed is None] == [2.5]
