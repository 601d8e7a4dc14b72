"""Notebook headers: title, Colab badge, links, "you will learn", the Colab set-up cell, kernel.

Every course notebook starts with two generated cells: a markdown header (tag ``header``: title,
Colab badge, previous/next links and the three "you will learn" lines of
:data:`utils.config.LEARN`) and a short, collapsed code cell that installs the course on Colab
(tag ``colab-setup``). Its kernelspec is :data:`utils.config.KERNELSPEC`, the one ``ipykernel``
installs, so JupyterLab opens it unmodified. They are written from :mod:`utils.config` by::

    python -m utils.headers          # rewrite every notebook's header (and the README's tables)
    python -m utils.headers --check  # exit 1 if anything is stale (the tests run this)

The README's two tables are generated here too, from :mod:`utils.config` (never read back): the
"open in Colab" table (:func:`render_colab_table`) and the notebook table with each notebook's
topic and measured time (:func:`render_notebook_table`, :func:`wall_time`).

:func:`links` is the one home of every address a page gives: Colab, clone, GitHub and download
URLs of a notebook, for the instructor or the student repository.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import config
from .config import (
    BRANCH,
    COURSE,
    KERNELSPEC,
    LEARN,
    NOTEBOOKS_DIR,
    REPO,
    ROOT,
    STUDENT_BRANCH,
    STUDENT_REPO,
)
from .run import exit_status

HEADER_TAG = "header"
SETUP_TAG = "colab-setup"
AUDIENCES = ("instructor", "student")
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
#: The README block that :func:`render_colab_table` writes.
README_MARKERS = ("<!-- colab-table:begin -->", "<!-- colab-table:end -->")
#: The README block that :func:`render_notebook_table` writes.
NOTEBOOK_TABLE_MARKERS = ("<!-- notebook-table:begin -->", "<!-- notebook-table:end -->")
#: Metadata of the set-up cell: collapsed in JupyterLab/Notebook and shown as a form in Colab.
SETUP_METADATA = {"jupyter": {"source_hidden": True}, "cellView": "form"}


@dataclass(frozen=True)
class Links:
    """Every address of one notebook in one repository (see :func:`links`)."""

    repo: str  #: GitHub ``owner/name``
    branch: str  #: branch that holds the notebook
    clone: str  #: ``git clone`` URL of the repository (the set-up cell clones it)
    colab: str  #: opens the notebook in Colab (the badge)
    github: str  #: the notebook's page on GitHub
    download: str  #: the raw ``.ipynb`` file (a download link)


def links(
    stem: str, audience: str = "instructor", *, repo: str | None = None, branch: str | None = None
) -> Links:
    """The Colab, clone, GitHub and download URLs of notebook ``stem`` for ``audience``.

    ``audience`` is ``"instructor"`` (the repository with solutions, ``config.REPO``) or
    ``"student"`` (the published release, ``config.STUDENT_REPO``); ``repo`` and ``branch``
    replace the configured ones (tests, forks).
    """
    if audience not in AUDIENCES:
        raise ValueError(f"links: audience must be one of {AUDIENCES}, got {audience!r}")
    student = audience == "student"
    repo = repo or (STUDENT_REPO if student else REPO)
    branch = branch or (STUDENT_BRANCH if student else BRANCH)
    path = f"notebooks/{stem}.ipynb"
    return Links(
        repo=repo,
        branch=branch,
        clone=f"https://github.com/{repo}",
        colab=f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}",
        github=f"https://github.com/{repo}/blob/{branch}/{path}",
        download=f"https://raw.githubusercontent.com/{repo}/{branch}/{path}",
    )


def _title(stem: str) -> str:
    return f"{stem[:2]} · {COURSE.get(stem, stem[3:].replace('_', ' ').capitalize())}"


def _order(existing: Sequence[str]) -> list[str]:
    return [s for s in COURSE if s in existing] + sorted(s for s in existing if s not in COURSE)


def render_header(stem: str, existing: Sequence[str], where: Links | None = None) -> str:
    """Markdown of the header cell of notebook ``stem``; links go to notebooks in ``existing``,
    the badge to ``where`` (:func:`links` of ``stem``; default: the instructor repository)."""
    colab = (where or links(stem)).colab
    lines = [f"# {_title(stem)}", "", f"[![Open In Colab]({BADGE_IMAGE})]({colab})", ""]
    order = _order(existing)
    nav = []
    if stem in order:
        i = order.index(stem)
        if i > 0:
            nav.append(f"[← {_title(order[i - 1])}]({order[i - 1]}.ipynb)")
        if i + 1 < len(order):
            nav.append(f"[{_title(order[i + 1])} →]({order[i + 1]}.ipynb)")
    if nav:
        lines += [" · ".join(nav), ""]
    if stem in LEARN:
        lines += ["> **You will learn**", ">"]
        lines += [f"> * {line}" for line in LEARN[stem]]
        lines.append("")
    lines.append(
        "*Generative deep learning in PyTorch — a course after Dinh Phung's lecture "
        "(Monash University).*"
    )
    return "\n".join(lines)


#: The set-up cell (plain Python: it runs before ``utils`` exists); see :func:`render_setup`.
_SETUP = """\
# @title Set-up: on Colab, fetch the course and install its `utils` package
import os
import subprocess
import sys

repo_url, branch = "{clone}", "{branch}"
if "google.colab" in sys.modules or os.environ.get("GDL_SETUP_TEST"):
    home = os.environ.get("GDL_HOME", "/content/gdl")
    url = os.environ.get("GDL_REPO_URL", repo_url)
    subprocess.run(["git", "clone", "-q", "--depth", "1", "-b", branch, url, home], check=False)
    # Colab's own torch is kept: the course asks only for torch>=2.1.
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", home], check=True)
    sys.path.insert(0, home)"""


def render_setup(where: Links | None = None) -> str:
    """Source of the set-up cell: on Colab, clone ``where``'s repository and branch (a notebook's
    :func:`links`; default: the instructor repository) and install ``utils`` editable.

    It must work before ``utils`` exists, so it is plain Python. ``GDL_SETUP_TEST=1`` runs it off
    Colab, and ``GDL_REPO_URL`` and ``GDL_HOME`` replace the repository address and the clone's
    folder: ``tests/test_colab.py`` plays the cell against a local bare repository.
    """
    where = where or links("00")
    return _SETUP.format(clone=where.clone, branch=where.branch)


def render_colab_table(
    existing: Sequence[str],
    audience: str = "instructor",
    *,
    repo: str | None = None,
    branch: str | None = None,
) -> str:
    """The README's "open in Colab" table: one row per notebook, between :data:`README_MARKERS`."""
    rows = [README_MARKERS[0], "| notebook | open it |", "|---|---|"]
    for stem in _order(existing):
        url = links(stem, audience, repo=repo, branch=branch).colab
        rows.append(f"| {_title(stem)} | [![Open In Colab]({BADGE_IMAGE})]({url}) |")
    rows.append(README_MARKERS[1])
    return "\n".join(rows)


def wall_time(stem: str) -> str:
    """The measured time of ``stem`` at its defaults (:data:`utils.config.WALL_S`) as the tables
    show it: ``~49 s`` under 100 s, else ``~3.2 min``; ``≤ …`` for an upper bound
    (:data:`utils.config.UPPER_BOUNDS`); ``""`` when it was not measured."""
    if stem not in config.WALL_S:
        return ""
    s = config.WALL_S[stem]
    shown = f"{s:.0f} s" if s < 100 else f"{s / 60:.1f} min"
    return f"≤ {shown}" if stem in config.UPPER_BOUNDS else f"~{shown}"


def render_notebook_table(existing: Sequence[str]) -> str:
    """The README's notebook table: stem, topic (:data:`utils.config.TOPICS`) and
    :func:`wall_time` of every notebook, between :data:`NOTEBOOK_TABLE_MARKERS`."""
    rows = [
        NOTEBOOK_TABLE_MARKERS[0],
        "| notebook | topic | CPU time at defaults (2 cores) |",
        "|---|---|---|",
    ]
    for stem in _order(existing):
        rows.append(
            f"| `{stem}` | {config.TOPICS.get(stem, COURSE.get(stem, stem))} | {wall_time(stem)} |"
        )
    rows.append(NOTEBOOK_TABLE_MARKERS[1])
    return "\n".join(rows)


def replace_block(text: str, block: str, markers: Sequence[str] = README_MARKERS) -> str:
    """``text`` with the lines from ``markers[0]`` to ``markers[1]`` replaced by ``block``."""
    pattern = re.compile(re.escape(markers[0]) + r".*?" + re.escape(markers[1]), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no {markers[0]} … {markers[1]} block to replace")
    return pattern.sub(lambda _: block, text, count=1)


def _generated(stem: str, existing: Sequence[str], where: Links) -> list[tuple[str, str, str]]:
    """``(tag, cell type, source)`` of the two generated cells of ``stem``, in their order."""
    return [
        (HEADER_TAG, "markdown", render_header(stem, existing, where)),
        (SETUP_TAG, "code", render_setup(where)),
    ]


def _find(nb: nbformat.NotebookNode, tag: str) -> int | None:
    for i, c in enumerate(nb.cells):
        if tag in c.get("metadata", {}).get("tags", []):
            return i
    return None


def apply(
    nb: nbformat.NotebookNode,
    stem: str,
    existing: Sequence[str],
    audience: str = "instructor",
    *,
    repo: str | None = None,
    branch: str | None = None,
) -> bool:
    """Give ``nb`` (in memory) its header, set-up cell and kernelspec; True if anything changed.

    ``audience``, ``repo`` and ``branch`` choose the repository its links go to (:func:`links`).
    """
    changed = False
    wanted = _generated(stem, existing, links(stem, audience, repo=repo, branch=branch))
    for pos, (tag, kind, text) in enumerate(wanted):
        i = _find(nb, tag)
        if i is None:
            new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
            cell = new(text)
            cell.metadata["tags"] = [tag]
            nb.cells.insert(pos, cell)
            changed = True
        elif nb.cells[i].source != text:
            nb.cells[i].source = text
            changed = True
    setup = nb.cells[_find(nb, SETUP_TAG)]
    for key, value in SETUP_METADATA.items():
        if setup.metadata.get(key) != value:
            setup.metadata[key] = value
            changed = True
    if dict(nb.metadata.get("kernelspec", {})) != KERNELSPEC:
        nb.metadata["kernelspec"] = dict(KERNELSPEC)
        changed = True
    return changed


def is_current(nb: nbformat.NotebookNode, stem: str, existing: Sequence[str]) -> bool:
    """True when the header and set-up cells come first and match, and the kernelspec is ours."""
    i, j = _find(nb, HEADER_TAG), _find(nb, SETUP_TAG)
    (_, _, header), (_, _, setup) = _generated(stem, existing, links(stem))
    return (
        i == 0
        and j == 1
        and nb.cells[i].source == header
        and nb.cells[j].source == setup
        and all(nb.cells[j].metadata.get(k) == v for k, v in SETUP_METADATA.items())
        and dict(nb.metadata.get("kernelspec", {})) == KERNELSPEC
    )


def update(path: Path, existing: Sequence[str]) -> bool:
    """Rewrite the header and set-up cells of one notebook; return True if anything changed."""
    nb = nbformat.read(path, as_version=4)
    changed = apply(nb, path.stem, existing)
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite (or with ``--check`` only verify) every notebook's header and the README table."""
    ap = argparse.ArgumentParser(
        prog="python -m utils.headers", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--check", action="store_true", help="report stale headers, change nothing")
    ap.add_argument("--dir", default=str(NOTEBOOKS_DIR))
    ap.add_argument("--readme", help="README with a Colab table (default: the course's own)")
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    existing = [p.stem for p in paths]
    stale = []
    for p in paths:
        if args.check:
            if not is_current(nbformat.read(p, as_version=4), p.stem, existing):
                stale.append(p.name)
        elif update(p, existing):
            print(f"updated {p.name}")
    readme = Path(args.readme) if args.readme else None
    if readme is None and folder.resolve() == NOTEBOOKS_DIR.resolve():
        readme = ROOT / "README.md"
    if readme is not None:
        text = readme.read_text()
        new = text
        for markers, table in (
            (README_MARKERS, render_colab_table),
            (NOTEBOOK_TABLE_MARKERS, render_notebook_table),
        ):
            if markers[0] in new:
                new = replace_block(new, table(existing), markers)
        if new != text and args.check:
            stale.append(readme.name)
        elif new != text:
            readme.write_text(new)
            print(f"updated {readme.name}")
    return exit_status(stale, "stale headers in {names}; run python -m utils.headers")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
