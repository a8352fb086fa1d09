"""The comparative report: the scenarios side by side, as one HTML document (then PDF).

Assembled in Python from the shared tables (:mod:`divaecon.tables`) and figures
(:mod:`divaecon.plotting`); sections are ``(heading, html)`` pairs.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import time
from string import Template
from typing import TYPE_CHECKING, Any

import pandas as pd

from divaecon import tables
from divaecon.palette import CSS_COLOURS
from divaecon.params import Scenario
from divaecon.reports.index import generator
from divaecon.reports.inputs import QUICK_PARAMETERS

if TYPE_CHECKING:
    from divaecon.reports.batch import BatchResult


def figure_html(fig: Any, alt: str = "figure") -> str:
    """A matplotlib figure as an embedded PNG ``<img>`` (the figure is closed)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def table_html(df: pd.DataFrame, index: bool = True, classes: str = "") -> str:
    """A table of already formatted strings as HTML (first column left-aligned)."""
    return df.to_html(index=index, escape=True, border=0, classes=f"tbl {classes}".strip(), na_rep="–")


def simulation_settings(scenario: Scenario, quick: bool) -> dict[str, int]:
    """Monte Carlo seeds and horizon the reports simulate with (small when ``quick``)."""
    if quick:
        return {"seeds": QUICK_PARAMETERS["mc_seeds"], "days": QUICK_PARAMETERS["horizon_days"]}
    return {"seeds": 20, "days": scenario.simulation.horizon_days}


def comparison_sections(scenarios: list[Scenario], quick: bool = False) -> tuple[list[tuple[str, str]], float]:
    """The comparative report's sections as ``(heading, html)``; returns them and the time taken."""
    from divaecon import plotting

    start = time.perf_counter()
    plotting.use_style()
    sections: list[tuple[str, str]] = []
    sections.append(("Key figures", table_html(tables.key_figures_comparison(scenarios))
                     + "<p class=note>Rates are simple APRs (fractions per year shown as %). Ideal consensus "
                       "APR = (64 · 10⁹ // isqrt(staked · 10⁹)) · 82,181.25 / 10⁹, the spec's floored base "
                       "reward (consensus-specs altair, get_base_reward_per_increment); ≈ 166.3 / √(ETH "
                       "staked).</p>"))
    diff = tables.parameter_differences(scenarios)
    if not diff.empty:
        sections.append(("Where the scenarios differ", table_html(diff)))
    sections.append(("Operator yield and fault tolerance",
                     figure_html(plotting.compare_operator_apr(scenarios), "operator APR")
                     + figure_html(plotting.compare_availability(scenarios), "availability")))
    staker, operator = tables.peer_comparison(scenarios)
    sections.append(("Diva and its peers: staker APR", table_html(staker) + peer_notes_html(scenarios)))
    sections.append(("Diva and its peers: operator APR on own capital", table_html(operator)
                     + "<p class=note>– : the operators put up no ETH of their own.</p>"))
    sections.append(("Simulated network", simulation_section(scenarios, quick)))
    return sections, time.perf_counter() - start


def peer_notes_html(scenarios: list[Scenario]) -> str:
    """Which node uptime each scenario's peers run on, and their staker APR against published ones."""
    from divaecon.quote import peer_table

    items = []
    for s in scenarios:
        items.append(f"<li><b>{html.escape(s.name)}</b>: {html.escape(tables.node_uptime_basis(s))}.</li>")
        for name, note in tables.published_notes(peer_table(s)):
            items.append(f"<li><b>{html.escape(s.name)}</b>, {html.escape(name)}: {html.escape(note)}.</li>")
    return "<p class=note>Node uptime and published figures:</p><ul class=note>" + "".join(items) + "</ul>"


def simulation_section(scenarios: list[Scenario], quick: bool) -> str:
    """Summary table (median and P5–P95 over seeds) and shared figures of the simulation."""
    try:
        from divaecon.simulate import simulate
    except ImportError:
        return "<p class=note>The simulation engine (divaecon.simulate) is not available.</p>"
    from divaecon import plotting

    settings = simulation_settings(scenarios[0], quick)
    days = settings["days"] if quick else max(s.simulation.horizon_days for s in scenarios)
    res = simulate(list(scenarios), seeds=settings["seeds"], days=days)
    ts, summary = res.timeseries, res.summary
    order = [s.name for s in scenarios]
    random = [s.name for s in scenarios if "Drawn at random" in tables.simulation_note(s, 1, days)]
    parts = [f"<p>{settings['seeds']} Monte Carlo seed(s) per scenario over {days:,} days "
             f"({days / 365.25:.1f} years); median, with P5–P95 in brackets. "
             + (f"Scenarios with random draws: {html.escape(', '.join(random))} (their bands are narrow: "
                 "over thousands of validators luck and outages average out)." if random else
                "No scenario draws anything at random (proposer luck, outages and slashings are off), "
                "so the bands collapse to lines.") + "</p>",
             table_html(tables.simulation_summary_table(summary, order))]
    for col, label, unit in (("active_validators", "active validators", "validators"),
                             ("assigned_collateral_eth", "collateral locked", "divETH"),
                             ("buffer_eth", "buffer", "ETH"),
                             ("wdiveth_rate", "wdivETH rate", "divETH per wdivETH")):
        if plotting._find_column(ts, col) is not None:
            parts.append(figure_html(plotting.compare_growth(ts, col, label, unit, order), label))
    return "".join(parts)


COMPARISON_CSS = Template("""
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; color: #222;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 17pt; margin: 0 0 4px 0; color: $diva_dark; }
h2 { font-size: 12.5pt; margin: 16px 0 6px 0; color: $diva_dark; border-bottom: 1px solid $diva_rule;
     break-after: avoid; page-break-after: avoid; }
p { margin: 4px 0; } .note { color: #555; font-size: 8pt; }
table.tbl { border-collapse: collapse; width: 100%; margin: 4px 0 6px 0; font-size: 8.3pt; }
table.tbl th, table.tbl td { border-bottom: 1px solid #e4e4e4; padding: 2.5px 6px; }
table.tbl thead th { background: $diva_tint; text-align: right; }
table.tbl tbody th { text-align: left; font-weight: normal; white-space: nowrap; }
table.tbl td { text-align: right; font-variant-numeric: tabular-nums; }
table.tbl tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 6px 0; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; }
section { break-inside: auto; }
.ok { color: $ok_green; } .failed { color: $failed_red; }
""").substitute(CSS_COLOURS)


def comparison_html(scenarios: list[Scenario], sections: list[tuple[str, str]],
                    result: BatchResult | None = None) -> str:
    """The comparative report as one standalone HTML document."""
    css = COMPARISON_CSS
    if len(scenarios) > 5:
        css = css.replace("size: A4;", "size: A4 landscape;")
    intro = "".join(
        f"<li><b>{html.escape(s.name)}</b>" + (f" — {html.escape(s.description)}" if s.description else "")
        + "</li>" for s in scenarios)
    body = "".join(f"<section><h2>{html.escape(h)}</h2>{content}</section>" for h, content in sections)
    if result is not None:
        body += f"<section><h2>Reports in this batch</h2>{table_html(batch_status_table(result))}</section>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Diva Staking — scenario comparison</title>
<style>{css}</style></head><body>
<h1>Diva Staking — scenario comparison</h1>
<p class=note>Generated {dt.datetime.now().strftime("%Y-%m-%d %H:%M")} by <code>divaecon report</code>
({generator()}). One column or line per scenario. Every default with its source: ASSUMPTIONS.md;
formulas: consensus-specs <code>specs/altair/beacon-chain.md</code>,
Diva docs (<code>staking-foundation/docs</code>).</p>
<ul>{intro}</ul>
{body}
</body></html>
"""


def batch_status_table(result: BatchResult) -> pd.DataFrame:
    """Status and run time of each notebook report, a column per scenario."""
    names = list(dict.fromkeys(j.scenario.name for j in result.jobs))
    nbs = list(dict.fromkeys(j.name for j in result.jobs))
    cells = {(j.scenario.name, j.name): ("ok" if j.status == "ok" else "FAILED") + f", {j.seconds:.0f} s"
             for j in result.jobs}
    return pd.DataFrame({n: [cells.get((n, nb), "–") for nb in nbs] for n in names}, index=nbs)
