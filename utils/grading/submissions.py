"""Finding the submissions: one task per student folder and due notebook."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from .model import Task

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
