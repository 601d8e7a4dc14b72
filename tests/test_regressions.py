"""Issue 27's five bugs, each pinned by a test that failed on the code before its fix."""

from __future__ import annotations

import json

import pytest

from utils import adversarial as adv
from utils import benchmark
from utils.data import ring

TINY_SETTING = dict(n_seeds=2, steps=2, batch=16, hidden=8, n_eval=200)


def test_two_layouts_of_one_kind_keep_both_results():
    s = adv.Setting2D(**TINY_SETTING)
    a, b = ring(), ring(10, 3.0, 0.1)
    assert a.key != b.key
    cmp = adv.compare_2d([adv.gan()], [a, b], s, progress=False)
    assert len(cmp.results) == 2
    assert cmp["GAN", a.key].mixture.n_modes == 8 and cmp["GAN", b.key].mixture.n_modes == 10
    table = cmp.table()
    assert sorted(d for m, d in table.index if m == "GAN") == sorted([a.key, b.key])
    # the notebooks' own names still work for the notebook's pair
    assert cmp.describe("GAN", a.key).startswith("GAN on the ring")


def test_a_layout_registry_rejects_a_duplicate_key():
    from utils import mixtures

    with pytest.raises(ValueError, match="duplicate layout key 'ring'"):
        mixtures.layout_registry([mixtures.ring(), mixtures.ring(10, 3.0, 0.1, key="ring")])
    with pytest.raises(ValueError, match="two layouts share the key 'ring'"):
        adv.compare_2d(
            [adv.gan()],
            [ring(), ring(10, key="ring")],
            adv.Setting2D(**TINY_SETTING),
            progress=False,
        )


def test_one_seed_is_refused_before_training():
    with pytest.raises(ValueError, match="n_seeds: must be >= 2, got 1 .a standard error"):
        adv.Setting2D(n_seeds=1)
    from utils.params import ParameterError, check_params

    ns = {"N_SEEDS": 1}
    with pytest.raises(ParameterError):
        check_params(ns, N_SEEDS=adv.SETTING_SPECS["N_SEEDS"])


def _capture(monkeypatch):
    seen: dict = {}

    def fake(*args, **kwargs):
        seen.update(kwargs)
        return {"rows": [], "provenance": {"wall_s": 0}}

    monkeypatch.setattr(benchmark, "run_benchmark", fake)
    return seen


def test_benchmark_flags_are_parsed_not_sniffed(monkeypatch, tmp_path):
    seen = _capture(monkeypatch)
    out = ["--out", str(tmp_path)]
    assert benchmark.main(["--family", "stacked", "--steps=100", *out]) == 0
    assert seen["steps"] == 100 and seen["seeds"] == benchmark.STACKED_BUDGET["seeds"]
    assert benchmark.main(["--fast", "--steps", "50", *out]) == 0
    assert seen["steps"] == 50 and seen["seeds"] == benchmark.FAST["seeds"]
    assert benchmark.main(["--family", "stacked", "--fast", "--seeds", "2", *out]) == 0
    assert seen["seeds"] == 2 and seen["steps"] == benchmark.STACKED_FAST["steps"]


@pytest.mark.slow
def test_the_benchmark_command_runs_kgan_with_the_reference_rows(tmp_path, dask_address):
    """KGAN (a model with an inner solve and no d_loss) runs through the one long-run command,
    with the noise and real-data rows (the old reference command failed after accepting it)."""
    args = ["--models", "kgan", "--layouts", "ring", "--steps", "2", "--seeds", "2"]
    args += ["--n-eval", "200", "--references", "--scheduler", dask_address]
    assert benchmark.main([*args, "--out", str(tmp_path)]) == 0
    rows = benchmark.load_results(tmp_path)["rows"]
    assert {r["model"] for r in rows} == {"kgan", "noise", "real"}


TINY = dict(seeds=2, steps=3, n_eval=200, progress=False)


@pytest.mark.slow
def test_a_changed_definition_is_a_new_cell_and_no_file_is_overwritten(
    tmp_path, monkeypatch, dask_address
):
    def cell_files():
        return {p.name: p.read_bytes() for p in (tmp_path / "cells").glob("*.json")}

    benchmark.run_benchmark(["gan"], ["ring"], out=tmp_path, scheduler=dask_address, **TINY)
    first = cell_files()
    assert len(first) == 1
    again = benchmark.run_benchmark(["gan"], ["ring"], out=tmp_path, scheduler=dask_address, **TINY)
    assert again["provenance"]["computed_cells"] == 0
    # another budget: another file, the first untouched
    benchmark.run_benchmark(
        ["gan"], ["ring"], out=tmp_path, scheduler=dask_address, **{**TINY, "steps": 4}
    )
    files = cell_files()
    assert len(files) == 2 and all(files[k] == v for k, v in first.items())
    # the same key with another layout definition: recomputed
    monkeypatch.setitem(benchmark.LAYOUTS, "ring", ring(8, 2.5, key="ring"))
    changed = benchmark.run_benchmark(
        ["gan"], ["ring"], out=tmp_path, scheduler=dask_address, **TINY
    )
    assert changed["provenance"]["computed_cells"] == 1
    # the same key with another model definition: recomputed
    real_models = benchmark.models

    def other_gan():
        return {**real_models(), "gan": lambda: adv.gan(d_steps=2, name="GAN", key="gan")}

    monkeypatch.setattr(benchmark, "models", other_gan)
    changed = benchmark.run_benchmark(
        ["gan"], ["ring"], out=tmp_path, scheduler=dask_address, **TINY
    )
    assert changed["provenance"]["computed_cells"] == 1
    files = cell_files()
    assert len(files) == 4 and all(files[k] == v for k, v in first.items())
    for text in files.values():
        spec = json.loads(text)["spec"]
        assert {"model", "layout", "setting"} <= set(spec)


def test_the_benchmark_names_its_extra_when_dask_is_missing(monkeypatch, capsys, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    assert (
        benchmark.main(["--fast", "--models", "gan", "--layouts", "ring", "--out", str(tmp_path)])
        == 2
    )
    assert "needs the 'dask' extra" in capsys.readouterr().err


def test_the_declared_python_is_the_tested_one():
    import tomllib

    from utils.config import ROOT

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["requires-python"] == ">=3.11"
    deps = " ".join(meta["dependencies"])
    assert "distributed" not in deps and "nbgrader" not in deps
    extras = meta["optional-dependencies"]
    assert any("distributed" in d for d in extras["dask"])
    assert any("nbgrader" in d for d in extras["grade"])
