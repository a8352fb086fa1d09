"""Step 5: deposits, withdrawal requests, exited stake arriving, withdrawals paid, exits requested."""

from __future__ import annotations

import math

import numpy as np
import pytest

from divaecon.simulate.steps import ARRIVING, EXITING, exit_queue_wait_days, process_flows


def test_logistic_deposits_and_withdrawals_by_hand(row, rings) -> None:
    # After the day's rewards (+1) and penalties (−0.25), stakers hold 1,000 + 1 − 0.25 − 100 − 200
    # = 700.75 divETH (the assigned collateral is already net of what it covered today); growth
    # 0.01/day towards 1,400: 0.01 · 700.75 · (1 − 700.75/1,400) ETH, plus 2 divETH of collateral;
    # withdrawals 0.001 · 700.75.
    row.set(
        diveth_supply=1_000.0,
        queued_collateral_eth=100.0,
        assigned_collateral_eth=200.0,
        buffer_eth=50.0,
        retained_rewards_today_eth=1.0,
        penalties_today_eth=0.25,
        growth_rate_per_day=0.01,
        one_over_target_staker_eth=1 / 1_400,
        collateral_deposit_eth_per_day=2.0,
        withdrawal_rate_per_day=0.001,
    )
    process_flows(row.s, row.acc, row.inp, 0, rings(), 0, np.zeros((1, 1, 7)))
    grown = 0.01 * 700.75 * (1 - 700.75 / 1_400)
    assert row["deposits_today_eth"] == pytest.approx(grown + 2.0)
    assert row["withdrawal_requests_today_eth"] == pytest.approx(0.70075)
    assert row["withdrawn_today_eth"] == pytest.approx(0.70075) and row["withdrawals_owed_eth"] == 0.0
    assert row["buffer_eth"] == pytest.approx(50 + 1 - 0.25 + grown + 2.0 - 0.70075)
    assert row["queued_collateral_eth"] == pytest.approx(102.0)


def test_past_the_target_only_constant_deposits_arrive(row, rings) -> None:
    row.set(
        diveth_supply=2_000.0,
        growth_rate_per_day=0.01,
        one_over_target_staker_eth=1 / 1_400,
        staker_deposit_eth_per_day=7.0,
    )
    process_flows(row.s, row.acc, row.inp, 0, rings(), 0, np.zeros((1, 1, 7)))
    assert row["deposits_today_eth"] == 7.0


def test_a_short_buffer_asks_validators_to_exit_through_the_exit_queue(row, rings) -> None:
    # 10 ETH in the buffer, 110 ETH asked for: 10 are paid, 100 owed; 32 ETH are already on the
    # way back, so ceil(68 / 32) = 3 validators are asked to exit. 32,581 ETH in the exit queue
    # (validatorqueue.com, 2026-02-03) + nothing of ours ahead at 57,600 ETH a day: 0.57 days -> 1.
    row.set(
        diveth_supply=50_000.0,
        buffer_eth=10.0,
        active_validators=5.0,
        withdrawing_eth=32.0,
        withdrawal_rate_per_day=110.0 / 50_000.0,
        exit_queue_eth=32_581.0,
    )
    r = rings(16)
    assert exit_queue_wait_days(row.s, row.inp, 0.0, np.zeros((1, 1, 7))) == pytest.approx(32_581 / 57_600)
    process_flows(row.s, row.acc, row.inp, 0, r, 0, np.zeros((1, 1, 7)))
    assert row["withdrawn_today_eth"] == pytest.approx(10.0) and row["withdrawals_owed_eth"] == pytest.approx(100.0)
    assert row["exiting_validators"] == 3.0 and row["exits_requested_today"] == 3.0
    assert r[EXITING, 1, 0] == 3.0
    assert row["active_validators"] == 5.0  # they earn until they leave


def test_stake_arriving_pays_what_is_owed(row, rings) -> None:
    row.set(withdrawing_eth=64.0, withdrawals_owed_eth=50.0)
    r = rings(8)
    r[ARRIVING, 3, 0] = 64.0
    process_flows(row.s, row.acc, row.inp, 3, r, 0, np.zeros((1, 1, 7)))
    assert row["arrived_today_eth"] == 64.0 and row["withdrawing_eth"] == 0.0
    assert row["withdrawn_today_eth"] == 50.0 and row["buffer_eth"] == 14.0
    assert math.isclose(row["withdrawals_owed_eth"], 0.0)


def test_a_buffer_below_zero_is_covered_by_exits(row, rings) -> None:
    # Offline penalties of 40 ETH on an empty buffer: the validators' balances are 40 ETH short,
    # so 2 validators (64 ETH) are asked to exit.
    row.set(active_validators=4.0, penalties_today_eth=40.0)
    process_flows(row.s, row.acc, row.inp, 0, rings(), 0, np.zeros((1, 1, 7)))
    assert row["buffer_eth"] == -40.0 and row["exiting_validators"] == 2.0
