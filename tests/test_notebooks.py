"""The report notebooks: thin, committed without outputs, and they run with small parameters."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from divaecon import reports
from divaecon.params import Scenario, scenario_to_yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [ROOT / "notebooks" / f"{name}.ipynb" for name in reports.REPORT_NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs; strip them"
            assert cell.execution_count is None, f"{path.name}: execution counts left in"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_plain_values(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one parameters cell"
    tree = ast.parse(tagged[0].source)
    for stmt in tree.body:
        assert isinstance(stmt, ast.Assign | ast.AnnAssign), ast.dump(stmt)
        value = stmt.value
        assert isinstance(value, ast.Constant), f"{path.name}: parameter not a plain value: {ast.dump(stmt)}"
    declared = reports.declared_parameters(path)
    assert reports.SCENARIO_PARAMETER in declared


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin(path: Path) -> None:
    """Code cells call into divaecon: short, no function or class definitions, no maths imports."""
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert sum(len(src.splitlines()) for src in code) <= 40
    for src in code:
        tree = ast.parse(src)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda), path.name
            if isinstance(node, ast.Import | ast.ImportFrom):
                mod = getattr(node, "module", None) or node.names[0].name
                assert mod.split(".")[0] in {"divaecon", "IPython"}, f"{path.name} imports {mod}"


@pytest.mark.xdist_group("reports")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_with_small_parameters(path: Path, tmp_path: Path) -> None:
    """A real kernel runs each notebook; no error, no warning text, every figure present."""
    import papermill

    scenario = Scenario().override(name="nb-test", total_staked_eth=30_000_000.0)
    params = reports.notebook_parameters(path, scenario, quick=True)
    out = tmp_path / path.name
    papermill.execute_notebook(str(path), str(out), parameters=params, kernel_name=reports.KERNEL_NAME,
                               progress_bar=False,
                               kernel_manager_class=reports.quiet_kernel_manager(tmp_path / "kernel.log",
                                                                                  cwd=path.parent))
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"warnings leak into the report: {stderr}"
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    expected = sum(1 for c in nb.cells if c.cell_type == "code" and "plotting." in c.source
                   and "use_style" not in c.source.splitlines()[0] and c.source.rstrip().endswith(";"))
    assert len(figures) == expected >= 1
    html_out = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert "Scenario: nb-test" in html_out
    # the scenario arrived as text and was validated in the kernel: the name is the one passed
    assert scenario_to_yaml(scenario) == params["scenario_yaml"]
