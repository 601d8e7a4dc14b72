import math

import pytest
import torch

from utils import train


def test_atomic_save_and_load(tmp_path):
    p = train.save_checkpoint(tmp_path / "sub" / "c.pt", {"a": torch.ones(2), "step": 3})
    assert train.load_checkpoint(p)["step"] == 3
    assert [f.name for f in p.parent.iterdir()] == ["c.pt"]  # no temporary left
    with pytest.raises(FileNotFoundError):
        train.load_checkpoint(tmp_path / "missing.pt")


def test_failed_save_leaves_previous_checkpoint(tmp_path):
    p = train.save_checkpoint(tmp_path / "c.pt", {"step": 1})
    with pytest.raises(Exception):  # noqa: B017 - a lambda cannot be pickled
        train.save_checkpoint(p, {"step": 2, "bad": lambda: 0})
    assert train.load_checkpoint(p)["step"] == 1
    assert [f.name for f in tmp_path.iterdir()] == ["c.pt"]


def test_check_finite_message(tmp_path):
    train.check_finite({"loss": 1.0}, 0)
    with pytest.raises(train.TrainingDiverged, match="loss = nan at step 7; no checkpoint"):
        train.check_finite({"loss": math.nan}, 7)
    ck = train.save_checkpoint(tmp_path / "c.pt", {"step": 1})
    with pytest.raises(train.TrainingDiverged, match="last good checkpoint is kept"):
        train.check_finite({"g": math.inf}, 2, ck)


def _setup():
    torch.manual_seed(0)
    model = torch.nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.linspace(-1, 1, 32)[:, None]

    def step(i):
        loss = ((model(x) - 3 * x) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return {"loss": loss.item()}

    return model, opt, step


def test_train_loop_history_and_resume(tmp_path):
    model, opt, step = _setup()
    ck = tmp_path / "run.pt"
    hist = train.train_loop(
        step,
        20,
        modules={"model": model, "opt": opt},
        checkpoint=ck,
        checkpoint_every=5,
        log_every=5,
        progress=False,
    )
    assert hist["step"] == [0, 5, 10, 15, 19] and hist["loss"][-1] < hist["loss"][0]
    assert train.load_checkpoint(ck)["step"] == 20
    model2, opt2, step2 = _setup()
    hist2 = train.train_loop(
        step2,
        25,
        modules={"model": model2, "opt": opt2},
        checkpoint=ck,
        resume=True,
        progress=False,
    )
    assert hist2["step"] == [0, 5, 10, 15, 19, 20, 21, 22, 23, 24]  # the saved history goes on
    assert train.resume_if_present(None, {}) == 0
    with pytest.raises(KeyError, match="no entry"):
        train.resume_if_present(ck, {"other": model})


def test_nan_stops_training_and_keeps_last_good_checkpoint(tmp_path):
    model, opt, step = _setup()
    ck = tmp_path / "run.pt"

    def step_nan(i):
        out = step(i)
        return {"loss": math.nan} if i == 7 else out

    with pytest.raises(train.TrainingDiverged, match="step 7.*kept at"):
        train.train_loop(
            step_nan,
            20,
            modules={"model": model},
            checkpoint=ck,
            checkpoint_every=5,
            progress=False,
        )
    assert train.load_checkpoint(ck)["step"] == 5


def test_train_loop_rejects_bad_arguments():
    with pytest.raises(ValueError, match="steps"):
        train.train_loop(lambda i: {}, -1)
    with pytest.raises(ValueError, match="modules"):
        train.train_loop(lambda i: {}, 1, checkpoint="x.pt")


def test_an_interrupted_run_resumes_exactly(tmp_path):
    """10 steps, stop, resume to 20 = 20 steps in one go: parameters, history, random stream."""

    def setup():
        torch.manual_seed(0)
        model = torch.nn.Linear(1, 1)
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        gen = torch.Generator().manual_seed(1)

        def step(i):
            x = torch.randn(16, 1, generator=gen)  # each step draws fresh data
            loss = ((model(x) - 3 * x) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            return {"loss": loss.item()}

        return model, {"model": model, "opt": opt, "gen": gen}, step

    model, modules, step = setup()
    whole = train.train_loop(step, 20, progress=False)
    ck = tmp_path / "run.pt"
    model2, modules2, step2 = setup()
    train.train_loop(step2, 10, modules=modules2, checkpoint=ck, progress=False)
    model3, modules3, step3 = setup()  # a fresh process: new objects, same seeds
    resumed = train.train_loop(
        step3, 20, modules=modules3, checkpoint=ck, resume=True, progress=False
    )
    assert resumed == whole
    for a, b in zip(model.parameters(), model3.parameters()):
        assert torch.equal(a, b)
