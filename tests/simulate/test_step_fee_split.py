"""Step 2: the stakers' part of the rewards stays in the pool."""

from __future__ import annotations

import pytest

from divaecon.simulate.steps import process_fee_split


def test_stakers_keep_rewards_less_fees(row) -> None:
    # Diva docs 40-staking-rewards.md: 10 % to operators, 0 % to the DAO -> stakers keep 90 %.
    row.set(rewards_today_eth=100.0, staker_share=0.9)
    process_fee_split(row.s, row.inp)
    assert row["staker_rewards_today_eth"] == pytest.approx(90.0)
