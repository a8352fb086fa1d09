"""Project layout promises: environment.yml in step with pyproject, assumptions table current."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from divaecon.params import assumptions_table

ROOT = Path(__file__).resolve().parents[1]


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", req.strip())
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(3).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted: dict[str, str] = {}
    for req in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name, spec = _split(req)
        if name == "dask":  # dask[distributed] is two conda packages
            wanted["distributed"] = spec
        wanted[name] = spec
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep not in ("pip",) and not dep.startswith("python"):
            name, spec = _split(dep)
            conda[name] = spec
    assert conda == wanted


def test_assumptions_md_holds_the_current_table():
    text = (ROOT / "ASSUMPTIONS.md").read_text()
    assert assumptions_table() in text, "regenerate with: make assumptions (python -m divaecon.params)"


def test_readme_has_the_two_commands_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    ignored = (ROOT / ".gitignore").read_text()
    assert ".venv/" in ignored and "reports/*" in ignored
