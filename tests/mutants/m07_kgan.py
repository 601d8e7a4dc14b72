"""Wrong answers to notebook 07's exercises: each must fail its check."""

STEM = "07_kgan"

#: Notebook cells run first: the check of exercise 1 compares with ``pointwise_min``.
FROM_NOTEBOOK = ["def pointwise_min"]

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "power_hinge_bracket_min": {
        "the squared loss's 4ab/(a+b) for every p": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    s = a + b
    return np.where(s > 0, 4 * a * b / np.where(s > 0, s, 1.0), 0.0)
""",
        "the squared loss's t* = (a - b)/(a + b) plugged in": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    s = a + b
    t = np.where(s > 0, (a - b) / np.where(s > 0, s, 1.0), 0.0)
    return a * (1 - t) ** p + b * (1 + t) ** p
""",
        "exponent 1/p instead of 1/(p - 1)": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    s = a ** (1 / p) + b ** (1 / p)
    return np.where(s > 0, 2.0**p * a * b / np.where(s > 0, s, 1.0) ** (p - 1), 0.0)
""",
        "factor 2 instead of 2^p": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    q = 1 / (p - 1)
    s = a**q + b**q
    return np.where(s > 0, 2.0 * a * b / np.where(s > 0, s, 1.0) ** (p - 1), 0.0)
""",
        "a = b = 0 not handled (nan)": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    q = 1 / (p - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 2.0**p * a * b / (a**q + b**q) ** (p - 1)
""",
        "only the ends t = +-1 tried": """
def power_hinge_bracket_min(a, b, p):
    return 2.0**p * np.minimum(np.asarray(a, float), np.asarray(b, float))
""",
        "numerical minimisation with pointwise_min": """
def power_hinge_bracket_min(a, b, p):
    loss = lambda t: np.maximum(0.0, 1.0 - t) ** p
    return pointwise_min(loss, np.asarray(a, float), np.asarray(b, float))[0]
""",
    },
    "logistic_dual_value": {
        "the hinge's linear term": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    v = alpha @ a
    return alpha.mean() - (v**2).sum() / (2 * lam * n * n)
""",
        "entropy with the wrong sign": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha)
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (2 * lam * n * n)
""",
        "half the entropy (no 1 - alpha term)": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -alpha * torch.log(alpha)
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (2 * lam * n * n)
""",
        "entropy summed, not averaged": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -(alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha))
    v = alpha @ a
    return entropy.sum() - (v**2).sum() / (2 * lam * n * n)
""",
        "quadratic term over lam N, not lam N^2": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -(alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha))
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (2 * lam * n)
""",
        "factor 1/2 dropped": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -(alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha))
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (lam * n * n)
""",
    },
    "mmd2_unbiased": {
        "the biased estimate": """
def mmd2_unbiased(kxx, kyy, kxy):
    return float(kxx.mean() + kyy.mean() - 2 * kxy.mean())
""",
        "diagonal removed but divided by n^2": """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * n)
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * m)
    return float(within_x + within_y - 2 * kxy.mean())
""",
        "only the x sample corrected": """
def mmd2_unbiased(kxx, kyy, kxy):
    n = kxx.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    return float(within_x + kyy.mean() - 2 * kxy.mean())
""",
        "cross term not doubled": """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
    return float(within_x + within_y - kxy.mean())
""",
        "a tensor, not a float": """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
    return within_x + within_y - 2 * kxy.mean()
""",
    },
}
