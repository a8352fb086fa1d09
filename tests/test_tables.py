"""One registry, every view: the CLI, --json, the dashboard and the reports show the same labels
and formats; the shared tables read as readers expect."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest

from divaecon import figures, tables, widgets
from divaecon.cli import main
from divaecon.errors import DivaeconError
from divaecon.params import Scenario
from divaecon.quote import quote
from divaecon.reports import scenario_for_notebook

SCENARIO = Scenario().override(name="views", collateral_per_key_share_eth=0.5, operator_uptime=0.97)


def cli_rows(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """``divaecon quote``'s key-figure lines as label → value."""
    assert main(["quote", "--collateral-per-key-share", "0.5", "--operator-uptime", "0.97"]) == 0
    out = capsys.readouterr().out
    block = out.split("\n\n")[1]  # inputs, key figures, peers
    return dict(re.match(r"  (.+?)  +(\S.*)$", line).groups() for line in block.splitlines())  # type: ignore[union-attr]


def widget_rows(q: object) -> dict[str, tuple[str, str]]:
    """The dashboard's key-figures table as key → (label, value cell)."""
    page = widgets.key_figures_html(q)  # type: ignore[arg-type]
    rows = re.findall(r'<th scope="row">([^<]*)</th><td [^>]*data-key="([a-z_]+)">([^<]*)</td>', page)
    return {key: (html.unescape(label), html.unescape(value)) for label, key, value in rows}


def test_cli_table_takes_labels_and_values_from_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    q = quote(SCENARIO.override(name="base"))
    rows = cli_rows(capsys)
    assert list(rows) == [figures.label(k) for k in tables.CLI_KEY_FIGURES]
    for key in tables.CLI_KEY_FIGURES:
        assert rows[figures.label(key)] == figures.text(key, getattr(q, key)), key


def test_json_keys_are_the_registry_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["scenario_name", *(f.key for f in figures.QUOTE_FIGURES), "peers"]


def test_widget_table_takes_labels_and_values_from_the_registry() -> None:
    q = quote(SCENARIO)
    rows = widget_rows(q)
    assert list(rows) == list(widgets.KEY_FIGURES)
    for key, (label, value) in rows.items():
        assert label == figures.label(key)
        assert value.startswith(figures.text(key, getattr(q, key))), key


def test_every_view_labels_a_figure_alike(capsys: pytest.CaptureFixture[str]) -> None:
    """A figure the CLI, the dashboard and the reports all show has one label in all three."""
    q = quote(SCENARIO)
    cli = list(cli_rows(capsys))
    widget = [label for label, _ in widget_rows(q).values()]
    report = list(tables.key_figures_comparison([SCENARIO]).index)
    shared = set(tables.CLI_KEY_FIGURES) & set(widgets.KEY_FIGURES) & set(tables.REPORT_KEY_FIGURES)
    assert len(shared) >= 6
    for key in shared:
        label = figures.label(key)
        assert label in cli and label in widget and label in report, key


def test_key_figures_table_refuses_an_unknown_key() -> None:
    with pytest.raises(DivaeconError, match="'staker_arp': unknown"):
        tables.key_figures_table(SCENARIO, ["staker_apr", "staker_arp"])


def test_key_figures_table_keeps_the_order_asked_for() -> None:
    t = tables.key_figures_table(SCENARIO, ["collateral_locked_eth", "staker_apr"])
    assert list(t["figure"]) == ["Collateral locked", "divETH staker APR"]
    # 1,344 validators × 16 key shares × 0.5 divETH (Diva docs 21-economics.md)
    assert t["value"].iloc[0] == "10,752 divETH"


def test_simulation_summary_table_median_and_band() -> None:
    # Five seeds: the median and the 5th/95th percentiles (linear interpolation) by hand.
    staker = [0.030, 0.031, 0.032, 0.033, 0.034]
    summary = pd.DataFrame(
        {
            "scenario": ["s"] * 5,
            "seed": range(5),
            "staker_apy": staker,
            "final_active_validators": [100.0] * 5,
            "queue_wait_mean_days": [np.nan] * 5,
        }
    )
    t = tables.simulation_summary_table(summary)
    assert list(t.index) == [
        "divETH staker APY (realised)",
        "Queue wait, mean [days]",
        "Active validators at the end",
    ]  # the registry's order
    # P5 = 0.030 + 0.2 · 0.001 = 0.0302 → 3.02 %; P95 = 0.0338 → 3.38 %
    assert t.loc["divETH staker APY (realised)", "s"] == "3.20 % [3.02 % – 3.38 %]"
    assert t.loc["Active validators at the end", "s"] == "100"  # equal bounds: no band
    assert t.loc["Queue wait, mean [days]", "s"] == "–"


def test_cli_csv_names_each_figure_with_its_unit(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "q.csv"
    assert main(["quote", "--csv", str(path)]) == 0
    capsys.readouterr()
    head = path.read_text().split("# peers")[0]
    assert "name,value,unit" in head
    assert "Diva: staker_apr," in head and ",fraction/year" in head
    assert "Diva: collateral_locked_eth,21504.0,divETH" in head  # 1,344 × 16 × 1 divETH


def test_a_notebook_without_a_scenario_runs_the_shipped_base() -> None:
    s = scenario_for_notebook("", "")
    assert s.name == "base" and s.description  # the shipped file, not the bare default
    assert s.override(description="") == Scenario()
