"""Reports: the benchmark's and the references' tables, rendered from the result store.

Notebooks and the README draw their long-run tables from here (never from a command-line
module); the README's block is generated from data by :func:`readme_table` and never read back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import REFERENCE_COMMAND, ROOT
from .files import write_atomic
from .mixtures import LAYOUTS, PRESET_LAYOUTS
from .results import ResultStore, rows_frame
from .stacked_report import STACKED_BUDGET, stacked_report, stacked_table  # noqa: F401

#: The committed reference results (:data:`utils.config.REFERENCE_BUDGET`): notebooks 05-08 and
#: the README render their benchmark tables from here.
REFERENCE = ROOT / "data" / "benchmark"
README = ROOT / "README.md"
README_MARKERS = ("<!-- benchmark-table:begin -->", "<!-- benchmark-table:end -->")


def layout(name: str) -> Any:
    """The mixture of layout ``name`` (a key of :data:`utils.mixtures.LAYOUTS`)."""
    return LAYOUTS[name]


def models() -> dict[str, Any]:
    """Model key → factory of the 2-D family (:mod:`utils.adversarial.registry`): the course's
    models, their matched controls, the capacity control and the anchors (PacGAN, WGAN-GP)."""
    from .adversarial.registry import models as registered

    return registered("2d")


def summary(results: dict[str, Any]) -> Any:
    """Mean ± standard error per model and layout, as a DataFrame (index model, layout)."""
    from .stats import mean_se_table

    df = rows_frame(results["rows"])
    return mean_se_table(df, ["model", "layout"], ["covered", "modes", "hq", "w"])


def report(
    results: dict[str, Any], layout_names: Sequence[str], seed: int, seeds: int, n_eval: int
) -> str:
    """``report.md``: provenance, then one table per layout with the noise and real-data rows."""
    from .adversarial import metric_means, reference_rows

    prov = results["provenance"]
    table = summary(results)
    lines = [
        "# Mode-collapse benchmark",
        "",
        f"Command `{prov['command']}` at commit `{prov['commit'][:12]}` on {prov['device']},"
        f" {prov['date']}, {prov['wall_s']} s wall ({prov['computed_cells']} cells computed).",
        "`covered`: modes with at least a quarter of their fair share of high-quality samples"
        " (noise covers none); `modes`: VEEGAN's count; `hq`: high-quality share; `W1`:"
        " Wasserstein-1 to the data. Mean ± standard error over seeds.",
        "",
    ]
    for name in layout_names:
        mix = layout(name)
        lines += [
            f"## {name} ({len(mix.centers)} modes)",
            "",
            "| model | covered | VEEGAN modes | HQ | W1 | seeds |",
            "|---|---|---|---|---|---|",
        ]
        for (model, lay), r in table.iterrows():
            if lay != name:
                continue
            lines.append(
                f"| {model} | {r['covered']:.1f} ± {r['covered_se']:.1f} | {r['modes']:.1f} |"
                f" {r['hq']:.2f} ± {r['hq_se']:.2f} | {r['w']:.2f} ± {r['w_se']:.2f} |"
                f" {int(r['seeds'])} |"
            )
        refs = reference_rows(mix, list(range(seed, seed + seeds)), n_eval)
        for kind, ref in refs.items():
            m = metric_means(ref)
            lines.append(
                f"| *{kind}* | {m['covered']:.1f} ± {m['covered_se']:.1f} | {m['modes']:.1f} |"
                f" {m['hq']:.2f} ± {m['hq_se']:.2f} | {m['w']:.2f} ± {m['w_se']:.2f} | {seeds} |"
            )
        lines.append("")
    lines += [
        "Published numbers are quoted, not re-run (other architectures and budgets): VEEGAN Table 1"
        " (ring 8 / grid 25): GAN 1 / 3.3 modes, VEEGAN 8 / 24.6; PacGAN Table 1 (its own ring and"
        " grid): GAN 6.3 / 17.3, PacGAN4 7.8 / 24.8.",
        "",
    ]
    return "\n".join(lines)


def figure(results: dict[str, Any], layout_names: Sequence[str], path: Path) -> None:
    """One panel per layout, one row per model (the noise and real rows last): the share of modes
    covered (filled dot) and the high-quality share (hollow diamond), each mean ± se over seeds;
    a layout where the capacity control fails :data:`utils.stats.LEARNABLE` says so."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np

    from . import plot

    plot.set_style()
    table = summary(results)
    names = {**_display_names(), "noise": "noise (reference)", "real": "real data (reference)"}
    have = list(dict.fromkeys(m for m, _ in table.index))
    keys = [k for k in names if k in have] + [k for k in have if k not in names]
    y = np.arange(len(keys))[::-1]
    verdicts = _learnability(table)
    fig, axes = plt.subplots(
        1, len(layout_names), figsize=(2.4 * len(layout_names) + 1.8, 0.28 * len(keys) + 1.5),
        sharey=True, squeeze=False,
    )  # fmt: skip
    for ax, name in zip(axes[0], layout_names):
        k_modes = len(layout(name).centers)
        for yi, key in zip(y, keys):
            if (key, name) not in table.index:
                continue
            r = table.loc[(key, name)]
            ax.errorbar(r["covered"] / k_modes, yi + 0.15, xerr=r["covered_se"] / k_modes,
                        fmt="o", color="C0", ms=5, capsize=2)  # fmt: skip
            ax.errorbar(r["hq"], yi - 0.15, xerr=r["hq_se"], fmt="D", color="C1", mfc="white",
                        ms=5, capsize=2)  # fmt: skip
        n_refs = sum(k in ("noise", "real") for k in keys)  # the reference rows, last
        if n_refs:
            ax.axhline(n_refs - 0.5, color="0.7", lw=0.8)
        ax.set_xlim(-0.03, 1.03)
        ok = verdicts.get(name, (True, ""))[0]
        ax.set_title(f"{name} ({k_modes} modes)" + ("" if ok else "\nnot learnable at this budget"))
        ax.set_xlabel("share (mean ± se)")
        ax.grid(axis="x", color="0.92")
    axes[0][0].set_yticks(y, [names.get(k, k) for k in keys])
    handles = [
        plt.Line2D([], [], marker="o", color="C0", ls="", label="modes covered / modes"),
        plt.Line2D([], [], marker="D", color="C1", mfc="white", ls="", label="high-quality share"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def load_results(directory: str | Path = REFERENCE) -> dict[str, Any]:
    """``results.json`` of a benchmark folder, with every current cell of ``cells/`` merged in.

    Cells computed by several runs (the reference was computed in chunks) each carry their own
    commit, date and wall time; the rows are gathered from the cells (the newest cell of each
    model and layout), so the table never depends on which run wrote ``results.json`` last.
    """
    directory = Path(directory)
    path = directory / "results.json"
    if not path.exists():
        raise FileNotFoundError(
            f"no benchmark results in {directory}; run python -m utils.benchmark"
        )
    results = json.loads(path.read_text())
    from .bench_cells import is_current

    # the newest cell of each (model, layout) that today's code would train (stale ones ignored)
    cells = ResultStore(directory).load(keep=is_current)
    rows, commits, wall = [], set(), 0.0
    for cell in cells:
        rows += cell["rows"]
        commits.add(cell["commit"][:12])
        wall += cell["wall_s"]
    return {
        "provenance": {
            **results["provenance"],
            "cell_commits": sorted(commits),
            "cells": len(cells),
            "cells_wall_s": round(wall, 1),
        },
        "rows": rows,
    }


def _display_names() -> dict[str, str]:
    return {key: factory().name for key, factory in models().items()}


def reference_table(
    models_: Sequence[str] | None = None,
    layouts: Sequence[str] | None = None,
    metrics: Sequence[str] = ("covered", "hq"),
    directory: str | Path = REFERENCE,
) -> tuple[Any, str]:
    """The reference results as a table (rows: models; columns: layout × metric, "mean ± se").

    Returns ``(DataFrame, caption)``; the caption gives the budget and where and when the cells
    were computed. ``models_`` are benchmark keys (default: every model in the results).
    """
    import pandas as pd

    results = load_results(directory)
    table = summary(results)
    names = _display_names()
    prov = results["provenance"]
    have_models = list(dict.fromkeys(m for m, _ in table.index))
    have_layouts = list(dict.fromkeys(lay for _, lay in table.index))
    keys = list(models_) if models_ is not None else [k for k in names if k in have_models]
    keys = keys or list(names)  # nothing computed yet: every model, pending
    lays = list(layouts) if layouts else [lay for lay in LAYOUTS if lay in have_layouts]
    digits = {"covered": 1, "modes": 1, "hq": 2, "w": 2}
    out = pd.DataFrame(index=[names.get(k, k) for k in keys])
    for lay in lays:
        k_modes = len(layout(lay).centers)
        for metric in metrics:
            col = f"{lay} ({k_modes}) {metric}"
            values = []
            for key in keys:
                if (key, lay) not in table.index:
                    values.append("pending")
                    continue
                r = table.loc[(key, lay)]
                d = digits.get(metric, 2)
                values.append(f"{r[metric]:.{d}f} ± {r[f'{metric}_se']:.{d}f}")
            out[col] = values
    if not results["rows"]:
        return out, "Reference benchmark: no cell computed by today's code yet (all pending)."
    rows = pd.DataFrame(results["rows"])
    steps = sorted(set(rows.loc[~rows["model"].isin(["noise", "real"]), "steps"]))
    seeds = rows.groupby(["model", "layout"]).size()
    n_seeds = str(seeds.min()) if seeds.min() == seeds.max() else f"{seeds.min()}-{seeds.max()}"
    wall = prov.get("cells_wall_s", prov["wall_s"])
    commits = ", ".join(prov.get("cell_commits", [prov["commit"][:12]]))
    caption = (
        f"Reference benchmark: {'/'.join(map(str, steps))} steps, {n_seeds} "
        f"seeds per cell, {len(seeds)} cells; {prov['device']}, {wall / 3600:.1f} h of training in "
        f"all; code at commit(s) {commits}; `data/benchmark/` "
        f"(`{REFERENCE_COMMAND}`)."
    )
    return out, caption


def reference_contrast(
    a: str, b: str, layout_name: str, metric: str = "covered", directory: str | Path = REFERENCE
) -> str:
    """One sentence comparing models ``a`` and ``b`` (keys) on one layout of the reference results.

    The reading rule of :func:`utils.stats.read` (as in the notebooks' own tables: beyond 3
    combined standard errors and at least the minimum effect, ``hq`` normalised by the layout's
    real − noise rows); a cell not computed yet gives a sentence that says so.
    """
    from .stats import contrast

    table = summary(load_results(directory))
    names = _display_names()
    missing = [k for k in (a, b) if (k, layout_name) not in table.index]
    if missing:
        return f"{layout_name}: {', '.join(names.get(k, k) for k in missing)} pending"
    ma = {**table.loc[(a, layout_name)]}
    mb = {**table.loc[(b, layout_name)]}
    scale = None
    if metric == "hq" and {("real", layout_name), ("noise", layout_name)} <= set(table.index):
        scale = table.loc[("real", layout_name), "hq"] - table.loc[("noise", layout_name), "hq"]
    return contrast(
        names.get(a, a), ma, names.get(b, b), mb, metric, f"{layout_name}, ", scale=scale
    )


def learnability(directory: str | Path = REFERENCE) -> dict[str, tuple[bool, str]]:
    """Per computed layout of the CPU preset: whether the capacity control passes
    :data:`utils.stats.LEARNABLE` in the reference results, and its numbers."""
    return _learnability(summary(load_results(directory)))


def _learnability(table: Any) -> dict[str, tuple[bool, str]]:
    """:func:`learnability` of a :func:`summary` table."""
    from .adversarial.registry import keys as registered_keys
    from .stats import learnable

    (control,) = registered_keys("2d", roles=["capacity"])
    out = {}
    for name in PRESET_LAYOUTS["cpu"]:
        if {(control, name), ("noise", name), ("real", name)} <= set(table.index):
            c = table.loc[(control, name)]
            ok, why = learnable(
                c["covered"], len(layout(name).centers), c["hq"],
                table.loc[("noise", name), "hq"], table.loc[("real", name), "hq"],
            )  # fmt: skip
            out[name] = ok, f"{_display_names()[control]}: {why}"
    return out


def benchmark_contrasts(
    model: str,
    others: Sequence[str],
    metrics: Sequence[str] = ("covered", "hq"),
    directory: str | Path = REFERENCE,
) -> str:
    """What a notebook prints of the reference benchmark (the full table is the course's benchmark
    page and the README): the caption, then ``model`` read against each of ``others`` on every
    layout of the CPU reference (:func:`reference_contrast`), one line per layout, model, metric.
    A layout where the capacity control fails :data:`utils.stats.LEARNABLE` gets one line that
    says so instead of contrasts.
    """
    from .stats import LEARNABLE

    _, caption = reference_table([model, *others], directory=directory)
    lines = [caption]
    verdicts = learnability(directory)
    for name in PRESET_LAYOUTS["cpu"]:
        ok, why = verdicts.get(name, (True, ""))
        if not ok:
            lines.append(
                f"{name}: not learnable at this budget even without a game (the capacity control, "
                f"{why}; the bar is {LEARNABLE['covered_share']:.0%} of the modes at normalised "
                f"HQ {LEARNABLE['hq_normalised']}), so no finding is read on it"
            )
            continue
        for other in others:
            lines += [reference_contrast(model, other, name, m, directory) for m in metrics]
    return "\n".join(dict.fromkeys(lines))  # a pending cell is said once


def readme_table(directory: str | Path = REFERENCE) -> str:
    """The README's benchmark block: covered modes / high-quality share per model and layout."""
    table, caption = reference_table(
        layouts=PRESET_LAYOUTS["cpu"], metrics=("covered", "hq"), directory=directory
    )
    lays = list(dict.fromkeys(c.rsplit(" ", 1)[0] for c in table.columns))
    lines = [
        README_MARKERS[0],
        "| model | " + " | ".join(f"{lay}: covered / HQ" for lay in lays) + " |",
        "|---|" + "---|" * len(lays),
    ]
    for name, row in table.iterrows():
        cells = [f"{row[f'{lay} covered']} / {row[f'{lay} hq']}" for lay in lays]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    from .stats import LEARNABLE

    verdicts = learnability(directory)
    if verdicts:
        said = [f"{lay} ({why})" for lay, (ok, why) in verdicts.items() if ok]
        bar = (f"the capacity control covers ≥ {LEARNABLE['covered_share'] * 100:g} % of the modes"
               f" at normalised HQ ≥ {LEARNABLE['hq_normalised']:g}")  # fmt: skip
        lines += ["", f"Learnable at this budget ({bar}): " + ("; ".join(said) or "none") + "."]
        bad = [f"{lay} ({why})" for lay, (ok, why) in verdicts.items() if not ok]
        if bad:
            lines[-1] += " Not learnable, so no finding is read there: " + "; ".join(bad) + "."
    lines += ["", caption, "", paper_line(Path(directory) / "paper"), ""]
    stacked, stacked_caption = stacked_table(Path(directory) / "stacked")
    lines += ["| model | stacked MNIST: modes (of 1000) | KL to uniform |", "|---|---|---|"]
    for name, row in stacked.iterrows():
        lines.append(f"| {name} | {row['modes (of 1000)']} | {row['KL to uniform']} |")
    lines += ["", stacked_caption, README_MARKERS[1]]
    return "\n".join(lines)


def paper_line(directory: str | Path = REFERENCE / "paper") -> str:
    """The paper-scale preset's line: covered / HQ of its finished cells at PacGAN's budget, or
    "pending a GPU run" with the command that fills it."""
    from .adversarial.paper import PAPER

    command = "python -m utils.benchmark --preset paper --device cuda --out data/benchmark/paper"
    head = (
        "Paper-scale preset (PacGAN's networks, Adam 1e-4, batch 100, "
        f"{PAPER['steps']:,} steps; the ring and PacGAN's 5 × 5 grid): "
    )
    try:
        rows = [r for r in load_results(directory)["rows"] if r["steps"] >= PAPER["steps"]]
    except FileNotFoundError:
        rows = []
    if not rows:
        return head + f"pending a GPU run (`{command}`)."
    import pandas as pd

    means = pd.DataFrame(rows).groupby(["model", "layout"])[["covered", "hq"]].mean()
    cells = [f"{m} on {lay} {r.covered:.1f} / {r.hq:.2f}" for (m, lay), r in means.iterrows()]
    return head + "; ".join(cells) + f" (covered / HQ, mean over seeds; `{command}`)."


def update_readme(path: Path = README, directory: str | Path = REFERENCE) -> bool:
    """Rewrite the block between the README's markers from the reference results."""
    text = path.read_text()
    begin, end = README_MARKERS
    if begin not in text or end not in text:
        raise ValueError(f"{path} has no {begin} ... {end} block")
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    new = head + readme_table(directory) + tail
    if new != text:
        write_atomic(path, new)
    return new != text
