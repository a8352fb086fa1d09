"""The shipped public data points load with their sources (data/README.md)."""

from __future__ import annotations

import pytest

from divaecon.data import entity_stakes, published_staker_apr, staking_data_points
from divaecon.params import Scenario


def test_staking_data_points():
    df = staking_data_points()
    assert len(df) == 7
    assert df["source"].str.len().min() > 0
    assert df["date"].is_monotonic_increasing
    assert df["total_staked_eth"].is_monotonic_increasing  # staking grew between these dates
    # 2025-06-08: 34.65M ETH staked (Cointelegraph citing beaconcha.in).
    row = df[df["date"] == "2025-06-08"].iloc[0]
    assert row["total_staked_eth"] == 34_650_000
    # 2024-03-28: 32,076,797 ETH = 26.74 % of supply with 1,002,400 validators (coinspeaker).
    row = df[df["date"] == "2024-03-28"].iloc[0]
    assert row["validators"] == 1_002_400 and row["share_of_supply"] == pytest.approx(0.2674)
    # 2026-02-03: 974,959 validators, 36.7M ETH, 30.15 % (Cointelegraph citing ValidatorQueue.com).
    row = df[df["date"] == "2026-02-03"].iloc[0]
    assert row["validators"] == 974_959 and row["total_staked_eth"] == 36_700_000
    # The latest point is the default stake (ValidatorQueue.com via Gate news, 2026-05-27).
    last = df.iloc[-1]
    assert str(last["date"].date()) == "2026-05-27" and last["total_staked_eth"] == 39_200_000
    assert Scenario().ethereum.total_staked_eth == last["total_staked_eth"]


def test_entity_stakes():
    df = entity_stakes().set_index("entity")
    assert df.loc["Lido", "staked_eth"] == 9_600_000
    assert set(df.index) == {"Lido", "Coinbase", "Binance"}


def test_published_staker_apr():
    df = published_staker_apr()
    assert df["source"].str.len().min() > 0 and (df["setup"] == "Lido (curated)").all()
    # Lido's 7-day average user APR on 2025-06-03: 2.815451605 % (Lido API via Flipside).
    row = df[df["date"] == "2025-06-03"].iloc[0]
    assert row["staker_apr"] == pytest.approx(0.02815, abs=5e-6)
    # Issue 18: the execution reward beside it comes from independent figures, not from this
    # rate: Rated's 0.0676 ETH (mid-2024) to EIP-8363's 0.030 (2026-01-30), linear in time:
    # 0.0676 - 344 / 585 * (0.0676 - 0.030) = 0.04549 ETH.
    assert row["el_reward_per_block_eth"] == pytest.approx(0.0676 - 344 / 585 * (0.0676 - 0.030), abs=5e-5)
    assert (df["calibration"] == "").all()  # no default was fitted to these
