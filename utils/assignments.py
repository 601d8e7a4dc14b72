"""Student versions of the notebooks, with nbgrader's preprocessors and no database.

Open questions are markdown answer cells (nbgrader ``solution`` and ``grade``, manual points),
whose model answer and rubric the student version replaces with "YOUR ANSWER HERE".
Exercise cells mark the answer with ``### BEGIN SOLUTION`` / ``### END SOLUTION`` (and may hide
tests between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``); each is followed by a
check cell with asserts. ``make assignments`` (``python -m utils.assignments``) writes the
student versions, outputs cleared and answers replaced by ``raise NotImplementedError()``, to
``release/``, with every Colab badge, set-up cell and link pointing at the student repository.

``make release`` (``python -m utils.assignments --publish``) builds the whole student repository
(the tracked files less :data:`utils.config.RELEASE_EXCLUDE`, the notebooks as student versions,
the README's student part) and pushes it to ``config.STUDENT_BRANCH`` of ``config.STUDENT_REPO``
(or of ``--remote`` / ``$GDL_STUDENT_REMOTE``), refusing if any file holds a solution marker, a
hidden test, a model answer or a rubric.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat

from . import headers
from .config import (
    NOTEBOOKS_DIR,
    RELEASE_EXCLUDE,
    ROOT,
    STUDENT_BRANCH,
    STUDENT_REMOTE_ENV,
    STUDENT_REPO,
)

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
#: Text no file of the student release may hold: answers, hidden tests, model answers, rubrics.
FORBIDDEN = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "**Answer.**", "**Rubric (")
#: The README's student part ends at this line (the rest is for instructors and developers).
README_STUDENT_END = "<!-- student-readme:end -->"
#: Tag of a code cell students never see (the run a model answer rests on): the student
#: version replaces it with a one-line note, so cell positions stay.
INSTRUCTOR_ONLY = "instructor-only"


def student_version(
    nb: nbformat.NotebookNode,
    stem: str | None = None,
    *,
    existing: Sequence[str] = (),
    repo: str | None = None,
    branch: str | None = None,
) -> nbformat.NotebookNode:
    """A copy of ``nb`` with solutions, hidden tests and ``instructor-only`` cells removed and
    outputs cleared.

    Given the notebook's ``stem``, its header and set-up cell point at the student repository
    (``repo``/``branch``, default ``config.STUDENT_REPO``/``STUDENT_BRANCH``), never at the
    instructor's; ``existing`` lists the stems its previous/next links may name.
    """
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions

    nb = nbformat.from_dict(nb)  # deep copy
    nb, _ = ClearSolutions(enforce_metadata=False).preprocess(nb, {})
    nb, _ = ClearHiddenTests(enforce_metadata=False).preprocess(nb, {})
    nb, _ = ClearOutput().preprocess(nb, {})
    for i, cell in enumerate(nb.cells):  # the run behind a model answer: the instructor's only
        if INSTRUCTOR_ONLY in cell.metadata.get("tags", []):
            nb.cells[i] = nbformat.v4.new_markdown_cell(
                "*(The instructor's run behind the model answer is not part of this version.)*",
                id=cell.get("id"),
            )
    if stem is not None:
        headers.apply(nb, stem, list(existing) or [stem], "student", repo=repo, branch=branch)
    return nb


def exercise_pairs(nb: nbformat.NotebookNode) -> list[tuple[int, int]]:
    """(exercise cell, check cell) index pairs: the check is the next code cell."""
    pairs = []
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and SOLUTION_MARKERS[0] in c.source:
            j = next(
                (k for k in range(i + 1, len(nb.cells)) if nb.cells[k].cell_type == "code"), None
            )
            if j is None:
                raise ValueError(f"exercise cell {i} has no check cell after it")
            pairs.append((i, j))
    return pairs


def open_questions(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of the hand-graded answer cells: markdown cells that nbgrader grades as solutions.

    The instructor's version holds the course's model answer and the grader's rubric; the student
    version replaces the whole cell with nbgrader's "YOUR ANSWER HERE".
    """
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown"
        and c.metadata.get("nbgrader", {}).get("solution")
        and c.metadata.get("nbgrader", {}).get("grade")
    ]


def release(
    path: Path, out_dir: Path, *, repo: str | None = None, branch: str | None = None
) -> Path:
    """Write the student version of the notebook at ``path`` into ``out_dir``.

    Its badge and set-up cell point at the student repository (``repo``/``branch`` replace the
    configured ones); its previous/next links name the notebooks beside ``path``.
    """
    nb = nbformat.read(path, as_version=4)
    existing = [p.stem for p in sorted(path.parent.glob("[0-9][0-9]_*.ipynb"))]
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / path.name
    version = student_version(nb, path.stem, existing=existing, repo=repo, branch=branch)
    nbformat.write(version, target)
    return target


def student_readme(
    readme: str, existing: Sequence[str], *, repo: str | None = None, branch: str | None = None
) -> str:
    """The student repository's README: the course README up to :data:`README_STUDENT_END`
    (start here, local use), its Colab table pointing at the student repository."""
    if README_STUDENT_END not in readme:
        raise ValueError(f"release: README.md has no {README_STUDENT_END} line")
    text = readme.split(README_STUDENT_END)[0].rstrip() + "\n"
    table = headers.render_colab_table(existing, "student", repo=repo, branch=branch)
    return headers.replace_block(text, table)


def _git(*args: str, cwd: Path | None = None, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"release: git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _excluded(path: str) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in RELEASE_EXCLUDE)


def student_tree(
    out: Path, *, root: Path = ROOT, repo: str | None = None, branch: str | None = None
) -> list[str]:
    """Write the student repository into ``out``; return its files (relative, sorted).

    The tracked files of ``root`` (a git checkout) less :data:`utils.config.RELEASE_EXCLUDE`;
    the notebooks as student versions and the README's student part. Raises ``RuntimeError`` if
    any written file holds one of :data:`FORBIDDEN`.
    """
    tracked = _git("ls-files", "-z", cwd=root).split("\0")
    notebooks = sorted(p for p in tracked if p.startswith("notebooks/") and p.endswith(".ipynb"))
    existing = [Path(p).stem for p in notebooks]
    written = []
    for rel in sorted(p for p in tracked if p and not _excluded(p)):
        source, target = root / rel, out / rel
        if not source.is_file():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel in notebooks:
            nb = nbformat.read(source, as_version=4)
            version = student_version(nb, source.stem, existing=existing, repo=repo, branch=branch)
            nbformat.write(version, target)
        elif rel == "README.md":
            text = student_readme(source.read_text(), existing, repo=repo, branch=branch)
            target.write_text(text)
        else:
            shutil.copy2(source, target)
        written.append(rel)
    leaks = [
        f"{rel} ({word})"
        for rel in written
        for word in FORBIDDEN
        if word.encode() in (out / rel).read_bytes()
    ]
    if leaks:
        raise RuntimeError(f"release: refusing to publish answers: {', '.join(leaks)}")
    return written


def publish(
    remote: str,
    *,
    root: Path = ROOT,
    repo: str | None = None,
    branch: str | None = None,
) -> str:
    """Build the student repository and push it to ``branch`` of ``remote``; return the commit.

    The branch keeps its own history (one commit per release that changes something); it never
    shares history with the instructor's branches. ``remote`` is a URL or a local path.
    """
    branch = branch or STUDENT_BRANCH
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "student"
        if _git("ls-remote", "--heads", remote, branch, cwd=root).strip():
            _git("clone", "-q", "-b", branch, remote, str(work))
        else:
            _git("init", "-q", str(work))
            _git("symbolic-ref", "HEAD", f"refs/heads/{branch}", cwd=work)
        for child in work.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        student_tree(work, root=root, repo=repo, branch=branch)
        _git("add", "-A", cwd=work)
        if _git("status", "--porcelain", cwd=work).strip():
            source = _git("rev-parse", "--short", "HEAD", cwd=root, check=False).strip()
            who = [] if _git("config", "user.name", cwd=work, check=False).strip() else [
                "-c", "user.name=gdl-course release", "-c", "user.email=release@localhost",
            ]  # fmt: skip
            message = f"Student release (instructor commit {source or 'unknown'})"
            _git(*who, "commit", "-q", "-m", message, cwd=work)
            _git("push", "-q", remote, f"HEAD:refs/heads/{branch}", cwd=work)
        return _git("rev-parse", "HEAD", cwd=work).strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m utils.assignments [NOTEBOOK ...] [--out DIR]``."""
    from .run import RunError, resolve

    ap = argparse.ArgumentParser(
        prog="python -m utils.assignments", description=__doc__.splitlines()[0]
    )
    ap.add_argument("notebooks", nargs="*", help="paths or number prefixes (default: all)")
    ap.add_argument("--out", default=str(ROOT / "release"))
    ap.add_argument(
        "--publish", action="store_true", help="build the student repository and push it"
    )
    ap.add_argument(
        "--remote",
        default=os.environ.get(STUDENT_REMOTE_ENV),
        help=f"where to push (URL or path; default ${STUDENT_REMOTE_ENV} or the student repo)",
    )
    ap.add_argument("--repo", help=f"student repository owner/name (default {STUDENT_REPO})")
    ap.add_argument("--branch", help=f"student branch (default {STUDENT_BRANCH})")
    args = ap.parse_args(argv)
    if args.publish:
        remote = args.remote or headers.links("00", "student", repo=args.repo).clone + ".git"
        try:
            commit = publish(remote, repo=args.repo, branch=args.branch)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        where = f"{remote} ({args.branch or STUDENT_BRANCH})"
        print(f"published the student release to {where}: commit {commit[:12]}")
        return 0
    try:
        paths = resolve(args.notebooks, NOTEBOOKS_DIR)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for p in paths:
        print(f"released {release(p, Path(args.out), repo=args.repo, branch=args.branch)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
