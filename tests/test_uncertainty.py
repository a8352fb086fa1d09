"""Uncertainty as data (issue 17 item 1): spreads beside the defaults, their distributions, the
scenario file's ``uncertainty:`` section. Expected values are computed by hand in the comments."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from divaecon import records
from divaecon.errors import ParameterError
from divaecon.params import Scenario, load_scenario, scenario_from_yaml, scenario_to_yaml
from divaecon.params._spread import field_range, spread
from divaecon.risk.sensitivity import assumed_parameters
from divaecon.uncertainty import input_names, make_input, sample_values, scenario_at, uncertain_inputs

ROOT = Path(__file__).resolve().parents[1]
U = np.array([1e-9, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1 - 1e-9])


def test_every_risk_assumption_of_the_tornado_is_uncertain():
    names = input_names()
    assert {f"risk.{n}" for n in assumed_parameters()} <= set(names)
    for extra in (
        "ethereum.el_reward_per_block_eth",
        "diva.operator_uptime",
        "simulation.ethereum_stake_growth_eth_per_day",
        "costs.hardware_cost_usd",
    ):
        assert extra in names
    assert len(names) >= 16  # issue 17 item 5: Sobol over at least 16 inputs


def test_order_is_the_file_order_and_stable():
    names = input_names()
    sections = ["ethereum", "diva", "costs", "peers", "simulation", "risk"]
    ranks = [sections.index(n.partition(".")[0]) for n in names]
    assert ranks == sorted(ranks)
    assert [i.name for i in uncertain_inputs()] == names == input_names(Scenario())


@pytest.mark.parametrize("inp", uncertain_inputs(), ids=lambda i: i.name)
def test_samples_stay_in_the_allowed_range_and_make_valid_scenarios(inp):
    section, _, name = inp.name.partition(".")
    lo, hi, lo_open, hi_open = field_range(section, name)
    x = inp.ppf(U)
    assert np.all(np.diff(x) >= 0)  # an inverse CDF is monotone
    assert np.all(x >= lo) and np.all(x <= hi)
    if lo_open:
        assert np.all(x > lo)
    if hi_open:
        assert np.all(x < hi)
    a, b = inp.interval(0.9)
    assert inp.low <= a < b <= inp.high
    scenario_at(Scenario(), [inp], [x[0]])  # validates
    scenario_at(Scenario(), [inp], [x[-1]])
    assert inp.basis in ("range", "record", "assumption")
    assert inp.source


def test_loguniform_times_or_divided_by_two_by_hand():
    # log-uniform on [0.025, 0.1]: quantile q is 0.025 * 4**q; 4**0.05 = 1.071773, 4**0.95 = 3.732132
    leak = next(i for i in uncertain_inputs() if i.name == "risk.leak_rate_per_year")
    assert leak.kind == "loguniform" and leak.basis in ("assumption", "record")
    if leak.basis == "assumption":
        lo, hi = leak.interval(0.90)
        assert lo == pytest.approx(0.0267943, rel=1e-5) and hi == pytest.approx(0.0933033, rel=1e-5)


def test_cut_at_the_fields_bound_by_hand():
    # dvt_software_outage_operator_fraction = 1 (at most 1): ×/÷ 2 is [0.5, 2], cut to [0.5, 1];
    # the cut log-uniform on [0.5, 1] has median 0.5 * 2**0.5 = 0.707107
    inp = next(i for i in uncertain_inputs() if i.name == "risk.dvt_software_outage_operator_fraction")
    assert inp.high == 1.0 and inp.median == pytest.approx(0.7071068, rel=1e-6)
    assert "cut to" in inp.describe()


def test_gamma_posterior_by_hand():
    # Gamma(shape 1/2, rate 2) is chi-square(1) / (2 * 2); chi-square(1) median 0.4549364 (tables)
    inp = make_input("risk.leak_rate_per_year", "gamma", {"shape": 0.5, "rate": 2.0}, "record", "x", 0.05)
    assert inp.median == pytest.approx(0.4549364 / 4, rel=1e-6)
    # 95th percentile: chi-square(1) 3.841459 -> 0.9603647
    assert inp.interval(0.9)[1] == pytest.approx(3.841459 / 4, rel=1e-6)


def test_normal_cut_to_a_fraction_by_hand():
    # normal(1, 0.1) cut to [0, 1]: half the mass is left, its median is the normal's 25th
    # percentile, 1 - 0.6744898 * 0.1 = 0.932551
    inp = make_input("diva.operator_uptime", "normal", {"mean": 1.0, "sd": 0.1}, "assumption", "x", 0.95)
    assert inp.median == pytest.approx(0.9325510, rel=1e-6)
    assert inp.high == 1.0


def test_el_reward_sigma_from_the_record_by_hand():
    # data/history_el_reward.csv, independent totals: 0.112 (2023-06-01), 0.0676 (2024-06-24),
    # 0.030 (2026-01-30). ln(0.0676/0.112) = -0.504897, ln(0.030/0.0676) = -0.812409; spans 389 and
    # 585 days = 2.666722 years; sigma^2 = (0.254921 + 0.660008) / 2.666722 = 0.343093; sigma = 0.585742
    assert records.el_reward_log_sigma() == pytest.approx(0.585742, rel=1e-5)
    inp = next(i for i in uncertain_inputs() if i.name == "ethereum.el_reward_per_block_eth")
    assert inp.kind == "lognormal" and inp.basis == "record"
    assert inp.median == pytest.approx(0.029, rel=1e-9)  # centred on the scenario's value
    # 90 %: 0.029 * exp(-/+ 1.644854 * 0.585742) = 0.029 / 2.620747, 0.029 * 2.620747 = 0.011066, 0.076002
    assert inp.interval(0.9) == pytest.approx((0.011066, 0.076002), rel=1e-4)


def test_stake_growth_range_from_the_record_by_hand():
    # beaconcha.in active balance: 32,985,160 (2024-06-30), 35,374,266 (2025-06-30), 39,255,940 (2026-05-31)
    # (35,374,266 - 32,985,160) / 365 = 6,545.49; (39,255,940 - 35,374,266) / 335 = 11,587.09
    lo, hi = records.stake_growth_range()
    assert lo == pytest.approx(6545.49, abs=0.01) and hi == pytest.approx(11587.09, abs=0.01)


def test_relative_spreads_follow_the_scenario():
    s = Scenario().override(**{"risk.leak_rate_per_year": 0.2})
    leak = uncertain_inputs(s, ["leak_rate_per_year"])[0]
    assert leak.default == 0.2
    if leak.basis == "assumption":
        assert (leak.low, leak.high) == pytest.approx((0.1, 0.4))


def test_names_select_and_refuse():
    picked = uncertain_inputs(None, ["risk.leak_rate_per_year", "diva.operator_uptime"])
    assert [i.name for i in picked] == ["risk.leak_rate_per_year", "diva.operator_uptime"]
    with pytest.raises(ParameterError, match="not uncertain"):
        uncertain_inputs(None, ["diva.threshold"])
    with pytest.raises(ParameterError, match="unknown parameter"):
        uncertain_inputs(None, ["risk.nope"])
    with pytest.raises(ParameterError, match="at most once"):
        uncertain_inputs(None, ["leak_rate_per_year", "risk.leak_rate_per_year"])


def test_sample_values_column_by_column():
    inputs = uncertain_inputs()
    u = np.full((3, len(inputs)), 0.5)
    x = sample_values(inputs, u)
    assert x.shape == (3, len(inputs))
    assert x[0, 0] == pytest.approx(inputs[0].median)
    with pytest.raises(ParameterError, match="shape"):
        sample_values(inputs, u[:, :2])
    with pytest.raises(ParameterError, match="between 0 and 1"):
        inputs[0].ppf([0.0])


OVERRIDE = """\
uncertainty:
  risk.leak_rate_per_year: {kind: gamma, shape: 0.5, rate: 3.5, basis: "no leak in 3.5 years"}
  diva.operator_uptime: {kind: triangular, low: 0.95, mode: 0.98, high: 0.996}
  risk.cloud_outage_rate_per_year: {kind: loguniform, factor: 3}
  costs.hardware_cost_usd: {kind: fixed}
"""


def test_a_scenario_file_overrides_spreads(tmp_path):
    p = tmp_path / "u.yaml"
    p.write_text(OVERRIDE)
    s = load_scenario(p)
    by_name = {i.name: i for i in uncertain_inputs(s)}
    assert "costs.hardware_cost_usd" not in by_name  # fixed
    leak = by_name["risk.leak_rate_per_year"]
    assert (leak.kind, leak.basis, leak.source) == ("gamma", "override", "no leak in 3.5 years")
    assert leak.parameters == {"shape": 0.5, "rate": 3.5}
    cloud = by_name["risk.cloud_outage_rate_per_year"]
    assert (cloud.low, cloud.high) == pytest.approx((0.2 / 3, 0.6))
    # triangular 0.95-0.98-0.996: F(mode) = (0.98 - 0.95) / 0.046 = 0.652174 > 0.5, so the median is
    # 0.95 + sqrt(0.5 * 0.046 * 0.03) = 0.976268
    assert by_name["diva.operator_uptime"].median == pytest.approx(0.976268, rel=1e-5)
    # the section survives writing and reading back, and overrides of other fields
    again = scenario_from_yaml(scenario_to_yaml(s))
    assert again.uncertainty == s.uncertainty
    assert s.override(threshold=10).uncertainty == s.uncertainty
    assert "uncertainty" not in scenario_to_yaml(Scenario())


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("uncertainty: 3", "uncertainty = 3: must be a mapping"),
        ("uncertainty:\n  risk.nope: {kind: gamma}", "uncertainty.risk.nope: unknown"),
        ("uncertainty:\n  7: {kind: gamma}", "uncertainty.7: unknown"),
        ("uncertainty:\n  diva.threshold: {kind: uniform, low: 1, high: 2}", "cannot be uncertain"),
        ("uncertainty:\n  diva.two_step_deposit: {kind: uniform, low: 0, high: 1}", "cannot be uncertain"),
        ("uncertainty:\n  risk.target_shortfall_apr: {kind: fixed}", "a target the user chooses"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: beta}", "unknown kind; allowed: loguniform"),
        ("uncertainty:\n  risk.leak_rate_per_year: [1]", "must be a mapping with kind"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: gamma, shape: 1}", "gamma takes (shape, rate)"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: gamma, shape: .nan, rate: 1}", "must be a finite number"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: gamma, shape: .inf, rate: 1}", "must be a finite number"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: gamma, shape: 1, rate: 0}", "rate = 0.0: must be greater"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: gamma, shape: '1', rate: 1}", "must be a number"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: uniform, low: 2, high: 1}", "low must be below high"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: uniform, low: -1, high: 1}", "outside the field's allowed"),
        ("uncertainty:\n  diva.operator_uptime: {kind: uniform, low: 0.9, high: 1.5}", "outside the field's allowed"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: normal, mean: 1000, sd: 1}", "centre 1000 is outside"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: loguniform, factor: 1}", "must be greater than 1"),
        ("uncertainty:\n  diva.failure_correlation: {kind: loguniform, factor: 2}", "needs a value above 0"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: triangular, low: 0, mode: 3, high: 2}", "mode = 3.0"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: gamma, shape: 1, rate: 1, basis: 3}", "basis = 3: must be"),
        ("uncertainty:\n  risk.leak_rate_per_year: {kind: gamma, shape: 1, rate: 1e400}", "finite number"),
    ],
)
def test_bad_uncertainty_sections_are_one_line_parameter_errors(text, fragment):
    with pytest.raises(ParameterError) as info:
        scenario_from_yaml(text, source="s.yaml")
    message = str(info.value)
    assert fragment in message and "\n" not in message


def test_spread_helper_refuses_bad_defaults():
    with pytest.raises(ValueError, match="kind"):
        spread("beta", "assumption", "x")
    with pytest.raises(ValueError, match="basis"):
        spread("uniform", "guess", "x", low=0, high=1)
    with pytest.raises(ValueError, match="low must be below high"):
        spread("uniform", "range", "x", low=1, high=0)
    assert spread("loguniform", "assumption", "x", factor=2)["parameters"] == {"factor": 2}
    assert not math.isnan(uncertain_inputs()[0].median)


def test_assumptions_md_lists_every_spread():
    from divaecon.uncertainty import uncertainty_table

    text = (ROOT / "ASSUMPTIONS.md").read_text()
    assert uncertainty_table() in text, "regenerate with: make assumptions (python -m divaecon.params)"


def test_override_replaces_the_uncertainty_section():
    s = Scenario().override(uncertainty={"risk.leak_rate_per_year": {"kind": "fixed"}})
    assert "risk.leak_rate_per_year" not in input_names(s)
    assert "risk.leak_rate_per_year" in input_names(s.override(uncertainty={}))
    with pytest.raises(ParameterError, match="unknown kind"):
        Scenario().override(uncertainty={"risk.leak_rate_per_year": {"kind": "nope"}})


def test_cli_refuses_a_bad_uncertainty_section_in_one_line(tmp_path, capsys):
    from divaecon.cli import main

    p = tmp_path / "s.yaml"
    p.write_text("uncertainty:\n  diva.operator_uptime: {kind: uniform, low: 0.9, high: 1.5}\n")
    assert main(["quote", "--scenario", str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "uncertainty.diva.operator_uptime (uniform)" in err and str(p) in err
    p.write_text(OVERRIDE)
    assert main(["quote", "--json", "--scenario", str(p)]) == 0  # a valid section changes no figure


def _plain_ppf(kind: str, p: dict[str, float], q: float) -> float:
    """The inverse CDF of the uncut distributions from their textbook formulas (the scalar twin)."""
    from statistics import NormalDist

    if kind == "loguniform":
        return p["low"] * (p["high"] / p["low"]) ** q
    if kind == "uniform":
        return p["low"] + q * (p["high"] - p["low"])
    if kind == "triangular":
        lo, mode, hi = p["low"], p["mode"], p["high"]
        f_mode = (mode - lo) / (hi - lo)
        if q < f_mode:
            return lo + math.sqrt(q * (hi - lo) * (mode - lo))
        return hi - math.sqrt((1 - q) * (hi - lo) * (hi - mode))
    if kind == "normal":
        return NormalDist(p["mean"], p["sd"]).inv_cdf(q)
    assert kind == "lognormal"
    return p["median"] * math.exp(p["sigma"] * NormalDist().inv_cdf(q))


def _plain_cdf(kind: str, p: dict[str, float], x: float) -> float:
    from statistics import NormalDist

    if kind == "loguniform":
        return min(max(math.log(x / p["low"]) / math.log(p["high"] / p["low"]), 0.0), 1.0) if x > 0 else 0.0
    if kind == "uniform":
        return min(max((x - p["low"]) / (p["high"] - p["low"]), 0.0), 1.0)
    if kind == "triangular":
        lo, mode, hi = p["low"], p["mode"], p["high"]
        if x <= lo:
            return 0.0
        if x >= hi:
            return 1.0
        if x <= mode:
            return (x - lo) ** 2 / ((hi - lo) * (mode - lo))
        return 1 - (hi - x) ** 2 / ((hi - lo) * (hi - mode))
    if kind == "normal":
        return NormalDist(p["mean"], p["sd"]).cdf(x)
    return NormalDist().cdf(math.log(x / p["median"]) / p["sigma"]) if x > 0 else 0.0


@pytest.mark.parametrize(
    ("name", "kind", "params"),
    [
        ("risk.leak_rate_per_year", "loguniform", {"low": 0.01, "high": 0.4}),
        ("diva.operator_uptime", "uniform", {"low": 0.9, "high": 1.0}),
        ("diva.operator_uptime", "triangular", {"low": 0.9, "mode": 0.97, "high": 1.0}),
        ("diva.operator_uptime", "normal", {"mean": 0.97, "sd": 0.03}),  # cut at 1
        ("risk.leak_operator_fraction", "lognormal", {"median": 0.6, "sigma": 0.8}),  # cut at 1
    ],
)
def test_vectorised_ppf_matches_a_plain_scalar_twin(name, kind, params):
    inp = make_input(name, kind, params, "assumption", "x", 0.5)
    lo_mass, hi_mass = _plain_cdf(kind, params, inp.low), _plain_cdf(kind, params, inp.high)
    u = np.linspace(0.001, 0.999, 41)
    twin = [_plain_ppf(kind, params, lo_mass + q * (hi_mass - lo_mass)) for q in u]
    assert inp.ppf(u) == pytest.approx(twin, rel=1e-9, abs=1e-12)
