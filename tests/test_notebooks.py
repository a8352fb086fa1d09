"""The report notebooks: thin, committed without outputs, and they run with small parameters."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import nbformat
import pytest
import yaml

from divaecon import reports
from divaecon.params import Scenario, scenario_to_yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [
    ROOT / "notebooks" / f"{name}.ipynb"
    for name in (*reports.REPORT_NOTEBOOKS, reports.FRONT_NOTEBOOK, reports.COMPARISON_NOTEBOOK)
]
COMPARISON = ROOT / "notebooks" / f"{reports.COMPARISON_NOTEBOOK}.ipynb"


def markdown_text(outputs: list) -> str:  # type: ignore[type-arg]
    """What a reader sees of the Markdown outputs: rendered to HTML, tags stripped."""
    import html
    import re

    from nbconvert.filters.markdown import markdown2html

    md = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    return html.unescape(re.sub(r"<[^>]+>", "", markdown2html(md)))


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
    wanted = reports.SCENARIOS_PARAMETER if path == COMPARISON else reports.SCENARIO_PARAMETER
    assert wanted in declared


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


@pytest.mark.kernel
@pytest.mark.xdist_group("reports")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_with_small_parameters(path: Path, tmp_path: Path) -> None:
    """A real kernel runs each notebook; no error, no warning text, every figure present (as SVG)."""
    import papermill

    scenario = Scenario().override(name="nb-test", total_staked_eth=30_000_000.0)
    if path == COMPARISON:
        other = scenario.override(name="nb-other", collateral_per_key_share_eth=0.5)
        declared = reports.declared_parameters(path)
        params = {
            reports.SCENARIOS_PARAMETER: reports.inputs.scenarios_to_yaml([scenario, other]),
            **{k: v for k, v in reports.QUICK_PARAMETERS.items() if k in declared},
        }
    else:
        params = reports.notebook_parameters(path, scenario, quick=True)
    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(out),
        parameters=params,
        kernel_name=reports.KERNEL_NAME,
        progress_bar=False,
        kernel_manager_class=reports.quiet_kernel_manager(tmp_path / "kernel.log", cwd=path.parent),
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"warnings leak into the report: {stderr}"
    figures = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert not [o for o in outputs if "image/png" in o.get("data", {})], "figures are vector (SVG)"
    expected = sum(
        1 for c in nb.cells if c.cell_type == "code" and "plotting." in c.source and c.source.rstrip().endswith(";")
    )
    assert len(figures) == expected
    text = markdown_text(outputs)
    if path == COMPARISON:
        assert expected >= 1
        assert "nb-test" in text and "nb-other" in text
    elif path.stem == reports.FRONT_NOTEBOOK:
        assert "Diva Staking — scenario report" in text and "nb-test" in text
        html_out = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
        assert "divETH staker APR" in html_out and "what it means" in html_out
    else:
        assert expected >= 1
        assert "Scenario: nb-test" in text
        # the scenario arrived as text and was validated in the kernel: the name is the one passed
        assert scenario_to_yaml(scenario) == params["scenario_yaml"]


@pytest.mark.kernel
@pytest.mark.xdist_group("reports")
def test_comparison_runs_by_hand_on_the_shipped_scenarios(tmp_path: Path) -> None:
    """Opened in JupyterLab and run as it is, the comparison compares the shipped scenarios."""
    import papermill

    from divaecon import resources

    out = tmp_path / "comparison.ipynb"
    declared = reports.declared_parameters(COMPARISON)
    papermill.execute_notebook(
        str(COMPARISON),
        str(out),
        kernel_name=reports.KERNEL_NAME,
        progress_bar=False,
        parameters={k: v for k, v in reports.QUICK_PARAMETERS.items() if k in declared},
        kernel_manager_class=reports.quiet_kernel_manager(tmp_path / "kernel.log", cwd=COMPARISON.parent),
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = markdown_text(outputs)
    for path in resources.scenario_files():
        name = yaml.safe_load(path.read_text(encoding="utf-8")).get("name", path.stem)
        assert name in text, name
        # the cover names each file with the first characters of its SHA-256, computed here
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:16] in text


def test_book_assembly_keeps_every_cell_and_one_parameters_cell() -> None:
    """The book is the front notebook then every topic, in order; one cell is papermill's."""
    front = ROOT / "notebooks" / f"{reports.FRONT_NOTEBOOK}.ipynb"
    topics = [ROOT / "notebooks" / f"{n}.ipynb" for n in reports.REPORT_NOTEBOOKS]
    book = reports.assemble_book(front, topics, quick=True)
    sources = [nbformat.read(p, as_version=4) for p in [front, *topics]]
    assert len(book.cells) == sum(len(nb.cells) for nb in sources)
    tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "scenario_yaml" in tagged[0].source
    chapters = [c for c in book.cells if "chapter" in c.metadata.get("tags", [])]
    assert [c.source.splitlines()[0] for c in chapters] == [nb.cells[0].source.splitlines()[0] for nb in sources[1:]]
    topic_params = [c.source for c in book.cells if "topic-parameters" in c.metadata.get("tags", [])]
    assert len(topic_params) == len(topics)
    for src in topic_params:  # the book's scenario is never overwritten by a topic's default
        tree = ast.parse(src)
        names = {
            t.id
            for stmt in tree.body
            for t in getattr(stmt, "targets", [getattr(stmt, "target", None)])
            if isinstance(t, ast.Name)
        }
        assert not names & {"scenario_yaml", "scenario_path"}
    assert "grid_points = 25  # --quick" in topic_params[0]
    parts = reports.split_book(book)
    assert list(parts) == [p.stem for p in topics]
    assert [len(parts[p.stem].cells) for p in topics] == [len(nb.cells) for nb in sources[1:]]
