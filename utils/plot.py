"""One figure style for the whole course, and the plots notebooks share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
import torch

#: Colours of the course (seaborn's colour-blind palette).
PALETTE = sns.color_palette("colorblind")


def set_style() -> None:
    """Apply the course style: seaborn ticks, colour-blind palette, readable sizes."""
    sns.set_theme(context="notebook", style="ticks", palette="colorblind")
    plt.rcParams.update(
        {
            "figure.figsize": (6.0, 4.0),
            "figure.dpi": 90,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "image.cmap": "gray_r",
        }
    )


def image_grid(
    images: torch.Tensor | np.ndarray,
    nrow: int = 10,
    title: str | None = None,
    ax: plt.Axes | None = None,
    labels: Sequence[object] | None = None,
) -> plt.Axes:
    """Show images (N, C, H, W) or (N, H, W) in [0, 1] as a grid; ``labels`` go under each."""
    x = torch.as_tensor(np.asarray(images) if not torch.is_tensor(images) else images)
    x = x.detach().cpu().float()
    if x.ndim == 3:
        x = x[:, None]
    if x.ndim != 4:
        raise ValueError(f"image_grid: want (N, C, H, W) or (N, H, W), got {tuple(x.shape)}")
    n, c, h, w = x.shape
    ncol = min(nrow, n)
    nrows = int(np.ceil(n / ncol))
    canvas = torch.zeros(c, nrows * (h + 2), ncol * (w + 2))
    for i in range(n):
        r, q = divmod(i, ncol)
        canvas[:, r * (h + 2) + 1 : r * (h + 2) + 1 + h, q * (w + 2) + 1 : q * (w + 2) + 1 + w] = x[
            i
        ]
    if ax is None:
        _, ax = plt.subplots(figsize=(0.6 * ncol + 0.5, 0.6 * nrows + 0.5))
    if c == 1:
        ax.imshow(1 - canvas[0].clamp(0, 1), cmap="gray", vmin=0, vmax=1)
    else:
        ax.imshow(canvas.permute(1, 2, 0).clamp(0, 1).numpy())
    if labels is not None:
        for i, lab in enumerate(labels[:n]):
            r, q = divmod(i, ncol)
            ax.text(
                q * (w + 2) + w / 2,
                (r + 1) * (h + 2) - 1,
                str(lab),
                ha="center",
                va="top",
                fontsize=7,
                color="C3",
            )
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def scatter_2d(
    samples: np.ndarray,
    centers: np.ndarray | None = None,
    real: np.ndarray | None = None,
    title: str | None = None,
    ax: plt.Axes | None = None,
    colors: np.ndarray | None = None,
    lim: float | None = None,
) -> plt.Axes:
    """Generated 2-D samples over real ones, with the mode centres marked (×)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    if real is not None:
        ax.scatter(real[:, 0], real[:, 1], s=3, c="0.75", alpha=0.5, label="data", lw=0)
    kw = {"c": colors, "cmap": "tab10"} if colors is not None else {"color": PALETTE[0]}
    ax.scatter(samples[:, 0], samples[:, 1], s=3, alpha=0.6, lw=0, label="samples", **kw)
    if centers is not None:
        ax.scatter(centers[:, 0], centers[:, 1], marker="x", c="k", s=30, lw=1, label="modes")
    if lim is not None:
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def curves(
    history: Mapping[str, Sequence[float]],
    keys: Sequence[str] | None = None,
    x: str = "step",
    ax: plt.Axes | None = None,
    title: str | None = None,
    logy: bool = False,
) -> plt.Axes:
    """Training curves from a history dict (as returned by ``utils.train.train_loop``)."""
    if ax is None:
        _, ax = plt.subplots()
    keys = [k for k in (keys or history) if k != x]
    xs = history.get(x, range(len(history[keys[0]])))
    for k in keys:
        ax.plot(list(xs)[: len(history[k])], history[k], label=k)
    ax.set_xlabel(x)
    if logy:
        ax.set_yscale("log")
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return ax


set_style()


Tree = Mapping[str, "Tree"] | Sequence[str]


def box_tree(
    tree: Mapping[str, Tree], title: str | None = None, ax: plt.Axes | None = None
) -> plt.Axes:
    """Draw a nested mapping as a top-down tree of labelled boxes.

    Keys are inner nodes and their values the children: another mapping, or a list of leaf
    labels (``"\\n"`` breaks a label's lines). One top-level key is the root. Leaves are spread
    evenly along the bottom row; each inner node sits above the middle of its leaves.
    """
    if len(tree) != 1:
        raise ValueError(f"box_tree needs exactly one root, got {len(tree)}: {list(tree)}")
    nodes: list[tuple[str, int, float]] = []  # label, depth, x
    edges: list[tuple[int, int]] = []
    next_leaf = [0]

    def place(label: str, children: Tree | None, depth: int) -> int:
        index = len(nodes)
        nodes.append((label, depth, 0.0))
        if children is None:
            x = float(next_leaf[0])
            next_leaf[0] += 1
        else:
            if isinstance(children, Mapping):
                kids = [place(k, v, depth + 1) for k, v in children.items()]
            else:
                kids = [place(str(leaf), None, depth + 1) for leaf in children]
            if not kids:
                raise ValueError(f"box_tree: node {label!r} has no children")
            edges.extend((index, k) for k in kids)
            x = float(np.mean([nodes[k][2] for k in kids]))
        nodes[index] = (label, depth, x)
        return index

    ((root, children),) = tree.items()
    place(root, children, 0)
    depth = max(d for _, d, _ in nodes)
    width = next_leaf[0]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 1.45 * width), 1.2 * (depth + 1)))
    for parent, child in edges:
        (_, d0, x0), (_, d1, x1) = nodes[parent], nodes[child]
        ax.plot([x0, x1], [-d0, -d1], color="0.6", lw=1, zorder=1)
    parents = {p for p, _ in edges}
    for i, (label, d, x) in enumerate(nodes):
        leaf = i not in parents
        colour = PALETTE[min(d, len(PALETTE) - 1)]
        ax.text(
            x,
            -d,
            label,
            ha="center",
            va="center",
            fontsize=8 if leaf else 9,
            zorder=2,
            bbox={"boxstyle": "round,pad=0.3", "fc": (*colour, 0.18), "ec": colour},
        )
    ax.set(xlim=(-0.7, width - 0.3), ylim=(-depth - 0.6, 0.5))
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax
