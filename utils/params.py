"""Notebook parameters: declared once, validated in the notebook and by the runner.

Every notebook has one cell tagged ``parameters`` with typed defaults (papermill injects
overrides after it), followed by a cell that states what each parameter may be::

    EPOCHS: int = 20  # passes over the training set
    DATASET: str = "ring"  # which 2-D mixture

    utils.check_params(globals(), EPOCHS=Int(min=1), DATASET=Choice("ring", "grid"))

``check_params`` runs inside the notebook, so a direct papermill, Jupyter or Colab run gets the
same errors; ``utils.run`` reads the same call (without running the notebook) to validate
command-line overrides before any cell runs. Errors are one line naming the parameter.
"""

from __future__ import annotations

import ast
import math
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

_PARAM_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_FIRST_NAMES = "_gdl_parameter_names"

#: Shared groups of specs a notebook may pass as ``**NAME`` (or ``**module.NAME``): the name,
#: then the module that defines it. The runner resolves them when it reads the call statically.
NAMED_SPECS = {
    "SETTING_SPECS": "utils.adversarial.setting",
    "IMAGE_SPECS": "utils.adversarial.setting",
}


class ParameterError(ValueError):
    """A parameter has an unknown name, a wrong type or an impossible value."""


@dataclass(frozen=True)
class Spec:
    """Base class of a parameter's declared type and allowed values."""

    type_name: str = field(default="object", init=False)

    def check(self, name: str, value: Any) -> Any:
        """Return ``value`` (possibly converted) or raise :class:`ParameterError`."""
        raise NotImplementedError

    def parse(self, name: str, text: str) -> Any:
        """Convert a command-line string into a checked value."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short human description, used in error messages."""
        return self.type_name


def _fail(name: str, message: str) -> ParameterError:
    return ParameterError(f"parameter {name}: {message}")


@dataclass(frozen=True)
class _Number(Spec):
    min: float | None = None
    max: float | None = None

    _convert: ClassVar[Callable[[str], Any]] = staticmethod(float)  # text to number (Int: int)

    def parse(self, name: str, text: str) -> Any:
        try:
            value = self._convert(text.strip())
        except ValueError:
            article = "an" if self.type_name[0] in "aeiou" else "a"
            raise _fail(name, f"expected {article} {self.type_name}, got {text!r}") from None
        return self.check(name, value)

    def _bounds(self, name: str, value: float) -> None:
        if self.min is not None and value < self.min:
            raise _fail(name, f"must be >= {self.min}, got {value!r}")
        if self.max is not None and value > self.max:
            raise _fail(name, f"must be <= {self.max}, got {value!r}")

    def describe(self) -> str:
        parts = [self.type_name]
        if self.min is not None:
            parts.append(f">= {self.min}")
        if self.max is not None:
            parts.append(f"<= {self.max}")
        return " ".join(parts)


@dataclass(frozen=True)
class Int(_Number):
    """An integer, optionally bounded: ``Int(min=1)``."""

    type_name: str = field(default="int", init=False)
    _convert: ClassVar[Callable[[str], Any]] = staticmethod(int)

    def check(self, name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(name, f"expected an int, got {type(value).__name__} {value!r}")
        self._bounds(name, value)
        return value


@dataclass(frozen=True)
class Float(_Number):
    """A real number, optionally bounded: ``Float(min=0.0, max=1.0)``. Ints are accepted."""

    type_name: str = field(default="float", init=False)

    def check(self, name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(name, f"expected a float, got {type(value).__name__} {value!r}")
        value = float(value)
        if not math.isfinite(value):
            raise _fail(name, f"must be finite, got {value!r}")
        self._bounds(name, value)
        return value


class _Exact(Spec):
    """A value of exactly one Python type (``kind``), no bounds: :class:`Bool`, :class:`Str`."""

    kind: ClassVar[type] = object

    def check(self, name: str, value: Any) -> Any:
        if not isinstance(value, self.kind):
            got = f"{type(value).__name__} {value!r}"
            raise _fail(name, f"expected a {self.kind.__name__}, got {got}")
        return value

    def parse(self, name: str, text: str) -> Any:
        return self.check(name, text)


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Bool(_Exact):
    """True or False (on the command line: true/false, yes/no, 1/0)."""

    type_name: str = field(default="bool", init=False)
    kind = bool

    def parse(self, name: str, text: str) -> bool:
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise _fail(name, f"expected a bool (true/false), got {text!r}")


@dataclass(frozen=True)
class Str(_Exact):
    """Any string."""

    type_name: str = field(default="str", init=False)
    kind = str


class Choice(Spec):
    """One of a fixed set of strings: ``Choice("ring", "grid")``."""

    def __init__(self, *options: str) -> None:
        if not options or not all(isinstance(o, str) for o in options):
            raise TypeError("Choice needs one or more string options")
        object.__setattr__(self, "options", tuple(options))
        object.__setattr__(self, "type_name", "str")

    def __repr__(self) -> str:
        return f"Choice{self.options!r}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Choice) and other.options == self.options

    def __hash__(self) -> int:
        return hash(self.options)

    def check(self, name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise _fail(name, f"expected a str, got {type(value).__name__} {value!r}")
        if value not in self.options:
            raise _fail(name, f"unknown value {value!r}; choose one of {', '.join(self.options)}")
        return value

    def parse(self, name: str, text: str) -> str:
        return self.check(name, text.strip())

    def describe(self) -> str:
        return "one of " + ", ".join(self.options)


SPEC_TYPES: dict[str, type] = {
    "Int": Int,
    "Float": Float,
    "Bool": Bool,
    "Str": Str,
    "Choice": Choice,
}


def check_params(namespace: Mapping[str, Any], **specs: Spec) -> dict[str, Any]:
    """Validate a notebook's parameters in place; return them as a dict.

    ``namespace`` is the notebook's ``globals()``. Every UPPER_CASE name in it must be declared
    in ``specs`` (this catches a misspelt papermill override; imported modules, classes and
    functions are exempt), every declared name must exist,
    and each value must satisfy its spec. Ints given for floats are converted in ``namespace``.
    Raises :class:`ParameterError` with a one-line message on the first problem.
    """
    for name, spec in specs.items():
        if not isinstance(spec, Spec):
            raise TypeError(f"check_params: {name} must be given a spec such as Int(min=0)")
    # The names present at the first check are the candidates for a misspelt override; a re-run
    # of the cell after later cells defined constants of their own (``SEEDS``) ignores those.
    first = namespace.get(_FIRST_NAMES) if isinstance(namespace, dict) else None
    unknown = sorted(
        n
        for n, v in namespace.items()
        if _PARAM_NAME.match(n)
        and n not in specs
        and (first is None or n in first)
        and not callable(v)  # modules, classes and functions (``F``, ``Tensor``) are not parameters
        and not isinstance(v, types.ModuleType)
    )
    if unknown:
        raise ParameterError(
            f"unknown parameter {unknown[0]}; this notebook takes {', '.join(specs)}"
        )
    if isinstance(namespace, dict) and first is None:
        namespace[_FIRST_NAMES] = frozenset(n for n in namespace if _PARAM_NAME.match(n))
    values = {}
    for name, spec in specs.items():
        if name not in namespace:
            raise ParameterError(f"parameter {name} is declared but not set in the parameters cell")
        values[name] = spec.check(name, namespace[name])
        if isinstance(namespace, dict):
            namespace[name] = values[name]
    return values


def specs_from_source(source: str) -> dict[str, Spec]:
    """Read the ``check_params(globals(), NAME=Spec(...), ...)`` call in a cell's source.

    Used by the runner to validate overrides without executing the notebook. Only the spec
    constructors with literal arguments are allowed. Raises ValueError if no call is found.
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if fname == "check_params":
                specs = {}
                for kw in node.keywords:
                    if kw.arg is None:
                        v = kw.value
                        group = v.attr if isinstance(v, ast.Attribute) else getattr(v, "id", None)
                        if group not in NAMED_SPECS:
                            raise ValueError(
                                "check_params: only **"
                                + ", **".join(NAMED_SPECS)
                                + " can be read statically"
                            )
                        import importlib

                        specs.update(getattr(importlib.import_module(NAMED_SPECS[group]), group))
                        continue
                    expr = ast.Expression(kw.value)
                    code = compile(expr, "<parameters>", "eval")
                    specs[kw.arg] = eval(code, {"__builtins__": {}}, dict(SPEC_TYPES))  # noqa: S307
                return specs
    raise ValueError("no check_params(...) call found")
