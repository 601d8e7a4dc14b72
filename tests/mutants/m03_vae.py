# ruff: noqa: E501 - answers are written as a student would, long lines included
"""Answers to notebook 03's exercises: wrong ones must fail their check, alternatives pass.

Names start with the class of issue 25 (see tests/test_exercise_mutants.py). The notebook's own
cells bind ``np``, ``torch``, ``F``, ``math``, ``eps`` (§1's 100,000 standard normals) and the rest.
"""

STEM = "03_vae"

FROM_NOTEBOOK = ["eps = torch.randn(100_000"]  # §1's draws, in a student's namespace

_LL = "-0.5 * np.log(2 * np.pi * s**2) - ((x - w * m - b) ** 2 + w**2 * v) / (2 * s**2)"
_KL = "0.5 * (m**2 + v - np.log(v) - 1)"

MUTANTS: dict[str, dict[str, str]] = {
    "gaussian_kl2": {
        "wrong: arguments swapped": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    return 0.5 * (lv1 - lv2 + (lv2 - lv1).exp() + (mu1 - mu2) ** 2 * (-lv1).exp() - 1).sum(1)
""",
        "wrong: second Gaussian ignored": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    return 0.5 * (mu1**2 + lv1.exp() - lv1 - 1).sum(1)
""",
        "wrong: variances as standard deviations": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    ratio = (lv1.exp() + (mu1 - mu2) ** 2) / (0.5 * lv2).exp()
    return 0.5 * (lv2 - lv1 + ratio - 1).sum(1)
""",
        "narrow: variances exponentiated, then divided (0/0 and inf/inf)": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    return 0.5 * (lv2 - lv1 + (lv1.exp() + (mu1 - mu2) ** 2) / lv2.exp() - 1).sum(1)
""",
        "route: calls torch.distributions": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    q1 = torch.distributions.Normal(mu1, torch.exp(0.5 * lv1))
    q2 = torch.distributions.Normal(mu2, torch.exp(0.5 * lv2))
    return torch.distributions.kl_divergence(q1, q2).sum(1)
""",
        "route: Normal and kl_divergence imported in the exercise cell": """
from torch.distributions import Normal, kl_divergence


def gaussian_kl2(mu1, lv1, mu2, lv2):
    return kl_divergence(Normal(mu1, (0.5 * lv1).exp()), Normal(mu2, (0.5 * lv2).exp())).sum(1)
""",
        "route: torch.distributions.kl via submodules, argument checks off": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    from torch.distributions.kl import kl_divergence
    from torch.distributions.normal import Normal

    q1 = Normal(mu1, (0.5 * lv1).exp(), validate_args=False)
    q2 = Normal(mu2, (0.5 * lv2).exp(), validate_args=False)
    return kl_divergence(q1, q2).sum(1)
""",
        "namespace: F.gaussian_nll_loss from the import cell (clamps variances)": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    nll = F.gaussian_nll_loss(mu2, mu1, lv2.exp(), reduction="none")  # (log var2 + (mu1-mu2)^2 / var2) / 2
    return (nll - 0.5 * lv1 + 0.5 * (lv1 - lv2).exp() - 0.5).sum(1)
""",
        "tol: float32": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    mu1, lv1, mu2, lv2 = (t.float() for t in (mu1, lv1, mu2, lv2))
    return 0.5 * (lv2 - lv1 + (lv1 - lv2).exp() + (mu1 - mu2) ** 2 * (-lv2).exp() - 1).sum(1).double()
""",
    },
    "linear_gaussian_elbo": {
        "wrong: z plugged in at the mean": """
def linear_gaussian_elbo(x, m, v, w, b, s):
    log_lik = -0.5 * np.log(2 * np.pi * s**2) - (x - w * m - b) ** 2 / (2 * s**2)
    return log_lik - 0.5 * (m**2 + v - np.log(v) - 1)
""",
        "wrong: KL added": f"""
def linear_gaussian_elbo(x, m, v, w, b, s):
    return {_LL} + {_KL}
""",
        "wrong: normaliser dropped": f"""
def linear_gaussian_elbo(x, m, v, w, b, s):
    return -((x - w * m - b) ** 2 + w**2 * v) / (2 * s**2) - {_KL}
""",
        "narrow: |w| instead of w squared on the variance": f"""
def linear_gaussian_elbo(x, m, v, w, b, s):
    return -0.5 * np.log(2 * np.pi * s**2) - ((x - w * m - b) ** 2 + abs(w) * v) / (2 * s**2) - {_KL}
""",
        "narrow: x averaged when it is an array": f"""
def linear_gaussian_elbo(x, m, v, w, b, s):
    x = np.mean(x)
    return {_LL} - {_KL}
""",
        "route: Monte Carlo with 20,000 draws": """
def linear_gaussian_elbo(x, m, v, w, b, s):
    z = np.asarray(m)[..., None] + np.sqrt(np.asarray(v))[..., None] * np.random.default_rng(0).standard_normal(20_000)
    xx = np.asarray(x)[..., None]
    log_lik = (-0.5 * np.log(2 * np.pi * s**2) - (xx - w * z - b) ** 2 / (2 * s**2)).mean(-1)
    return log_lik - 0.5 * (m**2 + v - np.log(v) - 1)
""",
        "namespace: Monte Carlo on the notebook's eps": """
def linear_gaussian_elbo(x, m, v, w, b, s):
    e = eps.double().numpy()
    z = np.asarray(m)[..., None] + np.sqrt(np.asarray(v))[..., None] * e
    log_lik = (-0.5 * np.log(2 * np.pi * s**2) - (np.asarray(x)[..., None] - w * z - b) ** 2 / (2 * s**2)).mean(-1)
    return log_lik - 0.5 * (m**2 + v - np.log(v) - 1)
""",
        "tol: float32": f"""
def linear_gaussian_elbo(x, m, v, w, b, s):
    x, m, v = (np.asarray(a, dtype=np.float32) for a in (x, m, v))
    w, b, s = np.float32(w), np.float32(b), np.float32(s)
    return {_LL} - {_KL}
""",
    },
    "score_grad_logvar": {
        "wrong: derivative with respect to sigma": """
def score_grad_logvar(z, mu, logvar):
    sigma = math.exp(0.5 * logvar)
    return z**2 * ((z - mu) ** 2 / sigma**3 - 1 / sigma)
""",
        "wrong: baseline term forgotten": """
def score_grad_logvar(z, mu, logvar):
    return z**2 * 0.5 * (z - mu) ** 2 / math.exp(logvar)
""",
        "wrong: score of the mean": """
def score_grad_logvar(z, mu, logvar):
    return z**2 * (z - mu) / math.exp(logvar)
""",
        "wrong: the reparameterised gradient": """
def score_grad_logvar(z, mu, logvar):
    return z * (z - mu)
""",
        "narrow: the draws' mean in place of mu (ignores an argument)": """
def score_grad_logvar(z, mu, logvar):
    return z**2 * 0.5 * ((z - z.mean()) ** 2 / math.exp(logvar) - 1)
""",
        "narrow: the draws' variance in place of exp(logvar)": """
def score_grad_logvar(z, mu, logvar):
    return z**2 * 0.5 * ((z - mu) ** 2 / ((z - mu) ** 2).mean() - 1)
""",
        "tol: float32": """
def score_grad_logvar(z, mu, logvar):
    z = z.float()
    return (z**2 * 0.5 * ((z - mu) ** 2 / math.exp(logvar) - 1)).double()
""",
        "tol: the variance as a float32 tensor": """
def score_grad_logvar(z, mu, logvar):
    var = torch.tensor(math.exp(logvar))  # float32, torch's default
    return z**2 * 0.5 * ((z - mu) ** 2 / var - 1)
""",
    },
}

ALTERNATIVES: dict[str, dict[str, str]] = {
    "gaussian_kl2": {
        "the ratio of variances as one exponential, per dimension": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    d = lv2 - lv1
    per_dim = 0.5 * (d + torch.exp(-d) - 1) + 0.5 * (mu1 - mu2) ** 2 * torch.exp(-lv2)
    return per_dim.sum(dim=-1)
""",
    },
    "linear_gaussian_elbo": {
        "log p(x) minus KL to the exact posterior": """
def linear_gaussian_elbo(x, m, v, w, b, s):
    t = w**2 + s**2
    log_px = -0.5 * np.log(2 * np.pi * t) - (x - b) ** 2 / (2 * t)
    pv, pm = s**2 / t, w * (x - b) / t
    kl_post = 0.5 * (np.log(pv / v) + (v + (m - pm) ** 2) / pv - 1)
    return log_px - kl_post
""",
    },
    "score_grad_logvar": {
        "autograd per draw": """
def score_grad_logvar(z, mu, logvar):
    lv = torch.full_like(z, logvar, requires_grad=True)
    log_q = -0.5 * (lv + (z - mu) ** 2 / lv.exp())
    return z**2 * torch.autograd.grad(log_q.sum(), lv)[0]
""",
    },
}
