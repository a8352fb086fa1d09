"""The dashboard: sliders beside the tabs of :data:`TABS`, assembled from the panel modules."""

from __future__ import annotations

import contextlib
import html
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as W
import pandas as pd

from divaecon.errors import DivaeconError
from divaecon.palette import FAILED_RED
from divaecon.params import DivaParams, Scenario, load_scenario
from divaecon.quote import Quote, peer_table, quote
from divaecon.tables.rules import OWN_RULES, rule_set_labels, rule_set_scenario, rule_sets_table, scenario_rule_set
from divaecon.widgets.network import NetworkPanel
from divaecon.widgets.overview import CollateralPanel, key_figures_html
from divaecon.widgets.peers import PeersPanel, peer_notes_html
from divaecon.widgets.risk import RiskPanel, risk_figures_html
from divaecon.widgets.sliders import SLIDER_BY_FIELD, SLIDERS, _make_slider, _scenario_value

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
    rules : ipywidgets.Dropdown
        Ethereum's rules: a rule set of :data:`divaecon.rules.RULE_SETS` (chapter 08's), applied
        to the scenario's ``ethereum`` section (:func:`divaecon.tables.rules.rule_set_scenario`);
        it starts at the scenario's own (or "this scenario's rules" when they are none of them).
    rules_note : ipywidgets.HTML
        What the chosen rule set is: its EIP, status and date.
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
        self.rules_start = scenario_rule_set(self.base) or OWN_RULES
        self.rules = W.Dropdown(
            options=rule_set_labels(self.base),
            value=self.rules_start,
            description="Ethereum's rules",
            description_allow_html=False,
            tooltip="A rule set under debate (chapter 08): issuance curve, execution burn, slot time, exits, penalties",
            style={"description_width": "250px"},
            layout=W.Layout(width="560px"),
        )
        self.rules.add_class("divaecon-rules")
        self.rules_note = W.HTML(layout=W.Layout(width="560px", margin="0 0 6px 0"))
        self.rules_note.add_class("divaecon-rules-note")
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
            "<div style='color:#555'>Drag a slider (or focus its handle and use the arrow keys), or pick "
            "Ethereum's rules: the tab in view follows. Scenario "
            f"<b>{html.escape(self.base.name)}</b>"
            + (f" — {html.escape(self.base.description.rstrip('.'))}" if self.base.description else "")
            + ".</div>"
        )
        controls = W.VBox(
            [
                self.rules,
                self.rules_note,
                *self.sliders.values(),
                self.same_uptime,
                W.HBox([self.reset_button, self.status]),
            ],
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
        self.rules.observe(self._on_change, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.update(every_tab=True)

    # -- state -----------------------------------------------------------------------------

    def slider_values(self) -> dict[str, float | int]:
        """Scenario field → value, as the sliders stand (after unit scaling)."""
        return {f: SLIDER_BY_FIELD[f].to_scenario(s.value) for f, s in self.sliders.items()}

    def scenario_from_sliders(self) -> Scenario:
        """The base scenario with the sliders' values, the like-for-like box and Ethereum's rules
        (:attr:`rules`), validated."""
        s = self.base.override(**self.slider_values(), same_node_uptime_for_all=bool(self.same_uptime.value))
        return s if self.rules.value == OWN_RULES else rule_set_scenario(s, str(self.rules.value))

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
            self.rules.value = self.rules_start

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
        self.rules_note.value = self._rules_note(str(self.rules.value))

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

    @staticmethod
    def _rules_note(label: str) -> str:
        notes = dict(zip(rule_sets_table()["rule set"], rule_sets_table()["what it is"], strict=True))
        text = notes.get(label, "the scenario's own settings of Ethereum's rules")
        return f"<div style='color:#555;font-size:12px;line-height:1.3'>{html.escape(text)}</div>"

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
            scenario.ethereum,  # the stake, and the rules: leak per day, penalties, what a theft takes
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
