"""Step 4b: operators below the collateral level by the margin are ejected and their key shares reassigned."""

from __future__ import annotations

import numpy as np
import pytest

from divaecon.simulate.steps import EXITING, process_ejections


def test_above_the_level_nothing_happens(row, rings) -> None:
    # 10 validators need 160 divETH; at a 25 % margin ejection starts below 120.
    row.set(active_validators=10.0, assigned_collateral_eth=121.0, queued_collateral_eth=500.0)
    process_ejections(row.s, row.acc, row.inp, 0, rings(), 0, np.zeros((1, 1, 5)))
    assert row["ejected_today"] == 0.0 and row["assigned_collateral_eth"] == 121.0


def test_below_it_operators_are_ejected_and_the_queue_refills_their_shares(row, rings) -> None:
    row.set(active_validators=10.0, assigned_collateral_eth=119.0, queued_collateral_eth=500.0)
    process_ejections(row.s, row.acc, row.inp, 0, rings(), 0, np.zeros((1, 1, 5)))
    assert row["ejected_today"] == 10.0 and row["ejected_validators"] == 10.0
    assert row["assigned_collateral_eth"] == 160.0  # fresh collateral, a full validator's worth each
    assert row["queued_collateral_eth"] == 340.0 and row["served_today_eth"] == 160.0
    # the ejected operators' 119 divETH are free divETH again (no longer locked): nothing else moves


def test_what_the_queue_cannot_refill_exits(row, rings) -> None:
    # 50 divETH queued fill 3 validators (48) and a bit: 160 − 50 = 110 divETH short = 6.9 -> 7 exit.
    row.set(active_validators=10.0, assigned_collateral_eth=100.0, queued_collateral_eth=50.0)
    r = rings(8)
    process_ejections(row.s, row.acc, row.inp, 0, r, 0, np.zeros((1, 1, 5)))
    assert row["assigned_collateral_eth"] == pytest.approx(50.0) and row["queued_collateral_eth"] == 0.0
    assert row["exiting_validators"] == 7.0 and r[EXITING, 0, 0] == 7.0
