"""The stacked-MNIST family's reports (1,000 modes): its table at the GPU budget, "pending a GPU
run" until then, and the ``report.md`` of a stacked run (:mod:`utils.reports` re-exports them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import ROOT

#: The second family, stacked MNIST (1,000 modes): the GPU budget of the reference (the
#: protocol's 26,000 samples); its models are the registry's "stacked" family.
STACKED_BUDGET = {"steps": 20000, "seeds": 3, "n_eval": 26000}


STACKED_PUBLISHED = (
    "Published, not re-run (VEEGAN's setting): DCGAN 99 modes / KL 3.40, VEEGAN 150 / 2.95,"
    " PacDCGAN2 1000 / 0.06."
)


#: Where the stacked family's results are committed.
STACKED_DIR = ROOT / "data" / "benchmark" / "stacked"


def stacked_table(directory: str | Path = STACKED_DIR) -> tuple[Any, str]:
    """Stacked-MNIST modes and KL per model at the GPU budget, or "pending a GPU run".

    Only rows at :data:`STACKED_BUDGET`'s steps or more count: a fast-mode check never fills
    the table.
    """
    import pandas as pd

    from .adversarial.registry import keys
    from .reports import load_results

    stacked_keys = keys("stacked")
    names = stacked_models_names()
    try:
        rows = pd.DataFrame(load_results(directory)["rows"])
        rows = rows[rows.steps >= STACKED_BUDGET["steps"]]
    except FileNotFoundError:
        rows = pd.DataFrame(columns=["model", "modes", "kl", "seed", "steps"])
    out = pd.DataFrame(index=[names[k] for k in stacked_keys])
    modes, kls, seeds = [], [], []
    for key in stacked_keys:
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
    from .adversarial.registry import models as registered

    return {k: f(z_dim=8, channels=2).name for k, f in registered("stacked").items()}


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
