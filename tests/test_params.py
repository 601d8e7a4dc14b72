import pytest

from utils.params import (
    Bool,
    Choice,
    Float,
    Int,
    ParameterError,
    Spec,
    Str,
    check_params,
    specs_from_source,
)


def test_int_checks_type_and_bounds():
    assert Int(min=1).check("N", 3) == 3
    with pytest.raises(ParameterError, match="parameter N: must be >= 1"):
        Int(min=1).check("N", 0)
    with pytest.raises(ParameterError, match="must be <= 5"):
        Int(max=5).check("N", 6)
    with pytest.raises(ParameterError, match="expected an int"):
        Int().check("N", 2.5)
    with pytest.raises(ParameterError, match="expected an int"):
        Int().check("N", True)
    assert Int(min=0).parse("N", " 7 ") == 7
    with pytest.raises(ParameterError, match="expected an int, got 'abc'"):
        Int().parse("N", "abc")
    assert Int(min=1, max=3).describe() == "int >= 1 <= 3"


def test_float_accepts_ints_and_rejects_nan():
    assert Float(min=0.0).check("LR", 1) == 1.0
    assert isinstance(Float().check("LR", 1), float)
    with pytest.raises(ParameterError, match="finite"):
        Float().check("LR", float("nan"))
    with pytest.raises(ParameterError, match="expected a float"):
        Float().check("LR", "0.1")
    with pytest.raises(ParameterError, match="expected a float"):
        Float().parse("LR", "fast")
    assert Float(max=1.0).parse("LR", "0.5") == 0.5
    with pytest.raises(ParameterError, match="<= 1.0"):
        Float(max=1.0).parse("LR", "2")


def test_bool_and_str():
    assert Bool().check("F", True) is True
    with pytest.raises(ParameterError, match="expected a bool"):
        Bool().check("F", 1)
    assert Bool().parse("F", "yes") is True and Bool().parse("F", "0") is False
    with pytest.raises(ParameterError, match="expected a bool"):
        Bool().parse("F", "maybe")
    assert Str().parse("S", "x") == "x"
    with pytest.raises(ParameterError, match="expected a str"):
        Str().check("S", 3)


def test_choice():
    c = Choice("ring", "grid")
    assert c.check("D", "ring") == "ring" and c.parse("D", " grid") == "grid"
    with pytest.raises(ParameterError, match="unknown value 'moon'; choose one of ring, grid"):
        c.check("D", "moon")
    with pytest.raises(ParameterError, match="expected a str"):
        c.check("D", 1)
    assert c == Choice("ring", "grid") and hash(c) == hash(Choice("ring", "grid"))
    assert "ring" in repr(c) and c.describe() == "one of ring, grid"
    with pytest.raises(TypeError):
        Choice()


def test_base_spec_is_abstract():
    with pytest.raises(NotImplementedError):
        Spec().check("X", 1)
    with pytest.raises(NotImplementedError):
        Spec().parse("X", "1")
    assert Spec().describe() == "object"


def test_check_params_converts_and_catches_unknown_names():
    import math as F

    ns = {"EPOCHS": 3, "LR": 1, "np": object(), "_HIDDEN": 1, "F": F, "T": int, "G": len}
    out = check_params(ns, EPOCHS=Int(min=1), LR=Float(min=0))
    assert out == {"EPOCHS": 3, "LR": 1.0} and isinstance(ns["LR"], float)
    with pytest.raises(ParameterError, match="unknown parameter NOT_A_PARAM"):
        check_params({"EPOCHS": 3, "NOT_A_PARAM": 1}, EPOCHS=Int())
    with pytest.raises(ParameterError, match="declared but not set"):
        check_params({}, EPOCHS=Int())
    with pytest.raises(ParameterError, match="parameter EPOCHS: must be >= 1"):
        check_params({"EPOCHS": 0}, EPOCHS=Int(min=1))
    with pytest.raises(TypeError, match="spec"):
        check_params({"EPOCHS": 0}, EPOCHS=int)


def test_specs_from_source():
    src = 'import x\nutils.check_params(globals(), N=Int(min=1), D=Choice("a", "b"), F=Bool())\n'
    specs = specs_from_source(src)
    assert specs == {"N": Int(min=1), "D": Choice("a", "b"), "F": Bool()}
    assert specs_from_source("check_params(globals(), S=Str(), X=Float(max=2))")["X"] == Float(
        max=2
    )
    with pytest.raises(ValueError, match="no check_params"):
        specs_from_source("print(1)")
    with pytest.raises(ValueError, match="statically"):
        specs_from_source("check_params(globals(), **specs)")
    with pytest.raises(NameError):
        specs_from_source("check_params(globals(), N=open('x'))")


def test_check_params_can_be_run_again_after_later_cells():
    """Re-running the check cell after later cells defined SEEDS must not call SEEDS unknown."""
    ns = {"EPOCHS": 3}
    check_params(ns, EPOCHS=Int(min=1))
    ns["SEEDS"] = [0, 1]  # a later cell's constant
    check_params(ns, EPOCHS=Int(min=1))
    fresh = {"EPOCHS": 3, "EPOCHZ": 1}  # a misspelt override is still caught on the first run
    with pytest.raises(ParameterError, match="unknown parameter EPOCHZ"):
        check_params(fresh, EPOCHS=Int(min=1))


def test_shared_setting_specs_are_read_statically():
    from utils.params import specs_from_source

    specs = specs_from_source("utils.check_params(globals(), **adv.SETTING_SPECS, K=Int(min=1))")
    assert "N_SEEDS" in specs and "GRID_STD" in specs and "K" in specs
    with pytest.raises(ValueError, match="can be read statically"):
        specs_from_source("utils.check_params(globals(), **OTHER)")


def test_a_parameters_cell_takes_the_shared_setting_in_one_line():
    """``from utils.adversarial.shared_2d import *`` defines exactly the shared parameters, at the
    package's defaults; a notebook's own default and papermill's injected override replace them,
    and check_params validates them all (a bad override fails in one line naming it)."""
    from utils import adversarial as adv
    from utils.adversarial import setting

    cell = "from utils.adversarial.shared_2d_digits import *\nDC_STEPS: int = 1000\nALPHA = 1.0\n"
    ns: dict = {}
    exec(cell, ns)  # noqa: S102 - a parameters cell
    names = {n for n in ns if n.isupper()}
    assert names == set(adv.SETTING_SPECS) | set(adv.IMAGE_SPECS) | {"ALPHA"}
    assert {n: ns[n] for n in adv.setting_defaults()} == adv.setting_defaults()
    assert ns["STEPS_2D"] == adv.Setting2D().steps and ns["DEVICE"] == "auto"
    specs = {**adv.SETTING_SPECS, **adv.IMAGE_SPECS, "ALPHA": Float(min=0.0)}
    assert check_params(dict(ns), **specs)["DC_STEPS"] == 1000
    exec("SEED = 100\nRING_STD = 0.2", ns)  # papermill's injected-parameters cell
    ns.pop("_gdl_parameter_names", None)
    assert check_params(ns, **specs)["SEED"] == 100
    s, (ring, _) = adv.from_params(ns)
    assert s.seeds[0] == 100 and ring.std == 0.2
    with pytest.raises(ParameterError, match="^parameter STEPS_2D: must be >= 1, got -1$"):
        check_params({**ns, "STEPS_2D": -1}, **specs)
    two_d: dict = {}
    exec("from utils.adversarial.shared_2d import *", two_d)  # noqa: S102
    assert {n for n in two_d if n.isupper()} == set(adv.SETTING_SPECS)
    digits = setting.shared_parameters(digits=True)
    assert digits == {**setting.shared_parameters(), **setting.IMAGE_DEFAULTS}
    assert "DC_STEPS" not in digits  # each notebook's own budget


def test_shared_setting_shrinks_to_the_notebooks_fast_budget(monkeypatch, capsys):
    from utils.adversarial.setting import shared_parameters, shared_setting

    monkeypatch.setenv("GDL_FAST", "1")

    ns = {**shared_parameters(), "DEVICE": "cpu"}
    setting, _, _ = shared_setting(ns, fast_steps=240)
    assert setting.steps == ns["STEPS_2D"] == 240 and setting.n_seeds == 4
    assert shared_setting({**shared_parameters(), "DEVICE": "cpu"})[0].steps == 300
    monkeypatch.delenv("GDL_FAST")
    assert shared_setting({**shared_parameters(), "DEVICE": "cpu"}, fast_steps=5)[0].steps == 2000
    with pytest.raises(ValueError, match="fast_steps must be a positive int"):
        shared_setting({**shared_parameters(), "DEVICE": "cpu"}, fast_steps=0)
    capsys.readouterr()
