import shutil

import nbformat

from utils import headers
from utils.config import NOTEBOOKS_DIR, REPO


def test_committed_headers_are_up_to_date():
    assert headers.main(["--check"]) == 0


def test_header_links_and_badge():
    text = headers.render_header(
        "01_explicit_density", ["00_introduction", "01_explicit_density", "02_rbm_dbm"]
    )
    assert text.startswith("# 01 · Explicit density estimation")
    assert (
        f"colab.research.google.com/github/{REPO}/blob/main/notebooks/01_explicit_density.ipynb"
        in text
    )
    assert "(00_introduction.ipynb)" in text and "(02_rbm_dbm.ipynb)" in text
    only = headers.render_header("00_introduction", ["00_introduction"])
    assert ".ipynb)" not in only.split("\n", 3)[3]  # no neighbours, no links
    assert REPO in headers.render_setup()


def test_update_inserts_and_check_detects_stale(tmp_path, capsys):
    shutil.copy(NOTEBOOKS_DIR / "00_introduction.ipynb", tmp_path / "00_introduction.ipynb")
    nb = nbformat.read(tmp_path / "00_introduction.ipynb", as_version=4)
    nb.cells = nb.cells[2:]  # drop the generated cells
    nbformat.write(nb, tmp_path / "00_introduction.ipynb")
    assert headers.main(["--check", "--dir", str(tmp_path)]) == 1
    assert "stale" in capsys.readouterr().err
    assert headers.main(["--dir", str(tmp_path)]) == 0
    assert headers.main(["--check", "--dir", str(tmp_path)]) == 0
    nb = nbformat.read(tmp_path / "00_introduction.ipynb", as_version=4)
    nb.cells[0].source = "# old title"
    nbformat.write(nb, tmp_path / "00_introduction.ipynb")
    assert headers.update(tmp_path / "00_introduction.ipynb", ["00_introduction"])
    assert not headers.update(tmp_path / "00_introduction.ipynb", ["00_introduction"])
