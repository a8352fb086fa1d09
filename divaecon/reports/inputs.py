"""What goes into a report run, checked before anything starts, and how a notebook reads it back.

The scenario reaches a notebook only as its validated YAML text (one string parameter,
``scenario_yaml``); every parameter name is checked to be an identifier declared in the
notebook's ``parameters`` cell before papermill writes it into code, and values must be plain
``str``/``int``/``float``/``bool`` (papermill writes their ``repr``). In the notebook,
:func:`scenario_for_notebook` turns that text back into a validated scenario.
"""

from __future__ import annotations

import hashlib
import keyword
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    "07_model_vs_history",
    "08_next_rules",
)
"""The topic notebooks a scenario's book holds by default, in order (``00_explore`` is
interactive, not a report)."""

FRONT_NOTEBOOK = "10_executive_summary"
"""The notebook that opens every book: cover and executive summary (parameters as the topics')."""

COMPARISON_NOTEBOOK = "90_comparison"
"""The comparison of all scenarios: a parameterised notebook of its own (:data:`SCENARIOS_PARAMETER`)."""

SCENARIOS_PARAMETER = "scenarios_yaml"
"""The comparison notebook's parameter: the scenarios as one YAML list of validated scenarios."""

RESERVED_SLUGS = frozenset({"comparison", "index"})
"""Output names a scenario cannot take: ``comparison.pdf`` and ``index.html`` are the batch's own."""

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
            p
            for p in available
            if p.stem == stem or p.stem.split("_", 1)[0] == stem or [*p.stem.split("_", 1), ""][1] == stem
        ]
        if len(matches) != 1:
            allowed = ", ".join(p.stem for p in available) or "(none found)"
            raise DivaeconError(f"--notebook {name!r}: unknown notebook; allowed: {allowed} or a .ipynb path")
        out.append(matches[0])
    if len({p.stem for p in out}) != len(out):
        raise DivaeconError("--notebook: a notebook is named twice")
    return out


@dataclass(frozen=True)
class ScenarioInput:
    """A validated scenario and the file it came from, as a book's cover shows it."""

    scenario: Scenario
    source: str
    """The scenario file's path as given (or the shipped file's name); shown as text."""
    sha256: str
    """SHA-256 of the file's bytes (hex), so a reader can tell which file a book was made from."""

    @property
    def slug(self) -> str:
        return scenario_slug(self.scenario.name)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 (hex) of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _shown_source(path: Path) -> str:
    """A shipped scenario by its place in the repository, any other file as given."""
    try:
        return (Path("data") / "scenarios" / path.relative_to(resources.scenario_dir())).as_posix()
    except ValueError:
        return str(path)


def load_scenario_inputs(paths: Sequence[str | os.PathLike[str]]) -> list[ScenarioInput]:
    """Validated scenarios from files (default: the shipped ones), each with its file's hash.

    Names must give distinct output names (:func:`scenario_slug`), none of
    :data:`RESERVED_SLUGS`; otherwise :class:`DivaeconError`.
    """
    files = [Path(p) for p in paths] if paths else resources.scenario_files()
    if not files:
        raise DivaeconError("--scenario: no scenario files given or shipped")
    inputs = []
    for p in files:
        scenario = load_scenario(p)
        inputs.append(ScenarioInput(scenario, _shown_source(p), file_sha256(p)))
    slugs: dict[str, str] = {}
    for item in inputs:
        s, slug = item.scenario, item.slug
        if slug in RESERVED_SLUGS:
            raise DivaeconError(
                f"--scenario {item.source}: name = {s.name!r}: its report would be {slug}.pdf, which the "
                f"batch writes itself; allowed: any name but {', '.join(sorted(RESERVED_SLUGS))}"
            )
        if slug in slugs:
            raise DivaeconError(
                f"--scenario: scenarios {slugs[slug]!r} and {s.name!r} would share the output name "
                f"{slug!r}; give them distinct names"
            )
        slugs[slug] = s.name
    return inputs


def load_scenarios(paths: Sequence[str | os.PathLike[str]]) -> list[Scenario]:
    """Validated scenarios from files (default: the shipped ones); see :func:`load_scenario_inputs`."""
    return [item.scenario for item in load_scenario_inputs(paths)]


def scenario_slug(name: str) -> str:
    """A scenario name made safe as a folder name (no path separators, no leading dots)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-_")
    return slug[:80].rstrip(".-_") or "scenario"


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


def scenarios_to_yaml(scenarios: Sequence[Scenario]) -> str:
    """Scenarios as one YAML list of validated scenarios (the comparison's parameter)."""
    import yaml

    return yaml.safe_dump([s.model_dump(mode="json") for s in scenarios], sort_keys=False)


def scenarios_for_notebook(scenarios_yaml: str = "") -> list[Scenario]:
    """The scenarios the comparison notebook compares: the YAML list papermill passed, else the
    shipped scenario files."""
    import yaml

    if not scenarios_yaml.strip():
        return load_scenarios([])
    data = yaml.safe_load(scenarios_yaml)
    if not isinstance(data, list) or not data:
        raise DivaeconError(f"{SCENARIOS_PARAMETER}: a YAML list of scenarios is allowed, got {type(data).__name__}")
    return [scenario_from_dict(item, source=f"{SCENARIOS_PARAMETER}[{i}]") for i, item in enumerate(data)]


def scenario_file_facts(
    scenario_yaml: str = "", scenario_path: str = "", source: str = "", sha256: str = ""
) -> tuple[str, str]:
    """``(source, sha256)`` of the file a notebook's scenario came from, for its cover.

    What the batch passed (``source``, ``sha256``) wins; a notebook run by hand reads
    ``scenario_path`` or the shipped base scenario; YAML text without a source has no file
    (``("", "")``).
    """
    if source or scenario_yaml.strip():
        return source, sha256
    if scenario_path:
        return str(scenario_path), file_sha256(scenario_path)
    for path in resources.scenario_files():
        if path.stem == "base":
            return _shown_source(path), file_sha256(path)
    return "", ""


def scenario_files_for_notebook(scenario_files: str = "", scenarios_yaml: str = "") -> list[tuple[str, str]]:
    """``(source, sha256)`` of each compared scenario's file: the YAML list of ``[source, sha256]``
    pairs the batch passed, else (shipped scenarios) the shipped files'."""
    import yaml

    if scenario_files.strip():
        data = yaml.safe_load(scenario_files) or []
        return [(str(a), str(b)) for a, b in data]
    if scenarios_yaml.strip():
        return []
    return [(_shown_source(p), file_sha256(p)) for p in resources.scenario_files()]


def names_for_notebook(names_yaml: str = "") -> list[str]:
    """A YAML list of names (the comparison's ``left_out``) as a list of strings."""
    import yaml

    data = yaml.safe_load(names_yaml) if names_yaml.strip() else []
    if not isinstance(data, list):
        raise DivaeconError(f"left_out: a YAML list of scenario names is allowed, got {type(data).__name__}")
    return [str(x) for x in data]


def files_to_yaml(inputs: Sequence[ScenarioInput]) -> str:
    """The ``scenario_files`` parameter of the comparison: ``[source, sha256]`` of each input."""
    import yaml

    return yaml.safe_dump([[item.source, item.sha256] for item in inputs])


def futures_for_notebook(futures_files: str = "") -> list[Scenario]:
    """The future scenarios the comparison sets beside today's: the files of the YAML list
    ``futures_files``, else the shipped futures (``data/scenarios/futures/*.yaml``)."""
    import yaml

    if futures_files.strip():
        data = yaml.safe_load(futures_files) or []
        if not isinstance(data, list):
            raise DivaeconError(f"futures_files: a YAML list of scenario files is allowed, got {type(data).__name__}")
        return [load_scenario(str(p)) for p in data]
    return [load_scenario(p) for p in resources.future_scenario_files()]


def scenario_for_notebook(scenario_yaml: str = "", scenario_path: str = "") -> Scenario:
    """The scenario a notebook runs: the YAML text papermill passed, else a file, else the
    shipped base scenario."""
    import yaml

    if scenario_yaml.strip():
        return scenario_from_dict(yaml.safe_load(scenario_yaml) or {}, source="scenario_yaml")
    if scenario_path:
        return load_scenario(scenario_path)
    return shipped_base_scenario()
