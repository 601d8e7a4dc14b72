"""Answers to notebook 00's exercises: wrong ones must fail their check, alternatives pass.

Names start with the class of issue 25 (see tests/test_exercise_mutants.py). The notebook's own
cells bind ``np``, ``logsumexp``, ``utils``, ``rng``, ``sample_class`` and the rest.
"""

STEM = "00_introduction"

MUTANTS: dict[str, dict[str, str]] = {
    "posterior": {
        "wrong: exponentiates first": """
def posterior(log_pxy):
    p = np.exp(log_pxy)
    return p / p.sum(1, keepdims=True)
""",
        "wrong: normalises columns": """
def posterior(log_pxy):
    return np.exp(log_pxy - logsumexp(log_pxy, axis=0, keepdims=True))
""",
        "narrow: one shift for the whole table": """
def posterior(log_pxy):
    p = np.exp(log_pxy - log_pxy.max())
    return p / p.sum(1, keepdims=True)
""",
        "narrow: shifts each row by its mean, not its max": """
def posterior(log_pxy):
    p = np.exp(log_pxy - log_pxy.mean(1, keepdims=True))
    return p / p.sum(1, keepdims=True)
""",
        "narrow: keepdims forgotten (right only where it cannot broadcast)": """
def posterior(log_pxy):
    return np.exp(log_pxy - logsumexp(log_pxy, axis=1))
""",
        "narrow: clips the scores before exponentiating": """
def posterior(log_pxy):
    p = np.exp(np.clip(log_pxy, -700.0, 700.0))
    return p / p.sum(1, keepdims=True)
""",
        "tol: float32 softmax": """
import torch


def posterior(log_pxy):
    return torch.softmax(torch.as_tensor(log_pxy, dtype=torch.float32), 1).numpy()
""",
        "wrong: returns the log posterior": """
def posterior(log_pxy):
    return log_pxy - logsumexp(log_pxy, axis=1, keepdims=True)
""",
    },
    "sample_from_precision": {
        "wrong: factor used as for a covariance": """
def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(precision)
    return mean + rng.standard_normal((n, len(mean))) @ L.T
""",
        "narrow: L inverse instead of L transpose inverse": """
def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(precision)
    return mean + np.linalg.solve(L, rng.standard_normal((len(mean), n))).T
""",
        "narrow: diagonal of the precision only": """
def sample_from_precision(mean, precision, n, rng):
    return mean + rng.standard_normal((n, len(mean))) / np.sqrt(np.diag(precision))
""",
        "route: scipy.linalg.inv, then the covariance's Cholesky factor": """
import scipy.linalg


def sample_from_precision(mean, precision, n, rng):
    C = np.linalg.cholesky(scipy.linalg.inv(precision))
    return mean + rng.standard_normal((n, len(mean))) @ C.T
""",
        "route: np.linalg.inv captured in a default argument": """
def sample_from_precision(mean, precision, n, rng, inv=np.linalg.inv):
    C = np.linalg.cholesky(inv(precision))
    return mean + rng.standard_normal((n, len(mean))) @ C.T
""",
        "route: eigendecomposition of the precision": """
def sample_from_precision(mean, precision, n, rng):
    w, U = np.linalg.eigh(precision)
    return mean + rng.standard_normal((n, len(mean))) @ (U / np.sqrt(w)).T
""",
        "namespace: the notebook's sample_class with a covariance from solve": """
def sample_from_precision(mean, precision, n, rng):
    C = np.linalg.cholesky(np.linalg.solve(precision, np.eye(len(mean))))
    return sample_class((None, mean[None], C[None]), 0, n, rng)
""",
        "tol: float32 triangular solve": """
def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(precision).astype(np.float32)
    eps = rng.standard_normal((len(mean), n)).astype(np.float32)
    return mean + np.linalg.solve(L.T, eps).T
""",
        "wrong: ignores rng (numpy's global generator)": """
def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(precision)
    return mean + np.linalg.solve(L.T, np.random.standard_normal((len(mean), n))).T
""",
    },
    "stationary": {
        "wrong: right eigenvector": """
def stationary(P):
    vals, vecs = np.linalg.eig(P)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1.0))])
    return v / v.sum()
""",
        "wrong: unit norm instead of unit sum": """
def stationary(P):
    vals, vecs = np.linalg.eig(P.T)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1.0))])
    return np.abs(v) / np.linalg.norm(v)
""",
        "narrow: a few steps of the chain": """
def stationary(P):
    pi = np.full(len(P), 1 / len(P))
    for _ in range(5):
        pi = pi @ P
    return pi
""",
        "narrow: 2000 steps of the chain (slow chains and periodic ones fail)": """
def stationary(P):
    pi = np.full(len(P), 1 / len(P))
    for _ in range(2000):
        pi = pi @ P
    return pi
""",
        "narrow: a row of P to the power 1024 (periodic and slow chains fail)": """
def stationary(P):
    return np.linalg.matrix_power(P, 1024)[0]
""",
        "tol: power iteration to a change of 1e-9": """
def stationary(P):
    pi = np.full(len(P), 1 / len(P))
    while True:
        new = 0.5 * (pi + pi @ P)  # lazy chain: converges for periodic chains too
        if np.abs(new - pi).max() < 1e-9:
            return new / new.sum()
        pi = new
""",
        "tol: float32 eigenvector": """
def stationary(P):
    vals, vecs = np.linalg.eig(P.T.astype(np.float32))
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1.0))])
    return v / v.sum()
""",
        "namespace: the notebook's rng, a long simulated run": """
def stationary(P):
    state, counts = 0, np.zeros(len(P))
    for u in rng.random(20_000):
        state = min(np.searchsorted(np.cumsum(P[state]), u), len(P) - 1)
        counts[state] += 1
    return counts / counts.sum()
""",
    },
}

ALTERNATIVES: dict[str, dict[str, str]] = {
    "posterior": {
        "scipy softmax": """
from scipy.special import softmax


def posterior(log_pxy):
    return softmax(log_pxy, axis=1)
""",
        "max shift by hand": """
def posterior(log_pxy):
    s = log_pxy - log_pxy.max(axis=1)[:, None]
    return np.exp(s) / np.exp(s).sum(axis=1)[:, None]
""",
    },
    "sample_from_precision": {
        "(n, d) draws and a triangular solve": """
from scipy.linalg import solve_triangular


def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(precision)
    eps = rng.standard_normal((n, len(mean)))
    return mean + solve_triangular(L, eps.T, lower=True, trans="T").T
""",
        "one draw at a time": """
def sample_from_precision(mean, precision, n, rng):
    L = np.linalg.cholesky(precision)
    return np.stack([mean + np.linalg.solve(L.T, rng.standard_normal(len(mean))) for _ in range(n)])
""",
    },
    "stationary": {
        "a linear system": """
def stationary(P):
    V = len(P)
    A = np.vstack([(P.T - np.eye(V))[:-1], np.ones(V)])
    return np.linalg.solve(A, np.r_[np.zeros(V - 1), 1.0])
""",
        "least squares with the normalisation row": """
def stationary(P):
    V = len(P)
    A = np.vstack([P.T - np.eye(V), np.ones(V)])
    return np.linalg.lstsq(A, np.r_[np.zeros(V), 1.0], rcond=None)[0]
""",
    },
}
