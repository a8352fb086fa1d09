"""Figures of the comparative report (90_comparison): one line or bar per scenario."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from divaecon import dvt
from divaecon.params import Scenario
from divaecon.plotting._base import (
    _PCT,
    ETH_FORMATTER,
    LINESTYLES,
    SOURCE_CL,
    SOURCE_DIVA,
    SOURCE_DVT,
    _scenario_names,
    literal_legend,
    new_figure,
)
from divaecon.plotting.collateral import collateral_grid
from divaecon.plotting.network import _bands, _find_column
from divaecon.quote import operator_apr_assigned_at, quote

# --- comparative report: one line or bar per scenario -----------------------------------------


def scenario_colors(n: int) -> list[str]:
    """Distinct colours for ``n`` scenarios (tab10)."""
    cmap = plt.get_cmap("tab10")
    return [matplotlib.colors.to_hex(cmap(i % 10)) for i in range(n)]


def compare_operator_apr(scenarios: Sequence[Scenario], points: int = 60) -> Figure:
    """Operator APR (assigned) against collateral per key share, one line per scenario."""
    fig, ax = new_figure(
        "Operator APR on collateral against collateral per key share",
        _scenario_names(scenarios),
        SOURCE_DIVA + "; " + SOURCE_CL,
        figsize=(7.2, 3.5),
    )
    for i, (s, color) in enumerate(zip(scenarios, scenario_colors(len(scenarios)), strict=True)):
        q = quote(s)
        c = collateral_grid(s, points)
        apr = np.asarray(operator_apr_assigned_at(q, c))
        ax.plot(c, apr, color=color, lw=1.6, label=s.name, ls=LINESTYLES[i % len(LINESTYLES)])
        ax.scatter(
            [s.diva.collateral_per_key_share_eth],
            [q.operator_apr_assigned],
            color=color,
            zorder=5,
            edgecolor="black",
            lw=0.5,
        )
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_PCT)
    ax.yaxis.set_minor_formatter(_PCT)
    ax.set_xlabel("collateral per key share [divETH]")
    ax.set_ylabel("APR on assigned collateral [%/year]")
    literal_legend(ax, loc="upper right", title="scenario (dot: its collateral)")
    return fig


def compare_availability(scenarios: Sequence[Scenario], points: int = 101) -> Figure:
    """Diva validator downtime against node uptime, one line per scenario."""
    u = np.linspace(0.80, 0.999, points)
    fig, ax = new_figure(
        "Diva validator downtime against node uptime", _scenario_names(scenarios), SOURCE_DVT, figsize=(7.2, 3.3)
    )
    for i, (s, color) in enumerate(zip(scenarios, scenario_colors(len(scenarios)), strict=True)):
        d = s.diva
        a = np.asarray(dvt.availability(d.key_shares_per_validator, d.threshold, u, d.failure_correlation))
        ax.plot(
            u,
            1.0 - a,
            color=color,
            lw=1.6,
            ls=LINESTYLES[i % len(LINESTYLES)],
            label=f"{s.name} ({d.threshold}/{d.key_shares_per_validator}, ρ = {d.failure_correlation:g})",
        )
        ax.scatter(
            [d.operator_uptime],
            [1.0 - quote(s).validator_availability],
            color=color,
            zorder=5,
            edgecolor="black",
            lw=0.5,
        )
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel("uptime of each node [%]")
    ax.set_ylabel("validator downtime\n[fraction of time, log scale]")
    literal_legend(ax, loc="lower left")
    return fig


def compare_growth(
    timeseries: pd.DataFrame, column: str, label: str, unit: str, scenario_order: Sequence[str] | None = None
) -> Figure:
    """One simulated series over time, a median line and P5–P95 band per scenario."""
    col = _find_column(timeseries, column) or column
    names = list(scenario_order) if scenario_order is not None else list(pd.unique(timeseries["scenario"]))
    n_seeds = int(timeseries["seed"].nunique()) if "seed" in timeseries else 1
    fig, ax = new_figure(
        f"Simulated {label} over time",
        ", ".join(names),
        f"divaecon.simulate, {n_seeds} seed(s) per scenario, band P5–P95",
        figsize=(7.2, 3.2),
    )
    for i, (name, color) in enumerate(zip(names, scenario_colors(len(names)), strict=True)):
        sub = timeseries[timeseries["scenario"] == name]
        if sub.empty:
            continue
        b = _bands(sub, col)
        years = b.index.to_numpy(dtype=float) / 365.25
        ax.fill_between(years, b["p5"], b["p95"], color=color, alpha=0.2, lw=0)
        ax.plot(years, b["p50"], color=color, lw=1.6, label=name, ls=LINESTYLES[i % len(LINESTYLES)])
    ax.set_xlabel("time [years]")
    ax.set_ylabel(f"{label} [{unit}]")
    if unit not in ("divETH per wdivETH",):
        ax.yaxis.set_major_formatter(ETH_FORMATTER)
    literal_legend(ax, loc="upper left")
    return fig
