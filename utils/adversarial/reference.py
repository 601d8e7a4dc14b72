"""Reference results: long 2-D runs in the benchmark's result store, rendered for notebooks.

A notebook's CPU default is short; what the same models do with a longer budget is computed
once by the benchmark's command into ``data/reference/<name>/`` (one cell file per model and
layout, each with its provenance, plus the noise and real-data rows) and a notebook cell
renders it with :func:`reference_table`. No long-run number is typed by hand::

    python -m utils.benchmark --out data/reference/long --steps 10000 --seeds 10 \\
        --models gan gan5d d2gan mgan --layouts ring grid --references

(``python -m utils.adversarial.reference --name long …`` is the same command.) The store is
:class:`utils.results.ResultStore`: a cell is computed once per full spec and never overwritten.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import DATA_DIR
from .experiment import Setting2D

REFERENCE_DIR = DATA_DIR / "reference"


def run_reference(
    name: str,
    models: list[str],
    setting: Setting2D,
    layouts: Sequence[str] = ("ring", "grid"),
    out_dir: Path = REFERENCE_DIR,
    command: str = "",
    progress: bool = True,
    scheduler: str = "local",
) -> Path:
    """Train each registered model on each layout in ``setting`` into ``out_dir/name``.

    The benchmark's run (:func:`utils.benchmark.run_benchmark` with ``references=True``): unknown
    names raise before anything trains and finished cells are not recomputed.
    """
    from .. import benchmark

    folder = Path(out_dir) / name
    benchmark.run_benchmark(
        list(models), list(layouts), setting=setting, out=folder, progress=progress,
        command=command or "utils.adversarial.reference.run_reference", references=True,
        scheduler=scheduler,
    )  # fmt: skip
    return folder


def load_reference(name: str, directory: Path = REFERENCE_DIR) -> dict[str, Any]:
    """The reference results ``<directory>/<name>/`` (raises a clear error if missing)."""
    from ..benchmark import load_results

    folder = Path(directory) / name
    if not (folder / "results.json").exists():
        raise FileNotFoundError(
            f"no reference results in {folder}; produce them with "
            f"`python -m utils.benchmark --out {folder} --references`"
        )
    return load_results(folder)


def reference_means(name: str, directory: Path = REFERENCE_DIR) -> Any:
    """Seed means and standard errors per (model, layout) of a reference, as numbers:
    columns ``modes``, ``covered``, ``hq``, ``w`` and each with ``_se``."""
    from ..results import rows_frame
    from ..stats import mean_se_table

    df = rows_frame(load_reference(name, directory)["rows"])
    cols = ["modes", "covered", "hq", "w"]
    return mean_se_table(df, ["model", "layout"], cols).drop(columns="seeds")


def describe_reference(name: str, model: str, layout: str, directory: Path = REFERENCE_DIR) -> str:
    """One sentence with a reference cell's numbers, as :meth:`Comparison.describe` gives."""
    ref = load_reference(name, directory)
    m = reference_means(name, directory).loc[(model, layout)]
    steps = ref["provenance"]["setting"]["steps"]
    return (
        f"{model} on the {layout} after {steps:,} steps: "
        f"{m['covered']:.1f} ± {m['covered_se']:.1f} modes covered "
        f"(VEEGAN's count {m['modes']:.1f}), high-quality share "
        f"{m['hq']:.2f} ± {m['hq_se']:.2f}"
    )


def reference_table(
    name: str, models: list[str] | None = None, directory: Path = REFERENCE_DIR
) -> tuple[Any, str]:
    """Mean ± standard error per model and layout of a reference, and its provenance line.

    Returns ``(table, caption)``; ``models`` keeps only those rows (the noise and real rows are
    always kept).
    """
    means = reference_means(name, directory)
    if models is not None:
        keep = [*models, "noise", "real"]
        means = means[[m in keep for m, _ in means.index]]
    cols = ["modes", "covered", "hq", "w"]
    table = (
        means[cols].round(2).astype(str)
        + " ± "
        + means[[f"{c}_se" for c in cols]].set_axis(cols, axis=1).round(2).astype(str)
    )
    rows = load_reference(name, directory)
    from ..results import rows_frame

    table["seeds"] = rows_frame(rows["rows"]).groupby(["model", "layout"], sort=False).size()
    p = rows["provenance"]
    s = p["setting"]
    commits = ", ".join(p.get("cell_commits", [str(p.get("commit", ""))[:12]]))
    wall = p.get("cells_wall_s", p.get("wall_s", 0))
    caption = (
        f"{s['steps']:,} steps, {s['n_seeds']} seeds, batch {s['batch']}, hidden {s['hidden']}, "
        f"lr G {s['lr_g']:g}, D {s['lr_d']:g}; {p['device']}; "
        f"{wall / 60:.0f} min of training; commit {commits}, {str(p['date'])[:10]}; "
        f"`{p['command']}`"
    )
    return table, caption


def main(argv: Sequence[str] | None = None) -> int:
    """The old command line, now the benchmark's: ``--name N`` stores into
    ``data/reference/N`` (see the module docstring)."""
    from .. import benchmark

    ap = argparse.ArgumentParser(prog="python -m utils.adversarial.reference", description=__doc__)
    ap.add_argument("--name", required=True, help="folder under data/reference/")
    ap.add_argument("--models", default="gan,gan5d,d2gan,mgan")
    ap.add_argument("--layouts", default="ring,grid")
    ap.add_argument("--steps", type=int, default=10_000)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--scheduler", default="local")
    ap.add_argument("--out", default=str(REFERENCE_DIR))
    a = ap.parse_args(argv)
    return benchmark.main(
        ["--out", str(Path(a.out) / a.name), "--models", *a.models.split(","),
         "--layouts", *a.layouts.split(","), "--steps", str(a.steps), "--seeds", str(a.seeds),
         "--seed", str(a.seed), "--device", a.device, "--scheduler", a.scheduler,
         "--references"]
    )  # fmt: skip


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
