"""What every figure of :mod:`divaecon.plotting` shares: the style, SVG in a notebook, the title
and source note of :func:`new_figure`, source lines, axis formatters and literal text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from divaecon.formatting import one_line
from divaecon.palette import NOTE_GREY
from divaecon.params import Scenario

SOURCE_CL = "consensus-specs specs/altair/beacon-chain.md"
SOURCE_DIVA = "Diva docs 21-economics.md, 40-staking-rewards.md"
SOURCE_DVT = "Diva docs 06-dvt.md; P(≥ t of n nodes up), beta-binomial"
SOURCE_PEERS = "peers' fees, bonds and node uptime: ASSUMPTIONS.md"


def _peer_basis(scenario: Scenario) -> str:
    """Which node uptime the peers run on, for a figure's source line."""
    if scenario.peers.same_node_uptime_for_all:
        return f"every set-up at Diva's node uptime, {100 * scenario.diva.operator_uptime:.1f} %"
    return "each set-up on nodes of its kind"


SOURCE_DATA = "data/staking_data_points.csv (a source per row)"

_PCT = PercentFormatter(xmax=1.0, decimals=1)
_FIGSIZE = (7.2, 3.9)


def use_style() -> None:
    """Figure defaults for notebooks and reports: legible at A4 width, crisp in PDF.

    In a notebook, figures are also shown as SVG with their text kept as text
    (``svg.fonttype: none``): vector in the PDF reports, with selectable words, and cheaper to
    draw than a 150 dpi PNG. Images inside a figure (a heatmap's cells) are rasterised at 200 dpi.
    """
    _inline_svg()
    plt.rcParams.update(
        {
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "figure.figsize": _FIGSIZE,
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "figure.facecolor": "white",
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 9,
            "axes.titlesize": 10,
            "legend.fontsize": 8,
            "legend.frameon": False,
        }
    )


def _inline_svg() -> None:
    """Show figures as SVG in a running IPython kernel (no-op elsewhere)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the kernel
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    # constrained layout already fits the figure ("tight" would draw every figure twice); raster
    # parts (a heatmap's cells) at 200 dpi stay above 150 dpi at A4 width
    set_matplotlib_formats("svg", bbox_inches=None, dpi=200)
    if "inline" in plt.get_backend():
        # pyplot's own after-cell hook draws every open figure with Agg, then the inline
        # backend's hook draws it again as SVG and closes it: the first drawing is thrown away
        # and cost half of a report's figure time. The inline hook alone still shows every
        # figure; `%matplotlib inline` (or any backend switch) puts pyplot's hook back.
        plt.uninstall_repl_displayhook()


def literal_text(text: Any) -> Any:
    """Show a Text (title, label, legend entry) exactly as given: no mathtext for ``$…$``.

    Scenario names and other strings a user typed pass through here; returns ``text``.
    """
    text.set_parse_math(False)
    return text


def literal_legend(ax: Any, **kwargs: Any) -> Any:
    """``ax.legend(**kwargs)`` whose entries and title are shown literally (see :func:`literal_text`)."""
    legend = ax.legend(**kwargs)
    for t in [*legend.get_texts(), legend.get_title()]:
        literal_text(t)
    return legend


SCENARIO_NAME_CHARS = 60
"""Longest scenario name (or list of names) a figure title shows; longer ones end in "…"."""


def _eth_axis(x: float, _pos: Any = None) -> str:
    if abs(x) >= 1e6:
        return f"{x / 1e6:,.0f}M" if x % 1e6 == 0 else f"{x / 1e6:,.1f}M"
    if abs(x) >= 1e3:
        return f"{x / 1e3:,.0f}k"
    return f"{x:,.4g}"


ETH_FORMATTER = FuncFormatter(_eth_axis)


def new_figure(
    title: str,
    scenario_name: str,
    source: str,
    ncols: int = 1,
    nrows: int = 1,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> tuple[Figure, Any]:
    """A figure with a title naming the scenario and a source note under the axes."""
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or _FIGSIZE, layout="constrained", **kwargs)
    label = "scenarios" if ", " in scenario_name else "scenario"
    shown = one_line(scenario_name, SCENARIO_NAME_CHARS)
    sep = "\n" if len(title) + len(shown) > 70 else " — "
    literal_text(fig.suptitle(f"{title}{sep}{label}: {shown}", fontsize=10.5, fontweight="bold"))
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.set(rect=(0.0, 0.055, 1.0, 0.945))
    fig.text(0.01, 0.012, f"Source: divaecon model; {source}", fontsize=6.8, color=NOTE_GREY, ha="left", va="bottom")
    return fig, axes


def _scenario_names(scenarios: Sequence[Scenario]) -> str:
    return ", ".join(s.name for s in scenarios)


LINESTYLES = ["-", "--", "-.", ":"]
