"""How well the model tracks history: its staker APR against published rates, point by point.

For every reference rate of ``data/history_rates.csv`` the model predicts the rate from that
date's inputs only, with the package's own formulas (:func:`divaecon.peers.setup_table`, which
uses :func:`divaecon.ethereum.gross_apr`):

- **stake**: the network's total active balance, interpolated linearly in time between the
  nearest ``active_effective_balance`` rows of ``data/history_stake.csv`` (beaconcha.in's sum of
  effective balances: the balance the spec's base reward depends on). A date outside those rows
  is an error, not an extrapolation;
- **execution reward per block**: interpolated linearly in time between the *independent*
  ``total`` rows of ``data/history_el_reward.csv`` (each dated at its window's midpoint; before
  the first or after the last, the nearest one). Figures backed out of a staker APR are never
  used: they would make the comparison circular;
- **rules**: the fee the pool charged its stakers that day (``data/history_rules.csv``, the rows
  marked ``backtest``): Lido's 10 %, the commission rETH holders paid;
- **node performance**: each series' set-up at the uptime the model's defaults give its nodes
  (:class:`divaecon.params.PeerParams`): ``lido`` is the Lido (curated) set-up on professional
  nodes; ``rocketpool`` the LEB8 set-up on Rocket Pool nodes; ``network`` (ETH.STORE, the
  average validator, no fee) the solo set-up's rules on the average operator's uptime
  (``peers.professional_node_uptime``: 0.3 % of attestations missed by the average operator).

The error is predicted − published (fractions a year). Points whose ``calibration`` names a
default (e.g. the Lido figures ``ethereum.el_reward_per_block_eth`` was fitted to) are
``in_sample``; they are shown, but left out of the bias, the mean absolute error and the worst
point, which describe the ``out_of_sample`` points only.

What the model leaves out, so what the errors contain: pools' cash drag (Lido's buffer, rETH's
deposit pool), smoothing-pool and rebase timing, missed slots, MEV luck within a window.

References
----------
``data/README.md`` (the files and their sources); :mod:`divaecon.peers`; consensus-specs
``specs/altair/beacon-chain.md`` (``get_base_reward_per_increment``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from divaecon import data, peers
from divaecon.errors import DivaeconError, one_line
from divaecon.params import PeerParams, Scenario

SERIES: tuple[str, ...] = data.HISTORY_SERIES
"""The series a backtest can compare: ``network`` (ETH.STORE), ``lido``, ``rocketpool``."""

IN_SAMPLE = "in_sample"
OUT_OF_SAMPLE = "out_of_sample"

POINT_COLUMNS = [
    "date",
    "series",
    "predicted",
    "published",
    "error",
    "sample",
    "calibration",
    "stake_eth",
    "el_reward_per_block_eth",
    "staker_fee",
    "node_uptime",
    "setup",
    "window",
    "quality",
    "source",
]
SUMMARY_COLUMNS = [
    "series",
    "n_out_of_sample",
    "n_in_sample",
    "bias",
    "mae",
    "worst_date",
    "worst_error",
]

_SETUP_OF_SERIES = {"network": "Solo (32 ETH)", "lido": peers.LIDO_NAME, "rocketpool": "Rocket Pool LEB8"}
_RULE_OF_SERIES = {"lido": ("lido", "fee_total"), "rocketpool": ("rocketpool", "reth_commission")}


@dataclass(frozen=True)
class BacktestResult:
    """What :func:`backtest` returns: one row per reference point, and the error summaries.

    ``points`` has the columns :data:`POINT_COLUMNS`: ``date``, ``series``, ``predicted`` and
    ``published`` [fraction/year], ``error`` = predicted − published [fraction/year],
    ``sample`` (``in_sample`` or ``out_of_sample``), ``calibration`` (the default the point
    calibrated, or empty), the inputs used (``stake_eth``, ``el_reward_per_block_eth``,
    ``staker_fee``, ``node_uptime``, ``setup``) and the point's ``window``, ``quality`` and
    ``source``. ``summary`` has :data:`SUMMARY_COLUMNS`, one row per series compared and one
    ``all``: the count of out-of-sample and in-sample points, the bias (mean error) and the
    mean absolute error of the out-of-sample points, and the out-of-sample point of largest
    absolute error (NaN/NaT where a series has no out-of-sample point).
    """

    points: pd.DataFrame
    summary: pd.DataFrame


def check_series(names: Iterable[str] | None, field: str = "series") -> tuple[str, ...]:
    """The series asked for (all of :data:`SERIES` for None or none); an unknown one is an error."""
    chosen = tuple(dict.fromkeys(names or ()))
    for name in chosen:
        if name not in SERIES:
            raise DivaeconError(f"{field} = {one_line(repr(name))}: unknown series; choose from {', '.join(SERIES)}")
    return chosen or SERIES


def _as_date(value: Any, field: str) -> pd.Timestamp:
    if isinstance(value, pd.Timestamp):
        return value.normalize()
    when: Any
    try:
        when = pd.Timestamp(value)
    except (TypeError, ValueError):
        when = None
    if when is None or pd.isna(when) or (isinstance(value, str) and len(value.strip()) != 10):
        raise DivaeconError(f"{field} = {one_line(repr(value))}: not a date; give YYYY-MM-DD")
    return pd.Timestamp(when).normalize()


@functools.lru_cache(maxsize=1)
def _stake_rows() -> pd.DataFrame:
    """The ``active_effective_balance`` rows, one per date (read once a process: the files ship)."""
    df = data.history_stake()
    rows = df[df["measure"] == "active_effective_balance"]
    return pd.DataFrame(rows.groupby("date", as_index=False)["total_staked_eth"].mean())


@functools.lru_cache(maxsize=1)
def independent_el_rows() -> pd.DataFrame:
    """The execution-reward rows the backtest uses: independent of every staker rate, priority
    fees and MEV together (``total``), by window midpoint. Read once a process: the files ship."""
    df = data.history_el_reward()
    return df[df["independent"] & (df["component"] == "total")].sort_values("date")


def _interpolate(when: pd.Timestamp, dates: pd.Series, values: pd.Series) -> float:
    x = dates.to_numpy(dtype="datetime64[ns]").astype("int64").astype(float)
    return float(np.interp(float(when.value), x, values.to_numpy(dtype=float)))


def stake_at(when: Any, field: str = "date") -> float:
    """Total active balance on ``when`` [ETH], interpolated between beaconcha.in's dated rows.

    Raises :class:`DivaeconError` for a date before the first or after the last row.
    """
    day = _as_date(when, field)
    rows = _stake_rows()
    first, last = rows["date"].min(), rows["date"].max()
    if not first <= day <= last:
        raise DivaeconError(
            f"{field} = {day.date()}: outside the stake data; give a date from {first.date()} to {last.date()}"
        )
    return _interpolate(day, rows["date"], rows["total_staked_eth"])


def el_reward_at(when: Any, field: str = "date") -> float:
    """Execution reward per block on ``when`` [ETH]: linear between the independent figures'
    window midpoints, the nearest one outside them."""
    rows = independent_el_rows()
    return _interpolate(_as_date(when, field), rows["date"], rows["el_reward_per_block_eth"])


@functools.lru_cache(maxsize=1)
def _rules() -> pd.DataFrame:
    return data.history_rules()


def rule_at(pool: str, rule: str, when: Any, field: str = "date") -> float:
    """The value of ``rule`` of ``pool`` in force on ``when`` (the rows marked ``backtest``)."""
    day = _as_date(when, field)
    df = _rules()
    rows = df[(df["pool"] == pool) & (df["rule"] == rule) & df["backtest"]]
    in_force = rows[(rows["valid_from"] <= day) & (rows["valid_to"].isna() | (rows["valid_to"] >= day))]
    if in_force.empty:
        raise DivaeconError(f"{field} = {day.date()}: no {pool} {rule} rule in force in data/history_rules.csv")
    return float(in_force.sort_values("valid_from")["value"].iloc[-1])


def series_setup(series: str, when: Any, peer_params: PeerParams | None = None) -> peers.Setup:
    """The set-up whose staker APR the model compares with ``series``, under that date's rules.

    ``network``: the solo set-up (no fee) on the average operator's node uptime; ``lido``:
    Lido (curated) with that date's fee; ``rocketpool``: the LEB8 set-up with the commission
    rETH holders paid that day. Node uptimes are the defaults of ``peer_params``.
    """
    (series,) = check_series([series])
    p = peer_params if peer_params is not None else PeerParams()
    prefix = _SETUP_OF_SERIES[series]
    setup = next(s for s in peers.peer_setups(p) if s.name.startswith(prefix))
    if series == "network":
        return dataclasses.replace(setup, name="Network average (ETH.STORE)", node_uptime=p.professional_node_uptime)
    pool, rule = _RULE_OF_SERIES[series]
    fee = rule_at(pool, rule, when)
    return dataclasses.replace(setup, staker_fee=fee, operator_commission=min(setup.operator_commission, fee))


def predict(when: Any, series: str, peer_params: PeerParams | None = None) -> dict[str, Any]:
    """The model's staker APR for ``series`` from the inputs of ``when`` only, with those inputs.

    Returns ``predicted`` [fraction/year], ``stake_eth``, ``el_reward_per_block_eth``,
    ``staker_fee``, ``node_uptime`` and ``setup`` (the set-up's name).
    """
    day = _as_date(when, "date")
    setup = series_setup(series, day, peer_params)
    stake = stake_at(day)
    el = el_reward_at(day)
    table = peers.setup_table([setup], stake, el)
    return {
        "predicted": float(table["staker_apr"].iloc[0]),
        "stake_eth": stake,
        "el_reward_per_block_eth": el,
        "staker_fee": setup.staker_fee,
        "node_uptime": setup.node_uptime,
        "setup": setup.name,
    }


def _summary_row(name: str, points: pd.DataFrame) -> dict[str, Any]:
    out = points[points["sample"] == OUT_OF_SAMPLE]
    n_in = int((points["sample"] == IN_SAMPLE).sum())
    if out.empty:
        return {
            "series": name,
            "n_out_of_sample": 0,
            "n_in_sample": n_in,
            "bias": math.nan,
            "mae": math.nan,
            "worst_date": pd.NaT,
            "worst_error": math.nan,
        }
    worst = out.iloc[int(out["error"].abs().to_numpy().argmax())]
    return {
        "series": name,
        "n_out_of_sample": len(out),
        "n_in_sample": n_in,
        "bias": float(out["error"].mean()),
        "mae": float(out["error"].abs().mean()),
        "worst_date": worst["date"],
        "worst_error": float(worst["error"]),
    }


def summarize(points: pd.DataFrame, series: Sequence[str]) -> pd.DataFrame:
    """Per series and overall (``all``): bias, MAE and worst point of the out-of-sample points."""
    rows = [_summary_row(s, points[points["series"] == s]) for s in series]
    rows.append(_summary_row("all", points))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def backtest(
    series: Iterable[str] | None = None,
    start: Any = None,
    end: Any = None,
    scenario: Scenario | None = None,
) -> BacktestResult:
    """Predicted against published staker APR for every reference point (module docstring).

    ``series`` limits the comparison (default: all of :data:`SERIES`); ``start`` and ``end``
    (YYYY-MM-DD, inclusive) limit the dates and must lie within the reference points' span.
    ``scenario`` supplies the node uptimes (its ``peers``; default: the embedded defaults).
    Raises :class:`DivaeconError` for an unknown series or a date outside the data.
    """
    chosen = check_series(series)
    rates = data.history_rates()
    first, last = rates["date"].min(), rates["date"].max()
    bounds: list[pd.Timestamp | None] = []
    for field, value in (("start", start), ("end", end)):
        if value is None:
            bounds.append(None)
            continue
        day = _as_date(value, field)
        if not first <= day <= last:
            raise DivaeconError(
                f"{field} = {day.date()}: outside the data; give a date from {first.date()} to {last.date()}"
            )
        bounds.append(day)
    lo, hi = bounds
    if lo is not None and hi is not None and lo > hi:
        raise DivaeconError(f"start = {lo.date()} is after end = {hi.date()}")
    rates = rates[rates["series"].isin(chosen)]
    if lo is not None:
        rates = rates[rates["date"] >= lo]
    if hi is not None:
        rates = rates[rates["date"] <= hi]
    peer_params = scenario.peers if scenario is not None else PeerParams()
    rows = []
    for r in rates.to_dict("records"):
        model = predict(r["date"], str(r["series"]), peer_params)
        calibration = str(r["calibration"]).strip()
        published = float(r["apr"])
        rows.append(
            {
                "date": r["date"],
                "series": r["series"],
                "predicted": model["predicted"],
                "published": published,
                "error": model["predicted"] - published,
                "sample": IN_SAMPLE if calibration else OUT_OF_SAMPLE,
                "calibration": calibration,
                "stake_eth": model["stake_eth"],
                "el_reward_per_block_eth": model["el_reward_per_block_eth"],
                "staker_fee": model["staker_fee"],
                "node_uptime": model["node_uptime"],
                "setup": model["setup"],
                "window": r["window"],
                "quality": r["quality"],
                "source": r["source"],
            }
        )
    points = pd.DataFrame(rows, columns=POINT_COLUMNS)
    points = points.sort_values(["series", "date"], key=_series_order, kind="stable").reset_index(drop=True)
    present = [s for s in chosen if (points["series"] == s).any()]
    return BacktestResult(points=points, summary=summarize(points, present))


def _series_order(column: pd.Series) -> pd.Series:
    if column.name == "series":
        return column.map({s: i for i, s in enumerate(SERIES)})
    return column


def as_json(result: BacktestResult) -> dict[str, Any]:
    """One JSON-ready object: ``points`` (date, series, predicted, published, error, sample,
    calibration) and ``summary``; dates ISO, missing numbers ``None``."""

    def clean(value: Any) -> Any:
        if isinstance(value, pd.Timestamp):
            return value.date().isoformat()
        if value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            return None
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return float(value)
        return value

    keep = ["date", "series", "predicted", "published", "error", "sample", "calibration"]
    points = [{k: clean(v) for k, v in row.items()} for row in result.points[keep].to_dict("records")]
    summary = [{k: clean(v) for k, v in row.items()} for row in result.summary.to_dict("records")]
    return {"points": points, "summary": summary}
