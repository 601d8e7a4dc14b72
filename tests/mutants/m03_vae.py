"""Wrong answers to notebook 03's exercises: each must fail its check."""

STEM = "03_vae"

MUTANTS: dict[str, dict[str, str]] = {
    "gaussian_kl2": {
        "arguments swapped": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    return 0.5 * (lv1 - lv2 + (lv2.exp() + (mu1 - mu2) ** 2) / lv1.exp() - 1).sum(1)
""",
        "second Gaussian ignored": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    return 0.5 * (mu1**2 + lv1.exp() - lv1 - 1).sum(1)
""",
        "variances as standard deviations": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    ratio = (lv1.exp() + (mu1 - mu2) ** 2) / (0.5 * lv2).exp()  # divides by sigma2, not its square
    return 0.5 * (lv2 - lv1 + ratio - 1).sum(1)
""",
        "calls torch.distributions": """
def gaussian_kl2(mu1, lv1, mu2, lv2):
    q1 = torch.distributions.Normal(mu1, torch.exp(0.5 * lv1))
    q2 = torch.distributions.Normal(mu2, torch.exp(0.5 * lv2))
    return torch.distributions.kl_divergence(q1, q2).sum(1)
""",
    },
    "linear_gaussian_elbo": {
        "z plugged in at the mean": """
def linear_gaussian_elbo(x, m, v, w, b, s):
    log_lik = -0.5 * np.log(2 * np.pi * s**2) - (x - w * m - b) ** 2 / (2 * s**2)
    return log_lik - 0.5 * (m**2 + v - np.log(v) - 1)
""",
        "KL added": """
def linear_gaussian_elbo(x, m, v, w, b, s):
    log_lik = -0.5 * np.log(2 * np.pi * s**2) - ((x - w * m - b) ** 2 + w**2 * v) / (2 * s**2)
    return log_lik + 0.5 * (m**2 + v - np.log(v) - 1)
""",
        "normaliser dropped": """
def linear_gaussian_elbo(x, m, v, w, b, s):
    log_lik = -((x - w * m - b) ** 2 + w**2 * v) / (2 * s**2)
    return log_lik - 0.5 * (m**2 + v - np.log(v) - 1)
""",
        "w instead of w squared on the variance": """
def linear_gaussian_elbo(x, m, v, w, b, s):
    log_lik = -0.5 * np.log(2 * np.pi * s**2) - ((x - w * m - b) ** 2 + abs(w) * v) / (2 * s**2)
    return log_lik - 0.5 * (m**2 + v - np.log(v) - 1)
""",
    },
    "score_grad_logvar": {
        "derivative with respect to sigma": """
def score_grad_logvar(z, mu, logvar):
    sigma = math.exp(0.5 * logvar)
    return z**2 * ((z - mu) ** 2 / sigma**3 - 1 / sigma)
""",
        "baseline term forgotten": """
def score_grad_logvar(z, mu, logvar):
    return z**2 * 0.5 * (z - mu) ** 2 / math.exp(logvar)
""",
        "score of the mean": """
def score_grad_logvar(z, mu, logvar):
    return z**2 * (z - mu) / math.exp(logvar)
""",
        "the reparameterised gradient": """
def score_grad_logvar(z, mu, logvar):
    return z * (z - mu)
""",
    },
}
