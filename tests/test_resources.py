"""Shipped files found through importlib.resources, in the checkout and in an installed copy.

The same checks against an installed wheel, outside the checkout, are in tests/test_wheel.py.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

from divaecon import data, resources
from divaecon.errors import DivaeconError

ROOT = Path(__file__).resolve().parents[1]
NOT_SHIPPED = ("__init__.py", "__pycache__", ".ipynb_checkpoints", "*.pyc")


def _repo_files(folder: str) -> list[Path]:
    """Files of a top-level folder of the repository, as a reader sees them (no Python markers)."""
    base = ROOT / folder
    return sorted(
        p.relative_to(base) for p in base.rglob("*")
        if p.is_file() and not any(fnmatch.fnmatch(part, pat) for part in p.relative_to(base).parts
                                   for pat in NOT_SHIPPED)
    )


# --- the shipped files --------------------------------------------------------------------------


def test_resources_find_every_file_of_data_and_notebooks() -> None:
    shipped_data = sorted(p.relative_to(resources.data_dir()) for p in resources.data_dir().rglob("*")
                          if p.is_file() and not any(fnmatch.fnmatch(part, pat) for part in p.parts
                                                     for pat in NOT_SHIPPED))
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
            assert any(fnmatch.fnmatch(rel.as_posix(), glob) for glob in package_data[package]), (
                f"{folder}/{rel} is not shipped: add a glob to [tool.setuptools.package-data] {package!r}"
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
