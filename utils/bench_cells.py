"""The benchmark's cells: one (model, layout) task each, its full spec and the reference rows.

:func:`run_cell` trains one 2-D cell (all its seeds as one ensemble) and :func:`run_stacked_cell`
one stacked-MNIST cell; each is one Dask task of :func:`utils.benchmark.run_benchmark`.
:func:`cell_spec` is what names a cell's file in the :class:`~utils.results.ResultStore`: the
model's and layout's definitions, the setting and a hash of the code the cell runs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from .mixtures import LAYOUTS
from .reports import layout
from .results import ResultStore, Row, code_hash, fingerprint, provenance


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

    from .adversarial.digits import stacked_experiment
    from .adversarial.registry import build

    if layout_name != "stacked":
        raise ValueError(f"run_stacked_cell: layout must be 'stacked', got {layout_name!r}")
    torch.set_num_threads(1)
    rows = []
    for s in range(seed, seed + n_seeds):
        tic = time.perf_counter()
        m = build("stacked", model)
        ((modes, kl),) = stacked_experiment(
            [m], steps=steps, z_dim=64, lr=1e-3, seed=s, n_train=min(50_000, 64 * steps),
            n_samples=n_eval, device=device,
        ).values()  # fmt: skip
        rows.append(
            Row(model=model, layout="stacked", seed=s, steps=steps, modes=int(modes),
                kl=float(kl), wall_s=time.perf_counter() - tic).to_dict()
        )  # fmt: skip
    return rows


def cell_spec(
    family: str, key: str, layout_name: str, setting: dict[str, Any], model_spec: Any
) -> dict[str, Any]:
    """The full spec of one cell: the definitions of ``model_spec`` (the built model, stored
    under ``key``) and of the layout, the setting and the training code (its hash names the
    cell's file)."""
    model = {"key": key, "definition": fingerprint(model_spec)}
    if family == "2d":
        lay = {"key": layout_name, "definition": layout(layout_name).definition()}
        code = code_hash()
    else:
        lay = {"key": "stacked", "definition": "stacked MNIST, 1,000 modes"}
        code = code_hash(STACKED_CODE)
    return {"family": family, "model": model, "layout": lay, "setting": setting, "code": code}


def is_current(spec: dict[str, Any]) -> bool:
    """Whether a stored cell's ``spec`` is what the code would train today: the same model and
    layout definitions and training code (for its own setting). A cell from an older definition,
    or in the old format without definitions, is stale: tables ignore it, a run recomputes it."""
    from .adversarial.registry import models as registered

    family, model = spec.get("family"), spec.get("model")
    if family not in ("2d", "stacked") or not isinstance(model, dict):
        return False
    key, name = model.get("key"), spec.get("layout", {}).get("key")
    if family == "2d" and key in ("noise", "real"):
        return name in LAYOUTS and spec == {
            **spec,
            "layout": {"key": name, "definition": layout(name).definition()},
            "code": code_hash(),
        }
    known = registered(family)
    if key not in known or (family == "2d" and name not in LAYOUTS):
        return False
    return spec == cell_spec(family, key, name, spec.get("setting", {}), known[key]())


#: The code every stacked-MNIST cell runs.
STACKED_CODE = (
    "utils/adversarial/images.py",
    "utils/adversarial/digits.py",
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
