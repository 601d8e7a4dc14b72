"""Wrong answers to notebook 05's exercises: each must fail its check."""

STEM = "05_d2gan"

#: Source run before the exercise functions (names the notebook imports and they use).
SETUP = """
from scipy.stats import norm
"""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "d2gan_generator_slope": {
        "GAN's minimax slope": """
def d2gan_generator_slope(r, alpha, beta):
    return -1 / (1 + np.exp(-r))
""",
        "beta log D2 taken as constant": """
def d2gan_generator_slope(r, alpha, beta):
    return -alpha * np.exp(r)
""",
        "sign of log D2* flipped (log D2* = log beta + r)": """
def d2gan_generator_slope(r, alpha, beta):
    return -alpha * np.exp(r) + beta
""",
        "alpha left out": """
def d2gan_generator_slope(r, alpha, beta):
    return -np.exp(r) - beta
""",
        "ratios inverted (D1* = alpha p_g / p_d)": """
def d2gan_generator_slope(r, alpha, beta):
    return alpha * np.exp(-r) + beta
""",
    },
    "value_at_optimum": {
        "closed form (KLs by quadrature)": """
def value_at_optimum(x, pd, pg, alpha, beta):
    dx = x[1] - x[0]
    kl = np.sum(pd * np.log(pd / pg)) * dx
    kl_rev = np.sum(pg * np.log(pg / pd)) * dx
    const = alpha * (np.log(alpha) - 1) + beta * (np.log(beta) - 1)
    return float(const + alpha * kl + beta * kl_rev)
""",
        "closed form with Gaussians fitted by moments": """
def value_at_optimum(x, pd, pg, alpha, beta):
    dx = x[1] - x[0]
    m1, m2 = np.sum(x * pd) * dx, np.sum(x * pg) * dx
    s1 = np.sqrt(np.sum((x - m1) ** 2 * pd) * dx)
    s2 = np.sqrt(np.sum((x - m2) ** 2 * pg) * dx)
    kl = np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
    kl_rev = np.log(s1 / s2) + (s2**2 + (m1 - m2) ** 2) / (2 * s1**2) - 0.5
    const = alpha * (np.log(alpha) - 1) + beta * (np.log(beta) - 1)
    return float(const + alpha * kl + beta * kl_rev)
""",
        "weights left out of D1*, D2*": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = pd / pg, pg / pd
    dx = x[1] - x[0]
    return float(np.sum(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)) * dx)
""",
        "D1* and D2* swapped": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = beta * pg / pd, alpha * pd / pg
    dx = x[1] - x[0]
    return float(np.sum(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)) * dx)
""",
        "mean over the grid instead of a Riemann sum": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = alpha * pd / pg, beta * pg / pd
    return float(np.mean(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)))
""",
    },
    "best_gaussian": {
        "the two weights swapped": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, pd, norm(m, s).pdf(x), beta, alpha) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmin(), values.shape)
    return float(mus[i]), float(sigmas[j])
""",
        "data and generator swapped": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, norm(m, s).pdf(x), pd, alpha, beta) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmin(), values.shape)
    return float(mus[i]), float(sigmas[j])
""",
        "argmax": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, pd, norm(m, s).pdf(x), alpha, beta) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmax(), values.shape)
    return float(mus[i]), float(sigmas[j])
""",
        "indices returned instead of values": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, pd, norm(m, s).pdf(x), alpha, beta) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmin(), values.shape)
    return int(i), int(j)
""",
        "beta ignored (forward KL only)": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    dx = x[1] - x[0]
    values = np.array(
        [[np.sum(pd * np.log(pd / norm(m, s).pdf(x))) * dx for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmin(), values.shape)
    return float(mus[i]), float(sigmas[j])
""",
    },
}
