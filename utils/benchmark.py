"""The mode-collapse benchmark: every adversarial model of the course and two standard fixes.

Each (model, layout) cell trains all its seeds as one batched ensemble in the course's shared
2-D setting (:class:`utils.adversarial.Setting2D`) and is one Dask task. Finished cells are
written atomically under ``OUT/cells/`` and skipped when the run starts again, so an
interrupted run resumes. Outputs in ``OUT``: ``results.json`` (provenance and one row per
model, layout and seed), ``report.md`` (mean ± standard error per model and layout, with the
noise and real-data rows) and ``covered_vs_hq.png``::

    python -m utils.benchmark --fast                       # a 2-minute check of everything
    python -m utils.benchmark --steps 5000 --seeds 10 --references  # the reference budget
    python -m utils.benchmark --scheduler tcp://HOST:8786  # on an existing Dask cluster
    python -m utils.benchmark --preset paper --device cuda # PacGAN's networks and budget (GPU)
    python -m utils.benchmark --preset paper --fast        # a CPU check of that path
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .bench_cells import (  # noqa: F401 (re-exported: the tasks Dask runs)
    STACKED_CODE,
    cell_spec,
    reference_cells,
    run_cell,
    run_stacked_cell,
)
from .config import FAST_BUDGETS
from .files import write_atomic
from .mixtures import LAYOUTS, PRESET_LAYOUTS  # the layout registry
from .reports import (  # noqa: F401 (the tables, re-exported for old callers)
    README,
    README_MARKERS,
    REFERENCE,
    STACKED_BUDGET,
    figure,
    layout,
    load_results,
    models,
    readme_table,
    reference_contrast,
    reference_table,
    report,
    stacked_report,
    stacked_table,
    summary,
    update_readme,
)
from .results import ResultStore, provenance

#: The command's default budget for the 2-D family.
DEFAULT = {"steps": 2000, "seeds": 10, "n_eval": 2500}

#: ``--fast``: a budget that runs every cell in about two minutes on a 2-core CPU.
FAST = FAST_BUDGETS["benchmark"]

#: The paper-scale preset's budget (:mod:`utils.adversarial.paper`: PacGAN's ≈ 400,000 steps);
#: its cells are stored under ``data/benchmark/paper`` and read "pending a GPU run" until then.
PAPER_BUDGET = {"steps": 400_000, "seeds": 10, "n_eval": 2500}

#: The fast check of the stacked-MNIST code path.
STACKED_FAST = FAST_BUDGETS["stacked"]


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
    from .adversarial.registry import models as registered

    known = models() if family == "2d" else registered("stacked")
    known_layouts = LAYOUTS if family == "2d" else {"stacked": None}
    for key in model_keys:
        if key not in known:
            raise ValueError(f"benchmark: unknown model {key!r}; choose from {sorted(known)}")
    for name in layout_names:
        if name not in known_layouts:
            raise ValueError(
                f"benchmark: unknown layout {name!r}; choose from {sorted(known_layouts)}"
            )
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ValueError(f"benchmark: workers must be an int >= 1, got {workers!r}")
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
            built = known[key]()  # the model spec the cell trains and is named by
            spec = cell_spec(family, key, name, setting_spec, built)
            done = store.get(spec)
            if done is None:
                todo.append((key, name, spec, built))
            else:
                rows += done
    if todo:
        cluster, client = _cluster(scheduler, workers)
        from distributed import as_completed

        try:
            futures = {}
            for key, name, spec, built in todo:
                if family == "2d":
                    args = (run_cell, built, key, name, layout(name), setting)
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
    parser.add_argument(
        "--workers", type=int, default=None,
        help="local one-thread worker processes (default: one per two cores)",
    )  # fmt: skip
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
    parser.add_argument(
        "--preset", default="cpu", choices=sorted(PRESET_LAYOUTS),
        help="cpu: the shared setting (default); paper: PacGAN's networks and budget (a GPU run)",
    )  # fmt: skip
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
    elif args.preset == "paper":
        base = FAST if args.fast else PAPER_BUDGET
    else:
        base = FAST if args.fast else DEFAULT
    given = {"steps": args.steps, "seeds": args.seeds, "n_eval": args.n_eval}
    budget = {k: base[k] if v is None else v for k, v in given.items()}
    steps, seeds, n_eval = budget["steps"], budget["seeds"], budget["n_eval"]
    try:
        from .adversarial.registry import keys

        default_models = keys(args.family)
        if args.preset == "paper" and args.family == "2d":
            from .adversarial.paper import PAPER_SKIPS

            default_models = [k for k in default_models if k not in PAPER_SKIPS]
        default_layouts = list(PRESET_LAYOUTS[args.preset]) if args.family == "2d" else ["stacked"]
        setting = None
        if args.preset == "paper" and args.family == "2d":
            from .adversarial.paper import paper_setting

            setting = paper_setting(
                seed=args.seed, n_seeds=seeds, steps=steps, n_eval=n_eval, device=device
            )
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
            workers=args.workers,
            out=args.out,
            references=args.references,
            setting=setting,
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
