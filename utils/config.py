"""Course-wide constants: paths, the repository address, the notebook list and the fast switch.

This is the one place that holds the repository URL (used by the Colab badges and the Colab
set-up cell). After changing it, run ``python -m utils.headers`` to rewrite every header.
"""

from __future__ import annotations

import os
from pathlib import Path

#: GitHub ``owner/name`` of the course repository (Colab badges and set-up cells use it).
REPO = "gdl-course/generative-deep-learning"
#: Branch the Colab badges open.
BRANCH = "main"

#: Root of the repository (the folder that holds ``utils/``, ``notebooks/`` and ``data/``).
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
DATA_DIR = ROOT / "data"

#: Where downloaded data sets are cached (only used when a notebook asks for a download).
CACHE_DIR = Path(os.environ.get("GDL_CACHE", str(ROOT / ".cache")))

#: The course in teaching order: notebook stem -> title. Headers link to existing neighbours.
COURSE: dict[str, str] = {
    "00_introduction": "What is a generative model?",
    "01_explicit_density": "Explicit density estimation",
    "02_rbm_dbm": "Restricted and Deep Boltzmann Machines",
    "03_vae": "Variational autoencoders",
    "04_gan": "Generative adversarial networks",
    "05_d2gan": "D2GAN: dual discriminators",
    "06_mgan": "MGAN: multiple generators",
    "07_kgan": "KGAN: kernel GAN",
    "08_gen": "GEN: generative enclosing networks",
    "09_applications": "Applications",
}

#: The environment variable that switches every notebook to fast mode (tests, graders, CI).
FAST_ENV = "GDL_FAST"


def fast_mode() -> bool:
    """Return True when ``GDL_FAST`` is set to a true value (``1``, ``true``, ``yes``)."""
    return os.environ.get(FAST_ENV, "").strip().lower() in {"1", "true", "yes", "on"}
