"""Step 5: deposits, collateral arrivals, withdrawals and the exits they may force."""

from __future__ import annotations

import math

import pytest

from divaecon.simulate.steps import process_flows


def test_logistic_deposits_and_withdrawals_by_hand(row) -> None:
    # Stakers hold 1,000 − 100 − 200 = 700 divETH; growth 0.01/day towards 1,400:
    # 0.01 · 700 · (1 − 700/1,400) = 3.5 ETH, plus 2 divETH of collateral; withdrawals 0.001 · 700.
    row.set(diveth_supply=1_000.0, queued_collateral_eth=100.0, assigned_collateral_eth=200.0, buffer_eth=50.0,
            staker_rewards_today_eth=1.0, penalties_today_eth=0.25, growth_rate_per_day=0.01,
            one_over_target_staker_eth=1 / 1_400, collateral_deposit_eth_per_day=2.0, withdrawal_rate_per_day=0.001)
    process_flows(row.s, row.inp)
    assert row["deposits_today_eth"] == pytest.approx(3.5 + 2.0)
    assert row["withdrawn_today_eth"] == pytest.approx(0.7)
    assert row["buffer_eth"] == pytest.approx(50 + 1 - 0.25 + 5.5 - 0.7)
    assert row["queued_collateral_eth"] == pytest.approx(102.0)


def test_past_the_target_only_constant_deposits_arrive(row) -> None:
    row.set(diveth_supply=2_000.0, growth_rate_per_day=0.01, one_over_target_staker_eth=1 / 1_400,
            staker_deposit_eth_per_day=7.0)
    process_flows(row.s, row.inp)
    assert row["deposits_today_eth"] == 7.0


def test_a_short_buffer_exits_whole_validators(row) -> None:
    # 10 ETH in the buffer, 50 ETH to pay: 2 validators (64 ETH) exit, 24 ETH are left; the
    # exiting validators' collateral (2 of 3 validators' share) is released.
    row.set(diveth_supply=50_000.0, buffer_eth=10.0, active_validators=3.0, assigned_collateral_eth=48.0,
            withdrawal_rate_per_day=50.0 / (50_000.0 - 48.0))
    process_flows(row.s, row.inp)
    assert row["withdrawn_today_eth"] == pytest.approx(50.0)
    assert row["active_validators"] == 1.0
    assert row["buffer_eth"] == pytest.approx(10 - 50 + 64)
    assert row["assigned_collateral_eth"] == pytest.approx(16.0)
    assert math.isclose(row["buffer_eth"] + 32 * row["active_validators"], 10 + 96 - 50)
