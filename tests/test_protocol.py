"""Diva's economics against formulas derived from Diva's docs (docs/21-economics.md, 40-staking-rewards.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from divaecon import protocol
from divaecon.params import Scenario
from divaecon.quote import quote

frac = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
rate = st.floats(min_value=0.0, max_value=0.2, allow_nan=False)


@given(st.floats(0, 1e6), frac, frac, frac)
def test_fee_shares_sum_to_the_whole(rewards, a, b, c):
    total = a + b + c
    if total > 1:
        a, b, c = a / total, b / total, c / total
    split = protocol.fee_split(rewards, a, b, c)
    assert sum(split.values()) == pytest.approx(rewards, rel=1e-12, abs=1e-9)
    assert min(split.values()) >= -1e-9


@given(rate)
def test_model_brief_formulas_at_defaults(r):
    # Diva docs 40-staking-rewards.md: reward per key share = 0.10 * 32 * r / 16 = 0.2 r ETH/year;
    # collateral APR queued 0.9 r, assigned 0.9 r + 0.2 r / c (= 1.1 r at c = 1).
    staker = protocol.staker_apr(r)
    reward = protocol.operator_reward_per_key_share_eth_per_year(r)
    assert staker == pytest.approx(0.9 * r, abs=1e-15)
    assert reward == pytest.approx(0.2 * r, abs=1e-15)
    assert protocol.operator_apr_queued(staker) == pytest.approx(0.9 * r, abs=1e-15)
    assert protocol.operator_apr_assigned(staker, reward, 1.0) == pytest.approx(1.1 * r, abs=1e-15)
    assert protocol.operator_apr_assigned(staker, reward, 0.25) == pytest.approx(0.9 * r + 0.8 * r, abs=1e-15)


def test_cash_drag():
    # Half the deposits idle in the buffer: the staker APR halves.
    assert protocol.staker_apr(0.04, buffered_fraction=0.5) == pytest.approx(0.9 * 0.04 * 0.5)


def test_collateral_locked_by_hand():
    # Diva docs 70-validator_migrations.md: 21,504 ETH of collateral = 1,344 validators x 16 x 1 divETH.
    assert protocol.collateral_locked_eth(1_344) == pytest.approx(21_504)
    assert protocol.collateral_locked_eth(1_344, 0.25) == pytest.approx(5_376)
    assert protocol.collateral_ratio(1.0) == pytest.approx(0.5)  # 16 divETH of 32 ETH


def test_penalty_charged_to_collateral_symmetric_and_single_operator():
    # Everyone at 95 %: each key share bears (1 - availability) / 16 of a year's offline penalty.
    from divaecon import dvt, ethereum

    expected = ethereum.offline_penalty_apr(34.65e6) * 32 * (1 - dvt.availability(16, 11, 0.95)) / 16
    assert protocol.collateral_penalty_eth_per_year(34.65e6, 0.95) == pytest.approx(expected)
    # A worse operator among good ones bears more than its symmetric share.
    bad = protocol.collateral_penalty_eth_per_year(34.65e6, 0.5, others_uptime=0.95)
    assert bad > expected
    assert protocol.collateral_penalty_eth_per_year(34.65e6, 1.0, others_uptime=0.9) == 0.0


def test_profit_and_break_even_by_hand():
    # $1,000 hardware over 3 years + $50/month = $933.33/year.
    cost = protocol.operator_cost_usd_per_year(1_000, 3, 50)
    assert cost == pytest.approx(1000 / 3 + 600)
    # 0.00625 ETH per key share at $2,500 = $15.625: ceil(933.33 / 15.625) = 60 key shares.
    assert protocol.break_even_key_shares(0.00625, 2_500, cost) == 60
    assert protocol.operator_profit_usd_per_year(60, 0.00625, 2_500, cost) >= 0
    assert protocol.operator_profit_usd_per_year(59, 0.00625, 2_500, cost) < 0
    assert math.isinf(protocol.break_even_key_shares(0.0, 2_500, cost))


def test_vectorised_over_collateral():
    c = np.array([0.05, 0.5, 1.0, 2.0])
    out = protocol.operator_apr_assigned(0.027, 0.006, c)
    assert out == pytest.approx(0.027 + 0.006 / c)


def test_quote_reference_issue_2():
    # Issue #2: --total-staked-eth 34650000 --operator-uptime 1 --el-reward-per-block-eth 0
    # gives a consensus APR of 343 gwei * 82,181.25 / 1e9 = 2.8188 % (issue 9: the spec floors
    # the base reward, 64e9 // isqrt(34,650,000e9) = 343; the smooth 166.3 / sqrt gave 2.8255 %).
    s = Scenario().override(total_staked_eth=34_650_000, operator_uptime=1.0, el_reward_per_block_eth=0.0)
    q = quote(s)
    assert q.consensus_apr == pytest.approx(0.028188, abs=1e-6)
    assert q.execution_apr == 0.0
    r = q.gross_apr
    assert q.staker_apr == pytest.approx(0.9 * r)
    assert q.operator_reward_per_key_share_eth_per_year == pytest.approx(0.2 * r)
    assert q.operator_apr_assigned == pytest.approx(1.1 * r)
    assert q.collateral_locked_eth == pytest.approx(21_504)
    assert q.validator_availability == 1.0


@given(st.floats(0.05, 2.0), st.floats(0.05, 2.0))
def test_lower_collateral_raises_assigned_apr(c1, c2):
    lo, hi = sorted((c1, c2))
    qa = quote(Scenario().override(collateral_per_key_share_eth=lo))
    qb = quote(Scenario().override(collateral_per_key_share_eth=hi))
    assert qa.operator_apr_assigned >= qb.operator_apr_assigned - 1e-15
    assert qa.staker_apr == pytest.approx(qb.staker_apr)  # stakers are not affected


def test_operator_apr_assigned_at_other_collateral() -> None:
    from divaecon.quote import operator_apr_assigned_at

    q = quote(Scenario())
    assert operator_apr_assigned_at(q, 1.0) == pytest.approx(q.operator_apr_assigned, rel=1e-12)
    # README: 0.9 r + (0.2 r − penalty) / c for the same quote, at c = 0.5 and 2
    r = q.gross_apr
    net = q.operator_reward_per_key_share_eth_per_year - q.collateral_penalty_per_key_share_eth_per_year
    assert net == pytest.approx(q.operator_net_reward_per_key_share_eth_per_year, rel=1e-12)
    got = operator_apr_assigned_at(q, np.array([0.5, 2.0]))
    assert got == pytest.approx(0.9 * r + net / np.array([0.5, 2.0]), rel=1e-9)
