"""Step 2: the stakers' part of the rewards stays in the pool; operators' fees are minted or paid out."""

from __future__ import annotations

import pytest

from divaecon.simulate.steps import process_fee_split


def test_minted_operator_fees_stay_in_the_pool(row) -> None:
    # Diva docs 40-staking-rewards.md: 10 % to operators, 0 % to the DAO -> stakers keep 90 %;
    # 21-economics.md: operators "generate additional divETH", so their 10 ETH stays too.
    row.set(rewards_today_eth=100.0, staker_share=0.9, operator_share=0.1, operator_rewards_minted=1.0)
    process_fee_split(row.s, row.inp)
    assert row["staker_rewards_today_eth"] == pytest.approx(90.0)
    assert row["retained_rewards_today_eth"] == pytest.approx(100.0)


def test_paid_out_operator_fees_and_the_treasury_leave(row) -> None:
    row.set(
        rewards_today_eth=100.0, staker_share=0.85, operator_share=0.1, treasury_share=0.05, operator_rewards_minted=0.0
    )
    process_fee_split(row.s, row.inp)
    assert row["retained_rewards_today_eth"] == pytest.approx(85.0)
