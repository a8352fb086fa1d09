"""Figures of notebook 06: collateral risk (loss distribution, required collateral, frontier,
tornado, both sides of the collateral).
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

from divaecon.palette import COLORS, NOTE_GREY
from divaecon.params import Scenario
from divaecon.plotting._base import _PCT, new_figure
from divaecon.plotting.peers import _peer_color

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
