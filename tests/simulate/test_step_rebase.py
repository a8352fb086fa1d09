"""Step 4: the rebase, and the time-weighted returns of queued and assigned collateral."""

from __future__ import annotations

import pytest

from divaecon.simulate.steps import process_rebase


def test_every_divETH_earns_the_rebase_and_assigned_collateral_earns_fees_too(row) -> None:
    # g = (9 − 1) / 800 = 1 %. One divETH assigned also earns (10 · 10 % − 0.5) / 100 = 0.5 %.
    row.set(
        staker_rewards_today_eth=9.0,
        staker_loss_today_eth=1.0,
        diveth_supply=800.0,
        rewards_today_eth=10.0,
        operator_share=0.1,
        covered_today_eth=0.5,
        queued_collateral_eth=50.0,
        assigned_at_start_eth=100.0,
        assigned_collateral_eth=100.0,
    )
    process_rebase(row.s, row.acc, row.inp)
    assert row["rebase_today"] == pytest.approx(0.01)
    assert row["wdiveth_rate"] == pytest.approx(1.01)
    assert row["queued_growth"] == pytest.approx(1.01) and row["queued_days"] == 1.0
    assert row["assigned_growth"] == pytest.approx(1.015) and row["assigned_days"] == 1.0
    assert row["assigned_collateral_eth"] == pytest.approx(99.5)


def test_days_without_collateral_do_not_count(row) -> None:
    row.set(staker_rewards_today_eth=1.0, diveth_supply=100.0)
    process_rebase(row.s, row.acc, row.inp)
    assert row["queued_days"] == 0.0 and row["assigned_days"] == 0.0
    assert row["queued_growth"] == 1.0 and row["assigned_growth"] == 1.0


def test_a_day_that_wipes_the_collateral_out_is_minus_100_percent(row) -> None:
    row.set(diveth_supply=100.0, assigned_at_start_eth=1.0, assigned_collateral_eth=1.0, covered_today_eth=5.0)
    process_rebase(row.s, row.acc, row.inp)
    assert row["assigned_growth"] == 0.0


def test_an_empty_pool_rebases_by_nothing(row) -> None:
    process_rebase(row.s, row.acc, row.inp)
    assert row["wdiveth_rate"] == 1.0
