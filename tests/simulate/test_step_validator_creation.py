"""Step 6: a validator needs a full stake and a validator's collateral."""

from __future__ import annotations

import numpy as np

from divaecon.simulate.steps import process_validator_creation


def test_the_scarcer_of_stake_and_collateral_decides(row) -> None:
    # 100 ETH would make 3 validators, 40 divETH of collateral only 2 (16 each).
    row.set(buffer_eth=100.0, queued_collateral_eth=40.0, activation_delay_days=3.0)
    rings = np.zeros((1, 4))
    process_validator_creation(row.s, row.inp, 5, rings, 0)
    assert row["created_today"] == 2.0
    assert row["queued_collateral_eth"] == 8.0 and row["assigned_collateral_eth"] == 32.0
    assert row["buffer_eth"] == 36.0 and row["pending_eth"] == 64.0
    assert rings[0, (5 + 3) % 4] == 2.0  # due on day 8


def test_nothing_is_created_short_of_a_whole_validator(row) -> None:
    row.set(buffer_eth=31.9, queued_collateral_eth=1_000.0)
    process_validator_creation(row.s, row.inp, 0, np.zeros((1, 1)), 0)
    assert row["created_today"] == 0.0 and row["buffer_eth"] == 31.9
