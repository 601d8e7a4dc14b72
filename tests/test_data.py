import numpy as np
import pytest
import torch

from utils import data


def test_mnist5k_split_is_fixed_stratified_and_scaled():
    m = data.mnist5k()
    assert m.train.x.shape == (4000, 1, 28, 28) and m.test.x.shape == (1000, 1, 28, 28)
    assert torch.equal(torch.bincount(m.train.y), torch.full((10,), 400))
    assert torch.equal(torch.bincount(m.test.y), torch.full((10,), 100))
    assert m.train.x.min() >= 0 and m.train.x.max() <= 1 and m.train.x.max() > 0.99
    assert len(m.train) == 4000 and m.train.flat().shape == (4000, 784)
    assert set(m.test_bin.unique().tolist()) == {0.0, 1.0}
    # binarisation follows the grey levels
    assert abs(m.train_bin.mean().item() - m.train.x.mean().item()) < 0.01
    # the split is shuffled: not sorted by class
    assert (m.train.y[:400] == m.train.y[0]).float().mean() < 0.5


def test_dynamic_binarize_is_fresh_each_call_and_seedable():
    x = torch.full((1000,), 0.3)
    a, b = data.dynamic_binarize(x), data.dynamic_binarize(x)
    assert not torch.equal(a, b) and abs(a.mean().item() - 0.3) < 0.06
    g1, g2 = torch.Generator().manual_seed(1), torch.Generator().manual_seed(1)
    assert torch.equal(data.dynamic_binarize(x, g1), data.dynamic_binarize(x, g2))


def test_digits8x8():
    x, y = data.digits8x8()
    assert x.shape == (1797, 64) and y.shape == (1797,) and x.max() == 16


def test_stacked_mnist():
    x, lab = data.stacked_mnist(50, seed=1)
    assert x.shape == (50, 3, 28, 28) and lab.min() >= 0 and lab.max() <= 999
    x2, lab2 = data.stacked_mnist(50, seed=1, split="test")
    assert not torch.equal(lab, lab2)
    with pytest.raises(ValueError, match="positive"):
        data.stacked_mnist(0)
    with pytest.raises(ValueError, match="split"):
        data.stacked_mnist(3, split="val")


def test_ring_has_distinct_modes_on_the_circle():
    r = data.ring(8, radius=2.0)
    assert r.n_modes == 8 and np.allclose(np.linalg.norm(r.centers, axis=1), 2.0)
    d = np.linalg.norm(r.centers[:, None] - r.centers[None], axis=-1)
    assert d[~np.eye(8, dtype=bool)].min() > 1.0  # endpoint=False: no repeated mode
    assert np.isclose(r.std, np.sqrt(0.02))
    with pytest.raises(ValueError, match="radius"):
        data.ring(radius=-1)
    assert np.allclose(data.ring(phase=np.pi / 2).centers[0], [0.0, 2.0])


def test_grid_and_sampling():
    g = data.grid()
    assert g.n_modes == 25 and set(np.unique(g.centers)) == {-4, -2, 0, 2, 4}
    s = g.sample(5000, seed=0)
    assert s.shape == (5000, 2) and s.dtype == np.float32
    assert np.array_equal(s, g.sample(5000, seed=0))
    nearest = np.linalg.norm(s[:, None] - g.centers[None], axis=-1).min(1)
    assert np.mean(nearest < 3 * g.std) > 0.98
    with pytest.raises(ValueError):
        g.sample(0)


def test_log_prob_integrates_to_one():
    r = data.ring(4, radius=1.0, std=0.2)
    t = np.linspace(-2, 2, 201)
    xx, yy = np.meshgrid(t, t)
    pts = np.stack([xx.ravel(), yy.ravel()], 1)
    total = np.exp(r.log_prob(pts)).sum() * (t[1] - t[0]) ** 2
    assert abs(total - 1) < 1e-3


def test_other_shapes_and_names():
    assert data.moons(100).shape == (100, 2)
    assert data.spiral(100).shape == (100, 2)
    assert data.mixture("ring", n_modes=3).n_modes == 3
    with pytest.raises(ValueError, match="unknown 2-D mixture 'moon'"):
        data.mixture("moon")
    a, b = data.load("mnist5k"), data.mnist5k()
    assert torch.equal(a.train.x, b.train.x) and a.train.x is not b.train.x
    a.train.x[0] = 7.0  # editing one copy cannot change the next caller's digits
    assert data.mnist5k().train.x.max() <= 1.0
    assert data.load("digits8x8")[0].shape == (1797, 64)
    assert data.load("stacked_mnist", n=2)[0].shape == (2, 3, 28, 28)
    with pytest.raises(ValueError, match="unknown dataset 'imagenet'.*embedded: mnist5k"):
        data.load("imagenet")
    with pytest.raises(ValueError, match="unknown dataset"):
        data.load_torchvision("svhn")


def test_failed_download_names_the_embedded_alternative(monkeypatch, tmp_path):
    import torchvision

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(torchvision.datasets, "MNIST", offline)
    monkeypatch.setattr(torchvision.datasets, "CIFAR10", offline)
    with pytest.raises(data.DatasetUnavailable, match="could not download mnist.*'mnist5k'"):
        data.load("mnist", root=tmp_path)
    with pytest.raises(data.DatasetUnavailable, match="'digits8x8' or 'mnist5k'"):
        data.load_torchvision("cifar10", root=tmp_path)


def test_download_path_uses_torchvision(monkeypatch, tmp_path):
    import torchvision

    calls = {}

    def fake(root, train, download, transform):
        calls.update(root=root, train=train, download=download)
        return "dataset"

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", fake)
    assert data.load_torchvision("fashion_mnist", train=False, root=tmp_path) == "dataset"
    assert calls == {"root": str(tmp_path), "train": False, "download": True}
