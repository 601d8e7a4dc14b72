"""The benchmark: Dask execution (in-process and through a scheduler address), resume, CLI."""

from __future__ import annotations

import json

import pytest
import torch

from utils import adversarial as adv
from utils import benchmark
from utils.adversarial import anchors
from utils.bench_cells import cell_spec, is_current
from utils.mixtures import ring
from utils.results import ResultStore

TINY = dict(seeds=2, steps=12, n_eval=300, progress=False)


def _numbers(results):
    return [{k: v for k, v in r.items() if k != "wall_s"} for r in results["rows"]]


@pytest.mark.slow
def test_a_cell_gives_the_same_numbers_in_process_and_on_worker_processes(tmp_path, dask_address):
    # WGAN-GP draws its interpolation weights from torch's global generator: each cell runs
    # alone on one thread with that generator seeded, so the numbers are exact anywhere
    cells = (["wgangp", "gan"], ["ring"])
    remote = benchmark.run_benchmark(*cells, out=tmp_path / "b", scheduler=dask_address, **TINY)
    setting = adv.Setting2D(n_seeds=2, steps=TINY["steps"], n_eval=TINY["n_eval"])
    here = []
    for key in cells[0]:
        here += benchmark.run_cell(benchmark.models()[key](), key, "ring", ring(), setting)
    assert len(here) == 4
    assert _numbers({"rows": here}) == _numbers(remote)
    for name in ("results.json", "report.md", "covered_vs_hq.png"):
        assert (tmp_path / "b" / name).exists()
    prov = remote["provenance"]
    assert {"command", "commit", "versions", "device", "date", "wall_s"} <= set(prov)


@pytest.mark.slow
def test_a_restarted_run_recomputes_no_finished_cell(tmp_path, monkeypatch, dask_address):
    real_models = benchmark.models

    def with_a_failure():
        def build(setting, n):  # fails in the worker, after the other cell was submitted
            raise RuntimeError("interrupted")

        return {**real_models(), "boom": lambda: adv.Model("boom", build, None, adv.gan_g_loss)}

    monkeypatch.setattr(benchmark, "models", with_a_failure)
    with pytest.raises(RuntimeError, match="interrupted"):
        benchmark.run_benchmark(
            ["gan", "boom"], ["ring"], out=tmp_path, scheduler=dask_address, **TINY
        )
    assert len(list((tmp_path / "cells").glob("gan__ring__*.json"))) == 1  # finished anyway
    monkeypatch.setattr(benchmark, "models", real_models)
    first = benchmark.run_benchmark(
        ["gan", "pacgan2"], ["ring"], out=tmp_path, scheduler=dask_address, **TINY
    )
    assert first["provenance"]["computed_cells"] == 1  # only pacgan2
    again = benchmark.run_benchmark(
        ["gan", "pacgan2"], ["ring"], out=tmp_path, scheduler=dask_address, **TINY
    )
    assert again["provenance"]["computed_cells"] == 0
    assert again["rows"] == first["rows"]
    # another budget is another cell
    more = benchmark.run_benchmark(
        ["gan"], ["ring"], out=tmp_path, scheduler=dask_address, **{**TINY, "steps": 13}
    )
    assert more["provenance"]["computed_cells"] == 1
    saved = [json.loads(p.read_text()) for p in (tmp_path / "cells").glob("gan__ring__*.json")]
    assert sorted(c["spec"]["setting"]["steps"] for c in saved) == [12, 13]


@pytest.mark.slow
def test_cli(tmp_path, capsys):
    assert benchmark.main(["--models", "nope", "--out", str(tmp_path)]) == 2
    assert "unknown model 'nope'" in capsys.readouterr().err
    assert benchmark.main(["--layouts", "moon", "--out", str(tmp_path)]) == 2
    assert benchmark.main(["--seeds", "0", "--out", str(tmp_path)]) == 2
    code = benchmark.main(
        [
            "--fast",
            "--models",
            "wgangp",
            "--layouts",
            "grid16",
            "--device",
            "cpu",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    report = (tmp_path / "report.md").read_text()
    assert "grid16 (16 modes)" in report and "| wgangp |" in report and "*noise*" in report
    rows = json.loads((tmp_path / "results.json").read_text())["rows"]
    assert {r["steps"] for r in rows} == {benchmark.FAST["steps"]} and len(rows) == benchmark.FAST[
        "seeds"
    ]


def test_anchor_losses():
    x = torch.arange(24.0).reshape(2, 6, 2)
    assert anchors.pack(x, 3).shape == (2, 2, 6)
    assert torch.equal(anchors.pack(x, 3)[0, 0], torch.tensor([0.0, 1, 2, 3, 4, 5]))
    with pytest.raises(ValueError, match="multiple"):
        anchors.pack(x, 4)
    real, fake = torch.randn(2, 8, 2), torch.randn(2, 8, 2)
    m = anchors.pacgan(2)
    D = adv.mlp([4, 8, 1], 2)
    assert torch.allclose(
        m.d_loss(D, real, fake), adv.gan_d_loss(D, real.reshape(2, 4, 4), fake.reshape(2, 4, 4))
    )
    # a linear critic with a unit-norm gradient pays no penalty
    u = torch.tensor([0.6, 0.8])

    def critic(z):
        return (z @ u).unsqueeze(-1)

    got = anchors.wgan_gp_d_loss(critic, real, fake)
    assert torch.allclose(got, critic(fake).mean((-2, -1)) - critic(real).mean((-2, -1)), atol=1e-6)

    # a quadratic critic D(z) = ‖z‖² pays a penalty: ∇D(x̂) = 2x̂, written out point by point
    def quadratic(z):
        return (z**2).sum(-1, keepdim=True)

    torch.manual_seed(3)
    got = anchors.wgan_gp_d_loss(quadratic, real, fake, lam=10.0)
    torch.manual_seed(3)
    eps = torch.rand(2, 8, 1).double()  # the interpolation weights the loss drew
    r, f = real.double(), fake.double()
    for m in range(2):
        x_hat = [eps[m, i, 0] * r[m, i] + (1 - eps[m, i, 0]) * f[m, i] for i in range(8)]
        penalty = sum((2 * float(x.norm()) - 1) ** 2 for x in x_hat) / 8
        mean_d = sum(float((f[m, i] ** 2).sum() - (r[m, i] ** 2).sum()) for i in range(8)) / 8
        assert float(got[m]) == pytest.approx(mean_d + 10.0 * penalty, rel=1e-5, abs=0)
        assert penalty > 0.1
    assert torch.allclose(anchors.wgan_g_loss(critic, fake), -critic(fake).mean((-2, -1)))
    keys = {"gan", "gan5d", "d2gan", "mgan", "kgan", "kernel_minmax", "gen"}
    assert set(benchmark.models()) >= keys | {"pacgan2", "pacgan4", "wgangp"}


def test_readme_table_is_generated_from_the_committed_reference():
    text = benchmark.README.read_text()
    begin, end = benchmark.README_MARKERS
    block = begin + text.split(begin, 1)[1].split(end, 1)[0] + end
    assert block == benchmark.readme_table(), "run python -m utils.benchmark --readme"


def test_reference_table_covers_the_acceptance_budget():
    """The committed reference: every registered 2-D model on every layout of the CPU preset,
    10 seeds per cell at the reference budget, each cell current (today's code would train it)
    and with its provenance, plus the noise and real-data rows."""
    from utils.config import REFERENCE_BUDGET

    results = benchmark.load_results()
    rows = results["rows"]
    trained = [r for r in rows if r["model"] not in ("noise", "real")]
    assert {r["steps"] for r in trained} == {REFERENCE_BUDGET["steps"]}
    cells = {(r["model"], r["layout"]) for r in rows}
    per_cell = {c: sum(1 for r in rows if (r["model"], r["layout"]) == c) for c in cells}
    assert min(per_cell.values()) >= REFERENCE_BUDGET["seeds"]
    models = [*benchmark.models(), "noise", "real"]
    assert len(models) >= 12 + 2
    wanted = {(m, lay) for m in models for lay in benchmark.PRESET_LAYOUTS["cpu"]}
    assert not wanted - cells, f"missing cells: {sorted(wanted - cells)}"
    for cell in ResultStore(benchmark.REFERENCE).load(keep=is_current):
        assert cell["commit"] and cell["date"] and cell["device"] and "command" in cell
    table, caption = benchmark.reference_table(["gan", "kgan"], layouts=["ring"])
    assert list(table.index) == ["GAN", "KGAN"] and f"{REFERENCE_BUDGET['steps']} steps" in caption
    assert all("±" in v for v in table.iloc[:, 0])


def _cell_dir(tmp_path):
    """A benchmark folder with one current GAN-on-ring cell (2 seeds) and a results.json."""
    from dataclasses import asdict

    from utils.adversarial import Setting2D

    setting = json.loads(json.dumps(asdict(Setting2D(steps=10, n_seeds=2))))
    spec = cell_spec("2d", "gan", "ring", setting, benchmark.models()["gan"]())
    row = {"model": "gan", "layout": "ring", "seed": 0, "steps": 10, "modes": 1, "covered": 1,
           "hq": 0.5, "skl": 1.0, "w": 1.0, "wall_s": 1.0}  # fmt: skip
    prov = {"command": "x", "commit": "abc", "device": "cpu", "date": "d", "wall_s": 1.0}
    (tmp_path / "results.json").write_text(json.dumps({"provenance": prov, "rows": [row]}))
    ResultStore(tmp_path).put(spec, [row, {**row, "seed": 1, "covered": 3}], prov)
    return spec, row, prov


def test_reference_table_says_pending_for_missing_cells(tmp_path):
    _cell_dir(tmp_path)
    table, caption = benchmark.reference_table(["gan", "d2gan"], ["ring"], directory=tmp_path)
    assert table.loc["GAN", "ring (8) covered"] == "2.0 ± 1.0"
    assert table.loc["D2GAN", "ring (8) covered"] == "pending"
    with pytest.raises(FileNotFoundError, match="no benchmark results"):
        benchmark.load_results(tmp_path / "nothing")


def test_stale_cells_are_not_read_as_results(tmp_path):
    """A cell trained by another model definition, other training code or in the old format
    (no definitions) is stale: tables never show its numbers, even when it is the newest."""
    spec, row, prov = _cell_dir(tmp_path)
    other = json.loads(json.dumps(spec))
    other["model"]["definition"]["d_steps"] = 7  # another model than today's GAN
    newer = {**prov, "date": "e"}  # newer than the current cell
    ResultStore(tmp_path).put(other, [{**row, "covered": 8}] * 2, newer)
    old_code = {**spec, "code": "0" * 16}
    ResultStore(tmp_path).put(old_code, [{**row, "covered": 6}] * 2, newer)
    (tmp_path / "cells" / "gan__ring.json").write_text(
        json.dumps({"spec": {"steps": 10}, "rows": [{**row, "covered": 5}] * 2, **newer})
    )
    assert [is_current(s) for s in (spec, other, old_code, {"steps": 10})] == [1, 0, 0, 0]
    table, _ = benchmark.reference_table(["gan"], ["ring"], directory=tmp_path)
    assert table.loc["GAN", "ring (8) covered"] == "2.0 ± 1.0"
    for path in (tmp_path / "cells").glob("*.json"):
        if json.loads(path.read_text())["spec"] == spec:
            path.unlink()  # only stale cells left: pending, never the stale numbers
    table, caption = benchmark.reference_table(["gan"], ["ring"], directory=tmp_path)
    assert table.loc["GAN", "ring (8) covered"] == "pending" and "all pending" in caption


@pytest.mark.slow
def test_stacked_family_runs_in_fast_mode_and_stays_pending(tmp_path, capsys, dask_address):
    out = tmp_path / "stacked"
    args = ["--family", "stacked", "--fast", "--models", "gan", "pacgan2", "--out", str(out)]
    assert benchmark.main([*args, "--scheduler", dask_address]) == 0
    results = json.loads((out / "results.json").read_text())
    assert [(r["model"], r["layout"], r["steps"]) for r in results["rows"]] == [
        ("gan", "stacked", 10),
        ("pacgan2", "stacked", 10),
    ]
    assert all(1 <= r["modes"] <= 1000 and r["kl"] >= 0 for r in results["rows"])
    assert "| pacgan2 | 10 |" in (out / "report.md").read_text()
    table, caption = benchmark.stacked_table(out)  # a fast check never fills the GPU table
    assert set(table["modes (of 1000)"]) == {"pending a GPU run"} and "26,000" in caption
    with pytest.raises(ValueError, match="unknown model 'kgan'"):
        benchmark.run_benchmark(["kgan"], ["stacked"], family="stacked", out=tmp_path / "x")
    with pytest.raises(ValueError, match="family must be"):
        benchmark.run_benchmark(["gan"], ["ring"], family="3d", out=tmp_path / "x")


def test_image_packing_and_the_stacked_models():
    from utils.adversarial import stacked_models as sm

    x = torch.arange(5 * 3 * 2 * 2, dtype=torch.float32).reshape(5, 3, 2, 2)
    packed = sm.pack_images(x, 2)
    assert packed.shape == (2, 6, 2, 2) and torch.equal(packed[1, 3:], x[3])
    from utils.adversarial.registry import models

    fam = {k: f(z_dim=8, channels=2) for k, f in models("stacked").items()}
    assert [m.name for m in fam.values()] == ["GAN", "D2GAN", "MGAN", "PacGAN2"]
    for m in fam.values():
        G, D = m.generator(3), m.discriminator(3)
        fake = G(torch.randn(8, 8))
        assert fake.shape == (8, 3, 28, 28)
        assert torch.isfinite(m.d_loss(D, fake.detach(), fake.detach())).all()
        assert torch.isfinite(m.g_loss(D, fake)).all()


def test_paper_preset_runs_pacgans_networks_in_fast_mode_on_cpu(tmp_path, capsys):
    """``--preset paper`` trains PacGAN's networks (4 × 400 batch-normed generator, 3 × 200
    maxout-5 discriminator, Adam 1e-4, β1 0.8, batch 100) through the same cells."""
    from utils.adversarial.paper import PAPER_SKIPS, paper_setting

    s = paper_setting(n_seeds=2, steps=2)
    G, D = s.generator(2), s.critic(2)
    adv.init_members([G, D], s.seeds)
    x = G(torch.randn(2, 100, 2))
    assert x.shape == (2, 100, 2) and D(x).shape == (2, 100, 1)
    assert sum(p.numel() for p in G.parameters()) == 2 * (3 * 400 + 3 * 401 * 400 + 4 * 800 + 802)
    assert sum(p.numel() for p in D.parameters()) == 2 * (3 * 1000 + 2 * 201 * 1000 + 201)
    with pytest.raises(ValueError, match="unknown field"):
        paper_setting(width=3)
    args = ["--preset", "paper", "--fast", "--steps", "2", "--n-eval", "200"]
    args += ["--models", "gan", "--layouts", "grid", "--device", "cpu", "--out", str(tmp_path)]
    assert benchmark.main(args) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    setting = results["provenance"]["setting"]
    assert setting["preset"] == "paper" and setting["hidden"] == 400 and setting["batch"] == 100
    assert setting["betas"] == [0.8, 0.999] and setting["lr_d"] == 1e-4
    assert {r["layout"] for r in results["rows"]} == {"grid"} and "flow" in PAPER_SKIPS
