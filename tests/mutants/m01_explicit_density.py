"""Answers to notebook 01's exercises: wrong ones must fail their check, alternatives pass.

Names start with the class of issue 25 (see tests/test_exercise_mutants.py). The notebook's own
cells bind ``np``, ``logsumexp``, ``KernelDensity``, ``GridSearchCV``, ``cv`` (its KFold),
``kde_at_zero``, ``x1`` and the rest.
"""

STEM = "01_explicit_density"

FROM_NOTEBOOK = ["def true_pdf_1d"]  # binds x1, the 1-D sample a student has in scope

_LOO_HEAD = """
def loo_log_likelihood(x, h):
    n, d = x.shape
    sq = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
"""
_NORM = " - np.log(n - 1) - d * np.log(h) - 0.5 * d * np.log(2 * np.pi)"

_SCORES = """
    scores = np.array(
        [
            [KernelDensity(bandwidth=h).fit(x[tr]).score_samples(x[va]).mean() for tr, va in splits]
            for h in candidates
        ]
    )
    mean = scores.mean(1)
    best = int(np.argmax(mean))
"""

MUTANTS: dict[str, dict[str, str]] = {
    "loo_log_likelihood": {
        "wrong: x_i kept in its own estimate": _LOO_HEAD
        + """
    log_p = logsumexp(-0.5 * sq / h**2, axis=1) - np.log(n) - d * np.log(h)
    return float((log_p - 0.5 * d * np.log(2 * np.pi)).mean())
""",
        "wrong: divides by n": _LOO_HEAD
        + """
    log_k = -0.5 * sq / h**2
    np.fill_diagonal(log_k, -np.inf)
    log_p = logsumexp(log_k, axis=1) - np.log(n) - d * np.log(h) - 0.5 * d * np.log(2 * np.pi)
    return float(log_p.mean())
""",
        "narrow: no log-sum-exp, clipped at the smallest float (-680 for -29,012)": _LOO_HEAD
        + """
    k = np.exp(-0.5 * sq / h**2)
    np.fill_diagonal(k, 0.0)
    p = k.sum(1) / ((n - 1) * h**d * (2 * np.pi) ** (d / 2))
    return float(np.log(np.maximum(p, 1e-300)).mean())
""",
        "narrow: no log-sum-exp, underflows to a warning and -inf": _LOO_HEAD
        + """
    k = np.exp(-0.5 * sq / h**2)
    np.fill_diagonal(k, 0.0)
    return float(np.log(k.sum(1) / ((n - 1) * h**d * (2 * np.pi) ** (d / 2))).mean())
""",
        "narrow: one dimension's normaliser (right for d = 1 only)": _LOO_HEAD
        + """
    log_k = -0.5 * sq / h**2
    np.fill_diagonal(log_k, -np.inf)
    log_p = logsumexp(log_k, axis=1) - np.log(n - 1) - np.log(h) - 0.5 * np.log(2 * np.pi)
    return float(log_p.mean())
""",
        "narrow: leaves out every point at distance 0 (repeats too)": _LOO_HEAD
        + """
    log_k = np.where(sq > 0, -0.5 * sq / h**2, -np.inf)
    return float((logsumexp(log_k, axis=1)"""
        + _NORM
        + """).mean())
""",
        "narrow: in-sample density minus the self-term (cancels at small h)": _LOO_HEAD
        + """
    k = np.exp(-0.5 * sq / h**2).sum(1) - 1.0
    p = np.maximum(k, 1e-300) / ((n - 1) * h**d * (2 * np.pi) ** (d / 2))
    return float(np.log(p).mean())
""",
        "tol: float32 distances": """
def loo_log_likelihood(x, h):
    n, d = x.shape
    x32 = x.astype(np.float32)
    log_k = -0.5 * ((x32[:, None, :] - x32[None, :, :]) ** 2).sum(-1) / np.float32(h) ** 2
    np.fill_diagonal(log_k, -np.inf)
    log_p = logsumexp(log_k, axis=1) - np.log(n - 1) - d * np.log(h) - 0.5 * d * np.log(2 * np.pi)
    return float(log_p.mean())
""",
        "namespace: the notebook's kde_at_zero on all points (x_i kept in)": """
def loo_log_likelihood(x, h):
    return float(np.mean([kde_at_zero(x - xi, h) for xi in x]))
""",
    },
    "histogram_density": {
        "wrong: counts not divided by the width": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q <= edges[-1])
    return np.where(inside, counts[idx] / len(x), 0.0)
""",
        "narrow: normalised over the points inside": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    width = edges[1] - edges[0]
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q <= edges[-1])
    return np.where(inside, counts[idx] / (counts.sum() * width), 0.0)
""",
        "narrow: edge bins extended outside": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    width = edges[1] - edges[0]
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    return counts[idx] / (len(x) * width)
""",
        "narrow: bins closed on the right (a query on an inner edge)": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    width = edges[1] - edges[0]
    idx = np.clip(np.searchsorted(edges, q, side="left") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q <= edges[-1])
    return np.where(inside, counts[idx] / (len(x) * width), 0.0)
""",
        "narrow: the last edge left out": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    width = edges[1] - edges[0]
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q < edges[-1])
    return np.where(inside, counts[idx] / (len(x) * width), 0.0)
""",
        "narrow: assumes sorted queries": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    width = edges[1] - edges[0]
    q = np.sort(q)
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q <= edges[-1])
    return np.where(inside, counts[idx] / (len(x) * width), 0.0)
""",
        "tol: float32 heights": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    width = np.float32(edges[1] - edges[0])
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q <= edges[-1])
    return np.where(inside, counts[idx].astype(np.float32) / (len(x) * width), 0.0)
""",
        "namespace: the notebook's sample x1 in place of x": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x1, bins=edges)
    width = edges[1] - edges[0]
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q <= edges[-1])
    return np.where(inside, counts[idx] / (len(x) * width), 0.0)
""",
    },
    "one_se_bandwidth": {
        "wrong: plain cross-validation": """
def one_se_bandwidth(x, candidates, folds):
    splits = list(folds.split(x))"""
        + _SCORES
        + """
    return float(candidates[best])
""",
        "narrow: standard deviation instead of standard error": """
def one_se_bandwidth(x, candidates, folds):
    splits = list(folds.split(x))"""
        + _SCORES
        + """
    return float(np.max(candidates[mean >= mean[best] - scores[best].std(ddof=1)]))
""",
        "narrow: roughest within one standard error": """
def one_se_bandwidth(x, candidates, folds):
    splits = list(folds.split(x))"""
        + _SCORES
        + """
    se = scores[best].std(ddof=1) / np.sqrt(len(splits))
    return float(np.min(candidates[mean >= mean[best] - se]))
""",
        "narrow: each candidate's own standard error": """
def one_se_bandwidth(x, candidates, folds):
    splits = list(folds.split(x))"""
        + _SCORES
        + """
    se = scores.std(1, ddof=1) / np.sqrt(len(splits))
    return float(np.max(candidates[mean + se >= mean[best]]))
""",
        "narrow: population standard deviation (ddof=0)": """
def one_se_bandwidth(x, candidates, folds):
    splits = list(folds.split(x))"""
        + _SCORES
        + """
    se = scores[best].std() / np.sqrt(len(splits))
    return float(np.max(candidates[mean >= mean[best] - se]))
""",
        "narrow: the last candidate in the band (sorted candidates assumed)": """
def one_se_bandwidth(x, candidates, folds):
    splits = list(folds.split(x))"""
        + _SCORES
        + """
    se = scores[best].std(ddof=1) / np.sqrt(len(splits))
    return float(candidates[np.flatnonzero(mean >= mean[best] - se)[-1]])
""",
        "route: GridSearchCV's cv_results_ (summed scores, ddof=0)": """
def one_se_bandwidth(x, candidates, folds):
    res = GridSearchCV(KernelDensity(), {"bandwidth": candidates}, cv=folds).fit(x).cv_results_
    mean, sd = res["mean_test_score"], res["std_test_score"]
    best = int(np.argmax(mean))
    k = folds.get_n_splits()
    return float(np.max(candidates[mean >= mean[best] - sd[best] / np.sqrt(k)]))
""",
        "namespace: the notebook's cv in place of folds": """
def one_se_bandwidth(x, candidates, folds):
    splits = list(cv.split(x))"""
        + _SCORES
        + """
    se = scores[best].std(ddof=1) / np.sqrt(len(splits))
    return float(np.max(candidates[mean >= mean[best] - se]))
""",
        "tol: the bandwidth in float32": """
def one_se_bandwidth(x, candidates, folds):
    splits = list(folds.split(x))"""
        + _SCORES
        + """
    se = scores[best].std(ddof=1) / np.sqrt(len(splits))
    return np.float32(np.max(candidates[mean >= mean[best] - se]))
""",
    },
}

ALTERNATIVES: dict[str, dict[str, str]] = {
    "loo_log_likelihood": {
        "one point at a time, scikit-learn's KDE on the others": """
from sklearn.neighbors import KernelDensity


def loo_log_likelihood(x, h):
    return float(np.mean([
        KernelDensity(bandwidth=h).fit(np.delete(x, i, 0)).score_samples(x[i : i + 1])[0]
        for i in range(len(x))
    ]))
""",
        "scipy's cdist and a mask": """
from scipy.spatial.distance import cdist


def loo_log_likelihood(x, h):
    n, d = x.shape
    log_k = -0.5 * cdist(x, x, "sqeuclidean") / h**2
    log_k[np.eye(n, dtype=bool)] = -np.inf
    log_p = logsumexp(log_k, axis=1) - np.log(n - 1) - d * np.log(h) - 0.5 * d * np.log(2 * np.pi)
    return float(np.mean(log_p))
""",
    },
    "histogram_density": {
        "np.digitize and a clip at the last edge": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    k = np.minimum(np.digitize(q, edges) - 1, len(counts) - 1)
    inside = (q >= edges[0]) & (q <= edges[-1])
    return np.where(inside, counts[np.clip(k, 0, None)] / (len(x) * (edges[1] - edges[0])), 0.0)
""",
    },
    "one_se_bandwidth": {
        "pandas-free loops, ties to the larger h": """
def one_se_bandwidth(x, candidates, folds):
    rows = []
    for h in candidates:
        kde = KernelDensity(bandwidth=h)
        s = [kde.fit(x[tr]).score_samples(x[va]).mean() for tr, va in folds.split(x)]
        rows.append((np.mean(s), np.std(s, ddof=1) / np.sqrt(len(s)), h))
    m_best, se_best, _ = max(rows)
    return max(h for m, _, h in rows if m >= m_best - se_best)
""",
    },
}
