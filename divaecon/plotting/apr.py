"""Figures of notebook 01: the staking APR against total ETH staked, the reward split and the
effect of uptime.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from divaecon import dvt, ethereum, rules
from divaecon.palette import COLORS
from divaecon.params import Scenario
from divaecon.plotting._base import _PCT, ETH_FORMATTER, SOURCE_CL, SOURCE_DATA, SOURCE_DVT, new_figure

# --- 01: staking APR --------------------------------------------------------------------------


def staked_grid(scenario: Scenario, points: int = 200) -> np.ndarray:
    """Total ETH staked from 5M to twice the scenario's value (or 60M) [ETH]."""
    hi = max(60e6, 1.5 * scenario.ethereum.total_staked_eth)
    return np.linspace(5e6, hi, points)


def apr_vs_total_staked(scenario: Scenario, data_points: pd.DataFrame | None = None, points: int = 200) -> Figure:
    """Consensus, execution and total APR of a perfect validator against total ETH staked.

    ``data_points`` (``divaecon.data.staking_data_points()``) are overlaid at their dated stake.
    """
    eth_p = scenario.ethereum
    s = staked_grid(scenario, points)
    # under the scenario's Ethereum rules (steady state; today's: ethereum's rates exactly)
    cl = np.asarray(rules.consensus_apr(s, 1.0, eth_p.network_participation, eth_p))
    el = np.asarray(rules.execution_apr(s, 1.0, eth_p))
    cl_label = (
        "consensus (spec; ≈ 166.3 / √staked)" if rules.is_today(eth_p) else f"consensus ({rules.describe_rules(eth_p)})"
    )
    fig, ax = new_figure(
        "Staking APR against total ETH staked",
        scenario.name,
        SOURCE_CL + ("; " + SOURCE_DATA if data_points is not None else ""),
    )
    ax.plot(s, cl + el, color="black", lw=2, label="consensus + execution")
    ax.plot(s, cl, color=COLORS["attestation"], lw=1.5, label=cl_label)
    ax.plot(
        s, el, color=COLORS["execution"], lw=1.5, label=f"execution ({eth_p.el_reward_per_block_eth:g} ETH per block)"
    )
    if data_points is not None and len(data_points):
        x = data_points["total_staked_eth"].to_numpy(dtype=float)
        y_cl = np.asarray(rules.consensus_apr(x, 1.0, eth_p.network_participation, eth_p))
        y = y_cl + np.asarray(rules.execution_apr(x, 1.0, eth_p))
        ax.scatter(x, y, color="crimson", zorder=5, s=22, label="dated stake (data/)")
        for i, (xi, yi, d) in enumerate(zip(x, y, data_points["date"], strict=True)):
            # alternate above and below, so the labels of close stakes do not overlap
            ax.annotate(
                pd.Timestamp(d).strftime("%Y-%m"),
                (xi, yi),
                textcoords="offset points",
                xytext=(4, 5) if i % 2 == 0 else (-6, -12),
                fontsize=7,
                color="crimson",
            )
    # named in the legend: a label at the line's top would sit under the legend's box
    ax.axvline(eth_p.total_staked_eth, color="grey", ls=":", lw=1, label="the scenario's ETH staked")
    ax.xaxis.set_major_formatter(ETH_FORMATTER)
    ax.yaxis.set_major_formatter(_PCT)
    ax.set_xlabel("total ETH staked [ETH]")
    ax.set_ylabel("APR [%/year]")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right")
    return fig


def reward_split(scenario: Scenario, points: int = 200) -> Figure:
    """An ideal validator's APR split into attestation, sync, proposer and execution rewards."""
    eth_p = scenario.ethereum
    s = staked_grid(scenario, points)
    split = ethereum.ideal_reward_split_eth_per_year(s)
    stake = ethereum.VALIDATOR_STAKE_ETH
    parts = {
        "attestation (54/64)": np.asarray(split["attestation"]) / stake,
        "sync committee (2/64)": np.asarray(split["sync"]) / stake,
        "proposer (8/64)": np.asarray(split["proposer"]) / stake,
        "execution (fees + MEV)": np.asarray(ethereum.execution_apr(eth_p.el_reward_per_block_eth, s)),
    }
    fig, ax = new_figure("Where a validator's APR comes from", scenario.name, SOURCE_CL)
    colors = [COLORS["attestation"], COLORS["sync"], COLORS["proposer"], COLORS["execution"]]
    ax.stackplot(s, *parts.values(), labels=list(parts), colors=colors, alpha=0.85)
    ax.axvline(eth_p.total_staked_eth, color="black", ls=":", lw=1)
    ax.xaxis.set_major_formatter(ETH_FORMATTER)
    ax.yaxis.set_major_formatter(_PCT)
    ax.set_xlabel("total ETH staked [ETH]")
    ax.set_ylabel("APR [%/year]")
    ax.legend(loc="upper right")
    return fig


def uptime_effect(scenario: Scenario, points: int = 101) -> Figure:
    """Gross APR against node uptime: a single node, and a Diva validator of such nodes."""
    eth_p, diva = scenario.ethereum, scenario.diva
    u = np.linspace(0.80, 1.0, points)
    solo = np.asarray(rules.gross_apr(eth_p.total_staked_eth, u, eth_p.network_participation, eth_p))
    avail = dvt.availability(diva.key_shares_per_validator, diva.threshold, u, diva.failure_correlation)
    dv = np.asarray(rules.gross_apr(eth_p.total_staked_eth, avail, eth_p.network_participation, eth_p))
    fig, ax = new_figure("Uptime's effect on a validator's gross APR", scenario.name, SOURCE_CL + "; " + SOURCE_DVT)
    ax.plot(u, solo, color=COLORS["solo"], lw=1.8, label="one node (solo)")
    ax.plot(
        u,
        dv,
        color=COLORS["diva"],
        lw=1.8,
        label=f"Diva {diva.threshold}/{diva.key_shares_per_validator} of such nodes "
        f"(correlation {diva.failure_correlation:g})",
    )
    ax.axvline(diva.operator_uptime, color="grey", ls=":", lw=1)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=2))
    ax.set_xlabel("uptime of each node [%]")
    ax.set_ylabel("gross APR [%/year]")
    ax.legend(loc="lower right")
    return fig
