"""Scenario loading and validation: every bad field named with its value and what is allowed."""

from __future__ import annotations

import dataclasses

import pydantic
import pytest

from divaecon.data import SCENARIO_DIR, scenario_paths
from divaecon.errors import DivaeconError, ParameterError
from divaecon.params import (
    SECTIONS,
    Scenario,
    assumptions_table,
    field_sections,
    load_scenario,
    resolve_name,
    scenario_from_dict,
    scenario_to_yaml,
)


def write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ethereum:\n  total_staked_eth: lots\n", ["ethereum.total_staked_eth = 'lots'", "valid number"]),
        ("ethereum:\n  total_staked_eth: -5\n", ["ethereum.total_staked_eth = -5", "greater than 0"]),
        ("diva:\n  threshold: 20\n", ["diva.threshold = 20", "at most key_shares_per_validator (16)"]),
        ("diva:\n  colateral: 1\n", ["diva.colateral", "unknown parameter", "collateral_per_key_share_eth"]),
        ("bogus_section: {}\n", ["bogus_section", "unknown parameter", "diva"]),
        ("diva:\n  key_shares_per_validator: 16.5\n", ["key_shares_per_validator = 16.5", "valid integer"]),
        ("diva:\n  operator_uptime: 1.5\n", ["diva.operator_uptime = 1.5", "less than or equal to 1"]),
        ("diva:\n  operator_fee: 0.6\n  treasury_fee: 0.6\n", ["operator_fee + treasury_fee", "at most 1"]),
        ("peers:\n  ssv_cluster_sizes: [4, 5]\n", ["ssv_cluster_sizes", "3f + 1"]),
        ("ethereum:\n  total_staked_eth: true\n", ["total_staked_eth = True", "valid number"]),
        ("simulation:\n  deposit_mode: sometimes\n", ["deposit_mode = 'sometimes'", "constant", "growth"]),
        ("- a\n- b\n", ["mapping"]),
        ("diva: [\n", ["not valid YAML"]),
    ],
)
def test_bad_scenario_files_are_named(tmp_path, text, expected):
    p = write(tmp_path, text)
    with pytest.raises(DivaeconError) as info:
        load_scenario(p)
    message = str(info.value)
    assert str(p) in message
    for fragment in expected:
        assert fragment in message
    assert "\n" not in message  # one line for the CLI


def test_every_problem_is_reported_at_once(tmp_path):
    p = write(tmp_path, "ethereum:\n  total_staked_eth: -1\ndiva:\n  operator_uptime: 2\n  typo: 3\n")
    with pytest.raises(ParameterError) as info:
        load_scenario(p)
    assert len(info.value.problems) == 3


def test_missing_file_is_a_package_error(tmp_path):
    with pytest.raises(DivaeconError, match="cannot read"):
        load_scenario(tmp_path / "nope.yaml")


def test_base_yaml_spells_out_the_embedded_default():
    base = load_scenario(SCENARIO_DIR / "base.yaml")
    default = Scenario()
    for section in SECTIONS:
        assert getattr(base, section) == getattr(default, section), section


def test_shipped_scenarios_load_and_differ():
    paths = scenario_paths()
    assert paths[0].stem == "base" and len(paths) >= 3
    scenarios = [load_scenario(p) for p in paths]
    names = {s.name for s in scenarios}
    assert {"base", "low-collateral", "large-network"} <= names
    low = next(s for s in scenarios if s.name == "low-collateral")
    assert low.diva.collateral_per_key_share_eth < 1


def test_override_plain_and_dotted_names_and_frozen():
    s = Scenario()
    a = s.override(collateral_per_key_share_eth=0.5)
    b = s.override(**{"diva.collateral_per_key_share_eth": 0.5})
    assert a == b and a.diva.collateral_per_key_share_eth == 0.5
    assert s.diva.collateral_per_key_share_eth == 1.0  # the original is untouched
    with pytest.raises(pydantic.ValidationError):
        s.diva.threshold = 3  # type: ignore[misc]
    with pytest.raises(ParameterError, match="unknown parameter"):
        s.override(colateral=1)
    with pytest.raises(ParameterError, match="greater than 0"):
        s.override(total_staked_eth=-1)
    assert not dataclasses.is_dataclass(s)  # pydantic, frozen


def test_field_names_are_unique_across_sections():
    counts: dict[str, int] = {}
    for cls in SECTIONS.values():
        for name in cls.model_fields:
            counts[name] = counts.get(name, 0) + 1
    assert [n for n, c in counts.items() if c > 1] == []
    assert resolve_name("threshold") == ("diva", "threshold")
    assert field_sections()["total_staked_eth"] == "ethereum"


def test_yaml_round_trip(tmp_path):
    s = Scenario().override(collateral_per_key_share_eth=0.3, name="x")
    p = write(tmp_path, scenario_to_yaml(s))
    assert load_scenario(p) == s


def test_every_parameter_documents_unit_and_source():
    for section, cls in SECTIONS.items():
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra
            assert isinstance(extra, dict) and extra.get("unit") and extra.get("source"), f"{section}.{name}"
            assert info.description, f"{section}.{name}"
    table = assumptions_table()
    assert "`diva.collateral_per_key_share_eth`" in table


def test_scenario_from_dict_rejects_non_mapping():
    with pytest.raises(ParameterError, match="mapping"):
        scenario_from_dict([1, 2])  # type: ignore[arg-type]
