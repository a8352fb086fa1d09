"""Tables of notebook 05: the simulation's note and its summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from divaecon import figures, rules
from divaecon.params import Scenario

# --- the simulation ---------------------------------------------------------------------------


def simulation_note(scenario: Scenario, seeds: int, days: int) -> str:
    """One line on the simulation run: seeds, horizon and what (if anything) is drawn at random."""
    sim = scenario.simulation
    draws = [
        name
        for name, on in (
            ("proposer luck", sim.proposer_luck),
            ("operator outages", sim.outage_rate_per_operator_per_year > 0),
            ("slashings", sim.slashing_rate_per_validator_per_year > 0),
        )
        if on
    ]
    text = f"{seeds:,} Monte Carlo seed(s) over {days:,} days ({days / 365.25:.1f} years). "
    if draws:
        return text + (
            "Drawn at random: " + ", ".join(draws) + "; bands are P5–P95 over seeds. They are "
            "narrow once the network runs thousands of validators: luck and outages average out "
            "across validators, so the spread shows mostly in the first months."
        )
    return text + (
        "This scenario draws nothing at random (no proposer luck, outages or slashings), "
        "so every seed follows the same path and the P5–P95 band is a line."
    )


def simulation_summary_table(summary: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Median [P5–P95] of each summary metric over seeds, a column per scenario.

    Rows are the :data:`divaecon.figures.SIMULATION_FIGURES` that ``summary`` holds, labelled
    and formatted as registered.
    """
    names = list(order) if order is not None else list(pd.unique(summary["scenario"]))
    rows = [f for f in figures.SIMULATION_FIGURES if f.key in summary.columns]
    data: dict[str, list[str]] = {}
    for name in names:
        sub = summary[summary["scenario"] == name]
        col = []
        for f in rows:
            v = pd.to_numeric(sub[f.key], errors="coerce").dropna()
            if v.empty:
                col.append("–")
            elif len(v) == 1:
                col.append(f.text(v.iloc[0]))
            else:
                lo, mid, hi = f.text(v.quantile(0.05)), f.text(v.median()), f.text(v.quantile(0.95))
                col.append(mid if lo == hi else f"{mid} [{lo} – {hi}]")
        data[name] = col
    return pd.DataFrame(data, index=[f.label for f in rows])


def _grid_point(base: Scenario, summary_row: Any, grid_names: Sequence[str]) -> Scenario:
    """The scenario of one grid point, from its summary row's grid columns."""
    values = {k: summary_row[k] for k in grid_names}
    if not values:
        return base
    return base.override(**{k: (v.item() if hasattr(v, "item") else v) for k, v in values.items()})


MAX_SUMMARY_SCENARIOS = 20
"""Scenarios the printed summary of a sweep shows; the rest are in the ``--out`` table."""


def simulation_summary_text(res: Any, base: Scenario) -> str:
    """The printed summary: per grid point, median (P5–P95 over seeds) beside the quote.

    Labels and formats come from :data:`divaecon.figures.SIMULATION_FIGURES`.
    """
    import math

    import numpy as np

    from divaecon import formatting as fmt
    from divaecon.figures import SIMULATION_FIGURES
    from divaecon.figures import text as shown_as
    from divaecon.quote import quote
    from divaecon.simulate import SUMMARY_COLUMNS
    from divaecon.units import DAYS_PER_YEAR, apr_to_apy

    s = res.summary
    days = int(s["days"].iloc[0])
    grid_names = [c for c in s.columns if c not in ("scenario", "seed", "days", *SUMMARY_COLUMNS)]
    lines = [
        f"Simulated {s['scenario'].nunique()} scenario(s) × {s['seed'].nunique()} seed(s) over "
        f"{days:,} days ({days / DAYS_PER_YEAR:.1f} years).",
        "",
    ]
    # refused deposits get a line of their own below, with the cap, when there are any
    shown = [
        f for f in SIMULATION_FIGURES if f.key not in ("final_diveth_supply", "wdiveth_rate", "refused_deposits_eth")
    ]
    width = max(len(f.label) for f in shown)
    groups = s.groupby("scenario", observed=True, sort=False)
    for i, (name, group) in enumerate(groups):
        if i == MAX_SUMMARY_SCENARIOS:
            lines.append(
                f"... and {groups.ngroups - i:,} more scenario(s): the figures of all are in the table --out writes."
            )
            lines.append("")
            break
        sc = _grid_point(base, group.iloc[0], grid_names)
        q = quote(sc)
        lines.append(f"Scenario {name}")
        for figure in shown:
            vals = group[figure.key].to_numpy(dtype=float)
            if np.all(np.isnan(vals)):
                text = "–"
            else:
                text = figure.text(float(np.nanmedian(vals)))
                lo, hi = (figure.text(x) for x in np.nanpercentile(vals, [5, 95]))
                if lo != hi:  # seeds that agree (nothing drawn at random) need no band
                    text += f"  (P5–P95 {lo} – {hi})"
            lines.append(f"  {figure.label:<{width}}  {text}")
        lines.append(
            f"  {'Quote (no cash drag)':<{width}}  staker APR {shown_as('staker_apr', q.staker_apr)} = APY "
            f"{fmt.pct(apr_to_apy(q.staker_apr))}; operator APR queued "
            f"{shown_as('operator_apr_queued', q.operator_apr_queued)}, assigned "
            f"{shown_as('operator_apr_assigned', q.operator_apr_assigned)}"
        )
        column = group.get("refused_deposits_eth")
        refused = np.zeros(1) if column is None else column.to_numpy(dtype=float)
        if np.nanmax(refused) > 0:
            text = fmt.eth(float(np.nanmedian(refused)))
            lo, hi = (fmt.eth(x) for x in np.nanpercentile(refused, [5, 95]))
            if lo != hi:
                text += f"  (P5–P95 {lo} – {hi})"
            lines.append(
                f"  {'Staker deposits refused':<{width}}  {text} over the horizon: the buffer at its cap of "
                f"{fmt.eth(sc.simulation.deposit_cap_eth)}, they never entered the pool (deposit_cap_eth = 0: no cap)"
            )
        end_stake = sc.ethereum.total_staked_eth + sc.simulation.ethereum_stake_growth_eth_per_day * (days - 1)
        lines.append(
            f"  {'Ethereum stake, start → end':<{width}}  {fmt.eth(sc.ethereum.total_staked_eth)} → "
            f"{fmt.eth(end_stake)} (consensus APR ∝ 1/√stake: "
            f"× {math.sqrt(sc.ethereum.total_staked_eth / end_stake):.3f} by the end)"
        )
        if not rules.is_today(sc.ethereum):
            lines.append(f"  {'Ethereum rules':<{width}}  {rules.describe_rules(sc.ethereum)}")
        lines.append("")
    lines.append(
        "Realised APYs compound daily and include cash drag (ETH waiting in the buffer or for "
        "activation); collateral here bears the offline penalties the quote also charges stakers. "
        "Operator APYs are time-weighted (TWR): one divETH of collateral compounded over the days "
        "it was queued (the divETH rebase) or assigned (rebase + operator fees − penalties "
        "covered), whatever the amounts."
    )
    return "\n".join(lines)
