"""The vectorised required-collateral solve (divaecon.risk.batch) against its scalar twin.

The twin is the scalar path the books quote: divaecon.risk.models.risk_model →
divaecon.risk.closed_form.required_collateral (rtol 1e-9), run on each parameter set alone.
Tolerance: 1e-3 relative on the required collateral and the figures. The two integrate the leak's
loss differently (the scalar path on 36,001 normal points, the batch exactly on the spec walk's
table) and the theft's block table on 20,001 against 4,001 nodes; on random sets they agree to
about 2e-4 on the loss-probability answer and 2e-6 on the shortfall answer.
"""

from __future__ import annotations

import numpy as np
import pytest

from divaecon import rules
from divaecon.errors import ParameterError
from divaecon.params import Scenario
from divaecon.risk import batch, closed_form, risk_model
from divaecon.risk.sensitivity import _bounds, assumed_parameters

RTOL = 1e-3


def _random_values(scenario: Scenario, n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    out = {}
    for name in assumed_parameters():
        base = float(getattr(scenario.risk, name))
        v = base * np.exp(rng.uniform(np.log(0.5), np.log(2.0), n))
        out["risk." + name] = np.clip(v, *_bounds(name))
    out["ethereum.total_staked_eth"] = rng.uniform(2.0e7, 4.5e7, n)
    out["risk.target_loss_probability_per_year"] = 10 ** rng.uniform(-5, -3, n)
    out["diva.failure_correlation"] = rng.uniform(0.0, 0.3, n)  # drives the events' ρ where above theirs
    return out


def _twin(scenario: Scenario, values: dict[str, np.ndarray], i: int) -> tuple[float, float, object]:
    s = scenario.override(**{k: float(v[i]) for k, v in values.items()})
    model = risk_model(s)
    p = closed_form.required_collateral(model, target_loss_probability=s.risk.target_loss_probability_per_year)
    q = closed_form.required_collateral(model, target_shortfall_apr=s.risk.target_shortfall_apr)
    return p, q, closed_form.model_figures(model, s.diva.collateral_per_key_share_eth)


@pytest.mark.parametrize("max_fits", [64, 2])  # exact block-reward fits, then the interpolated grid
def test_batch_equals_scalar_twin_on_random_sets(monkeypatch: pytest.MonkeyPatch, max_fits: int) -> None:
    monkeypatch.setattr(batch, "MAX_EL_FITS", max_fits)
    scenario = Scenario()
    values = _random_values(scenario, 12, seed=17 + max_fits)
    got = batch.required_collateral_batch(scenario, values)
    for i in range(12):
        p, q, f = _twin(scenario, values, i)
        assert got.required_loss_probability_eth[i] == pytest.approx(p, rel=RTOL)
        assert got.required_shortfall_apr_eth[i] == pytest.approx(q, rel=RTOL)
        assert got.shortfall_probability[i] == pytest.approx(f.shortfall_probability[0], rel=RTOL)  # type: ignore[attr-defined]
        assert got.expected_shortfall_eth[i] == pytest.approx(f.expected_shortfall_eth[0], rel=RTOL)  # type: ignore[attr-defined]
        assert got.mean_loss_eth[i] == pytest.approx(f.mean_loss_eth[0], rel=RTOL)  # type: ignore[attr-defined]
        assert got.operator_collateral_loss_eth[i] == pytest.approx(f.operator_collateral_loss_eth[0], rel=RTOL)  # type: ignore[attr-defined]


@pytest.mark.parametrize("label", [label for label in rules.RULE_SETS if label != "Today's rules"])
def test_batch_equals_scalar_twin_under_each_rule_set(label: str) -> None:
    # The scalar path takes a rule set's losses from divaecon.rules (slot time, curve, EIP-7716,
    # EIP-8363's burn, the leak at the slot time's constants); the batch must take the same.
    scenario = rules.scenario_with_rules(Scenario(), label)
    values = _random_values(scenario, 3, seed=5)
    got = batch.required_collateral_batch(scenario, values)
    for i in range(3):
        p, q, f = _twin(scenario, values, i)
        assert got.required_loss_probability_eth[i] == pytest.approx(p, rel=RTOL)
        assert got.required_shortfall_apr_eth[i] == pytest.approx(q, rel=RTOL)
        assert got.mean_loss_eth[i] == pytest.approx(f.mean_loss_eth[0], rel=RTOL)  # type: ignore[attr-defined]
        assert got.operator_collateral_loss_eth[i] == pytest.approx(f.operator_collateral_loss_eth[0], rel=RTOL)  # type: ignore[attr-defined]


def test_batch_base_scenario_and_forgone_rewards() -> None:
    from divaecon.quote import quote

    scenario = Scenario()
    got = batch.required_collateral_batch(scenario, {})
    model = risk_model(scenario)
    assert got.required_loss_probability_eth[0] == pytest.approx(
        closed_form.required_collateral(model, target_loss_probability=scenario.risk.target_loss_probability_per_year),
        rel=RTOL,
    )
    gross = quote(scenario).gross_apr
    assert got.forgone_eth_per_year_per_gross_apr[0] * gross == pytest.approx(model.forgone_eth_per_year, rel=1e-12)


def test_batch_edges_zero_and_unreachable() -> None:
    scenario = Scenario()
    # no harmful events at all: no collateral needed
    from divaecon.params import RiskParams

    quiet = {f"risk.{n}": np.zeros(1) for n in RiskParams.model_fields if "_rate_per_" in n}
    quiet["risk.adversary_key_share_fraction"] = np.zeros(1)
    assert batch.required_collateral_batch(scenario, quiet).required_loss_probability_eth[0] == 0.0
    # a validator whose every operator is down for a year of outages: its whole stake is lost
    # (loss = stake), 16 key shares with 2 divETH each = 32 cover it; the twin agrees
    wild = {"risk.regional_outage_rate_per_year": [300.0], "risk.regional_outage_operator_fraction": [1.0]}
    wild["risk.regional_outage_duration_days"] = [3000.0]
    wild["risk.target_loss_probability_per_year"] = [1e-5]
    got = batch.required_collateral_batch(scenario, wild).required_loss_probability_eth[0]
    s = scenario.override(**{k: v[0] for k, v in wild.items()})
    want = closed_form.required_collateral(risk_model(s), target_loss_probability=1e-5)
    assert got == pytest.approx(want, rel=RTOL) or (np.isinf(got) and np.isinf(want))


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"risk.no_such_rate": [1.0]}, "no_such_rate"),
        ({"nosection.x": [1.0]}, "nosection"),
        ({"risk.leak_rate_per_year": [1.0, 2.0], "risk.leak_duration_days": [1.0]}, "same length"),
        ({"risk.leak_rate_per_year": [-1.0]}, "leak_rate_per_year"),
        ({"risk.leak_rate_per_year": [np.nan]}, "finite"),
        ({"diva.threshold": [10.0]}, "cannot vary"),
        ({"ethereum.seconds_per_slot": [8.0]}, "cannot vary"),
    ],
)
def test_batch_bad_input(values: dict[str, list[float]], match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        batch.required_collateral_batch(Scenario(), values)
