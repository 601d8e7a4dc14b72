"""Checking the built course site: what a reader would see go wrong, found without a reader.

:func:`check_site` lists notebooks without a page, local links and images to missing files and
anything loaded from another host (by a page or a stylesheet); :func:`check_pages` reads every
notebook page for walls of metric outputs, progress-bar text and a missing previous/next footer;
:func:`browser_check` loads pages in headless Chromium at a phone's width (overflow and outside
requests) and :func:`screenshot` takes a picture of one. ``utils.book`` builds the site and runs
the first two after every build.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

#: Longest run of consecutive metric outputs a page may show (``utils.record`` shows one).
MAX_METRIC_RUN = 5
#: Width of a phone's screen in CSS pixels: no page may be wider than this there.
PHONE_WIDTH = 390


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
