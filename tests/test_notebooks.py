"""Structure of every committed notebook (cheap; nbval executes them separately)."""

import re
import tomllib

import nbformat
import papermill as pm
import pytest
import yaml

from utils import run
from utils.config import COURSE, ROOT
from utils.params import Choice, check_params, specs_from_source

NOTEBOOKS = run.list_notebooks()
IDS = [p.stem for p in NOTEBOOKS]
TYPE_OF = {"Int": "int", "Float": "float", "Bool": "bool", "Str": "str", "Choice": "str"}


def test_there_are_notebooks_in_course_order():
    assert NOTEBOOKS and all(re.fullmatch(r"\d\d_[a-z0-9_]+", p.stem) for p in NOTEBOOKS)
    assert all(p.stem in COURSE for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_parameters_are_declared_typed_and_valid(path):
    nb = nbformat.read(path, as_version=4)
    i, j = run.parameter_cells(nb)
    code = [k for k, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert nb.cells[code[0]].metadata.get("tags") == ["colab-setup"]
    assert i == code[1], "the parameters cell is the first code cell after the Colab set-up"
    specs = specs_from_source(nb.cells[j].source)
    inspected = pm.inspect_notebook(str(path))
    # the cell's own parameters, and the shared ones its `from utils.adversarial.shared_2d import *`
    ns: dict = {}
    exec(nb.cells[i].source, ns)  # noqa: S102 - our own notebook's parameters cell
    defaults = {n: v for n, v in ns.items() if re.fullmatch(r"[A-Z][A-Z0-9_]*", n)}
    assert set(defaults) == set(specs), "every parameter has exactly one spec"
    for name, info in inspected.items():
        assert info["inferred_type_name"] == TYPE_OF[type(specs[name]).__name__], name
        assert info["help"], f"{name} needs a comment saying what it is"
        if isinstance(specs[name], Choice):
            assert defaults[name] in specs[name].options
    check_params(defaults, **specs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_outputs_come_from_a_clean_run(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for c in code]
    assert None not in counts, "commit the outputs of a run at the defaults (make notebooks)"
    assert counts == list(range(1, len(code) + 1)), "executed top to bottom in one kernel"
    for c in code:
        assert not any(o.output_type == "error" for o in c.outputs)
    assert "injected-parameters" not in str([c.metadata for c in nb.cells]), "run at defaults"
    assert run.extract_metrics(nb), "a notebook records at least one metric"
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs), "a figure"


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    # environment.yml is the full developer environment: what `make install` installs, plus Lab
    full = ("dev", "dask", "grade", "lab")
    wanted = set(project["dependencies"]).union(*(extras[k] for k in full))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert set(pip) - {"-e ."} == wanted


def test_readme_lists_every_notebook_with_runtime():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    for p in NOTEBOOKS:
        assert p.stem in readme


def _code_lines(path) -> list[tuple[int, list[str]]]:
    """Each code cell's non-blank, non-comment lines, stripped (parameters and set-up excepted)."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for k, c in enumerate(nb.cells):
        tags = c.metadata.get("tags", [])
        if c.cell_type == "code" and not {"parameters", "colab-setup"} & set(tags):
            lines = [ln.strip() for ln in c.source.splitlines()]
            # as the project's `duplicates` tool: blank lines, comments, imports and lone
            # punctuation are passed over
            skip = ("#", "import ", "from ")
            kept = [ln for ln in lines if re.search(r"\w", ln) and not ln.startswith(skip)]
            out.append((k, kept))
    return out


def test_no_code_cell_copies_another_notebooks():
    """One source of truth: no two code cells of different notebooks share six lines in a row
    (parameter declarations excepted; shared machinery belongs in ``utils``)."""
    first: dict[tuple[str, ...], tuple[str, int]] = {}
    copies = set()
    for path in NOTEBOOKS:
        for k, lines in _code_lines(path):
            for i in range(len(lines) - 5):
                w = tuple(lines[i : i + 6])
                where = first.setdefault(w, (path.stem, k))
                if where[0] != path.stem:
                    copies.add(f"{path.stem} cell {k} repeats {where[0]} cell {where[1]}")
    assert not copies, "; ".join(sorted(copies))
