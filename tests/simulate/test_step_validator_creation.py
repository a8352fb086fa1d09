"""Step 6: a validator needs a full stake and a validator's collateral; then it queues to activate."""

from __future__ import annotations

import numpy as np
import pytest

from divaecon.simulate.steps import ACTIVATING, entry_queue_wait_days, process_validator_creation


def test_the_scarcer_of_stake_and_collateral_decides(row, rings) -> None:
    # 100 ETH would make 3 validators, 40 divETH of collateral only 2 (16 each).
    row.set(buffer_eth=100.0, queued_collateral_eth=40.0, activation_delay_days=3.0)
    r = rings(16)
    process_validator_creation(row.s, row.inp, 5, r, 0, np.zeros((1, 1, 5)))
    assert row["created_today"] == 2.0 and row["served_today_eth"] == 32.0
    assert row["queued_collateral_eth"] == 8.0 and row["assigned_collateral_eth"] == 32.0
    assert row["buffer_eth"] == 36.0 and row["pending_eth"] == 64.0
    assert r[ACTIVATING, 5 + 3, 0] == 2.0  # no queue: due 3 days later


def test_nothing_is_created_short_of_a_whole_validator(row, rings) -> None:
    row.set(buffer_eth=31.9, queued_collateral_eth=1_000.0)
    process_validator_creation(row.s, row.inp, 0, rings(), 0, np.zeros((1, 1, 5)))
    assert row["created_today"] == 0.0 and row["buffer_eth"] == 31.9


def test_the_entry_queue_wait_by_hand(row, rings) -> None:
    # 4,080,985 ETH queued (validatorqueue.com, 2026-02-03) + 64 ETH of the pool's own ahead, at
    # 256 ETH an epoch (Electra's cap; 36M ETH / 65,536 = 549 > 256) and 225 epochs a day:
    # 4,081,049 / 57,600 = 70.85 days.
    row.set(entry_queue_eth=4_080_985.0, pending_eth=64.0)
    assert entry_queue_wait_days(row.s, row.inp, 0.0, np.zeros((1, 1, 5))) == pytest.approx(4_081_049 / 57_600)
    # The queue shrinking 40,000 ETH a day is 400,000 ETH shorter on day 10; at 8 s slots the
    # churn is 337.5 epochs a day.
    row.set(entry_queue_change_eth_per_day=-40_000.0, epochs_per_day=337.5)
    wait = entry_queue_wait_days(row.s, row.inp, 10.0, np.zeros((1, 1, 5)))
    assert wait == pytest.approx((4_081_049 - 400_000) / (256 * 337.5))
    # ... and never below zero
    assert entry_queue_wait_days(row.s, row.inp, 200.0, np.zeros((1, 1, 5))) == pytest.approx(64 / (256 * 337.5))


def test_two_deposits_wait_the_queue_twice(row, rings) -> None:
    # 57,600 ETH ahead and no change: one day per pass. Two deposits: the 31 ETH joins once the
    # 1 ETH has passed, one day later, and waits another day: due 2 days later (rounded).
    row.set(buffer_eth=32.0, queued_collateral_eth=16.0, entry_queue_eth=57_600.0, two_step_deposit=1.0)
    r = rings(8)
    process_validator_creation(row.s, row.inp, 0, r, 0, np.zeros((1, 1, 5)))
    assert row["activation_wait_days"] == pytest.approx(2.0)
    assert r[ACTIVATING, 2, 0] == 1.0
    row.set(buffer_eth=32.0, queued_collateral_eth=16.0, two_step_deposit=0.0, pending_eth=0.0)
    process_validator_creation(row.s, row.inp, 0, r, 0, np.zeros((1, 1, 5)))
    assert row["activation_wait_days"] == pytest.approx(1.0)
