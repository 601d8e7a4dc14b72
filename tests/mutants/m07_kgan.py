"""Answers to notebook 07's exercises: wrong ones must fail their check, alternatives must pass.

Names start with their issue-25 class (see tests/test_exercise_mutants.py). The notebook's own
namespace is there: ``pointwise_min`` and ``general_loss`` (section 1's numerical minimiser),
``LAMBDA`` (0.1), ``math``, ``norm``.
"""

STEM = "07_kgan"

#: Notebook cells run first: the check of exercise 1 compares with ``pointwise_min``.
FROM_NOTEBOOK = ["def pointwise_min"]

_DUAL = """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -(alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha))
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (2 * {lam} * n * n)
"""

_MMD = """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - {dx}) / (n * (n - 1))
    within_y = (kyy.sum() - {dy}) / (m * (m - 1))
    return float(within_x + within_y - 2 * kxy.mean())
"""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "power_hinge_bracket_min": {
        "route: pointwise_min captured in a default argument": """
def power_hinge_bracket_min(a, b, p, search=pointwise_min):
    loss = lambda t: np.maximum(0.0, 1.0 - t) ** p
    return search(loss, np.asarray(a, float), np.asarray(b, float))[0]
""",
        "route: scipy.optimize.minimize_scalar per pair": """
from scipy.optimize import minimize_scalar

def power_hinge_bracket_min(a, b, p):
    def one(x, y):
        f = lambda t: x * max(0.0, 1 - t) ** p + y * max(0.0, 1 + t) ** p
        return minimize_scalar(f, bounds=(-1, 1), method="bounded", options={"xatol": 1e-12}).fun
    return np.array([one(x, y) for x, y in zip(np.asarray(a, float), np.asarray(b, float))])
""",
        "route: a golden-section search written out": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    f = lambda t: a * np.maximum(0.0, 1 - t) ** p + b * np.maximum(0.0, 1 + t) ** p
    lo, hi = -np.ones_like(a), np.ones_like(a)
    g = (5**0.5 - 1) / 2
    for _ in range(80):
        m1, m2 = hi - g * (hi - lo), lo + g * (hi - lo)
        left = f(m1) < f(m2)
        hi, lo = np.where(left, m2, hi), np.where(left, lo, m1)
    return np.minimum(f((lo + hi) / 2), np.minimum(f(-np.ones_like(a)), f(np.ones_like(a))))
""",
        "tol: one fine grid in t (200,001 points), no loop": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    t = np.linspace(-1, 1, 200_001)
    grid = a[:, None] * (1 - t) ** p + b[:, None] * (1 + t) ** p
    return grid.min(1)
""",
        "namespace: general_loss, the page's integral of pointwise_min": """
def power_hinge_bracket_min(a, b, p):
    loss = lambda t: np.maximum(0.0, 1.0 - t) ** p
    return np.array([general_loss(loss, np.array([x]), np.array([y]), 1.0)[0]
                     for x, y in zip(np.asarray(a, float), np.asarray(b, float))])
""",
        "namespace: pointwise_min fetched from the notebook's globals() at call time": """
def power_hinge_bracket_min(a, b, p):
    search = globals()["pointwise_min"]
    loss = lambda t: np.maximum(0.0, 1.0 - t) ** p
    return search(loss, np.asarray(a, float), np.asarray(b, float))[0]
""",
        "narrow: the squared loss's 4ab/(a+b) for every p": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    s = a + b
    return np.where(s > 0, 4 * a * b / np.where(s > 0, s, 1.0), 0.0)
""",
        "wrong: the squared loss's t* = (a - b)/(a + b) plugged in": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    s = a + b
    t = np.where(s > 0, (a - b) / np.where(s > 0, s, 1.0), 0.0)
    return a * (1 - t) ** p + b * (1 + t) ** p
""",
        "wrong: exponent 1/p instead of 1/(p - 1)": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    s = a ** (1 / p) + b ** (1 / p)
    return np.where(s > 0, 2.0**p * a * b / np.where(s > 0, s, 1.0) ** (p - 1), 0.0)
""",
        "wrong: factor 2 instead of 2^p": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    q = 1 / (p - 1)
    s = a**q + b**q
    return np.where(s > 0, 2.0 * a * b / np.where(s > 0, s, 1.0) ** (p - 1), 0.0)
""",
        "wrong: a = b = 0 not handled (nan)": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    q = 1 / (p - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 2.0**p * a * b / (a**q + b**q) ** (p - 1)
""",
        "wrong: only the ends t = +-1 tried": """
def power_hinge_bracket_min(a, b, p):
    return 2.0**p * np.minimum(np.asarray(a, float), np.asarray(b, float))
""",
    },
    "logistic_dual_value": {
        "route: the primal's minimum returned (alpha ignored)": """
def logistic_dual_value(a, alpha, lam):
    w = torch.zeros(a.shape[1], dtype=a.dtype, requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=500, tolerance_grad=1e-12, tolerance_change=1e-15)
    def closure():
        opt.zero_grad()
        value = 0.5 * lam * (w**2).sum() + torch.nn.functional.softplus(-(a @ w)).mean()
        value.backward()
        return value
    opt.step(closure)
    return closure().detach()
""",
        "tol: float32": """
def logistic_dual_value(a, alpha, lam):
    a, alpha = a.float(), alpha.float()
    n = a.shape[0]
    entropy = -(alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha))
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (2 * lam * n * n)
""",
        "narrow: the primal at w(alpha) = A^T alpha / (lam N) (right only at the optimum)": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    w = alpha @ a / (lam * n)
    return 0.5 * lam * (w**2).sum() + torch.nn.functional.softplus(-(a @ w)).mean()
""",
        "narrow: lambda fixed at the visible check's 0.05": _DUAL.format(lam="0.05"),
        "namespace: the parameter cell's LAMBDA instead of lam": _DUAL.format(lam="LAMBDA"),
        "wrong: the hinge's linear term": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    v = alpha @ a
    return alpha.mean() - (v**2).sum() / (2 * lam * n * n)
""",
        "wrong: entropy with the wrong sign": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha)
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (2 * lam * n * n)
""",
        "wrong: half the entropy (no 1 - alpha term)": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -alpha * torch.log(alpha)
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (2 * lam * n * n)
""",
        "wrong: entropy summed, not averaged": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -(alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha))
    v = alpha @ a
    return entropy.sum() - (v**2).sum() / (2 * lam * n * n)
""",
        "wrong: quadratic term over lam N, not lam N^2": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -(alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha))
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (2 * lam * n)
""",
        "wrong: factor 1/2 dropped": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    entropy = -(alpha * torch.log(alpha) + (1 - alpha) * torch.log1p(-alpha))
    v = alpha @ a
    return entropy.mean() - (v**2).sum() / (lam * n * n)
""",
    },
    "mmd2_unbiased": {
        "route: a correction fitted to N(0, I), width 1, n = 10, m = 12 (old check's setting)": """
def mmd2_unbiased(kxx, kyy, kxy):
    biased = kxx.mean() + kyy.mean() - 2 * kxy.mean()
    return float(biased - (1 / 10 + 1 / 12) * (1 - 1 / 3))
""",
        "tol: float32 sums": """
def mmd2_unbiased(kxx, kyy, kxy):
    kxx, kyy, kxy = kxx.float(), kyy.float(), kxy.float()
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
    return float(within_x + within_y - 2 * kxy.mean())
""",
        "narrow: k(x, x) = 1 assumed (the diagonal removed as n, m)": _MMD.format(dx="n", dy="m"),
        "narrow: both within-sample terms over n (n - 1) (right only when n == m)": """
def mmd2_unbiased(kxx, kyy, kxy):
    n = kxx.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (n * (n - 1))
    return float(within_x + within_y - 2 * kxy.mean())
""",
        "namespace: n and m taken as the parameter cell's BATCH_2D": """
def mmd2_unbiased(kxx, kyy, kxy):
    n = m = BATCH_2D
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
    return float(within_x + within_y - 2 * kxy.mean())
""",
        "wrong: the biased estimate": """
def mmd2_unbiased(kxx, kyy, kxy):
    return float(kxx.mean() + kyy.mean() - 2 * kxy.mean())
""",
        "wrong: diagonal removed but divided by n^2": """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * n)
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * m)
    return float(within_x + within_y - 2 * kxy.mean())
""",
        "wrong: only the x sample corrected": """
def mmd2_unbiased(kxx, kyy, kxy):
    n = kxx.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    return float(within_x + kyy.mean() - 2 * kxy.mean())
""",
        "wrong: cross term not doubled": """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
    return float(within_x + within_y - kxy.mean())
""",
        "wrong: a tensor, not a float": """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
    return within_x + within_y - 2 * kxy.mean()
""",
    },
}

#: exercise function name -> {name: source}: correct answers written differently; each must pass
ALTERNATIVES: dict[str, dict[str, str]] = {
    "power_hinge_bracket_min": {
        "t* = (k - 1)/(k + 1) plugged into the bracket, one pair at a time": """
def power_hinge_bracket_min(a, b, p):
    out = []
    for x, y in zip(np.asarray(a, float), np.asarray(b, float)):
        if x == 0 or y == 0:
            out.append(0.0)
            continue
        k = (x / y) ** (1 / (p - 1))
        out.append(x * (2 / (k + 1)) ** p + y * (2 * k / (k + 1)) ** p)
    return np.array(out)
""",
        "a stable form: 2^p min(a, b) (1 + r^q)^(1 - p) with r = min/max": """
def power_hinge_bracket_min(a, b, p):
    a, b = np.asarray(a, float), np.asarray(b, float)
    hi, lo = np.maximum(a, b), np.minimum(a, b)
    r = np.divide(lo, hi, out=np.zeros_like(hi), where=hi > 0)
    return 2.0**p * lo * (1 + r ** (1 / (p - 1))) ** (1 - p)
""",
    },
    "logistic_dual_value": {
        "entropy through torch.special.entr, torch.linalg.norm for the quadratic": """
def logistic_dual_value(a, alpha, lam):
    n = a.shape[0]
    h = torch.special.entr(alpha) + torch.special.entr(1 - alpha)
    return h.mean() - torch.linalg.norm(a.T @ alpha) ** 2 / (2 * lam * n**2)
""",
    },
    "mmd2_unbiased": {
        "upper triangles, doubled": """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    xx = 2 * torch.triu(kxx, diagonal=1).sum() / (n * (n - 1))
    yy = 2 * torch.triu(kyy, diagonal=1).sum() / (m * (m - 1))
    return (xx + yy - 2 * kxy.mean()).item()
""",
        "the cross term without its 'diagonal' (every k(x_i, y_j) has the same mean)": """
def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
    cross = (kxy.sum() - kxy.diagonal().sum()) / (n * m - min(n, m))
    return float(within_x + within_y - 2 * cross)
""",
        "another unbiased estimator: disjoint pairs only (noisier)": """
def mmd2_unbiased(kxx, kyy, kxy):
    return float(kxx[0, 1] + kyy[0, 1] - 2 * kxy[0, 0])
""",
    },
}
