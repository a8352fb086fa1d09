"""The buffer's deposit cap over whole runs: by hand, in the scalar twin, on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from divaecon.cli import main
from divaecon.errors import ParameterError
from divaecon.params import Scenario, load_scenario
from divaecon.simulate import simulate
from divaecon.simulate.reference import simulate_scalar

# No collateral at all, so no validator is ever created and nothing earns: the buffer only fills.
FILLING = Scenario(name="filling").override(
    deposit_mode="constant",
    staker_deposit_eth_per_day=10.0,
    initial_staker_eth=0.0,
    initial_collateral_eth=0.0,
    collateral_deposit_eth_per_day=0.0,
    withdrawal_rate_per_year=0.0,
    deposit_cap_eth=100.0,
)


def test_a_buffer_filling_to_its_cap_by_hand() -> None:
    # By hand: 10 ETH offered a day into an empty buffer capped at 100 ETH. Before day t's deposits
    # the buffer holds 10·t ETH, so days 0–9 take 10 ETH each (100 ETH by the end of day 9) and
    # days 10–29 refuse all 10: 20 × 10 = 200 ETH refused in 30 days, 100 ETH in the pool.
    res = simulate(FILLING, days=30, record=["buffer_eth", "refused_deposits_eth", "refused_today_eth"])
    s = res.summary.iloc[0]
    assert s["refused_deposits_eth"] == 200.0
    assert s["final_diveth_supply"] == 100.0
    ts = res.timeseries.set_index("day")
    assert ts.loc[0, "refused_today_eth"] == 0.0 and ts.loc[29, "refused_today_eth"] == 10.0
    assert ts.loc[29, "buffer_eth"] == 100.0
    ref = simulate_scalar(FILLING, days=30)
    assert ref["summary"]["refused_deposits_eth"] == 200.0
    # with no cap (0) all 300 ETH offered are taken
    uncapped = simulate(FILLING.override(deposit_cap_eth=0.0), days=30).summary.iloc[0]
    assert uncapped["refused_deposits_eth"] == 0.0 and uncapped["final_diveth_supply"] == 300.0


def test_the_cap_slows_the_pools_growth_and_lifts_the_stakers_apy() -> None:
    # The base scenario over ten years: collateral (100 divETH a day) becomes the bottleneck
    # around day 1,286, the buffer then fills to its 18,000 ETH cap instead of growing without
    # bound. The capped pool is smaller and less of it waits, so its stakers earn more.
    res = simulate([Scenario(name="capped"), Scenario(name="unbounded").override(deposit_cap_eth=0.0)])
    capped, unbounded = res.summary.iloc[0], res.summary.iloc[1]
    assert capped["refused_deposits_eth"] > 0 and unbounded["refused_deposits_eth"] == 0
    assert capped["final_diveth_supply"] < unbounded["final_diveth_supply"]
    assert capped["cash_drag"] < unbounded["cash_drag"]
    assert capped["staker_apy"] > unbounded["staker_apy"]
    # the validators are the same: the collateral, not the stakers' ETH, decides how many
    assert capped["final_active_validators"] == unbounded["final_active_validators"]


def test_simulate_summary_reports_refused_deposits_only_where_there_are_some(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 1,400 days: the base scenario's buffer reaches its cap after day 1,286
    assert main(["simulate", "--days", "1400", "--grid", "deposit_cap_eth=0,18000"]) == 0
    out = capsys.readouterr().out
    uncapped, capped = out.split("Scenario base[deposit_cap_eth=18000.0]")
    assert "refused" not in uncapped
    assert "Staker deposits refused" in capped and "cap of 18,000 ETH" in capped


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "simulation.deposit_cap_eth = -1.0: input should be greater than or equal to 0"),
        ("nan", "deposit_cap_eth = 'nan': must be a finite number"),
        ("lots", "deposit_cap_eth = 'lots': not a valid float"),
        ("1e12", "simulation.deposit_cap_eth = 1000000000000.0: must be from 0 to 200,000,000"),
    ],
)
def test_bad_grid_values_get_one_line_naming_field_value_and_range(
    value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--days", "10", "--grid", f"deposit_cap_eth={value}"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("value", ['"18000"', "true", "-5", ".nan"])
def test_bad_scenario_values_are_refused_on_load(value: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\nsimulation:\n  deposit_cap_eth: {value}\n")
    with pytest.raises(ParameterError, match=r"simulation\.deposit_cap_eth"):
        load_scenario(path)
