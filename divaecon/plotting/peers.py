"""Figures of notebook 04: Diva against its peers (APR bars, capital against operator APR)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from divaecon.palette import COLORS
from divaecon.params import Scenario
from divaecon.plotting._base import _PCT, SOURCE_PEERS, _peer_basis, new_figure
from divaecon.quote import peer_table

# --- 04: protocol comparison ------------------------------------------------------------------


def _peer_color(name: str) -> str:
    for key, color in (
        ("Diva", "diva"),
        ("Solo", "solo"),
        ("SSV", "ssv"),
        ("Obol", "obol"),
        ("Lido", "lido"),
        ("Rocket", "rocketpool"),
        ("DVT minipool", "rocketpool"),
    ):
        if name.startswith(key):
            return COLORS[color]
    return COLORS["exchange"]


def peer_apr_bars(scenario: Scenario, table: pd.DataFrame | None = None) -> Figure:
    """Staker APR and operator APR on own capital for Diva and each peer."""
    t = peer_table(scenario) if table is None else table
    t = t.iloc[::-1]
    colors = [_peer_color(n) for n in t["name"]]
    fig, (ax1, ax2) = new_figure(
        "Staker and operator APR: Diva against its peers",
        scenario.name,
        SOURCE_PEERS + "; " + _peer_basis(scenario),
        ncols=2,
        sharey=True,
        figsize=(7.2, 4.6),
    )
    y = np.arange(len(t))
    ax1.barh(y, t["staker_apr"], color=colors)
    ax2.barh(y, t["operator_apr"].fillna(0.0), color=colors)
    for yi, v in zip(y, t["staker_apr"], strict=True):
        ax1.annotate(f"{100 * v:.2f} %", (v, yi), xytext=(2, 0), textcoords="offset points", va="center", fontsize=6.5)
    for yi, v in zip(y, t["operator_apr"], strict=True):
        text = "n/a (no own ETH)" if np.isnan(v) else f"{100 * v:.2f} %"
        ax2.annotate(
            text, (0 if np.isnan(v) else v, yi), xytext=(2, 0), textcoords="offset points", va="center", fontsize=6.5
        )
    ax1.set_yticks(y, t["name"])
    ax1.set_title("staker APR (on staked ETH)")
    ax2.set_title("operator APR (on own capital)")
    for ax in (ax1, ax2):
        ax.xaxis.set_major_formatter(_PCT)
        ax.set_xlabel("APR [%/year]")
        ax.grid(axis="y", visible=False)
        lo, hi = ax.get_xlim()
        ax.set_xlim(min(lo, 0.0), max(hi, 0.0) * 1.25 or 0.01)
    return fig


def capital_vs_operator_apr(scenario: Scenario, table: pd.DataFrame | None = None) -> Figure:
    """Capital an operator needs to start against the APR it earns on it; size = faults tolerated."""
    t = peer_table(scenario) if table is None else table
    t = t[t["operator_apr"].notna() & (t["capital_eth"] > 0)]
    fig, ax = new_figure(
        "Capital to start against operator APR",
        scenario.name,
        SOURCE_PEERS + "; " + _peer_basis(scenario),
        figsize=(7.2, 3.8),
    )
    for row in t.to_dict("records"):
        faults = int(row["faults_tolerated"])
        ax.scatter(
            row["capital_eth"],
            row["operator_apr"],
            s=30 + 40 * faults,
            color=_peer_color(str(row["name"])),
            alpha=0.85,
            edgecolor="black",
            lw=0.5,
        )
        ax.annotate(
            f"{row['name']}\n({faults} fault{'s' if faults != 1 else ''} tolerated)",
            (row["capital_eth"], row["operator_apr"]),
            xytext=(6, -2),
            textcoords="offset points",
            fontsize=6.5,
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
    ax.yaxis.set_major_formatter(_PCT)
    ax.set_xlabel("own capital to start, per operator [ETH, log scale]")
    ax.set_ylabel("operator APR on own capital [%/year]")
    ax.set_xlim(t["capital_eth"].min() / 2, t["capital_eth"].max() * 4)
    return fig
