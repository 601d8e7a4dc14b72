"""What is graded, as plain data: limits, checks, questions, assignments, tasks, rows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

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


def _grade_id(cell: Any) -> str | None:
    """The nbgrader ``grade_id`` of a notebook cell, if it has one."""
    return cell.metadata.get("nbgrader", {}).get("grade_id")
