"""The Colab path, without Colab: the set-up cell against a local bare repository.

The cell of every notebook (``colab-setup``) clones the course and installs ``utils`` editable
with pip. Here it runs in a fresh virtual environment that already has torch and the other
scientific packages (as Colab does: a ``.pth`` file makes this checkout's environment visible,
standing for Colab's preinstalled packages), with the repository address pointed at a bare
clone of this repository. Then ``utils`` must import from the new clone, pip must not have
installed torch into the fresh environment, and notebook 00 must run in fast mode there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from utils.config import BRANCH, NOTEBOOKS_DIR, ROOT


def _setup_cell() -> str:
    nb = nbformat.read(NOTEBOOKS_DIR / "00_introduction.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "colab-setup" in c.metadata.get("tags", []))
    assert cell.metadata["jupyter"]["source_hidden"], "the set-up cell opens collapsed"
    return cell.source


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_setup_cell_installs_the_course_from_a_repository_url(tmp_path):
    bare = tmp_path / "course.git"  # this checkout's commit on the branch the cell clones
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    # CI checkouts are often shallow: let the bare repository take a shallow push
    subprocess.run(["git", "-C", str(bare), "config", "receive.shallowUpdate", "true"], check=True)
    push = ["git", "push", "-q", str(bare), f"HEAD:refs/heads/{BRANCH}"]
    subprocess.run(push, cwd=ROOT, check=True, capture_output=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "preinstalled.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    home = tmp_path / "content" / "gdl"
    env = {
        **os.environ,
        "GDL_SETUP_TEST": "1",
        "GDL_REPO_URL": bare.as_uri(),
        "GDL_HOME": str(home),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(py), "-c", _setup_cell()], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (home / "notebooks" / "00_introduction.ipynb").exists()
    where = subprocess.run(
        [str(py), "-c", "import utils; print(utils.__file__)"],
        env=env, capture_output=True, text=True, cwd=tmp_path, check=True,
    ).stdout.strip()  # fmt: skip
    assert Path(where).resolve().is_relative_to(home.resolve()), where
    assert not (Path(site) / "torch").exists(), "pip reinstalled torch"
    ran = subprocess.run(
        [str(py), "-m", "utils.run", "00", "--fast", "--out", str(tmp_path / "out")],
        env={**env, "GDL_FAST": "1"}, capture_output=True, text=True, cwd=home,
    )  # fmt: skip
    assert ran.returncode == 0, (ran.stdout + ran.stderr)[-2000:]
    assert (tmp_path / "out" / "00_introduction.ipynb").exists()
