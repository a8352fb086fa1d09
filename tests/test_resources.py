"""Shipped files found through importlib.resources, and `divaecon init` (copies for the user to own).

The same checks against an installed wheel, outside the checkout, are in tests/test_wheel.py.
"""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
import yaml

from divaecon import data, resources
from divaecon.cli import main
from divaecon.errors import DivaeconError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_SCENARIO = "../data/scenarios/base.yaml"
"""The base scenario seen from a notebook's folder, in the repository and in an init folder."""
NOT_SHIPPED = ("__init__.py", "__pycache__", ".ipynb_checkpoints", "*.pyc")


def _repo_files(folder: str) -> list[Path]:
    """Files of a top-level folder of the repository, as a reader sees them (no Python markers)."""
    base = ROOT / folder
    return sorted(
        p.relative_to(base)
        for p in base.rglob("*")
        if p.is_file()
        and not any(fnmatch.fnmatch(part, pat) for part in p.relative_to(base).parts for pat in NOT_SHIPPED)
    )


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _scenario_path_parameter(notebook: Path) -> str | None:
    """The value of ``scenario_path`` in a notebook's parameters cell, read without running it."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for stmt in ast.parse(cell.source).body:
        if isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        elif isinstance(stmt, ast.Assign):
            target, value = stmt.targets[0], stmt.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "scenario_path":
            found = ast.literal_eval(value)
            return found if isinstance(found, str) else None
    return None


# --- the shipped files --------------------------------------------------------------------------


def test_resources_find_every_file_of_data_and_notebooks() -> None:
    shipped_data = sorted(
        p.relative_to(resources.data_dir())
        for p in resources.data_dir().rglob("*")
        if p.is_file() and not any(fnmatch.fnmatch(part, pat) for part in p.parts for pat in NOT_SHIPPED)
    )
    assert shipped_data == _repo_files("data")
    assert [p.name for p in resources.notebook_files()] == [p.name for p in _repo_files("notebooks")]
    for p in resources.notebook_files() + resources.scenario_files():
        folder = "notebooks" if p.suffix == ".ipynb" else "data/scenarios"
        assert p.read_bytes() == (ROOT / folder / p.name).read_bytes(), p.name


def test_package_data_globs_cover_every_shipped_file() -> None:
    """A file added to data/ or notebooks/ must match pyproject's package-data, or the wheel lacks it."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for folder, package in (("data", "divaecon._data"), ("notebooks", "divaecon._notebooks")):
        for rel in _repo_files(folder):
            owner = ".".join([package, *rel.parent.parts])  # data/scenarios/x.yaml: divaecon._data.scenarios
            assert any(fnmatch.fnmatch(rel.name, glob) for glob in package_data.get(owner, [])), (
                f"{folder}/{rel} is not shipped: add a glob to [tool.setuptools.package-data] {owner!r}"
            )


def test_scenario_files_base_first_then_by_name() -> None:
    names = [p.name for p in resources.scenario_files()]
    assert names[0] == "base.yaml" and names[1:] == sorted(names[1:])
    assert set(names) == {p.name for p in (ROOT / "data" / "scenarios").glob("*.yaml")}
    assert data.scenario_paths() == resources.scenario_files()
    assert data.SCENARIO_DIR == resources.scenario_dir() == resources.data_dir() / "scenarios"


def test_data_file_by_name_and_unknown_names() -> None:
    assert resources.data_file("entity_stakes.csv").read_bytes() == (ROOT / "data" / "entity_stakes.csv").read_bytes()
    with pytest.raises(DivaeconError, match=r"'nope.csv'.*entity_stakes.csv.*staking_data_points.csv"):
        resources.data_file("nope.csv")


# --- divaecon init ------------------------------------------------------------------------------


def test_init_copies_notebooks_and_scenarios_laid_out_as_in_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "my work"
    code, out, err = _run(capsys, "init", str(target))
    assert code == 0 and err == ""
    notebooks = sorted((target / "notebooks").iterdir())
    scenarios = sorted(p for p in (target / "data" / "scenarios").rglob("*") if p.is_file())
    assert [p.name for p in notebooks] == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    shipped_scenarios = sorted((ROOT / "data" / "scenarios").rglob("*.yaml"))  # the futures/ too
    assert any(p.parent.name == "futures" for p in shipped_scenarios)
    assert [p.relative_to(target / "data" / "scenarios") for p in scenarios] == [
        p.relative_to(ROOT / "data" / "scenarios") for p in shipped_scenarios
    ]
    for p in notebooks:
        assert p.read_bytes() == (ROOT / "notebooks" / p.name).read_bytes()
    for p in scenarios:
        rel = p.relative_to(target / "data" / "scenarios")
        assert p.read_bytes() == (ROOT / "data" / "scenarios" / rel).read_bytes()
    # the report notebooks take a scenario_path, and the repository's relative path to a scenario
    # (from notebooks/ to data/scenarios/) reaches the copy in the new folder
    parameters = {p.name: _scenario_path_parameter(p) for p in notebooks}
    assert sum(v is not None for v in parameters.values()) >= 5, parameters  # every report notebook
    assert (target / "notebooks" / NOTEBOOK_SCENARIO).resolve() == (target / "data" / "scenarios" / "base.yaml")
    # it says what it wrote and what to run next, with the folder quoted for a shell
    assert f"Wrote {len(notebooks)} notebooks and {len(scenarios)} scenario files to {target}:" in out
    for p in notebooks:
        assert f"  notebooks/{p.name}\n" in out
    for p in scenarios:
        assert f"  {p.relative_to(target).as_posix()}\n" in out
    assert f"cd '{target}'" in out and "jupyter lab" in out
    assert "divaecon report --scenario data/scenarios/base.yaml --notebook notebooks/01_staking_apr.ipynb" in out
    assert not list(target.rglob(".*")), "temporary or probe files left behind"


def test_init_keeps_existing_files_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "work"
    assert main(["init", str(target)]) == 0
    edited = target / "data" / "scenarios" / "base.yaml"
    edited.write_text("name: mine\n")
    own = target / "notebooks" / "99_my_analysis.ipynb"
    own.write_text("{}")
    capsys.readouterr()
    shipped = (  # every file init writes, counted here
        len(resources.notebook_files()) + len(resources.scenario_files()) + len(resources.future_scenario_files())
    )

    code, out, err = _run(capsys, "init", str(target))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("divaecon: error: init: ")
    assert f"already exists (and {shipped - 1} more); use --force" in err
    assert edited.read_text() == "name: mine\n"

    code, out, err = _run(capsys, "init", str(target), "--force")
    assert code == 0 and err == "" and f", replacing {shipped}:" in out
    assert edited.read_bytes() == (ROOT / "data" / "scenarios" / "base.yaml").read_bytes()
    assert own.read_text() == "{}"  # files init does not ship are left alone


def test_init_writes_nothing_when_it_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "work"
    (target / "notebooks").mkdir(parents=True)
    (target / "notebooks" / "03_dvt_fault_tolerance.ipynb").write_text("mine")
    code, _, err = _run(capsys, "init", str(target))
    assert code == 2 and "03_dvt_fault_tolerance.ipynb already exists;" in err
    assert sorted(p.name for p in target.rglob("*")) == ["03_dvt_fault_tolerance.ipynb", "notebooks"]

    # a folder where a notebook should go is refused even with --force
    (target / "notebooks" / "01_staking_apr.ipynb").mkdir()
    code, _, err = _run(capsys, "init", str(target), "--force")
    assert code == 2 and "01_staking_apr.ipynb: exists and is not a file" in err
    assert (target / "notebooks" / "03_dvt_fault_tolerance.ipynb").read_text() == "mine"


@pytest.mark.parametrize(
    ("make_target", "fragment"),
    [
        (lambda tmp: _touch(tmp / "a-file"), "exists and is not a folder"),
        (lambda tmp: _touch(tmp / "a-file") / "sub", "is a file, not a folder"),
        (lambda tmp: Path("/proc/divaecon-init-test"), "cannot write there"),
    ],
    ids=["target-is-a-file", "parent-is-a-file", "unwritable"],
)
def test_init_bad_target_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_target: Callable[[Path], Path], fragment: str
) -> None:
    target = make_target(tmp_path)
    code, out, err = _run(capsys, "init", str(target))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"divaecon: error: init: {target}") and fragment in err


def test_init_workbook_result(tmp_path: Path) -> None:
    book = resources.init_workbook(tmp_path / "w")
    assert book.folder == (tmp_path / "w").absolute()
    assert book.scenarios[0].as_posix() == "data/scenarios/base.yaml"
    assert all((book.folder / p).is_file() for p in book.notebooks + book.scenarios)
    assert book.overwritten == ()
    again = resources.init_workbook(tmp_path / "w", force=True)
    assert set(again.overwritten) == set(book.notebooks + book.scenarios)


def _touch(path: Path) -> Path:
    path.write_text("x")
    return path


@pytest.mark.kernel
def test_a_copied_notebook_runs_in_the_new_folder_on_its_own_scenario(tmp_path: Path) -> None:
    """Pointed at ../data/scenarios/base.yaml, a copied notebook reads the user's edited copy."""
    import papermill

    target = tmp_path / "work"
    assert main(["init", str(target)]) == 0
    base = target / "data" / "scenarios" / "base.yaml"
    edited = yaml.safe_load(base.read_text())
    edited["name"] = "my-own-copy"
    base.write_text(yaml.safe_dump(edited))
    notebook = target / "notebooks" / "04_protocol_comparison.ipynb"
    out = tmp_path / "ran.ipynb"
    papermill.execute_notebook(
        str(notebook),
        str(out),
        parameters={"scenario_path": NOTEBOOK_SCENARIO},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(notebook.parent),
    )
    ran = nbformat.read(out, as_version=4)
    outputs = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "".join(str(o.get("data", {})) + o.get("text", "") for o in outputs)
    assert "my-own-copy" in shown
