"""The collateral-risk figures and tables: units visible, sources noted, what the numbers say."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from test_plotting import _check_figure

from divaecon import figures, plotting, tables
from divaecon.params import Scenario, load_scenario
from divaecon.risk import risk_report, tornado

SCENARIO = Scenario().override(name="risk-test")


@pytest.fixture(scope="module")
def report():
    return risk_report(SCENARIO, validator_years=50_000)


def test_every_risk_figure_has_unit_source_and_scenario(report):
    figs = {
        "loss_distribution": plotting.risk_loss_distribution(report),
        "vs_rates": plotting.required_collateral_vs_rates(SCENARIO, points=3),
        "frontier": plotting.risk_frontier(SCENARIO),
        "tornado": plotting.risk_tornado(
            tornado(SCENARIO, parameters=["leak_rate_per_year", "leak_duration_days"]), SCENARIO.name
        ),
        "both_sides": plotting.collateral_both_sides(SCENARIO),
    }
    try:
        for name, fig in figs.items():
            _check_figure(fig, [SCENARIO.name])
            assert any("divaecon.risk" in t.get_text() for t in fig.texts), name
    finally:
        plt.close("all")


@pytest.mark.parametrize("figure", figures.RISK_FIGURES, ids=lambda f: f.key)
def test_risk_figures_show_their_unit(figure):
    value = 0.00123 if figure.unit.startswith("fraction") else 1.5
    shown = figure.text(value)
    in_label = "[" in figure.label and "]" in figure.label
    assert in_label or any(u in shown for u in ("%", "ETH", "divETH")), (figure.key, shown)


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        # written out by hand: what a reader expects to see
        ("shortfall_probability_per_validator_year", 0.001067, "0.107 % (1 in 937)"),
        ("shortfall_probability_per_validator_year", 0.0, "0 %"),
        ("shortfall_apr", 0.000286, "0.0286 %"),
        ("staker_apr_net", 0.02784, "2.784 %"),
        ("required_collateral_loss_probability_eth", 3.5597, "3.560 divETH"),
        ("required_collateral_shortfall_apr_eth", float("inf"), "∞"),
        ("loss_p999_eth", 8.486, "8.4860 ETH"),
    ],
)
def test_risk_formats(key, value, text):
    assert figures.text(key, value) == text


def test_risk_tables(report):
    t = tables.risk_figures_table(report)
    assert list(t["figure"]) == [figures.label(k) for k in tables.RISK_KEY_FIGURES]
    req = tables.required_collateral_table(report)
    assert len(req) == 2 and all("divETH" in v for v in req["exact (closed form)"])
    events = tables.risk_by_class_table(report)
    assert "inactivity leak" in set(events["event"]) and "theft" in set(events["event"])
    text = tables.risk_text(report)
    assert "risk-test" in text and "P(stakers bear a loss) per validator-year" in text
    frontier = tables.risk_frontier_table(SCENARIO, (0.5, 1.0))
    assert list(frontier.iloc[:, 0]) == ["0.5", "1"]
    peers = tables.peer_risk_table(SCENARIO)
    assert peers["set-up"].str.startswith("Rocket Pool megapool").any()


def test_risk_comparison_puts_scenarios_side_by_side():
    low = load_scenario("data/scenarios/low-collateral.yaml")
    t = tables.risk_comparison([Scenario(), low], validator_years=20_000)
    assert list(t.columns) == ["base", "low-collateral"]
    row = figures.label("shortfall_apr")
    as_number = {c: float(t.loc[row, c].rstrip(" %")) for c in t.columns}
    assert as_number["low-collateral"] > as_number["base"]  # 0.25 divETH per key share covers less
    # the required collateral does not depend on the collateral the scenario has
    req = figures.label("required_collateral_shortfall_apr_eth")
    assert t.loc[req, "base"] == t.loc[req, "low-collateral"]
    no_mc = tables.risk_comparison([Scenario()], validator_years=None)
    assert figures.label("loss_p999_eth") not in no_mc.index


@pytest.mark.parametrize(("posted", "verdict"), [(1.0, "less than that"), (3.0, "at least that")])
def test_summary_says_whether_the_posted_collateral_meets_the_requirement(posted: float, verdict: str) -> None:
    """The executive summary's collateral row compares what the scenario posts with what the risk
    model requires (about 2.2 divETH at the base scenario's rates): 1 divETH is less than that,
    3 divETH at least that. (The sentence once read "posts 1 divETH, more than that".)"""
    from divaecon.risk import required_collateral_per_key_share

    scenario = Scenario().override(collateral_per_key_share_eth=posted)
    required = required_collateral_per_key_share(scenario)
    assert 1.0 < required < 3.0
    summary = tables.executive_summary(scenario).set_index("figure")
    text = summary.loc[figures.get(tables.REQUIRED_COLLATERAL_FIGURE).label, "what it means"]
    assert f"the scenario posts {posted:g} divETH, {verdict}." in text
