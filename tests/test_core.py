import random

import numpy as np
import pytest
import torch

import utils


def test_record_prints_and_stores(capsys):
    assert utils.record("acc", np.float64(0.5)) is None
    assert utils.RECORDS["acc"] == 0.5
    assert "acc = 0.5" in capsys.readouterr().out
    with pytest.raises(ValueError, match="identifier"):
        utils.record("not a name", 1)
    with pytest.raises(TypeError, match="must be a number"):
        utils.record("x", "abc")
    with pytest.raises(ValueError, match="not finite"):
        utils.record("x", float("nan"))


def test_record_shows_one_summary_per_cell_in_ipython(monkeypatch):
    """The first record of a cell displays a line, later ones update it; a new cell starts
    a new line. Every output carries all of its cell's metrics for utils.run."""

    class Shell:
        execution_count = 1
        parent_header = {"msg_id": "a"}

    class Handle:
        def update(self, obj, raw):
            shown.append(("update", obj))

    shell, shown = Shell(), []
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)

    def display(obj, raw, display_id):
        shown.append(("display", obj))
        return Handle()

    monkeypatch.setattr("IPython.display.display", display)
    utils.record("fd", 2.0)
    assert shown[-1] == (
        "display",
        {"text/plain": "recorded: fd = 2", utils.METRIC_MIME: {"metrics": {"fd": 2.0}}},
    )
    for i in range(5):
        utils.record(f"m{i}", i, fmt=".1f")
    kind, last = shown[-1]
    assert kind == "update" and len(shown) == 6
    assert last["text/plain"] == "recorded 6 metrics (fd = 2, m0 = 0.0, m1 = 1.0, …, m4 = 4.0)"
    assert list(last[utils.METRIC_MIME]["metrics"]) == ["fd", "m0", "m1", "m2", "m3", "m4"]
    shell.parent_header = {"msg_id": "b"}  # the next cell (or the same cell run again)
    utils.record("fd", 3.0)
    assert shown[-1] == (
        "display",
        {"text/plain": "recorded: fd = 3", utils.METRIC_MIME: {"metrics": {"fd": 3.0}}},
    )


def test_budget_full_and_fast(monkeypatch, capsys):
    monkeypatch.delenv(utils.FAST_ENV, raising=False)
    assert utils.budget(EPOCHS=(20, 2)) == 20
    assert utils.budget(A=(5, 1), B=(3, 10)) == (5, 3)
    assert capsys.readouterr().out == ""
    monkeypatch.setenv(utils.FAST_ENV, "1")
    assert utils.fast_mode()
    assert utils.budget(A=(5, 1), B=(3, 10)) == (1, 3)
    assert "A 5 -> 1" in capsys.readouterr().out
    utils.budget(B=(3, 10))
    assert "no change" in capsys.readouterr().out
    with pytest.raises(TypeError, match="value, fast_value"):
        utils.budget(A=5)


def test_lazy_submodules():
    assert utils.data.__name__ == "utils.data"
    with pytest.raises(AttributeError):
        utils.nope  # noqa: B018


def test_seed_everything_repeats_numbers():
    rng = utils.seed_everything(3)
    a = (random.random(), np.random.rand(), torch.rand(1).item(), rng.random())
    rng = utils.seed_everything(3)
    assert a == (random.random(), np.random.rand(), torch.rand(1).item(), rng.random())
    with pytest.raises(ValueError, match="non-negative"):
        utils.seed_everything(-1)


def test_dataloader_seeding_repeats_order():
    ds = torch.utils.data.TensorDataset(torch.arange(20))

    def order():
        dl = torch.utils.data.DataLoader(
            ds,
            batch_size=5,
            shuffle=True,
            generator=utils.torch_generator(1),
            worker_init_fn=utils.seed_worker,
        )
        return torch.cat([b[0] for b in dl]).tolist()

    assert order() == order()
    torch.manual_seed(5)
    utils.seed_worker(0)
    x = np.random.rand()
    torch.manual_seed(5)
    utils.seed_worker(0)
    assert np.random.rand() == x


def test_get_device():
    assert utils.get_device("cpu").type == "cpu"
    assert utils.get_device().type in {"cpu", "cuda", "mps"}
    with pytest.raises(ValueError, match="unknown device"):
        utils.get_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="CUDA"):
            utils.get_device("cuda")
    if not (torch.backends.mps.is_available()):
        with pytest.raises(RuntimeError, match="MPS"):
            utils.get_device("mps")
