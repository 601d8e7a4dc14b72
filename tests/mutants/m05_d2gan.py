"""Answers to notebook 05's exercises: wrong ones must fail their check, alternatives must pass.

Names start with their issue-25 class (see tests/test_exercise_mutants.py). The notebook's own
namespace is there: ``norm`` (scipy.stats), ``ALPHA``, ``BETA``, ``log_softplus``, pandas as ``pd``.
"""

STEM = "05_d2gan"

_BEST = """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, pd, norm(m, s).pdf(x), {a}, {b}) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmin(), values.shape)
    return float(mus[i]), float(sigmas[j])
"""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "d2gan_generator_slope": {
        "route: central finite difference of l(r) instead of its derivative": """
def d2gan_generator_slope(r, alpha, beta):
    def loss(u):
        return -alpha * np.exp(u) + beta * (np.log(beta) - u)
    h = 1e-4
    return (loss(r + h) - loss(r - h)) / (2 * h)
""",
        "tol: float32 arithmetic": """
def d2gan_generator_slope(r, alpha, beta):
    r = np.asarray(r, dtype=np.float32)
    return -np.float32(alpha) * np.exp(r) - np.float32(beta)
""",
        "narrow: alpha and beta swapped (equal in the visible check)": """
def d2gan_generator_slope(r, alpha, beta):
    return -beta * np.exp(r) - alpha
""",
        "narrow: r flattened (right values, wrong shape for 2-D r)": """
def d2gan_generator_slope(r, alpha, beta):
    return -alpha * np.exp(np.ravel(r)) - beta
""",
        "namespace: the parameter cell's ALPHA, BETA instead of the arguments": """
def d2gan_generator_slope(r, alpha, beta):
    return -ALPHA * np.exp(r) - BETA
""",
        "wrong: GAN's minimax slope": """
def d2gan_generator_slope(r, alpha, beta):
    return -1 / (1 + np.exp(-r))
""",
        "wrong: beta log D2 taken as constant": """
def d2gan_generator_slope(r, alpha, beta):
    return -alpha * np.exp(r)
""",
        "wrong: sign of log D2* flipped (log D2* = log beta + r)": """
def d2gan_generator_slope(r, alpha, beta):
    return -alpha * np.exp(r) + beta
""",
        "narrow: alpha left out": """
def d2gan_generator_slope(r, alpha, beta):
    return -np.exp(r) - beta
""",
        "wrong: ratios inverted (D1* = alpha p_g / p_d)": """
def d2gan_generator_slope(r, alpha, beta):
    return alpha * np.exp(-r) + beta
""",
    },
    "value_at_optimum": {
        "route: closed form (KLs by quadrature, E_pg[pd/pg] = 1 used)": """
def value_at_optimum(x, pd, pg, alpha, beta):
    dx = x[1] - x[0]
    kl = np.sum(pd * np.log(pd / pg)) * dx
    kl_rev = np.sum(pg * np.log(pg / pd)) * dx
    const = alpha * (np.log(alpha) - 1) + beta * (np.log(beta) - 1)
    return float(const + alpha * kl + beta * kl_rev)
""",
        "route: closed form with Gaussians fitted by moments": """
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
        "tol: float32 densities": """
def value_at_optimum(x, pd, pg, alpha, beta):
    pd, pg = pd.astype(np.float32), pg.astype(np.float32)
    d1, d2 = alpha * pd / pg, beta * pg / pd
    dx = np.float32(x[1] - x[0])
    return float(np.sum(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)) * dx)
""",
        "tol: trapezoidal rule instead of the stated Riemann sum": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = alpha * pd / pg, beta * pg / pd
    f = pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)
    return float(np.sum((f[1:] + f[:-1]) / 2) * (x[1] - x[0]))
""",
        "narrow: dx hard-coded from the visible grid (0.005)": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = alpha * pd / pg, beta * pg / pd
    return float(np.sum(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)) * 0.005)
""",
        "namespace: the parameter cell's ALPHA, BETA inside D1*, D2*": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = ALPHA * pd / pg, BETA * pg / pd
    dx = x[1] - x[0]
    return float(np.sum(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)) * dx)
""",
        "wrong: weights left out of D1*, D2*": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = pd / pg, pg / pd
    dx = x[1] - x[0]
    return float(np.sum(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)) * dx)
""",
        "wrong: D1* and D2* swapped": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = beta * pg / pd, alpha * pd / pg
    dx = x[1] - x[0]
    return float(np.sum(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)) * dx)
""",
        "wrong: mean over the grid instead of a Riemann sum": """
def value_at_optimum(x, pd, pg, alpha, beta):
    d1, d2 = alpha * pd / pg, beta * pg / pd
    return float(np.mean(pd * (alpha * np.log(d1) - d2) + pg * (beta * np.log(d2) - d1)))
""",
    },
    "best_gaussian": {
        "route: no J evaluated (moments for alpha > beta, else the heaviest mode)": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    mus, sigmas = np.asarray(mus, float), np.asarray(sigmas, float)
    dx = x[1] - x[0]
    if alpha > beta:
        m = np.sum(x * pd) * dx
        s = np.sqrt(np.sum((x - m) ** 2 * pd) * dx)
    else:
        m, s = x[pd.argmax()], 1 / (np.sqrt(2 * np.pi) * pd.max())
    return float(mus[np.abs(mus - m).argmin()]), float(sigmas[np.abs(sigmas - s).argmin()])
""",
        "tol: values rounded to 2 decimals before the argmin (near-ties go to the first)": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, pd, norm(m, s).pdf(x), alpha, beta) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.round(2).argmin(), values.shape)
    return float(mus[i]), float(sigmas[j])
""",
        "narrow: the data ignored (the visible check's mixture rebuilt)": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    pd = 0.3 * norm(-2, 0.5).pdf(x) + 0.7 * norm(2, 0.5).pdf(x)
    values = np.array(
        [[value_at_optimum(x, pd, norm(m, s).pdf(x), alpha, beta) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmin(), values.shape)
    return float(mus[i]), float(sigmas[j])
""",
        "narrow: mu and sigma minimised one at a time (sigma at the data's std)": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    dx = x[1] - x[0]
    m0 = np.sum(x * pd) * dx
    s0 = sigmas[np.abs(sigmas - np.sqrt(np.sum((x - m0) ** 2 * pd) * dx)).argmin()]
    mu = min(mus, key=lambda m: value_at_optimum(x, pd, norm(m, s0).pdf(x), alpha, beta))
    s = min(sigmas, key=lambda s: value_at_optimum(x, pd, norm(mu, s).pdf(x), alpha, beta))
    return float(mu), float(s)
""",
        "namespace: the parameter cell's ALPHA, BETA": _BEST.format(a="ALPHA", b="BETA"),
        "wrong: the two weights swapped": _BEST.format(a="beta", b="alpha"),
        "wrong: data and generator swapped": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, norm(m, s).pdf(x), pd, alpha, beta) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmin(), values.shape)
    return float(mus[i]), float(sigmas[j])
""",
        "wrong: argmax": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, pd, norm(m, s).pdf(x), alpha, beta) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmax(), values.shape)
    return float(mus[i]), float(sigmas[j])
""",
        "wrong: indices returned instead of values": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    values = np.array(
        [[value_at_optimum(x, pd, norm(m, s).pdf(x), alpha, beta) for s in sigmas] for m in mus]
    )
    i, j = np.unravel_index(values.argmin(), values.shape)
    return int(i), int(j)
""",
        "narrow: beta ignored (forward KL only)": """
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

#: exercise function name -> {name: source}: correct answers written differently; each must pass
ALTERNATIVES: dict[str, dict[str, str]] = {
    "d2gan_generator_slope": {
        "autograd through l(r) = -alpha e^r + beta (log beta - r)": """
def d2gan_generator_slope(r, alpha, beta):
    t = torch.as_tensor(np.asarray(r, dtype=float)).requires_grad_(True)
    loss = -alpha * torch.exp(t) + beta * (np.log(beta) - t)
    (grad,) = torch.autograd.grad(loss.sum(), t)
    return grad.numpy()
""",
        "from the discriminators: -D1* - beta (d log D2*/dr = -1)": """
def d2gan_generator_slope(r, alpha, beta):
    d1_star = np.exp(np.log(alpha) + np.asarray(r))
    return -(d1_star + beta)
""",
    },
    "value_at_optimum": {
        "logs of the densities, then the four expectations one by one": """
def value_at_optimum(x, pd, pg, alpha, beta):
    dx = x[1] - x[0]
    log_d1 = np.log(alpha) + np.log(pd) - np.log(pg)
    log_d2 = np.log(beta) + np.log(pg) - np.log(pd)
    e1 = np.sum(pd * alpha * log_d1) * dx
    e2 = -np.sum(pd * np.exp(log_d2)) * dx
    e3 = np.sum(pg * beta * log_d2) * dx
    e4 = -np.sum(pg * np.exp(log_d1)) * dx
    return e1 + e2 + e3 + e4
""",
        "KL form with the grid's own masses (the definition, rearranged)": """
def value_at_optimum(x, pd, pg, alpha, beta):
    dx = x[1] - x[0]
    md, mg = pd.sum() * dx, pg.sum() * dx  # E_pd[pg/pd] and E_pg[pd/pg] on the grid
    kl = np.sum(pd * np.log(pd / pg)) * dx
    kl_rev = np.sum(pg * np.log(pg / pd)) * dx
    return float(alpha * (np.log(alpha) * md + kl) - beta * mg
                 + beta * (np.log(beta) * mg + kl_rev) - alpha * md)
""",
    },
    "best_gaussian": {
        "a loop that keeps the first strict improvement": """
def best_gaussian(x, pd, alpha, beta, mus, sigmas):
    best = None
    for m in mus:
        for s in sigmas:
            v = value_at_optimum(x, pd, norm(m, s).pdf(x), alpha, beta)
            if best is None or v < best[0]:
                best = (v, float(m), float(s))
    return best[1], best[2]
""",
    },
}
