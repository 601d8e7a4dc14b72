"""Package copies of the explicit-density models taught in notebooks 00, 02 and 03.

Notebooks 00 (Markov chain), 02 (RBM) and 03 (VAE) write these models in their own cells, where
the student reads them; notebook 09 puts them to work and imports them from here, so no notebook
copies another's code. ``tests/test_taught_models.py`` checks that each copy agrees with the
notebook that teaches it (same functions on the same inputs).

* Markov chains of order k over characters (00): :func:`fit_markov`,
  :func:`log_prob_per_symbol`, :func:`generate_markov`. The table is a dense array
  ``P[context..., next]`` of add-``alpha`` smoothed counts, as in 00.
* Bernoulli–Bernoulli RBM (02): :class:`RBM`, :func:`free_energy`, :func:`p_h_given_v`,
  :func:`p_v_given_h`, :func:`gibbs`, :func:`train_rbm` (CD-1 or PCD-1 with momentum, weight
  decay and a linearly decaying learning rate).
* VAE with a Bernoulli decoder, optionally conditional on a one-hot label (03): :class:`VAE`,
  :func:`elbo_terms`, :func:`fit_vae`, :func:`log_weights`.
* The likelihood ladder (02 → 03): :func:`save_likelihoods` writes the test log-likelihoods a
  notebook measured (nats per image on ``mnist5k``'s fixed binarised test digits) into
  ``data/likelihoods.json`` when it runs at full budget; :func:`load_likelihoods` reads them back,
  so notebook 03 prints 02's numbers without retraining and without typing them.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

# --------------------------------------------------------------------------- Markov chains (00)


def fit_markov(
    seqs: Sequence[str], alphabet: Sequence[str], order: int, alpha: float = 1.0
) -> np.ndarray:
    """Transition table ``P[context..., next]`` of an order-``order`` chain, by smoothed counts.

    ``P[a_1, …, a_k, b] = (n(a_1…a_k b) + alpha) / Σ_b' (n(a_1…a_k b') + alpha)`` (Laplace's
    rule for ``alpha = 1``), counted over every position ``t ≥ order`` of every sequence.
    """
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        raise ValueError(f"fit_markov: order must be a non-negative int, got {order!r}")
    if not alpha > 0:
        raise ValueError(f"fit_markov: alpha must be positive, got {alpha!r}")
    idx = {a: i for i, a in enumerate(alphabet)}
    V = len(alphabet)
    if V ** (order + 1) > 50_000_000:
        raise ValueError(f"fit_markov: a dense table of {V}^{order + 1} entries is too large")
    counts = np.zeros((V,) * (order + 1))
    for s in seqs:
        codes = np.array([idx[ch] for ch in s], dtype=np.int64)
        if len(codes) <= order:
            continue
        windows = np.stack([codes[j : len(codes) - order + j] for j in range(order + 1)])
        np.add.at(counts, tuple(windows), 1)
    return (counts + alpha) / (counts + alpha).sum(-1, keepdims=True)


def log_prob_per_symbol(
    seqs: Sequence[str], P: np.ndarray, alphabet: Sequence[str], start: int = 4
) -> float:
    """Mean ``log p(x_t | context)`` in nats over positions ``t ≥ start`` (and ``t ≥ order``)."""
    idx = {a: i for i, a in enumerate(alphabet)}
    order = P.ndim - 1
    logs = []
    for s in seqs:
        codes = np.array([idx[ch] for ch in s], dtype=np.int64)
        first = max(start, order)
        if len(codes) <= first:
            continue
        windows = [codes[first - order + j : len(codes) - order + j] for j in range(order + 1)]
        logs.append(np.log(P[tuple(windows)]))
    if not logs:
        raise ValueError("log_prob_per_symbol: no position to score")
    return float(np.concatenate(logs).mean())


def generate_markov(
    P: np.ndarray,
    alphabet: Sequence[str],
    length: int,
    seed_text: str,
    rng: np.random.Generator,
) -> str:
    """Sample ``length`` symbols, starting from the first ``order`` characters of ``seed_text``."""
    order = P.ndim - 1
    out = list(seed_text[:order])
    for _ in range(length - order):
        ctx = tuple(alphabet.index(ch) for ch in out[len(out) - order :]) if order else ()
        out.append(alphabet[rng.choice(len(alphabet), p=P[ctx])])
    return "".join(out)


# --------------------------------------------------------------------------- RBM (02)


@dataclass
class RBM:
    """A Bernoulli–Bernoulli RBM, ``E(v, h) = −vᵀb − hᵀc − vᵀWh``."""

    W: torch.Tensor  # (visible, hidden) weights
    b: torch.Tensor  # (visible,) visible biases
    c: torch.Tensor  # (hidden,) hidden biases


def free_energy(rbm: RBM, v: torch.Tensor) -> torch.Tensor:
    """``F(v) = −vᵀb − Σ_j softplus(c_j + vᵀW_j)``, so that ``p(v) = e^{−F(v)} / Z``."""
    return -v @ rbm.b - F.softplus(v @ rbm.W + rbm.c).sum(1)


def p_h_given_v(rbm: RBM, v: torch.Tensor) -> torch.Tensor:
    """``p(h_j = 1 | v) = σ(c_j + vᵀW_j)``."""
    return torch.sigmoid(v @ rbm.W + rbm.c)


def p_v_given_h(rbm: RBM, h: torch.Tensor) -> torch.Tensor:
    """``p(v_i = 1 | h) = σ(b_i + W_i h)``."""
    return torch.sigmoid(h @ rbm.W.T + rbm.b)


def gibbs(rbm: RBM, v: torch.Tensor, steps: int, gen: torch.Generator | None) -> torch.Tensor:
    """``steps`` sweeps of block Gibbs sampling v → h → v, from the states ``v``."""
    for _ in range(steps):
        h = torch.bernoulli(p_h_given_v(rbm, v), generator=gen)
        v = torch.bernoulli(p_v_given_h(rbm, h), generator=gen)
    return v


def base_rate(x: torch.Tensor, pseudo: float = 5) -> torch.Tensor:
    """Logit of smoothed pixel means: the visible biases' starting point (02)."""
    extra = pseudo * len(x) / 100
    p = (x.sum(0) + extra) / (len(x) + extra)
    return torch.log(p) - torch.log1p(-p)


def train_rbm(
    x_train: torch.Tensor,
    hidden: int,
    method: str = "pcd",
    *,
    epochs: int = 20,
    batch: int = 100,
    lr: float = 0.05,
    momentum: float = 0.5,
    weight_decay: float = 1e-4,
    seed: int = 0,
    progress: bool = True,
) -> RBM:
    """Train an RBM on binary rows ``x_train`` with CD-1 (``"cd"``) or PCD-1 (``"pcd"``), as 02.

    The gradient of the mean log-likelihood is ``E_data[v hᵀ] − E_model[v hᵀ]`` (02's eq. 4); the
    model term comes from one Gibbs step started at the data (CD) or at persistent chains (PCD).
    Stops with a one-line error if the reconstruction error becomes non-finite.
    """
    from tqdm.auto import tqdm

    if method not in ("cd", "pcd"):
        raise ValueError(f"train_rbm: method must be 'cd' or 'pcd', got {method!r}")
    for name, v in {"hidden": hidden, "epochs": epochs, "batch": batch}.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"train_rbm: {name} must be a positive int, got {v!r}")
    if not (isinstance(lr, int | float) and 0 < lr < math.inf):
        raise ValueError(f"train_rbm: lr must be a positive finite number, got {lr!r}")
    n_train, n_pix = x_train.shape
    gen = torch.Generator().manual_seed(seed)
    rbm = RBM(
        0.01 * torch.randn(n_pix, hidden, generator=gen), base_rate(x_train), torch.zeros(hidden)
    )
    params = [rbm.W, rbm.b, rbm.c]
    velocity = [torch.zeros_like(p) for p in params]
    chains = torch.bernoulli(torch.full((batch, n_pix), 0.5), generator=gen)
    n_batches = max(n_train // batch, 1)
    for epoch in tqdm(
        range(epochs), desc=f"RBM {method} H={hidden}", leave=False, disable=not progress
    ):
        order = torch.randperm(n_train, generator=gen)
        for i in range(n_batches):
            v_data = x_train[order[i * batch : (i + 1) * batch]]
            ph_data = p_h_given_v(rbm, v_data)
            start = v_data if method == "cd" else chains[: len(v_data)]
            h = torch.bernoulli(p_h_given_v(rbm, start), generator=gen)
            v_model = torch.bernoulli(p_v_given_h(rbm, h), generator=gen)
            ph_model = p_h_given_v(rbm, v_model)
            if method == "pcd":
                chains = v_model
            m = len(v_data)
            grads = [
                (v_data.T @ ph_data - v_model.T @ ph_model) / m - weight_decay * rbm.W,
                (v_data - v_model).mean(0),
                (ph_data - ph_model).mean(0),
            ]
            step_lr = lr * (1 - (epoch * n_batches + i) / (epochs * n_batches))
            for p, vel, g in zip(params, velocity, grads, strict=True):
                vel.mul_(momentum).add_(g, alpha=step_lr)
                p.add_(vel)
        if not all(torch.isfinite(p).all() for p in params):
            raise FloatingPointError(
                f"train_rbm: parameters became non-finite in epoch {epoch + 1}"
            )
    return rbm


# --------------------------------------------------------------------------- VAE (03)


class VAE(nn.Module):
    """Bernoulli decoder p(x|z), Gaussian encoder q(z|x) = N(mu, diag sigma²), one layer each.

    With ``n_cond > 0`` both networks also see a condition ``c`` (a one-hot label): the
    conditional VAE of 03.
    """

    def __init__(self, latent: int, hidden: int = 400, n_cond: int = 0, n_pix: int = 784) -> None:
        super().__init__()
        self.latent, self.n_cond, self.n_pix = latent, n_cond, n_pix
        self.enc = nn.Sequential(
            nn.Linear(n_pix + n_cond, hidden), nn.ReLU(), nn.Linear(hidden, 2 * latent)
        )
        self.dec = nn.Sequential(
            nn.Linear(latent + n_cond, hidden), nn.ReLU(), nn.Linear(hidden, n_pix)
        )

    def encode(
        self, x: torch.Tensor, c: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``(mu, logvar)`` of q(z | x[, c])."""
        h = self.enc(x if c is None else torch.cat([x, c], 1))
        mu, logvar = h.chunk(2, dim=1)
        return mu, logvar

    def decode(self, z: torch.Tensor, c: torch.Tensor | None = None) -> torch.Tensor:
        """Bernoulli logits of p(x | z[, c])."""
        return self.dec(z if c is None else torch.cat([z, c], 1))


def elbo_terms(
    model: VAE, x: torch.Tensor, c: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-image ``E_q[log p(x|z)]`` (one sample) and ``KL(q || p)`` per latent dimension."""
    mu, logvar = model.encode(x, c)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    rec = -F.binary_cross_entropy_with_logits(model.decode(z, c), x, reduction="none").sum(1)
    kl = 0.5 * (mu**2 + logvar.exp() - logvar - 1)
    return rec, kl


def fit_vae(
    model: VAE,
    x_train: torch.Tensor,
    epochs: int,
    *,
    labels: torch.Tensor | None = None,
    beta: float = 1.0,
    lr: float = 1e-3,
    batch: int = 100,
    seed: int = 0,
    progress: bool = True,
    desc: str = "VAE",
) -> VAE:
    """Maximise the (β-weighted) ELBO on grey-level rows ``x_train``, binarised afresh each batch.

    ``labels`` (integers) make it the conditional VAE: the one-hot label is the condition.
    """
    from .train import train_loop

    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit_vae: epochs must be a positive int, got {epochs!r}")
    if labels is not None and model.n_cond == 0:
        raise ValueError("fit_vae: labels given to a VAE built with n_cond=0")
    device = x_train.device
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    bin_g = torch.Generator(device=device).manual_seed(seed)
    per_epoch = math.ceil(len(x_train) / batch)
    order: list[torch.Tensor] = []

    def step(i: int) -> dict[str, float]:
        if i % per_epoch == 0:
            order[:] = torch.randperm(len(x_train), generator=g).split(batch)
        idx = order[i % per_epoch].to(device)
        x = torch.bernoulli(x_train[idx], generator=bin_g)
        c = F.one_hot(labels[idx], model.n_cond).float() if labels is not None else None
        rec, kl = elbo_terms(model, x, c)
        loss = -(rec - beta * kl.sum(1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return {"rec": rec.mean().item(), "kl": kl.sum(1).mean().item()}

    train_loop(step, epochs * per_epoch, desc=desc, log_every=per_epoch, progress=progress)
    return model.eval()


@torch.no_grad()
def log_weights(model: VAE, x: torch.Tensor, k: int, c: torch.Tensor | None = None) -> torch.Tensor:
    """``log p(x, z_k) − log q(z_k | x)`` for ``k`` samples per image: shape ``(n, k)``."""
    mu, logvar = model.encode(x, c)
    std = torch.exp(0.5 * logvar)
    out = []
    for _ in range(k):
        eps = torch.randn_like(mu)
        z = mu + std * eps
        log_px_z = -F.binary_cross_entropy_with_logits(model.decode(z, c), x, reduction="none").sum(
            1
        )
        log_pz = -0.5 * (z**2).sum(1) - 0.5 * model.latent * math.log(2 * math.pi)
        log_qz = (
            -0.5 * (eps**2).sum(1)
            - 0.5 * logvar.sum(1)
            - 0.5 * model.latent * math.log(2 * math.pi)
        )
        out.append(log_px_z + log_pz - log_qz)
    return torch.stack(out, 1)


# --------------------------------------------------------------------------- likelihood ladder

#: Where notebooks leave the test log-likelihoods that later notebooks compare against.
LIKELIHOODS_FILE = Path(__file__).resolve().parent.parent / "data" / "likelihoods.json"


def save_likelihoods(
    notebook: str,
    rows: Mapping[str, tuple[float, float]],
    params: Mapping[str, Any],
    *,
    path: Path | None = None,
) -> Path | None:
    """Store ``rows`` (name → (test log-likelihood in nats, ± uncertainty)) under ``notebook``.

    Skipped in fast mode (returns ``None``, one line says so): a shrunk run must never replace
    the committed numbers. ``params`` (the notebook's parameters) are stored beside them.
    """
    from .config import fast_mode

    if not rows:
        raise ValueError("save_likelihoods: no rows given")
    clean = {}
    for name, (value, err) in rows.items():
        if not (math.isfinite(value) and math.isfinite(err) and err >= 0):
            raise ValueError(f"save_likelihoods: {name}: not a finite value with ± >= 0")
        clean[name] = [float(value), float(err)]
    if fast_mode():
        print(f"fast mode: {notebook}'s likelihoods are not written to {LIKELIHOODS_FILE.name}")
        return None
    from .files import write_atomic

    target = path or LIKELIHOODS_FILE
    data = json.loads(target.read_text()) if target.exists() else {}
    kept = {k: v for k, v in params.items() if isinstance(v, int | float | str | bool)}
    old = data.get(notebook, {})
    if old.get("rows") == clean and old.get("params") == kept:
        return target  # the same numbers: leave the tracked file (and its date) untouched
    data[notebook] = {
        "rows": clean,
        "params": kept,
        "written": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    write_atomic(target, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return target


def load_likelihoods(notebook: str, *, path: Path | None = None) -> dict[str, Any]:
    """The entry :func:`save_likelihoods` wrote for ``notebook``: ``rows``, ``params``, ``written``.

    A missing file or entry is a one-line error naming the notebook to run.
    """
    target = path or LIKELIHOODS_FILE
    data = json.loads(target.read_text()) if target.exists() else {}
    if notebook not in data:
        raise FileNotFoundError(
            f"no likelihoods of {notebook} in {target.name}: "
            f"run `python -m utils.run {notebook[:2]}` first"
        )
    return data[notebook]
