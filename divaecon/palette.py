"""One colour palette for the charts (:mod:`divaecon.plotting`), the dashboard
(:mod:`divaecon.widgets`) and the reports' HTML: one Diva purple everywhere.

Hex strings only, so importing it costs nothing and needs no matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

DIVA_PURPLE = "#5b2a86"
"""Diva: its lines, bars, markers and labels."""

DIVA_DARK = "#3d1c5c"
"""Headings of the HTML reports."""

DIVA_RULE = "#d9cfe3"
"""Rules under the HTML reports' headings."""

DIVA_TINT = "#f3f0f7"
"""Table header backgrounds of the HTML reports."""

NOTE_GREY = "#555555"
"""Source notes and secondary lines."""

OK_GREEN = "#1a7f37"
"""A report that ran."""

FAILED_RED = "#b42318"
"""A report that failed; an input the dashboard refused."""

COLORS: Mapping[str, str] = MappingProxyType(
    {
        "diva": DIVA_PURPLE,
        "solo": "#444444",
        "ssv": "#1f77b4",
        "obol": "#2ca02c",
        "lido": "#17becf",
        "rocketpool": "#ff7f0e",
        "exchange": "#8c564b",
        "attestation": "#4c72b0",
        "sync": "#55a868",
        "proposer": "#c44e52",
        "execution": "#dd8452",
        "staker": "#4c72b0",
        "operator": "#dd8452",
        "note": NOTE_GREY,
    }
)
"""Colour of each set-up (Diva and its peers), reward part and role (staker, operator)."""

CSS_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "diva_dark": DIVA_DARK,
        "diva_rule": DIVA_RULE,
        "diva_tint": DIVA_TINT,
        "ok_green": OK_GREEN,
        "failed_red": FAILED_RED,
    }
)
"""The palette's names for :class:`string.Template` style sheets (``$diva_dark`` …)."""
