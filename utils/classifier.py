"""The course's frozen evaluation classifier for 28×28 digits.

A small CNN trained once on the mnist5k *train* split and shipped as ``data/eval_classifier.pt``.
Its penultimate features (64-d) are the feature space of the course's Fréchet distance and
k-NN metrics; its predictions give class histograms and stacked-MNIST modes. Regenerate the
checkpoint with ``make classifier`` (``python -m utils.classifier``, about a minute on a CPU).
"""

from __future__ import annotations

import argparse
import functools
import time
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from .config import DATA_DIR

CHECKPOINT = DATA_DIR / "eval_classifier.pt"
FEATURES = 64


class DigitCNN(nn.Module):
    """conv(1→32) → pool → conv(32→64) → pool → fc(3136→64) → fc(64→10)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, FEATURES)
        self.fc2 = nn.Linear(FEATURES, 10)
        self.drop = nn.Dropout(0.3)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate features (N, 64) of images (N, 1, 28, 28) in [0, 1]."""
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return F.relu(self.fc1(x.flatten(1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits (N, 10)."""
        return self.fc2(self.drop(self.features(x)))


class FeatureExtractor(nn.Module):
    """Wraps a :class:`DigitCNN` so that ``forward`` returns its features (for torchmetrics)."""

    def __init__(self, classifier: DigitCNN) -> None:
        super().__init__()
        self.classifier = classifier.eval()
        self.num_features = FEATURES

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Features (N, 64) of images (N, 1, 28, 28) in [0, 1]."""
        return self.classifier.features(x.float())


@functools.lru_cache(maxsize=2)
def _load(path: str) -> DigitCNN:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(
            f"evaluation classifier {p} is missing; regenerate it with `make classifier`"
        )
    state = torch.load(p, map_location="cpu", weights_only=True)
    model = DigitCNN()
    model.load_state_dict(state["model"])
    model.eval()
    for q in model.parameters():
        q.requires_grad_(False)
    return model


def load_classifier(path: str | Path = CHECKPOINT) -> DigitCNN:
    """The frozen evaluation classifier (eval mode, no gradients), read from disk once per
    process; each call returns its own copy, so editing one cannot change the evaluation."""
    import copy

    return copy.deepcopy(_load(str(path)))


def _shift(x: torch.Tensor, g: torch.Generator, max_shift: int = 2) -> torch.Tensor:
    """Random translations by up to ``max_shift`` pixels (zero padding), one per image."""
    n = len(x)
    padded = F.pad(x, (max_shift,) * 4)
    dx = torch.randint(0, 2 * max_shift + 1, (n,), generator=g)
    dy = torch.randint(0, 2 * max_shift + 1, (n,), generator=g)
    out = torch.empty_like(x)
    for i in range(n):
        out[i] = padded[i, :, dy[i] : dy[i] + 28, dx[i] : dx[i] + 28]
    return out


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Share of images whose predicted digit equals the label."""
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(x[i : i + 500]).argmax(1) for i in range(0, len(x), 500)])
    return float((pred == y).double().mean())


def train_classifier(
    epochs: int = 30, seed: int = 0, path: str | Path = CHECKPOINT, verbose: bool = True
) -> float:
    """Train the evaluation classifier on mnist5k's train split, save it, return test accuracy.

    Adam 1e-3 with cosine decay, batch 64, random ±2-pixel shifts, dropout 0.3. Only the train
    split is used for fitting; the test split is reported and stored beside the weights.
    """
    from .data import mnist5k
    from .seed import seed_everything

    seed_everything(seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    data = mnist5k()
    model = DigitCNN()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    g = torch.Generator().manual_seed(seed)
    start = time.time()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(data.train), generator=g)
        for i in range(0, len(perm), 64):
            idx = perm[i : i + 64]
            xb = _shift(data.train.x[idx], g)
            loss = F.cross_entropy(model(xb), data.train.y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        acc = accuracy(model, data.test.x, data.test.y)
        if verbose:
            print(
                f"epoch {epoch + 1}/{epochs}: test accuracy {acc:.4f} ({time.time() - start:.0f} s)"
            )
    acc = accuracy(model, data.test.x, data.test.y)
    from .files import write_atomic

    state = {"model": model.state_dict(), "test_accuracy": acc, "epochs": epochs}
    write_atomic(path, lambda tmp: torch.save(state, tmp))
    _load.cache_clear()
    return acc


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m utils.classifier [--epochs N] [--seed S] [--out PATH]``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(CHECKPOINT))
    args = ap.parse_args(argv)
    acc = train_classifier(args.epochs, args.seed, args.out)
    print(f"saved {args.out}: held-out accuracy {acc:.4f}")


if __name__ == "__main__":  # pragma: no cover
    main()
