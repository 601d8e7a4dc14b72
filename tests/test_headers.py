import shutil

import nbformat
import pytest

from utils import config, headers

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_committed_headers_are_up_to_date():
    assert headers.main(["--check"]) == 0


def test_header_links_badge_and_learn_box():
    text = headers.render_header(
        "01_explicit_density", ["00_introduction", "01_explicit_density", "02_rbm_dbm"]
    )
    assert text.startswith("# 01 · Explicit density estimation")
    assert (
        f"colab.research.google.com/github/{config.REPO}/blob/{config.BRANCH}/notebooks/01_explicit_density.ipynb"
        in text
    )
    assert "(00_introduction.ipynb)" in text and "(02_rbm_dbm.ipynb)" in text
    learn = [ln for ln in text.splitlines() if ln.startswith("> * ")]
    assert learn == [f"> * {line}" for line in config.LEARN["01_explicit_density"]]
    only = headers.render_header("00_introduction", ["00_introduction"])
    assert ".ipynb)" not in only.split("\n", 3)[3]  # no neighbours, no links
    assert (
        f'repo_url, branch = "https://github.com/{config.REPO}", "{config.BRANCH}"'
        in headers.render_setup()
    )


def test_every_notebook_has_three_learn_lines():
    assert set(config.LEARN) == set(config.COURSE) == {p.stem for p in NOTEBOOKS}
    for stem, lines in config.LEARN.items():
        assert len(lines) == 3 and all(len(line) > 20 for line in lines), stem


def test_links_for_both_audiences():
    ins, stu = headers.links("03_vae"), headers.links("03_vae", "student")
    assert ins.colab.endswith(f"github/{config.REPO}/blob/{config.BRANCH}/notebooks/03_vae.ipynb")
    assert stu.colab.endswith(
        f"github/{config.STUDENT_REPO}/blob/{config.STUDENT_BRANCH}/notebooks/03_vae.ipynb"
    )
    assert stu.clone == f"https://github.com/{config.STUDENT_REPO}"
    assert stu.download == (
        f"https://raw.githubusercontent.com/{config.STUDENT_REPO}/{config.STUDENT_BRANCH}/notebooks/03_vae.ipynb"
    )
    assert (
        stu.github
        == f"https://github.com/{config.STUDENT_REPO}/blob/{config.STUDENT_BRANCH}/notebooks/03_vae.ipynb"
    )
    other = headers.links("03_vae", "student", repo="me/fork", branch="hw")
    assert other.colab.endswith("github/me/fork/blob/hw/notebooks/03_vae.ipynb")
    student_header = headers.render_header("03_vae", ["03_vae"], stu)
    assert stu.colab in student_header and config.REPO + "/" not in student_header
    assert f'"{stu.clone}", "{config.STUDENT_BRANCH}"' in headers.render_setup(stu)
    with pytest.raises(ValueError, match="audience"):
        headers.links("03_vae", "teacher")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_saved_kernelspec_is_the_installed_one(path):
    """JupyterLab rewrites a kernelspec that differs from the kernel's, marking the notebook
    modified the moment it opens: the saved one must be what ipykernel installs."""
    from jupyter_client.kernelspec import KernelSpecManager

    nb = nbformat.read(path, as_version=4)
    saved = dict(nb.metadata["kernelspec"])
    spec = KernelSpecManager().get_kernel_spec(saved["name"])
    assert saved == {
        "display_name": spec.display_name,
        "language": spec.language,
        "name": "python3",
    }
    assert saved == config.KERNELSPEC


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_setup_cell_is_collapsed_and_short(path):
    nb = nbformat.read(path, as_version=4)
    cell = nb.cells[1]
    assert "colab-setup" in cell.metadata["tags"]
    assert cell.metadata["jupyter"]["source_hidden"] is True
    assert len(cell.source.splitlines()) <= 13


def test_readme_colab_table_is_generated():
    text = (config.ROOT / "README.md").read_text()
    existing = [p.stem for p in NOTEBOOKS]
    assert headers.render_colab_table(existing) in text
    assert headers.render_notebook_table(existing) in text
    start_here = text.split("\n## ")[1]
    assert start_here.startswith("Start here") and headers.README_MARKERS[0] in start_here
    with pytest.raises(ValueError, match="no .* block"):
        headers.replace_block("no table here", "x")


def test_update_inserts_and_check_detects_stale(tmp_path, capsys):
    shutil.copy(config.NOTEBOOKS_DIR / "00_introduction.ipynb", tmp_path / "00_introduction.ipynb")
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
    for stale in ({"display_name": "Python 3", "language": "python", "name": "python3"}, None):
        nb = nbformat.read(tmp_path / "00_introduction.ipynb", as_version=4)
        if stale is None:
            del nb.cells[1].metadata["jupyter"]
        else:
            nb.metadata["kernelspec"] = stale
        nbformat.write(nb, tmp_path / "00_introduction.ipynb")
        assert headers.main(["--check", "--dir", str(tmp_path)]) == 1
        assert headers.update(tmp_path / "00_introduction.ipynb", ["00_introduction"])


def test_readme_table_rewritten_and_checked(tmp_path):
    shutil.copy(config.NOTEBOOKS_DIR / "00_introduction.ipynb", tmp_path / "00_introduction.ipynb")
    readme = tmp_path / "README.md"
    blocks = ["\n".join(headers.README_MARKERS), "\n".join(headers.NOTEBOOK_TABLE_MARKERS)]
    readme.write_text("intro\n" + "\nmiddle\n".join(blocks) + "\nrest\n")
    args = ["--dir", str(tmp_path), "--readme", str(readme)]
    assert headers.main(["--check", *args]) == 1
    assert headers.main(args) == 0
    assert headers.render_colab_table(["00_introduction"]) in readme.read_text()
    table = headers.render_notebook_table(["00_introduction"])
    assert table in readme.read_text()
    assert f"| `00_introduction` | {config.TOPICS['00_introduction']} | ~49 s |" in table
    assert readme.read_text().endswith("\nrest\n")
    assert headers.main(["--check", *args]) == 0


def test_wall_time_shows_seconds_minutes_and_upper_bounds(monkeypatch):
    monkeypatch.setattr(config, "WALL_S", {"00_a": 49, "01_b": 241, "02_c": 812})
    monkeypatch.setattr(config, "UPPER_BOUNDS", frozenset({"02_c"}))
    times = [headers.wall_time(s) for s in ("00_a", "01_b", "02_c", "03_unmeasured")]
    assert times == ["~49 s", "~4.0 min", "≤ 13.5 min", ""]


def test_every_notebook_has_a_topic_and_a_measured_time():
    assert set(config.TOPICS) == set(config.WALL_S) == set(config.COURSE)


def test_student_lab_install_has_no_nbgrader():
    """``make lab`` installs the package and the ``lab`` extra only: nbgrader (and with it the
    "Create Assignment" panel and grading menu) stays out of a student's JupyterLab."""
    import re
    import tomllib

    project = tomllib.loads((config.ROOT / "pyproject.toml").read_text())["project"]
    student = project["dependencies"] + project["optional-dependencies"]["lab"]
    assert any(d.startswith("jupyterlab") for d in student)
    assert not [d for d in student if d.lower().startswith("nbgrader")]
    make = (config.ROOT / "Makefile").read_text()
    lab = re.search(r"^lab:(.*?)\n\n", make, re.M | re.S).group(1)
    assert "$(STAMP)" not in lab and '-e ".[lab]"' in lab and "[dev" not in lab
