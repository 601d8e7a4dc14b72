"""Wrong answers to notebook 04's exercises: each must fail its check."""

STEM = "04_gan"

#: Source run before the exercise functions (names the notebook imports and they use).
SETUP = """
import utils
from scipy.stats import norm
"""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "smoothed_optimal_d": {
        "smoothing ignored": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return pd / (pd + pg)
""",
        "fake target dropped (one-sided formula)": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return t_real * pd / (pd + pg)
""",
        "real's (1 - t_r) term forgotten": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return (t_real * pd + t_fake * pg) / (t_real * pd + pg)
""",
        "targets' weights swapped": """
def smoothed_optimal_d(pd, pg, t_real, t_fake):
    return (t_real * pd + (1 - t_fake) * pg) / (pd + pg)
""",
    },
    "optimal_logit_coefficients": {
        "sign of b flipped": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):
    a = 1 / (2 * s_g**2) - 1 / (2 * s_d**2)
    b = mu_g / s_g**2 - mu_d / s_d**2
    c = mu_g**2 / (2 * s_g**2) - mu_d**2 / (2 * s_d**2) + np.log(s_g / s_d)
    return float(a), float(b), float(c)
""",
        "normalising constants forgotten": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):
    a = 1 / (2 * s_g**2) - 1 / (2 * s_d**2)
    b = mu_d / s_d**2 - mu_g / s_g**2
    c = mu_g**2 / (2 * s_g**2) - mu_d**2 / (2 * s_d**2)
    return float(a), float(b), float(c)
""",
        "the 1/2 of the exponent dropped in a": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):
    a = 1 / s_g**2 - 1 / s_d**2
    b = mu_d / s_d**2 - mu_g / s_g**2
    c = mu_g**2 / (2 * s_g**2) - mu_d**2 / (2 * s_d**2) + np.log(s_g / s_d)
    return float(a), float(b), float(c)
""",
        "log p_g - log p_d": """
def optimal_logit_coefficients(mu_d, s_d, mu_g, s_g):
    a = 1 / (2 * s_d**2) - 1 / (2 * s_g**2)
    b = mu_g / s_g**2 - mu_d / s_d**2
    c = mu_d**2 / (2 * s_d**2) - mu_g**2 / (2 * s_g**2) + np.log(s_d / s_g)
    return float(a), float(b), float(c)
""",
    },
    "high_quality": {
        "squared distance against n_std * std": """
def high_quality(samples, centers, std, n_std=3.0):
    d2 = ((samples[:, None, :] - centers[None]) ** 2).sum(-1)
    return d2.min(1) <= n_std * std
""",
        "n_std ignored": """
def high_quality(samples, centers, std, n_std=3.0):
    dist = np.linalg.norm(samples[:, None, :] - centers[None], axis=-1)
    return dist.min(1) <= 3.0 * std
""",
        "a box instead of a disc": """
def high_quality(samples, centers, std, n_std=3.0):
    gap = np.abs(samples[:, None, :] - centers[None]).max(-1)
    return gap.min(1) <= n_std * std
""",
        "per-coordinate std (std * sqrt 2)": """
def high_quality(samples, centers, std, n_std=3.0):
    dist = np.linalg.norm(samples[:, None, :] - centers[None], axis=-1)
    return dist.min(1) <= n_std * std * np.sqrt(2)
""",
    },
}
