"""Ethereum's entry and exit queues, Diva's two deposits, and the cash drag they cost a growing pool."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from divaecon import ethereum, protocol
from divaecon.params import Scenario
from divaecon.quote import quote
from divaecon.simulate import simulate


def test_churn_limits_by_hand() -> None:
    # consensus-specs electra get_activation_exit_churn_limit: min(256, max(128, total // 65,536)) ETH
    assert ethereum.activation_churn_eth_per_epoch(5e6) == 128  # 5M / 65,536 = 76 -> the floor of 128
    assert ethereum.activation_churn_eth_per_epoch(1e7) == 152  # 10M / 65,536 = 152.6 -> 152
    assert ethereum.activation_churn_eth_per_epoch(36.7e6) == 256  # 560 -> the cap
    # EIP-8061: max(128, total // 32,768), uncapped: 38.9M / 32,768 = 1,187.1 -> 1,187
    assert ethereum.exit_churn_eth_per_epoch(38.9e6, "eip8061") == 1_187
    assert ethereum.exit_churn_eth_per_epoch(38.9e6, "electra") == 256
    with pytest.raises(ValueError, match="rule"):
        ethereum.exit_churn_eth_per_epoch(38.9e6, "nope")


@given(st.floats(1e6, 2e8), st.sampled_from([(2**16, 256.0), (2**15, math.inf)]))
def test_the_scalar_churn_the_engine_compiles_equals_the_array_path(total: float, rule: tuple[int, float]) -> None:
    quotient, cap = rule
    array = (
        ethereum.activation_churn_eth_per_epoch(total)
        if quotient == 2**16
        else ethereum.exit_churn_eth_per_epoch(total, "eip8061")
    )
    assert ethereum.churn_limit_eth(total, quotient, cap) == array


def test_queue_waits_by_hand() -> None:
    # 4,080,985 ETH in the entry queue (validatorqueue.com via Cointelegraph, 2026-02-03) at
    # 256 ETH an epoch and 225 epochs a day (12 s slots): 57,600 ETH a day, 70.85 days.
    assert ethereum.epochs_per_day(12) == 225
    assert ethereum.queue_wait_days(4_080_985, 256) == pytest.approx(4_080_985 / 57_600)
    # 8 s slots (EIP-8198 draft): 337.5 epochs a day
    assert ethereum.queue_wait_days(4_080_985, 256, 8) == pytest.approx(4_080_985 / (256 * 337.5))
    # 256 epochs to withdrawability: 256 / 225 days
    assert ethereum.withdrawability_delay_days() == pytest.approx(256 / 225)


def test_two_deposits_wait_twice_and_a_growing_pool_pays_for_it() -> None:
    assert protocol.activation_wait_days(70.85, True) == pytest.approx(141.7)
    assert protocol.activation_wait_days(70.85, False, 1.0) == pytest.approx(71.85)
    # A pool growing 50 % a year whose deposits wait 141.7 days keeps e^(−0.5 · 141.7 / 365.25)
    # of its ETH earning: 82.4 %.
    assert protocol.staker_apr_growing_pool(0.028, 0.5, 141.7) == pytest.approx(0.028 * math.exp(-0.5 * 141.7 / 365.25))
    assert protocol.staker_apr_growing_pool(0.028, 0.0, 141.7) == 0.028


def test_the_quote_shows_the_waits_and_the_drag() -> None:
    s = Scenario()
    q = quote(s)
    e = s.ethereum
    entry = e.entry_queue_eth / 57_600  # the Electra cap at today's stake
    assert q.entry_queue_wait_days == pytest.approx(entry)
    assert q.activation_wait_days == pytest.approx(2 * entry + s.simulation.activation_delay_days)
    assert q.exit_wait_days == pytest.approx(e.exit_queue_eth / 57_600 + 256 / 225 + e.withdrawal_sweep_days)
    drag = math.exp(-s.diva.pool_growth_rate_per_year * q.activation_wait_days / 365.25)
    assert q.staker_apr_growing == pytest.approx(q.staker_apr * drag)
    steady = quote(s.override(pool_growth_rate_per_year=0.0))
    assert steady.staker_apr_growing == steady.staker_apr
    one_step = quote(s.override(two_step_deposit=False))
    assert one_step.staker_apr_growing > q.staker_apr_growing


def test_a_growing_pools_simulated_cash_drag_matches_the_quotes_formula() -> None:
    # Deposits proportional to the pool (logistic growth far from its target) at 0.5 a year, a
    # constant entry queue: in the long run the share of the pool still waiting tends to
    # 1 − e^(−g W / 365.25), with g the pool's growth — 0.5 plus the rewards the earning part adds.
    # (Collateral is kept from binding: 0.01 divETH per key share, 2,000 divETH queued on day 0.)
    s = Scenario().override(
        target_staker_eth=1e12,
        growth_rate_per_year=0.5,
        initial_staker_eth=10_000.0,
        collateral_per_key_share_eth=0.01,
        initial_collateral_eth=2_000.0,
        collateral_deposit_eth_per_day=0.0,
        withdrawal_rate_per_year=0.0,
        ethereum_stake_growth_eth_per_day=0.0,
        operator_rewards="paid_out",
    )
    q = quote(s)
    days = 1_500
    res = simulate(s, days=days, record=["cash_drag", "diveth_supply"], record_every_days=30)
    ts = res.timeseries.set_index("day")
    late = ts.loc[ts.index >= 1_000]
    growth = np.log(late["diveth_supply"].iloc[-1] / late["diveth_supply"].iloc[0]) / (
        (late.index[-1] - late.index[0]) / 365.25
    )
    assert 0.5 < growth < 0.53
    expected = 1 - math.exp(-growth * round(q.activation_wait_days) / 365.25)
    assert late["cash_drag"].iloc[-1] == pytest.approx(expected, rel=0.02)
    assert late["cash_drag"].iloc[-1] > 0.15  # two months in the queue, twice, is not a rounding error
