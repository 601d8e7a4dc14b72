# ruff: noqa: E501 - answers are written as a student would, long lines included
"""Answers to notebook 04's exercises: wrong ones must fail their check, alternatives pass.

Names start with the class of issue 25 (see tests/test_exercise_mutants.py). The notebook's own
cells bind ``np``, ``norm``, ``utils``, ``adv``, ``ring`` and ``grid`` (the shared 2-D layouts),
``p_model`` and the rest.
"""

STEM = "04_gan"

_COEF = """
    a = 1 / (2 * s_g**2) - 1 / (2 * s_d**2)
    b = mu_d / s_d**2 - mu_g / s_g**2
    c = mu_g**2 / (2 * s_g**2) - mu_d**2 / (2 * s_d**2) + np.log(s_g / s_d)
"""
_DIST = "np.linalg.norm(samples[:, None, :] - centers[None], axis=-1)"

MUTANTS: dict[str, dict[str, str]] = {
    "smoothed_optimal_d": {
        "wrong: smoothing ignored": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return pd / (pd + pg)
""",
        "wrong: fake target dropped (one-sided formula)": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return t_real * pd / (pd + pg)
""",
        "wrong: real's (1 - t_r) term forgotten": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return (t_real * pd + t_fake * pg) / (t_real * pd + pg)
""",
        "wrong: targets' weights swapped": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return (t_real * pd + (1 - t_fake) * pg) / (pd + pg)
""",
        "narrow: t_fake fixed at 1 - t_real (symmetric smoothing assumed)": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return (t_real * pd + (1 - t_real) * pg) / (pd + pg)
""",
        "narrow: densities floored at 1e-6 (p_d ~ 0 moved)": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    pd, pg = np.maximum(pd, 1e-6), np.maximum(pg, 1e-6)
    return (t_real * pd + t_fake * pg) / (pd + pg)
""",
        "tol: float32": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    pd, pg = np.float32(pd), np.float32(pg)
    return (np.float32(t_real) * pd + np.float32(t_fake) * pg) / (pd + pg)
""",
        "namespace: the notebook's p_model in place of the pg given": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    x = np.linspace(-4, 4, np.size(pd)).reshape(np.shape(pd))
    pg = p_model(x)
    return (t_real * pd + t_fake * pg) / (pd + pg)
""",
    },
    "optimal_logit_coefficients": {
        "wrong: sign of b flipped": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):"""
        + _COEF
        + """
    return float(a), float(-b), float(c)
""",
        "wrong: normalising constants forgotten": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):"""
        + _COEF
        + """
    return float(a), float(b), float(c - np.log(s_g / s_d))
""",
        "wrong: the 1/2 of the exponent dropped in a": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):"""
        + _COEF
        + """
    return float(2 * a), float(b), float(c)
""",
        "wrong: log p_g - log p_d": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):"""
        + _COEF
        + """
    return float(-a), float(-b), float(-c)
""",
        "narrow: log of the variance ratio halved the wrong way (right when s_d = s_g)": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):"""
        + _COEF
        + """
    return float(a), float(b), float(c - 0.5 * np.log(s_g / s_d))
""",
        "narrow: s read as a variance (right for s = 1)": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):
    return optimal_logit_coefficients_ok(mu_d, np.sqrt(s_d), mu_g, np.sqrt(s_g))


def optimal_logit_coefficients_ok(mu_d, s_d, mu_g, s_g):"""
        + _COEF
        + """
    return float(a), float(b), float(c)
""",
        "tol: float32": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):
    mu_d, s_d, mu_g, s_g = (np.float32(t) for t in (mu_d, s_d, mu_g, s_g))"""
        + _COEF
        + """
    return a, b, c
""",
        "route: a least-squares fit on a coarse float32 grid, not the derivation": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):
    x = np.linspace(-3, 3, 7).astype(np.float32)
    y = norm(mu_d, s_d).logpdf(x) - norm(mu_g, s_g).logpdf(x)
    return tuple(float(v) for v in np.polyfit(x, y.astype(np.float32), 2))
""",
    },
    "high_quality": {
        "wrong: squared distance against n_std * std": """
def high_quality(samples, centers, std, n_std=3.0):
    d2 = ((samples[:, None, :] - centers[None]) ** 2).sum(-1)
    return d2.min(1) <= n_std * std
""",
        "narrow: n_std ignored": f"""
def high_quality(samples, centers, std, n_std=3.0):
    return {_DIST}.min(1) <= 3.0 * std
""",
        "narrow: a box instead of a disc": """
def high_quality(samples, centers, std, n_std=3.0):
    gap = np.abs(samples[:, None, :] - centers[None]).max(-1)
    return gap.min(1) <= n_std * std
""",
        "narrow: per-coordinate std (std * sqrt 2)": f"""
def high_quality(samples, centers, std, n_std=3.0):
    return {_DIST}.min(1) <= n_std * std * np.sqrt(2)
""",
        "narrow: right share, wrong samples (sorted)": f"""
def high_quality(samples, centers, std, n_std=3.0):
    return np.sort({_DIST}.min(1) <= n_std * std)
""",
        "narrow: nearest centre by L1 distance (same answer where modes are apart)": """
def high_quality(samples, centers, std, n_std=3.0):
    k = np.abs(samples[:, None] - centers[None]).sum(-1).argmin(1)
    return np.linalg.norm(samples - centers[k], axis=1) <= n_std * std
""",
        "narrow: strict inequality": f"""
def high_quality(samples, centers, std, n_std=3.0):
    return {_DIST}.min(1) < n_std * std
""",
        "tol: a slack of 1e-9": f"""
def high_quality(samples, centers, std, n_std=3.0):
    return {_DIST}.min(1) <= n_std * std + 1e-9
""",
        "tol: float32 coordinates": """
def high_quality(samples, centers, std, n_std=3.0):
    s, c = samples.astype(np.float32), centers.astype(np.float32)
    return np.linalg.norm(s[:, None, :] - c[None], axis=-1).min(1) <= np.float32(n_std * std)
""",
        "namespace: the notebook's grid.std in place of std": f"""
def high_quality(samples, centers, std, n_std=3.0):
    return {_DIST}.min(1) <= n_std * grid.std
""",
    },
}

ALTERNATIVES: dict[str, dict[str, str]] = {
    "smoothed_optimal_d": {
        "t_f plus (t_r - t_f) times the unsmoothed D*": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    d0 = pd / (pd + pg)
    return t_fake + (t_real - t_fake) * d0
""",
    },
    "optimal_logit_coefficients": {
        "logpdf at three points, a 3x3 solve": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):
    x = np.array([-1.0, 0.0, 1.0])
    y = norm(mu_d, s_d).logpdf(x) - norm(mu_g, s_g).logpdf(x)
    c = y[1]
    a = (y[0] + y[2]) / 2 - c
    b = (y[2] - y[0]) / 2
    return a, b, c
""",
    },
    "high_quality": {
        "scipy's cdist": """
from scipy.spatial.distance import cdist


def high_quality(samples, centers, std, n_std=3.0):
    return cdist(samples, centers).min(axis=1) <= n_std * std
""",
    },
}
