"""What goes into a report run, checked before anything starts, and how a notebook reads it back.

The scenario reaches a notebook only as its validated YAML text (one string parameter,
``scenario_yaml``); every parameter name is checked to be an identifier declared in the
notebook's ``parameters`` cell before papermill writes it into code, and values must be plain
``str``/``int``/``float``/``bool`` (papermill writes their ``repr``). In the notebook,
:func:`scenario_for_notebook` turns that text back into a validated scenario.
"""

from __future__ import annotations

import keyword
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from divaecon import resources
from divaecon.errors import DivaeconError
from divaecon.params import Scenario, load_scenario, scenario_from_dict, scenario_to_yaml

REPORT_NOTEBOOKS: tuple[str, ...] = (
    "01_staking_apr",
    "02_collateral_and_operator_yield",
    "03_dvt_fault_tolerance",
    "04_protocol_comparison",
    "05_network_growth",
    "06_collateral_risk",
)
"""The notebooks a report runs by default (``00_explore`` is interactive, not a report)."""

SCENARIO_PARAMETER = "scenario_yaml"
"""The one parameter through which a scenario reaches a notebook (validated YAML text)."""

QUICK_PARAMETERS: dict[str, int] = {"grid_points": 25, "mc_seeds": 3, "horizon_days": 365, "validator_years": 50_000}
"""Small-size knobs passed with ``--quick`` to notebooks that declare them."""

FORMATS = ("pdf", "html")
"""Output formats of a report."""

_SAFE_VALUE_TYPES = (str, int, float, bool)


def resolve_notebooks(names: Sequence[str]) -> list[Path]:
    """Notebook paths for names like ``01``, ``01_staking_apr``, ``staking_apr`` or a path.

    An empty list means :data:`REPORT_NOTEBOOKS`. Unknown names raise :class:`DivaeconError`.
    """
    if not names:
        names = REPORT_NOTEBOOKS
    available = sorted(resources.notebook_dir().glob("*.ipynb"))
    out: list[Path] = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            out.append(path.resolve())
            continue
        stem = path.name.removesuffix(".ipynb")
        matches = [
            p for p in available
            if p.stem == stem or p.stem.split("_", 1)[0] == stem
            or [*p.stem.split("_", 1), ""][1] == stem
        ]
        if len(matches) != 1:
            allowed = ", ".join(p.stem for p in available) or "(none found)"
            raise DivaeconError(f"--notebook {name!r}: unknown notebook; allowed: {allowed} or a .ipynb path")
        out.append(matches[0])
    if len({p.stem for p in out}) != len(out):
        raise DivaeconError("--notebook: a notebook is named twice")
    return out


def load_scenarios(paths: Sequence[str | os.PathLike[str]]) -> list[Scenario]:
    """Validated scenarios from files (default: the shipped ones); names must be distinct."""
    files = [Path(p) for p in paths] if paths else resources.scenario_files()
    if not files:
        raise DivaeconError("--scenario: no scenario files given or shipped")
    scenarios = [load_scenario(p) for p in files]
    slugs: dict[str, str] = {}
    for s in scenarios:
        slug = scenario_slug(s.name)
        if slug in slugs:
            raise DivaeconError(
                f"--scenario: scenarios {slugs[slug]!r} and {s.name!r} would share the output folder "
                f"{slug!r}; give them distinct names"
            )
        slugs[slug] = s.name
    return scenarios


def scenario_slug(name: str) -> str:
    """A scenario name made safe as a folder name (no path separators, no leading dots)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-_")
    return slug[:80] or "scenario"


def parse_formats(formats: str) -> tuple[str, ...]:
    """``"pdf,html"`` → ``("pdf", "html")``; unknown formats raise :class:`DivaeconError`."""
    items = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise DivaeconError(f"--format {formats!r}: allowed formats are {', '.join(FORMATS)} (comma-separated)")
    return items


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names papermill finds in the notebook's ``parameters`` cell."""
    import papermill

    return dict(papermill.inspect_notebook(str(notebook)))


def notebook_parameters(
    notebook: Path,
    scenario: Scenario,
    quick: bool = False,
    extra: Mapping[str, Any] | None = None,
    declared: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The parameters to run ``notebook`` for ``scenario``, every name checked.

    ``scenario_yaml`` (the validated scenario) always; the :data:`QUICK_PARAMETERS` the notebook
    declares when ``quick``; then ``extra``. A name that is not an identifier, or not declared in
    the notebook's ``parameters`` cell, or a value that is not a plain str/int/float/bool, is
    refused with a :class:`DivaeconError`: papermill writes parameters into code.
    """
    declared = declared_parameters(notebook) if declared is None else declared
    values: dict[str, Any] = {SCENARIO_PARAMETER: scenario_to_yaml(scenario)}
    if quick:
        values.update({k: v for k, v in QUICK_PARAMETERS.items() if k in declared})
    values.update(extra or {})
    for name, value in values.items():
        shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "...'"
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise DivaeconError(f"notebook parameter {shown}: not a Python identifier; refused")
        if name not in declared:
            raise DivaeconError(
                f"notebook parameter {shown}: not declared in the parameters cell of {notebook.name} "
                f"(declared: {', '.join(sorted(declared)) or 'none'}); refused"
            )
        if type(value) not in _SAFE_VALUE_TYPES:
            raise DivaeconError(
                f"notebook parameter {shown} = {value!r}: only str, int, float or bool values are passed"
            )
    return values


def shipped_base_scenario() -> Scenario:
    """The shipped ``base`` scenario file (the embedded default if none is shipped)."""
    for path in resources.scenario_files():
        if path.stem == "base":
            return load_scenario(path)
    return Scenario()


def scenario_for_notebook(scenario_yaml: str = "", scenario_path: str = "") -> Scenario:
    """The scenario a notebook runs: the YAML text papermill passed, else a file, else the
    shipped base scenario."""
    import yaml

    if scenario_yaml.strip():
        return scenario_from_dict(yaml.safe_load(scenario_yaml) or {}, source="scenario_yaml")
    if scenario_path:
        return load_scenario(scenario_path)
    return shipped_base_scenario()
