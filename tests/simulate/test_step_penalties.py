"""Step 3: collateral covers penalties; slashings are covered by the colluders' collateral."""

from __future__ import annotations

import pytest

from divaecon.simulate.steps import ARRIVING, process_penalties


def test_collateral_covers_what_it_can_and_stakers_lose_the_rest(row, rings) -> None:
    row.set(penalties_today_eth=5.0, assigned_collateral_eth=3.0)
    process_penalties(row.s, row.inp, row.d, 0, rings(), 0)
    assert row["covered_today_eth"] == 3.0 and row["staker_loss_today_eth"] == 2.0
    assert row["assigned_at_start_eth"] == 3.0
    assert row["assigned_collateral_eth"] == 3.0  # taken off after the rebase step


def test_a_slashing_exits_the_validators_and_takes_the_colluders_collateral(row, rings) -> None:
    # 10 validators with 16 divETH of collateral each; 2 are slashed, 1.5 ETH each. The 11 of 16
    # colluding key shares of each hold 11 divETH: 22 divETH could cover, 3 ETH are due.
    row.set(
        active_validators=10.0,
        assigned_collateral_eth=160.0,
        buffer_eth=0.0,
        penalties_today_eth=0.0,
        slashed_validators=2.0,
        slashing_penalty_each_eth=1.5,
        slashed_to_arrival_days=40.6,
    )
    r = rings(64)
    process_penalties(row.s, row.inp, row.d, 5, r, 0)
    assert row["active_validators"] == 8.0
    # the rest of their stake comes back once withdrawable: 8,192 epochs + the sweep ≈ 41 days
    assert row["withdrawing_eth"] == pytest.approx(64.0 - 3.0)
    assert r[ARRIVING, (5 + 41) % 64, 0] == pytest.approx(61.0)
    assert row["buffer_eth"] == 0.0 and row["slashing_penalties_today_eth"] == pytest.approx(3.0)
    assert row["penalties_today_eth"] == pytest.approx(3.0)
    assert row["covered_today_eth"] == pytest.approx(3.0) and row["staker_loss_today_eth"] == 0.0
    # 32 divETH of theirs: 3 confiscated (taken off in the rebase step), 29 released now
    assert row["assigned_collateral_eth"] == pytest.approx(160.0 - 29.0)


def test_a_slashing_the_collateral_cannot_cover_is_the_stakers_loss(row, rings) -> None:
    # 0.01 divETH per key share: the colluders' 11 shares hold 0.11 divETH against 1 ETH.
    row.set(
        active_validators=1.0,
        assigned_collateral_eth=0.16,
        penalties_today_eth=0.0,
        collateral_per_validator_eth=0.16,
        slashed_validators=1.0,
        slashing_penalty_each_eth=1.0,
    )
    process_penalties(row.s, row.inp, row.d, 0, rings(), 0)
    assert row["covered_today_eth"] == pytest.approx(0.11)
    assert row["staker_loss_today_eth"] == pytest.approx(0.89)
