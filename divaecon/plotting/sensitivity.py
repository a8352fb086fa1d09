"""The global sensitivity figure: Sobol total and first-order indices with their intervals."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from divaecon.palette import COLORS
from divaecon.plotting._base import new_figure

SOURCE_SENSITIVITY = "divaecon.sensitivity (SALib: Saltelli sampling, Sobol indices); spreads: ASSUMPTIONS.md"


def sobol_indices_plot(result: Any, output: str, top: int = 12) -> Figure:
    """Total (``ST``) and first-order (``S1``) Sobol indices of one output, the ``top`` inputs by
    ``ST``, each with its 95 % bootstrap interval (:func:`divaecon.sensitivity.sensitivity`)."""
    from divaecon.sensitivity import OUTPUTS

    df = result.indices[result.indices["output"] == output].sort_values("ST", ascending=False, kind="stable")
    t = df.head(top).iloc[::-1]
    fig, ax = new_figure(
        f"Which assumptions matter: {OUTPUTS[output].label.lower()}",
        f"{result.scenario}; Sobol, {result.samples:,} base samples, seed {result.seed}",
        SOURCE_SENSITIVITY,
        figsize=(7.2, 0.32 * max(len(t), 4) + 1.5),
    )
    y = np.arange(len(t))
    ax.barh(y + 0.18, t["ST"], height=0.36, xerr=t["ST_conf"], color=COLORS["operator"], label="total (ST)")
    ax.barh(y - 0.18, t["S1"], height=0.36, xerr=t["S1_conf"], color=COLORS["staker"], label="first-order (S1)")
    ax.set_yticks(y, [str(n).replace("_", " ") for n in t["input"]], fontsize=7)
    ax.set_xlabel("share of the variance [fraction; bars: 95 % interval]")
    ax.axvline(0.0, color="black", lw=0.8)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=7)
    return fig
