"""Answers to notebook 08's exercises: wrong ones must fail their check, alternatives must pass.

Names start with their issue-25 class (see tests/test_exercise_mutants.py). The notebook's own
namespace is there: ``RING_STD``, ``C_BALL``, ``N_FREQ``, ``adv``, ``utils``.
"""

STEM = "08_gen"

_EMBED = """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, dtype=float), np.asarray(centres, dtype=float)
    d = {d}
    v1, v2 = sigma**2 + {s}**2, sigma**2 + 2 * {s}**2
    sq = lambda u, w: ((u[:, None, :] - w[None, :, :]) ** 2).sum(-1)
    cross = ((sigma**2 / v1) ** (d / 2) * np.exp(-sq(x, centres) / (2 * v1))).mean(1)
    within = ((sigma**2 / v2) ** (d / 2) * np.exp(-sq(centres, centres) / (2 * v2))).mean()
    return 1.0 - 2.0 * cross + within
"""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "mean_embedding_distance2": {
        "route: sampling instead of a closed form": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    rng = np.random.default_rng(1)
    n = 100_000
    xs = centres[rng.integers(0, len(centres), n)] + s * rng.normal(size=(n, x.shape[1]))
    xs2 = centres[rng.integers(0, len(centres), n)] + s * rng.normal(size=(n, x.shape[1]))
    k = lambda u, w: np.exp(-((u - w) ** 2).sum(-1) / (2 * sigma**2))
    return 1 - 2 * np.array([k(p, xs).mean() for p in x]) + k(xs, xs2).mean()
""",
        "route: random Fourier features (4,000 frequencies) with the modes' exact damping": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    omega = np.random.default_rng(0).normal(size=(x.shape[1], 4000)) / sigma
    phi = lambda u: np.concatenate([np.cos(u @ omega), np.sin(u @ omega)], -1) / np.sqrt(4000)
    damp = np.exp(-0.5 * s**2 * (omega**2).sum(0))  # E cos(w.X) under N(c, s^2 I)
    mu = (phi(centres) * np.concatenate([damp, damp])).mean(0)
    return ((phi(x) - mu) ** 2).sum(-1)
""",
        "tol: float32": _EMBED.format(d="x.shape[1]", s="s").replace(
            "return 1.0 - 2.0 * cross + within",
            "return (1.0 - 2.0 * cross.astype(np.float32) + np.float32(within)).astype(np.float32)",
        ),
        "narrow: the dimension hard-coded to 2 (the ring's)": _EMBED.format(d="2", s="s"),
        "namespace: the parameter cell's RING_STD instead of s": _EMBED.format(
            d="x.shape[1]", s="RING_STD"
        ),
        "wrong: mixture taken as point masses (s ignored)": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    k = lambda u, w: np.exp(-sq(u, w) / (2 * sigma**2))
    return 1.0 - 2.0 * k(x, centres).mean(1) + k(centres, centres).mean()
""",
        "wrong: variance s^2, not 2 s^2, between two data points": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    d, v = x.shape[1], sigma**2 + s**2
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    k = lambda u, w: (sigma**2 / v) ** (d / 2) * np.exp(-sq(u, w) / (2 * v))
    return 1.0 - 2.0 * k(x, centres).mean(1) + k(centres, centres).mean()
""",
        "wrong: normalising factor forgotten": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    v1, v2 = sigma**2 + s**2, sigma**2 + 2 * s**2
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    cross = np.exp(-sq(x, centres) / (2 * v1)).mean(1)
    return 1.0 - 2.0 * cross + np.exp(-sq(centres, centres) / (2 * v2)).mean()
""",
        "wrong: the one-dimensional factor in every dimension": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    v1, v2 = sigma**2 + s**2, sigma**2 + 2 * s**2
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    cross = (np.sqrt(sigma**2 / v1) * np.exp(-sq(x, centres) / (2 * v1))).mean(1)
    within = (np.sqrt(sigma**2 / v2) * np.exp(-sq(centres, centres) / (2 * v2))).mean()
    return 1.0 - 2.0 * cross + within
""",
        "wrong: k(x, x) = 1 left out": _EMBED.format(d="x.shape[1]", s="s").replace(
            "return 1.0 - 2.0", "return -2.0"
        ),
    },
    "ball_margin": {
        "route: |Phi(x) - a|^2 through a Cholesky factor of k_train (features recovered)": """
def ball_margin(k_train, k_new, beta, r2):
    n = k_train.shape[0]
    l = torch.linalg.cholesky(k_train + 1e-6 * torch.eye(n, dtype=k_train.dtype))
    coef = torch.linalg.solve_triangular(l, k_new, upper=False)  # new points' coordinates
    centre = l.T @ beta
    return 1.0 - 2.0 * centre @ coef + centre @ centre - r2
""",
        "tol: float32": """
def ball_margin(k_train, k_new, beta, r2):
    k_train, k_new, beta = k_train.float(), k_new.float(), beta.float()
    return 1.0 - 2.0 * beta @ k_new + beta @ k_train @ beta - r2
""",
        "narrow: |a|^2 normalised by sum(beta) (right only for weights summing to 1)": """
def ball_margin(k_train, k_new, beta, r2):
    return 1.0 - 2.0 * beta @ k_new + beta @ k_train @ beta / beta.sum() - r2
""",
        "narrow: negative weights clipped to 0 (the SVDD's box)": """
def ball_margin(k_train, k_new, beta, r2):
    beta = beta.clamp(min=0)
    return 1.0 - 2.0 * beta @ k_new + beta @ k_train @ beta - r2
""",
        "namespace: R^2 from the page's C_BALL (1 - 1/C) instead of r2": """
def ball_margin(k_train, k_new, beta, r2):
    return 1.0 - 2.0 * beta @ k_new + beta @ k_train @ beta - (1 - 1 / C_BALL)
""",
        "wrong: factor 2 of the cross term dropped": """
def ball_margin(k_train, k_new, beta, r2):
    return 1.0 - beta @ k_new + beta @ k_train @ beta - r2
""",
        "wrong: |a|^2 taken as sum of beta^2": """
def ball_margin(k_train, k_new, beta, r2):
    return 1.0 - 2.0 * beta @ k_new + beta @ beta - r2
""",
        "wrong: k(x, x) = 1 left out": """
def ball_margin(k_train, k_new, beta, r2):
    return -2.0 * beta @ k_new + beta @ k_train @ beta - r2
""",
        "wrong: distance instead of squared distance": """
def ball_margin(k_train, k_new, beta, r2):
    return (1.0 - 2.0 * beta @ k_new + beta @ k_train @ beta).sqrt() - r2
""",
        "wrong: radius added": """
def ball_margin(k_train, k_new, beta, r2):
    return 1.0 - 2.0 * beta @ k_new + beta @ k_train @ beta + r2
""",
    },
}

#: exercise function name -> {name: source}: correct answers written differently; each must pass
ALTERNATIVES: dict[str, dict[str, str]] = {
    "mean_embedding_distance2": {
        "E k(x, X) as (2 pi sigma^2)^(d/2) times Gaussian densities (scipy)": """
from scipy.stats import multivariate_normal

def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    d = x.shape[1]
    scale = (2 * np.pi * sigma**2) ** (d / 2)
    cross = np.mean(
        [multivariate_normal(c, (sigma**2 + s**2) * np.eye(d)).pdf(x) for c in centres], 0
    ).reshape(len(x))
    within = np.mean(
        [multivariate_normal(c, (sigma**2 + 2 * s**2) * np.eye(d)).pdf(b)
         for c in centres for b in centres]
    )
    return 1.0 - 2.0 * scale * cross + scale * within
""",
        "a product of one-dimensional factors, in torch": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, c = torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(centres, dtype=torch.float64)
    def factor(diff, v):  # prod over dimensions of sqrt(sigma^2 / v) exp(-diff^2 / 2v)
        ratio = torch.tensor(sigma**2 / v, dtype=torch.float64)
        return (torch.sqrt(ratio) * torch.exp(-(diff**2) / (2 * v))).prod(-1)
    cross = factor(x[:, None] - c[None], sigma**2 + s**2).mean(1)
    within = factor(c[:, None] - c[None], sigma**2 + 2 * s**2).mean()
    return (1 - 2 * cross + within).numpy()
""",
    },
    "ball_margin": {
        "einsum, with NumPy": """
def ball_margin(k_train, k_new, beta, r2):
    kt, kn, b = (np.asarray(t, dtype=float) for t in (k_train, k_new, beta))
    return 1.0 - 2.0 * np.einsum("i,im->m", b, kn) + np.einsum("i,ij,j->", b, kt, b) - r2
""",
    },
}
