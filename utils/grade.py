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

The work is done in :mod:`utils.grading` (one module per job); this module re-exports its names
and holds the command line.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from .config import NOTEBOOKS_DIR
from .grading.checks import checks_of, load_assignment, prepare, report_line
from .grading.classrun import _fence_for, _pythonpath, grade_class
from .grading.kernel import _kernel_main, _TorchThreads
from .grading.model import (
    DEFAULT_MEMORY_GB,
    DEFAULT_POINTS,
    DEFAULT_TIMEOUT,
    EXTRA,
    FIELDS,
    GRACE,
    REPORT_MIME,
    RUNNER_MEMORY,
    THREAD_VARS,
    Assignment,
    Check,
    Grade,
    Limits,
    MissingExtra,
    Question,
    Task,
    _grade_id,
    require_extra,
)
from .grading.outputs import (
    apply_manual,
    load_manual,
    load_results,
    merge,
    result_path,
    write_outputs,
)
from .grading.runner import _execute, _runner_main, run_notebook
from .grading.sandbox import (
    _PR_SET_CHILD_SUBREAPER,
    _PR_SET_NO_NEW_PRIVS,
    _PR_SET_PDEATHSIG,
    _ident,
    _kill_descendants,
    _landlock,
    _landlock_abi,
    _prctl,
    fence_paths,
    scrubbed_env,
)
from .grading.submissions import _digest_file, find_submissions
from .grading.task import _not_submitted, _rows, grade_one, grade_task, open_answers

__all__ = [
    "DEFAULT_MEMORY_GB",
    "DEFAULT_POINTS",
    "DEFAULT_TIMEOUT",
    "EXTRA",
    "FIELDS",
    "GRACE",
    "REPORT_MIME",
    "RUNNER_MEMORY",
    "THREAD_VARS",
    "Assignment",
    "Check",
    "Grade",
    "Limits",
    "MissingExtra",
    "Question",
    "Task",
    "apply_manual",
    "checks_of",
    "fence_paths",
    "find_submissions",
    "grade_class",
    "grade_one",
    "grade_task",
    "load_assignment",
    "load_manual",
    "load_results",
    "main",
    "merge",
    "open_answers",
    "prepare",
    "report_line",
    "require_extra",
    "result_path",
    "run_notebook",
    "scrubbed_env",
    "write_outputs",
]
#: Private names kept importable from here as before the split (tests and old callers use some).
_PRIVATE = (
    _PR_SET_CHILD_SUBREAPER,
    _PR_SET_NO_NEW_PRIVS,
    _PR_SET_PDEATHSIG,
    _TorchThreads,
    _digest_file,
    _execute,
    _fence_for,
    _grade_id,
    _ident,
    _kill_descendants,
    _landlock,
    _landlock_abi,
    _not_submitted,
    _prctl,
    _pythonpath,
    _rows,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--_run"]:  # the runner's old entry (now python -m utils.grading.runner)
        _runner_main(int(argv[1]))
        return 0
    if argv[:1] == ["--_kernel"]:  # the kernel's old entry (now python -m utils.grading.kernel)
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
