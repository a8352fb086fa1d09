"""A whole scenario: :class:`Scenario`, its sections, parameter names, and reading, validating
and writing scenario files (the table of ``ASSUMPTIONS.md``, too).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_serializer, field_validator, model_validator

from divaecon.errors import ParameterError
from divaecon.params._fields import MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, SECTIONS, _format_value, _Params, param
from divaecon.params._spread import override_problems, support_problem
from divaecon.params.costs import OperatorCostParams
from divaecon.params.diva import DivaParams
from divaecon.params.ethereum import EthereumParams
from divaecon.params.peers import PeerParams
from divaecon.params.risk import RiskParams
from divaecon.params.simulation import SimulationParams


class Scenario(_Params):
    """A named, complete set of parameters: what a scenario file holds."""

    name: str = param("base", "-", "-", "Scenario name shown on reports.", min_length=1)
    description: str = param("", "-", "-", "One line on what the scenario explores.")
    ethereum: EthereumParams = Field(default_factory=EthereumParams)
    diva: DivaParams = Field(default_factory=DivaParams)
    costs: OperatorCostParams = Field(default_factory=OperatorCostParams)
    peers: PeerParams = Field(default_factory=PeerParams)
    simulation: SimulationParams = Field(default_factory=SimulationParams)
    risk: RiskParams = Field(default_factory=RiskParams)
    uncertainty: Any = Field(
        default=(),
        description="Distributions this scenario gives uncertain inputs, replacing those beside the defaults: "
        "section.field -> {kind, its parameters, basis} (divaecon.uncertainty).",
    )
    """``(section.field, kind, basis text, ((parameter, value), ...))`` per entry of the file's
    ``uncertainty:`` section, checked by :func:`divaecon.params._spread.override_problems`; dumped
    back as that mapping."""

    @field_validator("uncertainty", mode="before")
    @classmethod
    def _parse_uncertainty(cls, raw: Any) -> Any:
        if isinstance(raw, tuple):  # already parsed (a copy of a scenario): check it again as a mapping
            raw = _uncertainty_mapping(raw)
        parsed, problems = override_problems(raw)
        if problems:
            raise ValueError("; ".join(problems))
        return tuple((k, v["kind"], v["text"], tuple(v["parameters"].items())) for k, v in parsed.items())

    @field_serializer("uncertainty")
    def _dump_uncertainty(self, value: Any) -> dict[str, dict[str, Any]]:
        return _uncertainty_mapping(value)

    @model_validator(mode="after")
    def _check_texts(self) -> Scenario:
        problems = []
        for field, limit in (("name", MAX_NAME_CHARS), ("description", MAX_DESCRIPTION_CHARS)):
            text = getattr(self, field)
            if len(text) > limit:
                problems.append(f"{field} = {_format_value(text)}: at most {limit:,} characters (has {len(text):,})")
        if not self.name.strip():
            problems.append(f"name = {_format_value(self.name)}: must contain a visible character")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _check_uncertainty(self) -> Scenario:
        """Each ``uncertainty:`` entry against its field's allowed range and the scenario's value."""
        problems = []
        for key, kind, _, params in self.uncertainty:
            section, _, field = key.partition(".")
            problem = support_problem(section, field, kind, dict(params), float(getattr(getattr(self, section), field)))
            if problem:
                problems.append(f"uncertainty.{key} ({kind}): {problem}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def override(self, **values: Any) -> Scenario:
        """A copy with fields replaced, validated; names may be plain or ``section.field``
        (``uncertainty`` replaces the whole ``uncertainty:`` section, as a file writes it)."""
        return scenario_from_dict(apply_overrides(self.model_dump(), values), source="override")


SECTIONS.update(
    {
        "ethereum": EthereumParams,
        "diva": DivaParams,
        "costs": OperatorCostParams,
        "peers": PeerParams,
        "simulation": SimulationParams,
        "risk": RiskParams,
    }
)


def _uncertainty_mapping(value: Any) -> dict[str, dict[str, Any]]:
    """The parsed ``uncertainty`` entries as the mapping a scenario file writes."""
    try:
        return {name: {"kind": kind, **dict(params), "basis": text} for name, kind, text, params in value}
    except (TypeError, ValueError):
        return value  # not parsed: the validator names the problem


def field_sections() -> dict[str, str]:
    """Map each parameter's plain name to its section (names are unique across sections)."""
    out: dict[str, str] = {}
    for section, cls in SECTIONS.items():
        for name in cls.model_fields:
            out[name] = section
    return out


def resolve_name(name: str) -> tuple[str, str]:
    """``("section", "field")`` for a plain or dotted parameter name, or a ParameterError."""
    sections = field_sections()
    if "." in name:
        section, _, field = name.partition(".")
        if section in SECTIONS and field in SECTIONS[section].model_fields:
            return section, field
    elif name in sections:
        return sections[name], name
    raise ParameterError([f"{name}: unknown parameter; allowed: " + ", ".join(sorted(sections))])


def apply_overrides(data: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A nested scenario dict with ``values`` (plain or dotted names) put in place."""
    out = {k: dict(v) if isinstance(v, Mapping) else v for k, v in data.items()}
    for name, value in values.items():
        if name in ("name", "description", "uncertainty"):
            out[name] = value
            continue
        section, field = resolve_name(name)
        out.setdefault(section, {})[field] = value
    return out


def _problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) if len(str(p)) <= 60 else str(p)[:57] + "..." for p in err["loc"])
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            parent = err["loc"][:-1]
            cls: type[BaseModel] = Scenario
            for part in parent:
                cls = SECTIONS.get(str(part), cls)
            allowed = ", ".join(cls.model_fields)
            problems.append(f"{loc} = {_format_value(value)}: unknown parameter; allowed: {allowed}")
        elif err["type"] == "value_error":
            problems.append(str(err["msg"]).removeprefix("Value error, "))
        else:
            msg = str(err["msg"])
            problems.append(f"{loc} = {_format_value(value)}: {msg[:1].lower() + msg[1:]}")
    return problems


def scenario_from_dict(data: Mapping[str, Any], source: str | None = None) -> Scenario:
    """Validate a nested mapping into a :class:`Scenario`; every problem in one error."""
    if not isinstance(data, Mapping):
        raise ParameterError([f"scenario must be a mapping of sections, got {type(data).__name__}"], source)
    prepared = dict(data)
    peers = prepared.get("peers")
    if isinstance(peers, Mapping) and isinstance(peers.get("ssv_cluster_sizes"), list):
        prepared["peers"] = {**peers, "ssv_cluster_sizes": tuple(peers["ssv_cluster_sizes"])}
    try:
        return Scenario.model_validate(prepared)
    except ValidationError as exc:
        raise ParameterError(_problems(exc), source) from None


MAX_SCENARIO_BYTES = 1_000_000
"""Largest scenario file read (1 MB; the shipped ones are about 1.5 kB)."""


def decode_utf8(data: bytes, source: str | None = None) -> str:
    """``data`` as UTF-8 text (a leading byte-order mark dropped), or a ParameterError saying where not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParameterError(["UTF-16 text: save the file as UTF-8"], source)
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise ParameterError([f"byte {at:,} is NUL: a binary file, not UTF-8 YAML text"], source)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParameterError(
            [
                f"line {line}, column {column}: byte 0x{data[exc.start]:02x} is not UTF-8 (Latin-1 or "
                "Windows-1252 text?): save the file as UTF-8"
            ],
            source,
        ) from None


def scenario_from_yaml(text: str, source: str | None = None, default_name: str | None = None) -> Scenario:
    """Parse and validate scenario YAML text (:mod:`divaecon.safeyaml` rules), e.g. a notebook's
    ``scenario_yaml`` parameter; ``default_name`` is used when the text names no scenario."""
    from divaecon import safeyaml

    data = safeyaml.loads(text, source)
    if data is None:
        data = {}
    if isinstance(data, Mapping) and "name" not in data and default_name is not None:
        data = {"name": default_name, **data}
    return scenario_from_dict(data, source=source)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario YAML file; the name defaults to the file's stem.

    Refused with a :class:`~divaecon.errors.ParameterError` naming the file: anything but a
    regular file of at most :data:`MAX_SCENARIO_BYTES` (checked before reading, so a device or
    named pipe never blocks), text that is not UTF-8, and every refusal of
    :func:`divaecon.safeyaml.loads` (duplicate keys, YAML 1.1-only forms, alias bombs, with line
    and column); then every invalid field, as :func:`scenario_from_dict`.
    """
    from divaecon._io import read_limited

    if str(path) == "":
        raise ParameterError(["scenario file name is empty: give the path of a YAML file"])
    p = Path(path)
    data = read_limited(p, MAX_SCENARIO_BYTES, "scenario file")
    return scenario_from_yaml(decode_utf8(data, str(p)), source=str(p), default_name=p.stem)


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML, readable back by :func:`load_scenario` (and alike by YAML 1.1 readers:
    every string either version would read as something else is quoted)."""
    from divaecon.safeyaml import core_dumper

    data = scenario.model_dump(mode="json")
    if not data.get("uncertainty"):
        data.pop("uncertainty", None)  # the defaults' own spreads: nothing to write
    return yaml.dump(data, Dumper=core_dumper(), sort_keys=False, allow_unicode=True)


def assumptions_table(sections: Iterable[str] = SECTIONS) -> str:
    """Markdown table of every parameter: name, default, unit, source, meaning."""
    rows = ["| parameter | default | unit | source | meaning |", "|---|---|---|---|---|"]
    for section in sections:
        cls = SECTIONS[section]
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            default = info.default
            is_number = isinstance(default, int | float) and not isinstance(default, bool)
            shown = f"{default:,}" if is_number else str(default)
            rows.append(
                f"| `{section}.{name}` | {shown} | {extra.get('unit', '')} | "
                f"{extra.get('source', '')} | {info.description or ''} |"
            )
    return "\n".join(rows)
