"""Notebook headers: title, Colab badge, previous/next links, and the Colab set-up cell.

Every course notebook starts with two generated cells: a markdown header (tag ``header``) and a
code cell that installs the course on Colab (tag ``colab-setup``). They are written from
:mod:`utils.config` (repository address, titles, order) by::

    python -m utils.headers          # rewrite the headers of every notebook
    python -m utils.headers --check  # exit 1 if any header is stale (the tests run this)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

from .config import BRANCH, COURSE, NOTEBOOKS_DIR, REPO

HEADER_TAG = "header"
SETUP_TAG = "colab-setup"


def _title(stem: str) -> str:
    return f"{stem[:2]} · {COURSE.get(stem, stem[3:].replace('_', ' ').capitalize())}"


def render_header(stem: str, existing: Sequence[str]) -> str:
    """Markdown of the header cell of notebook ``stem``; links go to notebooks in ``existing``."""
    order = [s for s in COURSE if s in existing] + sorted(s for s in existing if s not in COURSE)
    colab = f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/notebooks/{stem}.ipynb"
    lines = [
        f"# {_title(stem)}",
        "",
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab})",
        "",
    ]
    nav = []
    if stem in order:
        i = order.index(stem)
        if i > 0:
            nav.append(f"[← {_title(order[i - 1])}]({order[i - 1]}.ipynb)")
        if i + 1 < len(order):
            nav.append(f"[{_title(order[i + 1])} →]({order[i + 1]}.ipynb)")
    if nav:
        lines += [" · ".join(nav), ""]
    lines.append(
        "*Generative deep learning in PyTorch — a course after Dinh Phung's lecture "
        "(Monash University).*"
    )
    return "\n".join(lines)


def render_setup() -> str:
    """Source of the set-up cell: on Colab, clone the course and install ``utils`` editable.

    ``GDL_SETUP_TEST=1`` runs it off Colab, ``GDL_REPO_URL`` and ``GDL_HOME`` replace the
    repository address (from ``utils.config.REPO``, its one home) and the clone's folder:
    ``tests/test_colab.py`` plays the cell against a local bare repository.
    """
    return "\n".join(
        [
            "# Set-up: on Colab, fetch the course and install its `utils` package.",
            "import os",
            "import sys",
            "",
            'if "google.colab" in sys.modules or os.environ.get("GDL_SETUP_TEST"):',
            "    import subprocess",
            "",
            f'    url = os.environ.get("GDL_REPO_URL", "https://github.com/{REPO}")',
            '    home = os.environ.get("GDL_HOME", "/content/gdl")',
            '    git = ["git", "clone", "-q", "--depth", "1", url, home]',
            "    subprocess.run(git, check=False)",
            "    # Colab's own torch is kept: the course asks only for torch>=2.1.",
            '    pip = [sys.executable, "-m", "pip", "install", "-q", "-e", home]',
            "    subprocess.run(pip, check=True)",
            "    sys.path.insert(0, home)",
        ]
    )


def _find(nb: nbformat.NotebookNode, tag: str) -> int | None:
    for i, c in enumerate(nb.cells):
        if tag in c.get("metadata", {}).get("tags", []):
            return i
    return None


def update(path: Path, existing: Sequence[str]) -> bool:
    """Rewrite the header and set-up cells of one notebook; return True if anything changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    wanted = [
        (HEADER_TAG, "markdown", render_header(path.stem, existing)),
        (SETUP_TAG, "code", render_setup()),
    ]
    for pos, (tag, kind, text) in enumerate(wanted):
        i = _find(nb, tag)
        if i is None:
            cell = (
                nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
            )(text)
            cell.metadata["tags"] = [tag]
            nb.cells.insert(pos, cell)
            changed = True
        elif nb.cells[i].source != text:
            nb.cells[i].source = text
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite (or with ``--check`` only verify) every notebook's header."""
    ap = argparse.ArgumentParser(
        prog="python -m utils.headers", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--check", action="store_true", help="report stale headers, change nothing")
    ap.add_argument("--dir", default=str(NOTEBOOKS_DIR))
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    existing = [p.stem for p in paths]
    stale = []
    for p in paths:
        if args.check:
            nb = nbformat.read(p, as_version=4)
            i, j = _find(nb, HEADER_TAG), _find(nb, SETUP_TAG)
            ok = (
                i == 0
                and j == 1
                and nb.cells[i].source == render_header(p.stem, existing)
                and nb.cells[j].source == render_setup()
            )
            if not ok:
                stale.append(p.name)
        elif update(p, existing):
            print(f"updated {p.name}")
    if stale:
        print(f"stale headers in {', '.join(stale)}; run python -m utils.headers", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
