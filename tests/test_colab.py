"""The Colab path, without Colab: the set-up cell against a local bare repository.

The cell of every notebook (``colab-setup``) clones the course and installs ``utils`` editable
with pip. Here it runs in a fresh virtual environment that already has torch and the other
scientific packages (as Colab does: a ``.pth`` file makes this checkout's environment visible,
standing for Colab's preinstalled packages, pip and setuptools among them), with the repository
address pointed at a bare clone of this repository. Then ``utils`` must import from the new
clone, pip must not have installed torch into the fresh environment (it has no package index to
fetch one from), and notebook 00 must run in fast mode there.

Cost: the bare repository shares this checkout's objects, the environment is made without pip
and pip builds without an isolated build environment (nothing is downloaded or copied); what is
left is pip's resolution and the notebook's run, about 20 s of CPU.
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
    # shares this checkout's objects (no copy): the cell's shallow clone reads them from here
    subprocess.run(["git", "clone", "-q", "--bare", "--shared", str(ROOT), str(bare)], check=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(["git", "-C", str(bare), "update-ref", f"refs/heads/{BRANCH}", head], check=True)
    # Colab's packages (pip, setuptools, torch ...) stand preinstalled: this environment's, seen
    # through a .pth file, so the fresh environment needs no pip of its own
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
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
        # no package index: a requirement the preinstalled packages do not meet (a torch pip
        # would reinstall) fails the cell; the build backend (setuptools) is preinstalled too
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling of --no-build-isolation
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
    # the notebook runs from the clone (its set-up cell, played above, is not played again)
    run_env = {k: v for k, v in env.items() if k != "GDL_SETUP_TEST"}
    ran = subprocess.run(
        [str(py), "-m", "utils.run", "00", "--fast", "--out", str(tmp_path / "out")],
        env={**run_env, "GDL_FAST": "1"}, capture_output=True, text=True, cwd=home,
    )  # fmt: skip
    assert ran.returncode == 0, (ran.stdout + ran.stderr)[-2000:]
    assert (tmp_path / "out" / "00_introduction.ipynb").exists()
