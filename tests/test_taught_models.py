"""Each notebook's taught losses and networks agree with the package copies later notebooks run.

The notebook cells are read (not executed): every top-level ``def``/``class`` of the notebook is
compiled into one namespace with the notebook's imports and parameter defaults, then compared
with ``utils.adversarial`` on random inputs — real and generated batches of different sizes,
several ensemble members, and non-default weights.
"""

from __future__ import annotations

import ast
import contextlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from utils import adversarial as adv
from utils import density

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def taught(notebook: str, **params) -> dict:
    """The notebook's top-level functions and classes, compiled with its parameter defaults."""
    nb = json.loads((NOTEBOOKS / notebook).read_text())
    ns = {
        "torch": torch,
        "nn": nn,
        "F": F,
        "np": np,
        "adv": adv,
        "math": math,
        "dataclass": dataclass,
        "contextlib": contextlib,  # exercise checks define context managers
    }
    ns.update(params)
    for cell in nb["cells"]:
        if "parameters" in cell["metadata"].get("tags", []):
            exec("".join(cell["source"]), ns)  # noqa: S102 - the defaults
            ns.update(params)
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:  # pragma: no cover - magics
            continue
        defs = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        if defs:
            exec(compile(ast.Module(defs, []), notebook, "exec"), ns)  # noqa: S102
    return ns


def identity(x):
    return x


@pytest.fixture
def batches():
    g = torch.Generator().manual_seed(0)
    return torch.randn(3, 7, 5, generator=g) * 3, torch.randn(3, 11, 5, generator=g) * 3


def test_04_gan_losses_match_the_package(batches):
    nb = taught("04_gan.ipynb")
    real, fake = batches[0][..., :1], batches[1][..., :1]
    assert torch.allclose(
        nb["gan_d_loss"](identity, real, fake), adv.gan_d_loss(identity, real, fake)
    )
    assert torch.allclose(nb["gan_g_loss"](identity, fake), adv.gan_g_loss(identity, fake))
    sat = nb["gan_g_loss_saturating"](identity, fake)
    assert torch.allclose(sat, adv.gan_g_loss_saturating(identity, fake))


def test_05_d2gan_losses_match_the_package(batches):
    nb = taught("05_d2gan.ipynb", ALPHA=1.0, BETA=1.0)
    real, fake = batches[0][..., :2], batches[1][..., :2]
    a = torch.linspace(-200, 10, 50)
    assert torch.equal(nb["log_softplus"](a), adv.log_softplus(a))
    for alpha, beta in ((1.0, 1.0), (0.3, 2.5)):
        got = nb["d2gan_d_loss"](identity, real, fake, alpha=alpha, beta=beta)
        assert torch.allclose(got, adv.d2gan_d_loss(identity, real, fake, alpha, beta))
        got = nb["d2gan_g_loss"](identity, fake, beta=beta)
        assert torch.allclose(got, adv.d2gan_g_loss(identity, fake, beta))
    two_nb = nb["TwoDiscriminators"](adv.mlp([2, 4, 1], 3), adv.mlp([2, 4, 1], 3))
    two_pkg = adv.TwoDiscriminators(two_nb.d1, two_nb.d2)
    x = torch.randn(3, 6, 2)
    assert torch.equal(two_nb(x), two_pkg(x))


def test_06_mgan_networks_and_losses_match_the_package(batches):
    nb = taught("06_mgan.ipynb", K=4, BETA=0.05, DC_CHANNELS=4, Z_DIM=8)
    for n, k in ((10, 4), (11, 3), (500, 3)):
        assert torch.equal(nb["generator_ids"](n, k), adv.generator_ids(n, k))
    real, fake = batches
    for k, beta in ((4, 0.05), (3, 0.7)):
        got = nb["mgan_d_loss"](identity, real[..., : 1 + k], fake[..., : 1 + k], k=k)
        assert torch.allclose(
            got, adv.mgan_d_loss(identity, real[..., : 1 + k], fake[..., : 1 + k], k)
        )
        got = nb["mgan_g_loss"](identity, fake[..., : 1 + k], k=k, beta=beta)
        assert torch.allclose(got, adv.mgan_g_loss(identity, fake[..., : 1 + k], k, beta))
    g_nb = nb["Generators2D"](2, 3, 4, 8)
    g_pkg = adv.Generators2D(2, 3, z_dim=4, hidden=8)
    adv.init_members([g_nb], [5, 6])
    adv.init_members([g_pkg], [5, 6])
    z = torch.randn(2, 11, 4)
    assert torch.allclose(g_nb(z), g_pkg(z)) and g_nb(z).shape == (2, 11, 2)
    digits = nb["DigitGenerators"](3)
    assert digits(torch.randn(10, 8)).shape == (10, 1, 28, 28)  # 10 samples from 3 generators


def test_07_kgan_dual_solver_and_losses_match_the_package():
    nb = taught("07_kgan.ipynb", math=__import__("math"))
    s = adv.MemberStreams([0, 1])
    real = s.real(__import__("utils").data.ring(), 20)
    fake = 0.5 * s.real(__import__("utils").data.ring(), 16) + 1.0
    for lam in (0.02, 0.1):
        mine, ref = (adv.KernelCritic(2, 2, 32, 2) for _ in range(2))
        adv.init_members([mine], [0, 1])
        adv.init_members([ref], [0, 1])
        got = nb["kgan_inner"](mine, real, fake, lam=lam, iters=300, tol=1e-6)
        want = adv.kgan_inner(ref, real, fake, lam=lam, iters=300, tol=1e-6)
        for key in ("dual", "gap", "iters"):
            assert torch.allclose(got[key], want[key], atol=1e-6), key
        assert torch.allclose(mine.w, ref.w, atol=1e-5)
        assert torch.allclose(nb["kgan_g_loss"](mine, fake), adv.kgan_g_loss(ref, fake), atol=1e-6)
        a = torch.rand(2, 9, 5, generator=torch.Generator().manual_seed(0))
        alpha = torch.rand(2, 9, generator=torch.Generator().manual_seed(1))
        assert torch.allclose(nb["duality_gap"](a, alpha, lam), adv.duality_gap(a, alpha, lam))
        # each member stops at its own gap, in the notebook as in the package
        a_stop = torch.nn.functional.normalize(a, dim=-1) * torch.tensor([0.3, 1.0])[:, None, None]
        got_stop = nb["hinge_dual"](a_stop, lam, None, 300, 1e-5)
        want_stop = adv.hinge_dual(a_stop, lam, None, 300, 1e-5)
        assert torch.equal(got_stop[2], want_stop[2])
        assert torch.allclose(got_stop[0], want_stop[0], rtol=0, atol=1e-6)
        learn = adv.KernelCritic(2, 2, 32, 2, learn_w=True)
        adv.init_members([learn], [0, 1])
        with torch.no_grad():
            learn.w.normal_(generator=torch.Generator().manual_seed(2))
        assert torch.allclose(
            nb["kernel_d_loss"](learn, real, fake, lam), adv.kernel_d_loss(learn, real, fake, lam)
        )
        assert torch.allclose(nb["kernel_g_loss"](learn, fake), adv.kernel_g_loss(learn, fake))


def test_08_gen_terms_match_the_package():
    nb = taught("08_gen.ipynb")
    s = adv.MemberStreams([0, 1])
    real = s.real(__import__("utils").data.ring(), 20)
    fake = 0.5 * s.real(__import__("utils").data.ring(), 16) + 0.2
    ball = adv.EnclosingBall(adv.KernelCritic(2, 2, 32, 2), c=8.0)
    adv.init_members([ball], [0, 1])
    with torch.no_grad():
        ball.centre.normal_(generator=torch.Generator().manual_seed(0)).mul_(0.1)
    assert torch.allclose(nb["svdd_loss"](ball, real, fake), adv.svdd_loss(ball, real, fake))
    for weights in [(1.0, 0.0, 0.0), (1.0, 0.7, 0.0), (0.0, 0.0, 1.0), (1.0, 0.3, 2.0)]:
        assert torch.allclose(
            nb["gen_g_loss"](ball, fake, *weights), adv.gen_g_loss(ball, fake, *weights)
        )


def test_00_markov_chain_matches_the_package():
    nb = taught("00_introduction.ipynb")
    rng = np.random.default_rng(0)
    alphabet = list("ACGT")
    seqs = ["".join(rng.choice(alphabet, n)) for n in (30, 3, 57)]
    for order in (0, 1, 2, 3):
        P_nb = nb["fit_markov"](seqs, alphabet, order, alpha=0.5)
        P_pkg = density.fit_markov(seqs, alphabet, order, alpha=0.5)
        assert np.allclose(P_nb, P_pkg)
        assert np.isclose(
            nb["log_prob_per_symbol"](seqs, P_nb, alphabet),
            density.log_prob_per_symbol(seqs, P_pkg, alphabet),
        )
    a = nb["generate"](P_nb, alphabet, 40, seqs[0], np.random.default_rng(3))
    b = density.generate_markov(P_pkg, alphabet, 40, seqs[0], np.random.default_rng(3))
    assert a == b


def test_02_rbm_matches_the_package():
    nb = taught("02_rbm_dbm.ipynb", x_test=None, ais_drift=0.0)
    g = torch.Generator().manual_seed(0)
    W, b, c = (
        torch.randn(12, 5, generator=g),
        torch.randn(12, generator=g),
        torch.randn(5, generator=g),
    )
    v = torch.bernoulli(torch.full((9, 12), 0.4), generator=g)
    h = torch.bernoulli(torch.full((9, 5), 0.4), generator=g)
    r_nb, r_pkg = nb["RBM"](W, b, c), density.RBM(W, b, c)
    assert torch.allclose(nb["free_energy"](r_nb, v), density.free_energy(r_pkg, v))
    assert torch.allclose(nb["p_h_given_v"](r_nb, v), density.p_h_given_v(r_pkg, v))
    assert torch.allclose(nb["p_v_given_h"](r_nb, h), density.p_v_given_h(r_pkg, h))
    s_nb = nb["gibbs"](r_nb, v, 3, torch.Generator().manual_seed(1))
    s_pkg = density.gibbs(r_pkg, v, 3, torch.Generator().manual_seed(1))
    assert torch.equal(s_nb, s_pkg)
    assert torch.allclose(nb["base_rate"](v), density.base_rate(v))


def test_03_vae_matches_the_package():
    nb = taught("03_vae.ipynb")
    for n_cond in (0, 10):
        torch.manual_seed(0)
        m_nb = nb["VAE"](3, hidden=7, n_cond=n_cond)
        m_pkg = density.VAE(3, hidden=7, n_cond=n_cond)
        m_pkg.load_state_dict(m_nb.state_dict())
        x = torch.bernoulli(torch.full((6, 784), 0.3))
        cond = F.one_hot(torch.arange(6) % 10, 10).float() if n_cond else None
        for a, b in zip(m_nb.encode(x, cond), m_pkg.encode(x, cond), strict=True):
            assert torch.allclose(a, b)
        torch.manual_seed(1)
        rec_nb, kl_nb = nb["elbo_terms"](m_nb, x, cond)
        torch.manual_seed(1)
        rec_pkg, kl_pkg = density.elbo_terms(m_pkg, x, cond)
        assert torch.allclose(rec_nb, rec_pkg) and torch.allclose(kl_nb, kl_pkg)
        torch.manual_seed(2)
        lw_nb = nb["log_weights"](m_nb, x, 4, cond)
        torch.manual_seed(2)
        lw_pkg = density.log_weights(m_pkg, x, 4, cond)
        assert lw_pkg.shape == (6, 4) and torch.allclose(lw_nb, lw_pkg)


def test_06_digit_generators_match_the_package():
    from utils.adversarial.stacked_models import DigitGenerators

    nb = taught("06_mgan.ipynb", K=4, BETA=0.05, DC_CHANNELS=4, Z_DIM=8)
    torch.manual_seed(0)
    g_nb = nb["DigitGenerators"](3, channels=4, out_channels=3)
    g_pkg = DigitGenerators(3, z_dim=8, channels=4, out_channels=3)
    g_pkg.load_state_dict(g_nb.state_dict())
    g_nb.eval(), g_pkg.eval()
    z = torch.randn(10, 8)
    assert torch.allclose(g_nb(z), g_pkg(z))


def test_likelihoods_round_trip_and_fast_mode(tmp_path, monkeypatch):
    """02 writes its test log-likelihoods for 03; a fast run never replaces them."""
    target = tmp_path / "likelihoods.json"
    monkeypatch.delenv("GDL_FAST", raising=False)
    rows = {"independent pixels (maximum likelihood)": (-208.87, 0.0), "RBM": (-110.7, 0.77)}
    assert density.save_likelihoods("02_rbm_dbm", rows, {"EPOCHS": 60, "x": [1]}, path=target)
    entry = density.load_likelihoods("02_rbm_dbm", path=target)
    assert entry["rows"] == {k: list(v) for k, v in rows.items()}
    assert entry["params"] == {"EPOCHS": 60}  # numbers and strings only
    before = target.read_bytes()
    entry["written"] = "1999-01-01 00:00 UTC"  # a rerun with the same numbers rewrites nothing
    target.write_text(json.dumps({"02_rbm_dbm": entry}))
    same = target.read_bytes()
    assert density.save_likelihoods("02_rbm_dbm", rows, {"EPOCHS": 60}, path=target)
    assert target.read_bytes() == same != before
    monkeypatch.setenv("GDL_FAST", "1")
    assert density.save_likelihoods("02_rbm_dbm", {"RBM": (-170.0, 1.0)}, {}, path=target) is None
    assert density.load_likelihoods("02_rbm_dbm", path=target)["rows"]["RBM"] == [-110.7, 0.77]
    with pytest.raises(FileNotFoundError, match="run `python -m utils.run 05`"):
        density.load_likelihoods("05_d2gan", path=target)
    with pytest.raises(ValueError, match="finite"):
        density.save_likelihoods("02_rbm_dbm", {"RBM": (float("nan"), 0.0)}, {}, path=target)


def test_committed_likelihoods_hold_what_03_reads():
    """The committed ladder file has 02's three rows (written by a full-budget run of 02)."""
    entry = density.load_likelihoods("02_rbm_dbm")
    names = list(entry["rows"])
    assert "independent pixels (maximum likelihood)" in names
    assert any(n.startswith("RBM") for n in names) and any(n.startswith("DBM") for n in names)
    pixels = entry["rows"]["independent pixels (maximum likelihood)"][0]
    models = [ll for n, (ll, _) in entry["rows"].items() if n.startswith(("RBM", "DBM"))]
    assert all(ll > pixels for ll in models), "the RBM and the DBM beat independent pixels"
    assert entry["params"].get("EPOCHS", 0) > 3, "written by a full-budget run, not fast mode"
