"""Shipped public data points, read from the files that ship with the package.

Never the network: the CSV files are in the repository's ``data/`` folder (and in the wheel,
found through :mod:`divaecon.resources`) with a ``source`` column per row (``data/README.md``
lists them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from divaecon import resources
from divaecon.errors import DivaeconError

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
    ``el_reward_per_block_eth`` [ETH per block then, from independent figures: relay payments,
    studies; never backed out of the same rate], ``qualifier``, ``calibration`` (the default a
    figure was used to calibrate, or empty: such a figure is in-sample and is never shown as
    agreement), ``source``.
    """
    text = {"qualifier": str, "calibration": str, "source": str}
    df = pd.read_csv(
        resources.data_file("published_staker_apr.csv"), parse_dates=["date"], dtype=text, keep_default_na=False
    )
    return df


def scenario_paths() -> list[Path]:
    """The shipped scenario files, sorted (``base.yaml`` first)."""
    return resources.scenario_files()


# --- history (issue 18): dated, sourced, quality-flagged rows for the backtest ----------------

QUALITY_FLAGS: tuple[str, ...] = ("primary", "secondary", "approximate")
"""How strong a history row's source is: the publisher's own figure (``primary``), a copy or
quote of it by someone else (``secondary``), or a rounded or ranged figure (``approximate``)."""

HISTORY_SERIES: tuple[str, ...] = ("network", "lido", "rocketpool")
"""The reference-rate series of ``history_rates.csv``: ETH.STORE, Lido's stETH, Rocket Pool's rETH."""

STAKE_MEASURES: tuple[str, ...] = ("active_effective_balance", "reported")
"""``history_stake.csv`` ``measure``: beaconcha.in's sum of effective balances, or a figure a report gave."""

EL_COMPONENTS: tuple[str, ...] = ("total", "mev_only")
"""``history_el_reward.csv`` ``component``: the whole execution reward, or its MEV-payment part."""


def _checked_csv(
    name: str,
    text: Sequence[str],
    numbers: Sequence[str] = (),
    dates: Sequence[str] = ("date",),
    optional_dates: Sequence[str] = (),
    choices: Mapping[str, Sequence[str]] | None = None,
    booleans: Sequence[str] = (),
) -> pd.DataFrame:
    """Read ``data/<name>`` and check it: every column present, dated, sourced, flags valid.

    ``text`` columns must be present (``source`` and ``quality`` must be non-empty; ``note``
    and other optional text may be empty); ``numbers`` must parse as finite floats (empty
    allowed only for ``validators``); ``dates`` must parse as YYYY-MM-DD on every row,
    ``optional_dates`` where given; ``choices`` restrict a column to a set; ``booleans`` must be
    ``true``/``false``. Raises :class:`~divaecon.errors.DivaeconError` naming the file, the
    column and, for a bad value, the row (1 = the first data row).
    """
    path = resources.data_file(name)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    wanted = [*dates, *optional_dates, *numbers, *text, *booleans, *(choices or {})]
    for column in dict.fromkeys(wanted):
        if column not in df.columns:
            raise DivaeconError(f"data/{name}: column {column!r} is missing (columns: {', '.join(df.columns)})")
    if df.empty:
        raise DivaeconError(f"data/{name}: no rows")

    def bad(column: str, row: int, value: str, allowed: str) -> DivaeconError:
        return DivaeconError(f"data/{name}: column {column!r}, row {row + 1}: {value!r} is not {allowed}")

    for column in (*dates, *optional_dates):
        parsed = pd.to_datetime(df[column], format="%Y-%m-%d", errors="coerce")
        for i, (value, when) in enumerate(zip(df[column], parsed, strict=True)):
            if pd.isna(when) and (column in dates or value.strip()):
                raise bad(column, i, value, "a date (YYYY-MM-DD)")
        df[column] = parsed
    for column in numbers:
        parsed = pd.to_numeric(df[column].where(df[column].str.strip() != ""), errors="coerce")
        for i, (value, number) in enumerate(zip(df[column], parsed, strict=True)):
            empty_ok = column == "validators" and not value.strip()
            if not empty_ok and not (pd.notna(number) and math.isfinite(number)):
                raise bad(column, i, value, "a finite number")
        df[column] = parsed.astype(float)
    for column in ("source", "quality"):
        if column in text:
            for i, value in enumerate(df[column]):
                if not value.strip():
                    raise bad(column, i, value, "given (every row needs one)")
    if "quality" in text:
        choices = {**(choices or {}), "quality": QUALITY_FLAGS}
    for column, allowed in (choices or {}).items():
        for i, value in enumerate(df[column]):
            if value not in allowed:
                raise bad(column, i, value, "one of " + ", ".join(allowed))
    for column in booleans:
        for i, value in enumerate(df[column]):
            if value not in ("true", "false", "True", "False"):
                raise bad(column, i, value, "true or false")
        df[column] = df[column].str.lower() == "true"
    return df


def history_stake() -> pd.DataFrame:
    """The network's total ETH staked on dated days, Shapella (April 2023) to 2026.

    Columns: ``date`` (datetime64), ``total_staked_eth`` [ETH], ``validators`` (NaN where not
    given), ``measure`` (``active_effective_balance``: beaconcha.in's sum of effective
    balances, the balance the spec's rewards depend on; ``reported``: a figure a report gave),
    ``source``, ``quality`` (:data:`QUALITY_FLAGS`), ``note``. Sorted by date.
    """
    df = _checked_csv(
        "history_stake.csv",
        text=("measure", "source", "quality", "note"),
        numbers=("total_staked_eth", "validators"),
        choices={"measure": STAKE_MEASURES},
    )
    for i, value in enumerate(df["total_staked_eth"]):
        if not value > 0:
            raise DivaeconError(f"data/history_stake.csv: column 'total_staked_eth', row {i + 1}: {value:g} is not > 0")
    return df.sort_values(["date", "measure"], kind="stable").reset_index(drop=True)


def history_rates() -> pd.DataFrame:
    """Dated reference rates: ETH.STORE (``network``), Lido's stETH, Rocket Pool's rETH.

    Columns: ``date`` (datetime64, the window's last day), ``series``
    (:data:`HISTORY_SERIES`), ``apr`` [fraction/year], ``window`` (e.g. "7-day mean of daily
    values"), ``includes`` (what the rate includes: fees taken, cash drag), ``source``,
    ``quality``, ``calibration`` (the default a point was used to calibrate, e.g.
    ``ethereum.el_reward_per_block_eth``; empty for points no default was fitted to: the one
    place that says which points are in-sample), ``note``. Sorted by series, then date.
    """
    df = _checked_csv(
        "history_rates.csv",
        text=("window", "includes", "source", "quality", "calibration", "note"),
        numbers=("apr",),
        choices={"series": HISTORY_SERIES},
    )
    for i, value in enumerate(df["apr"]):
        if not 0.0 < value < 0.2:
            raise DivaeconError(
                f"data/history_rates.csv: column 'apr', row {i + 1}: {value:g} is not a fraction a year from 0 to 0.2"
            )
    return df.sort_values(["series", "date"], kind="stable").reset_index(drop=True)


def history_el_reward() -> pd.DataFrame:
    """Execution-layer reward per block (priority fees + MEV payments to the proposer) by date.

    Columns: ``date`` (datetime64, the window's midpoint), ``window_start``, ``window_end``,
    ``el_reward_per_block_eth`` [ETH], ``component`` (``total`` or ``mev_only``),
    ``statistic`` (e.g. "mean per block over the window"), ``independent`` (bool: False for
    figures backed out of a staker APR, which a backtest of staker APRs must not use),
    ``source``, ``quality``, ``note``. Sorted by date.
    """
    df = _checked_csv(
        "history_el_reward.csv",
        text=("statistic", "source", "quality", "note"),
        numbers=("el_reward_per_block_eth",),
        dates=("date", "window_start", "window_end"),
        choices={"component": EL_COMPONENTS},
        booleans=("independent",),
    )
    return df.sort_values("date", kind="stable").reset_index(drop=True)


EVENT_ROWS: tuple[str, ...] = ("incident", "window")
"""``history_events.csv`` ``row``: one dated incident, or the window over which an event's incidents are counted."""

EXPOSURE_UNITS: tuple[str, ...] = ("years", "validator-years")
"""``history_events.csv`` ``exposure_unit``: calendar years of the window (computed from its dates), or
validator-years (given, with the arithmetic in the row's note)."""


def history_events() -> pd.DataFrame:
    """Dated incidents and the windows they are counted over: the record behind event rates.

    Columns: ``event`` (e.g. ``client_outage``, ``slashed_validator``), ``row`` (:data:`EVENT_ROWS`),
    ``date`` (an incident's day; NaT on windows), ``window_start``, ``window_end`` (a window's
    days; NaT on incidents), ``count`` (events on an incident row, 1 unless a note says; on a
    window row, the count when no incidents are listed, else NaN), ``exposure`` (validator-years
    where ``exposure_unit`` is ``validator-years``, else NaN: calendar years follow from the
    dates), ``exposure_unit`` (:data:`EXPOSURE_UNITS`), ``source``, ``quality``, ``note``.
    Checked: every event has exactly one window, every incident lies inside it, a window gives a
    count or lists incidents (not both), counts are whole and at least 0, exposures above 0.
    """
    name = "history_events.csv"
    df = _checked_csv(
        name,
        text=("event", "count", "exposure", "exposure_unit", "source", "quality", "note"),
        dates=(),
        optional_dates=("date", "window_start", "window_end"),
        choices={"row": EVENT_ROWS},
    )
    for column in ("count", "exposure"):
        df[column] = pd.to_numeric(df[column].where(df[column].str.strip() != ""), errors="coerce")

    def bad(i: int, problem: str) -> DivaeconError:
        return DivaeconError(f"data/{name}: row {i + 1} ({df['event'][i]}): {problem}")

    for i, r in df.iterrows():
        k = int(str(i))
        if r["row"] == "incident":
            if pd.isna(r["date"]) or pd.notna(r["window_start"]) or pd.notna(r["window_end"]):
                raise bad(k, "an incident has a date and no window")
            if not (pd.notna(r["count"]) and r["count"] >= 1 and float(r["count"]).is_integer()):
                raise bad(k, f"count {r['count']!r} is not a whole number of at least 1")
        else:
            if pd.isna(r["window_start"]) or pd.isna(r["window_end"]) or not r["window_start"] < r["window_end"]:
                raise bad(k, "a window needs window_start before window_end")
            if r["exposure_unit"] not in EXPOSURE_UNITS:
                raise bad(k, f"exposure_unit {r['exposure_unit']!r} is not one of " + ", ".join(EXPOSURE_UNITS))
            given = pd.notna(r["exposure"])
            if given != (r["exposure_unit"] == "validator-years") or (given and not r["exposure"] > 0):
                raise bad(k, "exposure is given (above 0) exactly when its unit is validator-years")
            if pd.notna(r["count"]) and not (r["count"] >= 0 and float(r["count"]).is_integer()):
                raise bad(k, f"count {r['count']!r} is not a whole number of at least 0")
    for event, rows in df.groupby("event", sort=False):
        windows = rows[rows["row"] == "window"]
        if len(windows) != 1:
            raise DivaeconError(f"data/{name}: event {event!r} has {len(windows)} windows; needs exactly one")
        w = windows.iloc[0]
        incidents = rows[rows["row"] == "incident"]
        if len(incidents) and pd.notna(w["count"]):
            raise DivaeconError(f"data/{name}: event {event!r}: its window gives a count and incidents are listed too")
        if pd.isna(w["count"]) and not len(incidents):
            raise DivaeconError(f"data/{name}: event {event!r}: no count and no incidents")
        outside = incidents[(incidents["date"] < w["window_start"]) | (incidents["date"] > w["window_end"])]
        if len(outside):
            raise DivaeconError(
                f"data/{name}: event {event!r}: incident of {outside['date'].iloc[0]:%Y-%m-%d} is outside its window"
            )
    return df


def history_rules() -> pd.DataFrame:
    """The pools' rules in force by date: fees, commissions, bonds.

    Columns: ``pool`` (``lido``, ``rocketpool``), ``rule`` (``fee_total``, ``commission``,
    ``bond``, ``voter_share``, ``reth_commission`` …), ``value``, ``unit``, ``valid_from``,
    ``valid_to`` (NaT: still in force), ``applies_to`` (which validators or tokens),
    ``backtest`` (bool: the rule the backtest charges the pool's stakers), ``source``,
    ``quality``, ``note``.
    """
    return _checked_csv(
        "history_rules.csv",
        text=("rule", "unit", "applies_to", "source", "quality", "note"),
        numbers=("value",),
        dates=("valid_from",),
        optional_dates=("valid_to",),
        choices={"pool": ("lido", "rocketpool")},
        booleans=("backtest",),
    )
