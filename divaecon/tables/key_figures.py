"""Key figures of a quote: the rows of the reports and the CLI, and the CLI's quote text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from divaecon import figures, rules
from divaecon import formatting as fmt
from divaecon.figures import KeyFigure
from divaecon.params import Scenario
from divaecon.quote import Quote, peer_table, quote
from divaecon.tables.peers import node_uptime_basis, published_notes

# --- key figures of a quote -------------------------------------------------------------------

REPORT_KEY_FIGURES: tuple[str, ...] = (
    "total_staked_eth",
    "ideal_consensus_apr",
    "consensus_apr",
    "execution_apr",
    "gross_apr",
    "staker_apr",
    "staker_apr_growing",
    "operator_apr_queued",
    "operator_apr_assigned",
    "operator_reward_per_key_share_eth_per_year",
    "validator_availability",
    "network_validators",
    "collateral_locked_eth",
    "collateral_ratio",
    "activation_wait_days",
    "exit_wait_days",
    "operator_cost_usd_per_year",
    "break_even_key_shares",
)
"""The key figures the reports show by default (keys of :data:`divaecon.figures.FIGURES`)."""

CLI_KEY_FIGURES: tuple[str, ...] = (
    "consensus_apr",
    "execution_apr",
    "gross_apr",
    "staker_apr",
    "staker_apr_growing",
    "operator_apr_queued",
    "operator_apr_assigned",
    "operator_reward_per_key_share_eth_per_year",
    "validator_availability",
    "collateral_locked_eth",
    "collateral_ratio",
    "entry_queue_wait_days",
    "activation_wait_days",
    "exit_wait_days",
    "operator_cost_usd_per_year",
    "break_even_key_shares",
)
"""The key figures of ``divaecon quote``'s table (the scenario's inputs head it)."""


def quote_rows(q: Quote, keys: Iterable[str]) -> list[tuple[KeyFigure, str]]:
    """Each figure of ``keys`` with its value in ``q`` formatted; unknown keys are refused."""
    return [(f, f.text(getattr(q, f.key))) for f in figures.select(keys)]


def key_figures_table(scenario: Scenario, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Key figures of one scenario as a two-column table (``figure``, ``value``) of formatted values."""
    table = key_figures_comparison([scenario], keys)
    return table.rename(columns={scenario.name: "value"}).rename_axis("figure").reset_index()


def key_figures_comparison(scenarios: Sequence[Scenario], keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Key figures (rows, labelled) of each scenario (columns), formatted for readers.

    ``keys`` (default :data:`REPORT_KEY_FIGURES`) in the order given.
    """
    chosen = figures.select(REPORT_KEY_FIGURES if keys is None else keys)
    data = {}
    for s in scenarios:
        q = quote(s)
        data[s.name] = [f.text(getattr(q, f.key)) for f in chosen]
    return pd.DataFrame(data, index=[f.label for f in chosen])


def quote_text(scenario: Scenario) -> str:
    """The readable quote of ``divaecon quote``: the inputs, key figures, then Diva beside its peers."""
    q = quote(scenario)
    table = peer_table(scenario, q)
    d = scenario.diva
    lines = [
        f"Scenario: {scenario.name}" + (f" — {scenario.description}" if scenario.description else ""),
        f"Ethereum: {fmt.eth(scenario.ethereum.total_staked_eth)} staked, "
        f"{scenario.ethereum.el_reward_per_block_eth:g} ETH execution reward per block"
        + ("" if rules.is_today(scenario.ethereum) else f"; rules: {rules.describe_rules(scenario.ethereum)}"),
        f"Diva: {d.threshold}/{d.key_shares_per_validator} key shares, "
        f"{d.collateral_per_key_share_eth:g} divETH collateral per key share, "
        f"{fmt.count(d.network_validators)} validators, operator uptime {fmt.pct(d.operator_uptime, 1)}, "
        f"failure correlation {d.failure_correlation:g}",
        f"Queues: {fmt.eth(scenario.ethereum.entry_queue_eth)} in Ethereum's entry queue, "
        f"{fmt.eth(scenario.ethereum.exit_queue_eth)} in its exit queue; "
        f"{'two deposits (1 + 31 ETH)' if d.two_step_deposit else 'one deposit'} per validator; "
        f"the growing pool grows {fmt.pct(d.pool_growth_rate_per_year, 0)} a year",
        "",
    ]
    rows = quote_rows(q, CLI_KEY_FIGURES)
    width = max(len(f.label) for f, _ in rows)
    lines += [f"  {f.label:<{width}}  {value:>18}" for f, value in rows]
    lines += ["", "Diva and its peers (" + node_uptime_basis(scenario) + "):"]
    width = max(32, *(len(str(n)) for n in table["name"]))
    header = (
        f"  {'set-up':<{width}} {'staker APR':>10} {'operator APR':>12} {'capital':>10} {'faults':>6} "
        f"{'node uptime':>11} {'availability':>12}"
    )
    lines.append(header)
    for row in table.itertuples():
        lines.append(
            f"  {row.name:<{width}} {fmt.pct(row.staker_apr):>10} {fmt.pct(row.operator_apr):>12} "
            f"{fmt.eth(row.capital_eth, 2):>10} {row.faults_tolerated:>6} {fmt.pct(row.node_uptime, 1):>11} "
            f"{fmt.prob(row.availability):>12}"
        )
    notes = published_notes(table)
    if notes:
        lines += ["", "Staker APR against the published figure:"]
        lines += [f"  {name}: {note}" for name, note in notes]
    lines.append("")
    lines.append("Rates are simple APRs. Sources and defaults: ASSUMPTIONS.md.")
    return "\n".join(lines)
