"""The dashboard without a browser: set sliders, compare what it shows with the package."""

from __future__ import annotations

import io
import math
import re
import zlib
from pathlib import Path

import ipywidgets as W
import nbformat
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from divaecon import formatting as fmt
from divaecon import widgets
from divaecon.errors import DivaeconError
from divaecon.params import Scenario, scenario_to_yaml
from divaecon.quote import peer_table, quote
from divaecon.widgets import KEY_FIGURES, SLIDERS, Dashboard, dashboard

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# What the table must show for each quote key, written out here rather than taken from
# divaecon.figures, so a wrong formatter there fails.
EXPECTED_FORMAT = {
    "staker_apr": lambda q: fmt.pct(q.staker_apr),
    "operator_apr_queued": lambda q: fmt.pct(q.operator_apr_queued),
    "operator_apr_assigned": lambda q: fmt.pct(q.operator_apr_assigned),
    "operator_reward_per_key_share_eth_per_year": lambda q: (
        fmt.eth(q.operator_reward_per_key_share_eth_per_year, 5) + "/year"
    ),
    "collateral_locked_eth": lambda q: (
        fmt.eth(q.collateral_locked_eth).replace("ETH", "divETH") + f" ({fmt.pct(q.collateral_ratio, 1)} of stake)"
    ),
    "validator_availability": lambda q: fmt.prob(q.validator_availability),
    "break_even_key_shares": lambda q: (
        fmt.count(q.break_even_key_shares) + f" (node cost {fmt.usd(q.operator_cost_usd_per_year)}/year)"
    ),
    "gross_apr": lambda q: fmt.pct(q.gross_apr),
    "staker_apr_growing": lambda q: fmt.pct(q.staker_apr_growing),
    "activation_wait_days": lambda q: f"{q.activation_wait_days:,.1f}",
}


def shown(dash: Dashboard) -> dict[str, str]:
    """The key-figures table as the browser would read it: ``data-key`` → cell text."""
    import html

    cells = re.findall(r'data-key="([a-z_]+)">([^<]*)</td>', dash.figures_table.value)
    return {key: html.unescape(text) for key, text in cells}


def expected(scenario: Scenario) -> dict[str, str]:
    q = quote(scenario)
    return {key: f(q) for key, f in EXPECTED_FORMAT.items()}


@pytest.fixture(scope="module")
def dash() -> Dashboard:
    return Dashboard()


@pytest.fixture
def fresh(dash: Dashboard) -> Dashboard:
    """The module's dashboard, back at the base scenario and its overview (building one costs ~1 s)."""
    dash.reset()
    dash.select("overview")
    return dash


def test_table_shows_the_required_figures() -> None:
    assert set(EXPECTED_FORMAT) == set(KEY_FIGURES)
    required = {
        "staker_apr",
        "operator_apr_queued",
        "operator_apr_assigned",
        "operator_reward_per_key_share_eth_per_year",
        "collateral_locked_eth",
        "validator_availability",
        "break_even_key_shares",
    }
    assert required <= set(EXPECTED_FORMAT)


def test_default_dashboard_equals_package(fresh: Dashboard) -> None:
    base = Scenario()
    assert fresh.scenario == base
    assert fresh.figures == quote(base)
    assert shown(fresh) == expected(base)
    pd.testing.assert_frame_equal(fresh.peers, peer_table(base))
    # By hand, independently of the package, at the defaults (39.2M ETH, 0.029 ETH per block, 11 of
    # 16 nodes at 95 %, 1 divETH per key share): availability a = P(Bin(16, 0.95) >= 11); ideal
    # consensus APR = (64e9 // isqrt(39.2e6 * 1e9)) * 82,181.25 / 1e9 (consensus-specs altair);
    # gross r = ideal * (106 a - 42) / 64 + 0.029 * 2,629,800 * a / 39.2e6; assigned operator APR
    # = 0.9 r + (0.2 r - penalty) / 1 with penalty = ideal * 42/64 * 32 * (1 - a) / 16 (Diva docs
    # 21-economics.md, 40-staking-rewards.md) = 3.1332 %.
    a = sum(math.comb(16, k) * 0.95**k * 0.05 ** (16 - k) for k in range(11, 17))
    ideal = (64 * 10**9 // math.isqrt(39_200_000 * 10**9)) * 82_181.25 / 1e9
    r = ideal * (106 * a - 42) / 64 + 0.029 * 2_629_800 * a / 39_200_000
    by_hand = 0.9 * r + (0.2 * r - ideal * 42 / 64 * 32 * (1 - a) / 16)
    assert by_hand == pytest.approx(0.031332, abs=1e-6)
    assert shown(fresh)["operator_apr_assigned"] == f"{100 * by_hand:.2f} %" == "3.13 %"


def test_same_node_uptime_box_switches_the_peers(fresh: Dashboard) -> None:
    # The like-for-like control: every peer on Diva's node uptime, and the notes say why Lido's
    # staker APR then falls short of what Lido published.
    assert not fresh.same_uptime.value
    assert "agrees within 0.1 pp" in fresh.peer_notes.value
    fresh.same_uptime.value = True
    assert fresh.scenario.peers.same_node_uptime_for_all
    pd.testing.assert_frame_equal(fresh.peers, peer_table(Scenario().override(same_node_uptime_for_all=True)))
    assert (fresh.peers["node_uptime"] == 0.95).all()
    assert "because nodes at 95.0 % uptime here" in fresh.peer_notes.value
    fresh.reset()
    assert not fresh.same_uptime.value and not fresh.scenario.peers.same_node_uptime_for_all


@pytest.mark.parametrize("value", [0.05, 0.5, 1.25, 2.0])
def test_collateral_slider(fresh: Dashboard, value: float) -> None:
    fresh.sliders["collateral_per_key_share_eth"].value = value
    scenario = Scenario().override(collateral_per_key_share_eth=value)
    assert fresh.scenario == scenario
    assert fresh.figures == quote(scenario)
    assert shown(fresh) == expected(scenario)
    pd.testing.assert_frame_equal(fresh.peers, peer_table(scenario))


def test_network_slider_is_logarithmic_10_to_100000(fresh: Dashboard) -> None:
    slider = fresh.sliders["network_validators"]
    assert isinstance(slider, W.FloatLogSlider)
    assert (slider.base, slider.min, slider.max) == (10.0, 1.0, 5.0)
    slider.value = 10_000.4
    scenario = Scenario().override(network_validators=10_000)
    assert fresh.scenario.diva.network_validators == 10_000
    assert shown(fresh) == expected(scenario)
    assert shown(fresh)["collateral_locked_eth"].startswith("160,000 divETH")


def test_collateral_slider_range() -> None:
    spec = widgets.SLIDER_BY_FIELD["collateral_per_key_share_eth"]
    assert (spec.min, spec.max) == (0.05, 2.0)


@pytest.mark.parametrize("spec", SLIDERS, ids=lambda s: s.field)
def test_every_slider_reaches_the_model(fresh: Dashboard, spec: widgets.SliderSpec) -> None:
    slider = fresh.sliders[spec.field]
    assert slider.continuous_update is False  # dragging sends one change, on release
    lo = spec.min
    hi = spec.max
    new = float(np.exp(0.3 * np.log(lo) + 0.7 * np.log(hi))) if spec.log else lo + 0.7 * (hi - lo)
    slider.value = new
    value = spec.to_scenario(slider.value)
    scenario = Scenario().override(**{spec.field: value})
    assert fresh.scenario == scenario
    assert shown(fresh) == expected(scenario)


def test_total_staked_slider_is_in_million_eth(fresh: Dashboard) -> None:
    fresh.sliders["total_staked_eth"].value = 40.0
    assert fresh.scenario.ethereum.total_staked_eth == 40e6
    assert fresh.sliders["total_staked_eth"].description.endswith("[million ETH]")


def _all_images(dash: Dashboard) -> dict[str, bytes]:
    """Every figure as it stands once each tab has been opened (tabs redraw when opened)."""
    shown_tab = dash.tabs.selected_index
    for key, _title, _outputs in widgets.TABS:
        dash.select(key)
    dash.tabs.selected_index = shown_tab
    return {name: bytes(img.value) for name, img in dash.images.items()}


def test_figures_update_in_place(fresh: Dashboard) -> None:
    images = dict(fresh.images)
    children = fresh.widget.children
    before = _all_images(fresh)
    for name, png in before.items():
        assert png.startswith(PNG_SIGNATURE), name
    fresh.sliders["collateral_per_key_share_eth"].value = 0.5
    now = {name: bytes(img.value) for name, img in fresh.images.items()}
    assert fresh.images == images and fresh.widget.children == children  # same widgets, no pile-up
    # the overview is in view: its figure follows at once; the other tabs' when they are opened
    assert now["collateral"] != before["collateral"]
    assert all(now[name] == before[name] for name in ("peers", "risk", "network"))
    after = _all_images(fresh)
    assert all(after[name] != before[name] for name in before)  # all four move with collateral
    # ETH price moves the break-even, not the figures: nothing is redrawn in any tab.
    fresh.sliders["eth_price_usd"].value = 4_000.0
    assert _all_images(fresh) == after
    # The network size moves only the network figure.
    fresh.sliders["network_validators"].value = 5_000.0
    now = _all_images(fresh)
    assert all(now[name] == after[name] for name in ("peers", "collateral", "risk"))
    assert now["network"] != after["network"]


def test_tabs_beside_the_sliders(fresh: Dashboard) -> None:
    row = fresh.widget.children[1]
    controls, tabs = row.children
    assert tabs is fresh.tabs and all(s in controls.children for s in fresh.sliders.values())
    assert list(tabs.titles) == ["Overview", "Peers", "Collateral risk", "Network"]
    overview, peers, risk, network = tabs.children
    assert fresh.figures_table in overview.children and fresh.images["collateral"] in overview.children
    assert fresh.images["peers"] in peers.children and fresh.images["network"] in network.children
    assert fresh.risk_table in risk.children and fresh.images["risk"] in risk.children
    with pytest.raises(DivaeconError, match="tab 'nope': unknown"):
        fresh.select("nope")


def _risk_shown(dash: Dashboard) -> dict[str, str]:
    import html

    cells = re.findall(r'data-key="([a-z_]+)">([^<]*)</td>', dash.risk_table.value)
    return {key: html.unescape(text) for key, text in cells}


@pytest.mark.parametrize("value", [0.1, 0.5, 1.5])
def test_risk_tab_follows_the_collateral_slider(fresh: Dashboard, value: float) -> None:
    from divaecon import figures
    from divaecon.risk import closed_form, risk_adjusted_yields, risk_model

    fresh.select("risk")
    fresh.sliders["collateral_per_key_share_eth"].value = value
    scenario = Scenario().override(collateral_per_key_share_eth=value)
    model = risk_model(scenario)
    y = risk_adjusted_yields(scenario, model, value)
    got = _risk_shown(fresh)
    assert got["operator_apr_net"] == figures.text("operator_apr_net", y["operator_apr_net"])
    assert got["shortfall_apr"] == figures.text("shortfall_apr", y["shortfall_apr"])
    p = closed_form.model_figures(model, value).shortfall_probability[0]
    assert got["shortfall_probability_per_validator_year"] == figures.text(
        "shortfall_probability_per_validator_year", p
    )
    required = closed_form.required_collateral(model, target_shortfall_apr=scenario.risk.target_shortfall_apr)
    assert got["required_collateral_shortfall_apr_eth"].startswith(
        figures.text("required_collateral_shortfall_apr_eth", required)
    )


def test_risk_tab_shows_both_sides(fresh: Dashboard) -> None:
    fresh.select("risk")
    readings = {}
    for value in (0.25, 1.0):
        fresh.sliders["collateral_per_key_share_eth"].value = value
        got = _risk_shown(fresh)
        readings[value] = (float(got["operator_apr_net"].rstrip(" %")), float(got["shortfall_apr"].rstrip(" %")))
    assert readings[0.25][0] > readings[1.0][0]  # yield up as collateral falls ...
    assert readings[0.25][1] > readings[1.0][1]  # ... and the stakers' risk up


def test_png_matches_canvas(fresh: Dashboard) -> None:
    for name, panel in fresh.panels.items():
        png = bytes(fresh.images[name].value)
        img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        canvas = np.asarray(panel.canvas.buffer_rgba())[..., :3]
        assert img.shape == canvas.shape and np.array_equal(img, canvas), name
        # The encoder writes a valid zlib stream and CRCs (PIL verified them above).
        assert zlib.crc32(png) != 0


def test_blitted_frame_equals_full_draw(fresh: Dashboard) -> None:
    """The cached-background path draws the same pixels as drawing the whole figure."""
    fresh.sliders["collateral_per_key_share_eth"].value = 0.75
    for name, panel in fresh.panels.items():
        blitted = np.asarray(Image.open(io.BytesIO(fresh.images[name].value)).convert("RGB"))
        panel.canvas.draw()
        full = np.asarray(panel.canvas.buffer_rgba())[..., :3]
        # Anti-aliased edges where a moving artist crosses a static one may differ slightly.
        diff = np.abs(blitted.astype(int) - full.astype(int))
        assert (diff > 40).mean() < 0.002, name


def test_reset_and_hold(fresh: Dashboard) -> None:
    n = fresh.updates
    with fresh.hold():
        fresh.sliders["collateral_per_key_share_eth"].value = 0.3
        fresh.sliders["operator_uptime"].value = 0.9
    assert fresh.updates == n + 1
    assert fresh.scenario == Scenario().override(collateral_per_key_share_eth=0.3, operator_uptime=0.9)
    fresh.reset_button.click()
    assert fresh.scenario == Scenario()
    assert shown(fresh) == expected(Scenario())


def test_invalid_combination_shows_error_and_keeps_figures() -> None:
    base = Scenario().override(treasury_fee=0.75)
    dash = Dashboard(base)
    good = shown(dash)
    dash.sliders["operator_fee"].value = 0.3  # 0.3 + 0.75 > 1
    assert "operator_fee" in dash.status.value and "at most 1" in dash.status.value
    assert shown(dash) == good
    dash.sliders["operator_fee"].value = 0.2
    assert shown(dash) == expected(base.override(operator_fee=0.2))
    assert "updated in" in dash.status.value


def test_scenario_values_outside_slider_range_are_kept(tmp_path: Path) -> None:
    scenario = Scenario().override(collateral_per_key_share_eth=3.0, eth_price_usd=20_000.0, name="odd")
    path = tmp_path / "odd.yaml"
    path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    dash = dashboard(str(path))
    assert dash.scenario == scenario
    assert dash.sliders["collateral_per_key_share_eth"].max == 3.0
    assert shown(dash) == expected(scenario)


def test_dashboard_overrides_and_display() -> None:
    dash = dashboard(collateral_per_key_share_eth=0.5)
    assert dash.sliders["collateral_per_key_share_eth"].value == 0.5
    bundle = dash._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == dash.widget.model_id


def test_nice_ceiling() -> None:
    assert widgets.nice_ceiling(0.031) == pytest.approx(0.04)
    assert widgets.nice_ceiling(0.05) == pytest.approx(0.05)
    assert widgets.nice_ceiling(0.151) == pytest.approx(0.2)
    assert widgets.nice_ceiling(0.0) == 1.0


# -- notebook ---------------------------------------------------------------------------------


@pytest.mark.kernel
def test_notebook_runs() -> None:
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / "00_explore.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = nb.cells[-1].outputs
    assert len(outputs) == 1 and outputs[0].output_type == "execute_result"
    assert "application/vnd.jupyter.widget-view+json" in outputs[0].data


# --- the rules selector (chapter 08's rule sets) -------------------------------------------------


def test_rules_selector_sits_above_the_sliders(fresh: Dashboard) -> None:
    from divaecon import rules

    controls, _tabs = fresh.widget.children[1].children
    assert isinstance(fresh.rules, W.Dropdown)
    assert list(fresh.rules.options) == list(rules.RULE_SETS)
    assert fresh.rules.value == "Today's rules" and fresh.rules.description == "Ethereum's rules"
    items = list(controls.children)
    assert items.index(fresh.rules) < items.index(fresh.sliders["collateral_per_key_share_eth"])
    assert "Ethereum as it runs" in fresh.rules_note.value


RULE_OVERRIDES = [
    {"issuance_curve": "eip8363"},
    {"issuance_curve": "tempered"},
    {"issuance_curve": "capped"},
    {"seconds_per_slot": 8.0},
    {"execution_burn": "eip8375"},
    {"issuance_curve": "eip8363", "execution_burn": "eip8375"},
    {"correlated_penalties": "eip7716"},
]


@pytest.mark.parametrize("overrides", RULE_OVERRIDES, ids=lambda o: "+".join(map(str, o.values())))
def test_rules_selector_reaches_the_model(fresh: Dashboard, overrides: dict[str, object]) -> None:
    from divaecon.tables.rules import label_of

    fresh.rules.value = label_of(overrides)
    scenario = Scenario().override(**overrides)
    assert fresh.scenario == scenario
    assert fresh.figures == quote(scenario)
    assert shown(fresh) == expected(scenario)
    pd.testing.assert_frame_equal(fresh.peers, peer_table(scenario))
    # the sliders still move the model under the chosen rules
    fresh.sliders["collateral_per_key_share_eth"].value = 0.5
    assert shown(fresh) == expected(scenario.override(collateral_per_key_share_eth=0.5))


def test_rules_selector_updates_figures_and_risk_in_place(fresh: Dashboard) -> None:
    from divaecon import figures
    from divaecon.risk import closed_form, risk_model
    from divaecon.tables.rules import label_of

    images = dict(fresh.images)
    children = fresh.widget.children
    before = _all_images(fresh)
    fresh.select("risk")
    both = {"issuance_curve": "eip8363", "execution_burn": "eip8375"}
    fresh.rules.value = label_of(both)
    assert fresh.images == images and fresh.widget.children == children  # same widgets, in place
    scenario = Scenario().override(**both)
    model = risk_model(scenario)
    target = scenario.risk.target_loss_probability_per_year
    loss = closed_form.required_collateral(model, target_loss_probability=target)
    got = _risk_shown(fresh)
    assert got["required_collateral_loss_probability_eth"].startswith(
        figures.text("required_collateral_loss_probability_eth", loss)
    )
    after = _all_images(fresh)
    for name in ("collateral", "peers", "risk"):  # the rewards fall: each of these figures moves
        assert after[name] != before[name], name
    fresh.reset()
    assert fresh.rules.value == "Today's rules" and fresh.scenario == Scenario()


def test_dashboard_of_a_future_starts_at_its_rules() -> None:
    future = ROOT / "data" / "scenarios" / "futures" / "eip8363.yaml"
    dash = dashboard(future)
    assert dash.rules.value == "EIP-8363 tapered burn"
    assert "EIP-8363 Tapered Issuance Burn" in dash.rules_note.value
    dash.rules.value = "Today's rules"  # today's rules on the same scenario: the base's numbers
    from divaecon.params import load_scenario

    assert shown(dash) == expected(load_scenario(ROOT / "data" / "scenarios" / "base.yaml"))
    own = Scenario().override(**{"ethereum.issuance_curve": "tempered", "ethereum.execution_burn": "eip8375"})
    dash = Dashboard(own)
    assert dash.rules.value == "this scenario's rules" and dash.scenario == own
