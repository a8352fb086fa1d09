"""One meaning of "correlated" (issue 17 item 7): diva.failure_correlation and
risk.outage_fraction_correlation describe the same intra-class correlation; the risk model uses
the larger, so a scenario that raises correlation moves the collateral-risk figures."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from divaecon import dvt
from divaecon.data import SCENARIO_DIR
from divaecon.params import Scenario, load_scenario
from divaecon.quote import quote
from divaecon.risk import closed_form
from divaecon.risk.models import event_risk, peer_risk_models, risk_model


def test_the_rule_scalar_and_vectorised():
    assert dvt.event_correlation(0.1, 0.0) == 0.1
    assert dvt.event_correlation(0.1, 0.2) == 0.2
    assert dvt.event_correlation(0.3, 0.2) == 0.3
    assert dvt.event_correlation(0.1, 1.0) == dvt.EVENT_CORRELATION_MAX  # the beta-binomial needs rho < 1
    event = np.array([0.0, 0.1, 0.5, 0.1])
    everyday = np.array([0.2, 0.05, 0.3, 1.0])
    vector = dvt.event_correlation(event, everyday)
    twin = [max(e, min(f, 0.999)) for e, f in zip(event, everyday, strict=True)]  # the plain scalar twin
    assert vector.tolist() == pytest.approx(twin)


def test_base_keeps_its_figures():
    # base: failure_correlation 0 < outage_fraction_correlation 0.1, so the risk section passes unchanged
    base = load_scenario(SCENARIO_DIR / "base.yaml")
    assert event_risk(base) is base.risk
    low = base.override(**{"diva.failure_correlation": 0.05})  # below the event's own 0.1
    assert event_risk(low) is low.risk


def _figures(s: Scenario) -> dict[str, float]:
    m = risk_model(s, quote(s))
    at_one = closed_form.figures_at(m, 1.0)
    return {
        "loss_probability_target": closed_form.required_collateral(m, target_loss_probability=1e-4),
        "shortfall_target": closed_form.required_collateral(m, target_shortfall_apr=1e-4),
        "shortfall_probability_at_1": at_one["shortfall_probability_per_validator_year"],
        "shortfall_apr_at_1": at_one["shortfall_apr"],
    }


def test_correlated_outages_moves_the_collateral_chapter():
    base = _figures(load_scenario(SCENARIO_DIR / "base.yaml"))
    corr_scenario = load_scenario(SCENARIO_DIR / "correlated-outages.yaml")
    assert event_risk(corr_scenario).outage_fraction_correlation == 0.2
    corr = _figures(corr_scenario)
    # before issue 17 item 7 every one of these equalled base's to the digit
    for key in base:
        assert abs(corr[key] - base[key]) > 1e-3 * abs(base[key]), key
    # at Diva's 1 divETH stakers bear a loss more often and lose more a year
    assert corr["shortfall_probability_at_1"] > base["shortfall_probability_at_1"]
    assert corr["shortfall_apr_at_1"] > base["shortfall_apr_at_1"]
    # and the collateral the shortfall target needs rises
    assert corr["shortfall_target"] > base["shortfall_target"]
    # the loss-probability target's falls: see test_why_the_leak_needs_less_collateral_when_correlated
    assert corr["loss_probability_target"] < base["loss_probability_target"]


def test_why_the_leak_needs_less_collateral_when_correlated():
    # The class that binds the loss-probability target is the inactivity leak: 40 % of 16 operators
    # on average, and a validator (11 of 16) stops when 6 or more are offline. Beta-binomial with
    # alpha = f (1 - rho) / rho, beta = (1 - f)(1 - rho) / rho (scipy.stats.betabinom, independent of
    # the model's Polya-urn form): rho 0.1 -> (3.6, 5.4), rho 0.2 -> (1.6, 2.4).
    k = np.arange(17)
    out = {}
    for rho, (a, b) in {0.1: (3.6, 5.4), 0.2: (1.6, 2.4)}.items():
        pmf = stats.betabinom.pmf(k, 16, a, b)
        harm = pmf[6:].sum()
        out[rho] = (harm, (k[6:] * pmf[6:]).sum() / harm)
        s = Scenario().override(**{"diva.failure_correlation": rho, "risk.outage_fraction_correlation": 0.1})
        leak = next(c for c in risk_model(s).classes if c.name == "inactivity leak")
        assert leak.rate_per_validator_year == pytest.approx(s.risk.leak_rate_per_year * harm, rel=1e-9)
    # more correlation: fewer leaks stop the validator, and those that do hit more operators, whose
    # collateral (K x c) covers the same leak
    assert out[0.2][0] < out[0.1][0]
    assert out[0.2][1] > out[0.1][1]


def test_peers_see_the_same_events():
    s = load_scenario(SCENARIO_DIR / "correlated-outages.yaml")
    base = load_scenario(SCENARIO_DIR / "base.yaml")
    ssv = next(p for p in peer_risk_models(s) if p.name.startswith("SSV cluster 3/4"))
    ssv_base = next(p for p in peer_risk_models(base) if p.name.startswith("SSV cluster 3/4"))
    rates = {c.name: c.rate_per_validator_year for c in ssv.model.classes}
    rates_base = {c.name: c.rate_per_validator_year for c in ssv_base.model.classes}
    assert rates["regional outage"] != pytest.approx(rates_base["regional outage"])
