"""The course website: a static site built from the committed, executed notebooks.

``make book`` (``python -m utils.book [--out _build] [--student]``) copies the notebooks into a
Sphinx source folder under ``_build/src`` (nothing is re-executed: the pages show the committed
outputs), adds a home page with the course map and the table of notebooks (taken from the
README, one source of truth), a download link under every page's header, and runs Sphinx with
MyST-NB and sphinx-book-theme into ``_build/html`` (doctrees go to ``_build/doctrees``, outside
the published folder). The download link serves the course notebook itself, byte for byte (on
the student site, ``--student``, the student version). Math is rendered by a MathJax copy
shipped with the site (``sphinx-mathjax-offline``) and the theme ships its fonts and scripts:
the site works with the network off. :func:`check_site` lists pages that are missing, links to
missing files and anything loaded from outside; :func:`check_pages` reads every notebook page
for walls of metric outputs, progress-bar text and a missing previous/next footer;
:func:`browser_check` loads the pages in headless Chromium at a phone's width.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat

from .config import NOTEBOOKS_DIR, ROOT

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
#: Longest run of consecutive metric outputs a page may show (``utils.record`` shows one).
MAX_METRIC_RUN = 5
#: Width of a phone's screen in CSS pixels: no page may be wider than this there.
PHONE_WIDTH = 390

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


def _notebook_rows(readme: Path) -> list[tuple[str, str, str]]:
    """``(stem, what it covers, time)`` for every notebook row of the README's table."""
    rows = []
    for line in readme.read_text().splitlines():
        m = re.match(r"^\| `(\d\d_[a-z0-9_]+)` \| (.*) \| (.*) \|$", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3)))
    return rows


def _home(rows: Sequence[tuple[str, str, str]], stems: Sequence[str], student: bool = False) -> str:
    from .config import COURSE

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
    known = {s: (w, t) for s, w, t in rows}
    bounds = False
    for stem in stems:
        what, t = known.get(stem, (COURSE.get(stem, stem), ""))
        if t.rstrip().endswith("*"):  # the README's footnote: measured beside another run
            t, bounds = "≤ " + t.rstrip(" *").lstrip("~ "), True
        title = COURSE.get(stem, stem)
        lines.append(f"| [{stem[:2]} · {title}](notebooks/{stem}.ipynb) | {what} | {t} |")
    lines += [
        "",
        "Times are the wall-clock of one run at the defaults on a 2-core CPU, one notebook at a "
        "time"
        + (
            "; ≤ marks an upper bound (measured while another notebook used the second core)."
            if bounds
            else "."
        ),
    ]
    lines += ["", "```{toctree}", ":maxdepth: 1", ":hidden:", ":caption: Notebooks", ""]
    lines += [f"notebooks/{s}" for s in stems]
    lines += ["```", ""]
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
    src, html, doctrees = out / "src", out / "html", out / "doctrees"
    shutil.rmtree(src, ignore_errors=True)
    for folder in ("notebooks", "_static", "_templates", "_extra/notebooks"):
        (src / folder).mkdir(parents=True)
    (src / "_static" / "colab-badge.svg").write_text(BADGE_SVG)
    (src / "_static" / "course.css").write_text(COURSE_CSS)
    (src / "_static" / "course.js").write_text(COURSE_JS)
    (src / "_templates" / "layout.html").write_text(LAYOUT)
    paths = sorted(notebooks or NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise ValueError("book: no notebooks to build")
    stems = [p.stem for p in paths]
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        page = _page(student_page(nb, path.stem, stems) if student else nb, path.stem)
        nbformat.write(page, src / "notebooks" / path.name)
        write_download(path, src / "_extra" / "notebooks" / path.name, student=student)
    (src / "conf.py").write_text(CONF.format(title=TITLE, footer=FOOTER))
    (src / "index.md").write_text(_home(_notebook_rows(ROOT / "README.md"), stems, student))
    code = build_main(["-b", "html", "-q", "-d", str(doctrees), str(src), str(html)])
    if code != 0:
        raise RuntimeError(f"book: sphinx-build failed with exit status {code}")
    if (html / "_sources").is_dir() and not any((html / "_sources").iterdir()):
        (html / "_sources").rmdir()  # left empty: the pages' sources are not published
    return html


def _outside(url: str) -> bool:
    return urlparse(url).scheme in ("http", "https") or url.startswith("//")


class _Refs(HTMLParser):
    """Links, images and loaded resources of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("img", "source") and (a.get("src") or a.get("srcset")):
            self.images.append(a.get("src") or a["srcset"].split()[0])
        elif tag in ("script", "iframe", "video", "audio", "embed") and a.get("src"):
            self.loads.append(a["src"])
        elif tag == "link" and a.get("href") and a.get("rel", "") != "canonical":
            self.loads.append(a["href"])  # stylesheets, preloads, icons, preconnects
        elif tag == "object" and a.get("data"):
            self.loads.append(a["data"])
        style = a.get("style", "")
        self.loads += re.findall(r"url\(\s*['\"]?([^'\")]+)", style)


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)|@import\s+['\"]([^'\"]+)")


def check_site(html: str | Path, stems: Sequence[str]) -> list[str]:
    """Problems of a built site: a notebook without a page, a local link or image that points
    to a missing file, anything (script, stylesheet, font, image, preload) loaded from another
    host by a page or a stylesheet."""
    html = Path(html)
    problems = []
    for stem in stems:
        if not (html / "notebooks" / f"{stem}.html").exists():
            problems.append(f"no page for {stem}")
    for page in sorted(html.rglob("*.html")):
        refs = _Refs()
        refs.feed(page.read_text(encoding="utf-8", errors="replace"))
        for src in refs.loads + refs.images:
            if _outside(src):
                problems.append(f"{page.relative_to(html)} loads {src} from outside")
        for target in refs.links + refs.images:
            parsed = urlparse(target)
            if parsed.scheme or target.startswith(("#", "mailto:", "//")) or not parsed.path:
                continue
            dest = (page.parent / unquote(parsed.path)).resolve()
            if not dest.exists():
                problems.append(f"{page.relative_to(html)} links to missing {target}")
    for css in sorted(html.rglob("*.css")):
        for m in _CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            url = m.group(1) or m.group(2)
            if _outside(url):
                problems.append(f"{css.relative_to(html)} loads {url} from outside")
    return problems


class _Outputs(HTMLParser):
    """The texts of a page's notebook outputs, grouped by cell, and the order of landmarks."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[list[str]] = []  # per cell_output container: its outputs' texts
        self._stack: list[str] = []  # role of each open div: "cell", "output" or ""
        self.last_cell_at = -1
        self.prev_next_at = -1
        self.prev_next: set[str] = set()
        self._n = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._n += 1
        classes = (dict(attrs).get("class") or "").split()
        if "prev-next-area" in classes:
            self.prev_next_at = self._n
        if tag == "a" and self.prev_next_at > 0:
            self.prev_next |= {c for c in classes if c in ("left-prev", "right-next")}
        if tag != "div":
            return
        if "cell" in classes:
            self.last_cell_at = self._n
        if "cell_output" in classes:
            self.cells.append([])
            self._stack.append("cell")
        elif self._stack and self._stack[-1] == "cell" and "output" in classes:
            self.cells[-1].append("")
            self._stack.append("output")
        else:
            self._stack.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if "output" in self._stack:
            self.cells[-1][-1] += data


_METRIC_LINE = re.compile(r"^\s*(?:[A-Za-z_]\w* = \S+|recorded.*)\s*$")


def check_pages(html: str | Path, stems: Sequence[str]) -> list[str]:
    """Problems a reader sees on the notebook pages: more than :data:`MAX_METRIC_RUN`
    consecutive metric outputs (``name = value`` lines, one box each), progress-bar text, and
    previous/next links missing from the bottom of a page (the first page's previous is the
    home page, the last page has no next)."""
    from .run import PROGRESS_BAR

    html = Path(html)
    problems = []
    for i, stem in enumerate(stems):
        path = html / "notebooks" / f"{stem}.html"
        if not path.exists():
            problems.append(f"no page for {stem}")
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        page = _Outputs()
        page.feed(text)
        longest = 0
        for outputs in page.cells:
            run = 0
            for out in outputs:
                run = run + 1 if _METRIC_LINE.match(unescape(out)) else 0
                longest = max(longest, run)
        if longest > MAX_METRIC_RUN:
            problems.append(f"{stem}: {longest} consecutive metric outputs")
        bars = [m.group(0) for m in PROGRESS_BAR.finditer(unescape(re.sub(r"<[^>]+>", "", text)))]
        if bars:
            problems.append(f"{stem}: progress-bar text ({len(bars)}x, e.g. {bars[0]!r})")
        wanted = {"left-prev"} | ({"right-next"} if i < len(stems) - 1 else set())
        if page.prev_next_at < page.last_cell_at or not wanted <= page.prev_next:
            problems.append(f"{stem}: no previous/next links at the bottom of the page")
    return problems


def chromium() -> str | None:
    """The headless browser :func:`browser_check` uses, if one is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


_HARNESS = """<!doctype html><html><head><meta charset="utf-8"><title>probe</title></head>
<body style="margin:0"><iframe id="f" style="width:%(width)dpx;height:800px;border:0"></iframe>
<script>
var pages = %(pages)s, results = {}, frame = document.getElementById("f");
function measure(page) {
  var w = frame.contentWindow, d = w.document.documentElement, wide = [];
  w.document.querySelectorAll("body *").forEach(function (e) {  // sticking out, unclipped
    var r = e.getBoundingClientRect();
    if (!(r.width > 0 && r.right > d.clientWidth + 1) || wide.length >= 5) return;
    if (w.getComputedStyle(e).position === "fixed") return;  // off-canvas panels
    for (var a = e.parentElement; a && a !== w.document.body; a = a.parentElement)
      if (w.getComputedStyle(a).overflowX !== "visible") return;
    wide.push(e.tagName.toLowerCase() + "." + String(e.className).split(" ")[0]);
  });
  var outside = w.performance.getEntriesByType("resource").map(function (e) { return e.name; })
    .filter(function (u) { return !/^(file|data|blob|about):/.test(u); });
  results[page] = {width: d.scrollWidth, viewport: d.clientWidth, wide: wide, outside: outside};
}
function next(i) {
  if (i >= pages.length) { document.title = "RESULT" + JSON.stringify(results); return; }
  frame.onload = function () {
    var mj = frame.contentWindow.MathJax, ready = mj && mj.startup && mj.startup.promise;
    Promise.resolve(ready).then(function () {
      setTimeout(function () { measure(pages[i]); next(i + 1); }, 300);
    });
  };
  frame.src = pages[i];
}
next(0);
</script></body></html>
"""


def _in_chromium(
    harness: Path, body: str, args: Sequence[str], window: tuple[int, int], budget_ms: int
) -> subprocess.CompletedProcess:
    """Write ``body`` to ``harness`` (beside the pages it frames), open it in headless Chromium
    with every other host blocked and ``args`` added, then remove it."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("no chromium on PATH (apt-get install chromium)")
    harness.write_text(body)
    try:
        with tempfile.TemporaryDirectory() as profile:
            cmd = [
                browser,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--allow-file-access-from-files",
                f"--user-data-dir={profile}",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--window-size={window[0]},{window[1]}",
                f"--virtual-time-budget={budget_ms}",
                *args,
                harness.as_uri(),
            ]
            return subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    finally:
        harness.unlink(missing_ok=True)


def browser_check(
    html: str | Path, pages: Sequence[str], width: int = PHONE_WIDTH
) -> dict[str, dict]:
    """Load ``pages`` (paths relative to ``html``) in headless Chromium at ``width`` CSS pixels
    with every other host blocked; per page: ``width`` (the page's scroll width), ``viewport``,
    ``wide`` (a few elements sticking out) and ``outside`` (requests to another host)."""
    html = Path(html).resolve()
    urls = [(html / p).as_uri() for p in pages]
    done = _in_chromium(
        html / "_gdl_probe.html",
        _HARNESS % {"width": width, "pages": json.dumps(urls)},
        ["--dump-dom"],
        (width + 200, 1000),
        5000 + 3000 * len(pages),
    )
    m = re.search(r"<title>RESULT(.*?)</title>", done.stdout, re.S)
    if not m:
        raise RuntimeError(f"browser_check: no result from chromium: {done.stderr[-500:]}")
    found = json.loads(unescape(m.group(1)))
    return {p: found[u] for p, u in zip(pages, urls)}


def screenshot(
    page: Path, target: Path, width: int, height: int = 2000, fragment: str = ""
) -> Path:
    """A PNG of ``page`` in headless Chromium, ``width`` CSS pixels wide, scrolled to
    ``#fragment`` if given (for looking at the site)."""
    src = page.name + (f"#{fragment}" if fragment else "")
    body = (
        f'<!doctype html><body style="margin:0"><iframe src="{src}" '
        f'style="width:{width}px;height:{height}px;border:0"></iframe></body>'
    )
    harness = page.parent / f"_gdl_shot_{page.stem}.html"
    done = _in_chromium(harness, body, [f"--screenshot={target}"], (max(width, 500), height), 8000)
    if done.returncode != 0 or not target.exists():
        raise RuntimeError(f"screenshot: chromium failed: {done.stderr[-500:]}")
    return target


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
