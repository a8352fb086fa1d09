"""Notebook display shared by every table: the scenario's header line and :func:`show`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from divaecon import formatting as fmt
from divaecon.params import Scenario

# --- notebook display -------------------------------------------------------------------------


def scenario_header(scenario: Scenario) -> str:
    """Markdown header line for a notebook: the scenario's name and description, shown literally
    (:func:`divaecon.formatting.markdown_literal`: no markup, HTML or ``$math$`` in them runs)."""
    desc = f" — {fmt.markdown_literal(scenario.description)}" if scenario.description else ""
    return f"**Scenario: {fmt.markdown_literal(scenario.name)}**{desc}"


def show(df: pd.DataFrame, index: bool = False, empty: str = "", kind: str = "") -> Any:
    """A formatted table for notebook display (HTML, no index unless asked).

    Cells are HTML-escaped; the ``tex2jax_ignore`` class keeps MathJax from typesetting a
    ``$…$`` in a cell (a scenario name, a USD amount). A table without rows shows ``empty``
    (as text) instead, when given. ``kind`` adds the class ``divaecon-<kind>`` (the reports'
    style sheet lays out ``divaecon-summary``, the executive summary, as prose columns).
    """
    from IPython.display import HTML, Markdown

    if df.empty and empty:
        return Markdown(fmt.markdown_literal(empty))
    return HTML(
        df.to_html(
            index=index,
            escape=True,
            border=0,
            na_rep="–",
            classes="divaecon-table tex2jax_ignore" + (f" divaecon-{kind}" if kind else ""),
        )
    )
