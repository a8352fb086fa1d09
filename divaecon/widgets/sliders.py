"""The dashboard's sliders: which scenario field each drives, its range and unit scaling."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from divaecon.params import Scenario

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
