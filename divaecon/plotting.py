"""Matplotlib figures of the workbook: presentation only.

Every number comes from the model (:mod:`divaecon.quote`, :mod:`divaecon.ethereum`,
:mod:`divaecon.dvt`, :mod:`divaecon.protocol`, :mod:`divaecon.peers`, the simulation); this
module only lays it out. Each figure carries axis labels with units, the scenario's name in its
title and a source note at the bottom, and is returned (never shown) so notebooks, the
comparative report and tests can use it alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib
import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, PercentFormatter

from divaecon import dvt, ethereum, peers, protocol
from divaecon.formatting import one_line
from divaecon.palette import COLORS, NOTE_GREY
from divaecon.params import Scenario
from divaecon.quote import operator_apr_assigned_at, peer_table, quote

SOURCE_CL = "consensus-specs specs/altair/beacon-chain.md"
SOURCE_DIVA = "Diva docs 21-economics.md, 40-staking-rewards.md"
SOURCE_DVT = "Diva docs 06-dvt.md; P(≥ t of n nodes up), beta-binomial"
SOURCE_PEERS = "peers' fees, bonds and node uptime: ASSUMPTIONS.md"


def _peer_basis(scenario: Scenario) -> str:
    """Which node uptime the peers run on, for a figure's source line."""
    if scenario.peers.same_node_uptime_for_all:
        return f"every set-up at Diva's node uptime, {100 * scenario.diva.operator_uptime:.1f} %"
    return "each set-up on nodes of its kind"


SOURCE_DATA = "data/staking_data_points.csv (a source per row)"

_PCT = PercentFormatter(xmax=1.0, decimals=1)
_FIGSIZE = (7.2, 3.9)


def use_style() -> None:
    """Figure defaults for notebooks and reports: legible at A4 width, crisp in PDF.

    In a notebook, figures are also shown as SVG with their text kept as text
    (``svg.fonttype: none``): vector in the PDF reports, with selectable words, and cheaper to
    draw than a 150 dpi PNG. Images inside a figure (a heatmap's cells) are rasterised at 200 dpi.
    """
    _inline_svg()
    plt.rcParams.update(
        {
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "figure.figsize": _FIGSIZE,
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "figure.facecolor": "white",
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 9,
            "axes.titlesize": 10,
            "legend.fontsize": 8,
            "legend.frameon": False,
        }
    )


def _inline_svg() -> None:
    """Show figures as SVG in a running IPython kernel (no-op elsewhere)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the kernel
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    # constrained layout already fits the figure ("tight" would draw every figure twice); raster
    # parts (a heatmap's cells) at 200 dpi stay above 150 dpi at A4 width
    set_matplotlib_formats("svg", bbox_inches=None, dpi=200)
    if "inline" in plt.get_backend():
        # pyplot's own after-cell hook draws every open figure with Agg, then the inline
        # backend's hook draws it again as SVG and closes it: the first drawing is thrown away
        # and cost half of a report's figure time. The inline hook alone still shows every
        # figure; `%matplotlib inline` (or any backend switch) puts pyplot's hook back.
        plt.uninstall_repl_displayhook()


def literal_text(text: Any) -> Any:
    """Show a Text (title, label, legend entry) exactly as given: no mathtext for ``$…$``.

    Scenario names and other strings a user typed pass through here; returns ``text``.
    """
    text.set_parse_math(False)
    return text


def literal_legend(ax: Any, **kwargs: Any) -> Any:
    """``ax.legend(**kwargs)`` whose entries and title are shown literally (see :func:`literal_text`)."""
    legend = ax.legend(**kwargs)
    for t in [*legend.get_texts(), legend.get_title()]:
        literal_text(t)
    return legend


SCENARIO_NAME_CHARS = 60
"""Longest scenario name (or list of names) a figure title shows; longer ones end in "…"."""


def _eth_axis(x: float, _pos: Any = None) -> str:
    if abs(x) >= 1e6:
        return f"{x / 1e6:,.0f}M" if x % 1e6 == 0 else f"{x / 1e6:,.1f}M"
    if abs(x) >= 1e3:
        return f"{x / 1e3:,.0f}k"
    return f"{x:,.4g}"


ETH_FORMATTER = FuncFormatter(_eth_axis)


def new_figure(
    title: str,
    scenario_name: str,
    source: str,
    ncols: int = 1,
    nrows: int = 1,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> tuple[Figure, Any]:
    """A figure with a title naming the scenario and a source note under the axes."""
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or _FIGSIZE, layout="constrained", **kwargs)
    label = "scenarios" if ", " in scenario_name else "scenario"
    shown = one_line(scenario_name, SCENARIO_NAME_CHARS)
    sep = "\n" if len(title) + len(shown) > 70 else " — "
    literal_text(fig.suptitle(f"{title}{sep}{label}: {shown}", fontsize=10.5, fontweight="bold"))
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.set(rect=(0.0, 0.055, 1.0, 0.945))
    fig.text(0.01, 0.012, f"Source: divaecon model; {source}", fontsize=6.8, color=NOTE_GREY, ha="left", va="bottom")
    return fig, axes


def _scenario_names(scenarios: Sequence[Scenario]) -> str:
    return ", ".join(s.name for s in scenarios)


LINESTYLES = ["-", "--", "-.", ":"]


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
    cl = np.asarray(ethereum.consensus_apr(s, 1.0, eth_p.network_participation))
    el = np.asarray(ethereum.execution_apr(eth_p.el_reward_per_block_eth, s))
    fig, ax = new_figure(
        "Staking APR against total ETH staked",
        scenario.name,
        SOURCE_CL + ("; " + SOURCE_DATA if data_points is not None else ""),
    )
    ax.plot(s, cl + el, color="black", lw=2, label="consensus + execution")
    ax.plot(s, cl, color=COLORS["attestation"], lw=1.5, label="consensus (spec; ≈ 166.3 / √staked)")
    ax.plot(
        s, el, color=COLORS["execution"], lw=1.5, label=f"execution ({eth_p.el_reward_per_block_eth:g} ETH per block)"
    )
    if data_points is not None and len(data_points):
        x = data_points["total_staked_eth"].to_numpy(dtype=float)
        y_cl = np.asarray(ethereum.consensus_apr(x, 1.0, eth_p.network_participation))
        y = y_cl + np.asarray(ethereum.execution_apr(eth_p.el_reward_per_block_eth, x))
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
    ax.axvline(eth_p.total_staked_eth, color="grey", ls=":", lw=1)
    ax.annotate(
        "scenario",
        (eth_p.total_staked_eth, ax.get_ylim()[1]),
        textcoords="offset points",
        xytext=(3, -10),
        fontsize=7,
        color="grey",
    )
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
    solo = np.asarray(
        ethereum.gross_apr(eth_p.total_staked_eth, eth_p.el_reward_per_block_eth, u, eth_p.network_participation)
    )
    dv = np.asarray(
        protocol.validator_gross_apr(
            eth_p.total_staked_eth,
            eth_p.el_reward_per_block_eth,
            u,
            diva.failure_correlation,
            diva.key_shares_per_validator,
            diva.threshold,
            eth_p.network_participation,
        )
    )
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
        lost = ethereum.rewards_lost_eth_per_year(
            eth_p.total_staked_eth, eth_p.el_reward_per_block_eth, a, eth_p.network_participation
        )
        ax.plot(u, lost, color=row["color"], lw=2.2 if str(row["name"]).startswith("Diva") else 1.3, label=row["name"])
    ax.axvline(d.operator_uptime, color="grey", ls=":", lw=1)
    ax.set_yscale("symlog", linthresh=1e-4)
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel("uptime of each node [%]")
    ax.set_ylabel("rewards lost per 32 ETH validator\n[ETH/year, symlog]")
    ax.legend(loc="upper right", fontsize=7, ncols=2)
    return fig


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


# --- 06: collateral risk ----------------------------------------------------------------------

SOURCE_RISK = "divaecon.risk; rates: ASSUMPTIONS.md (risk); consensus-specs; Blockscholes 2024-02-15"


def _log_pct_axis(ax: Any, axis: str = "x") -> None:
    fmt_ = FuncFormatter(lambda v, _p: f"{100 * v:.3g} %")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt_)


def risk_loss_distribution(report: Any) -> Figure:
    """Exceedance curves of the Monte Carlo's losses per validator-year: of the validator and of
    the charge to one key share, with the collateral that covers them marked."""
    sample = report.sample
    c = float(report.collateral_per_key_share_eth)
    n, t = sample.model.n_operators, sample.model.threshold
    x = np.geomspace(1e-5, 2.0 * sample.model.validator_stake_eth, 300)
    fig, (ax1, ax2) = new_figure(
        "Losses per validator-year: how often they exceed a level",
        report.scenario,
        SOURCE_RISK + f"; {sample.validator_years:,} validator-years drawn",
        ncols=2,
        figsize=(7.2, 4.1),
    )
    curves = (
        (
            ax1,
            sample.validator_loss_eth(c),
            "one validator's loss [ETH]",
            [
                (n - t + 1, f"{n - t + 1} c: collateral of the fewest down when it cannot sign", ":"),
                (t, f"{t} c: collateral of a signing threshold", "--"),
            ],
        ),
        (ax2, sample.key_share_loss_eth(c), "charge to one key share [ETH]", [(1, "c: its collateral", "--")]),
    )
    for ax, values, xlabel, marks in curves:
        p = sample.exceedance(values, x)
        keep = p > 0
        ax.plot(x[keep], p[keep], color=COLORS["diva"], lw=1.8, label="P(loss > x)")
        for k, label, style in marks:
            ax.axvline(k * c, color=NOTE_GREY, lw=1.0, ls=style, label=label)
        for q, style in ((0.99, "o"), (0.999, "s")):
            v = sample.quantiles(values, (q,))[0].value
            if v > 0:
                ax.plot([v], [1 - q], style, color="black", ms=4)
                ax.annotate(
                    f"P{100 * q:g}: {v:.3g} ETH", (v, 1 - q), xytext=(4, 3), textcoords="offset points", fontsize=6.5
                )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel + ", log scale")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
        ax.legend(loc="lower left", fontsize=6.3)
    ax1.set_ylabel("P(loss > x) [per validator-year, log scale]")
    ax1.set_title(f"validator (c = {c:g} divETH per key share)")
    ax2.set_ylabel("P(charge > x) [per validator-year, log scale]")
    ax2.set_title("one key share")
    return fig


def required_collateral_vs_rates(scenario: Scenario, points: int = 13) -> Figure:
    """Collateral per key share meeting each target as groups of event rates are scaled
    (:func:`divaecon.risk.sensitivity.required_collateral_curves`): left the loss-probability
    target, right the expected-shortfall target."""
    from divaecon.risk.sensitivity import required_collateral_curves

    mult = np.geomspace(0.1, 10.0, max(points, 3))
    r = scenario.risk
    curves = required_collateral_curves(
        scenario,
        mult,
        target_loss_probability=r.target_loss_probability_per_year,
        target_shortfall_apr=r.target_shortfall_apr,
    )
    panels = (
        (
            curves[curves["target"] == "target_loss_probability"],
            f"P(stakers lose) ≤ {100 * r.target_loss_probability_per_year:.3g} % per validator-year",
        ),
        (
            curves[curves["target"] == "target_shortfall_apr"],
            f"expected shortfall ≤ {100 * r.target_shortfall_apr:.3g} % APR",
        ),
    )
    fig, axes = new_figure(
        "Required collateral against event rates", scenario.name, SOURCE_RISK, ncols=2, sharey=True, figsize=(7.2, 4.6)
    )
    styles = ["-", "--", "-.", ":"]
    for ax, (d, title) in zip(axes, panels, strict=True):
        for i, (group, sub) in enumerate(d.groupby("group", sort=False)):
            every = group == "every event rate"
            ax.plot(
                sub["multiplier"],
                sub["required_collateral_eth"],
                marker="o",
                ms=2.5,
                lw=2.2 if every else 1.2,
                ls="-" if every else styles[i % 4],
                color=COLORS["diva"] if every else plt.get_cmap("tab10")(i),
                label=group,
            )
        ax.axvline(1.0, color=NOTE_GREY, lw=0.8, ls=":")
        ax.axhline(scenario.diva.collateral_per_key_share_eth, color=NOTE_GREY, lw=0.8, ls="--")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"× {v:g}"))
        ax.set_xlabel("the group's rates × multiplier [log scale]")
        ax.set_title(title, fontsize=8.5)
        ax.set_ylim(bottom=0)
    axes[0].set_ylabel("collateral per key share meeting the target [divETH]")
    # under both panels: inside either one it would sit on curves that reach any corner
    axes[0].legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=6.5)
    axes[1].annotate(
        f"dashed: the scenario's {scenario.diva.collateral_per_key_share_eth:g} divETH\n"
        "flat: those rates do not move the answer",
        (0.03, 0.97),
        xycoords="axes fraction",
        fontsize=6.3,
        color=NOTE_GREY,
        va="top",
    )
    return fig


def risk_frontier(
    scenario: Scenario, table: pd.DataFrame | None = None, peers_table: pd.DataFrame | None = None
) -> Figure:
    """Operator APR on collateral net of expected losses against the stakers' expected shortfall,
    as the collateral per key share varies; the peers' bonds placed at the same event rates."""
    from divaecon.risk import frontier, peer_frontier

    t = frontier(scenario) if table is None else table
    p = peer_frontier(scenario) if peers_table is None else peers_table
    fig, ax = new_figure(
        "Operator yield against stakers' risk",
        scenario.name,
        SOURCE_RISK + "; peers: ASSUMPTIONS.md",
        figsize=(7.2, 4.3),
    )
    x = t["shortfall_apr"].to_numpy(dtype=float)
    y = t["operator_apr_net"].to_numpy(dtype=float)
    ok = x > 0
    ax.plot(x[ok], y[ok], color=COLORS["diva"], lw=2, label="Diva, collateral per key share varies")
    c = t["collateral_per_key_share_eth"].to_numpy(dtype=float)
    for mark in (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0):
        i = int(np.argmin(np.abs(np.log(c / mark))))
        if ok[i] and abs(c[i] / mark - 1) < 0.1:
            ax.plot([x[i]], [y[i]], "o", color=COLORS["diva"], ms=4)
            ax.annotate(
                f"{mark:g}", (x[i], y[i]), xytext=(4, 2), textcoords="offset points", fontsize=6.5, color=COLORS["diva"]
            )
    here = scenario.diva.collateral_per_key_share_eth
    j = int(np.argmin(np.abs(c - here)))
    ax.plot([x[j]], [y[j]], "*", color=COLORS["diva"], ms=11, label=f"Diva at {here:g} divETH per key share")
    lo = float(np.nanmin(x[ok])) if ok.any() else 1e-6
    for row in p.to_dict("records"):
        name, sx, sy = str(row["name"]), float(row["shortfall_apr"]), float(row["operator_apr_net"])
        color = _peer_color(name)
        if sx <= 0:
            ax.annotate(
                f"{name}: no stakers at risk; operator APR net {100 * sy:.2f} %",
                (0.99, 0.97),
                xycoords="axes fraction",
                fontsize=6.5,
                color=color,
                ha="right",
                va="top",
            )
        elif np.isfinite(sy):
            ax.plot([sx], [sy], "D", color=color, ms=6, label=name)
        else:
            why = "no operator capital" if float(row["bond_per_operator_eth"]) <= 0 else "operator APR not modelled"
            ax.axvline(sx, color=color, lw=1, ls="--", label=f"{name} ({why})")
        lo = min(lo, sx) if sx > 0 else lo
    ax.set_xscale("log")
    ax.set_yscale("log")
    _log_pct_axis(ax, "x")
    _log_pct_axis(ax, "y")
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 3.0, 5.0)))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    ax.set_xlabel("stakers' expected shortfall [APR cost, % per year, log scale]")
    ax.set_ylabel("operator APR on collateral or bond,\nnet of expected losses [%/year, log scale]")
    ax.legend(loc="upper left", fontsize=6.5)
    return fig


def risk_tornado(table: pd.DataFrame, scenario_name: str, top: int = 12) -> Figure:
    """The required collateral per key share with each assumption halved and doubled
    (:func:`divaecon.risk.tornado`): one bar per assumption that moves it, widest first."""
    moving = table[table["swing"] > 1e-6]
    t = (moving if len(moving) else table).head(top).iloc[::-1]
    base = float(t["required_at_base"].iloc[0]) if len(t) else 0.0
    fig, ax = new_figure(
        "Sensitivity of the required collateral to each assumption",
        scenario_name,
        SOURCE_RISK,
        figsize=(7.2, 0.32 * max(len(t), 4) + 1.4),
    )
    y = np.arange(len(t))
    lo = t["required_at_low"].to_numpy(dtype=float)
    hi = t["required_at_high"].to_numpy(dtype=float)
    ax.barh(y, lo - base, left=base, color=COLORS["staker"], label="assumption halved")
    ax.barh(y, hi - base, left=base, color=COLORS["operator"], label="assumption doubled")
    ax.axvline(base, color="black", lw=1)
    ax.set_yticks(y, [str(n).replace("_", " ") for n in t["parameter"]], fontsize=7)
    ax.set_xlabel("collateral per key share meeting the target [divETH]")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=7)
    return fig


def collateral_both_sides(scenario: Scenario, table: pd.DataFrame | None = None) -> Figure:
    """Both sides of the collateral slider: the operator's APR on collateral (before and net of
    expected losses) rises as collateral falls, and so does the stakers' expected shortfall."""
    from divaecon.risk import frontier

    t = frontier(scenario) if table is None else table
    c = t["collateral_per_key_share_eth"].to_numpy(dtype=float)
    fig, ax = new_figure(
        "Both sides of the collateral per key share",
        scenario.name,
        SOURCE_RISK + "; Diva docs 21-economics.md",
        figsize=(7.2, 3.9),
    )
    ax.plot(c, t["operator_apr"], color=COLORS["operator"], lw=1.2, ls="--", label="operator APR (no losses)")
    ax.plot(c, t["operator_apr_net"], color=COLORS["operator"], lw=2, label="operator APR net of expected losses")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
    ax.yaxis.set_major_formatter(_PCT)
    ax.set_xlabel("collateral per key share [divETH, log scale]")
    ax.set_ylabel("operator APR on collateral [%/year]", color=COLORS["operator"])
    ax2 = ax.twinx()
    short = t["shortfall_apr"].to_numpy(dtype=float)
    ok = short > 0
    ax2.plot(c[ok], short[ok], color=COLORS["staker"], lw=2, label="stakers' expected shortfall (right)")
    ax2.set_yscale("log")
    _log_pct_axis(ax2, "y")
    ax2.set_ylabel("stakers' expected shortfall [APR cost, log scale]", color=COLORS["staker"])
    ax2.grid(False)
    here = scenario.diva.collateral_per_key_share_eth
    ax.axvline(here, color=COLORS["diva"], lw=1, ls=":")
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper right", fontsize=7)
    return fig
