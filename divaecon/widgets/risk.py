"""The collateral-risk tab: both sides of the collateral (:class:`RiskPanel`) and the risk readouts."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
from matplotlib.ticker import FuncFormatter

from divaecon import figures
from divaecon.palette import COLORS, DIVA_PURPLE, NOTE_GREY
from divaecon.widgets._base import SOURCE_STYLE, _Panel, _pct_axis, nice_ceiling
from divaecon.widgets.overview import _TABLE_STYLE


class RiskPanel(_Panel):
    """(d) Both sides of the collateral slider: the operator's APR on collateral net of expected
    losses rises as collateral falls (left axis), and so does the stakers' expected shortfall
    (right axis, log scale); dashed lines mark the collateral each target needs."""

    figsize = (6.4, 4.0)
    SHORTFALL_FLOOR = 1e-8
    """Shortfall APRs below this (one part in 10⁸) are drawn at it: a log axis has no zero."""

    def __init__(self, c_min: float, c_max: float, scenario_name: str) -> None:
        super().__init__()
        self.grid = np.geomspace(c_min, c_max, 120)
        ax = self.ax = self.fig.add_axes((0.12, 0.14, 0.70, 0.72))
        ax2 = self.ax2 = ax.twinx()
        self.fig.text(
            0.01, 0.965, "Collateral per key share: yield up, risk up", fontsize=10, fontweight="bold", va="top"
        )
        self.fig.text(
            0.01,
            0.012,
            "Source: divaecon.risk (closed forms; event rates: ASSUMPTIONS.md, risk), "
            f"protocol.operator_apr_assigned; scenario '{scenario_name}'.",
            **SOURCE_STYLE,
        )
        zeros = np.zeros_like(self.grid)
        (self.gross,) = ax.plot(
            self.grid, zeros, color=COLORS["operator"], lw=1.0, ls="--", label="operator APR, no losses"
        )
        (self.net,) = ax.plot(
            self.grid, zeros, color=COLORS["operator"], lw=2, label="operator APR net of expected losses"
        )
        (self.short,) = ax2.plot(
            self.grid,
            np.full_like(self.grid, self.SHORTFALL_FLOOR),
            color=COLORS["staker"],
            lw=2,
            label="stakers' expected shortfall (right)",
        )
        self.vline = ax.axvline(1.0, color=DIVA_PURPLE, lw=1, ls=":")
        (self.marker_op,) = ax.plot([1.0], [0.0], "o", color=COLORS["operator"], ms=6, zorder=5)
        (self.marker_sh,) = ax2.plot([1.0], [self.SHORTFALL_FLOOR], "o", color=COLORS["staker"], ms=6, zorder=5)
        self.label = ax.text(1.0, 0.0, "", fontsize=8, color=DIVA_PURPLE, va="bottom", zorder=6)
        self.required = [ax.axvline(c_max, color=NOTE_GREY, lw=1, ls=ls) for ls in ("--", "-.")]
        self.required_text = ax.text(
            0.99,
            0.02,
            "grey: collateral each target needs (dashed: P(loss), dash-dot: shortfall; values in the table)",
            transform=ax.transAxes,
            fontsize=7,
            color=NOTE_GREY,
            ha="right",
            va="bottom",
            zorder=6,
        )
        ax.set_xscale("log")
        ax.set_xlim(c_min, c_max)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
        ax.set_xlabel("collateral per key share [divETH, log scale]", fontsize=9)
        ax.set_ylabel("operator APR on collateral [%/year]", fontsize=9, color=COLORS["operator"])
        ax2.set_yscale("log")
        ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{100 * v:.2g} %"))
        ax2.set_ylabel("stakers' expected shortfall [APR cost, log scale]", fontsize=8, color=COLORS["staker"])
        ax.tick_params(labelsize=8)
        ax2.tick_params(labelsize=8)
        _pct_axis(ax)
        ax.grid(alpha=0.3)
        ax.legend(handles=[self.net, self.gross, self.short], loc="upper right", fontsize=7.5, framealpha=0.9)
        self.moving = [
            self.gross,
            self.net,
            self.short,
            self.vline,
            self.marker_op,
            self.marker_sh,
            self.label,
            *self.required,
        ]

    def update(self, curve: Any, here: dict[str, float], collateral: float, required: dict[str, float]) -> bytes:
        """Curves from :func:`divaecon.risk.yields.yield_arrays` on the panel's grid, the point at the
        chosen collateral, and the collateral each target needs (``required``)."""
        floor = self.SHORTFALL_FLOOR
        short = np.maximum(np.asarray(curve["shortfall_apr"], dtype=float), floor)
        self.gross.set_ydata(np.asarray(curve["operator_apr"], dtype=float))
        self.net.set_ydata(np.asarray(curve["operator_apr_net"], dtype=float))
        self.short.set_ydata(short)
        self.vline.set_xdata([collateral, collateral])
        self.marker_op.set_data([collateral], [here["operator_apr_net"]])
        self.marker_sh.set_data([collateral], [max(here["shortfall_apr"], floor)])
        self.label.set_position((collateral, here["operator_apr_net"]))
        self.label.set_text(
            f"  operator {figures.text('operator_apr_net', here['operator_apr_net'])}; "
            f"stakers −{figures.text('shortfall_apr', here['shortfall_apr'])}/year  "
        )
        self.label.set_horizontalalignment("left" if collateral < math.sqrt(self.grid[0] * self.grid[-1]) else "right")
        # The collateral each target needs moves with the model (ETH staked, the event rates), so its
        # lines are moving artists: a new value costs a blit, not a full redraw. Their values are
        # in the table beside the figure; a value off the axis gets no line (NaN draws nothing).
        for line, value in zip(self.required, required.values(), strict=True):
            inside = math.isfinite(value) and self.grid[0] <= value <= self.grid[-1]
            line.set_xdata([value, value] if inside else [math.nan, math.nan])
        top = nice_ceiling(float(np.nanmax(curve["operator_apr"])) * 1.08)
        lo = 10.0 ** math.floor(math.log10(float(short.min())))
        hi = 10.0 ** math.ceil(math.log10(float(short.max()) * 1.5))
        return self.render((top, lo, max(hi, lo * 10)))

    def set_layout(self, layout: Any) -> None:
        top, lo, hi = layout
        self.ax.set_ylim(0, top)
        self.ax2.set_ylim(lo, hi)


RISK_READOUTS: tuple[str, ...] = (
    "operator_apr_net",
    "staker_apr_net",
    "shortfall_apr",
    "shortfall_probability_per_validator_year",
    "required_collateral_loss_probability_eth",
    "required_collateral_shortfall_apr_eth",
)
"""Rows of the collateral-risk table: keys of :data:`divaecon.figures.RISK_FIGURES`."""


def risk_figures_html(values: dict[str, float], targets: dict[str, float]) -> str:
    """The collateral-risk readouts; value cells carry ``data-key`` (closed forms, no Monte Carlo)."""
    loss_target = figures.text("shortfall_probability_per_validator_year", targets["loss"])
    shortfall_target = figures.text("shortfall_apr", targets["shortfall"])
    context = {
        "required_collateral_loss_probability_eth": f" (P(stakers lose) ≤ {loss_target})",
        "required_collateral_shortfall_apr_eth": f" (shortfall ≤ {shortfall_target})",
    }
    rows = "".join(
        f'<tr><th scope="row">{html.escape(f.label)}</th>'
        f'<td class="divaecon-value" id="divaecon-risk-{f.key}" data-key="{f.key}">'
        f"{html.escape(f.text(values[f.key]) + context.get(f.key, ''))}</td></tr>"
        for f in figures.select(RISK_READOUTS)
    )
    return (
        f'{_TABLE_STYLE}<div class="divaecon-kf"><table><caption>Collateral risk at this collateral</caption>'
        f"{rows}</table>"
        '<div class="divaecon-note">Per validator-year; exact expectations of <code>divaecon.risk</code> '
        "(its Monte Carlo: <code>divaecon risk</code>). Event rates: ASSUMPTIONS.md, risk section.</div></div>"
    )
