"""The course website: every notebook gets a page, links resolve, nothing loads from outside."""

from __future__ import annotations

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
