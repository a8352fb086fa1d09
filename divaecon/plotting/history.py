"""Figures of notebook 07: the model's staker APR against published history (the backtest)."""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from divaecon.backtest import BacktestResult
from divaecon.palette import COLORS, DIVA_PURPLE
from divaecon.plotting._base import _PCT, new_figure
from divaecon.tables.history import SERIES_LABELS, history_sources

# --- 07: model against history ----------------------------------------------------------------

IN_SAMPLE_LABEL = "published, in-sample (calibration)"
"""Legend entry of the points a default was calibrated to (left out of the error summary)."""

_PUBLISHED = COLORS["solo"]
_IN_SAMPLE = COLORS["rocketpool"]

_GAP = np.timedelta64(183, "D")
"""Longer than this between two points, the model's line is broken (no data between them)."""


def _with_gaps(dates: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``dates, values`` with a NaN point inside every gap longer than :data:`_GAP`."""
    if len(dates) < 2:
        return dates, values
    gaps = np.flatnonzero(np.diff(dates) > _GAP)
    mids = dates[gaps] + (dates[gaps + 1] - dates[gaps]) / 2
    return np.insert(dates, gaps + 1, mids), np.insert(values, gaps + 1, np.nan)


def history_vs_model(result: BacktestResult, scenario_name: str) -> Figure:
    """Predicted against published staker APR over time: one panel per series, dates on x.

    ``result`` is a :class:`divaecon.backtest.BacktestResult`. Published rates are points
    (hollow diamonds where the point is in-sample: a default was calibrated to it), the model's
    prediction from that date's inputs a line with small markers; each panel's title gives the
    series' out-of-sample mean absolute error. The source line names the published rates' and
    the inputs' sources (read from the data, so it follows them).
    """
    points = result.points
    series = [s for s in SERIES_LABELS if s != "all" and (points["series"] == s).any()]
    summary = result.summary.set_index("series")
    source = textwrap.wrap(history_sources(result, short=True), 136, initial_indent=" " * 24)
    height = 1.45 * max(1, len(series)) + 1.3
    fig, axes = new_figure(
        "Staker APR: the model against published rates",
        scenario_name,
        "\n".join(source).lstrip(),
        nrows=max(1, len(series)),
        figsize=(7.2, height),
        squeeze=False,
        sharex=True,
    )
    above_source = (0.1 + 0.118 * len(source)) / height  # the source lines' top [figure fraction]
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):  # room under the axes for the legend, above the source lines
        bottom = above_source + 0.26 / height
        engine.set(rect=(0.0, bottom, 1.0, 1.0 - bottom))  # left, bottom, width, height
    flat = list(axes.ravel())
    handles: dict[str, Any] = {}
    for ax, name in zip(flat, series, strict=True):
        rows = points[points["series"] == name]
        dates = rows["date"].to_numpy(dtype="datetime64[ns]")
        inside = (rows["sample"] == "in_sample").to_numpy()
        (line,) = ax.plot(
            *_with_gaps(dates, rows["predicted"].to_numpy(dtype=float)),
            color=DIVA_PURPLE,
            marker=".",
            markersize=4,
            linewidth=1.3,
            label="predicted (model, that date's inputs)",
        )
        handles.setdefault(line.get_label(), line)
        out = ax.scatter(
            dates[~inside],
            rows["published"].to_numpy(dtype=float)[~inside],
            s=18,
            color=_PUBLISHED,
            zorder=3,
            label="published, out-of-sample",
        )
        handles.setdefault(str(out.get_label()), out)
        if inside.any():
            ins = ax.scatter(
                dates[inside],
                rows["published"].to_numpy(dtype=float)[inside],
                s=30,
                marker="D",
                facecolors="none",
                edgecolors=_IN_SAMPLE,
                linewidths=1.1,
                zorder=3,
                label=IN_SAMPLE_LABEL,
            )
            handles.setdefault(IN_SAMPLE_LABEL, ins)
        s = summary.loc[name].to_dict()
        mae = "–" if np.isnan(s["mae"]) else f"{100 * s['mae']:.2f} pp"
        ax.set_title(
            f"{SERIES_LABELS[name]}: out-of-sample MAE {mae} over {int(s['n_out_of_sample'])} points",
            fontsize=9,
            loc="left",
        )
        ax.yaxis.set_major_formatter(_PCT)
        ax.set_ylabel("staker APR [% a year]")
        ax.margins(y=0.15)
    bottom = flat[len(series) - 1]
    bottom.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    bottom.set_xlabel("date of the published rate (end of its window) [YYYY-MM]")
    fig.legend(
        list(handles.values()),
        list(handles),
        loc="lower center",
        bbox_to_anchor=(0.5, above_source),
        ncols=3,
        fontsize=7.5,
    )
    return fig
