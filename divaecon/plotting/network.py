"""Figures of notebook 05: the network's growth from the simulation's output."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from divaecon.palette import COLORS
from divaecon.plotting._base import ETH_FORMATTER, new_figure

# --- 05: network growth (simulation output) ---------------------------------------------------


def _bands(ts: pd.DataFrame, column: str, group: Sequence[str] = ("day",)) -> pd.DataFrame:
    g = ts.groupby(list(group))[column]
    return pd.DataFrame({"p5": g.quantile(0.05), "p50": g.quantile(0.5), "p95": g.quantile(0.95)})


GROWTH_PANELS: list[tuple[str, str, str]] = [
    ("active_validators", "active validators", "validators"),
    ("buffer_eth", "buffer (unstaked deposits)", "ETH"),
    ("queued_collateral_eth", "collateral queued", "divETH"),
    ("assigned_collateral_eth", "collateral locked (assigned)", "divETH"),
    ("wdiveth_rate", "wdivETH exchange rate", "divETH per wdivETH"),
    ("diveth_supply", "divETH supply", "divETH"),
]


def _find_column(ts: pd.DataFrame, name: str) -> str | None:
    lower = {c.lower(): c for c in ts.columns}
    return lower.get(name.lower())


def network_growth(
    timeseries: pd.DataFrame,
    scenario_name: str,
    seeds: int | None = None,
    panels: Sequence[tuple[str, str, str]] = GROWTH_PANELS,
) -> Figure:
    """Simulated network over time: median with a P5–P95 band over Monte Carlo seeds."""
    present = [(c, t, u) for c, t, u in panels if _find_column(timeseries, c) is not None]
    ncols = 2
    nrows = max(1, (len(present) + 1) // 2)
    n_seeds = seeds if seeds is not None else int(timeseries["seed"].nunique()) if "seed" in timeseries else 1
    fig, axes = new_figure(
        "Simulated network over time",
        scenario_name,
        f"divaecon.simulate, {n_seeds} Monte Carlo seed(s), band P5–P95",
        ncols=ncols,
        nrows=nrows,
        figsize=(7.2, 2.1 * nrows + 0.6),
        squeeze=False,
        sharex=True,
    )
    flat = list(axes.ravel())
    for ax, (col, title, unit) in zip(flat, present, strict=False):
        b = _bands(timeseries, _find_column(timeseries, col) or col)
        years = b.index.to_numpy(dtype=float) / 365.25
        ax.fill_between(years, b["p5"], b["p95"], color=COLORS["diva"], alpha=0.25, lw=0, label="P5–P95")
        ax.plot(years, b["p50"], color=COLORS["diva"], lw=1.6, label="median")
        ax.set_title(title)
        ax.set_ylabel(f"[{unit}]")
        if unit != "divETH per wdivETH":
            ax.yaxis.set_major_formatter(ETH_FORMATTER)
    for ax in flat[len(present) :]:
        ax.set_visible(False)
    for ax in flat[-ncols:]:
        ax.set_xlabel("time [years]")
    if present:
        flat[0].legend(loc="upper left")
    return fig


def realised_apy(
    summary: pd.DataFrame,
    scenario_name: str,
    columns: Sequence[tuple[str, str]] = (
        ("staker_apy", "divETH staker"),
        ("operator_apy_queued", "operator, queued"),
        ("operator_apy_assigned", "operator, assigned"),
    ),
) -> Figure:
    """Realised APYs over Monte Carlo seeds: median and P5–P95 whiskers."""
    present = [(c, label) for c, label in columns if c in summary.columns]
    fig, ax = new_figure(
        "Realised APY over the horizon",
        scenario_name,
        f"divaecon.simulate, {len(summary)} seed(s), whiskers P5–P95",
        figsize=(7.2, 2.8),
    )
    for i, (col, _label) in enumerate(present):
        v = summary[col].to_numpy(dtype=float)
        p5, p50, p95 = np.nanpercentile(v, [5, 50, 95]) if np.isfinite(v).any() else (np.nan,) * 3
        ax.errorbar([i], [p50], yerr=[[p50 - p5], [p95 - p50]], fmt="o", color=COLORS["diva"], capsize=6)
        ax.annotate(f"{100 * p50:.2f} %", (i, p50), xytext=(10, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xticks(range(len(present)), [label for _c, label in present])
    ax.set_xlim(-0.5, len(present) - 0.3)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=2))
    ax.set_ylabel("APY [%/year]")
    return fig
