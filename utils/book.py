"""The course website: a static site built from the committed, executed notebooks.

``make book`` (``python -m utils.book [--out _build]``) copies the notebooks into a Sphinx source
folder under ``_build/src`` (nothing is re-executed: the pages show the committed outputs), adds
a home page with the course map and the table of notebooks (taken from the README, one source of
truth), a download link on every page, and the Colab badge as a local image, then runs Sphinx
with MyST-NB into ``_build/html``. Math is rendered by a MathJax copy shipped with the site
(``sphinx-mathjax-offline``): the site works with the network off. :func:`check_site` lists
pages that are missing, links to missing files and scripts loaded from outside.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat

from .config import NOTEBOOKS_DIR, ROOT

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
BADGE_URL = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img"
aria-label="Open in Colab"><rect width="117" height="20" rx="3" fill="#555"/>
<rect x="37" width="80" height="20" rx="3" fill="#f9ab00"/><text x="6" y="14" fill="#fff"
font-family="Verdana,sans-serif" font-size="11">Colab</text><text x="42" y="14" fill="#000"
font-family="Verdana,sans-serif" font-size="11">Open in Colab</text></svg>
"""

CONF = '''"""Sphinx configuration written by utils.book (rebuilt on every make book)."""
project = "Generative deep learning in PyTorch"
author = "The course team, after Dinh Phung's lecture (Monash University)"
extensions = ["myst_nb", "sphinx.ext.mathjax", "sphinx-mathjax-offline"]
myst_enable_extensions = ["dollarmath", "amsmath"]
nb_execution_mode = "off"  # the committed outputs are the pages
html_theme = "alabaster"
html_static_path = ["_static"]
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]
'''


def _notebook_rows(readme: Path) -> list[tuple[str, str, str]]:
    """``(stem, what it covers, time)`` for every notebook row of the README's table."""
    rows = []
    for line in readme.read_text().splitlines():
        m = re.match(r"^\| `(\d\d_[a-z0-9_]+)` \| (.*) \| (.*) \|$", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3)))
    return rows


def _home(rows: Sequence[tuple[str, str, str]], stems: Sequence[str]) -> str:
    from .config import COURSE

    lines = [
        "# Generative deep learning in PyTorch",
        "",
        "A notebook course after Dinh Phung's lecture (Monash University): from explicit density",
        "estimation to the adversarial family, and the lecture group's answers to GAN's two",
        "problems — mode collapse and an unstable minimax game (D2GAN, MGAN, KGAN, GEN). Every",
        "page is a notebook executed at its defaults on a 2-core CPU; open it in Colab or",
        "download it to run it yourself.",
        "",
        "## The course map",
        "",
        "| notebook | what it covers | time at defaults |",
        "|---|---|---|",
    ]
    known = dict((s, (w, t)) for s, w, t in rows)
    for stem in stems:
        what, t = known.get(stem, (COURSE.get(stem, stem), ""))
        title = COURSE.get(stem, stem)
        lines.append(f"| [{stem[:2]} · {title}](notebooks/{stem}.ipynb) | {what} | {t} |")
    lines += ["", "```{toctree}", ":maxdepth: 1", ":hidden:", ""]
    lines += [f"notebooks/{s}" for s in stems]
    lines += ["```", ""]
    return "\n".join(lines)


def _page(nb: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    """The notebook as a page: local badge image, a download link under the header, and no
    widget state (progress bars would pull the widget manager's scripts from a CDN)."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_MIME, None)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace(BADGE_URL, "../_static/colab-badge.svg")
        if "colab-setup" in cell.metadata.get("tags", []):  # Colab's business, not the page's
            cell.metadata["tags"] = [*cell.metadata["tags"], "remove-cell"]
    link = nbformat.v4.new_markdown_cell(
        f"{{download}}`Download this notebook <{stem}.ipynb>` · run it with "
        "`python -m utils.run " + stem[:2] + "` from the course folder."
    )
    at = 1 if nb.cells and "header" in nb.cells[0].metadata.get("tags", []) else 0
    nb.cells.insert(at, link)
    return nb


def student_page(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as students should read it on a site: solutions, hidden tests, model answers
    and rubrics removed (nbgrader's release), every other output kept for the figures, and the
    exercise and check cells without outputs (a printed "passed" would give nothing away, but a
    printed result could)."""
    from .assignments import exercise_pairs, student_version

    pairs = exercise_pairs(nb)
    released = student_version(nb)  # clears every output: put the others back
    for i, (cell, original) in enumerate(zip(released.cells, nb.cells)):
        if cell.cell_type == "code" and not any(i in pair for pair in pairs):
            cell.outputs = original.get("outputs", [])
            cell.execution_count = original.get("execution_count")
    return released


def build(
    out: str | Path = ROOT / "_build",
    notebooks: Sequence[Path] | None = None,
    *,
    student: bool = False,
) -> Path:
    """Write the Sphinx source under ``out/src`` and build the site into ``out/html``.

    ``student=True`` builds the site a lecturer can hand out: pages (and downloads) are
    :func:`student_page` versions, with no solutions, hidden tests or rubrics.
    """
    from sphinx.cmd.build import build_main

    out = Path(out)
    src, html = out / "src", out / "html"
    shutil.rmtree(src, ignore_errors=True)
    (src / "notebooks").mkdir(parents=True)
    (src / "_static").mkdir()
    (src / "_static" / "colab-badge.svg").write_text(BADGE_SVG)
    paths = sorted(notebooks or NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise ValueError("book: no notebooks to build")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        page = _page(student_page(nb) if student else nb, path.stem)
        nbformat.write(page, src / "notebooks" / path.name)
    (src / "conf.py").write_text(CONF)
    stems = [p.stem for p in paths]
    (src / "index.md").write_text(_home(_notebook_rows(ROOT / "README.md"), stems))
    code = build_main(["-b", "html", "-q", str(src), str(html)])
    if code != 0:
        raise RuntimeError(f"book: sphinx-build failed with exit status {code}")
    return html


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"] or "")
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"] or "")
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.scripts.append(a["href"] or "")


def check_site(html: str | Path, stems: Sequence[str]) -> list[str]:
    """Problems of a built site: a notebook without a page, a local link or image that points
    to a missing file, a script or stylesheet loaded from another host."""
    html = Path(html)
    problems = []
    for stem in stems:
        if not (html / "notebooks" / f"{stem}.html").exists():
            problems.append(f"no page for {stem}")
    for page in sorted(html.rglob("*.html")):
        refs = _Refs()
        refs.feed(page.read_text(encoding="utf-8", errors="replace"))
        for src in refs.scripts:
            if urlparse(src).scheme in ("http", "https") or src.startswith("//"):
                problems.append(f"{page.relative_to(html)} loads {src} from outside")
        for target in refs.links + refs.images:
            parsed = urlparse(target)
            if parsed.scheme or target.startswith(("#", "mailto:", "//")) or not parsed.path:
                continue
            if target.startswith("data:"):
                continue
            dest = (page.parent / unquote(parsed.path)).resolve()
            if not dest.exists():
                problems.append(f"{page.relative_to(html)} links to missing {target}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m utils.book [--out DIR] [--student]``."""
    ap = argparse.ArgumentParser(prog="python -m utils.book", description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "_build"), help="build folder (default _build/)")
    ap.add_argument(
        "--student", action="store_true", help="hand-out site: no solutions, hidden tests, rubrics"
    )
    args = ap.parse_args(argv)
    start = time.perf_counter()
    html = build(args.out, student=args.student)
    stems = [p.stem for p in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))]
    problems = check_site(html, stems)
    for p in problems:
        print("problem:", p, file=sys.stderr)
    print(f"site in {html} ({time.perf_counter() - start:.0f} s); open {html / 'index.html'}")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
