"""The network tab: the network's size against collateral (:class:`NetworkPanel`)."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter

from divaecon import figures, protocol
from divaecon import formatting as fmt
from divaecon.palette import DIVA_PURPLE
from divaecon.quote import Quote
from divaecon.widgets._base import SOURCE_STYLE, _Panel


class NetworkPanel(_Panel):
    """(c) divETH collateral locked against the number of Diva validators (log–log)."""

    def __init__(
        self,
        n_min: float,
        n_max: float,
        c_min: float,
        c_max: float,
        key_shares: int,
        committed_eth: float,
        reference_collateral: float,
        scenario_name: str,
    ) -> None:
        super().__init__()
        self.grid = np.geomspace(n_min, n_max, 60)
        self.key_shares = key_shares
        ax = self.ax = self.fig.add_axes((0.15, 0.15, 0.78, 0.72))
        self.fig.text(0.01, 0.965, "Collateral locked against network size", fontsize=10, fontweight="bold", va="top")
        self.fig.text(
            0.01,
            0.012,
            f"Source: divaecon.protocol.collateral_locked_eth, {key_shares} key "
            f"shares per validator; scenario '{scenario_name}'.",
            **SOURCE_STYLE,
        )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(n_min, n_max)
        ax.set_ylim(n_min * key_shares * c_min / 1.5, n_max * key_shares * c_max * 1.5)
        ref = np.asarray(protocol.collateral_locked_eth(self.grid, reference_collateral, key_shares))
        ax.plot(
            self.grid,
            ref,
            color="#999999",
            lw=1,
            ls="--",
            label=f"{reference_collateral:g} divETH per key share (Diva's default)",
        )
        if committed_eth > 0:
            ax.axhline(
                committed_eth,
                color="#2a9d55",
                lw=1,
                ls="-.",
                label=f"pre-launch commitment, {fmt.eth(committed_eth, unit='divETH')}",
            )
        (self.line,) = ax.plot(
            self.grid, np.zeros_like(self.grid), color=DIVA_PURPLE, lw=2, label="at the chosen collateral"
        )
        (self.marker,) = ax.plot([n_min], [1.0], "o", color=DIVA_PURPLE, ms=7, zorder=5)
        self.label = ax.text(n_min, 1.0, "", fontsize=8, color=DIVA_PURPLE, va="top", zorder=6)
        ax.set_xlabel("Diva validators", fontsize=9)
        ax.set_ylabel("collateral locked [divETH]", fontsize=9)
        comma = FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v >= 1 else f"{v:g}")
        ax.xaxis.set_major_formatter(comma)
        ax.yaxis.set_major_formatter(comma)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3, which="major")
        ax.legend(loc="upper left", fontsize=7.5, framealpha=0.9)
        self.moving = [self.line, self.marker, self.label]

    def update(self, q: Quote, collateral: float, validators: int) -> bytes:
        """The line through :func:`divaecon.protocol.collateral_locked_eth` and the current point."""
        self.line.set_ydata(np.asarray(protocol.collateral_locked_eth(self.grid, collateral, self.key_shares)))
        n = max(float(validators), float(self.grid[0]))
        locked = max(float(q.collateral_locked_eth), float(self.ax.get_ylim()[0]))
        self.marker.set_data([n], [locked])
        self.label.set_position((n, locked))
        self.label.set_text(figures.text("collateral_locked_eth", q.collateral_locked_eth) + "  ")
        self.label.set_horizontalalignment("right")
        return self.render("fixed")
