"""The course website: a static site built from the committed, executed notebooks.

``make book`` (``python -m utils.book [--out _build] [--student]``) copies the notebooks into a
Sphinx source folder under ``_build/src`` (nothing is re-executed: the pages show the committed
outputs), adds a home page with the course map (titles, topics and measured times from
:mod:`utils.config`, the data the README's tables are generated from too), a download link under
every page's header, and runs Sphinx with MyST-NB and sphinx-book-theme into ``_build/html``
(doctrees go to ``_build/doctrees``, outside the published folder). The download link serves the
course notebook itself, byte for byte (on the student site, ``--student``, the student version).
Math is rendered by a MathJax copy shipped with the site (``sphinx-mathjax-offline``) and the
theme ships its fonts and scripts: the site works with the network off. After the build the
site is checked by :mod:`utils.site_check` (missing pages and links, outside loads, pages that
read badly); its names are re-exported here.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat

from . import config
from .config import NOTEBOOKS_DIR, REFERENCE_BUDGET, ROOT
from .headers import wall_time
from .site_check import (
    MAX_METRIC_RUN,
    PHONE_WIDTH,
    browser_check,
    check_pages,
    check_site,
    chromium,
    screenshot,
)

__all__ = [
    "MAX_METRIC_RUN",
    "PHONE_WIDTH",
    "browser_check",
    "build",
    "check_pages",
    "check_site",
    "chromium",
    "main",
    "screenshot",
    "student_page",
    "write_download",
    "write_sources",
]

BADGE_URL = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img"
aria-label="Open in Colab"><rect width="117" height="20" rx="3" fill="#555"/>
<rect x="37" width="80" height="20" rx="3" fill="#f9ab00"/><text x="6" y="14" fill="#fff"
font-family="Verdana,sans-serif" font-size="11">Colab</text><text x="42" y="14" fill="#000"
font-family="Verdana,sans-serif" font-size="11">Open in Colab</text></svg>
"""
#: Id of the download-link cell a page gets under its header (fixed: pages rebuild identically).
DOWNLOAD_CELL_ID = "gdl-book-download"
TITLE = "Generative deep learning in PyTorch"

CONF = '''"""Sphinx configuration written by utils.book (rebuilt on every make book)."""
project = {title!r}
author = "the course team, after Dinh Phung's lecture (Monash University)"
html_title = {title!r}
extensions = ["myst_nb", "sphinx.ext.mathjax", "sphinx-mathjax-offline"]
myst_enable_extensions = ["dollarmath", "amsmath"]
nb_execution_mode = "off"  # the committed outputs are the pages
html_theme = "sphinx_book_theme"
html_theme_options = {{
    "home_page_in_toc": False,  # the title above the navigation is the home link
    "show_toc_level": 2,
    "use_download_button": False,  # the page's own link gives the course notebook instead
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    "navbar_persistent": [],
    "extra_footer": {footer!r},
}}
html_show_copyright = False
html_show_sphinx = False
html_copy_source = False
html_static_path = ["_static"]
templates_path = ["_templates"]
html_css_files = ["course.css"]
html_js_files = ["course.js"]
html_extra_path = ["_extra"]  # the downloadable notebooks, copied byte for byte
exclude_patterns = ["_build", "_extra", "_templates"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]
'''

#: The home page's tab title is the course's name alone (not "name — name").
LAYOUT = """{%- extends "!layout.html" %}
{%- block htmltitle %}
<title>{% if pagename == root_doc %}{{ docstitle|e }}
{%- else %}{{ title|striptags|e }}{{ titlesuffix }}{% endif %}</title>
{%- endblock %}
"""

FOOTER = (
    "<p>Every page is a course notebook executed at its defaults on a 2-core CPU; download it "
    "or open it in Colab to run it yourself. The site needs no network.</p>"
)

#: Wide code, outputs, equations and tables scroll inside their own box; figures enlarge.
COURSE_CSS = """\
/* utils.book: the course site's additions to sphinx-book-theme */
@media (min-width: 960px) {
  .bd-header { display: none; }  /* the article header has the buttons; the sidebar, search */
  .bd-sidebar-primary { width: 14rem; flex-basis: 14rem; }
  .bd-sidebar-secondary { width: 12rem; flex-basis: 12rem; }
}
@media (max-width: 600px) {
  .bd-article h1 { font-size: 1.9rem; }
  .bd-article h2 { font-size: 1.5rem; }
  .bd-article h3 { font-size: 1.25rem; }
  .bd-article table { font-size: 0.85rem; }
}
.bd-page-width { max-width: 100rem; }
.bd-main .bd-content .bd-article-container { max-width: 62rem; }
div.cell_input pre, div.cell_output pre { font-size: 0.78rem; overflow-x: auto; }
div.cell_output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
div.cell_output .output { max-width: 100%; overflow-x: auto; }
div.cell_output table td, div.cell_output table th { white-space: nowrap; padding: 0.2rem 0.6rem; }
code.literal span.pre { white-space: pre-wrap; overflow-wrap: anywhere; }
/* the theme's row-reverse flex box pushes a wide equation's start out of reach: scroll a block */
div.math { display: block; max-width: 100%; overflow-x: auto; overflow-y: hidden; }
div.math mjx-container { overflow: visible; }
.bd-article table { display: block; max-width: 100%; overflow-x: auto; }
.bd-article img { max-width: 100%; height: auto; }
div.cell_output img { cursor: zoom-in; }
.gdl-zoom {
  position: fixed; inset: 0; z-index: 2000; background: rgba(0, 0, 0, 0.88);
  display: flex; overflow: auto; cursor: zoom-out;
}
.gdl-zoom img { margin: auto; background: #fff; max-width: none; height: auto; }
p.gdl-download { font-size: 0.9em; }
"""

COURSE_JS = """\
// utils.book: a figure in a notebook output opens enlarged on click; a click or Esc closes it.
document.addEventListener("click", function (event) {
  var open = document.querySelector(".gdl-zoom");
  if (open) { open.remove(); return; }
  var img = event.target.closest ? event.target.closest("div.cell_output img") : null;
  if (!img) return;
  var box = document.createElement("div");
  box.className = "gdl-zoom";
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", "enlarged figure; click or press Escape to close");
  var big = document.createElement("img");
  big.src = img.currentSrc || img.src;
  big.alt = img.alt;
  // the full screen's width, or the figure's own pixels where it has more (a phone pans them)
  big.style.width = Math.max(0.96 * window.innerWidth, img.naturalWidth) + "px";
  box.appendChild(big);
  document.body.appendChild(box);
});
document.addEventListener("keydown", function (event) {
  var open = document.querySelector(".gdl-zoom");
  if (open && event.key === "Escape") open.remove();
});
"""


def _home(stems: Sequence[str], student: bool = False) -> str:
    """The home page (MyST): the course's introduction and its map, one row per notebook in
    ``stems`` with its title (``config.COURSE``), topic (``config.TOPICS``) and measured time at
    the defaults (:func:`utils.headers.wall_time`); README.md is not read."""
    lines = [
        f"# {TITLE}",
        "",
        "A notebook course after Dinh Phung's lecture (Monash University): from explicit density",
        "estimation to the adversarial family, and the lecture group's answers to GAN's two",
        "problems — mode collapse and an unstable minimax game (D2GAN, MGAN, KGAN, GEN). Every",
        "page is a notebook executed at its defaults on a 2-core CPU; open it in Colab or",
        "download it to run it yourself.",
    ]
    if student:
        lines += [
            "",
            "This is the students' edition: the exercises and open questions are yours to answer.",
        ]
    lines += [
        "",
        "## The course map",
        "",
        "| notebook | what it covers | time at defaults |",
        "|---|---|---|",
    ]
    for stem in stems:
        title = config.COURSE.get(stem, stem)
        lines.append(
            f"| [{stem[:2]} · {title}](notebooks/{stem}.ipynb) | {config.TOPICS.get(stem, title)} "
            f"| {wall_time(stem)} |"
        )
    bounds = any(stem in config.UPPER_BOUNDS for stem in stems)
    lines += [
        "",
        "Times are the wall-clock of one run at the defaults on a 2-core CPU, one notebook at a "
        "time"
        + (
            "; ≤ marks an upper bound (measured while another job used the second core)."
            if bounds
            else "."
        ),
    ]
    lines += ["", "```{toctree}", ":maxdepth: 1", ":hidden:", ":caption: Notebooks", ""]
    lines += [f"notebooks/{s}" for s in stems]
    lines += ["```", "", "```{toctree}", ":maxdepth: 1", ":hidden:", ":caption: Results", ""]
    lines += ["benchmark", "```", ""]
    return "\n".join(lines)


#: The benchmark page's opening paragraph (the tables below it come from the result store).
BENCHMARK_INTRO = (
    "Every 2-D model of notebooks 04-09 beside its matched controls (GAN with its saturating"
    " loss for D2GAN, MMD alone in the same kernel for KGAN and GEN, MGAN with K = 16"
    " generators), the capacity control (rectified flow: is a layout learnable in the setting at"
    " all?) and two standard fixes (PacGAN, WGAN-GP), in the notebooks' shared setting at the"
    f" reference budget ({REFERENCE_BUDGET['steps']:,} generator steps),"
    f" {REFERENCE_BUDGET['seeds']} seeds per cell, on four layouts. Computed"
    " once by `python -m utils.benchmark` and committed with each cell's commit, date and wall"
    " time (`data/benchmark/`); a cell not computed yet reads *pending*. Notebooks 05-08 print"
    " their model's contrasts from these numbers."
)


def _benchmark_page(src: Path) -> str:
    """The benchmark page: the README's tables (one source, the result store) and the figure."""
    from .reports import REFERENCE, readme_table

    lines = ["# The mode-collapse benchmark", "", BENCHMARK_INTRO, "", readme_table(), ""]
    figure = REFERENCE / "covered_vs_hq.png"
    if figure.exists():
        shutil.copyfile(figure, src / "_static" / "covered_vs_hq.png")
        alt = "Share of modes covered and high-quality share, mean ± se per model and layout"
        png = "_static/covered_vs_hq.png"  # a plain link: it opens full size (e.g. on a phone)
        lines += [f'<a href="{png}"><img src="{png}" alt="{alt}" style="max-width: 100%"></a>', "",
                  "*(Select the figure to open it at full size.)*", ""]  # fmt: skip
    return "\n".join(lines)


def _page(nb: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    """The notebook as a page: local badge image, a download link under the header, no widget
    state (it would pull the widget manager's scripts from a CDN) and no frozen progress bar."""
    from .run import WIDGET_MIME, strip_progress_bars

    nb = nbformat.from_dict(nb)
    strip_progress_bars(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_MIME, None)
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace(BADGE_URL, "../_static/colab-badge.svg")
        if "colab-setup" in cell.metadata.get("tags", []):  # Colab's business, not the page's
            cell.metadata["tags"] = [*cell.metadata["tags"], "remove-cell"]
    link = nbformat.v4.new_markdown_cell(
        f'<p class="gdl-download"><a class="reference download" href="{stem}.ipynb" '
        f'download="{stem}.ipynb">Download this notebook</a> · or run it from the course '
        f"folder with <code>python -m utils.run {stem[:2]}</code></p>",
        id=DOWNLOAD_CELL_ID,
    )
    at = 1 if nb.cells and "header" in nb.cells[0].metadata.get("tags", []) else 0
    nb.cells.insert(at, link)
    return nb


def student_page(
    nb: nbformat.NotebookNode, stem: str | None = None, existing: Sequence[str] = ()
) -> nbformat.NotebookNode:
    """The notebook as students should read it on a site: solutions, hidden tests, model answers
    and rubrics removed (nbgrader's release, its badge pointing at the student repository when
    ``stem`` is given), every other output kept for the figures, and the exercise and check cells
    without outputs (a printed "passed" would give nothing away, but a printed result could)."""
    from .assignments import exercise_pairs, student_version

    pairs = exercise_pairs(nb)
    released = student_version(nb, stem, existing=existing)  # no outputs: put the others back
    for i, (cell, original) in enumerate(zip(released.cells, nb.cells)):
        if cell.cell_type == "code" and not any(i in pair for pair in pairs):
            cell.outputs = original.get("outputs", [])
            cell.execution_count = original.get("execution_count")
    return released


def write_download(path: Path, target: Path, *, student: bool = False) -> Path:
    """Write the file a page's download link serves to ``target``: the course notebook at
    ``path`` byte for byte, or (``student``) its student version as ``make assignments``
    releases it."""
    if student:
        from .assignments import release

        written = release(path, target.parent)
        if written != target:
            written.replace(target)
    else:
        shutil.copyfile(path, target)
    return target


def write_sources(
    src: str | Path, notebooks: Sequence[Path] | None = None, *, student: bool = False
) -> list[str]:
    """Write the Sphinx source folder ``src`` (emptied first): configuration, theme additions,
    the home page and one page and one download per notebook; return the notebooks' stems.

    ``notebooks`` defaults to every course notebook; ``student=True`` writes
    :func:`student_page` versions, with no solutions, hidden tests or rubrics.
    """
    src = Path(src)
    paths = sorted(notebooks or NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise ValueError("book: no notebooks to build")
    shutil.rmtree(src, ignore_errors=True)
    for folder in ("notebooks", "_static", "_templates", "_extra/notebooks"):
        (src / folder).mkdir(parents=True)
    (src / "_static" / "colab-badge.svg").write_text(BADGE_SVG)
    (src / "_static" / "course.css").write_text(COURSE_CSS)
    (src / "_static" / "course.js").write_text(COURSE_JS)
    (src / "_templates" / "layout.html").write_text(LAYOUT)
    stems = [p.stem for p in paths]
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        page = _page(student_page(nb, path.stem, stems) if student else nb, path.stem)
        nbformat.write(page, src / "notebooks" / path.name)
        write_download(path, src / "_extra" / "notebooks" / path.name, student=student)
    (src / "conf.py").write_text(CONF.format(title=TITLE, footer=FOOTER))
    (src / "index.md").write_text(_home(stems, student))
    (src / "benchmark.md").write_text(_benchmark_page(src))
    return stems


def build(
    out: str | Path = ROOT / "_build",
    notebooks: Sequence[Path] | None = None,
    *,
    student: bool = False,
) -> Path:
    """Write the Sphinx source under ``out/src`` (:func:`write_sources`) and build the site into
    ``out/html``; return that folder.

    ``student=True`` builds the site a lecturer can hand out: pages (and downloads) are
    :func:`student_page` versions, with no solutions, hidden tests or rubrics.
    """
    from sphinx.cmd.build import build_main

    out = Path(out)
    src, html, doctrees = out / "src", out / "html", out / "doctrees"
    write_sources(src, notebooks, student=student)
    code = build_main(["-b", "html", "-q", "-d", str(doctrees), str(src), str(html)])
    if code != 0:
        raise RuntimeError(f"book: sphinx-build failed with exit status {code}")
    if (html / "_sources").is_dir() and not any((html / "_sources").iterdir()):
        (html / "_sources").rmdir()  # left empty: the pages' sources are not published
    return html


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
    problems = check_site(html, stems) + check_pages(html, stems)
    for p in problems:
        print("problem:", p, file=sys.stderr)
    print(f"site in {html} ({time.perf_counter() - start:.0f} s); open {html / 'index.html'}")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
