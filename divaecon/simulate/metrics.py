"""Summary metrics of a run: yields, time-weighted returns, queue waits, cash drag.

Computed once, after the last day, from each row's final :class:`~divaecon.simulate.state.NetworkState`,
its :class:`~divaecon.simulate.state.Accumulators` and its queue-wait histogram.

- ``staker_apy``: the wdivETH rate annualised over the horizon, ``rate ** (365.25 / days) − 1``;
- ``operator_apy_queued`` / ``operator_apy_assigned``: *time-weighted* returns (like a fund's
  TWR) of one divETH of collateral over the days it was queued / assigned at the start of the day,
  annualised over those days: ``(∏ (1 + daily return)) ** (365.25 / n) − 1``; NaN with no such
  day. Time-weighting keeps them independent of *how much* collateral waited on which day;
- ``queue_wait_mean_days``: exact, amount-weighted, first in first out:
  ``(Σ_t t · served_t − ∫₀^{served} a(y) dy) / served`` with ``a(y)`` the arrival day of queue
  position ``y`` (:func:`arrival_integral`) — served by validator creations and by reassigning the
  key shares of ejected operators;
- ``queue_wait_p95_days``: the amount-weighted 95th percentile of the waits, from their histogram
  (:func:`p95_from_histogram`): exact to the day below :data:`WAIT_EXACT_DAYS` days, from there
  on the upper end of a bin about 3 % wide (so at most 3 % high);
- ``cash_drag``: the divETH holders' ETH not earning — buffer, entry queue (pending), exited stake on
  its way back, less what is owed to withdrawals — over the divETH supply, averaged over days.
- ``refused_deposits_eth``: staker deposits refused over the horizon because the buffer was at its
  cap (``simulation.deposit_cap_eth``); that ETH never entered the pool [ETH].
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from numpy.typing import NDArray

from divaecon.units import DAYS_PER_YEAR

FloatArray = NDArray[np.float64]

SUMMARY_COLUMNS: Final[tuple[str, ...]] = (
    "staker_apy",
    "operator_apy_queued",
    "operator_apy_assigned",
    "queue_wait_mean_days",
    "queue_wait_p95_days",
    "peak_collateral_locked_eth",
    "cash_drag",
    "final_active_validators",
    "final_diveth_supply",
    "wdiveth_rate",
    "refused_deposits_eth",
)
"""The summary's metrics, in order (after ``scenario``, ``seed``, ``days`` and any grid columns)."""

WAIT_EXACT_DAYS: Final[int] = 127
"""Queue waits shorter than this fall in 1-day histogram bins; longer ones in bins about 3 % wide."""


def wait_bin_edges(max_days: int) -> NDArray[np.int64]:
    """Lower edges of the queue-wait histogram bins [days]: 0, 1, …, 127, then each ⌈3 %⌉ above the last."""
    edges = list(range(WAIT_EXACT_DAYS + 1))
    while edges[-1] <= max_days:
        edges.append(max(edges[-1] + 1, math.ceil(edges[-1] * 1.03)))
    return np.asarray(edges, dtype=np.int64)


def wait_bin_table(max_days: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """``(bin_of_wait, edges)``: the bin of each whole wait 0 … max_days, and the bins' lower edges."""
    edges = wait_bin_edges(max_days)
    table = np.searchsorted(edges, np.arange(max_days + 1), side="right") - 1
    return table.astype(np.int64), edges


def p95_from_histogram(hist: FloatArray, edges: NDArray[np.int64]) -> FloatArray:
    """Amount-weighted 95th percentile wait [days] from histograms ``hist[row, bin]``.

    The percentile's bin is found exactly; the value is that bin's largest whole wait (exact for
    1-day bins, at most 3 % high from :data:`WAIT_EXACT_DAYS` on). NaN where nothing was served.
    """
    total = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    with np.errstate(invalid="ignore"):
        idx = np.argmax(cum >= 0.95 * total[:, None] * (1.0 - 1e-12), axis=1)
    upper = np.append(edges[1:] - 1, edges[-1]).astype(float)
    return np.where(total > 0, upper[idx], np.nan)


def inverse_flow(e: FloatArray) -> FloatArray:
    """``1/e`` for the FIFO arrival-day formula, 0 where the flow is below 1e-9 [day/divETH]."""
    big = e > 1e-9
    return np.where(big, 1.0 / np.where(big, e, 1.0), 0.0)


def arrival_integral(x: FloatArray, q0: FloatArray, e: FloatArray) -> FloatArray:
    """``∫₀ˣ a(y) dy``: the arrival day ``a`` of queue position ``y``, integrated [divETH·day].

    Collateral ``q0 + e`` arrives on day 0 and ``e`` on each later day, so position ``y`` arrived on
    day ``max(ceil((y − q0) / e) − 1, 0)``. With ``z = (x − q0) / e`` and ``n = floor z`` the
    integral is ``e · (n (n − 1) / 2 + n (z − n))`` for ``z > 1``, else 0 (summing the steps).
    """
    inv_e = inverse_flow(e)
    with np.errstate(over="ignore", invalid="ignore"):
        z = (x - q0) * inv_e
        n = np.floor(z)
        out = e * (n * (n - 1.0) / 2.0 + n * (z - n))
    return np.where(z > 1.0, out, 0.0)


def twr_apy(growth: FloatArray, n_days: FloatArray) -> FloatArray:
    """Annualised time-weighted return ``growth ** (365.25 / n_days) − 1``; NaN where ``n_days = 0``."""
    out = np.full(growth.shape, np.nan)
    has = n_days > 0
    out[has] = growth[has] ** (DAYS_PER_YEAR / n_days[has]) - 1.0
    return out


def summary(
    states: np.ndarray, accs: np.ndarray, values: np.ndarray, hists: FloatArray, edges: NDArray[np.int64], days: int
) -> dict[str, FloatArray]:
    """The summary metrics of every row (see the module docstring), keyed as :data:`SUMMARY_COLUMNS`."""
    served = accs["collateral_served_eth"]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_wait = (
            accs["served_day_sum"]
            - arrival_integral(served, values["initial_collateral_eth"], values["collateral_deposit_eth_per_day"])
        ) / served
        supply_sum = accs["supply_sum_eth"]
        idle = accs["idle_sum_eth"]
        out = {
            "staker_apy": states["wdiveth_rate"] ** (DAYS_PER_YEAR / days) - 1.0,
            "operator_apy_queued": twr_apy(accs["queued_growth"], accs["queued_days"]),
            "operator_apy_assigned": twr_apy(accs["assigned_growth"], accs["assigned_days"]),
            "queue_wait_mean_days": np.where(served > 0, mean_wait, np.nan),
            "queue_wait_p95_days": p95_from_histogram(hists, edges),
            "peak_collateral_locked_eth": accs["peak_collateral_locked_eth"].copy(),
            "cash_drag": np.where(supply_sum > 0, idle / np.where(supply_sum > 0, supply_sum, 1.0), np.nan),
            "final_active_validators": states["active_validators"].copy(),
            "final_diveth_supply": states["diveth_supply"].copy(),
            "wdiveth_rate": states["wdiveth_rate"].copy(),
            "refused_deposits_eth": accs["refused_deposits_eth"].copy(),
        }
    return out
