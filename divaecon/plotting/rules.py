"""Figures of chapter 08: the staking yield against total stake under each issuance curve, and
the path through EIP-8363's transition."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MultipleLocator

from divaecon import rules
from divaecon.palette import COLORS, NOTE_GREY
from divaecon.params import Scenario
from divaecon.plotting._base import _PCT, ETH_FORMATTER, new_figure
from divaecon.tables.rules import CURVE_LABELS, CURVES, curve_scenario, staking_yield, transition_path

# --- 08: Ethereum's next rules ----------------------------------------------------------------

SOURCE_RULES = "EIPS/eip-8363.md; ethresear.ch t/18448 (tempered); Elowsson's capped curve; consensus-specs altair"

_CURVE_STYLE: dict[str, tuple[str, str]] = {
    "current": ("black", "-"),
    "eip8363": (COLORS["diva"], "-"),
    "tempered": (COLORS["rocketpool"], "--"),
    "capped": (COLORS["ssv"], "-."),
}


def yield_vs_stake_by_curve(scenario: Scenario, points: int = 200) -> Figure:
    """Staking yield (left) and issuance a year (right) against total ETH staked, a line per
    issuance curve; the scenario's stake marked, and on the left the alternative rate
    (``ethereum.staking_alternative_rate``) with the stake at which each curve pays it
    (:func:`divaecon.rules.stake_at_yield`)."""
    e = scenario.ethereum
    hi = max(100e6, 1.6 * e.total_staked_eth)
    d = np.linspace(2e6, hi, points)
    rate = e.staking_alternative_rate
    fig, (left, right) = new_figure(
        "Staking yield and issuance against total ETH staked, by issuance curve",
        scenario.name,
        SOURCE_RULES + f";\nexecution reward {e.el_reward_per_block_eth:g} ETH a block before any burn",
        ncols=2,
        figsize=(7.2, 3.7),
    )
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):  # room for the source's two lines under the axes
        engine.set(rect=(0.0, 0.085, 1.0, 0.915))
    for curve in CURVES:
        eth = curve_scenario(scenario, curve).ethereum
        color, ls = _CURVE_STYLE[curve]
        y = np.asarray(staking_yield(d, eth), dtype=float)
        cl = np.asarray(rules.consensus_yield(d, eth), dtype=float)
        left.plot(d, y, color=color, ls=ls, lw=1.6, label=CURVE_LABELS[curve])
        right.plot(d, cl * d / 1e6, color=color, ls=ls, lw=1.6)
        at = float(rules.stake_at_yield(rate, eth))
        if np.isfinite(at) and d[0] <= at <= d[-1]:
            left.scatter([at], [rate], color=color, s=18, zorder=5, edgecolor="black", lw=0.4)
    for ax in (left, right):
        ax.axvline(e.total_staked_eth, color=NOTE_GREY, ls=":", lw=1)
        ax.xaxis.set_major_formatter(ETH_FORMATTER)
        ax.set_xlabel("total ETH staked [ETH]")
        ax.set_ylim(bottom=0)
    left.axhline(rate, color=NOTE_GREY, ls="--", lw=0.8, label=f"alternative rate, {100 * rate:.2f} % (dots)")
    left.set_ylim(0, min(0.08, max(0.06, 2.5 * rate)))  # the legend above the curves
    left.yaxis.set_major_formatter(_PCT)
    left.set_ylabel("staking yield, ideal validator [%/year]\n(consensus net of burn + execution)")
    right.set_ylabel("consensus issuance, net of burn\n[million ETH/year]")
    right.annotate(
        f"the scenario's stake, {e.total_staked_eth / 1e6:,.1f}M ETH",
        (e.total_staked_eth, right.get_ylim()[1]),
        xytext=(3, -3),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=6.8,
        color=NOTE_GREY,
    )
    left.legend(loc="upper right", fontsize=6.8)
    return fig


def eip8363_transition(scenario: Scenario) -> Figure:
    """EIP-8363's transition month by month at the scenario's stake: an ideal validator's staking
    yield and consensus yield net of the burn, Diva's staker APR (left axis), the base reward
    factor (right axis), today's staking yield for reference."""
    path = transition_path(scenario)
    today_eth = curve_scenario(scenario, "current").ethereum
    today = float(staking_yield(scenario.ethereum.total_staked_eth, today_eth))
    fig, ax = new_figure(
        "EIP-8363's transition, month by month",
        scenario.name,
        "EIPS/eip-8363.md: base reward factor 128 → 64 over 123,300 epochs, burn min(1, (D/60.25M)^1.5); "
        f"{scenario.ethereum.total_staked_eth / 1e6:,.1f}M ETH staked",
        figsize=(7.2, 3.3),
    )
    months = path["month"].to_numpy(dtype=float)
    ax.step(months, path["staking_yield"], where="post", color="black", lw=1.5, label="staking yield, ideal validator")
    ax.step(
        months,
        path["consensus_yield"],
        where="post",
        color="black",
        lw=1.0,
        ls="--",
        label="of which consensus, net of burn",
    )
    ax.step(months, path["diva_staker_apr"], where="post", color=COLORS["diva"], lw=1.8, label="divETH staker APR")
    ax.axhline(today, color=NOTE_GREY, ls=":", lw=1, label=f"staking yield under today's rules, {100 * today:.2f} %")
    ax.yaxis.set_major_formatter(_PCT)
    ax.set_ylabel("yield, APR [%/year]")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("months since the fork [months of 365.25 / 12 days]")
    ax.set_xlim(0, months[-1])
    ax.xaxis.set_major_locator(MultipleLocator(3))
    twin = ax.twinx()
    twin.step(months, path["base_reward_factor"], where="post", color=NOTE_GREY, lw=1, label="base reward factor")
    twin.set_ylabel("base reward factor (right)")
    twin.set_ylim(0, 140)
    twin.grid(False)
    twin.spines["right"].set_visible(True)
    handles = ax.get_legend_handles_labels()
    extra = twin.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="lower left", fontsize=7)
    return fig
