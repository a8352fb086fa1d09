"""Figures of notebook 02: collateral and the operator's yield (lines, heatmap, break-even)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from divaecon import protocol
from divaecon.palette import COLORS
from divaecon.params import Scenario
from divaecon.plotting._base import _PCT, ETH_FORMATTER, SOURCE_CL, SOURCE_DIVA, new_figure
from divaecon.quote import operator_apr_assigned_at, quote

# --- 02: collateral and operator yield --------------------------------------------------------


def collateral_grid(scenario: Scenario, points: int = 60) -> np.ndarray:
    """Collateral per key share from 0.05 to 2 divETH (always including the scenario's)."""
    grid = np.linspace(0.05, max(2.0, scenario.diva.collateral_per_key_share_eth), points)
    return np.unique(np.append(grid, scenario.diva.collateral_per_key_share_eth))


def operator_yield_lines(scenario: Scenario, points: int = 60) -> Figure:
    """Operator APR (queued, assigned) and reward per key share against collateral per key share."""
    q = quote(scenario)
    c = collateral_grid(scenario, points)
    assigned = np.asarray(operator_apr_assigned_at(q, c))
    fig, (ax, ax2) = new_figure(
        "Operator yield against collateral per key share", scenario.name, SOURCE_DIVA + "; " + SOURCE_CL, ncols=2
    )
    ax.plot(c, assigned, color=COLORS["diva"], lw=2, label="collateral assigned to key shares")
    ax.plot(
        c,
        np.full_like(c, q.operator_apr_queued),
        color="grey",
        lw=1.5,
        ls="--",
        label="collateral queued (= divETH APR)",
    )
    ax.axvline(scenario.diva.collateral_per_key_share_eth, color="black", ls=":", lw=1)
    ax.set_xlabel("collateral per key share [divETH]")
    ax.set_ylabel("APR on collateral [%/year]")
    ax.yaxis.set_major_formatter(_PCT)
    if np.nanmin(assigned) > 0 and q.operator_apr_queued > 0:  # a log scale needs positive rates
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(_PCT)
        ax.yaxis.set_minor_formatter(_PCT)
    ax.legend(loc="upper right")
    ax.set_title("APR on the operator's collateral")
    reward = q.operator_reward_per_key_share_eth_per_year
    penalty = q.collateral_penalty_per_key_share_eth_per_year
    net = q.operator_net_reward_per_key_share_eth_per_year
    ax2.bar(
        ["reward", "expected penalty", "net"],
        [reward, -penalty, net],
        color=[COLORS["diva"], COLORS["proposer"], "black"],
    )
    for i, v in enumerate([reward, -penalty, net]):
        ax2.annotate(f"{v:.3g}", (i, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=7.5)
    ax2.set_ylabel("per key share [ETH/year]")
    ax2.set_title("Operator reward per key share\n(pooled: the same at any network size)")
    return fig


def operator_yield_heatmap(scenario: Scenario, collateral_points: int = 25, network_points: int = 25) -> Figure:
    """Collateral locked, and the operators' APR on all the collateral they posted,
    over collateral per key share × network size.

    The posted collateral is the scenario's ``simulation.initial_collateral_eth`` (or what its
    network locks, if more): validators lock part of it (assigned, earning the assigned APR), the
    rest waits in the queue (earning the queued APR). Where a network would need more collateral
    than was posted the cell is blank: that network size cannot exist at that collateral.
    """
    q = quote(scenario)
    d = scenario.diva
    c = np.linspace(0.1, max(2.0, d.collateral_per_key_share_eth), collateral_points)
    posted = max(
        scenario.simulation.initial_collateral_eth,
        float(
            protocol.collateral_locked_eth(
                d.network_validators, d.collateral_per_key_share_eth, d.key_shares_per_validator
            )
        ),
    )
    n_max = max(2.0 * d.network_validators, 1.5 * posted / (d.key_shares_per_validator * c[0]), 1000.0)
    n = np.geomspace(100.0, n_max, network_points)
    cc, nn = np.meshgrid(c, n)
    locked = np.asarray(protocol.collateral_locked_eth(nn, cc, d.key_shares_per_validator))
    assigned_apr = np.asarray(operator_apr_assigned_at(q, cc))
    share = np.where(locked <= posted, locked / posted, np.nan)
    blended = share * assigned_apr + (1.0 - share) * q.operator_apr_queued
    fig, (ax1, ax2) = new_figure(
        "Collateral and operator yield over collateral × network size",
        scenario.name,
        SOURCE_DIVA,
        ncols=2,
        figsize=(7.2, 3.6),
    )
    m1 = ax1.pcolormesh(
        c, n, locked, shading="nearest", cmap="viridis", norm=matplotlib.colors.LogNorm(), rasterized=True
    )
    cb1 = fig.colorbar(m1, ax=ax1)
    cb1.set_label("collateral locked [divETH, log scale]")
    ax1.set_title("collateral locked by the network")
    m2 = ax2.pcolormesh(c, n, blended, shading="nearest", cmap="magma", rasterized=True)
    cb2 = fig.colorbar(m2, ax=ax2, format=_PCT)
    cb2.set_label("APR on all posted collateral [%/year]")
    ax2.set_title(f"operator APR with {posted:,.0f} divETH posted\n(blank: not enough collateral)", fontsize=8.5)
    for ax in (ax1, ax2):
        ax.contour(
            c, n, locked, levels=[posted], colors="white" if ax is ax1 else "black", linewidths=1.0, linestyles="--"
        )
        ax.scatter(
            [d.collateral_per_key_share_eth],
            [d.network_validators],
            marker="X",
            color="white" if ax is ax1 else "cyan",
            edgecolor="black",
            s=60,
            zorder=5,
        )
        ax.set_xlabel("collateral per key share [divETH]")
        ax.set_ylabel("network size [validators, log scale]")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(ETH_FORMATTER)
        ax.grid(False)
    return fig


def break_even(
    scenario: Scenario, points: int = 80, running_costs_usd_per_month: Sequence[float] = (20.0, 50.0, 100.0, 200.0)
) -> Figure:
    """Key shares one node must run to cover its costs, against the ETH price."""
    q = quote(scenario)
    costs = scenario.costs
    price = np.linspace(500.0, 10_000.0, points)
    net = q.operator_net_reward_per_key_share_eth_per_year
    fig, ax = new_figure(
        "Break-even key shares per node",
        scenario.name,
        SOURCE_DIVA + "; costs: scenario's costs section",
        figsize=(7.2, 3.6),
    )
    for i, running in enumerate(running_costs_usd_per_month):
        cost = protocol.operator_cost_usd_per_year(costs.hardware_cost_usd, costs.hardware_lifetime_years, running)
        keys = np.asarray(protocol.break_even_key_shares(net, price, cost))
        ax.step(
            price,
            keys,
            where="post",
            lw=1.6,
            color=plt.get_cmap("viridis")(i / max(1, len(running_costs_usd_per_month) - 1) * 0.85),
            label=f"\\${running:,.0f}/month running + \\${costs.hardware_cost_usd:,.0f} hardware "
            f"over {costs.hardware_lifetime_years:g} years",
        )
    ax.axvline(costs.eth_price_usd, color="grey", ls=":", lw=1)
    ax.scatter(
        [costs.eth_price_usd],
        [q.break_even_key_shares],
        color="black",
        zorder=5,
        label=f"scenario: {q.break_even_key_shares:,.0f} key shares at \\${costs.eth_price_usd:,.0f}/ETH",
    )
    if net > 0:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    else:  # nothing to plot: no number of key shares pays for a node
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.text(
            0.5,
            0.5,
            "Operators earn nothing net of penalties in this scenario:\nno number of key shares pays for a node.",
            transform=ax.transAxes,
            ha="center",
            va="center",
        )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"\\${v:,.0f}"))
    ax.set_xlabel("ETH price [USD/ETH]")
    ax.set_ylabel("key shares to break even [key shares]")
    ax.legend(loc="upper right")
    return fig
