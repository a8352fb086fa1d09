"""Formatted tables and the lines of text beside them: one module for every view.

Notebooks, the reports (:mod:`divaecon.reports`), the CLI and the dashboard build their tables
here. Numbers come from the model (:mod:`divaecon.quote` and the pure functions), labels and
formats of key figures from the registry :mod:`divaecon.figures`, other formats from
:mod:`divaecon.formatting`; every cell is a string as a reader expects it (3.12 %, 21,504 ETH).

The tables are cut by topic, one module per chapter: :mod:`~divaecon.tables.apr` (01),
:mod:`~divaecon.tables.collateral` (02), :mod:`~divaecon.tables.dvt` (03),
:mod:`~divaecon.tables.peers` (04), :mod:`~divaecon.tables.network` (05),
:mod:`~divaecon.tables.risk` (06), :mod:`~divaecon.tables.history` (07, and ``divaecon
backtest``), :mod:`~divaecon.tables.rules` (08, Ethereum's next rules; the dashboard's rules
selector and the comparison's futures), :mod:`~divaecon.tables.key_figures` (a quote's key figures),
:mod:`~divaecon.tables.compare` (scenarios side by side), :mod:`~divaecon.tables.cover` (a book's
front) and :mod:`~divaecon.tables.common` (display). Every table is re-exported here.
"""

from __future__ import annotations

from divaecon.tables.apr import (
    reward_split_table,
    staking_data_table,
    uptime_table,
)
from divaecon.tables.collateral import (
    break_even_table,
    collateral_table,
)
from divaecon.tables.common import (
    scenario_header,
    show,
)
from divaecon.tables.compare import (  # noqa: F401 (re-exported)
    _flatten,
    _fmt_param,
    parameter_differences,
)
from divaecon.tables.cover import (  # noqa: F401 (re-exported)
    REQUIRED_COLLATERAL_FIGURE,
    SUMMARY_FIGURES,
    _required_collateral_row,
    _summary_sentences,
    comparison_cover_markdown,
    comparison_simulation_note,
    cover_markdown,
    divaecon_version,
    executive_summary,
    scenario_inputs_markdown,
)
from divaecon.tables.dvt import (
    availability_table,
)
from divaecon.tables.history import (
    SERIES_LABELS,
    backtest_text,
    history_comparison,
    history_comparison_markdown,
    history_error_table,
    history_errors_markdown,
    history_points_table,
    history_result,
    history_sources_markdown,
    history_summary_line,
    history_summary_row,
)
from divaecon.tables.key_figures import (
    CLI_KEY_FIGURES,
    REPORT_KEY_FIGURES,
    key_figures_comparison,
    key_figures_table,
    quote_rows,
    quote_text,
)
from divaecon.tables.network import (
    simulation_note,
    simulation_summary_table,
    simulation_summary_text,
)
from divaecon.tables.peers import (
    like_for_like_table,
    node_uptime_basis,
    peer_comparison,
    peer_notes_markdown,
    peer_table_formatted,
    published_notes,
    published_table,
)
from divaecon.tables.risk import (  # noqa: F401 (re-exported)
    _TARGET_NAMES,
    RISK_KEY_FIGURES,
    _interval,
    _tiny,
    peer_risk_table,
    required_collateral_table,
    risk_by_class_table,
    risk_comparison,
    risk_figures_table,
    risk_frontier_table,
    risk_text,
    tornado_table,
)
from divaecon.tables.rules import (
    alternative_rate_markdown,
    collateral_rules_table,
    diva_rules_table,
    eip7716_markdown,
    futures_comparison,
    like_for_like_markdown,
    peers_rules_table,
    rule_set_scenario,
    rule_sets_table,
    rules_summary_row,
    stake_at_alternative_table,
    transition_table,
)
from divaecon.tables.sensitivity import (
    band_text,
    bands_table,
    collateral_ceiling,
    indices_table,
    sensitivity_text,
)

__all__ = [
    "CLI_KEY_FIGURES",
    "REPORT_KEY_FIGURES",
    "REQUIRED_COLLATERAL_FIGURE",
    "RISK_KEY_FIGURES",
    "SERIES_LABELS",
    "SUMMARY_FIGURES",
    "alternative_rate_markdown",
    "availability_table",
    "backtest_text",
    "band_text",
    "bands_table",
    "break_even_table",
    "collateral_ceiling",
    "collateral_rules_table",
    "collateral_table",
    "comparison_cover_markdown",
    "comparison_simulation_note",
    "cover_markdown",
    "diva_rules_table",
    "divaecon_version",
    "eip7716_markdown",
    "executive_summary",
    "futures_comparison",
    "history_comparison",
    "history_comparison_markdown",
    "history_error_table",
    "history_errors_markdown",
    "history_points_table",
    "history_result",
    "history_sources_markdown",
    "history_summary_line",
    "history_summary_row",
    "indices_table",
    "key_figures_comparison",
    "key_figures_table",
    "like_for_like_markdown",
    "like_for_like_table",
    "node_uptime_basis",
    "parameter_differences",
    "peer_comparison",
    "peer_notes_markdown",
    "peer_risk_table",
    "peer_table_formatted",
    "peers_rules_table",
    "published_notes",
    "published_table",
    "quote_rows",
    "quote_text",
    "required_collateral_table",
    "reward_split_table",
    "risk_by_class_table",
    "risk_comparison",
    "risk_figures_table",
    "risk_frontier_table",
    "risk_text",
    "rule_set_scenario",
    "rule_sets_table",
    "rules_summary_row",
    "scenario_header",
    "scenario_inputs_markdown",
    "sensitivity_text",
    "show",
    "simulation_note",
    "simulation_summary_table",
    "simulation_summary_text",
    "stake_at_alternative_table",
    "staking_data_table",
    "tornado_table",
    "transition_table",
    "uptime_table",
]
