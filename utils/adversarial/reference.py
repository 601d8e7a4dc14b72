"""Reference results: long 2-D runs, computed once by a command and committed with provenance.

A notebook's CPU default is short; what the same models do with a longer budget is measured
by this command and stored as JSON under ``data/reference/`` — the command, commit, device,
versions, date, wall time and setting beside one row per (model, layout, seed) — and a notebook
cell renders it with :func:`reference_table`. No long-run number is typed by hand.

    python -m utils.adversarial.reference --name long --steps 10000 --seeds 10 \\
        --models gan,gan5d,d2gan,mgan

Cells are written as they finish (atomically) and a re-run skips finished cells, so a long
run can be done in chunks on a CPU.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ..config import DATA_DIR, ROOT
from .experiment import LAYOUT_DEFAULTS, REGISTRY, Setting2D

REFERENCE_DIR = DATA_DIR / "reference"


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:  # pragma: no cover - git missing
        return "unknown"


def _device_name(device: str) -> str:
    import torch

    if device.startswith("cuda"):
        return torch.cuda.get_device_name(0)
    return f"CPU ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"


def _write(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=1))
    tmp.replace(path)


def run_reference(
    name: str,
    models: list[str],
    setting: Setting2D,
    layouts: list[str] = ("ring", "grid"),  # type: ignore[assignment]
    out_dir: Path = REFERENCE_DIR,
    command: str = "",
    progress: bool = True,
) -> Path:
    """Train each registered model on each layout in ``setting``; write ``<name>.json``.

    Unknown model or layout names raise before anything trains. A cell already in the file
    (same setting) is skipped, so an interrupted run resumes where it stopped.
    """
    import torch

    from ..data import grid, ring
    from .evaluate import reference_rows
    from .loop import train_2d

    bad = [m for m in models if m not in REGISTRY]
    if bad:
        raise ValueError(f"unknown model {bad[0]!r}; choose from {', '.join(REGISTRY)}")
    mixes = {"ring": ring(), "grid": grid()}
    bad = [lay for lay in layouts if lay not in mixes]
    if bad:
        raise ValueError(f"unknown layout {bad[0]!r}; choose from ring, grid")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    cfg = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(setting).items()}
    payload: dict[str, Any] = {"provenance": {}, "rows": [], "cells": {}}
    if path.exists():
        old = json.loads(path.read_text())
        if old.get("provenance", {}).get("setting") == cfg:
            payload = old
    prov = payload["provenance"]
    prov.update(
        command=command or "python -m utils.adversarial.reference",
        commit=_commit(),
        device=_device_name(setting.device),
        versions={"python": platform.python_version(), "torch": torch.__version__},
        setting=cfg,
        layouts=LAYOUT_DEFAULTS,
        date=dt.date.today().isoformat(),
    )
    for lay in layouts:
        mix = mixes[lay]
        for kind, ref in reference_rows(mix, setting.seeds, setting.n_eval).items():
            key = f"{kind}/{lay}"
            if key not in payload["cells"]:
                _add_rows(payload, kind, lay, ref.seeds, ref.metrics, 0, 0.0)
                payload["cells"][key] = 0.0
        for m in models:
            key = f"{m}/{lay}"
            if key in payload["cells"]:
                print(f"{key}: done, skipped", flush=True)
                continue
            model = REGISTRY[m]()
            G, D = model.build(setting, setting.n_seeds)
            tic = time.perf_counter()
            r = train_2d(
                G, D, model.d_loss, model.g_loss, mix, name=model.name, d_steps=model.d_steps,
                progress=progress, **setting.train_kwargs(),
            )  # fmt: skip
            wall = time.perf_counter() - tic
            _add_rows(payload, m, lay, r.seeds, r.metrics, setting.steps, wall)
            payload["cells"][key] = round(wall, 1)
            prov["wall_s"] = round(sum(payload["cells"].values()), 1)
            _write(path, payload)
            print(f"{key}: {wall:.0f} s", flush=True)
    prov["wall_s"] = round(sum(payload["cells"].values()), 1)
    _write(path, payload)
    return path


def _add_rows(payload: dict, model: str, layout: str, seeds, metrics, steps: int, wall: float):
    for seed, row in zip(seeds, metrics.to_dict("records")):
        payload["rows"].append(
            {"model": model, "layout": layout, "seed": int(seed), "steps": steps,
             **{k: float(v) for k, v in row.items()}, "wall_s": round(wall / len(seeds), 2)}
        )  # fmt: skip


def load_reference(name: str, directory: Path = REFERENCE_DIR) -> dict[str, Any]:
    """The committed reference results ``<name>.json`` (raises a clear error if missing)."""
    path = Path(directory) / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(
            f"no reference results {path}; produce them with "
            f"`python -m utils.adversarial.reference --name {name}`"
        )
    return json.loads(path.read_text())


def reference_means(name: str, directory: Path = REFERENCE_DIR):
    """Seed means and standard errors per (model, layout) of a reference file, as numbers:
    columns ``modes``, ``covered``, ``hq``, ``w`` and each with ``_se``."""
    import pandas as pd

    from ..stats import mean_se_table

    df = pd.DataFrame(load_reference(name, directory)["rows"])
    return mean_se_table(df, ["model", "layout"], ["modes", "covered", "hq", "w"]).drop(
        columns="seeds"
    )


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


def reference_table(name: str, models: list[str] | None = None, directory: Path = REFERENCE_DIR):
    """Mean ± standard error per model and layout of a reference file, and its provenance line.

    Returns ``(table, caption)``; ``models`` keeps only those rows (the noise and real rows are
    always kept).
    """
    import pandas as pd

    from ..stats import mean_se_table

    ref = load_reference(name, directory)
    df = pd.DataFrame(ref["rows"])
    if models is not None:
        df = df[df["model"].isin([*models, "noise", "real"])]
    cols = ["modes", "covered", "hq", "w"]
    stats = mean_se_table(df, ["model", "layout"], cols)
    mean, se = stats[cols], stats[[f"{c}_se" for c in cols]].set_axis(cols, axis=1)
    table = mean.round(2).astype(str) + " ± " + se.round(2).astype(str)
    table["seeds"] = stats["seeds"]
    p = ref["provenance"]
    s = p["setting"]
    caption = (
        f"{s['steps']:,} steps, {s['n_seeds']} seeds, batch {s['batch']}, hidden {s['hidden']}, "
        f"lr G {s['lr_g']:g}, D {s['lr_d']:g}; {p['device']}; "
        f"{p.get('wall_s', 0) / 60:.0f} min of training; "
        f"commit {p['commit']}, {p['date']}; `{p['command']}`"
    )
    return table, caption


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    ap = argparse.ArgumentParser(prog="python -m utils.adversarial.reference", description=__doc__)
    ap.add_argument("--name", required=True, help="file name under data/reference/ (no .json)")
    ap.add_argument("--models", default="gan,gan5d,d2gan,mgan")
    ap.add_argument("--layouts", default="ring,grid")
    ap.add_argument("--steps", type=int, default=10_000)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--out", default=str(REFERENCE_DIR))
    a = ap.parse_args(argv)
    try:
        setting = replace(Setting2D(), steps=a.steps, n_seeds=a.seeds, seed=a.seed, device=a.device)
        args = sys.argv[1:] if argv is None else argv
        command = "python -m utils.adversarial.reference " + " ".join(args)
        run_reference(
            a.name, a.models.split(","), setting, a.layouts.split(","), Path(a.out), command
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
