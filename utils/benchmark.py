"""The mode-collapse benchmark: every adversarial model of the course and two standard fixes.

Each (model, layout) cell trains all its seeds as one batched ensemble in the course's shared
2-D setting (:class:`utils.adversarial.Setting2D`) and is one Dask task. Finished cells are
written atomically under ``OUT/cells/`` and skipped when the run starts again, so an
interrupted run resumes. Outputs in ``OUT``: ``results.json`` (provenance and one row per
model, layout and seed), ``report.md`` (mean ± standard error per model and layout, with the
noise and real-data rows) and ``covered_vs_hq.png``::

    python -m utils.benchmark --fast                       # a 2-minute check of everything
    python -m utils.benchmark --steps 25000 --seeds 10     # the reference budget
    python -m utils.benchmark --scheduler tcp://HOST:8786  # on an existing Dask cluster
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .config import ROOT
from .files import write_atomic
from .mixtures import LAYOUTS  # the layout registry: ring, grid, ring10, grid16
from .results import ResultStore, Row, code_hash, fingerprint, provenance, rows_frame

#: The committed reference results (25,000 steps, 10 seeds): notebooks 05-08 and the README
#: render their benchmark tables from here.
REFERENCE = ROOT / "data" / "benchmark"
README = ROOT / "README.md"
README_MARKERS = ("<!-- benchmark-table:begin -->", "<!-- benchmark-table:end -->")

#: The command's default budget for the 2-D family.
DEFAULT = {"steps": 2000, "seeds": 10, "n_eval": 2500}

#: ``--fast``: a budget that runs every cell in about two minutes on a 2-core CPU.
FAST = {"steps": 150, "seeds": 2, "n_eval": 1000}

#: The second family, stacked MNIST (1,000 modes): its models, the GPU budget of the reference
#: (the protocol's 26,000 samples) and the fast check of the code path.
STACKED_KEYS = ("gan", "d2gan", "mgan", "pacgan2")
STACKED_BUDGET = {"steps": 20000, "seeds": 3, "n_eval": 26000}
STACKED_FAST = {"steps": 10, "seeds": 1, "n_eval": 500}


def models() -> dict[str, Callable[[], Any]]:
    """Model key → factory: the course's registry and the anchors (PacGAN2/4, WGAN-GP)."""
    from .adversarial import REGISTRY
    from .adversarial.anchors import ANCHORS

    return {**REGISTRY, **ANCHORS}


def layout(name: str) -> Any:
    """The mixture of layout ``name`` (a key of :data:`LAYOUTS`)."""
    return LAYOUTS[name]


def run_cell(
    model: Any, key: str, layout_name: str, mixture: Any, setting: Any
) -> list[dict[str, Any]]:
    """Train one (model, layout) cell as one ensemble; one row per seed (a Dask task).

    The task is given the model and the mixture themselves (not their keys), so the cell trains
    what its spec names; it runs on one thread with torch's generator seeded from the setting,
    so a cell gives the same numbers on any number of workers.
    """
    import torch

    from .adversarial import compare_2d

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.manual_seed(setting.seed)
    tic = time.perf_counter()
    try:
        comparison = compare_2d(
            [model], [mixture], setting, n_snapshots=1, curve_points=1, progress=False
        )
    finally:
        torch.set_num_threads(threads)
    r = comparison[model.name, mixture.key]
    wall = (time.perf_counter() - tic) / setting.n_seeds
    return [
        Row(
            model=key,
            layout=layout_name,
            seed=int(s),
            steps=setting.steps,
            modes=int(row["modes"]),
            covered=int(row["covered"]),
            hq=float(row["hq"]),
            skl=float(row["skl"]),
            w=float(row["w"]),
            wall_s=wall,
        ).to_dict()
        for s, row in r.metrics.iterrows()
    ]


def run_stacked_cell(
    model: str, layout_name: str, seed: int, n_seeds: int, steps: int, n_eval: int, device: str
) -> list[dict[str, Any]]:
    """Train one stacked-MNIST model for each of ``n_seeds`` seeds; one row per seed (a task).

    Each seed trains on ``min(50,000, 64·steps)`` fresh stacked digits (batch 64: at most one
    pass), then classifies ``n_eval`` samples channel by channel (``modes``: distinct digit
    triples of 1,000; ``kl``: KL to the uniform distribution over them).
    """
    import torch

    from .adversarial.images import stacked_experiment
    from .adversarial.stacked_models import stacked_models

    if layout_name != "stacked":
        raise ValueError(f"run_stacked_cell: layout must be 'stacked', got {layout_name!r}")
    torch.set_num_threads(1)
    rows = []
    for s in range(seed, seed + n_seeds):
        tic = time.perf_counter()
        m = stacked_models()[model]
        ((modes, kl),) = stacked_experiment(
            [m], steps=steps, z_dim=64, lr=1e-3, seed=s, n_train=min(50_000, 64 * steps),
            n_samples=n_eval, device=device,
        ).values()  # fmt: skip
        rows.append(
            Row(model=model, layout="stacked", seed=s, steps=steps, modes=int(modes),
                kl=float(kl), wall_s=time.perf_counter() - tic).to_dict()
        )  # fmt: skip
    return rows


def cell_spec(family: str, key: str, layout_name: str, setting: dict[str, Any]) -> dict[str, Any]:
    """The full spec of one cell: the model's and the layout's definitions, the setting and the
    training code (its hash names the cell's file)."""
    if family == "2d":
        model = {"key": key, "definition": fingerprint(models()[key]())}
        lay = {"key": layout_name, "definition": layout(layout_name).definition()}
        code = code_hash()
    else:
        from .adversarial.stacked_models import stacked_models

        model = {"key": key, "definition": fingerprint(stacked_models()[key])}
        lay = {"key": "stacked", "definition": "stacked MNIST, 1,000 modes"}
        code = code_hash(STACKED_CODE)
    return {"family": family, "model": model, "layout": lay, "setting": setting, "code": code}


#: The code every stacked-MNIST cell runs.
STACKED_CODE = (
    "utils/adversarial/images.py",
    "utils/adversarial/stacked_models.py",
    "utils/metrics.py",
    "utils/classifier.py",
)


def reference_cells(
    store: ResultStore, layout_names: Sequence[str], setting: Any, command: str
) -> list[dict[str, Any]]:
    """The noise and real-data rows of each layout with the setting's seeds and sample size,
    stored as cells of ``store`` (computed once per spec)."""
    from dataclasses import asdict

    from .adversarial import reference_rows

    setting_spec = json.loads(json.dumps(asdict(setting)))
    rows: list[dict[str, Any]] = []
    for name in layout_names:
        mix = layout(name)
        for kind in ("noise", "real"):
            spec = {
                "family": "2d",
                "model": {"key": kind, "definition": kind},
                "layout": {"key": name, "definition": mix.definition()},
                "setting": setting_spec,
                "code": code_hash(),
            }
            done = store.get(spec)
            if done is None:
                ref = reference_rows(mix, setting.seeds, setting.n_eval)[kind]
                metrics = ("modes", "covered", "hq", "skl", "w")
                done = [
                    Row(kind, name, int(sd), 0, **{k: float(m[k]) for k in metrics}).to_dict()
                    for sd, m in zip(ref.seeds, ref.metrics.to_dict("records"))
                ]
                store.put(spec, done, provenance(command, setting.device, wall_s=0.0))
            rows += done
    return rows


def require_dask() -> None:
    """Stop with one line naming the extra when Dask's ``distributed`` is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ValueError(
            "benchmark: needs the 'dask' extra (distributed is not installed): "
            "pip install -e '.[dask]'"
        ) from None


def _cluster(scheduler: str, workers: int | None) -> tuple[Any, Any]:
    """A Dask client: a local cluster of one-thread worker *processes*, or an address."""
    require_dask()
    from distributed import Client, LocalCluster

    if scheduler != "local":
        return None, Client(scheduler)
    n = workers or max(1, (os.cpu_count() or 2) // 2)
    cluster = LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
    )
    return cluster, Client(cluster)


def run_benchmark(
    model_keys: Sequence[str],
    layout_names: Sequence[str],
    *,
    seeds: int = 10,
    seed: int = 0,
    steps: int = 2000,
    n_eval: int = 2500,
    device: str = "cpu",
    scheduler: str = "local",
    workers: int | None = None,
    out: str | Path = "runs/benchmark",
    progress: bool = True,
    command: str | None = None,
    family: str = "2d",
    setting: Any = None,
    references: bool = False,
) -> dict[str, Any]:
    """Run every (model, layout) cell through Dask and write the three outputs in ``out``.

    ``scheduler="local"`` starts a local cluster of ``workers`` one-thread processes (default:
    one per two cores); an address (``tcp://HOST:PORT``) submits to that cluster. A cell whose
    full spec (model and layout definitions, setting, code) is already in ``out``'s store is
    not recomputed; a new spec is a new file (:class:`utils.results.ResultStore`).
    ``setting`` (a :class:`Setting2D`) replaces the default setting with the budget above;
    ``references=True`` also stores each layout's noise and real-data rows as cells.
    Returns the ``results.json`` content.
    """
    from tqdm.auto import tqdm

    if family not in ("2d", "stacked"):
        raise ValueError(f"benchmark: family must be '2d' or 'stacked', got {family!r}")
    known = models() if family == "2d" else dict.fromkeys(STACKED_KEYS)
    known_layouts = LAYOUTS if family == "2d" else {"stacked": None}
    for key in model_keys:
        if key not in known:
            raise ValueError(f"benchmark: unknown model {key!r}; choose from {sorted(known)}")
    for name in layout_names:
        if name not in known_layouts:
            raise ValueError(
                f"benchmark: unknown layout {name!r}; choose from {sorted(known_layouts)}"
            )
    for label, value, low in (("seeds", seeds, 2), ("steps", steps, 1), ("n_eval", n_eval, 100)):
        if family == "stacked" and label == "seeds":
            low = 1  # stacked rows report one seed without a standard error
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"benchmark: {label} must be an int >= {low}, got {value!r}")
    store = ResultStore(out)
    start = time.perf_counter()
    if family == "2d":
        from dataclasses import asdict

        from .adversarial import Setting2D

        if setting is None:
            setting = Setting2D(seed=seed, n_seeds=seeds, steps=steps, n_eval=n_eval, device=device)
        seed, seeds, steps = setting.seed, setting.n_seeds, setting.steps
        n_eval, device = setting.n_eval, setting.device
        setting_spec = json.loads(json.dumps(asdict(setting)))
    else:
        setting = None
        setting_spec = {"seed": seed, "seeds": seeds, "steps": steps, "n_eval": n_eval,
                        "device": device}  # fmt: skip
    rows: list[dict[str, Any]] = []
    todo = []
    for key in model_keys:
        for name in layout_names:
            spec = cell_spec(family, key, name, setting_spec)
            done = store.get(spec)
            if done is None:
                todo.append((key, name, spec))
            else:
                rows += done
    if todo:
        cluster, client = _cluster(scheduler, workers)
        from distributed import as_completed

        try:
            futures = {}
            for key, name, spec in todo:
                if family == "2d":
                    args = (run_cell, models()[key](), key, name, layout(name), setting)
                else:
                    args = (run_stacked_cell, key, name, seed, seeds, steps, n_eval, device)
                futures[client.submit(*args, pure=False)] = (key, name, spec)
            bar = tqdm(total=len(todo), desc="benchmark cells", disable=not progress)
            failed: list[BaseException] = []
            for fut in as_completed(futures):
                key, name, spec = futures[fut]
                try:
                    cell_rows = fut.result()
                except Exception as exc:  # keep the other cells; re-raise at the end
                    failed.append(exc)
                    continue
                wall = round(sum(r["wall_s"] for r in cell_rows), 1)
                prov = provenance(command or "run_benchmark", device, wall_s=wall)
                store.put(spec, cell_rows, prov)
                rows += cell_rows
                bar.update()
            bar.close()
            if failed:
                raise failed[0]
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    rows.sort(
        key=lambda r: (model_keys.index(r["model"]), layout_names.index(r["layout"]), r["seed"])
    )
    if references and family == "2d":
        rows += reference_cells(store, layout_names, setting, command or "run_benchmark")
    results = {
        "provenance": provenance(
            command or "utils.benchmark.run_benchmark",
            device,
            wall_s=round(time.perf_counter() - start, 1),
            computed_cells=len(todo),
            seed=seed,
            n_eval=n_eval,
            setting=setting_spec,
        ),
        "rows": rows,
    }
    out = Path(out)
    write_atomic(out / "results.json", json.dumps(results, indent=1))
    if family == "stacked":
        write_atomic(out / "report.md", stacked_report(results))
        return results
    write_atomic(out / "report.md", report(results, layout_names, seed, seeds, n_eval))
    figure(results, layout_names, out / "covered_vs_hq.png")
    return results


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


STACKED_PUBLISHED = (
    "Published, not re-run (VEEGAN's setting): DCGAN 99 modes / KL 3.40, VEEGAN 150 / 2.95,"
    " PacDCGAN2 1000 / 0.06."
)


def stacked_table(directory: str | Path = REFERENCE / "stacked") -> tuple[Any, str]:
    """Stacked-MNIST modes and KL per model at the GPU budget, or "pending a GPU run".

    Only rows at :data:`STACKED_BUDGET`'s steps or more count: a fast-mode check never fills
    the table.
    """
    import pandas as pd

    names = {k: stacked_models_names()[k] for k in STACKED_KEYS}
    try:
        rows = pd.DataFrame(load_results(directory)["rows"])
        rows = rows[rows.steps >= STACKED_BUDGET["steps"]]
    except FileNotFoundError:
        rows = pd.DataFrame(columns=["model", "modes", "kl", "seed", "steps"])
    out = pd.DataFrame(index=[names[k] for k in STACKED_KEYS])
    modes, kls, seeds = [], [], []
    for key in STACKED_KEYS:
        r = rows[rows.model == key]
        if r.empty:
            modes.append("pending a GPU run")
            kls.append("pending a GPU run")
            seeds.append(0)
            continue
        modes.append(_mean_se_text(r.modes, ".0f"))
        kls.append(_mean_se_text(r.kl, ".2f"))
        seeds.append(len(r))
    out["modes (of 1000)"], out["KL to uniform"], out["seeds"] = modes, kls, seeds
    caption = (
        f"Stacked MNIST at {STACKED_BUDGET['steps']:,} steps, {STACKED_BUDGET['n_eval']:,} samples"
        " per seed (`python -m utils.benchmark --family stacked --device cuda --out "
        "data/benchmark/stacked`). " + STACKED_PUBLISHED
    )
    return out, caption


def _mean_se_text(values: Any, fmt: str) -> str:
    """``mean ± se`` over seeds; one seed gives the mean and says it has no standard error."""
    from .stats import format_mean_se

    v = list(values)
    return format_mean_se(v, fmt) if len(v) > 1 else f"{v[0]:{fmt}} (1 seed, no s.e.)"


def stacked_models_names() -> dict[str, str]:
    """Display names of the stacked family."""
    from .adversarial.stacked_models import stacked_models

    return {k: m.name for k, m in stacked_models(8, 2).items()}


def stacked_report(results: dict[str, Any]) -> str:
    """``report.md`` of a stacked-MNIST run: modes and KL per model (mean ± se over seeds)."""
    import pandas as pd

    prov = results["provenance"]
    df = pd.DataFrame(results["rows"])
    lines = [
        "# Stacked MNIST (1,000 modes)",
        "",
        f"Command `{prov['command']}` at commit `{prov['commit'][:12]}` on {prov['device']},"
        f" {prov['date']}, {prov['wall_s']} s wall.",
        "",
        "| model | steps | modes | KL to uniform | seeds |",
        "|---|---|---|---|---|",
    ]
    for (model, steps), g in df.groupby(["model", "steps"], sort=False):
        lines.append(
            f"| {model} | {steps} | {_mean_se_text(g.modes, '.0f')} |"
            f" {_mean_se_text(g.kl, '.2f')} | {len(g)} |"
        )
    lines += ["", STACKED_PUBLISHED, ""]
    return "\n".join(lines)


def figure(results: dict[str, Any], layout_names: Sequence[str], path: Path) -> None:
    """Covered modes against high-quality share, one point per seed, one panel per layout."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import pandas as pd

    from . import plot

    plot.set_style()
    df = pd.DataFrame(results["rows"])
    fig, axes = plt.subplots(
        1, len(layout_names), figsize=(4 * len(layout_names), 3.6), squeeze=False
    )
    for ax, name in zip(axes[0], layout_names):
        sub = df[df.layout == name]
        for i, (model, g) in enumerate(sub.groupby("model", sort=False)):
            ax.scatter(g.hq, g.covered, s=14, alpha=0.7, label=model, color=f"C{i % 10}")
        ax.set_title(name)
        ax.set_xlabel("high-quality share")
        ax.set_ylabel("modes covered")
    axes[0][-1].legend(frameon=False, fontsize=7, loc="center left", bbox_to_anchor=(1, 0.5))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def load_results(directory: str | Path = REFERENCE) -> dict[str, Any]:
    """``results.json`` of a benchmark folder, with every finished cell of ``cells/`` merged in.

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
    cells = ResultStore(directory).load()  # the newest cell of each (model, layout)
    if cells:
        rows, commits, wall = [], set(), 0.0
        for cell in cells:
            rows += cell["rows"]
            commits.add(cell["commit"][:12])
            wall += cell["wall_s"]
        results = {
            "provenance": {
                **results["provenance"],
                "cell_commits": sorted(commits),
                "cells": len(cells),
                "cells_wall_s": round(wall, 1),
            },
            "rows": rows,
        }
    return results


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
    lays = [lay for lay in (layouts or list(LAYOUTS)) if lay in have_layouts]
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
    rows = pd.DataFrame(results["rows"])
    steps = sorted(set(rows["steps"]))
    seeds = rows.groupby(["model", "layout"]).size()
    n_seeds = str(seeds.min()) if seeds.min() == seeds.max() else f"{seeds.min()}-{seeds.max()}"
    wall = prov.get("cells_wall_s", prov["wall_s"])
    commits = ", ".join(prov.get("cell_commits", [prov["commit"][:12]]))
    caption = (
        f"Reference benchmark: {'/'.join(map(str, steps))} steps, {n_seeds} "
        f"seeds per cell, {len(seeds)} cells; {prov['device']}, {wall / 3600:.1f} h of training in "
        f"all; code at commit(s) {commits}; `data/benchmark/` "
        "(`python -m utils.benchmark --steps 25000 --seeds 10 --out data/benchmark`)."
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


def readme_table(directory: str | Path = REFERENCE) -> str:
    """The README's benchmark block: covered modes / high-quality share per model and layout."""
    table, caption = reference_table(metrics=("covered", "hq"), directory=directory)
    lays = list(dict.fromkeys(c.rsplit(" ", 1)[0] for c in table.columns))
    lines = [
        README_MARKERS[0],
        "| model | " + " | ".join(f"{lay}: covered / HQ" for lay in lays) + " |",
        "|---|" + "---|" * len(lays),
    ]
    for name, row in table.iterrows():
        cells = [f"{row[f'{lay} covered']} / {row[f'{lay} hq']}" for lay in lays]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", caption, ""]
    stacked, stacked_caption = stacked_table(Path(directory) / "stacked")
    lines += ["| model | stacked MNIST: modes (of 1000) | KL to uniform |", "|---|---|---|"]
    for name, row in stacked.iterrows():
        lines.append(f"| {name} | {row['modes (of 1000)']} | {row['KL to uniform']} |")
    lines += ["", stacked_caption, README_MARKERS[1]]
    return "\n".join(lines)


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


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: see the module docstring and ``--help``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils.benchmark", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--models", nargs="+", default=None, help="model keys (default: all)")
    parser.add_argument("--layouts", nargs="+", default=None, help="layouts (default: all)")
    parser.add_argument("--seeds", type=int, default=None, help="seeds per cell (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--steps", type=int, default=None, help="generator steps (default 2000)")
    parser.add_argument("--n-eval", type=int, default=None, help="samples per seed (default 2500)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="device")
    parser.add_argument("--scheduler", default="local", help="'local' or a Dask scheduler address")
    parser.add_argument("--out", default="runs/benchmark", help="output folder")
    parser.add_argument("--fast", action="store_true", help="a small budget that checks everything")
    parser.add_argument(
        "--family", default="2d", choices=["2d", "stacked"],
        help="2d mixtures (default) or stacked MNIST, 1,000 modes: a GPU budget",
    )  # fmt: skip
    parser.add_argument(
        "--readme", action="store_true", help="only rewrite README.md's table from data/benchmark"
    )
    parser.add_argument(
        "--references", action="store_true", help="also store the noise and real-data rows"
    )
    args = parser.parse_args(argv)
    if args.readme:
        changed = update_readme()
        print("README.md " + ("updated" if changed else "already up to date"))
        return 0
    device = args.device
    if device == "auto":
        import torch

        device = "cuda" if torch.cuda.is_available() else "cpu"
    # the budget: what is given on the command line, else --fast's, else the family's default
    if args.family == "stacked":
        base = STACKED_FAST if args.fast else STACKED_BUDGET
    else:
        base = FAST if args.fast else DEFAULT
    given = {"steps": args.steps, "seeds": args.seeds, "n_eval": args.n_eval}
    budget = {k: base[k] if v is None else v for k, v in given.items()}
    steps, seeds, n_eval = budget["steps"], budget["seeds"], budget["n_eval"]
    try:
        default_models = list(models()) if args.family == "2d" else list(STACKED_KEYS)
        default_layouts = list(LAYOUTS) if args.family == "2d" else ["stacked"]
        results = run_benchmark(
            args.models or default_models,
            args.layouts or default_layouts,
            family=args.family,
            seeds=seeds,
            seed=args.seed,
            steps=steps,
            n_eval=n_eval,
            device=device,
            scheduler=args.scheduler,
            out=args.out,
            references=args.references,
            command="python -m utils.benchmark "
            + " ".join(argv if argv is not None else sys.argv[1:]),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{len(results['rows'])} rows in {results['provenance']['wall_s']} s; outputs in {args.out}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
