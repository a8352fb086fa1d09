"""Step 5, the buffer's cap: staker deposits are taken while the buffer is below it, the rest refused.

The rule is Rocket Pool's deposit pool maximum (``RocketDepositPool.sol``, ``deposit()``: a deposit
that would take the pool's balance above ``deposit.pool.maximum`` is refused), summed over a day:
with ``b`` the buffer before the day's deposits, ``taken = min(offered, max(cap − b, 0))``.
"""

from __future__ import annotations

import numpy as np
import pytest

from divaecon.simulate.steps import ARRIVING, process_accumulators, process_flows, process_validator_creation

NO_PATHS = np.zeros((1, 1, 7))


def test_deposits_fill_the_buffer_to_its_cap_and_the_rest_is_refused(row, rings) -> None:
    # By hand: 500 ETH offered ('constant'); the buffer holds 17,800 ETH and gains 20 ETH of
    # retained rewards less 5 ETH of offline penalties = 17,815 ETH before deposits; the cap of
    # 18,000 ETH leaves room for 185 ETH: 185 taken, 315 refused. Collateral (16 divETH) is taken
    # whatever the cap: the buffer ends at 18,000 + 16 = 18,016 ETH.
    row.set(
        diveth_supply=17_800.0,
        buffer_eth=17_800.0,
        retained_rewards_today_eth=20.0,
        penalties_today_eth=5.0,
        staker_deposit_eth_per_day=500.0,
        collateral_deposit_eth_per_day=16.0,
        deposit_cap_eth=18_000.0,
    )
    process_flows(row.s, row.acc, row.inp, 0, rings(), 0, NO_PATHS)
    assert row["refused_today_eth"] == pytest.approx(315.0)
    assert row["deposits_today_eth"] == pytest.approx(185.0 + 16.0)
    assert row["buffer_eth"] == pytest.approx(18_016.0)
    assert row["queued_collateral_eth"] == pytest.approx(16.0)


def test_a_buffer_at_or_above_its_cap_refuses_every_staker_deposit(row, rings) -> None:
    # 2,100 ETH in a buffer capped at 2,000: no room, so all 40 ETH offered are refused; a day's
    # collateral (3 divETH) still comes in: 2,103 ETH.
    row.set(
        diveth_supply=2_100.0,
        buffer_eth=2_100.0,
        staker_deposit_eth_per_day=40.0,
        collateral_deposit_eth_per_day=3.0,
        deposit_cap_eth=2_000.0,
    )
    process_flows(row.s, row.acc, row.inp, 0, rings(), 0, NO_PATHS)
    assert row["refused_today_eth"] == 40.0
    assert row["deposits_today_eth"] == 3.0
    assert row["buffer_eth"] == 2_103.0


def test_the_cap_limits_logistic_deposits_and_counts_stake_arriving_first(row, rings) -> None:
    # Stakers hold 10,000 divETH; growth 0.01/day towards 20,000: 0.01 · 10,000 · (1 − 1/2) = 50 ETH
    # offered. The buffer (900 ETH) receives 64 ETH of exited stake before deposits: 964 ETH, so a
    # cap of 1,000 ETH takes 36 ETH and refuses 14. Withdrawals (0.001 · 10,000 = 10 ETH) are then
    # paid from the buffer: 964 + 36 − 10 = 990 ETH.
    row.set(
        diveth_supply=10_000.0,
        buffer_eth=900.0,
        withdrawing_eth=64.0,
        growth_rate_per_day=0.01,
        one_over_target_staker_eth=1 / 20_000,
        withdrawal_rate_per_day=0.001,
        deposit_cap_eth=1_000.0,
    )
    r = rings(8)
    r[ARRIVING, 2, 0] = 64.0
    process_flows(row.s, row.acc, row.inp, 2, r, 0, NO_PATHS)
    assert row["refused_today_eth"] == pytest.approx(14.0)
    assert row["deposits_today_eth"] == pytest.approx(36.0)
    assert row["withdrawn_today_eth"] == pytest.approx(10.0)
    assert row["buffer_eth"] == pytest.approx(990.0)


def test_with_no_cap_everything_offered_is_taken(row, rings) -> None:
    # The conftest row has no cap (inf, the scenario's 0): 1e6 ETH offered into a 1e6 ETH buffer, none refused.
    row.set(diveth_supply=1e6, buffer_eth=1e6, staker_deposit_eth_per_day=1e6)
    process_flows(row.s, row.acc, row.inp, 0, rings(), 0, NO_PATHS)
    assert row["refused_today_eth"] == 0.0
    assert row["buffer_eth"] == 2e6


def test_collateral_decides_what_leaves_the_capped_buffer(row, rings) -> None:
    # The cap and the collateral rule together set the pool's growth. A buffer at its cap of
    # 640 ETH with 48 divETH of collateral queued (3 validators at 16 divETH each) takes 16 ETH of
    # collateral and no staker deposit (100 ETH refused); creation then stakes
    # floor(min(656 / 32, 64 / 16)) = 4 validators, 128 ETH, leaving 528 ETH: tomorrow's room is
    # 640 − 528 = 112 ETH, so tomorrow 100 ETH are taken and none refused.
    row.set(
        diveth_supply=640.0 + 48.0,
        buffer_eth=640.0,
        queued_collateral_eth=48.0,
        staker_deposit_eth_per_day=100.0,
        collateral_deposit_eth_per_day=16.0,
        deposit_cap_eth=640.0,
        entry_queue_eth=0.0,
    )
    r = rings(64)
    process_flows(row.s, row.acc, row.inp, 0, r, 0, NO_PATHS)
    assert row["refused_today_eth"] == 100.0
    process_validator_creation(row.s, row.inp, 0, r, 0, NO_PATHS)
    assert row["created_today"] == 4.0 and row["buffer_eth"] == 528.0
    process_accumulators(row.s, row.acc, row.inp, 0)
    assert row["refused_deposits_eth"] == 100.0 and row["deposits_eth"] == 16.0
    row.set(created_today=0.0)
    process_flows(row.s, row.acc, row.inp, 1, r, 0, NO_PATHS)
    assert row["refused_today_eth"] == 0.0 and row["deposits_today_eth"] == 116.0
    process_accumulators(row.s, row.acc, row.inp, 1)
    assert row["refused_deposits_eth"] == 100.0 and row["deposits_eth"] == 16.0 + 116.0
