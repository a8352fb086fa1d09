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

The dashboard is cut by tab, one panel module per tab: :mod:`~divaecon.widgets.overview`,
:mod:`~divaecon.widgets.peers`, :mod:`~divaecon.widgets.risk` and
:mod:`~divaecon.widgets.network`; :mod:`~divaecon.widgets.sliders` holds the sliders,
:mod:`~divaecon.widgets._base` what the panels share, and :mod:`~divaecon.widgets.dashboard`
assembles them (:class:`Dashboard`, :func:`dashboard`).
"""

from __future__ import annotations

from divaecon.widgets._base import (  # noqa: F401 (re-exported)
    _NICE,
    DPI,
    PNG_COMPRESS_LEVEL,
    SOURCE_STYLE,
    _Panel,
    _pct_axis,
    nice_ceiling,
    png_bytes,
)
from divaecon.widgets.dashboard import (
    TABS,
    Dashboard,
    dashboard,
)
from divaecon.widgets.network import (  # noqa: F401 (re-exported)
    NetworkPanel,
)
from divaecon.widgets.overview import (  # noqa: F401 (re-exported)
    _CONTEXT,
    _TABLE_STYLE,
    KEY_FIGURES,
    CollateralPanel,
    _no_context,
    key_figures_html,
)
from divaecon.widgets.peers import (  # noqa: F401 (re-exported)
    PeersPanel,
    peer_notes_html,
)
from divaecon.widgets.risk import (  # noqa: F401 (re-exported)
    RISK_READOUTS,
    RiskPanel,
    risk_figures_html,
)
from divaecon.widgets.sliders import (  # noqa: F401 (re-exported)
    SLIDER_BY_FIELD,
    SLIDERS,
    SliderSpec,
    _make_slider,
    _scenario_value,
)

__all__ = [
    "KEY_FIGURES",
    "RISK_READOUTS",
    "SLIDERS",
    "TABS",
    "Dashboard",
    "SliderSpec",
    "dashboard",
]
