"""Grade a class: run every submitted notebook in fast mode and score its exercises.

Submissions are laid out one folder per student, each holding the course notebooks they hand in::

    SUBMISSIONS/alice/00_introduction.ipynb
    SUBMISSIONS/alice/04_gan.ipynb
    SUBMISSIONS/bob/00_introduction.ipynb

``python -m utils.grade SUBMISSIONS [--out DIR] [--scheduler local|ADDRESS] [--timeout S]``
(or ``make grade SUBMISSIONS=DIR``) grades every (student, notebook) pair as one task:

1. The submission's **check cells are replaced** by the instructor's (from ``notebooks/``, hidden
   tests included), matched by their nbgrader ``grade_id``; a check cell whose text differs from
   the released one is reported as *tampered* (and graded with the instructor's anyway).
2. The notebook runs top to bottom in a **fresh kernel**, in fast mode (``GDL_FAST=1``), in its
   own process group with a wall-clock limit: a submission that raises, kills its kernel or
   loops forever is graded (the checks it did not reach score 0), never crashes the grader.
3. A check passes if its cell ran without an error; it earns the ``points`` in its nbgrader
   metadata. Open questions (markdown answer cells, see :func:`utils.assignments.open_questions`)
   get a row with ``passed`` empty, to be graded by hand: the feedback file quotes the student's
   answer for the grader, beside the rubric in the instructor's notebook.

Tasks run through Dask ``distributed`` (an in-process cluster by default, ``--scheduler`` for an
existing one): a class of 200 students × 10 notebooks is a few thousand independent tasks.
Outputs in ``--out`` (default ``grades/``): ``grades.csv`` (student, notebook, exercise, points,
max_points, passed, error) and ``feedback/<student>.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from .assignments import exercise_pairs, open_questions, student_version
from .config import FAST_ENV, NOTEBOOKS_DIR

#: Points of a check cell without nbgrader metadata.
DEFAULT_POINTS = 1.0
#: Wall-clock limit of one notebook, seconds (fast mode runs each course notebook in < 60 s).
DEFAULT_TIMEOUT = 180


@dataclass
class Check:
    """One graded check of a source notebook."""

    grade_id: str  # nbgrader id of the check cell
    exercise: str  # what the feedback calls it, e.g. "exercise 2"
    points: float
    source: str  # the instructor's check cell (hidden tests included)
    released: str  # the same cell as students receive it


@dataclass
class Grade:
    """One row of ``grades.csv``."""

    student: str
    notebook: str
    exercise: str
    points: float
    max_points: float
    passed: bool | None  # None: an open question, graded by hand
    error: str
    answer: str = ""  # the student's answer to an open question


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


def _grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def prepare(
    submission: nbformat.NotebookNode, checks: Sequence[Check]
) -> tuple[nbformat.NotebookNode, dict[str, str]]:
    """The notebook to execute (instructor's checks in place) and the problems found per check.

    A check cell is found by its ``grade_id``, else by its released text. Problems: ``missing``
    (no such cell: the check scores 0), ``tampered`` (its text was edited).
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
        nb.cells[idx].cell_type = "code"
        nb.cells[idx].source = check.source
        nb.cells[idx].metadata.setdefault("nbgrader", {})["grade_id"] = check.grade_id
    return nb, problems


def _error_line(cell: nbformat.NotebookNode) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            text = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
            return text.splitlines()[0][:200] if text else "error"
    return None


def execute(nb_path: Path, cwd: Path, timeout: float) -> tuple[dict[str, str | None], str]:
    """Run the notebook at ``nb_path`` in a fresh kernel, in a child process group.

    Returns ``({grade_id: error line or None}, note)`` for the check cells that ran, and a note
    ("" or why the run stopped early). The child is killed with its kernel after ``timeout``.
    """
    result = nb_path.with_suffix(".result.json")
    cmd = [sys.executable, "-m", "utils.grade", "--_execute", str(nb_path), str(cwd), str(timeout)]
    env = {**os.environ, FAST_ENV: "1"}
    proc = subprocess.Popen(
        cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _, err = proc.communicate(timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {}, f"stopped after {timeout:.0f} s (time limit)"
    if not result.exists():
        tail = err.decode(errors="replace").strip().splitlines()[-1:] if err else []
        return {}, "the notebook could not be run" + (f": {tail[0][:200]}" if tail else "")
    payload = json.loads(result.read_text())
    return payload["checks"], payload["note"]


def _execute_child(nb_path: Path, cwd: Path, timeout: float) -> None:
    """The child of :func:`execute`: nbclient with a per-cell limit, errors allowed."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=int(timeout),
        allow_errors=True,
        interrupt_on_timeout=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    )
    note = ""
    finished: set[int] = set()  # cells that ran to the end (a dying kernel leaves one unfinished)
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
                    finished.add(index)
    except DeadKernelError:
        note = "the kernel died"
    except Exception as exc:  # noqa: BLE001 - report, grade what ran
        note = f"execution stopped: {type(exc).__name__}: {str(exc).splitlines()[0][:150]}"
    checks: dict[str, str | None] = {}
    for index, cell in enumerate(nb.cells):
        gid = _grade_id(cell)
        if cell.cell_type != "code" or gid is None or index not in finished:
            continue
        outputs = cell.get("outputs", [])
        timed_out = any(
            o.get("output_type") == "error" and o.get("ename") == "KeyboardInterrupt"
            for o in outputs
        )
        checks[gid] = "time limit of a cell" if timed_out else _error_line(cell)
    nb_path.with_suffix(".result.json").write_text(json.dumps({"checks": checks, "note": note}))


def grade_one(
    student: str, submission: Path, source: Path, timeout: float = DEFAULT_TIMEOUT
) -> list[Grade]:
    """Grade one submitted notebook against the instructor notebook ``source``."""
    instructor = nbformat.read(source, as_version=4)
    checks = checks_of(instructor)

    def rows(status: dict[str, str | None], problems: dict[str, str], note: str) -> list[Grade]:
        out = []
        for c in checks:
            if c.grade_id in problems and problems[c.grade_id] == "missing":
                err: str | None = "check cell missing from the submission"
            elif c.grade_id in status:
                err = status[c.grade_id]
            else:
                err = f"not reached ({note})" if note else "not reached"
            if problems.get(c.grade_id) == "tampered":
                err = "check cell edited (graded with the original); " + (err or "passed")
                passed = err.endswith("passed")
            else:
                passed = err is None
            out.append(
                Grade(
                    student,
                    source.stem,
                    c.exercise,
                    c.points if passed else 0.0,
                    c.points,
                    passed,
                    "" if passed and err is None else (err or ""),
                )
            )
        return out

    try:
        submitted = nbformat.read(submission, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is graded 0
        return rows({}, {}, f"not a readable notebook: {type(exc).__name__}")
    nb, problems = prepare(submitted, checks)
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        path = Path(tmp) / f"{source.stem}.ipynb"
        nbformat.write(nb, path)
        status, note = execute(path, source.parent, timeout)
    return rows(status, problems, note) + open_answers(student, source.stem, instructor, submitted)


def open_answers(
    student: str,
    notebook: str,
    instructor: nbformat.NotebookNode,
    submitted: nbformat.NotebookNode,
) -> list[Grade]:
    """One row per open question of ``instructor``: the student's answer, graded by hand."""
    out = []
    for k, i in enumerate(open_questions(instructor), start=1):
        meta = instructor.cells[i].metadata["nbgrader"]
        gid = meta.get("grade_id", f"open{k}")
        cell = next((c for c in submitted.cells if _grade_id(c) == gid), None)
        answer = "" if cell is None else cell.source.strip()
        if cell is None:
            note = "answer cell missing from the submission"
        elif not answer or answer == "YOUR ANSWER HERE":
            note = "no answer written"
        else:
            note = "to be graded by hand"
        out.append(
            Grade(
                student,
                notebook,
                "open question",
                0.0,
                float(meta.get("points", DEFAULT_POINTS)),
                None,
                note,
                answer if note == "to be graded by hand" else "",
            )
        )
    return out


def find_submissions(folder: Path, source_dir: Path) -> list[tuple[str, Path, Path]]:
    """``(student, submitted notebook, instructor notebook)`` for every gradable file."""
    if not folder.is_dir():
        raise ValueError(f"grade: {folder} is not a folder of student folders")
    sources = {p.stem: p for p in source_dir.glob("[0-9][0-9]_*.ipynb")}
    tasks = []
    for student in sorted(p for p in folder.iterdir() if p.is_dir()):
        for nb in sorted(student.glob("*.ipynb")):
            if nb.stem in sources:
                tasks.append((student.name, nb, sources[nb.stem]))
    if not tasks:
        raise ValueError(
            f"grade: no submissions in {folder} (expected STUDENT/NN_topic.ipynb with a course "
            f"notebook's name: {', '.join(sorted(sources)) or 'none found'})"
        )
    return tasks


def grade_class(
    folder: str | Path,
    out: str | Path = "grades",
    *,
    source_dir: str | Path = NOTEBOOKS_DIR,
    scheduler: str = "local",
    timeout: float = DEFAULT_TIMEOUT,
    workers: int | None = None,
    progress: bool = True,
) -> list[Grade]:
    """Grade every submission in ``folder`` through Dask; write ``grades.csv`` and feedback."""
    from distributed import Client, LocalCluster, as_completed
    from tqdm.auto import tqdm

    if not (isinstance(timeout, int | float) and timeout > 0):
        raise ValueError(f"grade: timeout must be a positive number of seconds, got {timeout!r}")
    tasks = find_submissions(Path(folder), Path(source_dir))
    if scheduler == "local":
        n = workers or os.cpu_count() or 2
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=False, dashboard_address=None
        )
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    grades: list[Grade] = []
    try:
        futures = [
            client.submit(grade_one, s, sub, src, timeout, pure=False) for s, sub, src in tasks
        ]
        for fut in tqdm(
            as_completed(futures), total=len(futures), desc="grading", disable=not progress
        ):
            grades += fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    grades.sort(key=lambda g: (g.student, g.notebook, g.exercise))
    write_outputs(grades, Path(out))
    return grades


def write_outputs(grades: Sequence[Grade], out: Path) -> None:
    """``grades.csv`` and one feedback file per student."""
    out.mkdir(parents=True, exist_ok=True)
    fields = [f for f in Grade.__dataclass_fields__ if f != "answer"]  # answers: feedback only
    with open(out / "grades.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        for g in grades:
            row = asdict(g)
            del row["answer"]
            w.writerow({**row, "passed": "" if g.passed is None else g.passed})
    fb = out / "feedback"
    fb.mkdir(exist_ok=True)
    for student in sorted({g.student for g in grades}):
        mine = [g for g in grades if g.student == student]
        auto = [g for g in mine if g.passed is not None]
        by_hand = sum(g.max_points for g in mine if g.passed is None)
        total, most = sum(g.points for g in auto), sum(g.max_points for g in auto)
        summary = f"Total: {total:g} / {most:g} points graded automatically"
        summary += f", and {by_hand:g} points of open questions graded by hand." if by_hand else "."
        lines = [f"# Feedback for {student}", "", summary, ""]
        for nb in sorted({g.notebook for g in mine}):
            lines += [f"## {nb}", "", "| exercise | points | result |", "|---|---|---|"]
            for g in (g for g in mine if g.notebook == nb):
                if g.passed is None:
                    lines.append(f"| {g.exercise} | ? / {g.max_points:g} | {g.error} |")
                    continue
                result = "passed" if g.passed else f"failed: {g.error}".replace("|", "/")
                lines.append(f"| {g.exercise} | {g.points:g} / {g.max_points:g} | {result} |")
            lines.append("")
            for g in (g for g in mine if g.notebook == nb and g.answer):
                quoted = "\n".join("> " + line for line in g.answer.splitlines())
                lines += [f"### {g.exercise}: the answer to grade", "", quoted, ""]
        (fb / f"{student}.md").write_text("\n".join(lines))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--_execute"]:  # the child process of one notebook
        _execute_child(Path(argv[1]), Path(argv[2]), float(argv[3]))
        return 0
    ap = argparse.ArgumentParser(prog="python -m utils.grade", description=__doc__.splitlines()[0])
    ap.add_argument("submissions", help="folder with one sub-folder of notebooks per student")
    ap.add_argument("--out", default="grades", help="output folder (default grades/)")
    ap.add_argument("--scheduler", default="local", help="'local' or a Dask scheduler address")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per notebook")
    ap.add_argument("--source", default=str(NOTEBOOKS_DIR), help="the instructor's notebooks")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    try:
        grades = grade_class(
            args.submissions,
            args.out,
            source_dir=args.source,
            scheduler=args.scheduler,
            timeout=args.timeout,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    n = len({(g.student, g.notebook) for g in grades})
    print(
        f"graded {n} notebook(s) of {len({g.student for g in grades})} student(s) in "
        f"{time.perf_counter() - start:.1f} s; {args.out}/grades.csv and {args.out}/feedback/"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
