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
