"""Matplotlib figures of the workbook: presentation only.

Every number comes from the model (:mod:`divaecon.quote`, :mod:`divaecon.ethereum`,
:mod:`divaecon.dvt`, :mod:`divaecon.protocol`, :mod:`divaecon.peers`, the simulation); this
module only lays it out. Each figure carries axis labels with units, the scenario's name in its
title and a source note at the bottom, and is returned (never shown) so notebooks, the
comparative report and tests can use it alike.

The figures are cut by topic, one module per chapter: :mod:`~divaecon.plotting.apr` (01),
:mod:`~divaecon.plotting.collateral` (02), :mod:`~divaecon.plotting.dvt` (03),
:mod:`~divaecon.plotting.peers` (04), :mod:`~divaecon.plotting.network` (05),
:mod:`~divaecon.plotting.risk` (06), :mod:`~divaecon.plotting.history` (07),
:mod:`~divaecon.plotting.rules` (08) and
:mod:`~divaecon.plotting.compare` (the comparative report); :mod:`~divaecon.plotting._base`
holds what they share (style, :func:`new_figure`, source lines, formatters). Every figure is
re-exported here: ``plotting.apr_vs_total_staked``.
"""

from __future__ import annotations

from divaecon.plotting._base import (  # noqa: F401 (re-exported)
    _FIGSIZE,
    _PCT,
    ETH_FORMATTER,
    LINESTYLES,
    SCENARIO_NAME_CHARS,
    SOURCE_CL,
    SOURCE_DATA,
    SOURCE_DIVA,
    SOURCE_DVT,
    SOURCE_PEERS,
    _eth_axis,
    _inline_svg,
    _peer_basis,
    _scenario_names,
    literal_legend,
    literal_text,
    new_figure,
    use_style,
)
from divaecon.plotting.apr import (
    apr_vs_total_staked,
    reward_split,
    staked_grid,
    uptime_effect,
)
from divaecon.plotting.collateral import (
    break_even,
    collateral_grid,
    operator_yield_heatmap,
    operator_yield_lines,
)
from divaecon.plotting.compare import (
    compare_availability,
    compare_growth,
    compare_operator_apr,
    scenario_colors,
)
from divaecon.plotting.dvt import (
    availability_vs_uptime,
    cluster_setups,
    rewards_lost,
)
from divaecon.plotting.history import (
    history_vs_model,
)
from divaecon.plotting.network import (  # noqa: F401 (re-exported)
    GROWTH_PANELS,
    _bands,
    _find_column,
    network_growth,
    realised_apy,
)
from divaecon.plotting.peers import (  # noqa: F401 (re-exported)
    _peer_color,
    capital_vs_operator_apr,
    peer_apr_bars,
)
from divaecon.plotting.risk import (  # noqa: F401 (re-exported)
    SOURCE_RISK,
    _log_pct_axis,
    collateral_both_sides,
    required_collateral_vs_rates,
    risk_frontier,
    risk_loss_distribution,
    risk_tornado,
)
from divaecon.plotting.rules import (
    SOURCE_RULES,
    eip8363_transition,
    yield_vs_stake_by_curve,
)
from divaecon.plotting.sensitivity import SOURCE_SENSITIVITY, sobol_indices_plot

__all__ = [
    "ETH_FORMATTER",
    "GROWTH_PANELS",
    "LINESTYLES",
    "SCENARIO_NAME_CHARS",
    "SOURCE_CL",
    "SOURCE_DATA",
    "SOURCE_DIVA",
    "SOURCE_DVT",
    "SOURCE_PEERS",
    "SOURCE_RISK",
    "SOURCE_RULES",
    "SOURCE_SENSITIVITY",
    "apr_vs_total_staked",
    "availability_vs_uptime",
    "break_even",
    "capital_vs_operator_apr",
    "cluster_setups",
    "collateral_both_sides",
    "collateral_grid",
    "compare_availability",
    "compare_growth",
    "compare_operator_apr",
    "eip8363_transition",
    "history_vs_model",
    "literal_legend",
    "literal_text",
    "network_growth",
    "new_figure",
    "operator_yield_heatmap",
    "operator_yield_lines",
    "peer_apr_bars",
    "realised_apy",
    "required_collateral_vs_rates",
    "reward_split",
    "rewards_lost",
    "risk_frontier",
    "risk_loss_distribution",
    "risk_tornado",
    "scenario_colors",
    "sobol_indices_plot",
    "staked_grid",
    "uptime_effect",
    "use_style",
    "yield_vs_stake_by_curve",
]
