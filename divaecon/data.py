"""Shipped public data points (MODEL.md §5), read from the project's ``data/`` folder.

Never the network: the CSV files are in the repository with a ``source`` column per row.
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


def scenario_paths() -> list[Path]:
    """The shipped scenario files, sorted (``base.yaml`` first)."""
    paths = sorted(SCENARIO_DIR.glob("*.yaml"))
    return sorted(paths, key=lambda p: (p.stem != "base", p.stem))
