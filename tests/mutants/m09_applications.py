"""Answers to notebook 09's exercises: wrong ones must fail their check, alternatives must pass.

Names start with their issue-25 class (see tests/test_exercise_mutants.py). The notebook's own
namespace is there: ``roc_auc_score`` (imported from scikit-learn by the import cell), ``dm``
(utils.density, with ``gibbs``), ``cost`` (3P-WGAN's cost), ``GAMMA_START``, ``GIBBS_SWEEPS``.
"""

STEM = "09_applications"

_FILL = """
def exact_fill(rbm, v_obs, observed):
    H = rbm.W.shape[1]
    hs = torch.tensor([[(s >> j) & 1 for j in range(H)] for s in range(2**H)], dtype=rbm.W.dtype)
    act_m = hs @ rbm.W[~observed].T + rbm.b[~observed]
    log_h = hs @ rbm.c + hs @ (rbm.W[observed].T @ v_obs) + F.softplus(act_m).sum(1)
    {weights}
    return weights @ torch.sigmoid(act_m)
"""

_CT = """
def c_transform(xs, ys, f_ys, gamma):
    xs, ys, f_ys = (np.asarray(a, float) for a in (xs, ys, f_ys))
    total = {total}
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], ys[j]
"""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "auroc": {
        "route: sklearn.metrics._ranking.roc_auc_score (not the patched name)": """
def auroc(normal, abnormal):
    from sklearn.metrics import _ranking
    y = np.r_[np.zeros(len(normal)), np.ones(len(abnormal))]
    return float(_ranking.roc_auc_score(y, np.r_[normal, abnormal]))
""",
        "route: roc_auc_score captured in a default argument": """
import sklearn.metrics

def auroc(normal, abnormal, _score=sklearn.metrics.roc_auc_score):
    y = np.r_[np.zeros(len(normal)), np.ones(len(abnormal))]
    return float(_score(y, np.r_[normal, abnormal]))
""",
        "route: roc_curve and auc": """
from sklearn.metrics import auc, roc_curve

def auroc(normal, abnormal):
    y = np.r_[np.zeros(len(normal)), np.ones(len(abnormal))]
    fpr, tpr, _ = roc_curve(y, np.r_[normal, abnormal])
    return float(auc(fpr, tpr))
""",
        "namespace: the import cell's roc_auc_score": """
def auroc(normal, abnormal):
    y = np.r_[np.zeros(len(normal)), np.ones(len(abnormal))]
    return float(roc_auc_score(y, np.r_[normal, abnormal]))
""",
        "tol: scores compared in float32 (close scores tie)": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, np.float32), np.asarray(abnormal, np.float32)
    greater = (abnormal[:, None] > normal[None, :]).mean()
    ties = (abnormal[:, None] == normal[None, :]).mean()
    return float(greater + 0.5 * ties)
""",
        "narrow: ranks by argsort (ties broken by position)": """
def auroc(normal, abnormal):
    s = np.r_[np.asarray(normal, float), np.asarray(abnormal, float)]
    ranks = np.empty(len(s))
    ranks[np.argsort(s, kind="stable")] = np.arange(1, len(s) + 1)
    n, m = len(normal), len(abnormal)
    return float((ranks[n:].sum() - m * (m + 1) / 2) / (n * m))
""",
        "narrow: searchsorted on unsorted normal scores": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    below = np.searchsorted(normal, abnormal, side="left")
    upto = np.searchsorted(normal, abnormal, side="right")
    return float((below + upto).sum() / (2 * len(normal) * len(abnormal)))
""",
        "narrow: infinite scores dropped": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    normal, abnormal = normal[np.isfinite(normal)], abnormal[np.isfinite(abnormal)]
    greater = (abnormal[:, None] > normal[None, :]).mean()
    ties = (abnormal[:, None] == normal[None, :]).mean()
    return float(greater + 0.5 * ties)
""",
        "wrong: ties ignored": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    return float((abnormal[:, None] > normal[None, :]).mean())
""",
        "wrong: direction swapped": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    greater = (normal[:, None] > abnormal[None, :]).mean()
    return float(greater + 0.5 * (normal[:, None] == abnormal[None, :]).mean())
""",
        "route: scikit-learn imported inside the function": """
def auroc(normal, abnormal):
    import sklearn.metrics
    y = np.r_[np.zeros(len(normal)), np.ones(len(abnormal))]
    return sklearn.metrics.roc_auc_score(y, np.r_[normal, abnormal])
""",
    },
    "exact_fill": {
        "route: missing pixels estimated by clamped Gibbs sampling (the page's method)": """
def exact_fill(rbm, v_obs, observed):
    g = torch.Generator().manual_seed(0)
    v = torch.zeros(4000, len(observed), dtype=rbm.W.dtype)
    v[:, observed] = v_obs
    total = torch.zeros(int((~observed).sum()), dtype=rbm.W.dtype)
    for step in range(60):
        h = torch.bernoulli(torch.sigmoid(v @ rbm.W + rbm.c), generator=g)
        p = torch.sigmoid(h @ rbm.W.T + rbm.b)
        v = torch.where(observed, v, torch.bernoulli(p, generator=g))
        if step >= 20:
            total += p[:, ~observed].mean(0)
    return total / 40
""",
        "tol: float32": _FILL.format(weights="weights = torch.softmax(log_h.float(), 0).double()"),
        "narrow: no log-sum-exp (exp of the log-weights, normalised)": _FILL.format(
            weights="weights = torch.exp(log_h) / torch.exp(log_h).sum()"
        ),
        "narrow: the missing pixels assumed to be the last ones": """
def exact_fill(rbm, v_obs, observed):
    n_o = int(observed.sum())
    H = rbm.W.shape[1]
    hs = torch.tensor([[(s >> j) & 1 for j in range(H)] for s in range(2**H)], dtype=rbm.W.dtype)
    act_m = hs @ rbm.W[n_o:].T + rbm.b[n_o:]
    log_h = hs @ rbm.c + hs @ (rbm.W[:n_o].T @ v_obs) + F.softplus(act_m).sum(1)
    return torch.softmax(log_h, 0) @ torch.sigmoid(act_m)
""",
        "namespace: dm.gibbs chains, clamping by hand after each call": """
def exact_fill(rbm, v_obs, observed):
    g = torch.Generator().manual_seed(0)
    v = torch.bernoulli(torch.full((3000, len(observed)), 0.5, dtype=rbm.W.dtype), generator=g)
    total = torch.zeros(int((~observed).sum()), dtype=rbm.W.dtype)
    for step in range(40):
        v[:, observed] = v_obs
        v = dm.gibbs(rbm, v, 1, g)
        if step >= 10:
            total += v[:, ~observed].mean(0)
    return total / 30
""",
        "wrong: missing pixels taken as 0": """
def exact_fill(rbm, v_obs, observed):
    H = rbm.W.shape[1]
    hs = torch.tensor([[(s >> j) & 1 for j in range(H)] for s in range(2**H)], dtype=rbm.W.dtype)
    act_m = hs @ rbm.W[~observed].T + rbm.b[~observed]
    log_h = hs @ rbm.c + hs @ (rbm.W[observed].T @ v_obs)
    return torch.softmax(log_h, 0) @ torch.sigmoid(act_m)
""",
        "wrong: one mean-field step": """
def exact_fill(rbm, v_obs, observed):
    ph = torch.sigmoid(rbm.c + v_obs @ rbm.W[observed])
    return torch.sigmoid(rbm.b[~observed] + rbm.W[~observed] @ ph)
""",
        "wrong: hidden biases forgotten": """
def exact_fill(rbm, v_obs, observed):
    H = rbm.W.shape[1]
    hs = torch.tensor([[(s >> j) & 1 for j in range(H)] for s in range(2**H)], dtype=rbm.W.dtype)
    act_m = hs @ rbm.W[~observed].T + rbm.b[~observed]
    log_h = hs @ (rbm.W[observed].T @ v_obs) + F.softplus(act_m).sum(1)
    return torch.softmax(log_h, 0) @ torch.sigmoid(act_m)
""",
    },
    "c_transform": {
        "route: the minimiser found on sorted ys (ties go to the smallest y)": """
def c_transform(xs, ys, f_ys, gamma):
    xs, ys, f_ys = (np.asarray(a, float) for a in (xs, ys, f_ys))
    order = np.argsort(ys, kind="stable")
    ys, f_ys = ys[order], f_ys[order]
    total = gamma * np.abs(xs[:, None] - ys[None, :]) - f_ys[None, :]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], ys[j]
""",
        "tol: float32": _CT.format(
            total="(gamma * np.abs(xs[:, None] - ys[None, :]) - f_ys[None, :]).astype(np.float32)"
        ),
        "narrow: the last minimiser on ties": """
def c_transform(xs, ys, f_ys, gamma):
    xs, ys, f_ys = (np.asarray(a, float) for a in (xs, ys, f_ys))
    total = gamma * np.abs(xs[:, None] - ys[None, :]) - f_ys[None, :]
    j = total.shape[1] - 1 - total[:, ::-1].argmin(1)
    return total[np.arange(len(xs)), j], ys[j]
""",
        "narrow: gamma fixed at 1 where the visible check's middle gamma is": _CT.format(
            total="np.abs(xs[:, None] - ys[None, :]) * (gamma if gamma != 1.0 else 1.0) ** 0"
            " - f_ys[None, :]"
        ),
        "namespace: the page's 3P-WGAN cost (sqrt of a mean square + 1e-8)": """
def c_transform(xs, ys, f_ys, gamma):
    xs, ys, f_ys = (np.asarray(a, float) for a in (xs, ys, f_ys))
    c = cost(torch.as_tensor(xs)[:, None, None], torch.as_tensor(ys)[None, :, None]).numpy()
    total = gamma * c - f_ys[None, :]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], ys[j]
""",
        "namespace: the parameter cell's GAMMA_START instead of gamma": _CT.format(
            total="GAMMA_START * np.abs(xs[:, None] - ys[None, :]) - f_ys[None, :]"
        ),
        "wrong: max instead of min": """
def c_transform(xs, ys, f_ys, gamma):
    total = gamma * np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) - np.asarray(f_ys)[None]
    j = total.argmax(1)
    return total[np.arange(len(xs)), j], np.asarray(ys)[j]
""",
        "wrong: plus F": _CT.format(
            total="gamma * np.abs(xs[:, None] - ys[None, :]) + f_ys[None, :]"
        ),
        "wrong: index instead of point": """
def c_transform(xs, ys, f_ys, gamma):
    total = gamma * np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) - np.asarray(f_ys)[None]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], j.astype(float)
""",
    },
}

#: exercise function name -> {name: source}: correct answers written differently; each must pass
ALTERNATIVES: dict[str, dict[str, str]] = {
    "auroc": {
        "average ranks (scipy.stats.rankdata), the Mann-Whitney U": """
from scipy.stats import rankdata

def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    n, m = len(normal), len(abnormal)
    ranks = rankdata(np.r_[normal, abnormal])
    return float((ranks[n:].sum() - m * (m + 1) / 2) / (n * m))
""",
        "sorted normal scores and searchsorted on both sides": """
def auroc(normal, abnormal):
    normal = np.sort(np.asarray(normal, float))
    abnormal = np.asarray(abnormal, float)
    below = np.searchsorted(normal, abnormal, side="left")
    upto = np.searchsorted(normal, abnormal, side="right")
    return float((below + upto).sum() / (2 * len(normal) * len(abnormal)))
""",
    },
    "exact_fill": {
        "brute force over the missing pixels' states (free energy, logsumexp)": """
def exact_fill(rbm, v_obs, observed):
    n_m = int((~observed).sum())
    vm = torch.tensor([[(s >> j) & 1 for j in range(n_m)] for s in range(2**n_m)],
                      dtype=rbm.W.dtype)
    v = torch.zeros(len(vm), len(observed), dtype=rbm.W.dtype)
    v[:, observed], v[:, ~observed] = v_obs, vm
    log_p = v @ rbm.b + F.softplus(v @ rbm.W + rbm.c).sum(1)  # -free energy
    return torch.softmax(log_p, 0) @ vm
""",
    },
    "c_transform": {
        "a loop over x with np.argmin (first on ties)": """
def c_transform(xs, ys, f_ys, gamma):
    ys, f_ys = np.asarray(ys, float), np.asarray(f_ys, float)
    vals, args = [], []
    for x in np.asarray(xs, float):
        total = gamma * np.abs(x - ys) - f_ys
        j = int(np.argmin(total))
        vals.append(total[j])
        args.append(ys[j])
    return np.array(vals), np.array(args)
""",
    },
}
