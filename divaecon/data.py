"""Shipped public data points, read from the files that ship with the package.

Never the network: the CSV files are in the repository's ``data/`` folder (and in the wheel,
found through :mod:`divaecon.resources`) with a ``source`` column per row (``data/README.md``
lists them).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divaecon import resources

DATA_DIR: Path = resources.data_dir()
"""The shipped data folder (see :func:`divaecon.resources.data_dir`)."""
SCENARIO_DIR: Path = resources.scenario_dir()
"""The shipped scenario folder (see :func:`divaecon.resources.scenario_dir`)."""


def staking_data_points() -> pd.DataFrame:
    """Total ETH staked on dated days, with validators, share of supply and source.

    Columns: ``date`` (datetime64), ``total_staked_eth`` [ETH], ``validators``,
    ``share_of_supply`` [fraction], ``qualifier``, ``source``.
    """
    df = pd.read_csv(resources.data_file("staking_data_points.csv"), parse_dates=["date"])
    df["qualifier"] = df["qualifier"].fillna("")
    return df


def entity_stakes() -> pd.DataFrame:
    """ETH staked by large entities on a dated day: ``date``, ``entity``, ``staked_eth``, ``source``."""
    return pd.read_csv(resources.data_file("entity_stakes.csv"), parse_dates=["date"])


def published_staker_apr() -> pd.DataFrame:
    """Staker APRs protocols published, with the world they were earned in.

    Columns: ``date`` (datetime64), ``setup`` (the peer set-up's name, e.g. ``Lido (curated)``),
    ``staker_apr`` [fraction/year], ``total_staked_eth`` [ETH staked on Ethereum then],
    ``el_reward_per_block_eth`` [ETH, calibrated from the same figure], ``qualifier``, ``source``.
    """
    df = pd.read_csv(resources.data_file("published_staker_apr.csv"), parse_dates=["date"])
    df["qualifier"] = df["qualifier"].fillna("")
    return df


def scenario_paths() -> list[Path]:
    """The shipped scenario files, sorted (``base.yaml`` first)."""
    return resources.scenario_files()
