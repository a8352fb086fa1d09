"""Ethereum reward functions against hand-computed spec values and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from divaecon import ethereum as eth
from divaecon.units import EPOCHS_PER_YEAR, SLOTS_PER_YEAR

stake = st.floats(min_value=1e5, max_value=1.2e8, allow_nan=False)
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_time_constants_match_model_brief():
    # MODEL.md §2: 12 s slots, 32 slots per epoch, 365.25 days -> 82,181.25 epochs per year.
    assert EPOCHS_PER_YEAR == 82_181.25
    assert SLOTS_PER_YEAR == 2_629_800


@pytest.mark.parametrize(
    ("total_eth", "expected_gwei"),
    [
        # By hand: isqrt(34,650,000e9) = 186,145,104; 64e9 // 186,145,104 = 343.
        (34_650_000, 343),
        # By hand: isqrt(32,076,797e9) = 179,099,963; 64e9 // 179,099,963 = 357 (2024-03-28 stake).
        (32_076_797, 357),
    ],
)
def test_base_reward_per_increment_is_spec_exact(total_eth, expected_gwei):
    assert eth.base_reward_per_increment_gwei(total_eth * 10**9) == expected_gwei
    # base_reward of a 32 ETH validator is 32 increments of it (altair get_base_reward).
    assert eth.base_reward_gwei(32 * 10**9, total_eth * 10**9) == 32 * expected_gwei


def test_consensus_apr_reference_from_model_brief():
    # MODEL.md §2 and issue #2: 166.3 / sqrt(34.65e6) ≈ 2.8255 % (166.3 is rounded, so 1e-3 rel).
    apr = eth.ideal_consensus_apr(34_650_000)
    assert apr == pytest.approx(166.3 / math.sqrt(34.65e6), rel=1e-3)
    assert round(apr * 100, 4) == pytest.approx(2.8255, abs=1e-4)


@given(stake)
def test_float_path_agrees_with_integer_path(total_eth):
    total_gwei = int(total_eth * 10**9)
    exact = eth.base_reward_per_increment_gwei(total_gwei)
    approx = eth.base_reward_per_increment(total_gwei / 10**9)
    assert exact <= approx < exact + 1.0 + 1e-9  # the spec floors; < 1 gwei apart


@given(stake, stake)
def test_apr_falls_as_stake_grows(a, b):
    lo, hi = sorted((a, b))
    if hi > lo * (1 + 1e-9):
        assert eth.ideal_consensus_apr(hi) < eth.ideal_consensus_apr(lo)
        assert eth.consensus_apr(hi, 0.97) < eth.consensus_apr(lo, 0.97)


def test_reward_split_is_54_2_8_of_64():
    split = eth.ideal_reward_split_eth_per_year(34_650_000)
    total = split["total"]
    assert split["attestation"] == pytest.approx(total * 54 / 64)
    assert split["sync"] == pytest.approx(total * 2 / 64)
    assert split["proposer"] == pytest.approx(total * 8 / 64)
    assert split["attestation"] + split["sync"] + split["proposer"] == pytest.approx(total)
    # 32 ETH at 2.8255 % is ~0.904 ETH a year.
    assert total == pytest.approx(32 * 0.0282554, rel=1e-4)


@pytest.mark.parametrize(
    ("uptime", "participation", "weight"),
    [
        (1.0, 1.0, 64 / 64),
        # Offline all year: -40/64 (source+target) - 2/64 (sync) = -42/64 of the ideal.
        (0.0, 1.0, -42 / 64),
        # Half the time: 0.5*54 - 0.5*40 + 0*2 + 0.5*8 = 11 -> 11/64.
        (0.5, 1.0, 11 / 64),
        # Perfect validator, 90 % participation: 0.9*54 + 2 + 0.9*8 = 57.8 -> 57.8/64.
        (1.0, 0.9, 57.8 / 64),
    ],
)
def test_uptime_and_participation_by_hand(uptime, participation, weight):
    ideal = eth.ideal_consensus_apr(34_650_000)
    got = eth.consensus_apr(34_650_000, uptime, participation)
    assert got == pytest.approx(ideal * weight, rel=1e-12)


@given(stake, unit, unit)
def test_consensus_apr_rises_with_uptime(total, u1, u2):
    lo, hi = sorted((u1, u2))
    assert eth.consensus_apr(total, lo) <= eth.consensus_apr(total, hi) + 1e-15


def test_offline_penalty_is_minus_the_zero_uptime_apr():
    assert eth.offline_penalty_apr(34_650_000) == pytest.approx(-eth.consensus_apr(34_650_000, 0.0))


def test_execution_apr_by_hand():
    # 0.0395 ETH/block * 2,629,800 blocks/year / 34.65M ETH = 0.2998 %.
    assert eth.execution_apr(0.0395, 34_650_000) == pytest.approx(0.0395 * 2_629_800 / 34.65e6)
    assert eth.execution_apr(0.0395, 34_650_000, 0.5) == pytest.approx(0.5 * 0.0395 * 2_629_800 / 34.65e6)
    # Inverse: Rated's 0.54 % EL APR on 9 Jul 2024 (MODEL.md §2) at ~32.5M ETH.
    per_block = eth.el_reward_per_block_from_apr(0.0054, 32_500_000)
    assert eth.execution_apr(per_block, 32_500_000) == pytest.approx(0.0054)


def test_proposals_per_year_by_hand():
    # One million 32 ETH validators: 2,629,800 slots / 1e6 = 2.6298 proposals each per year.
    assert eth.proposals_per_year(32, 32e6) == pytest.approx(2.6298)


def test_inactivity_penalty_spec_exact_and_float():
    # bellatrix: 32e9 * 4 // (4 * 2**24) = 1,907 gwei for one epoch at score 4.
    assert eth.inactivity_penalty_gwei(32 * 10**9, 4) == 1907
    # Float path over a 1-epoch leak: 32 * 1 * 2 / 2 / 2**24 ETH.
    assert eth.inactivity_leak_loss_eth(32, 1) == pytest.approx(32 / 2**24)
    # Sum of the spec's per-epoch penalties with scores 4, 8, ..., 4L equals the closed form.
    leak = 100
    spec_sum = sum(32e9 * 4 * k / (4 * 2**24) for k in range(1, leak + 1)) / 1e9
    assert eth.inactivity_leak_loss_eth(32, leak) == pytest.approx(spec_sum)


def test_slashing_penalty_electra_by_hand():
    out = eth.slashing_penalty_eth(32, 32, 34_650_000)
    assert out["initial"] == pytest.approx(32 / 4096)  # 0.0078125 ETH
    assert out["correlation"] == pytest.approx(32 * 96 / 34.65e6)  # min(3*32, total) / total
    # Missed source+target each epoch for 8,192 epochs: 32 * 343.82e-9 * 40/64 * 8192 ≈ 0.05633 ETH.
    assert out["missed_duties"] == pytest.approx(0.0563298, rel=1e-4)
    assert out["total"] == pytest.approx(out["initial"] + out["correlation"] + out["missed_duties"])
    # A third of the stake slashed together: the whole balance goes.
    mass = eth.slashing_penalty_eth(32, 34_650_000 / 3, 34_650_000)
    assert mass["correlation"] == pytest.approx(32)


def test_activation_churn_electra_bounds():
    assert eth.activation_churn_eth_per_epoch(1_000_000) == 128  # floor of 128 ETH
    assert eth.activation_churn_eth_per_epoch(34_650_000) == 256  # cap of 256 ETH
    assert eth.activation_churn_eth_per_epoch(10_000_000) == 152  # 10e6/65,536 = 152.6 -> 152


@given(st.lists(stake, min_size=1, max_size=8), unit, unit)
def test_scalar_and_array_agree(totals, u, p):
    arr = eth.gross_apr(np.array(totals), 0.04, u, max(p, 0.01))
    for i, t in enumerate(totals):
        assert arr[i] == pytest.approx(eth.gross_apr(t, 0.04, u, max(p, 0.01)), rel=1e-12)


def test_scalar_in_scalar_out_and_series_kept():
    assert isinstance(eth.ideal_consensus_apr(34e6), float)
    s = pd.Series([30e6, 40e6], index=["a", "b"])
    out = eth.consensus_apr(s, 0.99)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b"]


def test_execution_reward_per_validator_by_hand():
    # 1M validators of 32 ETH: 2.6298 proposals a year x 0.05 ETH = 0.13149 ETH; / 32 = execution APR.
    per_year = eth.execution_reward_eth_per_year(0.05, 32e6)
    assert per_year == pytest.approx(2.6298 * 0.05)
    assert per_year / 32 == pytest.approx(eth.execution_apr(0.05, 32e6))


def test_rewards_lost_to_downtime_by_hand() -> None:
    # By hand from consensus-specs altair weights (MODEL.md §2), participation 1, no execution
    # rewards: at uptime u a validator earns u·54/64 − (1−u)·40/64 (source, target, head)
    # + (2u−1)·2/64 (sync) + u·8/64 (proposals) of the ideal 64/64. At u = 0.95:
    # 0.95·62/64 − 0.05·40/64 + 0.9·2/64 = 0.9171875, so 8.28125 % of the ideal is lost.
    ideal_apr = 64 * 1e9 / math.sqrt(34.65e6 * 1e9) * EPOCHS_PER_YEAR / 1e9  # ≈ 166.3 / √staked
    assert eth.rewards_lost_eth_per_year(34.65e6, 0.0, 0.95) == pytest.approx(0.0828125 * ideal_apr * 32, rel=1e-9)
    assert eth.rewards_lost_eth_per_year(34.65e6, 0.04, 1.0) == pytest.approx(0.0, abs=1e-15)
    # Execution rewards come only with proposals, so a 50 % validator also loses half of them.
    el_only = eth.rewards_lost_eth_per_year(34.65e6, 0.04, 0.5) - eth.rewards_lost_eth_per_year(34.65e6, 0.0, 0.5)
    assert el_only == pytest.approx(0.5 * float(eth.execution_apr(0.04, 34.65e6)) * 32, rel=1e-9)
    lost = np.asarray(eth.rewards_lost_eth_per_year(34.65e6, 0.04, np.array([0.8, 0.9, 0.99])))
    assert np.all(np.diff(lost) < 0)  # more uptime, less lost
