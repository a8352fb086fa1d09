"""Step 7–7b: validators at the front of the entry queue start earning; at the front of the exit queue, stop."""

from __future__ import annotations

import pytest

from divaecon.simulate.steps import ACTIVATING, ARRIVING, EXITING, process_activation, process_exits


def test_due_validators_activate(row, rings) -> None:
    row.set(buffer_eth=5.0, pending_eth=96.0, active_validators=1.0)
    r = rings(8)
    r[ACTIVATING, 11 % 8, 0] = 3.0
    process_activation(row.s, row.inp, 11, r, 0)
    assert row["active_validators"] == 4.0 and row["pending_eth"] == 0.0
    assert r[ACTIVATING, 3, 0] == 0.0  # the slot is free for the day eight days on


def test_exiting_validators_leave_release_their_collateral_and_their_stake_comes_back(row, rings) -> None:
    # 10 active (2 of them exiting) and 2 pending hold 12 validators' worth of collateral (192).
    # The 2 leaving release 2/12 of it; their 64 ETH reach the pool 256 epochs + the sweep later.
    row.set(
        active_validators=10.0,
        exiting_validators=2.0,
        pending_eth=64.0,
        assigned_collateral_eth=192.0,
        exit_to_arrival_days=5.34,
    )
    r = rings(16)
    r[EXITING, 4, 0] = 2.0
    process_exits(row.s, row.inp, 4, r, 0)
    assert row["active_validators"] == 8.0 and row["exiting_validators"] == 0.0
    assert row["assigned_collateral_eth"] == pytest.approx(160.0)
    assert row["withdrawing_eth"] == 64.0
    assert r[ARRIVING, 4 + 5, 0] == 64.0 and r[EXITING, 4, 0] == 0.0
