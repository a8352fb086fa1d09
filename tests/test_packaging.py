"""Project layout promises: environment.yml and the lock in step with pyproject, assumptions current."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from divaecon.params import assumptions_table

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "constraints.txt"


def _lock() -> dict[str, str]:
    """``{canonical name: version}`` from the lock file."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version and " " not in line, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


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


def _declared() -> list[str]:
    pyproject = _pyproject()
    extras = pyproject["project"]["optional-dependencies"]
    return (
        pyproject["project"]["dependencies"]
        + [r for reqs in extras.values() for r in reqs]
        + pyproject["build-system"]["requires"]
    )


@pytest.mark.parametrize("req", _declared())
def test_lock_pins_every_declared_requirement_inside_its_range(req: str) -> None:
    """Every runtime, extra and build requirement has one exact version, inside pyproject's range."""
    requirement = Requirement(req)
    pins = _lock()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{name} is not in {LOCK.name}: run `make lock`"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"{name}=={pins[name]} in {LOCK.name} is outside {requirement.specifier}: run `make lock`"
    )
    if requirement.extras:  # dask[distributed]: the extra's packages are pinned too
        assert "distributed" in pins


def test_every_declared_requirement_has_an_upper_bound() -> None:
    """So that a major release (or a 0.x minor) never arrives unannounced outside the lock."""
    unbounded = [
        r for r in _declared() if not any(s.operator in ("<", "<=", "==", "~=") for s in Requirement(r).specifier)
    ]
    assert not unbounded, f"give these an upper bound in pyproject.toml: {unbounded}"


def test_both_setups_install_from_the_lock() -> None:
    """`make setup` and `make dev` (so `make report` and `make test`) pass the lock to pip."""
    makefile = (ROOT / "Makefile").read_text()
    assert "LOCK   := requirements/constraints.txt" in makefile
    assert "PIP_LOCKED := $(PIP) install --quiet --constraint $(LOCK) --build-constraint $(LOCK)" in makefile
    installs = [line.strip() for line in makefile.splitlines() if " -e ." in line or " -e '.[" in line]
    oldest = (
        "$(OLD_VENV)/bin/python -m pip install --quiet --constraint $(OLDEST) --build-constraint $(OLDEST) -e '.[dev]'"
    )
    assert installs == ["$(PIP_LOCKED) -e .", "$(PIP_LOCKED) -e '.[dev]'", oldest], installs
    assert "OLDEST := requirements/constraints-oldest.txt" in makefile
    assert "install --quiet --upgrade --constraint $(LOCK) pip" in makefile
    assert "pip" in _lock() and "setuptools" in _lock()


def test_pre_commit_runs_the_locked_ruff() -> None:
    """The pre-commit hooks install ruff from PyPI at the version `make test` runs."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert {"ruff", "ruff-format", "nbstripout"} <= set(hooks)
    for hook_id in ("ruff", "ruff-format"):
        assert hooks[hook_id]["additional_dependencies"] == [f"ruff=={_lock()['ruff']}"], hook_id
    assert "--keep-id" in hooks["nbstripout"]["entry"]  # else it renumbers every cell id of a clean notebook


def test_assumptions_md_holds_the_current_table():
    text = (ROOT / "ASSUMPTIONS.md").read_text()
    assert assumptions_table() in text, "regenerate with: make assumptions (python -m divaecon.params)"


def test_readme_has_the_two_commands_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    ignored = (ROOT / ".gitignore").read_text()
    assert ".venv/" in ignored and "reports/*" in ignored


def test_oldest_constraints_pin_each_range_at_its_lower_bound() -> None:
    """requirements/constraints-oldest.txt (`make test-oldest`) holds every direct dependency and
    the build backend at the first release of its lower bound's series: the bound is what is tested."""
    from packaging.version import Version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    direct = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["dev"],
        *project["build-system"]["requires"],
    ]
    text = (ROOT / "requirements" / "constraints-oldest.txt").read_text()
    pins = {canonicalize_name(n): v for n, v in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)$", text, flags=re.M)}
    for item in direct:
        req = Requirement(item)
        low = Version(next(s.version for s in req.specifier if s.operator == ">="))
        pinned = Version(pins[canonicalize_name(req.name)])
        assert pinned in req.specifier, (item, pinned)
        assert low <= pinned and pinned.release[:2] == (*low.release, 0)[:2], (item, pinned)
