"""Step 0–1: the day's reward rates (numpy, all rows) and the rewards of the active validators."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from divaecon import ethereum
from divaecon.params import Scenario
from divaecon.simulate.engine import stake_paths
from divaecon.simulate.inputs import build_rows
from divaecon.simulate.steps import (
    ENTRY,
    EXIT,
    base_reward_per_increment_of,
    day_inputs,
    ethereum_stake,
    process_rewards,
    queue_days_per_eth,
)

S0 = 34_650_000.0
# By hand, consensus-specs altair: base_reward_per_increment = 10^9 · 64 // isqrt(S · 10^9) gwei per
# ETH per epoch, floored as the spec does (343 gwei at 34.65M ETH; issue 9: the unfloored 343.82 was
# the approximation); an ideal validator earns one base reward per epoch; 225 epochs a day (32 slots
# of 12 s); 32 ETH.
BASE_REWARD_GWEI = 64 * 10**9 // math.isqrt(int(S0) * 10**9)
IDEAL_ETH_PER_VALIDATOR_DAY = BASE_REWARD_GWEI * 32 * 225 / 1e9


def _rates(availability: float, luck: float, el: float = 0.0) -> np.ndarray:
    rows = build_rows(
        [Scenario().override(total_staked_eth=S0, el_reward_per_block_eth=el, network_participation=1.0)], 1
    )
    one = np.ones(1)
    return day_inputs(rows.values, availability * one, luck * one, 0 * one, 0 * one)


def test_a_perfect_validator_earns_one_base_reward_per_epoch() -> None:
    d = _rates(1.0, 1.0)
    assert BASE_REWARD_GWEI == 343
    assert d["consensus_eth_per_validator_day"][0] == pytest.approx(IDEAL_ETH_PER_VALIDATOR_DAY, rel=1e-12)
    assert d["penalty_eth_per_validator_day"][0] == pytest.approx(0.0, abs=1e-18)


def test_a_validator_always_offline_earns_nothing_and_pays_42_of_64() -> None:
    # Missed source (14) and target (26) votes are penalised, and sync duties (2) on average.
    d = _rates(0.0, 1.0)
    assert d["consensus_eth_per_validator_day"][0] == pytest.approx(0.0, abs=1e-18)
    assert d["penalty_eth_per_validator_day"][0] == pytest.approx(IDEAL_ETH_PER_VALIDATOR_DAY * 42 / 64, rel=1e-12)


def test_luck_scales_the_proposer_and_execution_parts_only() -> None:
    # Proposing is 8/64 of the ideal reward; an execution reward of 0.05 ETH per block at
    # 7,200 slots a day shared in proportion to stake gives 32 / S0 · 7,200 · 0.05 ETH a day.
    el_day = 32 / S0 * 7_200 * 0.05
    one, two = _rates(1.0, 1.0, el=0.05), _rates(1.0, 2.0, el=0.05)
    assert one["execution_eth_per_validator_day"][0] == pytest.approx(el_day, rel=1e-12)
    assert two["execution_eth_per_validator_day"][0] == pytest.approx(2 * el_day, rel=1e-12)
    assert two["consensus_eth_per_validator_day"][0] == pytest.approx(IDEAL_ETH_PER_VALIDATOR_DAY * 72 / 64, rel=1e-12)


def test_rewards_scale_with_the_stake_path(row) -> None:
    # 10 validators; the day's stake is 4 times the start: consensus × 1/2, execution × 1/4.
    row.set(
        active_validators=10.0,
        consensus_eth_per_validator_day=0.002,
        execution_eth_per_validator_day=0.0004,
        penalty_eth_per_validator_day=0.0006,
    )
    process_rewards(row.s, row.d, 4e7, 0.25, 0.5)
    assert row["rewards_today_eth"] == pytest.approx(10 * (0.002 * 0.5 + 0.0004 * 0.25))
    assert row["penalties_today_eth"] == pytest.approx(10 * 0.0006 * 0.5)
    assert row["ethereum_stake_today_eth"] == 4e7


def test_ethereum_stake_from_the_table_equals_the_row_s_own(row) -> None:
    row.set(ethereum_stake_eth=4e6, ethereum_stake_growth_eth_per_day=1_000.0)
    path_of_row, paths = stake_paths(row.values, 30)
    own = ethereum_stake(row.inp, 12, paths)  # stake_path −1: computed
    for entry_or_exit in (ENTRY, EXIT):
        assert queue_days_per_eth(row.inp, 12.0, paths, entry_or_exit) == pytest.approx(1 / (128 * 225))
    row.set(stake_path=float(path_of_row[0]))
    table = ethereum_stake(row.inp, 12, paths)
    assert own == table
    # 4,012,000 ETH / 65,536 = 61 ETH an epoch: the floor of 128 applies, 28,800 ETH a day
    for entry_or_exit in (ENTRY, EXIT):
        assert queue_days_per_eth(row.inp, 12.0, paths, entry_or_exit) == pytest.approx(1 / (128 * 225))
    assert own[0] == 4_012_000.0  # 4M + 12 days × 1,000
    # consensus rewards scale as the floored base reward (altair get_base_reward_per_increment):
    # 64·10^9 // isqrt(4,012,000·10^9) = 1,010 gwei against 64·10^9 // isqrt(4,000,000·10^9) = 1,011
    assert own[1] == pytest.approx(4e6 / 4_012_000) and own[2] == 1_010 / 1_011


@given(st.integers(1, 10**9))
def test_the_scalar_base_reward_the_engine_compiles_is_the_spec_s(total_eth: int) -> None:
    # consensus-specs altair: 10^9 · 64 // integer_squareroot(total_gwei), here with Python's own isqrt
    expected = 64 * 10**9 // math.isqrt(total_eth * 10**9)
    assert ethereum.base_reward_per_increment_of(float(total_eth)) == expected
    assert base_reward_per_increment_of(float(total_eth)) == expected  # compiled
    assert ethereum.base_reward_per_increment(float(total_eth)) == expected  # the array path
