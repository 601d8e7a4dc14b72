"""Wrong answers to notebook 02's exercises: each must fail its check."""

STEM = "02_rbm_dbm"

_STATES = """
    D, H = W.shape
    vs = ((torch.arange(2**D)[:, None] >> torch.arange(D)) & 1).to(W.dtype)
    hs = ((torch.arange(2**H)[:, None] >> torch.arange(H)) & 1).to(W.dtype)
"""

MUTANTS: dict[str, dict[str, str]] = {
    "gibbs_kernel": {
        "mean-field hidden step": "def gibbs_kernel(W, b, c):"
        + _STATES
        + """
    pv = torch.sigmoid(torch.sigmoid(vs @ W + c) @ W.T + b)
    return (vs[None] * pv[:, None] + (1 - vs[None]) * (1 - pv[:, None])).prod(-1)
""",
        "products in the wrong order": "def gibbs_kernel(W, b, c):"
        + _STATES
        + """
    ph = torch.sigmoid(vs @ W + c)
    p_h = (hs[None] * ph[:, None] + (1 - hs[None]) * (1 - ph[:, None])).prod(-1)
    pv = torch.sigmoid(hs @ W.T + b)
    p_v = (vs[None] * pv[:, None] + (1 - vs[None]) * (1 - pv[:, None])).prod(-1)
    return (p_h @ p_v).T
""",
        "only the 'on' factors": "def gibbs_kernel(W, b, c):"
        + _STATES
        + """
    p_h = (hs[None] * torch.sigmoid(vs @ W + c)[:, None] + (1 - hs[None])).prod(-1)
    p_v = (vs[None] * torch.sigmoid(hs @ W.T + b)[:, None] + (1 - vs[None])).prod(-1)
    T = p_h @ p_v
    return T / T.sum(1, keepdim=True)
""",
        "visible bias left out": "def gibbs_kernel(W, b, c):"
        + _STATES
        + """
    ph = torch.sigmoid(vs @ W + c)
    p_h = (hs[None] * ph[:, None] + (1 - hs[None]) * (1 - ph[:, None])).prod(-1)
    pv = torch.sigmoid(hs @ W.T)
    p_v = (vs[None] * pv[:, None] + (1 - vs[None]) * (1 - pv[:, None])).prod(-1)
    return p_h @ p_v
""",
    },
    "exact_grad_W": {
        "data term only": """
def exact_grad_W(v, W, b, c):
    return v.T @ torch.sigmoid(v @ W + c) / len(v)
""",
        "unnormalised model weights": """
def exact_grad_W(v, W, b, c):
    D = W.shape[0]
    vs = ((torch.arange(2**D)[:, None] >> torch.arange(D)) & 1).to(W.dtype)
    w = torch.exp(vs @ b + F.softplus(vs @ W + c).sum(1))
    return v.T @ torch.sigmoid(v @ W + c) / len(v) - (vs * w[:, None]).T @ torch.sigmoid(vs @ W + c)
""",
        "product of marginals in the model term": """
def exact_grad_W(v, W, b, c):
    D = W.shape[0]
    vs = ((torch.arange(2**D)[:, None] >> torch.arange(D)) & 1).to(W.dtype)
    p = torch.softmax(vs @ b + F.softplus(vs @ W + c).sum(1), 0)
    ev, eh = p @ vs, p @ torch.sigmoid(vs @ W + c)
    return v.T @ torch.sigmoid(v @ W + c) / len(v) - torch.outer(ev, eh)
""",
        "uses autograd": """
def exact_grad_W(v, W, b, c):
    D = W.shape[0]
    vs = ((torch.arange(2**D)[:, None] >> torch.arange(D)) & 1).to(W.dtype)
    Wg = W.clone().requires_grad_()
    ll = (v @ b + F.softplus(v @ Wg + c).sum(1)).mean()
    ll = ll - torch.logsumexp(vs @ b + F.softplus(vs @ Wg + c).sum(1), 0)
    return torch.autograd.grad(ll, Wg)[0]
""",
    },
    "effective_sample_size": {
        "exponentiates directly": """
def effective_sample_size(log_w):
    w = torch.exp(log_w)
    return (w.sum() ** 2 / (w**2).sum()).item()
""",
        "returns the fraction of runs": """
def effective_sample_size(log_w):
    ess = torch.exp(2 * torch.logsumexp(log_w, 0) - torch.logsumexp(2 * log_w, 0))
    return (ess / len(log_w)).item()
""",
        "inverse ratio": """
def effective_sample_size(log_w):
    return torch.exp(torch.logsumexp(2 * log_w, 0) - 2 * torch.logsumexp(log_w, 0)).item()
""",
    },
}
