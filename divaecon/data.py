"""Shipped public data points, read from the project's ``data/`` folder.

Never the network: the CSV files are in the repository with a ``source`` column per row
(``data/README.md`` lists them).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCENARIO_DIR = DATA_DIR / "scenarios"


def staking_data_points() -> pd.DataFrame:
    """Total ETH staked on dated days, with validators, share of supply and source.

    Columns: ``date`` (datetime64), ``total_staked_eth`` [ETH], ``validators``,
    ``share_of_supply`` [fraction], ``qualifier``, ``source``.
    """
    df = pd.read_csv(DATA_DIR / "staking_data_points.csv", parse_dates=["date"])
    df["qualifier"] = df["qualifier"].fillna("")
    return df


def entity_stakes() -> pd.DataFrame:
    """ETH staked by large entities on a dated day: ``date``, ``entity``, ``staked_eth``, ``source``."""
    return pd.read_csv(DATA_DIR / "entity_stakes.csv", parse_dates=["date"])


def published_staker_apr() -> pd.DataFrame:
    """Staker APRs protocols published, with the world they were earned in.

    Columns: ``date`` (datetime64), ``setup`` (the peer set-up's name, e.g. ``Lido (curated)``),
    ``staker_apr`` [fraction/year], ``total_staked_eth`` [ETH staked on Ethereum then],
    ``el_reward_per_block_eth`` [ETH, calibrated from the same figure], ``qualifier``, ``source``.
    """
    df = pd.read_csv(DATA_DIR / "published_staker_apr.csv", parse_dates=["date"])
    df["qualifier"] = df["qualifier"].fillna("")
    return df


def scenario_paths() -> list[Path]:
    """The shipped scenario files, sorted (``base.yaml`` first)."""
    paths = sorted(SCENARIO_DIR.glob("*.yaml"))
    return sorted(paths, key=lambda p: (p.stem != "base", p.stem))
