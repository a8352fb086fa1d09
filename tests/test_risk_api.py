"""The risk model from a scenario: report, risk-adjusted yields, frontier, peers and tornado."""

from __future__ import annotations

import json

import numpy as np
import pytest

from divaecon import protocol
from divaecon.errors import DivaeconError
from divaecon.params import Scenario, load_scenario
from divaecon.quote import quote
from divaecon.risk import closed_form, frontier, peer_frontier, risk_model, risk_report, tornado
from divaecon.risk.sensitivity import RATE_GROUPS, assumed_parameters, required_collateral_curves
from divaecon.risk.yields import yields_at


@pytest.fixture(scope="module")
def report():
    return risk_report(Scenario(), validator_years=200_000, seed=3)


def test_report_has_every_figure_of_the_issue(report):
    d = report.as_dict()
    json.dumps(d, allow_nan=False)  # JSON-ready: no NaN or infinity
    mc = d["monte_carlo"]
    for key in (
        "mean_loss_eth",
        "loss_quantiles_eth",
        "key_share_loss_quantiles_eth",
        "key_share_loss_exceeds_collateral_probability",
        "shortfall_probability",
        "expected_shortfall_eth",
        "shortfall_apr",
        "mean_loss_per_eth_staked",
    ):
        assert key in mc
    assert set(mc["loss_quantiles_eth"]) == {"p95", "p99", "p99.9"}
    for target in ("loss_probability", "shortfall_apr"):
        req = d["required_collateral_per_key_share_eth"][target]
        assert req["monte_carlo_low"] <= req["exact"] <= req["monte_carlo_high"]
    assert {row["event"] for row in d["by_class"]} >= {
        "inactivity leak",
        "client slashing",
        "theft",
        "regional outage",
        "abandonment",
    }


def test_report_takes_the_scenario_defaults_and_overrides():
    s = Scenario()
    r = risk_report(s, collateral_per_key_share_eth=0.5, target_loss_probability=1e-3, validator_years=20_000)
    assert r.collateral_per_key_share_eth == 0.5
    assert set(r.required_collateral) == {"loss_probability"}  # the one target asked for
    assert r.required_collateral["loss_probability"]["target"] == 1e-3
    assert r.sample.validator_years == 20_000 and r.sample.seed == s.risk.mc_seed
    both = risk_report(s, validator_years=20_000)
    assert both.required_collateral["shortfall_apr"]["target"] == s.risk.target_shortfall_apr
    assert both.required_collateral["loss_probability"]["target"] == s.risk.target_loss_probability_per_year


def test_risk_adjusted_yields_are_the_quote_minus_expected_losses(report):
    s = Scenario()
    q = quote(s)
    y = report.yields
    # with no losses the operator APR is the quote's assigned APR (same formula, same inputs)
    assert y["operator_apr"] == pytest.approx(
        protocol.operator_apr_assigned(
            q.staker_apr,
            q.operator_reward_per_key_share_eth_per_year,
            1.0,
            q.collateral_penalty_per_key_share_eth_per_year,
        )
    )
    assert y["operator_apr_net"] < y["operator_apr"]
    assert y["staker_apr_net"] < y["staker_apr"] == pytest.approx(q.staker_apr)
    exact = closed_form.model_figures(risk_model(s), 1.0)
    assert y["shortfall_apr"] == pytest.approx(float(exact.expected_shortfall_eth[0]) / 32)


def test_frontier_trades_operator_yield_against_stakers_risk():
    table = frontier(Scenario())
    c = table["collateral_per_key_share_eth"].to_numpy()
    assert np.all(np.diff(c) > 0) and 1.0 in c
    assert np.all(np.diff(table["operator_apr_net"]) < 0)  # less collateral: more yield on it ...
    assert np.all(np.diff(table["shortfall_apr"]) <= 1e-15)  # ... and more risk for stakers
    assert np.all(table["staker_apr_net"] <= table["staker_apr"])


def test_peers_at_the_same_event_rates():
    table = peer_frontier(Scenario())
    names = " ".join(table["name"])
    for peer in ("Solo", "Rocket Pool megapool", "Lido CSM", "SSV cluster 3/4"):
        assert peer in names
    solo = table[table["name"].str.startswith("Solo")].iloc[0]
    assert solo["shortfall_apr"] == 0.0  # no stakers but the operator
    bondless = table[table["name"].str.startswith("SSV")].iloc[0]
    assert bondless["bond_per_operator_eth"] == 0.0
    assert bondless["shortfall_apr"] == pytest.approx(bondless["mean_loss_eth_per_validator_year"] / 32)
    for prefix in ("Rocket Pool", "Lido CSM"):
        bonded = table[table["name"].str.startswith(prefix)].iloc[0]
        assert bonded["operator_apr_net"] < bonded["operator_apr"]


def test_tornado_names_every_assumed_rate_and_sorts_by_swing():
    s = Scenario()
    table = tornado(s, parameters=["leak_rate_per_year", "client_slashing_rate_per_year", "leak_duration_days"])
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    leak = table[table["parameter"] == "leak_rate_per_year"].iloc[0]
    assert leak["required_at_low"] < leak["required_at_base"] < leak["required_at_high"]
    assert leak["low"] == pytest.approx(0.025) and leak["high"] == pytest.approx(0.1)
    assumed = assumed_parameters()
    assert "leak_rate_per_year" in assumed and "el_reward_mean_eth" not in assumed  # sourced, not assumed
    with pytest.raises(DivaeconError, match="not in the risk section"):
        tornado(s, parameters=["leak_rate"])


def test_quote_does_not_move_with_the_risk_section():
    # the tornado and the rate curves compute the quote once and reuse it for every risk model
    s = Scenario()
    moved = s.override(
        **{
            "risk.leak_rate_per_year": 0.5,
            "risk.client_slashing_rate_per_year": 0.2,
            "risk.outage_fraction_correlation": 0.4,
            "risk.target_loss_probability_per_year": 0.05,
        }
    )
    assert quote(moved) == quote(s)


def test_rate_curves_meet_each_target_and_rise_with_the_rates():
    s = Scenario()
    r = s.risk
    mult = [0.0, 0.5, 1.0, 2.0]
    curves = required_collateral_curves(
        s, mult, target_loss_probability=r.target_loss_probability_per_year, target_shortfall_apr=r.target_shortfall_apr
    )
    assert set(curves["target"]) == {"target_loss_probability", "target_shortfall_apr"}
    assert len(curves) == len(RATE_GROUPS) * len(mult) * 2
    # at × 1 every group is the scenario itself: the answer solved directly on its model, at
    # the quoted precision (the curves solve to DISPLAY_RTOL)
    model = risk_model(s)
    for name, value in (
        ("target_loss_probability", r.target_loss_probability_per_year),
        ("target_shortfall_apr", r.target_shortfall_apr),
    ):
        direct = closed_form.required_collateral(model, **{name: value})
        at_one = curves[(curves["target"] == name) & (curves["multiplier"] == 1.0)]["required_collateral_eth"]
        assert np.allclose(at_one, direct, rtol=2 * closed_form.DISPLAY_RTOL, atol=0)
        for _group, sub in curves[curves["target"] == name].groupby("group"):
            assert np.all(np.diff(sub["required_collateral_eth"].to_numpy()) >= 0)  # more events, more collateral
    # no events at all: nothing can reach the stakers, so no collateral is needed
    none = curves[(curves["group"] == "every event rate") & (curves["multiplier"] == 0.0)]
    assert list(none["required_collateral_eth"]) == [0.0, 0.0]
    # one target alone: the scenario's loss-probability target by default
    default = required_collateral_curves(s, [1.0], groups={"leaks": ("leak_rate_per_year",)})
    assert list(default["target"]) == ["target_loss_probability"]
    with pytest.raises(DivaeconError, match="multipliers"):
        required_collateral_curves(s, [1.0, float("nan")])


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"collateral_per_key_share_eth": -1.0}, "collateral_per_key_share_eth = -1.0"),
        ({"target_loss_probability": 1.5}, "target_loss_probability = 1.5"),
        ({"target_shortfall_apr": 0.0}, "target_shortfall_apr = 0.0"),
        ({"target_shortfall_apr": 1e-4, "target_loss_probability": 1e-4}, "at most one"),
    ],
)
def test_bad_report_input_is_named(kwargs, fragment):
    with pytest.raises(DivaeconError) as info:
        risk_report(Scenario(), validator_years=10_000, **kwargs)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_bad_risk_section_is_named(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("risk:\n  leak_rate_per_year: -1\n  leak_operator_fraction: 2\n", encoding="utf-8")
    with pytest.raises(DivaeconError) as info:
        load_scenario(p)
    msg = str(info.value)
    assert "risk.leak_rate_per_year = -1" in msg and "risk.leak_operator_fraction = 2" in msg
    assert "\n" not in msg


def test_yields_at_broadcasts_over_collateral():
    s = Scenario()
    m = risk_model(s)
    one = yields_at(s, m, [0.5])
    many = yields_at(s, m, [0.25, 0.5, 1.0])
    assert many.iloc[1].to_dict() == pytest.approx(one.iloc[0].to_dict())
