"""Wrong answers to notebook 08's exercises: each must fail its check."""

STEM = "08_gen"

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "mean_embedding_distance2": {
        "mixture taken as point masses (s ignored)": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    k = lambda u, w: np.exp(-sq(u, w) / (2 * sigma**2))
    return 1.0 - 2.0 * k(x, centres).mean(1) + k(centres, centres).mean()
""",
        "variance s^2, not 2 s^2, between two data points": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    d, v = x.shape[1], sigma**2 + s**2
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    k = lambda u, w: (sigma**2 / v) ** (d / 2) * np.exp(-sq(u, w) / (2 * v))
    return 1.0 - 2.0 * k(x, centres).mean(1) + k(centres, centres).mean()
""",
        "normalising factor forgotten": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    v1, v2 = sigma**2 + s**2, sigma**2 + 2 * s**2
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    cross = np.exp(-sq(x, centres) / (2 * v1)).mean(1)
    return 1.0 - 2.0 * cross + np.exp(-sq(centres, centres) / (2 * v2)).mean()
""",
        "the one-dimensional factor in every dimension": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    v1, v2 = sigma**2 + s**2, sigma**2 + 2 * s**2
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    cross = (np.sqrt(sigma**2 / v1) * np.exp(-sq(x, centres) / (2 * v1))).mean(1)
    within = (np.sqrt(sigma**2 / v2) * np.exp(-sq(centres, centres) / (2 * v2))).mean()
    return 1.0 - 2.0 * cross + within
""",
        "k(x, x) = 1 left out": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    d = x.shape[1]
    v1, v2 = sigma**2 + s**2, sigma**2 + 2 * s**2
    sq = lambda u, w: ((u[:, None] - w[None]) ** 2).sum(-1)
    cross = ((sigma**2 / v1) ** (d / 2) * np.exp(-sq(x, centres) / (2 * v1))).mean(1)
    within = ((sigma**2 / v2) ** (d / 2) * np.exp(-sq(centres, centres) / (2 * v2))).mean()
    return -2.0 * cross + within
""",
        "sampling instead of a closed form": """
def mean_embedding_distance2(x, centres, s, sigma):
    x, centres = np.asarray(x, float), np.asarray(centres, float)
    rng = np.random.default_rng(1)
    n = 100_000
    xs = centres[rng.integers(0, len(centres), n)] + s * rng.normal(size=(n, x.shape[1]))
    xs2 = centres[rng.integers(0, len(centres), n)] + s * rng.normal(size=(n, x.shape[1]))
    k = lambda u, w: np.exp(-((u - w) ** 2).sum(-1) / (2 * sigma**2))
    return 1 - 2 * np.array([k(p, xs).mean() for p in x]) + k(xs, xs2).mean()
""",
    },
    "ball_margin": {
        "factor 2 of the cross term dropped": """
def ball_margin(k_train, k_new, beta, r2):
    return 1.0 - beta @ k_new + beta @ k_train @ beta - r2
""",
        "|a|^2 taken as sum of beta^2": """
def ball_margin(k_train, k_new, beta, r2):
    return 1.0 - 2.0 * beta @ k_new + beta @ beta - r2
""",
        "k(x, x) = 1 left out": """
def ball_margin(k_train, k_new, beta, r2):
    return -2.0 * beta @ k_new + beta @ k_train @ beta - r2
""",
        "distance instead of squared distance": """
def ball_margin(k_train, k_new, beta, r2):
    return (1.0 - 2.0 * beta @ k_new + beta @ k_train @ beta).sqrt() - r2
""",
        "radius added": """
def ball_margin(k_train, k_new, beta, r2):
    return 1.0 - 2.0 * beta @ k_new + beta @ k_train @ beta + r2
""",
    },
}
