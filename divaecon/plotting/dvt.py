"""Figures of notebook 03: DVT fault tolerance (cluster set-ups, availability, rewards lost)."""

from __future__ import annotations

import matplotlib
import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from divaecon import dvt, peers, rules
from divaecon.palette import COLORS
from divaecon.params import Scenario
from divaecon.plotting._base import SOURCE_CL, SOURCE_DVT, new_figure

# --- 03: DVT fault tolerance ------------------------------------------------------------------


def cluster_setups(scenario: Scenario) -> pd.DataFrame:
    """The distinct clusters compared: Diva, SSV sizes, Obol, solo (name, n, t, color)."""
    d = scenario.diva
    rows = [
        {
            "name": f"Diva {d.threshold}/{d.key_shares_per_validator}",
            "n": d.key_shares_per_validator,
            "t": d.threshold,
            "color": COLORS["diva"],
        }
    ]
    for s in peers.peer_setups(scenario.peers):
        if s.name.startswith("SSV"):
            rows.append({"name": s.name, "n": s.n_operators, "t": s.threshold, "color": COLORS["ssv"]})
        elif s.name.startswith("Obol"):
            rows.append(
                {
                    "name": f"Obol {s.threshold}/{s.n_operators}",
                    "n": s.n_operators,
                    "t": s.threshold,
                    "color": COLORS["obol"],
                }
            )
    rows.append({"name": "solo 1/1", "n": 1, "t": 1, "color": COLORS["solo"]})
    out = pd.DataFrame(rows)
    ssv = out["name"].str.startswith("SSV")
    if ssv.sum() > 1:  # shade SSV sizes from light to dark
        cmap = plt.get_cmap("Blues")
        out.loc[ssv, "color"] = [
            matplotlib.colors.to_hex(cmap(0.45 + 0.5 * i / (ssv.sum() - 1))) for i in range(int(ssv.sum()))
        ]
    return out


def availability_vs_uptime(scenario: Scenario, points: int = 101, correlation: float | None = None) -> Figure:
    """Validator availability against node uptime: independent and correlated failures."""
    rho = scenario.diva.failure_correlation if correlation is None else correlation
    if rho == 0.0:
        rho = 0.2
    u = np.linspace(0.80, 0.999, points)
    setups = cluster_setups(scenario)
    fig, axes = new_figure(
        "Distributed-validator availability against node uptime",
        scenario.name,
        SOURCE_DVT,
        ncols=2,
        sharey=True,
        figsize=(7.2, 4.0),
    )
    for ax, r, label in ((axes[0], 0.0, "independent failures"), (axes[1], rho, f"correlated failures (ρ = {rho:g})")):
        for row in setups.to_dict("records"):
            a = np.asarray(dvt.availability(row["n"], row["t"], u, r))
            ax.plot(
                u,
                1.0 - a,
                color=row["color"],
                lw=2.2 if str(row["name"]).startswith("Diva") else 1.3,
                label=row["name"],
            )
        ax.set_yscale("log")
        ax.set_ylim(1e-9, 0.3)
        ax.axvline(scenario.diva.operator_uptime, color="grey", ls=":", lw=1)
        ax.set_title(label)
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        ax.set_xlabel("uptime of each node [%]")
    axes[0].set_ylabel("validator downtime = 1 − availability\n[fraction of time, log scale]")
    axes[0].yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0e}".replace("e-0", "e-")))
    axes[1].legend(loc="lower left", fontsize=7)
    return fig


def rewards_lost(scenario: Scenario, points: int = 101) -> Figure:
    """Rewards a 32 ETH validator loses to downtime against node uptime, per cluster type."""
    eth_p, d = scenario.ethereum, scenario.diva
    u = np.linspace(0.80, 0.999, points)
    fig, ax = new_figure("Rewards lost to downtime", scenario.name, SOURCE_CL + "; " + SOURCE_DVT, figsize=(7.2, 3.6))
    for row in cluster_setups(scenario).to_dict("records"):
        a = np.asarray(dvt.availability(row["n"], row["t"], u, d.failure_correlation))
        lost = rules.rewards_lost_eth_per_year(eth_p.total_staked_eth, a, eth_p.network_participation, eth_p)
        ax.plot(u, lost, color=row["color"], lw=2.2 if str(row["name"]).startswith("Diva") else 1.3, label=row["name"])
    ax.axvline(d.operator_uptime, color="grey", ls=":", lw=1)
    ax.set_yscale("symlog", linthresh=1e-4)
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel("uptime of each node [%]")
    ax.set_ylabel("rewards lost per 32 ETH validator\n[ETH/year, symlog]")
    ax.legend(loc="upper right", fontsize=7, ncols=2)
    return fig
