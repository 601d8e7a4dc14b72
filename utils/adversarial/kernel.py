"""KGAN's kernel discriminator (notebook 07): random Fourier features, the hinge dual, max–max.

The discriminator is linear in fixed features, ``d_w(x) = wᵀΦ(x)``, with
``Φ(x) = F^(−1/2) [cos Ωx; sin Ωx]`` the random Fourier features of a Gaussian kernel (a mixture
of widths ``median · 2^(−k)``, the median pairwise distance of the first real batch it sees, then
fixed). On a batch of ``N`` points with labels ``y = +1`` (real) and ``−1`` (generated) the
regularised hinge problem and its dual are

    P(w) = (λ/2)‖w‖² + (1/N) Σ max(0, 1 − y_i wᵀΦ_i)
    D(α) = (1/N) Σ α_i − (1/(2λN²)) ‖Σ α_i y_i Φ_i‖²,   α ∈ [0, 1]^N,   w(α) = Σ α_i y_i Φ_i / (λN)

and ``min_w P = max_α D``. KGAN's generator ascends the same ``D`` (max–max): :func:`kgan_inner`
solves the dual on the step's batch (:func:`hinge_dual`, to a measured duality gap), and
:func:`kgan_g_loss` is ``−D(α*)`` as a function of the generated points (Danskin's theorem: the
gradient of ``max_α D`` is the gradient of ``D`` at the optimum). :func:`kernel_d_loss` /
:func:`kernel_g_loss` are the min–max version of the same objective: Adam steps on ``w``.
Notebook 07 derives all of it; these are the reference copies the benchmark re-runs.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn


class KernelCritic(nn.Module):
    """``n_models`` kernel discriminators ``d_w(x) = wᵀΦ(x)`` on random Fourier features.

    ``n_freq`` frequencies per member, split evenly over ``n_widths`` Gaussian widths
    ``σ_k = median · 2^(−k)``; ``Φ(x)ᵀΦ(x') ≈ mean_k exp(−‖x − x'‖² / (2σ_k²))`` and ``‖Φ(x)‖ = 1``.
    The median pairwise distance is set per member by :meth:`set_width` (the median heuristic
    on the first real batch) and then stays fixed: a *learned* width would be a second player
    again. ``learn_w=True`` makes ``w`` a parameter (the min–max variant); otherwise ``w`` is a
    buffer that :func:`kgan_inner` overwrites with ``w(α*)``. Input ``(n_models, n, dim)`` or,
    for one member, ``(n, dim)``; output ``(…, n, 1)``. With a ``trunk`` (one member, e.g.
    frozen convolutions for images) the random features are taken of ``trunk(x)``, ``(n, dim)``;
    the trunk is frozen, so the discriminator stays linear in ``w`` — unless ``learn_trunk``,
    which makes the trunk a second player (:func:`kgan_trunk_loss`): a min–max again.
    """

    def __init__(
        self,
        n_models: int,
        dim: int = 2,
        n_freq: int = 256,
        n_widths: int = 4,
        learn_w: bool = False,
        trunk: nn.Module | None = None,
        learn_trunk: bool = False,
    ) -> None:
        super().__init__()
        if n_freq < 1 or n_widths < 1 or n_freq % n_widths:
            raise ValueError(
                f"KernelCritic: n_freq ({n_freq}) must be a positive multiple of n_widths "
                f"({n_widths})"
            )
        self.n_models, self.dim, self.n_freq, self.n_widths = n_models, dim, n_freq, n_widths
        self.trunk = trunk
        if trunk is not None and not learn_trunk:  # fixed features: linear in w, one objective
            trunk.requires_grad_(False)
        self.register_buffer("omega", torch.empty(n_models, dim, n_freq))  # N(0, I) draws
        # frequency j belongs to width k = j mod n_widths: scale 2^k / median
        self.register_buffer("octave", 2.0 ** (torch.arange(n_freq) % n_widths).float())
        self.register_buffer("median", torch.full((n_models, 1, 1), math.nan))
        w = torch.zeros(n_models, 2 * n_freq, 1)
        if learn_w:
            self.w = nn.Parameter(w)
        else:
            self.register_buffer("w", w)
        # the last inner solve (KGAN): α·y·Φ summed over the real points, α of the generated ones
        self.state: dict[str, torch.Tensor] = {}
        for i in range(n_models):
            self.init_member(i, None)

    @torch.no_grad()
    def init_member(self, i: int, generator: torch.Generator | None) -> None:
        """Redraw member ``i``'s frequencies; forget its width and set its weights to 0."""
        self.omega[i].normal_(generator=generator)
        self.median[i] = math.nan
        self.w[i] = 0.0
        self.state = {}

    @torch.no_grad()
    def set_width(self, real: torch.Tensor) -> None:
        """The median heuristic: each member's median pairwise distance of ``real`` (once)."""
        x = self._inputs(real)
        unset = torch.isnan(self.median[:, 0, 0])
        if not bool(unset.any()):
            return
        d = torch.cdist(x.float(), x.float())
        iu = torch.triu_indices(d.shape[-1], d.shape[-1], 1, device=d.device)
        med = d[:, iu[0], iu[1]].median(-1).values.clamp(min=1e-6)
        self.median[unset, 0, 0] = med.to(self.median)[unset]

    def widths(self) -> torch.Tensor:
        """``(n_models, n_widths)``: the Gaussian widths σ_k = median · 2^(−k)."""
        return self.median[:, 0] / self.octave[: self.n_widths]

    def _inputs(self, x: torch.Tensor) -> torch.Tensor:
        """``(n_models, n, dim)``: the trunk's output for images, a member axis for one member."""
        if self.trunk is not None:
            x = self.trunk(x)
        return x if x.ndim == 3 else x.unsqueeze(0)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Φ(x): ``(n_models, n, 2·n_freq)``, unit norm; the width must have been set."""
        x = self._inputs(x)
        if bool(torch.isnan(self.median).any()):
            raise RuntimeError("KernelCritic: call set_width(real) before the first features")
        proj = x @ (self.omega * self.octave / self.median)
        return torch.cat([proj.cos(), proj.sin()], -1) / math.sqrt(self.n_freq)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.features(x) @ self.w
        return out if x.ndim == 3 and self.trunk is None else out[0]

    def extra_repr(self) -> str:
        return (
            f"n_models={self.n_models}, dim={self.dim}, n_freq={self.n_freq}, "
            f"widths={self.n_widths}"
        )


def hinge_primal(a: torch.Tensor, w: torch.Tensor, lam: float) -> torch.Tensor:
    """``P(w) = (λ/2)‖w‖² + (1/N) Σ max(0, 1 − (A w)_i)`` per member; ``A`` rows are y_i Φ_i."""
    margins = (a @ w).squeeze(-1)
    return 0.5 * lam * (w.squeeze(-1) ** 2).sum(-1) + (1 - margins).clamp(min=0).mean(-1)


def hinge_dual_value(a: torch.Tensor, alpha: torch.Tensor, lam: float) -> torch.Tensor:
    """``D(α) = (1/N) Σ α_i − (1/(2λN²)) ‖Aᵀα‖²`` per member."""
    n = a.shape[-2]
    v = (alpha.unsqueeze(-2) @ a).squeeze(-2)
    return alpha.mean(-1) - (v**2).sum(-1) / (2 * lam * n * n)


@torch.no_grad()
def hinge_dual(
    a: torch.Tensor,
    lam: float,
    alpha0: torch.Tensor | None = None,
    iters: int = 200,
    tol: float = 1e-4,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Maximise ``D(α)`` over the box ``[0, 1]^N`` for every member: ``(α*, gap, steps)``.

    ``a``: ``(members, N, F)``, the signed feature rows ``y_i Φ_i``; the Gram matrix
    ``Q = AAᵀ`` is never formed (``Qα = A(Aᵀα)`` costs ``O(NF)``, ``Q`` itself ``O(N²F)``).
    ``D(α) = mean(α) − ‖Aᵀα‖² / (2λN²)``. Accelerated projected gradient ascent (FISTA) with
    step ``1/L``, ``L = λ_max(Q)/(λN²) ≤ 1/(λN)`` (features have unit norm), so the step is
    ``λN`` and one step reads ``α ← clip(α + λ − A(Aᵀα)/N, 0, 1)``. Each member stops on its
    own, when its duality gap (:func:`duality_gap`) is below ``tol`` (checked every 5 steps) or
    after ``iters`` steps, and keeps its α from then on, so a seed's solve does not depend on
    the other seeds of the ensemble. ``steps`` is per member.
    """
    n = a.shape[-2]
    alpha = torch.ones(a.shape[:-1], dtype=a.dtype, device=a.device) if alpha0 is None else alpha0
    prev, y, t = alpha, alpha, 1.0
    gap = duality_gap(a, alpha, lam)
    active = gap >= tol  # (members,): still solving
    used = torch.zeros(gap.shape, dtype=torch.long, device=a.device)
    it = 0
    while it < iters and bool(active.any()):
        frozen = ~active.unsqueeze(-1)
        for _ in range(min(5, iters - it)):
            step = (y + lam - _q_times(a, y) / n).clamp(0.0, 1.0)
            t_next = 0.5 * (1 + math.sqrt(1 + 4 * t * t))
            alpha = torch.where(frozen, prev, step)  # a stopped member keeps its α
            y = torch.where(frozen, y, alpha + ((t - 1) / t_next) * (alpha - prev))
            prev, t = alpha, t_next
            it += 1
        used = torch.where(active, it, used)
        gap = torch.where(active, duality_gap(a, alpha, lam), gap)
        active = active & (gap >= tol)
    return alpha, gap, used


def _q_times(a: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """``Qα = A(Aᵀα)`` per member, without forming ``Q = AAᵀ``."""
    return (a @ (alpha.unsqueeze(-2) @ a).transpose(-2, -1)).squeeze(-1)


def duality_gap(a: torch.Tensor, alpha: torch.Tensor, lam: float) -> torch.Tensor:
    """``P(w(α)) − D(α) ≥ 0`` per member, ``w(α) = Aᵀα / (λN)``; 0 at the optimum.

    ``a``: the signed feature rows ``y_i Φ_i``. Margins ``y_i w(α)ᵀΦ_i = (A Aᵀα)_i / (λN)`` and
    ``‖w(α)‖² = ‖Aᵀα‖²/(λN)²``. Computed in float64 (returned as such).
    """
    n = a.shape[-2]
    a, alpha = a.double(), alpha.double()  # a gap of 1e-8 is below float32's rounding of O(1)
    v = alpha.unsqueeze(-2) @ a  # Aᵀα, (members, 1, F)
    quad = (v**2).sum((-2, -1)) / (lam * n * n)  # αᵀQα / (λN²)
    margins = (a @ v.transpose(-2, -1)).squeeze(-1) / (lam * n)
    hinge = (1 - margins).clamp(min=0).mean(-1)
    return hinge + quad - alpha.mean(-1)


def _signed(critic: KernelCritic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Rows ``y_i Φ(x_i)``: real points first (y = +1), then generated ones (y = −1)."""
    return torch.cat([critic.features(real), -critic.features(fake)], -2)


def kgan_inner(
    critic: KernelCritic,
    real: torch.Tensor,
    fake: torch.Tensor,
    lam: float = 0.1,
    iters: int = 200,
    tol: float = 1e-4,
) -> dict[str, torch.Tensor]:
    """KGAN's inner problem on one batch: solve the hinge dual, keep what the generator needs.

    The dual variables belong to this batch's points, so they are solved afresh each step,
    warm-started from the previous step's discriminator through the primal–dual map
    (``α_i = 1`` where ``y_i w_prevᵀΦ_i < 1``, else 0; the first step starts at α = 1, the
    MMD point). Stores ``w(α*)`` in the critic, and Σ α_i Φ(real_i) and α on the generated
    points for :func:`kgan_g_loss`. Returns the dual value, the duality gap, the share of
    α_i = 1 (per member) and the solver steps.
    """
    critic.set_width(real)
    with torch.no_grad():
        phi_real = critic.features(real)
        n_real = phi_real.shape[-2]
        a = torch.cat([phi_real, -critic.features(fake)], -2)
        alpha0 = ((a @ critic.w).squeeze(-1) < 1).to(a.dtype)
        alpha, gap, used = hinge_dual(a, lam, alpha0, iters, tol)
        critic.w.copy_((a.transpose(-2, -1) @ alpha.unsqueeze(-1)) / (lam * a.shape[-2]))
        critic.state = {
            "real_sum": (alpha[..., :n_real].unsqueeze(-2) @ a[..., :n_real, :]).squeeze(-2),
            "alpha_fake": alpha[..., n_real:],
            "alpha": alpha,
            "alpha_mean": alpha.mean(-1),
            "lam": torch.tensor(lam),
            "n": torch.tensor(a.shape[-2]),
        }
        dual = hinge_dual_value(a, alpha, lam)
    ones = (alpha == 1).to(a.dtype).mean(-1)  # share of points inside the margin
    return {"dual": dual, "gap": gap, "iters": used.to(a.dtype), "alpha_one": ones}


def kgan_g_loss(critic: KernelCritic, fake: torch.Tensor) -> torch.Tensor:
    """``−D(α*)`` as a function of the generated points (the generator *ascends* the dual).

    ``D = (1/N) Σ α_i − (1/(2λN²)) ‖Σ_real α_i Φ(x_i) − Σ_gen α_j Φ(G(z_j))‖²``: an
    α-weighted distance between the mean embeddings of data and samples (with every α = 1 and
    equal batches, ``N²·MMD²`` of the random-feature kernel, up to the factor 1/(2λN²)).
    """
    s = critic.state
    if not s:
        raise RuntimeError("kgan_g_loss: run kgan_inner on the batch first")
    n = int(s["n"])  # real and generated points of the batch the dual was solved on
    v = s["real_sum"] - (s["alpha_fake"].unsqueeze(-2) @ critic.features(fake)).squeeze(-2)
    lam = float(s["lam"])
    return -(s["alpha_mean"] - (v**2).sum(-1) / (2 * lam * n * n))


def kgan_trunk_loss(critic: KernelCritic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """``D(α*)`` as a function of a *learned* trunk (after :func:`kgan_inner` on this batch).

    The discriminator's side minimises the general loss ``min_w P = max_α D``; by Danskin its
    gradient in the trunk is that of ``D`` at ``α*``. Minimising it makes the trunk's features
    separate data from samples: a second player, so the game is a min–max again.
    """
    s = critic.state
    a = torch.cat([critic.features(real), -critic.features(fake)], -2)
    v = (s["alpha"].unsqueeze(-2) @ a).squeeze(-2)
    n = a.shape[-2]
    return s["alpha_mean"] - (v**2).sum(-1) / (2 * float(s["lam"]) * n * n)


def kernel_d_loss(
    critic: KernelCritic, real: torch.Tensor, fake: torch.Tensor, lam: float = 0.1
) -> torch.Tensor:
    """The min–max variant's discriminator loss: the primal ``P(w)`` on the batch (Adam on w)."""
    critic.set_width(real)
    a = _signed(critic, real, fake)
    return hinge_primal(a, critic.w, lam)


def kernel_g_loss(critic: KernelCritic, fake: torch.Tensor) -> torch.Tensor:
    """The min–max variant's generator loss: ``−P`` through the generated points,
    ``−(1/N) Σ_gen max(0, 1 + d_w(G(z)))`` with ``N = 2 ×`` the generated points (training
    draws as many real points as generated ones, so that is real + generated)."""
    return -(1 + critic(fake).squeeze(-1)).clamp(min=0).sum(-1) / (2 * fake.shape[-2])


def rff_kernel_error(critic: KernelCritic, x: torch.Tensor) -> float:
    """Largest |Φ(x)ᵀΦ(x') − k(x, x')| over pairs of ``x`` for member 0 (the approximation)."""
    phi = critic.features(x)[0]
    d2 = torch.cdist(x.reshape(-1, x.shape[-1]), x.reshape(-1, x.shape[-1])) ** 2
    sig = critic.widths()[0]
    exact = torch.exp(-d2.unsqueeze(-1) / (2 * sig**2)).mean(-1)
    return float((phi @ phi.T - exact).abs().max())


__all__: list[Any] = [
    "KernelCritic",
    "duality_gap",
    "hinge_dual",
    "hinge_dual_value",
    "hinge_primal",
    "kernel_d_loss",
    "kernel_g_loss",
    "kgan_g_loss",
    "kgan_inner",
    "kgan_trunk_loss",
    "rff_kernel_error",
]
