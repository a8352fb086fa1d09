"""The shipped public data points (MODEL.md §5) load with their sources."""

from __future__ import annotations

import pytest

from divaecon.data import entity_stakes, staking_data_points


def test_staking_data_points():
    df = staking_data_points()
    assert len(df) == 5
    assert df["source"].str.len().min() > 0
    assert df["date"].is_monotonic_increasing
    assert df["total_staked_eth"].is_monotonic_increasing  # staking grew between these dates
    last = df.iloc[-1]
    # MODEL.md §5: 34.65M ETH staked on 2025-06-08 (Cointelegraph, beaconcha.in).
    assert str(last["date"].date()) == "2025-06-08" and last["total_staked_eth"] == 34_650_000
    # 2024-03-28: 32,076,797 ETH = 26.74 % of supply with 1,002,400 validators (coinspeaker).
    row = df[df["date"] == "2024-03-28"].iloc[0]
    assert row["validators"] == 1_002_400 and row["share_of_supply"] == pytest.approx(0.2674)


def test_entity_stakes():
    df = entity_stakes().set_index("entity")
    assert df.loc["Lido", "staked_eth"] == 9_600_000
    assert set(df.index) == {"Lido", "Coinbase", "Binance"}
