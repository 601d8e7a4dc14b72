"""The package copies of the explicit models (``utils.density``) and the prose corpus."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from utils import data, density


def test_markov_table_is_normalised_and_recovers_a_known_chain():
    rng = np.random.default_rng(0)
    alphabet = list("ab")
    true = np.array([[0.9, 0.1], [0.2, 0.8]])  # p(next | current)
    s = ["a"]
    for _ in range(20_000):
        s.append(alphabet[rng.choice(2, p=true[alphabet.index(s[-1])])])
    P = density.fit_markov(["".join(s)], alphabet, 1, alpha=0.5)
    assert np.allclose(P.sum(-1), 1.0)
    assert np.allclose(P, true, atol=0.02)
    nats = density.log_prob_per_symbol(["".join(s)], P, alphabet)
    entropy = -(np.array([2 / 3, 1 / 3])[:, None] * true * np.log(true)).sum()  # stationary mix
    assert nats == pytest.approx(-entropy, abs=0.02)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"order": -1}, "order must be a non-negative int"),
        ({"order": 1.5}, "order must be a non-negative int"),
        ({"order": 1, "alpha": 0.0}, "alpha must be positive"),
        ({"order": 9}, "too large"),
    ],
)
def test_markov_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        density.fit_markov(["abcabc"], list("abcdefghijklmnop"), **kwargs)


def test_generate_markov_uses_only_the_alphabet():
    P = density.fit_markov(["abcabcabc"], list("abc"), 2)
    out = density.generate_markov(P, list("abc"), 30, "ab", np.random.default_rng(0))
    assert len(out) == 30 and set(out) <= set("abc") and out.startswith("ab")


def test_rbm_training_lowers_the_free_energy_of_data():
    g = torch.Generator().manual_seed(0)
    protos = torch.bernoulli(torch.full((2, 20), 0.5), generator=g)
    x = protos[torch.randint(0, 2, (400,), generator=g)]
    x = torch.where(torch.rand(x.shape, generator=g) < 0.05, 1 - x, x)  # 5% flipped pixels
    noise = torch.bernoulli(torch.full((400, 20), 0.5), generator=g)
    rbm = density.train_rbm(x, 8, "pcd", epochs=30, batch=50, seed=1, progress=False)
    assert density.free_energy(rbm, x).mean() < density.free_energy(rbm, noise).mean() - 3
    same = density.train_rbm(x, 8, "pcd", epochs=30, batch=50, seed=1, progress=False)
    assert torch.equal(rbm.W, same.W)  # seeded


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "gibbs"}, "method must be 'cd' or 'pcd'"),
        ({"epochs": 0}, "epochs must be a positive int"),
        ({"batch": 2.5}, "batch must be a positive int"),
        ({"lr": 1e30, "epochs": 5}, "non-finite"),
        ({"lr": -0.1}, "lr must be a positive finite number"),
    ],
)
def test_rbm_rejects_bad_input_and_stops_on_divergence(kwargs, message):
    x = torch.bernoulli(torch.full((100, 6), 0.5), generator=torch.Generator().manual_seed(0))
    args = {"hidden": 3, "progress": False, **kwargs}
    with pytest.raises((ValueError, FloatingPointError), match=message):
        density.train_rbm(x, **args)


def test_vae_trains_and_the_conditional_one_needs_its_labels():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(64, 784, generator=g) * 0.2
    y = torch.arange(64) % 10
    model = density.VAE(2, hidden=16)
    torch.manual_seed(0)
    before = density.log_weights(model, torch.bernoulli(x), 3).mean()
    density.fit_vae(model, x, 30, batch=32, progress=False)
    after = density.log_weights(model, torch.bernoulli(x), 3).mean()
    assert after > before + 50  # the bound rises
    cvae = density.fit_vae(density.VAE(2, 16, n_cond=10), x, 2, labels=y, progress=False)
    assert cvae.decode(torch.zeros(3, 2), torch.eye(10)[:3]).shape == (3, 784)
    with pytest.raises(ValueError, match="labels given to a VAE built with n_cond=0"):
        density.fit_vae(density.VAE(2, 16), x, 1, labels=y, progress=False)
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        density.fit_vae(density.VAE(2, 16), x, 0, progress=False)


def test_course_prose_snapshot():
    text = data.course_prose()
    assert len(text) > 50_000
    assert set(text) <= set(data.PROSE_ALPHABET)
    assert "generative" in text and "  " not in text
    assert data.load("course_prose") == text
    rebuilt = data.prose_from_notebooks()  # the builder still runs on today's notebooks
    assert set(rebuilt) <= set(data.PROSE_ALPHABET) and len(rebuilt) > 50_000
    assert math.isclose(len(rebuilt), len(text), rel_tol=0.5)
