"""The course website: every notebook gets a page, links resolve, nothing loads from outside,
the pages read clean (no walls of metric boxes, no frozen progress bars, previous/next at the
bottom), the download is the course notebook, and a phone shows no page wider than its screen.

The site is built from the committed notebooks without executing them (about 20 s); set
``GDL_BOOK_NOTEBOOKS=DIR`` to build it from executed copies elsewhere (``utils.run --out DIR``),
e.g. to check notebooks before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from utils import book, config, run, site_check
from utils.assignments import release
from utils.headers import links, wall_time

pytest.importorskip("myst_nb")
pytest.importorskip("sphinx_book_theme")


FOLDER = Path(os.environ.get("GDL_BOOK_NOTEBOOKS", run.NOTEBOOKS_DIR))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return book.build(tmp_path_factory.mktemp("book"), run.list_notebooks(FOLDER))


@pytest.fixture(scope="module")
def stems():
    return [p.stem for p in run.list_notebooks(FOLDER)]


def test_every_notebook_has_a_page_and_the_site_is_self_contained(site, stems):
    assert site_check.check_site(site, stems) == []
    home = (site / "index.html").read_text()
    assert "<title>Generative deep learning in PyTorch</title>" in home
    footer = home.split('<footer class="bd-footer-content">')[1]
    assert "©" not in footer and "the course team" in footer and "needs no network" in footer
    assert "*" not in home.split('id="the-course-map"')[1].split("</table>")[0]
    for stem in stems:
        assert f"notebooks/{stem}.html" in home
        page = (site / "notebooks" / f"{stem}.html").read_text()
        assert f'href="{stem}.ipynb"' in page and "colab-badge.svg" in page
        assert "{download}" not in page and "sphinx-book-theme.css" in page
        assert "<title>" + stem[:2] + " · " in page and "documentation</title>" not in page
        assert "©" not in page and "page-toc" in page, "a footer without ©, an outline"
        # the download is the course notebook itself, byte for byte
        assert (site / "notebooks" / f"{stem}.ipynb").read_bytes() == (
            FOLDER / f"{stem}.ipynb"
        ).read_bytes()
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists()  # math without a network
    assert 'class="math' in (site / "notebooks" / "07_kgan.html").read_text()
    assert not list(site.rglob(".doctrees")) and not list(site.rglob("*.doctree"))
    assert not (site / "_sources").exists()


def test_pages_read_clean(site, stems):
    """At most five metric outputs in a row, no progress-bar text, previous/next at the bottom.

    Fails while the committed notebooks hold outputs of the old ``utils.record`` (one box per
    metric): re-execute them (``make notebooks``)."""
    assert site_check.check_pages(site, stems) == []


def test_check_pages_finds_walls_bars_and_missing_prev_next(tmp_path):
    (tmp_path / "notebooks").mkdir()
    cell = '<div class="cell docutils container"><div class="cell_output docutils container">'
    out = '<div class="output text_plain"><div class="highlight"><pre>{}</pre></div></div>'
    nav = (
        '<footer class="prev-next-footer"><div class="prev-next-area">'
        '<a class="left-prev" href="a.html">prev</a><a class="right-next" href="b.html">next</a>'
        "</div></footer>"
    )

    def page(stem, outputs, footer=nav, before=""):
        body = before + cell + "".join(out.format(o) for o in outputs) + "</div></div>"
        (tmp_path / "notebooks" / f"{stem}.html").write_text(body + footer)

    page("00_ok", [f"m{i} = {i}" for i in range(5)] + ["a table"] + ["x = 1"] * 5)
    page("01_wall", [f"m{i} = 0.5" for i in range(6)])
    page("02_bar", ["GAN on ring:  40%|####      | 800/2000 [00:01&lt;00:02, 512.3it/s]"])
    page("03_top", ["recorded: fd = 2"], footer="", before=nav)  # links above the cells
    page("04_last", ["recorded 61 metrics (a = 1, …)"], footer=nav.replace("right-next", "x"))
    problems = site_check.check_pages(tmp_path, ["00_ok", "01_wall", "02_bar", "03_top", "04_last"])
    assert problems == [
        "01_wall: 6 consecutive metric outputs",
        "02_bar: progress-bar text (1x, e.g. '40%|####      | 800/2000 [00:01<00:02, 512.3it/s]')",
        "03_top: no previous/next links at the bottom of the page",
    ]
    assert site_check.check_pages(tmp_path, ["00_ok", "04_last", "99_none"]) == [
        "04_last: no previous/next links at the bottom of the page",
        "no page for 99_none",
    ]


def test_check_site_finds_missing_pages_links_and_outside_loads(site, tmp_path):
    page = tmp_path / "notebooks" / "00_x.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<a href="01_y.html">next</a><img src="pic.png">'
        '<script src="https://cdn.example.org/x.js"></script><a href="https://ok.org">ok</a>'
        '<link rel="preload" href="//fonts.example.org/f.woff2"><img src="https://x.org/i.png">'
    )
    (tmp_path / "a.css").write_text("@font-face { src: url('https://fonts.example.org/a.woff'); }")
    problems = site_check.check_site(tmp_path, ["00_x", "02_z"])
    assert "no page for 02_z" in problems
    assert any("links to missing 01_y.html" in p for p in problems)
    assert any("links to missing pic.png" in p for p in problems)
    assert any("loads https://cdn.example.org/x.js from outside" in p for p in problems)
    assert any("loads //fonts.example.org/f.woff2 from outside" in p for p in problems)
    assert any("loads https://x.org/i.png from outside" in p for p in problems)
    assert "a.css loads https://fonts.example.org/a.woff from outside" in problems
    assert len(problems) == 7


def test_home_marks_upper_bounds_instead_of_an_unexplained_star(monkeypatch):
    monkeypatch.setattr(config, "TOPICS", {"00_a": "intro", "01_b": "more"})
    monkeypatch.setattr(config, "WALL_S", {"00_a": 8, "01_b": 198})
    monkeypatch.setattr(config, "UPPER_BOUNDS", frozenset({"01_b"}))
    text = book._home(["00_a", "01_b"])
    assert "| intro | ~8 s |" in text and "| more | ≤ 3.3 min |" in text
    assert "*" not in text.split("Times")[0] and "≤ marks an upper bound" in text
    assert "upper bound" not in book._home(["00_a"])


def test_home_page_comes_from_the_course_data_not_the_readme(tmp_path, monkeypatch):
    """The README is generated from ``utils.config`` (``utils.headers``); the site must not read
    it back: the sources are written with every read of a README.md failing."""
    import builtins

    def refuse_readme(real):
        def opener(path, *args, **kwargs):
            if Path(path).name == "README.md":
                raise AssertionError(f"utils.book read {path}")
            return real(path, *args, **kwargs)

        return opener

    monkeypatch.setattr(Path, "open", refuse_readme(Path.open))
    monkeypatch.setattr(builtins, "open", refuse_readme(builtins.open))
    paths = [p for p in run.list_notebooks() if p.stem.startswith("00")]
    assert book.write_sources(tmp_path / "src", paths) == ["00_introduction"]
    home = (tmp_path / "src" / "index.md").read_text()
    row = next(line for line in home.splitlines() if "00_introduction.ipynb" in line)
    assert config.COURSE["00_introduction"] in row and config.TOPICS["00_introduction"] in row
    assert row.endswith(f"| {wall_time('00_introduction')} |")


def test_student_site_has_figures_but_no_answers_and_serves_the_release(tmp_path):
    paths = [p for p in run.list_notebooks() if p.stem.startswith(("00", "03"))]
    site = book.build(tmp_path / "a", paths, student=True)
    for p in paths:
        page = (site / "notebooks" / f"{p.stem}.html").read_text()
        for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "Rubric (", "**Answer.**"):
            assert secret not in page, f"{p.stem}: {secret!r} on the student site"
        assert "YOUR ANSWER HERE" in page and "NotImplementedError" in page
        assert "<img" in page, "figures are kept"
        assert links(p.stem, "student").colab in page, "the badge opens the student version"
        assert links(p.stem).colab not in page
        downloaded = (site / "notebooks" / p.name).read_bytes()
        assert downloaded == release(p, tmp_path / "release").read_bytes()
        nb = nbformat.reads(downloaded.decode(), as_version=4)
        assert [c.id for c in nb.cells] == [c.id for c in nbformat.read(p, as_version=4).cells], (
            "no new cell ids"
        )
        assert "{download}" not in downloaded.decode()
        assert "logsumexp(log_pxy, axis=1" not in downloaded.decode()  # the student version
    page_nb = nbformat.read(tmp_path / "a" / "src" / "notebooks" / paths[0].name, as_version=4)
    graded = [c for c in page_nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded and all(not c.get("outputs") for c in graded), "check outputs are cleared"
    # a second build is byte-identical: pages' sources and downloads alike
    again = book.build(tmp_path / "b", paths, student=True)
    for p in paths:
        for folder in ("src/notebooks", "html/notebooks"):
            first = (tmp_path / "a" / folder / p.name).read_bytes()
            assert first == (tmp_path / "b" / folder / p.name).read_bytes(), folder
    assert again.exists()


@pytest.mark.skipif(
    site_check.chromium() is None,
    reason="no chromium on PATH (apt-get install chromium): the 390 px layout is not checked",
)
def test_no_page_is_wider_than_a_phone_and_nothing_is_requested_from_outside(site, stems):
    pages = ["index.html", "benchmark.html"] + [f"notebooks/{s}.html" for s in stems]
    measured = site_check.browser_check(site, pages, width=site_check.PHONE_WIDTH)
    for page, m in measured.items():
        assert m["viewport"] == site_check.PHONE_WIDTH, page
        assert m["width"] <= m["viewport"], f"{page} is {m['width']} px wide: {m['wide']}"
        assert m["outside"] == [], f"{page} requests {m['outside']}"


@pytest.mark.skipif(
    site_check.chromium() is None, reason="no chromium on PATH (apt-get install chromium)"
)
def test_browser_check_sees_overflow_and_outside_requests(tmp_path):
    (tmp_path / "wide.html").write_text(
        '<html><body><div style="width:600px">wide</div><img src="https://example.org/x.png">'
        "</body></html>"
    )
    (tmp_path / "ok.html").write_text(
        '<html><body><div style="overflow-x:auto"><div style="width:600px">scrolls</div></div>'
        "</body></html>"
    )
    m = site_check.browser_check(tmp_path, ["wide.html", "ok.html"], width=390)
    assert m["wide.html"]["width"] > 390 and m["wide.html"]["wide"] == ["div."]
    assert m["wide.html"]["outside"] == ["https://example.org/x.png"]
    assert m["ok.html"]["width"] == 390 and m["ok.html"]["outside"] == []
    assert not (tmp_path / "_gdl_probe.html").exists()
    shot = site_check.screenshot(tmp_path / "ok.html", tmp_path / "ok.png", 390, 300)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.html", "ok.png", "wide.html"]


def test_command_line_reports_the_problems(site, stems, monkeypatch, capsys):
    monkeypatch.setattr(book, "build", lambda out, student=False: site)
    monkeypatch.setattr(book, "NOTEBOOKS_DIR", FOLDER)
    problems = site_check.check_site(site, stems) + site_check.check_pages(site, stems)
    assert book.main(["--out", "unused"]) == (1 if problems else 0)
    out, err = capsys.readouterr()
    assert f"site in {site}" in out and err.count("problem:") == len(problems)
