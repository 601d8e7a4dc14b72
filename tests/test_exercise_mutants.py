"""Every exercise's check accepts the solution and rejects plausible wrong answers.

Each case runs a notebook's check cell after defining the exercise's function with a *mutant*
body — a mistake a student could make — and expects the check to fail; the unmodified solution
must pass. The checks run in a small namespace (NumPy, torch, the package), without executing
the rest of the notebook.
"""

from __future__ import annotations

import math

import nbformat
import numpy as np
import pytest
import torch
from torch.nn import functional as F

from utils import assignments, density
from utils.config import NOTEBOOKS_DIR

#: notebook -> exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, dict[str, str]]] = {
    "09_applications": {
        "auroc": {
            "ties ignored": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    return float((abnormal[:, None] > normal[None, :]).mean())
""",
            "direction swapped": """
def auroc(normal, abnormal):
    normal, abnormal = np.asarray(normal, float), np.asarray(abnormal, float)
    greater = (normal[:, None] > abnormal[None, :]).mean()
    return float(greater + 0.5 * (normal[:, None] == abnormal[None, :]).mean())
""",
            "scikit-learn called": """
def auroc(normal, abnormal):
    import sklearn.metrics
    y = np.r_[np.zeros(len(normal)), np.ones(len(abnormal))]
    return sklearn.metrics.roc_auc_score(y, np.r_[normal, abnormal])
""",
        },
        "exact_fill": {
            "missing pixels taken as 0": """
def exact_fill(rbm, v_obs, observed):
    H = rbm.W.shape[1]
    hs = torch.tensor([[(s >> j) & 1 for j in range(H)] for s in range(2**H)], dtype=rbm.W.dtype)
    act_m = hs @ rbm.W[~observed].T + rbm.b[~observed]
    log_h = hs @ rbm.c + hs @ (rbm.W[observed].T @ v_obs)
    return torch.softmax(log_h, 0) @ torch.sigmoid(act_m)
""",
            "one mean-field step": """
def exact_fill(rbm, v_obs, observed):
    ph = torch.sigmoid(rbm.c + v_obs @ rbm.W[observed])
    return torch.sigmoid(rbm.b[~observed] + rbm.W[~observed] @ ph)
""",
            "hidden biases forgotten": """
def exact_fill(rbm, v_obs, observed):
    H = rbm.W.shape[1]
    hs = torch.tensor([[(s >> j) & 1 for j in range(H)] for s in range(2**H)], dtype=rbm.W.dtype)
    act_m = hs @ rbm.W[~observed].T + rbm.b[~observed]
    log_h = hs @ (rbm.W[observed].T @ v_obs) + F.softplus(act_m).sum(1)
    return torch.softmax(log_h, 0) @ torch.sigmoid(act_m)
""",
        },
        "c_transform": {
            "max instead of min": """
def c_transform(xs, ys, f_ys, gamma):
    total = gamma * np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) - np.asarray(f_ys)[None]
    j = total.argmax(1)
    return total[np.arange(len(xs)), j], np.asarray(ys)[j]
""",
            "gamma left out": """
def c_transform(xs, ys, f_ys, gamma):
    total = np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) - np.asarray(f_ys)[None]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], np.asarray(ys)[j]
""",
            "plus F": """
def c_transform(xs, ys, f_ys, gamma):
    total = gamma * np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) + np.asarray(f_ys)[None]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], np.asarray(ys)[j]
""",
            "index instead of point": """
def c_transform(xs, ys, f_ys, gamma):
    total = gamma * np.abs(np.asarray(xs)[:, None] - np.asarray(ys)[None]) - np.asarray(f_ys)[None]
    j = total.argmin(1)
    return total[np.arange(len(xs)), j], j.astype(float)
""",
        },
    },
}


def _exercises(stem: str) -> dict[str, tuple[str, str]]:
    """Exercise function name -> (exercise cell source, check cell source)."""
    nb = nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    out = {}
    for i, j in assignments.exercise_pairs(nb):
        src = nb.cells[i].source
        name = src.split("def ", 1)[1].split("(", 1)[0]
        out[name] = (src, nb.cells[j].source)
    return out


def _run(function_source: str, check_source: str) -> None:
    ns = {"np": np, "torch": torch, "F": F, "dm": density, "math": math}
    exec(function_source, ns)  # noqa: S102 - our own test sources
    exec(check_source, ns)  # noqa: S102


CASES = [
    (stem, fn, mutant)
    for stem, fns in MUTANTS.items()
    for fn, mutants in fns.items()
    for mutant in mutants
]


@pytest.mark.parametrize("stem", sorted(MUTANTS))
def test_every_exercise_has_mutants_and_the_solution_passes(stem):
    exercises = _exercises(stem)
    assert set(exercises) == set(MUTANTS[stem]), "each exercise needs its mutants here"
    for fn, (solution, check) in exercises.items():
        assert len(MUTANTS[stem][fn]) >= 2, f"{fn}: at least two wrong answers"
        _run(solution, check)


@pytest.mark.parametrize(("stem", "fn", "mutant"), CASES, ids=[f"{s}-{f}-{m}" for s, f, m in CASES])
def test_check_rejects_the_mutant(stem, fn, mutant):
    _, check = _exercises(stem)[fn]
    with pytest.raises(AssertionError):
        _run(MUTANTS[stem][fn][mutant], check)
