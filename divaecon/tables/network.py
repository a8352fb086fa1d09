"""Tables of notebook 05: the simulation's note and its summary."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from divaecon import figures
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
