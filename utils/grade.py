"""Grade a class: run every submitted notebook in fast mode, fenced off, and score its exercises.

Submissions are laid out one folder per student, each holding the course notebooks they hand in::

    SUBMISSIONS/alice/00_introduction.ipynb
    SUBMISSIONS/alice/04_gan (1).ipynb      # matched to 04 by its NN_ prefix
    SUBMISSIONS/bob/00_introduction.ipynb   # bob gets "not submitted" rows for 04

``python -m utils.grade SUBMISSIONS [--out DIR] [--scheduler local|ADDRESS] [--workers N]
[--timeout S] [--memory GB] [--notebooks NN ...]`` (or ``make grade SUBMISSIONS=DIR``) grades
every (student, notebook) pair as one task:

1. The instructor notebooks are read **once**, in this process, before any submission runs: the
   checks (hidden tests included) travel to the tasks as data. A submission's check cells are
   replaced by the instructor's, matched by nbgrader ``grade_id``; an edited one is reported as
   *tampered* (and graded with the instructor's anyway).
2. Each notebook runs in a fresh kernel in its **own temporary directory** (never beside the
   instructor's notebooks), with a scrubbed environment (fast mode ``GDL_FAST=1``, one thread,
   no variable of the grader's), a memory limit on the kernel (``RLIMIT_AS``, ``--memory``), a
   wall-clock limit that kills the whole process tree (the kernel and anything it forked, even a
   daemon that left its session), and, where Linux offers Landlock, a file-system fence: the
   kernel may write only in its directory and read only the Python installation, ``utils/`` and
   ``data/`` (the instructor's notebooks, ``.git`` and the results are out of its reach).
3. A check passes only if its cell ran to the end and reported so (a record with a per-task
   token, kept as data); the error line is for the feedback and never decides a score. It earns
   the ``points`` in its nbgrader metadata. Open questions (markdown answer cells, see
   :func:`utils.assignments.open_questions`) get a row with ``passed`` empty, graded by hand.
4. A course notebook a student did not hand in (no file with its ``NN_`` prefix) gets "not
   submitted" rows. Which notebooks are due: ``--notebooks``, else those anyone handed in.

Each task's result is written to ``OUT/results/<student>/<notebook>.json`` (atomically) as soon
as it finishes, so an interrupted class resumes: a rerun grades only the submissions without a
result (or whose file or checks changed since). Tasks run through Dask ``distributed`` (worker
processes with one thread each; ``--scheduler`` for an existing cluster). Outputs in ``--out``
(default ``grades/``): ``grades.csv`` (student, notebook, exercise, id, file, points,
max_points, passed, error) and ``feedback/<student>.md``.

Hand grading: fill in the ``points`` of the open-question rows of a copy of ``grades.csv`` and
``python -m utils.grade merge EDITED.csv [--out grades]``; the points are kept in
``OUT/manual.json`` and every later run writes them into ``grades.csv`` and the feedback.

The fence stops what the tests try (reading the hidden tests, rewriting the instructor's files,
forking past the kernel, eating memory, looping); it is not a container. For a class you do not
trust, run the grader as a user who cannot write the instructor's repository.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import hashlib
import json
import math
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from .assignments import exercise_pairs, open_questions, student_version
from .config import CACHE_DIR, DATA_DIR, FAST_ENV, NOTEBOOKS_DIR, ROOT
from .files import write_atomic

#: The optional dependency group that ``grade`` needs (Dask ``distributed`` and nbgrader).
EXTRA = "grade"
#: Points of a check cell without nbgrader metadata.
DEFAULT_POINTS = 1.0
#: Wall-clock limit of one notebook, seconds (fast mode runs each course notebook in < 60 s).
DEFAULT_TIMEOUT = 180.0
#: Address-space limit of one kernel, GB (importing torch alone reserves about 4 GB).
DEFAULT_MEMORY_GB = 8.0
#: MIME type of the record a check cell displays when it ran to its end.
REPORT_MIME = "application/vnd.gdl-grade.check+json"
#: Address-space limit of the runner that holds a notebook's outputs, bytes.
RUNNER_MEMORY = 3 * 2**30
#: Seconds the worker waits for a runner beyond the notebook's own limit before killing it.
GRACE = 30.0
#: Variables that keep every numerical library in a kernel on one thread.
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
FIELDS = (
    "student",
    "notebook",
    "exercise",
    "id",
    "file",
    "points",
    "max_points",
    "passed",
    "error",
)


class MissingExtra(ValueError):
    """A package of the ``grade`` extra is not installed."""


def require_extra() -> None:
    """Import what grading needs, or stop with one line naming the extra to install."""
    for name in ("distributed", "nbgrader", "psutil", "nbclient"):
        try:
            __import__(name)
        except ImportError as exc:
            raise MissingExtra(
                f"grade: needs the '{EXTRA}' extra ({name} is not installed): "
                f"pip install -e '.[{EXTRA}]'"
            ) from exc


# --------------------------------------------------------------------------------------------
# What is graded: read once, in the parent
# --------------------------------------------------------------------------------------------


@dataclass
class Check:
    """One graded check of a source notebook."""

    grade_id: str  # nbgrader id of the check cell
    exercise: str  # what the feedback calls it, e.g. "exercise 2"
    points: float
    source: str  # the instructor's check cell (hidden tests included)
    released: str  # the same cell as students receive it


@dataclass
class Question:
    """One open question of a source notebook, graded by hand."""

    grade_id: str
    points: float


@dataclass
class Assignment:
    """Everything a task needs to know about one instructor notebook (read once, then data)."""

    stem: str
    checks: list[Check]
    questions: list[Question]
    digest: str = ""  # changes when a check, a hidden test or a point value changes

    def __post_init__(self) -> None:
        if not self.digest:
            blob = json.dumps(
                [asdict(c) for c in self.checks] + [asdict(q) for q in self.questions]
            )
            self.digest = hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass
class Grade:
    """One row of ``grades.csv``."""

    student: str
    notebook: str
    exercise: str
    id: str  # the nbgrader grade_id of the check or answer cell
    file: str  # the file graded ("" when not submitted)
    points: float
    max_points: float
    passed: bool | None  # None: an open question, graded by hand
    error: str
    answer: str = ""  # the student's answer to an open question (feedback only)


@dataclass
class Limits:
    """What one submission may use."""

    timeout: float = DEFAULT_TIMEOUT  # wall-clock seconds for the whole notebook
    memory: int = int(DEFAULT_MEMORY_GB * 2**30)  # bytes of address space of the kernel
    fence: dict[str, list[str]] | None = None  # Landlock paths, see :func:`fence_paths`
    pythonpath: str = ""  # set only when ``utils`` is not installed in the interpreter
    scratch: str | None = None  # where task directories go (default: the system's temp dir)


@dataclass
class Task:
    """One (student, notebook) pair; ``path`` is None when the student did not hand it in."""

    student: str
    stem: str
    path: Path | None
    fingerprint: str
    others: list[str] = field(default_factory=list)  # further files with the same prefix


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


def _grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


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


# --------------------------------------------------------------------------------------------
# Finding the submissions
# --------------------------------------------------------------------------------------------

_PREFIX = re.compile(r"^(\d\d)(?!\d)")


def _digest_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def find_submissions(
    folder: Path, sources: dict[str, Path], due: Sequence[str] | None = None
) -> list[Task]:
    """One :class:`Task` per student folder and due notebook, matched by the ``NN_`` prefix.

    ``04_gan.ipynb``, ``04_gan (1).ipynb`` and ``04-GAN.ipynb`` all count as 04; with several,
    the exact name wins, else the newest file (the others are named in the feedback). A due
    notebook without a file gives a task with ``path=None`` ("not submitted"). ``due`` lists
    notebook stems or ``NN`` prefixes; by default every notebook someone handed in.
    """
    if not folder.is_dir():
        raise ValueError(f"grade: {folder} is not a folder of student folders")
    by_prefix = {stem[:2]: stem for stem in sources}
    students = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    found: dict[tuple[str, str], list[Path]] = {}
    for student in students:
        for nb in student.glob("*.ipynb"):
            m = _PREFIX.match(nb.name)
            if m and m.group(1) in by_prefix:
                found.setdefault((student.name, by_prefix[m.group(1)]), []).append(nb)
    if due:
        stems = []
        for name in due:
            stem = by_prefix.get(name[:2])
            if stem is None:
                raise ValueError(
                    f"grade: no instructor notebook {name!r} (have {', '.join(sorted(sources))})"
                )
            stems.append(stem)
    else:
        stems = sorted({stem for _, stem in found})
    if not stems or not students:
        raise ValueError(
            f"grade: no submissions in {folder} (expected STUDENT/NN_topic.ipynb with a course "
            f"notebook's prefix: {', '.join(sorted(sources)) or 'none found'})"
        )
    tasks = []
    for student in students:
        for stem in sorted(set(stems)):
            files = found.get((student.name, stem), [])
            if not files:
                tasks.append(Task(student.name, stem, None, "missing"))
                continue
            files.sort(key=lambda p: (p.name != f"{stem}.ipynb", -p.stat().st_mtime, p.name))
            chosen = files[0]
            tasks.append(
                Task(
                    student.name,
                    stem,
                    chosen,
                    _digest_file(chosen),
                    [p.name for p in files[1:]],
                )
            )
    return tasks


# --------------------------------------------------------------------------------------------
# Running one notebook, fenced (worker side, runner process, kernel process)
# --------------------------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_NO_NEW_PRIVS = 38


def _prctl(option: int, value: int) -> bool:
    """``prctl(option, value)`` on Linux; False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _landlock_abi() -> int:
    """The Landlock ABI version of the running Linux kernel (0: none)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return max(0, libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1)))
    except (OSError, AttributeError):
        return 0


def fence_paths(sources: Iterable[Path] = ()) -> dict[str, list[str]]:
    """What a fenced kernel may read: the system, the Python installation, ``utils/``, ``data/``.

    The repository root may be listed (imports look up names there) but not read, so
    ``notebooks/``, ``.git`` and anything else in it stay closed. Raises ``ValueError`` if a
    folder of instructor notebooks in ``sources`` would be readable.
    """
    system = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/opt", "/proc", "/sys"]
    py = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(sys.executable).resolve().parent)}
    py |= {p for p in sys.path if p and Path(p).is_dir()}
    read = sorted(
        {str(Path(p).resolve()) for p in [*system, *py] if Path(p).exists()}
        | {str(ROOT / "utils"), str(DATA_DIR), str(CACHE_DIR)}
    )
    # The repository itself never: a path inside it is read only if named above or in .venv.
    inside = (ROOT / "utils", DATA_DIR, CACHE_DIR, ROOT / ".venv")
    read = [
        p
        for p in read
        if Path(p).exists()
        and (
            ROOT not in [Path(p), *Path(p).parents]
            or any(Path(p).is_relative_to(i) for i in inside)
        )
    ]
    for src in sources:
        src = Path(src).resolve()
        for p in read:
            if src == Path(p) or Path(p) in src.parents:
                raise ValueError(
                    f"grade: the instructor notebooks in {src} lie inside {p}, which graded "
                    "kernels must read; move them (or pass --no-fence)"
                )
    return {"read": read, "list": [str(ROOT)], "write": ["/dev"]}


def _landlock(read: Sequence[str], listable: Sequence[str], write: Sequence[str]) -> None:
    """Restrict this process and its children to ``read`` (read, execute), ``listable`` (list
    names) and ``write`` (everything); raises ``OSError`` if Linux refuses."""
    libc = ctypes.CDLL(None, use_errno=True)
    abi = _landlock_abi()
    if abi < 1:
        raise OSError("Landlock is not available")
    handled = (1 << 13) - 1 | (1 << 13 if abi >= 2 else 0) | (1 << 14 if abi >= 3 else 0)
    execute, read_file, read_dir = 1, 4, 8
    file_rights = execute | 2 | read_file | (1 << 14 if abi >= 3 else 0)

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed", ctypes.c_uint64), ("fd", ctypes.c_int32)]

    attr = ctypes.c_uint64(handled)
    ruleset = libc.syscall(444, ctypes.byref(attr), ctypes.c_size_t(8), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        rules = [(p, execute | read_file | read_dir) for p in read]
        rules += [(p, read_dir) for p in listable] + [(p, handled) for p in write]
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            if not Path(path).is_dir():
                access &= file_rights
            rule = PathBeneath(access & handled, fd)
            err = libc.syscall(445, ruleset, 1, ctypes.byref(rule), ctypes.c_uint32(0))
            os.close(fd)
            if err:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
        if not _prctl(_PR_SET_NO_NEW_PRIVS, 1) or libc.syscall(446, ruleset, 0):
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)


def scrubbed_env(work: Path, pythonpath: str = "") -> dict[str, str]:
    """The whole environment of a graded kernel: nothing of the grader's is passed on."""
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin:/usr/bin:/bin"]),
        "HOME": str(work),
        "TMPDIR": str(work),
        "IPYTHONDIR": str(work.parent / "io" / "ipython"),  # beside the work, not in it
        "MPLCONFIGDIR": str(work.parent / "io" / "matplotlib"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",
        "CUDA_VISIBLE_DEVICES": "",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        FAST_ENV: "1",
        **dict.fromkeys(THREAD_VARS, "1"),
    }
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def _kill_descendants(root: object, keep: frozenset[tuple[int, float]] = frozenset()) -> None:
    """Stop, then kill, every descendant of the psutil process ``root`` not in ``keep``."""
    import psutil

    for _ in range(50):
        try:
            procs = [p for p in root.children(recursive=True) if _ident(p) not in keep]
        except psutil.Error:
            return
        if not procs:
            return
        for how in ("suspend", "kill"):  # stopped first, so nothing forks while we kill
            for p in procs:
                try:
                    getattr(p, how)()
                except psutil.Error:
                    pass
        psutil.wait_procs(procs, timeout=2)


def _ident(p: object) -> tuple[int, float]:
    import psutil

    try:
        return (p.pid, p.create_time())
    except psutil.Error:
        return (p.pid, 0.0)


def run_notebook(nb: nbformat.NotebookNode, limits: Limits) -> tuple[dict[str, dict], str]:
    """Run ``nb`` in a fenced kernel; ``({grade_id: {"passed", "error"}}, note)``.

    The runner (``python -m utils.grade --_run``) gets the notebook on its standard input (no
    copy lies where the kernel could read it), starts the kernel in a fresh directory and kills
    every process below it at the end or after ``limits.timeout``. This process adopts orphans
    (a child subreaper) and kills any left when the runner is done.
    """
    import psutil

    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    me = psutil.Process()
    before = frozenset(_ident(p) for p in me.children(recursive=True))
    with tempfile.TemporaryDirectory(prefix="gdl-grade-", dir=limits.scratch) as tmp:
        task = Path(tmp)
        work = task / "work"
        work.mkdir()
        payload = {"notebook": nb, "task": str(task), "limits": asdict(limits)}
        with open(task / "runner.log", "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "utils.grade", "--_run", str(os.getpid())],
                cwd=task,
                env=scrubbed_env(work, limits.pythonpath),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
            note = ""
            try:
                out, _ = proc.communicate(
                    json.dumps(payload).encode(), timeout=limits.timeout + GRACE
                )
            except subprocess.TimeoutExpired:
                _kill_descendants(psutil.Process(proc.pid))
                proc.kill()
                out, _ = proc.communicate(timeout=10)
                note = f"stopped after {limits.timeout:.0f} s (time limit)"
            finally:
                _kill_descendants(me, before)
        try:
            result = json.loads(out.decode())
            return result["checks"], result["note"]
        except (ValueError, KeyError, UnicodeDecodeError):
            tail = (task / "runner.log").read_text(errors="replace").strip().splitlines()[-1:]
            return {}, note or "the notebook could not be run" + (
                f": {tail[0][:200]}" if tail else ""
            )


def _runner_main(parent: int) -> None:
    """The runner process of :func:`run_notebook` (child of ``parent``): nbclient under a
    deadline, and nothing left behind, whether it ends, times out or loses its parent."""
    import resource

    import psutil

    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    me, started = psutil.Process(), time.monotonic()
    deadline = [math.inf]  # set once the limits are read
    done = threading.Event()
    stopped: list[str] = []
    result_fd = os.dup(1)  # our result goes here; the kernel inherits /dev/null on 0, 1 and 2

    def finish(checks: dict, note: str) -> None:
        with open(result_fd, "w") as fh:
            json.dump({"checks": checks, "note": note}, fh)

    def watchdog() -> None:
        while not done.wait(0.25):
            if os.getppid() != parent:  # the worker is gone: leave nothing behind
                _kill_descendants(me)
                os._exit(3)
            late = time.monotonic() - deadline[0]
            if late > 2 and not stopped:
                stopped.append(f"stopped after {time.monotonic() - started:.0f} s (time limit)")
                _kill_descendants(me)
            if late > GRACE - 10:  # the main thread is stuck: answer for it
                _kill_descendants(me)
                finish({}, stopped[0])
                os._exit(4)

    threading.Thread(target=watchdog, daemon=True).start()
    payload = json.loads(sys.stdin.buffer.read())
    limits = Limits(**payload["limits"])
    deadline[0] = started + limits.timeout
    task = Path(payload["task"])
    nb = nbformat.from_dict(payload["notebook"])
    del payload
    err_fd = os.dup(2)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    sys.stderr = open(err_fd, "w", buffering=1)  # noqa: SIM115 - lives as long as the process
    # The runner keeps every output the kernel sends: a bound, so a flood cannot take the host.
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]  # the kernel sets its own below it
    resource.setrlimit(resource.RLIMIT_AS, (RUNNER_MEMORY, hard))
    checks, note = _execute(nb, task, task / "work", limits, deadline[0])
    done.set()
    _kill_descendants(me)
    finish(checks, stopped[0] if stopped else note)


def _execute(
    nb: nbformat.NotebookNode, task: Path, work: Path, limits: Limits, deadline: float
) -> tuple[dict[str, dict], str]:
    """Run ``nb`` cell by cell in a fenced kernel; structured check results and a note."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    (task / "io").mkdir(exist_ok=True)  # the connection file (the kernel rewrites it)
    config = {"memory": limits.memory, "fence": limits.fence, "work": str(work)}
    spec = task / "kernels" / "gdl-grade"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "utils.grade", "--_kernel", json.dumps(config)]
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [*argv, "-f", "{connection_file}"],
                "display_name": "graded",
                "language": "python",
            }
        )
    )
    km = AsyncKernelManager(
        kernel_name="gdl-grade",
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(task / "kernels")]),
        connection_file=str(task / "io" / "connection.json"),
    )
    client = NotebookClient(
        nb,
        km=km,
        timeout=max(1, int(limits.timeout)),
        allow_errors=True,
        interrupt_on_timeout=False,
        startup_timeout=60,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(work)}},
    )
    note = ""
    finished: set[int] = set()  # cells that ran to the end (a dying kernel leaves one unfinished)
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                client.timeout = max(1, math.ceil(deadline - time.monotonic()))
                client.execute_cell(cell, index)
                finished.add(index)
    except CellTimeoutError:
        note = f"stopped after {limits.timeout:.0f} s (time limit)"
    except DeadKernelError:
        note = "the kernel died"
    except Exception as exc:  # noqa: BLE001 - report, grade what ran
        note = f"execution stopped: {type(exc).__name__}: {str(exc).splitlines()[0][:150]}"
    checks: dict[str, dict] = {}
    token = nb.metadata.get("gdl_grade_token", "")
    for index, cell in enumerate(nb.cells):
        gid = _grade_id(cell)
        if cell.cell_type != "code" or gid is None or index not in finished:
            continue
        reported = any(
            o.get("output_type") == "display_data"
            and o.get("data", {}).get(REPORT_MIME) == {"id": gid, "token": token}
            for o in cell.get("outputs", [])
        )
        error = next(
            (
                f"{o.get('ename', 'Error')}: {o.get('evalue', '')}".strip().splitlines()[0][:200]
                for o in cell.get("outputs", [])
                if o.get("output_type") == "error"
            ),
            "",
        )
        passed = reported and not error
        if not passed and not error:
            error = "the check did not report its end"
        checks[gid] = {"passed": passed, "error": error}
    return checks, note


class _TorchThreads:
    """A meta-path finder that puts torch on one intra-op and one inter-op thread on import."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        if name != "torch":
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: object) -> None:
            run(module)
            module.set_num_threads(1)
            module.set_num_interop_threads(1)

        spec.loader.exec_module = exec_module
        return spec


def _kernel_main(argv: list[str]) -> None:
    """The graded kernel: limits and fence first, then ipykernel (``argv``: config, -f FILE)."""
    import resource

    config = json.loads(argv[0])
    _prctl(_PR_SET_PDEATHSIG, 9)  # SIGKILL when the runner goes
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if config["memory"]:
        resource.setrlimit(resource.RLIMIT_AS, (config["memory"], config["memory"]))
    fence = config["fence"]
    if fence:
        io = str(Path(config["work"]).parent / "io")  # the connection file
        _landlock(fence["read"], fence["list"], [*fence["write"], config["work"], io])
    sys.meta_path.insert(0, _TorchThreads())
    sys.path[0] = ""
    sys.argv = ["ipykernel_launcher", *argv[1:]]
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


# --------------------------------------------------------------------------------------------
# One task (runs on a Dask worker)
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# The class: results per task, resume, outputs, hand grades
# --------------------------------------------------------------------------------------------


def result_path(out: Path, student: str, notebook: str) -> Path:
    """Where the result record of one task is kept."""
    return out / "results" / student / f"{notebook}.json"


def load_results(out: Path) -> dict[tuple[str, str], dict]:
    """Every result record under ``out/results``, by (student, notebook)."""
    records = {}
    for path in sorted((out / "results").glob("*/*.json")):
        try:
            rec = json.loads(path.read_text())
            records[rec["student"], rec["notebook"]] = rec
        except (ValueError, KeyError):
            continue  # a torn or foreign file: the task is graded again
    return records


def _fence_for(sources: Iterable[Path], fence: bool | None) -> dict[str, list[str]] | None:
    available = _landlock_abi() > 0
    if fence is None:
        fence = available
    if not fence:
        return None
    if not available:
        raise ValueError("grade: this system has no Landlock file-system fence (pass --no-fence)")
    return fence_paths(sources)


def _pythonpath(scratch: str | None) -> str:
    """``""`` if a clean interpreter imports ``utils`` (installed), else the repository root."""
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        env = scrubbed_env(Path(tmp))
        ok = subprocess.run(
            [sys.executable, "-c", "import utils"], cwd=tmp, env=env, capture_output=True
        )
    return "" if ok.returncode == 0 else str(ROOT)


def grade_class(
    folder: str | Path,
    out: str | Path = "grades",
    *,
    source_dir: str | Path = NOTEBOOKS_DIR,
    notebooks: Sequence[str] | None = None,
    scheduler: str = "local",
    timeout: float = DEFAULT_TIMEOUT,
    memory_gb: float = DEFAULT_MEMORY_GB,
    workers: int | None = None,
    fence: bool | None = None,
    regrade: bool = False,
    scratch: str | Path | None = None,
    progress: bool = True,
) -> tuple[list[Grade], dict[str, int]]:
    """Grade every submission in ``folder`` through Dask; ``(rows, counts)``.

    Results are written per task as they finish; a task whose record matches its submission
    and checks is not run again (``regrade=True`` runs all). ``counts``: ``graded``,
    ``resumed``, ``not_submitted``. Writes ``grades.csv`` and ``feedback/`` into ``out``.
    """
    if not (isinstance(timeout, int | float) and timeout > 0):
        raise ValueError(f"grade: timeout must be a positive number of seconds, got {timeout!r}")
    if not (isinstance(memory_gb, int | float) and memory_gb >= 0):
        raise ValueError(f"grade: memory must be a number of GB >= 0 (0: none), got {memory_gb!r}")
    require_extra()
    from distributed import Client, LocalCluster, as_completed
    from tqdm.auto import tqdm

    out, source_dir = Path(out), Path(source_dir)
    sources = {p.stem: p for p in sorted(source_dir.glob("[0-9][0-9]_*.ipynb"))}
    tasks = find_submissions(Path(folder), sources, notebooks)
    stems = sorted({t.stem for t in tasks})
    before = {stem: _digest_file(sources[stem]) for stem in stems}
    assignments = {stem: load_assignment(sources[stem]) for stem in stems}  # read once, here
    scratch = str(scratch) if scratch is not None else None
    limits = Limits(
        timeout=float(timeout),
        memory=int(memory_gb * 2**30),
        fence=_fence_for([source_dir], fence),
        pythonpath=_pythonpath(scratch),
        scratch=scratch,
    )
    done = {} if regrade else load_results(out)
    todo, counts = [], {"graded": 0, "resumed": 0, "not_submitted": 0}
    for t in tasks:
        rec = done.get((t.student, t.stem))
        if (
            rec is not None
            and rec["fingerprint"] == f"{t.fingerprint}:{assignments[t.stem].digest}"
        ):
            counts["resumed"] += t.path is not None
            counts["not_submitted"] += t.path is None
        elif t.path is None:
            rec = grade_task(t, assignments[t.stem], limits)
            write_atomic(result_path(out, t.student, t.stem), json.dumps(rec))
            counts["not_submitted"] += 1
        else:
            todo.append(t)
    if todo:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                memory_limit=0,
            )
            client = Client(cluster)
        else:
            cluster, client = None, Client(scheduler)
        try:
            futures = {
                client.submit(grade_task, t, assignments[t.stem], limits, pure=False): t
                for t in todo
            }
            for fut in tqdm(
                as_completed(futures), total=len(futures), desc="grading", disable=not progress
            ):
                t = futures[fut]
                try:
                    rec = fut.result()
                except Exception as exc:  # noqa: BLE001 - e.g. a submission killed its worker
                    rows = _rows(t, assignments[t.stem], {}, {}, f"grader failed: {exc!r}"[:200])
                    rec = {
                        "student": t.student,
                        "notebook": t.stem,
                        "fingerprint": f"{t.fingerprint}:{assignments[t.stem].digest}",
                        "rows": [asdict(g) for g in rows],
                    }
                write_atomic(result_path(out, t.student, t.stem), json.dumps(rec))
                counts["graded"] += 1
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    changed = [s for s in stems if _digest_file(sources[s]) != before[s]]
    if changed:
        print(
            f"warning: instructor notebook(s) {', '.join(changed)} changed while grading; "
            "every task used the checks read before it started",
            file=sys.stderr,
        )
    records = load_results(out)
    grades = [
        Grade(**row)
        for t in tasks
        for row in records.get((t.student, t.stem), {"rows": []})["rows"]
    ]
    grades = apply_manual(grades, load_manual(out))
    write_outputs(grades, out)
    return grades, counts


def load_manual(out: Path) -> dict[tuple[str, str, str], float]:
    """Hand-graded points kept by :func:`merge`, by (student, notebook, id)."""
    path = out / "manual.json"
    if not path.exists():
        return {}
    return {
        (r["student"], r["notebook"], r["id"]): float(r["points"])
        for r in json.loads(path.read_text())
    }


def apply_manual(grades: list[Grade], manual: dict[tuple[str, str, str], float]) -> list[Grade]:
    """``grades`` with the hand-graded points of open questions filled in."""
    for g in grades:
        pts = manual.get((g.student, g.notebook, g.id))
        if pts is not None and g.passed is None:
            g.points, g.error = pts, "graded by hand"
    return grades


def merge(edited: str | Path, out: str | Path = "grades") -> int:
    """Merge the hand-graded points of an edited copy of ``grades.csv``; the number merged.

    Only rows graded by hand (``passed`` empty: open questions) take points; a blank keeps a
    row ungraded. Changing the points of an automatically graded row, a row the grader does
    not know, or points outside ``[0, max_points]`` stop with one line naming the row.
    """
    out, edited = Path(out), Path(edited)
    if not edited.is_file():
        raise ValueError(f"merge: {edited} is not a file")
    grades = apply_manual(
        [Grade(**row) for rec in load_results(out).values() for row in rec["rows"]],
        load_manual(out),
    )
    if not grades:
        raise ValueError(f"merge: no results in {out}/results (grade the class first)")
    index = {(g.student, g.notebook, g.id): g for g in grades}
    manual: dict[tuple[str, str, str], float] = {}
    with open(edited, newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"student", "notebook", "id", "points"}
        if not need <= set(reader.fieldnames or []):
            raise ValueError(f"merge: {edited} needs the columns {', '.join(sorted(need))}")
        for line, r in enumerate(reader, start=2):
            key = (r["student"], r["notebook"], r["id"])
            where = f"merge: {edited}:{line} ({'/'.join(key)})"
            g = index.get(key)
            if g is None:
                raise ValueError(f"{where}: no such row in {out}/results")
            text = (r["points"] or "").strip()
            try:
                pts = float(text) if text else None
            except ValueError:
                raise ValueError(f"{where}: points {text!r} is not a number") from None
            if g.passed is not None:
                if pts is not None and pts != g.points:
                    raise ValueError(
                        f"{where}: points of an automatically graded row changed "
                        f"({g.points:g} -> {pts:g}); only open questions are graded by hand"
                    )
                continue
            if pts is None:
                continue
            if not (math.isfinite(pts) and 0 <= pts <= g.max_points):
                raise ValueError(f"{where}: points {pts:g} outside [0, {g.max_points:g}]")
            manual[key] = pts
    kept = load_manual(out) | manual
    write_atomic(
        out / "manual.json",
        json.dumps(
            [
                {"student": s, "notebook": n, "id": i, "points": p}
                for (s, n, i), p in sorted(kept.items())
            ],
            indent=1,
        ),
    )
    write_outputs(apply_manual(grades, kept), out)
    return len(manual)


def write_outputs(grades: Sequence[Grade], out: Path) -> None:
    """``grades.csv`` and one feedback file per student."""
    grades = sorted(grades, key=lambda g: (g.student, g.notebook, g.exercise, g.id))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile("w+", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        for g in grades:
            row = {k: v for k, v in asdict(g).items() if k in FIELDS}
            w.writerow({**row, "passed": "" if g.passed is None else g.passed})
        fh.seek(0)
        write_atomic(out / "grades.csv", fh.read())
    fb = out / "feedback"
    for student in sorted({g.student for g in grades}):
        mine = [g for g in grades if g.student == student]
        auto = [g for g in mine if g.passed is not None]
        hand = [g for g in mine if g.passed is None]
        total, most = sum(g.points for g in auto), sum(g.max_points for g in auto)
        summary = f"Total: {total:g} / {most:g} points graded automatically"
        if hand:
            todo = sum(g.error != "graded by hand" for g in hand)
            summary += (
                f", and {sum(g.points for g in hand):g} / {sum(g.max_points for g in hand):g} "
                f"points of open questions graded by hand"
                + (f" ({todo} still to grade)." if todo else ".")
            )
        else:
            summary += "."
        lines = [f"# Feedback for {student}", "", summary, ""]
        for nb in sorted({g.notebook for g in mine}):
            lines += [f"## {nb}", "", "| exercise | points | result |", "|---|---|---|"]
            for g in (g for g in mine if g.notebook == nb):
                if g.passed is None:
                    shown = f"{g.points:g}" if g.error == "graded by hand" else "?"
                    lines.append(f"| {g.exercise} | {shown} / {g.max_points:g} | {g.error} |")
                    continue
                result = "passed" if g.passed else f"failed: {g.error}".replace("|", "/")
                lines.append(f"| {g.exercise} | {g.points:g} / {g.max_points:g} | {result} |")
            lines.append("")
            for g in (g for g in mine if g.notebook == nb and g.answer):
                quoted = "\n".join("> " + line for line in g.answer.splitlines())
                lines += [f"### {g.exercise}: the answer to grade", "", quoted, ""]
        write_atomic(fb / f"{student}.md", "\n".join(lines))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--_run"]:  # the runner of one notebook (child of a worker)
        _runner_main(int(argv[1]))
        return 0
    if argv[:1] == ["--_kernel"]:  # the graded kernel (child of the runner)
        _kernel_main(argv[1:])
        return 0
    if argv[:1] == ["merge"]:
        ap = argparse.ArgumentParser(
            prog="python -m utils.grade merge",
            description="Merge hand-graded points from an edited copy of grades.csv.",
        )
        ap.add_argument("edited", help="the edited CSV (points filled in for open questions)")
        ap.add_argument("--out", default="grades", help="the grading folder (default grades/)")
        args = ap.parse_args(argv[1:])
        try:
            n = merge(args.edited, args.out)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"merged {n} hand-graded row(s); {args.out}/grades.csv and feedback/ rewritten")
        return 0
    ap = argparse.ArgumentParser(prog="python -m utils.grade", description=__doc__.splitlines()[0])
    ap.add_argument("submissions", help="folder with one sub-folder of notebooks per student")
    ap.add_argument("--out", default="grades", help="output folder (default grades/)")
    ap.add_argument("--scheduler", default="local", help="'local' or a Dask scheduler address")
    ap.add_argument("--workers", type=int, default=None, help="local workers (default: cores)")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per notebook")
    ap.add_argument(
        "--memory", type=float, default=DEFAULT_MEMORY_GB, help="GB of address space per kernel"
    )
    ap.add_argument(
        "--notebooks", nargs="*", help="the notebooks due, e.g. 00 04 (default: all handed in)"
    )
    ap.add_argument("--source", default=str(NOTEBOOKS_DIR), help="the instructor's notebooks")
    ap.add_argument("--regrade", action="store_true", help="ignore results kept from a past run")
    ap.add_argument("--no-fence", action="store_true", help="run kernels without Landlock")
    ap.add_argument("--scratch", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    start = time.perf_counter()
    try:
        grades, counts = grade_class(
            args.submissions,
            args.out,
            source_dir=args.source,
            notebooks=args.notebooks,
            scheduler=args.scheduler,
            timeout=args.timeout,
            memory_gb=args.memory,
            workers=args.workers,
            fence=False if args.no_fence else None,
            regrade=args.regrade,
            scratch=args.scratch,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"graded {counts['graded']} notebook(s), {counts['resumed']} kept from an earlier run, "
        f"{counts['not_submitted']} not submitted, {len({g.student for g in grades})} student(s) "
        f"in {time.perf_counter() - start:.1f} s; {args.out}/grades.csv and {args.out}/feedback/"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
