"""Wrong answers to notebook 09's exercises: each must fail its check."""

STEM = "09_applications"

#: Source run before the exercise functions (names the notebook imports and they use).
SETUP = ""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "auroc": {
        "ties ignored": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    return float((abnormal[:, None] > normal[None, :]).mean())
""",
        "direction swapped": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    greater = (normal[:, None] > abnormal[None, :]).mean()
    return float(greater + 0.5 * (normal[:, None] == abnormal[None, :]).mean())
""",
        "scikit-learn called": """
def auroc(normal, abnormal):
    import sklearn.metrics
    y = np.r_[np.zeros(len(normal)), np.ones(len(abnormal))]
    return sklearn.metrics.roc_auc_score(y, np.r_[normal, abnormal])
""",
    },
    "exact_fill": {
        "missing pixels taken as 0": """
def exact_fill(rbm, v_obs, observed):
    H = rbm.W.shape[1]
    hs = torch.tensor([[(s >> j) & 1 for j in range(H)] for s in range(2**H)], dtype=rbm.W.dtype)
    act_m = hs @ rbm.W[~observed].T + rbm.b[~observed]
    log_h = hs @ rbm.c + hs @ (rbm.W[observed].T @ v_obs)
    return torch.softmax(log_h, 0) @ torch.sigmoid(act_m)
""",
        "one mean-field step": """
def exact_fill(rbm, v_obs, observed):
    ph = torch.sigmoid(rbm.c + v_obs @ rbm.W[observed])
    return torch.sigmoid(rbm.b[~observed] + rbm.W[~observed] @ ph)
""",
        "hidden biases forgotten": """
def exact_fill(rbm, v_obs, observed):
    H = rbm.W.shape[1]
    hs = torch.tensor([[(s >> j) & 1 for j in range(H)] for s in range(2**H)], dtype=rbm.W.dtype)
    act_m = hs @ rbm.W[~observed].T + rbm.b[~observed]
    log_h = hs @ (rbm.W[observed].T @ v_obs) + F.softplus(act_m).sum(1)
    return torch.softmax(log_h, 0) @ torch.sigmoid(act_m)
""",
    },
    "c_transform": {
        "max instead of min": """
def c_transform(xs, ys, f_ys, gamma):
    total = gamma * np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) - np.asarray(f_ys)[None]
    j = total.argmax(1)
    return total[np.arange(len(xs)), j], np.asarray(ys)[j]
""",
        "gamma left out": """
def c_transform(xs, ys, f_ys, gamma):
    total = np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) - np.asarray(f_ys)[None]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], np.asarray(ys)[j]
""",
        "plus F": """
def c_transform(xs, ys, f_ys, gamma):
    total = gamma * np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) + np.asarray(f_ys)[None]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], np.asarray(ys)[j]
""",
        "index instead of point": """
def c_transform(xs, ys, f_ys, gamma):
    total = gamma * np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) - np.asarray(f_ys)[None]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], j.astype(float)
""",
    },
}
