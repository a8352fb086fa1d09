"""The registry of key figures: complete, one label per figure, units visible, formats as readers expect."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest
from test_quote import field_docs

from divaecon import figures
from divaecon.errors import DivaeconError
from divaecon.quote import Quote

SIMULATION_METRICS = {
    "staker_apy",
    "operator_apy_queued",
    "operator_apy_assigned",
    "cash_drag",
    "queue_wait_mean_days",
    "queue_wait_p95_days",
    "peak_collateral_locked_eth",
    "final_active_validators",
    "refused_deposits_eth",
    "final_diveth_supply",
    "wdiveth_rate",
}
SHOWN_UNITS = ("%", "ETH", "divETH", "$", "∞")


def test_every_number_of_a_quote_is_registered_once() -> None:
    numbers = [f.name for f in dataclasses.fields(Quote) if f.name != "scenario_name"]
    assert [f.key for f in figures.QUOTE_FIGURES] == numbers  # same set, the Quote's order


def test_registry_units_are_the_quote_docstrings_units() -> None:
    docs = field_docs(Quote)
    for f in figures.QUOTE_FIGURES:
        unit = re.search(r"\[([^\]]+)\]", " ".join(docs[f.key].split()))
        assert unit is not None and unit.group(1) == f.unit, f.key


def test_simulation_summary_metrics_are_registered() -> None:
    assert {f.key for f in figures.SIMULATION_FIGURES} == SIMULATION_METRICS


def test_keys_and_labels_are_unique() -> None:
    every = figures.QUOTE_FIGURES + figures.SIMULATION_FIGURES + figures.RISK_FIGURES
    assert len({f.key for f in every}) == len(every) == len(figures.FIGURES)
    assert len({f.label for f in every}) == len(every)


@pytest.mark.parametrize("figure", figures.QUOTE_FIGURES + figures.SIMULATION_FIGURES, ids=lambda f: f.key)
def test_units_stay_visible(figure: figures.KeyFigure) -> None:
    shown = figure.text(1234.5 if "apr" not in figure.key and "apy" not in figure.key else 0.031)
    in_text = any(u in shown for u in SHOWN_UNITS)
    in_label = "[" in figure.label or figure.unit in figure.label
    assert in_text or in_label, f"{figure.key}: neither {shown!r} nor {figure.label!r} shows a unit"
    if figure.unit.startswith("fraction"):
        assert shown.endswith(" %"), figure.key  # fractions become per cent only here, at the edge


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        # what readers expect, written out by hand
        ("staker_apr", 0.03124, "3.12 %"),
        ("collateral_ratio", 0.5, "50.0 %"),
        ("total_staked_eth", 34_650_000.0, "34,650,000 ETH"),
        ("collateral_locked_eth", 21_504.0, "21,504 divETH"),
        ("operator_reward_per_key_share_eth_per_year", 0.0628, "0.06280 ETH/year"),
        ("operator_cost_usd_per_year", 933.3333, "$933/year"),
        ("break_even_key_shares", math.inf, "∞"),
        ("break_even_key_shares", 112.0, "112"),
        ("validator_availability", 0.99992, "99.992 %"),
        ("cash_drag", 0.01234, "1.234 %"),
        ("queue_wait_mean_days", 12.34, "12.3"),
        ("peak_collateral_locked_eth", 21_504.4, "21,504"),
        ("wdiveth_rate", 1.0312345, "1.0312"),
        ("staker_apy", float("nan"), "–"),
        ("final_active_validators", None, "–"),
    ],
)
def test_formats(key: str, value: float, text: str) -> None:
    assert figures.text(key, value) == text


def test_unknown_key_names_it_and_what_is_known() -> None:
    with pytest.raises(DivaeconError, match=r"'stakr_apr': unknown; known: total_staked_eth, "):
        figures.get("stakr_apr")
    with pytest.raises(DivaeconError):
        figures.select(["staker_apr", "nope"])
