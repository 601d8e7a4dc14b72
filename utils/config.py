"""Course-wide constants: paths, the repository addresses, the notebook list and the fast switch.

This is the one place that holds the repository URLs: the instructor repository (``REPO``, the
notebooks with solutions, hidden tests, model answers and rubrics) and the student repository
(``STUDENT_REPO``, where ``make release`` publishes the student versions). Colab badges, set-up
cells and download links are made from them by :func:`utils.headers.links`. After changing one,
run ``python -m utils.headers`` to rewrite every header.
"""

from __future__ import annotations

import os
from pathlib import Path

#: GitHub ``owner/name`` of the course repository (Colab badges and set-up cells use it).
REPO = "gdl-course/generative-deep-learning"
#: Branch the Colab badges open.
BRANCH = "main"

#: GitHub ``owner/name`` of the student repository: ``make release`` publishes the student
#: versions there, and every badge, set-up cell and download link of a student version points
#: there. Keep ``REPO`` private and make this one public (see the README, "Instructors").
STUDENT_REPO = "gdl-course/generative-deep-learning-student"
#: Branch of ``STUDENT_REPO`` that holds the release (it may also be a branch of ``REPO``, but then
#: the solutions on ``BRANCH`` are as public as the release).
STUDENT_BRANCH = "main"
#: Environment variable that overrides where ``make release`` pushes (a URL or a local path).
STUDENT_REMOTE_ENV = "GDL_STUDENT_REMOTE"
#: Tracked paths (files or folders, relative to the root) kept out of the student release: the
#: tests and mutants (they hold the answers), the grader and the authoring tools.
RELEASE_EXCLUDE: tuple[str, ...] = (
    "tests",
    "conftest.py",
    ".ci",
    "utils/assignments.py",
    "utils/grade.py",
    "utils/grading",
    "utils/book.py",
    "utils/site_check.py",
)

#: The kernel every notebook names: what ``ipykernel`` installs, so JupyterLab opens the notebook
#: without marking it modified (``tests/test_headers.py`` compares it with the installed one).
KERNELSPEC: dict[str, str] = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}

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

#: "You will learn": three lines per notebook, shown in its header (``utils.headers``).
LEARN: dict[str, tuple[str, str, str]] = {
    "00_introduction": (
        "how a generative model $p(x, y)$ differs from a discriminative $p(y \\mid x)$, and how "
        "Bayes' rule turns the first into a classifier;",
        "to compare one Gaussian per class with logistic regression on 8×8 digits, and to judge "
        "generated digits against real ones;",
        "to generate sequences with a Markov chain over letters, and what its order and smoothing "
        "change.",
    ),
    "01_explicit_density": (
        "to estimate a density with histograms, kernels and Gaussian mixtures (EM), choosing "
        "bandwidths and components by held-out likelihood;",
        "why these estimators fail in high dimension: the curse of dimensionality, measured;",
        "to detect abnormal data by their likelihood.",
    ),
    "02_rbm_dbm": (
        "the RBM's energy, free energy and Gibbs sampling, and to train it with CD-1 and PCD;",
        "to compute $\\log Z$ exactly for a small RBM and estimate it by annealed importance "
        "sampling for large ones;",
        "to train a deep Boltzmann machine and bound its test log-likelihood.",
    ),
    "03_vae": (
        "the VAE's evidence lower bound and the reparameterisation trick, written out in PyTorch;",
        "to measure a VAE's test log-likelihood by importance sampling and to read its latent "
        "space;",
        "what β-VAE's extra weight on the KL term and a conditional VAE change.",
    ),
    "04_gan": (
        "the GAN minimax game, its optimal discriminator, and the training loop written out;",
        "to measure mode collapse on 2-D mixtures over ten seeds, with a coverage count that "
        "noise cannot pass;",
        "why a saturating loss stalls and the minimax game need not converge; a DCGAN on digits.",
    ),
    "05_d2gan": (
        "why the forward KL covers modes and the reverse KL drops them, and how two "
        "discriminators let a generator minimise both;",
        "to check D2GAN's optimal discriminators numerically in 1-D;",
        "to measure D2GAN against the GAN baselines on 2-D mixtures and digits, and what α and β "
        "do.",
    ),
    "06_mgan": (
        "MGAN's three players: K generators, a discriminator, and a classifier that tells the "
        "generators apart;",
        "to build the generators with shared layers, as the official code does, and to check the "
        "optimal classifier in 1-D;",
        "to measure MGAN against the GAN baselines, and what the classifier does (β = 0).",
    ),
    "07_kgan": (
        "to read GAN as minimising a classification loss whose optimum is an $f$-divergence, "
        "checked in 1-D;",
        "to build a kernel discriminator and its hinge dual, which turn the minimax game into one "
        "objective both players ascend;",
        "to compare max–max with min–max on an exact toy, and to measure KGAN on 2-D mixtures and "
        "digits.",
    ),
    "08_gen": (
        "the soft minimal enclosing ball (SVDD) in a random-feature space, and whether its "
        "feature map is one-to-one;",
        "why enclosure alone makes a generator collapse, and which terms stop it;",
        "to measure GEN against GAN and a capacity control on 2-D mixtures (D2GAN and MGAN one "
        "parameter away), and why the ball cannot see digits in fixed features.",
    ),
    "09_applications": (
        "whether a generator's samples or a VAE's features help a classifier that has 100 labels;",
        "to detect a digit class the models never saw by likelihood, the known failure on simpler "
        "inputs, and two fixes;",
        "to fill in the hidden half of a digit, to compare a Markov chain with a GRU, and two "
        "later ideas of the lecture's group (3P-WGAN, P2GAN).",
    ),
}

#: What each notebook covers: the "topic" column of the README's notebook table and the
#: website's course map (both are generated from it: ``utils.headers``, ``utils.book``).
TOPICS: dict[str, str] = {
    "00_introduction": (
        "why generative models and the course's map (explicit vs implicit); generative vs "
        "discriminative classifiers; a real-or-generated quiz with a linear judge; Markov-chain "
        "generation"
    ),
    "01_explicit_density": (
        "histograms, KDE, Gaussian mixtures, curse of dimensionality, abnormality detection"
    ),
    "02_rbm_dbm": (
        "restricted and deep Boltzmann machines: CD/PCD, Gibbs sampling, exact log Z and AIS with"
        " its drift in the error bars"
    ),
    "03_vae": (
        "variational autoencoders: ELBO, reparameterisation, IWAE likelihood, latent spaces, "
        "beta-VAE against beta = 1 at equal epochs, conditional VAE, what the FD gap is made of"
    ),
    "04_gan": (
        "GANs: the minimax game and its optimal discriminator, the training loop written out, "
        "mode collapse measured on 2-D mixtures (the course's shared setting, 10 seeds, a "
        "coverage count noise cannot pass), saturating vs non-saturating losses, non-convergence,"
        " DCGAN on digits"
    ),
    "05_d2gan": (
        "dual-discriminator GAN: two discriminators, forward + reverse KL, optimal discriminators"
        " checked in 1-D, against the GAN baselines on 2-D mixtures and digits, the alpha/beta "
        "sweep, stacked MNIST (optional)"
    ),
    "06_mgan": (
        "multi-generator GAN: K generators with shared layers, a classifier that tells them "
        "apart, optimal classifier checked in 1-D, against the GAN baselines on 2-D mixtures, "
        "what the classifier does (beta 0), per-generator digits, stacked MNIST (optional)"
    ),
    "07_kgan": (
        "kernel GAN: the general-loss view (four f-divergence identities checked in 1-D), a "
        "random-feature kernel discriminator and its hinge dual solved per batch to a measured "
        "duality gap, max–max vs min–max on an exact toy, KGAN against GAN and a min–max kernel "
        "GAN on 2-D mixtures, digits with fixed and learned convolutional features"
    ),
    "08_gen": (
        "generative enclosing networks: the soft minimal enclosing ball (SVDD) in random-feature "
        "space and its contours, an injectivity check, enclosure alone collapsing, two-sided and "
        "mean-embedding terms, an MMD-only control, GEN against GAN and the flow control on 2-D "
        "mixtures (D2GAN and MGAN with BASELINES), why the ball cannot see digits in fixed features"
    ),
    "09_applications": (
        "the models at work, measured: 100 labels with and without a conditional VAE's samples or"
        " a VAE's features; held-out-digit detection by GMM, RBM and VAE likelihoods; the "
        "likelihood failure on simpler images and two fixes (background ratio, typicality); "
        "inpainting by clamped Gibbs and importance-weighted VAE; Markov chain vs GRU on the "
        "course's own prose; 3P-WGAN's mover against WGAN-GP and P2GAN's push in the shared 2-D "
        "setting"
    ),
}

#: Wall-clock seconds of one run of each notebook at its defaults on a 2-core CPU, one notebook at
#: a time (``wall_s`` of a ``make notebooks`` run's ``metrics.json``, measured, not estimated;
#: 02 measured alone). The README's notebook table and the website show them (``~49 s``, ``~3.2
#: min``: :func:`utils.headers.wall_time`); after re-measuring, run ``python -m utils.headers``.
WALL_S: dict[str, float] = {
    "00_introduction": 49,
    "01_explicit_density": 62,
    "02_rbm_dbm": 237,
    "03_vae": 177,
    "04_gan": 188,
    "05_d2gan": 220,
    "06_mgan": 169,
    "07_kgan": 211,
    "08_gen": 160,
    "09_applications": 162,
}
#: Notebooks whose time in :data:`WALL_S` was measured beside another job (an upper bound):
#: the tables show ``≤ …`` and say so.
UPPER_BOUNDS: frozenset[str] = frozenset()

#: The environment variable that switches every notebook to fast mode (tests, graders, CI).
FAST_ENV = "GDL_FAST"

#: The CPU reference benchmark (``data/benchmark/``): 2.5 times the notebooks' 2,000 steps, 10
#: seeds, every registered model on the CPU preset's four layouts. Measured on a 2-core CPU (one
#: thread per cell), the 14 models x 4 layouts took 2.3 CPU-hours at 5,000 steps (70 minutes with
#: two workers); 25,000 steps (the D2GAN paper's iteration count) would take about five times
#: that, more than a working session, and any change to the training code makes every cell
#: stale. 25,000 is one parameter away (``--steps``).
REFERENCE_BUDGET: dict[str, int] = {"steps": 5000, "seeds": 10, "n_eval": 2500}
REFERENCE_COMMAND = (
    f"python -m utils.benchmark --steps {REFERENCE_BUDGET['steps']} --seeds "
    f"{REFERENCE_BUDGET['seeds']} --references --device cpu --out data/benchmark"
)

#: The fast budgets of the shared experiments, in one place: what ``GDL_FAST=1`` shrinks a 2-D
#: notebook's setting and its digit experiments to (:func:`utils.budget`; a notebook with more
#: 2-D experiments than most passes a smaller ``STEPS_2D``), and the benchmark's ``--fast``
#: checks of the 2-D and stacked-MNIST families.
FAST_BUDGETS: dict[str, dict[str, int]] = {
    "2d": {"STEPS_2D": 300, "N_SEEDS": 4, "N_EVAL": 1000},
    "digits": {"DC_STEPS": 60, "N_SAMPLES": 1000, "STACKED_STEPS": 50},
    "benchmark": {"steps": 150, "seeds": 2, "n_eval": 1000},
    "stacked": {"steps": 10, "seeds": 1, "n_eval": 500},
}


def fast_mode() -> bool:
    """Return True when ``GDL_FAST`` is set to a true value (``1``, ``true``, ``yes``)."""
    return os.environ.get(FAST_ENV, "").strip().lower() in {"1", "true", "yes", "on"}
