"""Wrong answers to notebook 00's exercises: each must fail its check."""

STEM = "00_introduction"

SETUP = "from scipy.special import logsumexp"

MUTANTS: dict[str, dict[str, str]] = {
    "posterior": {
        "exponentiates first": """
def posterior(log_pxy):
    p = np.exp(log_pxy)
    return p / p.sum(1, keepdims=True)
""",
        "normalises columns": """
def posterior(log_pxy):
    return np.exp(log_pxy - logsumexp(log_pxy, axis=0, keepdims=True))
""",
        "normalises the whole table": """
def posterior(log_pxy):
    return np.exp(log_pxy - logsumexp(log_pxy))
""",
        "returns the log posterior": """
def posterior(log_pxy):
    return log_pxy - logsumexp(log_pxy, axis=1, keepdims=True)
""",
    },
    "sample_from_precision": {
        "factor used as for a covariance": """
def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(precision)
    return mean + rng.standard_normal((n, len(mean))) @ L.T
""",
        "L inverse instead of L transpose inverse": """
def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(precision)
    return mean + np.linalg.solve(L, rng.standard_normal((len(mean), n))).T
""",
        "inverts the precision": """
def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(np.linalg.inv(precision))
    return mean + rng.standard_normal((n, len(mean))) @ L.T
""",
        "calls multivariate_normal": """
def sample_from_precision(mean, precision, n, rng):
    cov = np.linalg.solve(precision, np.eye(len(mean)))
    return rng.multivariate_normal(mean, cov, size=n)
""",
    },
    "stationary": {
        "right eigenvector": """
def stationary(P):
    vals, vecs = np.linalg.eig(P)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1.0))])
    return v / v.sum()
""",
        "unit norm instead of unit sum": """
def stationary(P):
    vals, vecs = np.linalg.eig(P.T)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1.0))])
    return np.abs(v) / np.linalg.norm(v)
""",
        "a few steps of the chain": """
def stationary(P):
    pi = np.full(len(P), 1 / len(P))
    for _ in range(5):
        pi = pi @ P
    return pi
""",
    },
}
