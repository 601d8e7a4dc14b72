import json

import nbformat
import pytest

import utils
from utils import run
from utils.config import NOTEBOOKS_DIR
from utils.params import Choice, Int, ParameterError


def _tiny(
    path, body='utils.record("double", 2 * N)\nprint("fast" if utils.fast_mode() else "full")'
):
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell('N: int = 2  # a number\nMODE: str = "a"')
    p.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# tiny"),
        p,
        nbformat.v4.new_code_cell(
            "import utils\nfrom utils.params import Choice, Int\n"
            'utils.check_params(globals(), N=Int(min=1), MODE=Choice("a", "b"))'
        ),
        nbformat.v4.new_code_cell(body),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def test_resolve_prefixes_and_paths(tmp_path):
    first = run.list_notebooks()[0]
    assert run.resolve(["00"]) == [first] and run.resolve(["0"]) == [first]
    assert run.resolve([first.stem]) == [first]
    assert run.resolve([]) == run.list_notebooks()
    assert run.resolve([str(first)]) == [first.resolve()]
    with pytest.raises(run.RunError, match="no notebook matches '99'; available: 00_"):
        run.resolve(["99"])
    with pytest.raises(run.RunError, match="no notebook"):
        run.resolve([str(tmp_path / "x.ipynb")])


def test_declared_specs_and_validation(tmp_path):
    path = _tiny(tmp_path / "01_tiny.ipynb")
    assert run.declared_specs(path) == {"N": Int(min=1), "MODE": Choice("a", "b")}
    assert run.validate_overrides(path, [("N", "5"), ("MODE", "b")]) == {"N": 5, "MODE": "b"}
    with pytest.raises(ParameterError, match="unknown parameter NOT_A_PARAM for 01_tiny"):
        run.validate_overrides(path, [("NOT_A_PARAM", "1")])
    with pytest.raises(ParameterError, match="parameter N: expected an int, got 'two'"):
        run.validate_overrides(path, [("N", "two")])
    with pytest.raises(ParameterError, match="parameter N: must be >= 1"):
        run.validate_overrides(path, [("N", "-3")])


def test_parameter_cells_errors():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    with pytest.raises(run.RunError, match="found 0"):
        run.parameter_cells(nb)
    nb.cells[0].metadata["tags"] = ["parameters"]
    with pytest.raises(run.RunError, match="no check_params"):
        run.parameter_cells(nb)


@pytest.mark.parametrize(
    "args, message",
    [
        (["00", "-p", "NOT_A_PARAM", "1"], "unknown parameter NOT_A_PARAM"),
        (["00", "-p", "SEED", "abc"], "parameter SEED: expected an int, got 'abc'"),
        (["00", "-p", "SEED", "-1"], "parameter SEED: must be >= 0"),
        (["00", "-p", "CORPUS", "poems"], "parameter CORPUS: unknown value 'poems'"),
        (["42"], "no notebook matches '42'"),
    ],
)
def test_cli_rejects_bad_input_in_one_line(args, message, capsys, tmp_path):
    assert run.main([*args, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()  # nothing ran


def test_cli_runs_a_notebook_and_collects_metrics(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GDL_FAST", raising=False)
    path = _tiny(tmp_path / "01_tiny.ipynb")
    out = tmp_path / "out"
    assert run.main([str(path), "-p", "N", "4", "--fast", "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["01_tiny"]["double"] == 8.0 and metrics["01_tiny"]["wall_s"] > 0
    executed = nbformat.read(out / "01_tiny.ipynb", as_version=4)
    assert "fast" in executed.cells[-1].outputs[-1]["text"]
    assert "| 01_tiny | ok |" in (out / "report.md").read_text()
    assert "GDL_FAST" not in __import__("os").environ


def test_executed_notebook_has_one_metric_output_per_cell_and_no_bars(tmp_path, monkeypatch):
    """Eight metrics recorded in a loop leave one summary output, all eight reach metrics.json;
    the bars (a widget one and a plain stderr one) are gone from the executed copy."""
    monkeypatch.delenv("GDL_FAST", raising=False)
    body = (
        "import sys\nfrom tqdm import tqdm as plain\nfrom tqdm.auto import tqdm\n"
        "for i in tqdm(range(3), desc='widget bar', disable=False):\n    pass\n"
        "for i in plain(range(3), desc='stderr bar', file=sys.stderr):\n    pass\n"
        "print('warning: kept', file=sys.stderr)\n"
        "for i in range(8):\n    utils.record(f'm{i}', i / 2)\n"
        "utils.record('m0', 10.0)"
    )
    path = _tiny(tmp_path / "01_tiny.ipynb", body=body)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('utils.record("single", N)'))
    nbformat.write(nb, path)
    out = tmp_path / "out"
    assert run.main([str(path), "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())["01_tiny"]
    assert {k: metrics[k] for k in ("m0", "m1", "m7", "single")} == {
        "m0": 10.0,
        "m1": 0.5,
        "m7": 3.5,
        "single": 2.0,
    }
    executed = nbformat.read(out / "01_tiny.ipynb", as_version=4)
    loop, single = executed.cells[-2], executed.cells[-1]
    shown = [o for o in loop.outputs if utils.METRIC_MIME in o.get("data", {})]
    assert len(shown) == 1
    assert (
        shown[0]["data"]["text/plain"]
        == "recorded 8 metrics (m0 = 10, m1 = 0.5, m2 = 1, …, m7 = 3.5)"
    )
    assert [o["data"]["text/plain"] for o in single.outputs] == ["recorded: single = 2"]
    text = json.dumps([c.get("outputs", []) for c in executed.cells])
    assert "it/s" not in text and "widget bar" not in text and "stderr bar" not in text
    assert "warning: kept" in text and "widgets" not in executed.metadata


def test_strip_progress_bars_keeps_other_output():
    nb = nbformat.v4.new_notebook()
    bar = "train:  40%|####      | 800/2000 [00:01<00:02, 512.3it/s]"
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output(
            "stream", name="stderr", text=f"{bar}\rnote\n312it [00:01, 3.1it/s]\n"
        ),
        nbformat.v4.new_output("stream", name="stdout", text=f"{bar}\n"),  # stdout: not a bar
        nbformat.v4.new_output(
            "display_data", data={run.WIDGET_MIME: {"model_id": "x"}, "text/plain": bar}
        ),
    ]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"state": {}}
    assert run.strip_progress_bars(nb) == 2
    assert [o.get("text") for o in cell.outputs] == ["note\n", f"{bar}\n"]
    assert "widgets" not in nb.metadata
    assert run.strip_progress_bars(nb) == 0


def test_cli_reports_a_failing_notebook(tmp_path, capsys):
    path = _tiny(tmp_path / "02_bad.ipynb", body="raise RuntimeError('boom')")
    out = tmp_path / "out"
    assert run.main([str(path), "--out", str(out)]) == 1
    metrics = json.loads((out / "metrics.json").read_text())
    assert "boom" in metrics["02_bad"]["error"]
    assert "failed" in (out / "report.md").read_text()


def test_notebook_rejects_a_bad_override_itself(tmp_path):
    """A direct papermill run (no utils.run validation) still fails on the first check."""
    import papermill as pm

    path = _tiny(tmp_path / "03_direct.ipynb")
    with pytest.raises(pm.PapermillExecutionError, match="unknown parameter NOT_A_PARAM"):
        pm.execute_notebook(
            str(path), str(tmp_path / "o.ipynb"), parameters={"NOT_A_PARAM": 1}, progress_bar=False
        )


def test_extract_metrics_reads_recorded_outputs():
    nb = nbformat.read(NOTEBOOKS_DIR / "00_introduction.ipynb", as_version=4)
    metrics = run.extract_metrics(nb)
    assert {"gen_clf_acc", "disc_clf_acc"} <= set(metrics)


@pytest.mark.parametrize("name", ["04_gan", "05_d2gan", "06_mgan", "07_kgan", "08_gen"])
def test_2d_notebooks_share_one_setting(name):
    """04-08 declare the shared 2-D parameters with the package's defaults, and take layouts."""
    from utils import adversarial as adv

    path = NOTEBOOKS_DIR / f"{name}.ipynb"
    specs = run.declared_specs(path)
    assert set(adv.SETTING_SPECS) <= set(specs)
    nb = nbformat.read(path, as_version=4)
    ns: dict = {}
    exec(nb.cells[run.parameter_cells(nb)[0]].source, ns)  # noqa: S102 - the defaults
    for key, value in adv.setting_defaults().items():
        assert ns[key] == pytest.approx(value), f"{name}: {key} = {ns[key]}, shared {value}"
    overrides = [("RING_MODES", "10"), ("RING_RADIUS", "3"), ("GRID_SIDE", "4")]
    assert run.validate_overrides(path, overrides) == {
        "RING_MODES": 10,
        "RING_RADIUS": 3.0,
        "GRID_SIDE": 4,
    }
    with pytest.raises(ParameterError, match="GRID_SIDE"):
        run.validate_overrides(path, [("GRID_SIDE", "1")])


@pytest.mark.slow
def test_a_hanging_cell_times_out(tmp_path):
    path = _tiny(tmp_path / "05_hang.ipynb", body="import time\ntime.sleep(120)")
    (tmp_path / "out").mkdir()
    with pytest.raises(Exception, match="(?i)timed? ?out"):
        run.run_one(path, tmp_path / "out", {}, fast=True, timeout=3)


def test_write_back_replaces_the_source_atomically(tmp_path, monkeypatch):
    src = _tiny(tmp_path / "06_src.ipynb")
    executed = nbformat.read(src, as_version=4)
    executed.metadata["papermill"] = {"x": 1}
    done = tmp_path / "done.ipynb"
    nbformat.write(executed, done)
    calls = []
    real = run.write_atomic
    monkeypatch.setattr(run, "write_atomic", lambda p, t: calls.append(p) or real(p, t))
    run.write_back(done, src)
    assert calls == [src] and "papermill" not in nbformat.read(src, as_version=4).metadata
