"""Wrong answers to notebook 01's exercises: each must fail its check."""

STEM = "01_explicit_density"

SETUP = """
from scipy.special import logsumexp
from sklearn.neighbors import KernelDensity
"""

MUTANTS: dict[str, dict[str, str]] = {
    "loo_log_likelihood": {
        "x_i kept in its own estimate": """
def loo_log_likelihood(x, h):
    n, d = x.shape
    log_k = -0.5 * ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1) / h**2
    log_p = logsumexp(log_k, axis=1) - np.log(n) - d * np.log(h) - 0.5 * d * np.log(2 * np.pi)
    return float(log_p.mean())
""",
        "divides by n": """
def loo_log_likelihood(x, h):
    n, d = x.shape
    log_k = -0.5 * ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1) / h**2
    np.fill_diagonal(log_k, -np.inf)
    log_p = logsumexp(log_k, axis=1) - np.log(n) - d * np.log(h) - 0.5 * d * np.log(2 * np.pi)
    return float(log_p.mean())
""",
        "no log-sum-exp": """
def loo_log_likelihood(x, h):
    n, d = x.shape
    k = np.exp(-0.5 * ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1) / h**2)
    np.fill_diagonal(k, 0.0)
    p = k.sum(1) / ((n - 1) * h**d * (2 * np.pi) ** (d / 2))
    return float(np.log(p).mean())
""",
        "one dimension's normaliser": """
def loo_log_likelihood(x, h):
    n, d = x.shape
    log_k = -0.5 * ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1) / h**2
    np.fill_diagonal(log_k, -np.inf)
    log_p = logsumexp(log_k, axis=1) - np.log(n - 1) - np.log(h) - 0.5 * np.log(2 * np.pi)
    return float(log_p.mean())
""",
    },
    "histogram_density": {
        "counts not divided by the width": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q < edges[-1])
    return np.where(inside, counts[idx] / len(x), 0.0)
""",
        "normalised over the points inside": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    width = edges[1] - edges[0]
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    inside = (q >= edges[0]) & (q < edges[-1])
    return np.where(inside, counts[idx] / (counts.sum() * width), 0.0)
""",
        "edge bins extended outside": """
def histogram_density(x, edges, q):
    counts, _ = np.histogram(x, bins=edges)
    width = edges[1] - edges[0]
    idx = np.clip(np.searchsorted(edges, q, side="right") - 1, 0, len(counts) - 1)
    return counts[idx] / (len(x) * width)
""",
    },
    "one_se_bandwidth": {
        "plain cross-validation": """
def one_se_bandwidth(x, candidates, folds):
    scores = np.array([[KernelDensity(bandwidth=h).fit(x[tr]).score_samples(x[va]).mean()
                        for tr, va in folds.split(x)] for h in candidates])
    return float(candidates[int(np.argmax(scores.mean(1)))])
""",
        "standard deviation instead of standard error": """
def one_se_bandwidth(x, candidates, folds):
    scores = np.array([[KernelDensity(bandwidth=h).fit(x[tr]).score_samples(x[va]).mean()
                        for tr, va in folds.split(x)] for h in candidates])
    mean, sd = scores.mean(1), scores.std(1, ddof=1)
    best = int(np.argmax(mean))
    return float(np.max(candidates[mean >= mean[best] - sd[best]]))
""",
        "roughest within one standard error": """
def one_se_bandwidth(x, candidates, folds):
    scores = np.array([[KernelDensity(bandwidth=h).fit(x[tr]).score_samples(x[va]).mean()
                        for tr, va in folds.split(x)] for h in candidates])
    mean = scores.mean(1)
    se = scores.std(1, ddof=1) / np.sqrt(scores.shape[1])
    best = int(np.argmax(mean))
    return float(np.min(candidates[mean >= mean[best] - se[best]]))
""",
    },
}
