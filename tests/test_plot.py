import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from utils import data, plot  # noqa: E402


def test_image_grid_variants():
    ax = plot.image_grid(torch.rand(12, 1, 28, 28), nrow=5, title="t", labels=list(range(12)))
    assert ax.get_title() == "t" and len(ax.texts) == 12
    plot.image_grid(np.random.rand(3, 8, 8))
    plot.image_grid(torch.rand(4, 3, 28, 28))
    with pytest.raises(ValueError, match="want"):
        plot.image_grid(torch.rand(4))
    plt.close("all")


def test_scatter_and_curves():
    r = data.ring()
    ax = plot.scatter_2d(
        r.sample(100), centers=r.centers, real=r.sample(100, seed=1), title="ring", lim=3
    )
    assert ax.get_title() == "ring" and ax.get_xlim() == (-3, 3)
    plot.scatter_2d(r.sample(10), colors=np.arange(10))
    ax = plot.curves({"step": [0, 1, 2], "loss": [3, 2, 1], "d": [1, 1, 1]}, title="c", logy=True)
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    ax = plot.curves({"loss": [3, 2]}, keys=["loss"])
    assert len(ax.lines) == 1
    plt.close("all")


def test_box_tree_places_every_node_and_rejects_bad_trees():
    tree = {"root": {"left": ["a", "b\nc"], "right": {"deep": ["d"]}}}
    ax = plot.box_tree(tree, title="t")
    labels = [t.get_text() for t in ax.texts]
    assert sorted(labels) == sorted(["root", "left", "right", "deep", "a", "b\nc", "d"])
    xs = {t.get_text(): t.get_position()[0] for t in ax.texts}
    assert xs["left"] == (xs["a"] + xs["b\nc"]) / 2 and xs["deep"] == xs["d"]
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="exactly one root"):
        plot.box_tree({"a": ["x"], "b": ["y"]})
    with pytest.raises(ValueError, match="no children"):
        plot.box_tree({"a": {"b": []}})
