# ruff: noqa: E501 - answers are written as a student would, long lines included
"""Answers to notebook 02's exercises: wrong ones must fail their check, alternatives pass.

Names start with the class of issue 25 (see tests/test_exercise_mutants.py). The notebook's own
cells bind ``torch``, ``F``, ``math``, ``log_mean_exp``, ``RBM``, ``free_energy``, ``gibbs``,
``exact_log_z`` and the rest.
"""

STEM = "02_rbm_dbm"

_STATES = """
    D, H = W.shape
    vs = ((torch.arange(2**D)[:, None] >> torch.arange(D)) & 1).to(W.dtype)
    hs = ((torch.arange(2**H)[:, None] >> torch.arange(H)) & 1).to(W.dtype)
"""
_KERNEL = """
    ph = torch.sigmoid(vs @ W + c)
    p_h = (hs[None] * ph[:, None] + (1 - hs[None]) * (1 - ph[:, None])).prod(-1)
    pv = torch.sigmoid(hs @ W.T + b)
    p_v = (vs[None] * pv[:, None] + (1 - vs[None]) * (1 - pv[:, None])).prod(-1)
"""
_VS = """
    D = W.shape[0]
    vs = ((torch.arange(2**D)[:, None] >> torch.arange(D)) & 1).to(W.dtype)
"""
_LL = """
    def mean_ll(Wg):
        ll = (v @ b + F.softplus(v @ Wg + c).sum(1)).mean()
        return ll - torch.logsumexp(vs @ b + F.softplus(vs @ Wg + c).sum(1), 0)
"""

MUTANTS: dict[str, dict[str, str]] = {
    "gibbs_kernel": {
        "wrong: mean-field hidden step": "def gibbs_kernel(W, b, c):"
        + _STATES
        + """
    pv = torch.sigmoid(torch.sigmoid(vs @ W + c) @ W.T + b)
    return (vs[None] * pv[:, None] + (1 - vs[None]) * (1 - pv[:, None])).prod(-1)
""",
        "wrong: products in the wrong order": "def gibbs_kernel(W, b, c):"
        + _STATES
        + _KERNEL
        + """
    return (p_h @ p_v).T
""",
        "wrong: only the 'on' factors, renormalised": "def gibbs_kernel(W, b, c):"
        + _STATES
        + """
    p_h = (hs[None] * torch.sigmoid(vs @ W + c)[:, None] + (1 - hs[None])).prod(-1)
    p_v = (vs[None] * torch.sigmoid(hs @ W.T + b)[:, None] + (1 - vs[None])).prod(-1)
    T = p_h @ p_v
    return T / T.sum(1, keepdim=True)
""",
        "narrow: visible bias left out": "def gibbs_kernel(W, b, c):"
        + _STATES
        + _KERNEL.replace("hs @ W.T + b", "hs @ W.T")
        + """
    return p_h @ p_v
""",
        "narrow: hidden bias left out": "def gibbs_kernel(W, b, c):"
        + _STATES
        + _KERNEL.replace("vs @ W + c", "vs @ W")
        + """
    return p_h @ p_v
""",
        "narrow: hidden states counted with D (right when D == H)": """
def gibbs_kernel(W, b, c):
    D, H = W.shape
    vs = ((torch.arange(2**D)[:, None] >> torch.arange(D)) & 1).to(W.dtype)
    hs = ((torch.arange(2**D)[:, None] >> torch.arange(H)) & 1).to(W.dtype)
"""
        + _KERNEL
        + """
    return p_h @ p_v
""",
        "tol: float32": """
def gibbs_kernel(W, b, c):
    W, b, c = W.float(), b.float(), c.float()
"""
        + _STATES
        + _KERNEL
        + """
    return (p_h @ p_v).double()
""",
        "namespace: the notebook's gibbs sampler, 20,000 sweeps per state": """
def gibbs_kernel(W, b, c):
    D = W.shape[0]
    vs = ((torch.arange(2**D)[:, None] >> torch.arange(D)) & 1).to(W.dtype)
    gen = torch.Generator().manual_seed(0)
    rows = []
    for k in range(2**D):
        v2 = gibbs(RBM(W, b, c), vs[k].expand(20_000, -1), 1, gen)
        codes = (v2 * 2 ** torch.arange(D)).sum(1).long()
        rows.append(torch.bincount(codes, minlength=2**D).double() / 20_000)
    return torch.stack(rows)
""",
    },
    "exact_grad_W": {
        "wrong: data term only": """
def exact_grad_W(v, W, b, c):
    return v.T @ torch.sigmoid(v @ W + c) / len(v)
""",
        "wrong: unnormalised model weights": "def exact_grad_W(v, W, b, c):"
        + _VS
        + """
    w = torch.exp(vs @ b + F.softplus(vs @ W + c).sum(1))
    model = (vs * w[:, None]).T @ torch.sigmoid(vs @ W + c)
    return v.T @ torch.sigmoid(v @ W + c) / len(v) - model
""",
        "narrow: product of marginals in the model term": "def exact_grad_W(v, W, b, c):"
        + _VS
        + """
    p = torch.softmax(vs @ b + F.softplus(vs @ W + c).sum(1), 0)
    ev, eh = p @ vs, p @ torch.sigmoid(vs @ W + c)
    return v.T @ torch.sigmoid(v @ W + c) / len(v) - torch.outer(ev, eh)
""",
        "narrow: data summed, not averaged (right for N = 1)": "def exact_grad_W(v, W, b, c):"
        + _VS
        + """
    p = torch.softmax(vs @ b + F.softplus(vs @ W + c).sum(1), 0)
    model = (vs * p[:, None]).T @ torch.sigmoid(vs @ W + c)
    return v.T @ torch.sigmoid(v @ W + c) - model
""",
        "route: torch.autograd.grad": "def exact_grad_W(v, W, b, c):"
        + _VS
        + _LL
        + """
    Wg = W.clone().requires_grad_()
    return torch.autograd.grad(mean_ll(Wg), Wg)[0]
""",
        "route: autograd's grad captured in a default argument": """
def exact_grad_W(v, W, b, c, grad=torch.autograd.grad):"""
        + _VS
        + _LL
        + """
    Wg = W.clone().requires_grad_()
    return grad(mean_ll(Wg), Wg)[0]
""",
        "route: torch.autograd.backward (the function, not the method)": "def exact_grad_W(v, W, b, c):"
        + _VS
        + _LL
        + """
    Wg = W.clone().requires_grad_()
    torch.autograd.backward(mean_ll(Wg))
    return Wg.grad
""",
        "route: torch.func.grad": "def exact_grad_W(v, W, b, c):"
        + _VS
        + _LL
        + """
    return torch.func.grad(mean_ll)(W)
""",
        "route: forward mode, torch.func.jacfwd": "def exact_grad_W(v, W, b, c):"
        + _VS
        + _LL
        + """
    return torch.func.jacfwd(mean_ll)(W)
""",
        "route: forward-mode dual numbers": "def exact_grad_W(v, W, b, c):"
        + _VS
        + _LL
        + """
    import torch.autograd.forward_ad as fwAD

    out = torch.zeros_like(W)
    with fwAD.dual_level():
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                t = torch.zeros_like(W)
                t[i, j] = 1.0
                out[i, j] = fwAD.unpack_dual(mean_ll(fwAD.make_dual(W, t))).tangent
    return out
""",
        "namespace: the notebook's free_energy and exact_log_z (a float32 Z)": "def exact_grad_W(v, W, b, c):"
        + _VS
        + """
    rbm = RBM(W, b, c)
    log_z = exact_log_z(RBM(W.float(), b.float(), c.float()))  # the notebook's helper is float32
    p = torch.exp(-free_energy(rbm, vs) - log_z)
    model = (vs * p[:, None]).T @ torch.sigmoid(vs @ W + c)
    return v.T @ torch.sigmoid(v @ W + c) / len(v) - model
""",
        "tol: float32": """
def exact_grad_W(v, W, b, c):
    v, W, b, c = v.float(), W.float(), b.float(), c.float()"""
        + _VS
        + """
    p = torch.softmax(vs @ b + F.softplus(vs @ W + c).sum(1), 0)
    model = (vs * p[:, None]).T @ torch.sigmoid(vs @ W + c)
    return (v.T @ torch.sigmoid(v @ W + c) / len(v) - model).double()
""",
    },
    "effective_sample_size": {
        "wrong: exponentiates directly": """
def effective_sample_size(log_w):
    w = torch.exp(log_w)
    return (w.sum() ** 2 / (w**2).sum()).item()
""",
        "wrong: returns the fraction of runs": """
def effective_sample_size(log_w):
    ess = torch.exp(2 * torch.logsumexp(log_w, 0) - torch.logsumexp(2 * log_w, 0))
    return (ess / len(log_w)).item()
""",
        "wrong: inverse ratio": """
def effective_sample_size(log_w):
    return torch.exp(torch.logsumexp(2 * log_w, 0) - 2 * torch.logsumexp(log_w, 0)).item()
""",
        "narrow: shifted by the mean, not the max": """
def effective_sample_size(log_w):
    w = torch.exp(log_w - log_w.mean())
    return (w.sum() ** 2 / (w**2).sum()).item()
""",
        "narrow: shifted by the last weight (sorted input assumed)": """
def effective_sample_size(log_w):
    w = torch.exp(log_w - log_w[-1])
    return (w.sum() ** 2 / (w**2).sum()).item()
""",
        "narrow: R / (1 + CV^2) with the unbiased variance": """
def effective_sample_size(log_w):
    w = torch.exp(log_w - log_w.max())
    return (len(w) / (1 + w.var() / w.mean() ** 2)).item()
""",
        "tol: float32": """
def effective_sample_size(log_w):
    lw = log_w.float()
    return torch.exp(2 * torch.logsumexp(lw, 0) - torch.logsumexp(2 * lw, 0)).item()
""",
        "namespace: the notebook's log_mean_exp (means, not sums)": """
def effective_sample_size(log_w):
    return math.exp(2 * float(log_mean_exp(log_w, dim=0)) - float(log_mean_exp(2 * log_w, dim=0)))
""",
    },
}

ALTERNATIVES: dict[str, dict[str, str]] = {
    "gibbs_kernel": {
        "conditional probabilities as exp of log-sigmoids": "def gibbs_kernel(W, b, c):"
        + _STATES
        + """
    a = vs @ W + c  # (2^D, H)
    log_p_h = (hs[None] * F.logsigmoid(a)[:, None] + (1 - hs[None]) * F.logsigmoid(-a)[:, None]).sum(-1)
    a2 = hs @ W.T + b  # (2^H, D)
    log_p_v = (vs[None] * F.logsigmoid(a2)[:, None] + (1 - vs[None]) * F.logsigmoid(-a2)[:, None]).sum(-1)
    return torch.exp(log_p_h) @ torch.exp(log_p_v)
""",
    },
    "exact_grad_W": {
        "model term as an einsum over states": "def exact_grad_W(v, W, b, c):"
        + _VS
        + """
    log_p = vs @ b + F.softplus(vs @ W + c).sum(1)
    p = torch.exp(log_p - torch.logsumexp(log_p, 0))
    data = torch.einsum("nd,nh->dh", v, torch.sigmoid(v @ W + c)) / v.shape[0]
    return data - torch.einsum("k,kd,kh->dh", p, vs, torch.sigmoid(vs @ W + c))
""",
    },
    "effective_sample_size": {
        "max shift in float64": """
def effective_sample_size(log_w):
    w = torch.exp(log_w - log_w.max())
    return float(w.sum() ** 2 / (w**2).sum())
""",
        "the notebook's log_mean_exp, times R": """
def effective_sample_size(log_w):
    return len(log_w) * math.exp(2 * float(log_mean_exp(log_w, dim=0)) - float(log_mean_exp(2 * log_w, dim=0)))
""",
    },
}
