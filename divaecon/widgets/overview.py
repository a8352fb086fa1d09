"""The overview tab: the key-figures table and the operator APR against collateral
(:class:`CollateralPanel`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np

from divaecon import figures, protocol
from divaecon.palette import COLORS, DIVA_PURPLE, NOTE_GREY
from divaecon.quote import Quote, operator_apr_assigned_at
from divaecon.tables import quote_rows
from divaecon.widgets._base import SOURCE_STYLE, _Panel, _pct_axis, nice_ceiling

# ---------------------------------------------------------------------------------------------
# Key figures table
# ---------------------------------------------------------------------------------------------


KEY_FIGURES: tuple[str, ...] = (
    "staker_apr",
    "staker_apr_growing",
    "operator_apr_queued",
    "operator_apr_assigned",
    "operator_reward_per_key_share_eth_per_year",
    "collateral_locked_eth",
    "validator_availability",
    "break_even_key_shares",
    "activation_wait_days",
    "gross_apr",
)
"""Rows of the key-figures table: keys of :data:`divaecon.figures.FIGURES`, whose labels and
formats the table shows."""

_CONTEXT: dict[str, Callable[[Quote], str]] = {
    "collateral_locked_eth": lambda q: f" ({figures.text('collateral_ratio', q.collateral_ratio)} of stake)",
    "break_even_key_shares": lambda q: (
        f" (node cost {figures.text('operator_cost_usd_per_year', q.operator_cost_usd_per_year)})"
    ),
}
"""A related figure shown after a row's value, in brackets."""

_TABLE_STYLE = """<style>
.divaecon-kf table {border-collapse: collapse; font-size: 14px; min-width: 430px;}
.divaecon-kf td, .divaecon-kf th {padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left;}
.divaecon-kf td.divaecon-value {text-align: right; font-variant-numeric: tabular-nums; font-weight: 600;}
.divaecon-kf caption {text-align: left; font-weight: 600; padding-bottom: 4px;}
.divaecon-kf .divaecon-note {color: #666; font-size: 12px; padding-top: 4px;}
</style>"""


def key_figures_html(q: Quote, caption: str = "Key figures") -> str:
    """The key-figures table; each value cell carries ``data-key`` = its :class:`~divaecon.quote.Quote` field."""
    rows = "".join(
        f'<tr><th scope="row">{html.escape(f.label)}</th>'
        f'<td class="divaecon-value" id="divaecon-{f.key}" data-key="{f.key}">'
        f"{html.escape(value + _CONTEXT.get(f.key, _no_context)(q))}</td></tr>"
        for f, value in quote_rows(q, KEY_FIGURES)
    )
    return (
        f'{_TABLE_STYLE}<div class="divaecon-kf"><table><caption>{html.escape(caption)}</caption>'
        f"{rows}</table>"
        '<div class="divaecon-note">Rates are simple APRs (fractions per year shown in %). '
        "Numbers from <code>divaecon.quote</code>; sources and defaults in ASSUMPTIONS.md.</div></div>"
    )


def _no_context(_q: Quote) -> str:
    return ""


class CollateralPanel(_Panel):
    """(b) Operator APR (queued, assigned) and reward per key share against the collateral."""

    def __init__(self, c_min: float, c_max: float, scenario_name: str) -> None:
        super().__init__()
        self.grid = np.linspace(c_min, c_max, 160)
        ax = self.ax = self.fig.add_axes((0.13, 0.15, 0.72, 0.72))
        ax2 = self.ax2 = ax.twinx()
        self.fig.text(
            0.01,
            0.965,
            "Operator APR on collateral against collateral per key share",
            fontsize=10,
            fontweight="bold",
            va="top",
        )
        self.fig.text(
            0.01,
            0.012,
            f"Source: divaecon.quote, protocol.operator_apr_assigned (scenario '{scenario_name}'); Diva docs.",
            **SOURCE_STYLE,
        )
        (self.assigned,) = ax.plot(
            self.grid, np.zeros_like(self.grid), color=COLORS["operator"], lw=2, label="operator APR, assigned"
        )
        (self.queued,) = ax.plot(
            self.grid[[0, -1]], [0.0, 0.0], color=COLORS["staker"], lw=1.5, label="operator APR, queued (= staker APR)"
        )
        (self.reward,) = ax2.plot(
            self.grid[[0, -1]], [0.0, 0.0], color=NOTE_GREY, lw=1.2, ls="--", label="reward per key share (right axis)"
        )
        self.vline = ax.axvline(1.0, color=DIVA_PURPLE, lw=1, ls=":")
        (self.marker,) = ax.plot([1.0], [0.0], "o", color=DIVA_PURPLE, ms=7, zorder=5)
        self.label = ax.text(1.0, 0.0, "", fontsize=8, color=DIVA_PURPLE, va="bottom", zorder=6)
        ax.set_xlim(0, c_max * 1.02)
        ax.set_xlabel("collateral per key share [divETH]", fontsize=9)
        ax.set_ylabel("APR on collateral [% per year]", fontsize=9)
        ax2.set_ylabel("operator reward per key share [ETH/year]", fontsize=8, color=NOTE_GREY)
        ax.tick_params(labelsize=8)
        ax2.tick_params(labelsize=8, colors=NOTE_GREY)
        _pct_axis(ax)
        ax.grid(alpha=0.3)
        handles = [self.assigned, self.queued, self.reward]
        ax.legend(handles=handles, loc="upper right", fontsize=7.5, framealpha=0.9)
        self.moving = [self.assigned, self.queued, self.reward, self.vline, self.marker, self.label]

    def update(self, q: Quote, collateral: float) -> bytes:
        """Curves through :func:`divaecon.protocol.operator_apr_assigned` for the quote's rates."""
        assigned = np.asarray(operator_apr_assigned_at(q, self.grid), dtype=float)
        queued = float(protocol.operator_apr_queued(q.staker_apr))
        reward = float(q.operator_reward_per_key_share_eth_per_year)
        self.assigned.set_ydata(assigned)
        self.queued.set_ydata([queued, queued])
        self.reward.set_ydata([reward, reward])
        self.vline.set_xdata([collateral, collateral])
        self.marker.set_data([collateral], [q.operator_apr_assigned])
        self.label.set_position((collateral, q.operator_apr_assigned))
        self.label.set_text(f"  {figures.text('operator_apr_assigned', q.operator_apr_assigned)}  ")
        self.label.set_horizontalalignment("left" if collateral < 0.6 * self.grid[-1] else "right")
        return self.render(nice_ceiling(float(np.nanmax(assigned)) * 1.08))

    def set_layout(self, layout: Any) -> None:
        # The right axis follows the left one (one layout key, fewer full draws): the APR's
        # top at the smallest collateral is about reward / c_min, so a right-axis top of
        # 2 · c_min · (left top) puts the reward line in the lower half of the figure.
        self.ax.set_ylim(0, layout)
        self.ax2.set_ylim(0, 2.0 * self.grid[0] * layout)
