"""The course website: every notebook gets a page, links resolve, nothing loads from outside."""

from __future__ import annotations

import nbformat
import pytest

from utils import book, run

pytest.importorskip("myst_nb")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return book.build(tmp_path_factory.mktemp("book"))


def test_every_notebook_has_a_page_and_the_site_is_self_contained(site):
    stems = [p.stem for p in run.list_notebooks()]
    assert book.check_site(site, stems) == []
    home = (site / "index.html").read_text()
    for stem in stems:
        assert f"notebooks/{stem}.html" in home
        page = (site / "notebooks" / f"{stem}.html").read_text()
        assert "reference download internal" in page and "colab-badge.svg" in page
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists()  # math without a network
    assert 'class="math' in (site / "notebooks" / "07_kgan.html").read_text()


def test_check_site_finds_missing_pages_links_and_outside_scripts(site, tmp_path):
    page = tmp_path / "notebooks" / "00_x.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<a href="01_y.html">next</a><img src="pic.png">'
        '<script src="https://cdn.example.org/x.js"></script><a href="https://ok.org">ok</a>'
    )
    problems = book.check_site(tmp_path, ["00_x", "02_z"])
    assert "no page for 02_z" in problems
    assert any("links to missing 01_y.html" in p for p in problems)
    assert any("links to missing pic.png" in p for p in problems)
    assert any("loads https://cdn.example.org/x.js from outside" in p for p in problems)
    assert len(problems) == 4


def test_student_site_has_figures_but_no_answers(tmp_path):
    paths = [p for p in run.list_notebooks() if p.stem.startswith(("00", "03"))]
    site = book.build(tmp_path, paths, student=True)
    for p in paths:
        page = (site / "notebooks" / f"{p.stem}.html").read_text()
        for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "Rubric (", "**Answer.**"):
            assert secret not in page, f"{p.stem}: {secret!r} on the student site"
        assert "YOUR ANSWER HERE" in page and "NotImplementedError" in page
        assert "<img" in page, "figures are kept"
    downloaded = tmp_path / "src" / "notebooks" / "00_introduction.ipynb"
    assert "logsumexp(log_pxy, axis=1" not in downloaded.read_text()  # the student version
    nb = nbformat.read(downloaded, as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded and all(not c.get("outputs") for c in graded), "check outputs are cleared"
