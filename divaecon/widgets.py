"""The interactive dashboard: drag a slider, watch Diva's key figures move against its peers and
the collateral's risk.

Presentation only: every callback builds a :class:`~divaecon.params.Scenario` with
:meth:`~divaecon.params.Scenario.override` and reads its numbers from
:func:`divaecon.quote.quote`, :func:`divaecon.quote.peer_table` and the pure functions of
:mod:`divaecon.protocol`; labels and formats of the key figures come from
:mod:`divaecon.figures`, colours from :mod:`divaecon.palette`. This module adds no model
maths, only unit scaling for the sliders (million ETH, whole validators) and drawing.

Three ways in:

- ``Dashboard(scenario)`` / :func:`dashboard` in a notebook (``notebooks/00_explore.ipynb``);
- ``divaecon app`` (:mod:`divaecon.app`), which serves that notebook with Voilà;
- tests and benchmarks set ``dashboard.sliders[name].value`` and read ``figures_table``,
  ``images`` and ``figures`` without a browser (callbacks run synchronously).

The sliders sit in one column beside four tabs (:data:`TABS`: overview, peers, collateral
risk, network), so a moved slider's effect is in view without scrolling; only the tab in view
is redrawn at once, the others when they are opened. The collateral-risk tab's numbers come
from the closed forms of :mod:`divaecon.risk` (exact, so a slider move carries no Monte Carlo
noise).

Figures are PNG bytes in :class:`ipywidgets.Image` widgets, replaced in place on each change:
no output area, so nothing flickers or piles up. Each figure keeps its matplotlib artists and a
cached bitmap of its static part (axes, ticks, labels) and only redraws the moving artists
(blitting); the full figure is drawn again only when its axis limits change bucket.
"""

from __future__ import annotations

import contextlib
import html
import io
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter
from PIL import Image

from divaecon import figures, protocol
from divaecon import formatting as fmt
from divaecon.errors import DivaeconError
from divaecon.palette import COLORS, DIVA_PURPLE, FAILED_RED, NOTE_GREY
from divaecon.params import DivaParams, Scenario, load_scenario
from divaecon.quote import Quote, operator_apr_assigned_at, peer_table, quote
from divaecon.tables import quote_rows

__all__ = [
    "KEY_FIGURES",
    "RISK_READOUTS",
    "SLIDERS",
    "TABS",
    "Dashboard",
    "SliderSpec",
    "dashboard",
]

DPI = 100
"""Resolution of the dashboard's figures [dots per inch]."""

# ---------------------------------------------------------------------------------------------
# Sliders
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SliderSpec:
    """One slider: the scenario field it drives, its range and how it shows its value.

    The slider shows ``scenario value / scale`` (``scale = 1e6`` shows ETH as million ETH);
    ``integer`` rounds to a whole number before the scenario sees it; ``log`` makes a
    base-10 logarithmic slider whose ``min``/``max`` are the values themselves.
    """

    field: str
    label: str
    min: float
    max: float
    step: float
    readout_format: str
    scale: float = 1.0
    log: bool = False
    integer: bool = False
    tooltip: str = ""

    def to_scenario(self, shown: float) -> float | int:
        """The scenario value for a slider value."""
        value = float(shown) * self.scale
        return round(value) if self.integer else value

    def to_slider(self, value: float) -> float:
        """The slider value for a scenario value."""
        return float(value) / self.scale


SLIDERS: tuple[SliderSpec, ...] = (
    SliderSpec(
        "collateral_per_key_share_eth",
        "Collateral per key share [divETH]",
        0.05,
        2.0,
        0.05,
        ".2f",
        tooltip="divETH an operator locks per key share (Diva today: 1)",
    ),
    SliderSpec(
        "network_validators",
        "Diva validators (network size)",
        10,
        100_000,
        0.02,
        ",.0f",
        log=True,
        integer=True,
        tooltip="Number of Diva validators, logarithmic",
    ),
    SliderSpec(
        "total_staked_eth",
        "ETH staked on Ethereum [million ETH]",
        5.0,
        60.0,
        0.25,
        ".2f",
        scale=1e6,
        tooltip="Total active stake of the beacon chain",
    ),
    SliderSpec("operator_uptime", "Operator uptime", 0.80, 1.0, 0.005, ".1%", tooltip="Uptime of each operator's node"),
    SliderSpec(
        "failure_correlation",
        "Failure correlation",
        0.0,
        1.0,
        0.01,
        ".2f",
        tooltip="Correlation of operators' outages (0: independent)",
    ),
    SliderSpec(
        "el_reward_per_block_eth",
        "Execution reward [ETH/block]",
        0.0,
        0.2,
        0.0025,
        ".4f",
        tooltip="Priority fees + MEV per proposed block",
    ),
    SliderSpec(
        "operator_fee",
        "Operator fee [share of rewards]",
        0.0,
        0.30,
        0.005,
        ".1%",
        tooltip="Share of all rewards paid to operators",
    ),
    SliderSpec("eth_price_usd", "ETH price [USD]", 250.0, 10_000.0, 50.0, ",.0f"),
    SliderSpec(
        "hardware_cost_usd",
        "Node hardware [USD]",
        0.0,
        5_000.0,
        100.0,
        ",.0f",
        tooltip="Written off over the scenario's hardware lifetime",
    ),
    SliderSpec("running_cost_usd_per_month", "Node running cost [USD/month]", 0.0, 500.0, 5.0, ",.0f"),
)

SLIDER_BY_FIELD: dict[str, SliderSpec] = {s.field: s for s in SLIDERS}


def _scenario_value(scenario: Scenario, field: str) -> float:
    for section in (scenario.ethereum, scenario.diva, scenario.costs):
        if field in type(section).model_fields:
            return float(getattr(section, field))
    raise KeyError(field)  # pragma: no cover - SLIDERS names only these sections' fields


def _make_slider(spec: SliderSpec, scenario_value: float) -> W.FloatSlider | W.FloatLogSlider:
    shown = spec.to_slider(scenario_value)
    common: dict[str, Any] = {
        "description": spec.label,
        "description_allow_html": False,
        "continuous_update": False,  # one update when the handle is released, not dozens
        "readout_format": spec.readout_format,
        "tooltip": spec.tooltip or spec.label,
        "style": {"description_width": "250px"},
        "layout": W.Layout(width="560px"),
    }
    slider: W.FloatSlider | W.FloatLogSlider
    if spec.log:
        lo, hi = math.log10(spec.min), math.log10(spec.max)
        shown = min(max(shown, spec.min), spec.max)  # a log slider cannot show 0
        slider = W.FloatLogSlider(value=shown, base=10.0, min=lo, max=hi, step=spec.step, **common)
    else:
        slider = W.FloatSlider(
            value=shown, min=min(spec.min, shown), max=max(spec.max, shown), step=spec.step, **common
        )
    slider.add_class("divaecon-slider")
    slider.add_class(f"divaecon-slider-{spec.field}")
    return slider


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


# ---------------------------------------------------------------------------------------------
# Figures: matplotlib without pyplot, blitted, encoded to PNG bytes
# ---------------------------------------------------------------------------------------------

_NICE = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
SOURCE_STYLE: dict[str, Any] = {"fontsize": 7, "color": NOTE_GREY}
PNG_COMPRESS_LEVEL = 1
"""zlib level of the figures' PNGs: 1 is the fastest that still compresses these mostly white
figures to about 40 KB (level 6, Pillow's default, costs more time for a few per cent)."""


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k that is ≥ ``x`` (axis-limit buckets)."""
    if not math.isfinite(x) or x <= 0:
        return 1.0
    exp = math.floor(math.log10(x))
    for m in _NICE:
        top = m * 10.0**exp
        if top >= x * (1 - 1e-12):
            return top
    return 10.0 ** (exp + 1)  # pragma: no cover - _NICE ends at 10


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as an RGB PNG, encoded by Pillow at :data:`PNG_COMPRESS_LEVEL`."""
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombytes("RGB", (width, height), canvas.buffer_rgba(), "raw", "RGBX")  # drops alpha
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()


class _Panel:
    """A figure with static artists (cached as a bitmap per layout) and moving ones."""

    figsize: tuple[float, float] = (5.6, 3.6)

    def __init__(self) -> None:
        self.fig = Figure(figsize=self.figsize, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.moving: list[Artist] = []
        self._backgrounds: dict[Any, Any] = {}
        self._layout: Any = None
        self.full_draws = 0
        self.png = b""

    def set_layout(self, layout: Any) -> None:
        """Apply a layout key (axis limits); subclasses set limits from it."""

    def render(self, layout: Any) -> bytes:
        """Draw the figure (blitting when the layout is unchanged) and return PNG bytes."""
        if layout != self._layout:
            self.set_layout(layout)
            self._layout = layout
        background = self._backgrounds.get(layout)
        if background is None:
            for artist in self.moving:
                artist.set_visible(False)
            self.canvas.draw()
            self.full_draws += 1
            background = self.canvas.copy_from_bbox(self.fig.bbox)
            if len(self._backgrounds) >= 12:
                self._backgrounds.pop(next(iter(self._backgrounds)))
            self._backgrounds[layout] = background
            for artist in self.moving:
                artist.set_visible(True)
        else:
            self.canvas.restore_region(background)
        renderer = self.canvas.get_renderer()
        for artist in sorted(self.moving, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                artist.draw(renderer)
        self.png = png_bytes(self.canvas)
        return self.png

    def invalidate(self) -> None:
        """Forget the cached backgrounds (after a static artist changed)."""
        self._backgrounds.clear()
        self._layout = None


def _pct_axis(ax: Any, axis: str = "y") -> None:
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0, decimals=None))


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


# ---------------------------------------------------------------------------------------------
# The dashboard
# ---------------------------------------------------------------------------------------------


TABS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("overview", "Overview", ("collateral",)),
    ("peers", "Peers", ("peers",)),
    ("risk", "Collateral risk", ("risk", "risk_table")),
    ("network", "Network", ("network",)),
)
"""The dashboard's tabs: key, title, and the outputs each shows (figures by panel name; the
key-figures table sits in the overview, the risk readouts in the collateral-risk tab)."""


class Dashboard:
    """Sliders for a scenario's main drivers beside tabs of live figures and tables.

    The sliders stay in one column at the left; the tabs beside them are the overview (key
    figures and the operator APR against collateral), the peers, the collateral risk (both
    sides of the collateral slider and the risk readouts) and the network. A moved slider
    recomputes the model at once and redraws the figures of the tab in view; the other tabs'
    figures are redrawn when they are opened (:meth:`select`).

    Parameters
    ----------
    scenario
        The starting scenario (default: the embedded base scenario). Sliders start at its
        values; fields without a slider keep its values throughout.

    Attributes
    ----------
    sliders : dict[str, ipywidgets.FloatSlider | ipywidgets.FloatLogSlider]
        One slider per :data:`SLIDERS` entry, keyed by the scenario field it drives.
    tabs : ipywidgets.Tab
        The tabs of :data:`TABS`.
    figures_table : ipywidgets.HTML
        The key figures (:func:`key_figures_html`); value cells carry ``data-key``.
    risk_table : ipywidgets.HTML
        The collateral-risk readouts (:func:`risk_figures_html`); value cells carry ``data-key``.
    images : dict[str, ipywidgets.Image]
        ``"peers"``, ``"collateral"``, ``"risk"``, ``"network"``: the figures as PNG.
    scenario, figures, peers
        The scenario shown, its :func:`~divaecon.quote.quote` and
        :func:`~divaecon.quote.peer_table`.
    last_update_s : float
        Wall time of the last update (model + redraw of the tab in view) [s].
    """

    def __init__(self, scenario: Scenario | None = None) -> None:
        self.base = scenario if scenario is not None else Scenario()
        self.sliders: dict[str, W.FloatSlider | W.FloatLogSlider] = {
            spec.field: _make_slider(spec, _scenario_value(self.base, spec.field)) for spec in SLIDERS
        }
        self.figures_table = W.HTML(layout=W.Layout(margin="0 0 6px 0"))
        self.figures_table.add_class("divaecon-key-figures")
        self.risk_table = W.HTML(layout=W.Layout(margin="0 0 6px 0"))
        self.risk_table.add_class("divaecon-risk-figures")
        self.status = W.HTML()
        self.status.add_class("divaecon-status")
        self.reset_button = W.Button(description="Reset to scenario", icon="undo", layout=W.Layout(width="180px"))
        self.reset_button.on_click(lambda _b: self.reset())
        self.same_uptime = W.Checkbox(
            value=self.base.peers.same_node_uptime_for_all,
            description="Same node uptime for all set-ups",
            indent=False,
            tooltip="Run every peer on Diva's node uptime (like for like) instead of its own nodes' uptime",
        )
        self.same_uptime.add_class("divaecon-same-uptime")
        self.peer_notes = W.HTML()
        self.peer_notes.add_class("divaecon-peer-notes")
        img_layout = {"max_width": "100%", "height": "auto", "margin": "4px"}
        self.images: dict[str, W.Image] = {
            name: W.Image(format="png", layout=W.Layout(**img_layout))
            for name in ("peers", "collateral", "risk", "network")
        }
        for name, image in self.images.items():
            image.add_class(f"divaecon-figure-{name}")

        n_spec = SLIDER_BY_FIELD["network_validators"]
        c_slider = self.sliders["collateral_per_key_share_eth"]
        name = self.base.name
        self.panels: dict[str, Any] = {
            "peers": PeersPanel(name),
            "collateral": CollateralPanel(float(c_slider.min), float(c_slider.max), name),
            "risk": RiskPanel(float(c_slider.min), float(c_slider.max), name),
            "network": NetworkPanel(
                n_spec.min,
                n_spec.max,
                float(c_slider.min),
                float(c_slider.max),
                self.base.diva.key_shares_per_validator,
                self.base.simulation.initial_collateral_eth,
                DivaParams.model_fields["collateral_per_key_share_eth"].default,
                name,
            ),
        }
        self._drawn: dict[str, Any] = {}
        self._pending: dict[str, tuple[Any, Callable[[], None]]] = {}
        self._required: tuple[Any, dict[str, Any]] | None = None
        self._risk_here: tuple[Any, dict[str, Any]] | None = None
        self._curve: tuple[Any, dict[str, Any]] | None = None
        self._suspended = False
        self.scenario = self.base
        self.figures: Quote | None = None
        self.peers = pd.DataFrame()
        self.last_update_s = 0.0
        self.updates = 0

        title = W.HTML(
            "<div style='color:#555'>Drag a slider (or focus its handle and use the arrow keys): the "
            "tab in view follows. Scenario "
            f"<b>{html.escape(self.base.name)}</b>"
            + (f" — {html.escape(self.base.description.rstrip('.'))}" if self.base.description else "")
            + ".</div>"
        )
        controls = W.VBox(
            [*self.sliders.values(), self.same_uptime, W.HBox([self.reset_button, self.status])],
            layout=W.Layout(flex="0 0 auto"),
        )
        contents = {
            "overview": W.VBox([self.figures_table, self.images["collateral"]]),
            "peers": W.VBox([self.images["peers"], self.peer_notes]),
            "risk": W.VBox([self.risk_table, self.images["risk"]]),
            "network": W.VBox([self.images["network"]]),
        }
        self.tabs = W.Tab(
            children=[contents[key] for key, _t, _o in TABS],
            titles=[t for _k, t, _o in TABS],
            layout=W.Layout(flex="1 1 600px", min_width="560px"),
        )
        self.tabs.add_class("divaecon-tabs")
        self.widget = W.VBox(
            [title, W.HBox([controls, self.tabs], layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))]
        )
        self.widget.add_class("divaecon-dashboard")

        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.same_uptime.observe(self._on_change, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.update(every_tab=True)

    # -- state -----------------------------------------------------------------------------

    def slider_values(self) -> dict[str, float | int]:
        """Scenario field → value, as the sliders stand (after unit scaling)."""
        return {f: SLIDER_BY_FIELD[f].to_scenario(s.value) for f, s in self.sliders.items()}

    def scenario_from_sliders(self) -> Scenario:
        """The base scenario with the sliders' values (and the like-for-like box), validated."""
        return self.base.override(**self.slider_values(), same_node_uptime_for_all=bool(self.same_uptime.value))

    # -- updates ---------------------------------------------------------------------------

    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self._suspended:
            self.update()

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Change several sliders with one update at the end."""
        self._suspended = True
        try:
            yield
        finally:
            self._suspended = False
        self.update()

    def reset(self) -> None:
        """Put every slider back to the starting scenario."""
        with self.hold():
            for spec in SLIDERS:
                slider = self.sliders[spec.field]
                slider.value = spec.to_slider(_scenario_value(self.base, spec.field))
            self.same_uptime.value = self.base.peers.same_node_uptime_for_all

    def update(self, every_tab: bool = False) -> None:
        """Recompute the scenario's figures; redraw what changed in the tab in view (or in
        every tab)."""
        t0 = time.perf_counter()
        try:
            scenario = self.scenario_from_sliders()
        except DivaeconError as exc:
            self.status.value = f"<span style='color:{FAILED_RED}'>{html.escape(str(exc))}</span>"
            return
        q = quote(scenario)
        table = peer_table(scenario, q)
        self.scenario, self.figures, self.peers = scenario, q, table
        self.figures_table.value = key_figures_html(q)

        d = scenario.diva
        c = d.collateral_per_key_share_eth
        like = scenario.peers.same_node_uptime_for_all
        self._redraw(
            "peers",
            (table[["staker_apr", "operator_apr"]].to_numpy(dtype=float).tobytes(), like),
            lambda: self.panels["peers"].update(table, like),
        )
        self.peer_notes.value = peer_notes_html(table)
        self._redraw(
            "collateral",
            (
                q.staker_apr,
                q.operator_reward_per_key_share_eth_per_year,
                q.collateral_penalty_per_key_share_eth_per_year,
                c,
            ),
            lambda: self.panels["collateral"].update(q, c),
        )
        self._redraw(
            "network", (c, d.network_validators), lambda: self.panels["network"].update(q, c, d.network_validators)
        )
        # The risk side depends on the rewards (through the quote) and on the risk section.
        risk_key = (
            q.staker_apr,
            q.gross_apr,
            q.operator_reward_per_key_share_eth_per_year,
            q.collateral_penalty_per_key_share_eth_per_year,
            c,
            scenario.risk,
            scenario.ethereum,
            d.operator_fee,
            d.treasury_fee,
            d.insurance_fee,
            d.key_shares_per_validator,
            d.threshold,
            d.validator_stake_eth,
        )
        self._redraw("risk", risk_key, lambda: self._draw_risk(scenario, q))
        self._redraw("risk_table", risk_key, lambda: self._fill_risk_table(scenario, q))
        self._flush(every_tab)
        self.last_update_s = time.perf_counter() - t0
        self.updates += 1
        self.status.value = (
            f"<span style='color:#777;font-size:12px'>updated in {1e3 * self.last_update_s:.0f} ms</span>"
        )

    def _risk_state(self, scenario: Scenario, q: Quote) -> dict[str, Any]:
        """What the collateral-risk tab shows: the curves over the panel's grid and the collateral
        each target needs (both independent of the collateral chosen, so kept while only the
        collateral moves) and the figures at the chosen collateral."""
        from divaecon.risk import closed_form, risk_model
        from divaecon.risk.yields import yield_arrays

        model = risk_model(scenario, q)
        c = scenario.diva.collateral_per_key_share_eth
        r = scenario.risk
        d = scenario.diva
        # the collateral the targets need depends on the events only; the curves on the rewards too
        model_key = (
            r,
            scenario.ethereum.total_staked_eth,
            d.key_shares_per_validator,
            d.threshold,
            d.validator_stake_eth,
        )
        curve_key = (
            model_key,
            q.gross_apr,
            q.staker_apr,
            q.operator_reward_per_key_share_eth_per_year,
            q.collateral_penalty_per_key_share_eth_per_year,
            d.operator_fee,
            d.treasury_fee,
            d.insurance_fee,
            d.buffered_fraction,
        )
        if self._required is None or self._required[0] != model_key:
            self._required = (
                model_key,
                {
                    "loss": closed_form.required_collateral(
                        model, target_loss_probability=r.target_loss_probability_per_year, rtol=closed_form.DISPLAY_RTOL
                    ),
                    "shortfall": closed_form.required_collateral(
                        model, target_shortfall_apr=r.target_shortfall_apr, rtol=closed_form.DISPLAY_RTOL
                    ),
                },
            )
        if self._curve is None or self._curve[0] != curve_key:
            self._curve = (curve_key, yield_arrays(scenario, model, self.panels["risk"].grid, q))
        if self._risk_here is None or self._risk_here[0] != (curve_key, c):
            here = {k: float(v[0]) for k, v in yield_arrays(scenario, model, [c], q).items()}
            here["shortfall_probability_per_validator_year"] = here["shortfall_probability"]
            self._risk_here = ((curve_key, c), here)
        return {**self._required[1], "curve": self._curve[1], "here": self._risk_here[1]}

    def _draw_risk(self, scenario: Scenario, q: Quote) -> None:
        state = self._risk_state(scenario, q)
        c = scenario.diva.collateral_per_key_share_eth
        self.images["risk"].value = self.panels["risk"].update(
            state["curve"], state["here"], c, {"P(loss) target": state["loss"], "shortfall target": state["shortfall"]}
        )

    def _fill_risk_table(self, scenario: Scenario, q: Quote) -> None:
        state = self._risk_state(scenario, q)
        here = state["here"]
        values = {
            key: float(here[key])
            for key in (
                "operator_apr_net",
                "staker_apr_net",
                "shortfall_apr",
                "shortfall_probability_per_validator_year",
            )
        }
        values["required_collateral_loss_probability_eth"] = state["loss"]
        values["required_collateral_shortfall_apr_eth"] = state["shortfall"]
        r = scenario.risk
        self.risk_table.value = risk_figures_html(
            values, {"loss": r.target_loss_probability_per_year, "shortfall": r.target_shortfall_apr}
        )

    def _redraw(self, name: str, data_key: Any, draw: Callable[[], Any]) -> None:
        """Queue output ``name`` for drawing unless it already shows ``data_key``."""
        if self._drawn.get(name) == data_key:
            self._pending.pop(name, None)
            return
        self._pending[name] = (data_key, draw)

    def _flush(self, every_tab: bool = False) -> None:
        """Draw the queued outputs of the tab in view (or of every tab)."""
        visible = set(TABS[self.tabs.selected_index or 0][2])
        for name in list(self._pending):
            if every_tab or name in visible:
                data_key, draw = self._pending.pop(name)
                result = draw()
                if isinstance(result, bytes):
                    self.images[name].value = result
                self._drawn[name] = data_key

    def _on_tab(self, _change: dict[str, Any]) -> None:
        self._flush()

    def select(self, tab: str) -> None:
        """Open a tab by key (``"overview"``, ``"peers"``, ``"risk"``, ``"network"``); its figures
        are brought up to date."""
        keys = [k for k, _t, _o in TABS]
        if tab not in keys:
            raise DivaeconError(f"tab {tab!r}: unknown; allowed: {', '.join(keys)}")
        self.tabs.selected_index = keys.index(tab)
        self._flush()

    # -- display ---------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


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


def dashboard(scenario: Scenario | str | os.PathLike[str] | None = None, **overrides: Any) -> Dashboard:
    """A :class:`Dashboard` for a scenario, a scenario file or the base scenario.

    ``overrides`` (plain or dotted field names) are applied first, e.g.
    ``dashboard(collateral_per_key_share_eth=0.5)``.
    """
    if scenario is None:
        base = Scenario()
    elif isinstance(scenario, Scenario):
        base = scenario
    else:
        base = load_scenario(scenario)
    if overrides:
        base = base.override(**overrides)
    return Dashboard(base)
