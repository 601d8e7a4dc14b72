"""Evaluation metrics of the course, each unit-tested against cases with known answers.

* 2-D mode collapse (VEEGAN protocol): :func:`mode_coverage`, :func:`symmetric_kl_2d`,
  :func:`wasserstein_2d`.
* Images, in the feature space of the frozen evaluation classifier (:mod:`utils.classifier`):
  :func:`frechet_distance`, :func:`class_histogram`, :func:`kl_to_uniform`,
  :func:`stacked_mnist_modes`, :func:`precision_recall`, :func:`density_coverage`.
* Likelihoods: :func:`log_mean_exp`, :func:`importance_log_likelihood`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

# --------------------------------------------------------------------------- 2-D mode collapse


@dataclass(frozen=True)
class Coverage:
    """Result of :func:`mode_coverage`."""

    modes: int  # modes covered, VEEGAN's count (>= 1 high-quality sample)
    hq: float  # fraction of samples that are high quality, in [0, 1]
    counts: np.ndarray  # high-quality samples per mode (K,)
    covered: int = 0  # modes covered, the noise-proof count (>= n / (4K) high-quality samples)


def mode_coverage(
    samples: np.ndarray, centers: np.ndarray, std: float, n_std: float = 3.0
) -> Coverage:
    """Modes covered and high-quality fraction: VEEGAN's count and a count noise cannot pass.

    A sample is *high quality* if it lies within ``n_std`` standard deviations of its nearest
    mode centre. VEEGAN's count (``modes``): a mode is covered if it is the nearest mode of at
    least one high-quality sample — uniform noise over the plot box passes it (8/8 ring modes,
    21/25 grid modes with 2,500 samples). The course's count (``covered``): a mode is covered
    only if at least a quarter of its fair share of *all* samples, ``n / (4K)``, are
    high-quality samples at that mode; noise then covers none and real data all. The protocol
    draws 2,500 samples and averages over several runs.
    """
    samples = np.asarray(samples, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    if samples.ndim != 2 or samples.shape[1] != 2 or len(samples) == 0:
        raise ValueError(f"mode_coverage: samples must have shape (n, 2), got {samples.shape}")
    d = np.sqrt(((samples[:, None, :] - centers[None]) ** 2).sum(-1))
    nearest = d.argmin(1)
    good = d[np.arange(len(samples)), nearest] <= n_std * std
    counts = np.bincount(nearest[good], minlength=len(centers))
    fair_quarter = len(samples) / (4 * len(centers))
    covered = int((counts >= fair_quarter).sum())
    return Coverage(int((counts > 0).sum()), float(good.mean()), counts, covered)


def symmetric_kl_2d(
    p_samples: np.ndarray,
    q_samples: np.ndarray,
    bins: int = 50,
    bounds: tuple[float, float] | None = None,
    alpha: float = 1e-3,
) -> float:
    """Symmetric KL, KL(p‖q) + KL(q‖p), between two 2-D sample sets, on a histogram.

    Estimator (the course's choice; the papers' is unknown): both sets are binned on the same
    ``bins × bins`` grid over ``bounds`` (default: the joint range, padded 5%), each histogram
    gets ``alpha`` pseudo-counts per cell (additive smoothing, so empty cells do not give
    infinity) and is normalised; then the discrete KLs are summed. Zero for identical sets;
    grows as the sets separate. Compare numbers only at the same bins, bounds and sample size.
    """
    p = np.asarray(p_samples, dtype=np.float64)
    q = np.asarray(q_samples, dtype=np.float64)
    if bounds is None:
        both = np.concatenate([p, q])
        lo, hi = float(both.min()), float(both.max())
        pad = 0.05 * (hi - lo + 1e-12)
        bounds = (lo - pad, hi + pad)
    edges = np.linspace(bounds[0], bounds[1], bins + 1)
    hp, _, _ = np.histogram2d(p[:, 0], p[:, 1], bins=[edges, edges])
    hq, _, _ = np.histogram2d(q[:, 0], q[:, 1], bins=[edges, edges])
    hp = (hp + alpha) / (hp + alpha).sum()
    hq = (hq + alpha) / (hq + alpha).sum()
    return float((hp * np.log(hp / hq)).sum() + (hq * np.log(hq / hp)).sum())


def wasserstein_2d(p_samples: np.ndarray, q_samples: np.ndarray) -> float:
    """Exact Wasserstein-1 distance between two equally weighted point sets (POT's ``emd2``).

    Euclidean ground cost; cost grows as O(n³), so keep each set to a few thousand points.
    """
    import ot

    p = np.asarray(p_samples, dtype=np.float64)
    q = np.asarray(q_samples, dtype=np.float64)
    cost = ot.dist(p, q, metric="euclidean")
    a = np.full(len(p), 1.0 / len(p))
    b = np.full(len(q), 1.0 / len(q))
    return float(ot.emd2(a, b, cost, numItermax=1_000_000))


# --------------------------------------------------------------------------- images


def generator_separation(samples: np.ndarray, ids: np.ndarray, k: int = 5) -> float:
    """How well the generator that made each sample can be told from the sample alone, in [0, 1].

    A leave-one-out ``k``-nearest-neighbour classifier predicts each sample's generator id by a
    majority vote of its ``k`` nearest other samples (ties to the smallest id); its accuracy
    ``acc`` is rescaled by chance, ``(acc − 1/K) / (1 − 1/K)`` for ``K`` generators: about 0 when
    the generators' samples mix (MGAN with no reason to differ), 1 when each generator keeps a
    region of its own. ``samples`` ``(n, 2)`` (or any dimension), ``ids`` ``(n,)`` integers.
    """
    from scipy.spatial import cKDTree

    x, ids = np.asarray(samples, dtype=float), np.asarray(ids).astype(int)
    if len(x) != len(ids) or len(x) <= k:
        raise ValueError(f"generator_separation: {len(x)} samples, {len(ids)} ids, k = {k}")
    n_gen = int(ids.max()) + 1
    if n_gen < 2:
        raise ValueError("generator_separation: needs samples of at least two generators")
    _, nn = cKDTree(x).query(x, k + 1)
    votes = ids[nn[:, 1:]]  # drop each point itself
    counts = np.stack([(votes == j).sum(1) for j in range(n_gen)], 1)
    acc = float((counts.argmax(1) == ids).mean())
    return (acc - 1 / n_gen) / (1 - 1 / n_gen)


def _features(images: torch.Tensor, classifier: torch.nn.Module, batch: int = 500) -> torch.Tensor:
    classifier.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            out.append(classifier.features(images[i : i + batch].float()))
    return torch.cat(out).double()


def frechet_distance(
    real: torch.Tensor, fake: torch.Tensor, classifier: torch.nn.Module | None = None
) -> float:
    """Fréchet distance of two image sets (N, 1, 28, 28) in [0, 1], in the classifier's features.

    FD = ‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g − 2(Σ_r Σ_g)^½), computed by torchmetrics'
    ``FrechetInceptionDistance`` with the course's frozen digit classifier as feature extractor
    (not Inception: at 28×28 on a CPU Inception features are meaningless). FD is biased in N:
    compare sets of equal size, beside the real-vs-real floor.
    """
    from torchmetrics.image.fid import FrechetInceptionDistance

    from .classifier import FeatureExtractor, load_classifier

    clf = classifier if classifier is not None else load_classifier()
    fid = FrechetInceptionDistance(
        feature=FeatureExtractor(clf), input_img_size=(1, 28, 28), normalize=True
    )
    for i in range(0, len(real), 500):
        fid.update(real[i : i + 500].float(), real=True)
    for i in range(0, len(fake), 500):
        fid.update(fake[i : i + 500].float(), real=False)
    return float(fid.compute())


def predict_digits(images: torch.Tensor, classifier: torch.nn.Module | None = None) -> torch.Tensor:
    """Digit labels (N,) the frozen evaluation classifier gives 28×28 images in [0, 1]."""
    from .classifier import load_classifier

    clf = classifier if classifier is not None else load_classifier()
    clf.eval()
    with torch.no_grad():
        return torch.cat(
            [clf(images[i : i + 500].float()).argmax(1) for i in range(0, len(images), 500)]
        )


def class_histogram(labels: torch.Tensor | np.ndarray, n_classes: int = 10) -> np.ndarray:
    """Share of each class among ``labels`` (sums to 1)."""
    counts = np.bincount(np.asarray(labels).ravel(), minlength=n_classes).astype(np.float64)
    if counts.sum() == 0:
        raise ValueError("class_histogram: no labels given")
    return counts / counts.sum()


def kl_to_uniform(hist: np.ndarray) -> float:
    """KL(p ‖ uniform) = log K − H(p) for a histogram ``p`` over K classes (0 when uniform)."""
    p = np.asarray(hist, dtype=np.float64)
    p = p / p.sum()
    nz = p[p > 0]
    return float(math.log(len(p)) + (nz * np.log(nz)).sum())


def stacked_mnist_modes(
    images: torch.Tensor, classifier: torch.nn.Module | None = None
) -> tuple[int, float]:
    """Modes hit and KL(p_gen ‖ uniform over 1,000) for stacked-MNIST samples (N, 3, 28, 28).

    Each channel is classified by the frozen digit classifier; a mode is a digit triple.
    """
    if images.ndim != 4 or images.shape[1] != 3:
        raise ValueError(f"stacked_mnist_modes: want (N, 3, 28, 28), got {tuple(images.shape)}")
    digits = [predict_digits(images[:, c : c + 1], classifier) for c in range(3)]
    triples = digits[0] * 100 + digits[1] * 10 + digits[2]
    hist = class_histogram(triples, 1000)
    return int((hist > 0).sum()), kl_to_uniform(hist)


#: Pairwise distances computed directly, not through a matrix product: a point is then at
#: distance exactly 0 from itself on every CPU (the product form rounds differently per machine).
_EXACT = "donot_use_mm_for_euclid_dist"


def _knn_radii(x: torch.Tensor, k: int) -> torch.Tensor:
    d = torch.cdist(x, x, compute_mode=_EXACT)
    return d.kthvalue(k + 1, dim=1).values  # +1: the point itself is at distance 0


def precision_recall(real: torch.Tensor, fake: torch.Tensor, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019) between two feature sets.

    Each set's manifold is the union of balls reaching each point's k-th nearest neighbour
    (self excluded). Precision: share of ``fake`` inside the real manifold; recall: share of
    ``real`` inside the fake manifold. Inputs are (N, D) feature tensors.
    """
    real, fake = real.double(), fake.double()
    r_real, r_fake = _knn_radii(real, k), _knn_radii(fake, k)
    d = torch.cdist(fake, real, compute_mode=_EXACT)  # (n_fake, n_real)
    precision = (d <= r_real[None]).any(1).double().mean()
    recall = (d.T <= r_fake[None]).any(1).double().mean()
    return float(precision), float(recall)


def density_coverage(real: torch.Tensor, fake: torch.Tensor, k: int = 5) -> tuple[float, float]:
    """Density and coverage (Naeem et al. 2020) between two feature sets; radii from ``real``.

    Density: mean number of real balls containing each fake point, divided by k (≈ 1 when the
    sets match). Coverage: share of real points whose ball contains at least one fake point.
    """
    real, fake = real.double(), fake.double()
    r_real = _knn_radii(real, k)
    inside = torch.cdist(fake, real, compute_mode=_EXACT) <= r_real[None]  # (n_fake, n_real)
    density = inside.double().sum(1).mean() / k
    coverage = inside.any(0).double().mean()
    return float(density), float(coverage)


def classifier_features(
    images: torch.Tensor, classifier: torch.nn.Module | None = None
) -> torch.Tensor:
    """Penultimate-layer features (N, D) of the frozen classifier, for the k-NN metrics."""
    from .classifier import load_classifier

    return _features(images, classifier if classifier is not None else load_classifier())


# --------------------------------------------------------------------------- likelihoods


def log_mean_exp(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log((1/K) Σ_k exp(x_k)) along ``dim``, computed stably (log-sum-exp − log K)."""
    return torch.logsumexp(x, dim=dim) - math.log(x.shape[dim])


def importance_log_likelihood(log_weights: torch.Tensor) -> torch.Tensor:
    """Importance-sampled log p(x) from log-weights (N, K) = log p(x, z_k) − log q(z_k | x).

    Returns (N,) estimates log (1/K) Σ_k w_k: a stochastic lower bound on log p(x) in
    expectation (Jensen), tightening as K grows (the IWAE estimator).
    """
    if log_weights.ndim != 2:
        raise ValueError(f"importance_log_likelihood: want (N, K), got {tuple(log_weights.shape)}")
    return log_mean_exp(log_weights, dim=1)
