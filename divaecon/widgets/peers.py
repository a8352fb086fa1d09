"""The peers tab: Diva against its peers (:class:`PeersPanel`) and the notes on published figures."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from divaecon.palette import COLORS, DIVA_PURPLE, NOTE_GREY
from divaecon.widgets._base import SOURCE_STYLE, _Panel, _pct_axis, nice_ceiling


class PeersPanel(_Panel):
    """(a) Staker APR and operator APR of Diva and each peer, as horizontal bars."""

    figsize = (6.4, 4.6)

    def __init__(self, scenario_name: str) -> None:
        super().__init__()
        self.ax = self.fig.add_axes((0.34, 0.11, 0.62, 0.75))
        self.names: tuple[str, ...] = ()
        self.staker_bars: list[Any] = []
        self.operator_bars: list[Any] = []
        self.fig.text(
            0.01,
            0.965,
            "Diva and its peers: APR for stakers and for operators' own capital",
            fontsize=10,
            fontweight="bold",
            va="top",
        )
        self.scenario_name = scenario_name
        self.like_for_like: bool | None = None
        self.source = self.fig.text(0.01, 0.012, "", **SOURCE_STYLE)

    def _build(self, names: Sequence[str]) -> None:
        ax = self.ax
        ax.clear()
        self.names = tuple(names)
        y = np.arange(len(names))[::-1].astype(float)
        h = 0.38
        self.staker_bars = list(ax.barh(y + h / 2, np.zeros(len(y)), h, color=COLORS["staker"], label="staker APR"))
        self.operator_bars = list(
            ax.barh(y - h / 2, np.zeros(len(y)), h, color=COLORS["operator"], label="operator APR on own capital")
        )
        ax.set_yticks(y, [str(n) for n in names], fontsize=8)
        ax.set_ylim(-0.7, len(names) - 0.3)
        ax.axhspan(y[0] - 0.5, y[0] + 0.5, color=DIVA_PURPLE, alpha=0.08, zorder=0)
        ax.get_yticklabels()[0].set_fontweight("bold")
        ax.get_yticklabels()[0].set_color(DIVA_PURPLE)
        ax.set_xlabel("APR [% per year]", fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        _pct_axis(ax, "x")
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
        ax.legend(loc="lower left", bbox_to_anchor=(-0.02, 1.0), ncol=2, fontsize=8, frameon=False)
        self.moving = [*self.staker_bars, *self.operator_bars]
        self.invalidate()

    def update(self, table: pd.DataFrame, like_for_like: bool = False) -> bytes:
        """Set the bars from :func:`~divaecon.quote.peer_table` (Diva first) and render.

        ``like_for_like``: every set-up runs on Diva's node uptime (the source line says so).
        """
        names = tuple(str(n) for n in table["name"])
        if names != self.names:
            self._build(names)
        if like_for_like != self.like_for_like:
            self.like_for_like = like_for_like
            nodes = (
                "every set-up on Diva's node uptime (like for like)"
                if like_for_like
                else "each set-up on nodes of its kind"
            )
            self.source.set_text(
                f"Source: divaecon.quote.peer_table, scenario '{self.scenario_name}'; "
                f"{nodes}. No orange bar: operators post no ETH."
            )
            self.invalidate()
        staker = table["staker_apr"].to_numpy(dtype=float)
        operator = table["operator_apr"].to_numpy(dtype=float)
        for bar, v in zip(self.staker_bars, staker, strict=True):
            bar.set_width(v if math.isfinite(v) else 0.0)
        for bar, v in zip(self.operator_bars, operator, strict=True):
            bar.set_width(v if math.isfinite(v) else 0.0)
            bar.set_visible(bool(math.isfinite(v)))
        top = nice_ceiling(1.12 * float(np.nanmax(np.concatenate([staker, operator]))))
        return self.render(top)

    def set_layout(self, layout: Any) -> None:
        self.ax.set_xlim(0, layout)


def peer_notes_html(table: pd.DataFrame) -> str:
    """The peer table's comparisons with published figures, one line per set-up that has one.

    So the dashboard never shows a peer's APR that contradicts its published figure without
    saying why (:func:`divaecon.peers.published_note`).
    """
    rows = [
        (str(n), str(v))
        for n, v in zip(table["name"], table["vs_published"], strict=True)
        if v and not str(n).startswith("Diva")
    ]
    if not rows:
        return ""
    items = "".join(f"<li><b>{html.escape(n)}</b>: {html.escape(v)}</li>" for n, v in rows)
    return (
        f"<div style='color:{NOTE_GREY};font-size:12px'>Staker APR against the published figure:"
        f"<ul style='margin:2px 0'>{items}</ul></div>"
    )
