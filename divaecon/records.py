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
    basis: str = "record"
    """``record`` when the spread is the record's own; ``assumption`` when the record only bounds it."""


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
    )


def _stake_growth() -> RecordSpread:
    lo, hi = stake_growth_range()
    return RecordSpread(
        "uniform",
        {"low": lo, "high": hi},
        f"record: {lo:,.0f} to {hi:,.0f} ETH a day, the slowest and fastest year from 2024-06-30 to "
        "2026-05-31 (data/history_stake.csv, beaconcha.in); the post-Shapella year 2023–24 left out",
    )


# --- event rates: counts over an exposure ----------------------------------------------------

JEFFREYS_SHAPE = 0.5
"""Prior shape a₀ of a Poisson rate: Jeffreys' prior Gamma(½, 0) (density ∝ λ^(−½)); its rate b₀ = 0."""

EVENT_RATE_COLUMNS = [
    "event",
    "window_start",
    "window_end",
    "count",
    "exposure",
    "exposure_unit",
    "rate",
    "posterior_shape",
    "posterior_rate",
    "posterior_mean",
    "p5",
    "p95",
]


def event_rates() -> pd.DataFrame:
    """Each event of ``data/history_events.csv``: its count, exposure, rate and Gamma posterior.

    ``count`` = the window's own count, or the sum of the counts of the event's incidents (all
    inside the window, :func:`divaecon.data.history_events` checks); ``exposure`` = the window's
    validator-years, or its length in years (days / 365.2425); ``rate`` = count / exposure (the
    maximum-likelihood Poisson rate, 0 for no event). With Jeffreys' prior Gamma(½, 0) the
    posterior of the rate is Gamma(shape = count + ½, rate = exposure): mean (count + ½) /
    exposure, and ``p5``/``p95`` its 5th and 95th percentiles. Columns :data:`EVENT_RATE_COLUMNS`,
    in the file's order of events.

    References
    ----------
    Gelman et al., *Bayesian Data Analysis*, 3rd ed., §2.6 (the Poisson model, the conjugate Gamma
    posterior, and Jeffreys' prior for a rate); ``scipy.stats.gamma`` (scale = 1 / rate).
    """
    from scipy import stats

    df = data.history_events()
    rows = []
    for event, group in df.groupby("event", sort=False):
        w = group[group["row"] == "window"].iloc[0]
        incidents = group[group["row"] == "incident"]
        n = float(w["count"]) if pd.notna(w["count"]) else float(incidents["count"].sum())
        if w["exposure_unit"] == "validator-years":
            exposure = float(w["exposure"])
        else:
            exposure = (w["window_end"] - w["window_start"]).days / DAYS_PER_YEAR_GREGORIAN
        shape = n + JEFFREYS_SHAPE
        post = stats.gamma(shape, scale=1.0 / exposure)
        rows.append(
            {
                "event": event,
                "window_start": w["window_start"],
                "window_end": w["window_end"],
                "count": n,
                "exposure": exposure,
                "exposure_unit": w["exposure_unit"],
                "rate": n / exposure,
                "posterior_shape": shape,
                "posterior_rate": exposure,
                "posterior_mean": shape / exposure,
                "p5": float(post.ppf(0.05)),
                "p95": float(post.ppf(0.95)),
            }
        )
    return pd.DataFrame(rows, columns=EVENT_RATE_COLUMNS)


def event_rate(event: str) -> pd.Series:
    """The row of :func:`event_rates` for ``event``."""
    table = event_rates()
    match = table[table["event"] == event]
    if match.empty:
        raise DivaeconError(f"event {event!r}: not in data/history_events.csv; known: {', '.join(table['event'])}")
    return match.iloc[0]


def _posterior(event: str, what: str) -> Callable[[], RecordSpread]:
    def derive() -> RecordSpread:
        r = event_rate(event)
        return RecordSpread(
            "gamma",
            {"shape": float(r["posterior_shape"]), "rate": float(r["posterior_rate"])},
            f"record: {int(r['count'])} {what} from {r['window_start']:%Y-%m-%d} to {r['window_end']:%Y-%m-%d} "
            f"({r['exposure']:,.2f} {r['exposure_unit']}, data/history_events.csv): Gamma posterior with "
            f"Jeffreys' prior, shape {int(r['count'])} + ½, rate = the exposure",
        )

    return derive


ISOLATED_SLASHING_REDUCTION = 100.0
"""Assumed largest factor by which needing a threshold of key shares makes a distributed validator
rarer to slash than one key (the lower end of its spread): an assumption, no record."""


def _isolated_slashing() -> RecordSpread:
    r = event_rate("slashed_validator")
    hi = float(r["rate"])
    lo = hi / ISOLATED_SLASHING_REDUCTION
    return RecordSpread(
        "loguniform",
        {"low": lo, "high": hi},
        f"assumption bounded by the record: at most one key's rate, {int(r['count'])} slashed over "
        f"{r['exposure']:,.0f} validator-years = {hi:.2g} a year ({r['window_start']:%Y-%m-%d} to "
        f"{r['window_end']:%Y-%m-%d}, data/history_events.csv; SSV's 39 of 2025-09-10 show a "
        "distributed validator's keys can be run twice too), at least "
        f"1/{ISOLATED_SLASHING_REDUCTION:.0f} of it (a threshold must err together: assumed)",
        basis="assumption",
    )


RECORDS: dict[str, Callable[[], RecordSpread]] = {
    "el_reward_year_on_year": _el_reward,
    "stake_growth_by_year": _stake_growth,
    "client_outage": _posterior("client_outage", "mainnet consensus-client outages"),
    "isolated_slashing": _isolated_slashing,
}
"""Record keys a parameter's spread may name, and the function deriving it."""


EVENT_USES: dict[str, str] = {
    "client_outage": "the spread of `risk.client_bug_rate_per_year` (its default 1 a year lies inside)",
    "execution_client_outage": "context: execution-client bugs take their users offline too; with the consensus "
    "clients' 3 that is 5 in 3.25 years",
    "finality_delay": "context: mainnet's periods without finality since the Merge (4 and 9 epochs)",
    "finality_leak": "context: the one leak lasted 9 epochs; the model's leak class is of days (`long_leak`)",
    "long_leak": "beside `risk.leak_rate_per_year` (×/÷ 2 kept: a zero count bounds it only loosely)",
    "slashed_validator": "the upper end of the spread of `risk.isolated_slashing_rate_per_validator_per_year` "
    "(one key's rate)",
    "mass_slashing": "context: one operator's set-up errors; for a distributed validator part of isolated slashing",
    "client_slashing": "beside `risk.client_slashing_rate_per_year` (×/÷ 2 kept: a zero count bounds it only loosely)",
}
"""What each event of the record informs."""


def event_rates_table() -> str:
    """Markdown table of :func:`event_rates`: the record behind each event rate, for ASSUMPTIONS.md."""
    df = data.history_events()
    rows = [
        "| event | window | count | exposure | rate (count / exposure) | Jeffreys posterior: mean (P5–P95) | "
        "incidents counted | informs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for _, r in event_rates().iterrows():
        incidents = df[(df["event"] == r["event"]) & (df["row"] == "incident")]
        exposure = f"{r['exposure']:,.0f}" if r["exposure_unit"] == "validator-years" else f"{r['exposure']:.2f}"
        listed = ", ".join(f"{d:%Y-%m-%d}" for d in incidents["date"]) or "none listed (the window's own count)"
        rows.append(
            f"| `{r['event']}` | {r['window_start']:%Y-%m-%d} to {r['window_end']:%Y-%m-%d} | {int(r['count']):,} | "
            f"{exposure} {r['exposure_unit']} | {r['rate']:.3g} | {r['posterior_mean']:.3g} "
            f"({r['p5']:.3g}–{r['p95']:.3g}) | {listed} | {EVENT_USES.get(str(r['event']), '')} |"
        )
    return "\n".join(rows)


def record_spread(key: str) -> RecordSpread:
    """The spread the record gives for ``key`` (one of :data:`RECORDS`)."""
    if key not in RECORDS:
        raise DivaeconError(f"record {key!r}: unknown; known: {', '.join(RECORDS)}")
    return RECORDS[key]()
