"""Spreads derived from the shipped record (``data/``): what the history says about how well a
default is known.

Each function reads one history file through :mod:`divaecon.data` and returns the parameters of a
distribution with the arithmetic in its docstring; :data:`RECORDS` names them for the ``record=``
of :func:`divaecon.params._spread.spread`, so the parameter objects point at a record without
holding its numbers twice. :mod:`divaecon.uncertainty` turns them into distributions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from divaecon import data
from divaecon.errors import DivaeconError

DAYS_PER_YEAR_GREGORIAN = 365.2425
"""Days in a mean Gregorian year, for the spans between dated rows."""


@dataclass(frozen=True)
class RecordSpread:
    """A distribution's parameters derived from the record, and how."""

    kind: str
    parameters: dict[str, float]
    text: str
    relative: bool = False
    """True when the parameters are centred on the scenario's value (e.g. a lognormal's ``sigma``)."""


def el_reward_log_sigma() -> float:
    """Year-to-year spread of the yearly mean execution reward per block: σ of its logarithm [-].

    The independent ``total`` rows of ``data/history_el_reward.csv``, in date order (each row's
    ``date`` is its window's midpoint), give log changes ``d_i = ln(x_{i+1} / x_i)`` over spans
    ``Δt_i`` [years]. With the log of the yearly mean a random walk without drift (the fall since
    2023 is not assumed to go on, nor to reverse), the maximum-likelihood variance per year is
    ``σ² = Σ d_i² / Σ Δt_i``. The rows mix windows (17 months, 30 days, a year) and statistics
    (per block, per slot, per MEV-Boost block): a rough spread, said as such.
    """
    df = data.history_el_reward()
    rows = df[(df["component"] == "total") & df["independent"]].sort_values("date")
    if len(rows) < 2:
        raise DivaeconError("data/history_el_reward.csv: fewer than two independent 'total' rows")
    x = rows["el_reward_per_block_eth"].to_numpy(dtype=float)
    years = rows["date"].diff().dt.days.to_numpy()[1:] / DAYS_PER_YEAR_GREGORIAN
    d = [math.log(b / a) for a, b in itertools.pairwise(x)]
    return math.sqrt(sum(v * v for v in d) / float(sum(years)))


STAKE_GROWTH_WINDOWS: tuple[tuple[str, str], ...] = (("2024-06-30", "2025-06-30"), ("2025-06-30", "2026-05-31"))
"""Year-long windows of ``data/history_stake.csv`` (beaconcha.in's active effective balance at
quarter ends, and the last day of the record) whose growth spans the record's spread. The year
from 2023-06-30 is left out: Shapella (2023-04-12) enabled withdrawals and the deposits that had
waited for them arrived that year (34,041 ETH a day), a one-off a linear trend of ten years
cannot repeat (it would stake more ETH than exists)."""


def stake_growth_range() -> tuple[float, float]:
    """Slowest and fastest growth of the ETH staked in :data:`STAKE_GROWTH_WINDOWS` [ETH/day].

    Growth of a window = (staked at its end − staked at its start) / days between, on the
    ``active_effective_balance`` rows.
    """
    df = data.history_stake()
    active = df[df["measure"] == "active_effective_balance"].set_index("date")["total_staked_eth"]
    rates = []
    for start, end in STAKE_GROWTH_WINDOWS:
        a, b = pd.Timestamp(start), pd.Timestamp(end)
        if a not in active.index or b not in active.index:
            raise DivaeconError(f"data/history_stake.csv: no active_effective_balance row on {start} or {end}")
        rates.append((float(active[b]) - float(active[a])) / (b - a).days)
    return min(rates), max(rates)


def _el_reward() -> RecordSpread:
    sigma = el_reward_log_sigma()
    return RecordSpread(
        "lognormal",
        {"sigma": sigma},
        f"record: the yearly mean moved by σ = {sigma:.2f} in its logarithm a year (random walk, "
        "data/history_el_reward.csv: 0.112 ETH Merge–Feb 2024, 0.0676 mid-2024, 0.030 to 2026-07), "
        "around the scenario's value; the year's own range 0.0278–0.0300 is much narrower",
        relative=True,
    )


def _stake_growth() -> RecordSpread:
    lo, hi = stake_growth_range()
    return RecordSpread(
        "uniform",
        {"low": lo, "high": hi},
        f"record: {lo:,.0f} to {hi:,.0f} ETH a day, the slowest and fastest year from 2024-06-30 to "
        "2026-05-31 (data/history_stake.csv, beaconcha.in); the post-Shapella year 2023–24 left out",
    )


RECORDS: dict[str, Callable[[], RecordSpread]] = {
    "el_reward_year_on_year": _el_reward,
    "stake_growth_by_year": _stake_growth,
}
"""Record keys a parameter's spread may name, and the function deriving it."""


def record_spread(key: str) -> RecordSpread:
    """The spread the record gives for ``key`` (one of :data:`RECORDS`)."""
    if key not in RECORDS:
        raise DivaeconError(f"record {key!r}: unknown; known: {', '.join(RECORDS)}")
    return RECORDS[key]()
