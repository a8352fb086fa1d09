"""Every figure: axis labels with units, the scenario's name in the title, a source note."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from divaecon import data, plotting
from divaecon.params import Scenario, load_scenario

SCENARIO = Scenario().override(name="plot-test", failure_correlation=0.1)


def _single(s: Scenario) -> dict[str, object]:
    return {
        "apr_vs_total_staked": plotting.apr_vs_total_staked(s, data.staking_data_points(), points=30),
        "reward_split": plotting.reward_split(s, points=30),
        "uptime_effect": plotting.uptime_effect(s, points=30),
        "operator_yield_lines": plotting.operator_yield_lines(s, points=20),
        "operator_yield_heatmap": plotting.operator_yield_heatmap(s, 8, 8),
        "break_even": plotting.break_even(s, points=20),
        "availability_vs_uptime": plotting.availability_vs_uptime(s, points=30),
        "rewards_lost": plotting.rewards_lost(s, points=30),
        "peer_apr_bars": plotting.peer_apr_bars(s),
        "capital_vs_operator_apr": plotting.capital_vs_operator_apr(s),
    }


def _timeseries() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = []
    for seed in range(5):
        for day in range(0, 361, 30):
            rows.append(
                {
                    "scenario": "plot-test",
                    "seed": seed,
                    "day": day,
                    "active_validators": day * 2 + rng.integers(0, 5),
                    "buffer_eth": 10 + rng.random(),
                    "queued_collateral_eth": 100.0 - day / 10,
                    "assigned_collateral_eth": day * 1.0,
                    "wdiveth_rate": 1 + day / 3650,
                    "diveth_supply": 1000.0 + day,
                }
            )
    return pd.DataFrame(rows)


def _check_figure(fig: object, scenario_names: list[str]) -> None:
    assert isinstance(fig, matplotlib.figure.Figure)
    title = fig._suptitle.get_text() if fig._suptitle is not None else ""
    for name in scenario_names:
        assert name in title, title
    notes = [t.get_text() for t in fig.texts]
    assert any(t.startswith("Source: divaecon model;") for t in notes), notes
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        xl, yl = ax.get_xlabel(), ax.get_ylabel()
        if xl:  # shared axes label only the outer plots
            assert "[" in xl and "]" in xl, f"x label without unit: {xl!r}"
        if yl:
            assert "[" in yl and "]" in yl, f"y label without unit: {yl!r}"
    # every numeric axis is labelled; categorical axes (set-up names) carry their names as ticks
    labelled = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    assert any(ax.get_ylabel() for ax in labelled) or any(ax.get_xlabel() for ax in labelled)
    for ax in labelled:
        for axis, label in ((ax.xaxis, ax.get_xlabel()), (ax.yaxis, ax.get_ylabel())):
            ticks = [t.get_text() for t in axis.get_ticklabels() if t.get_visible()]
            categorical = any(t and not any(ch.isdigit() for ch in t) for t in ticks)
            shared = axis is ax.yaxis and ax.get_shared_y_axes().get_siblings(ax) != [ax]
            if not categorical and not shared and axis.get_visible() and ticks:
                assert label, f"numeric axis without a label in {fig._suptitle.get_text()!r}"
    plt.close(fig)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", list(_single(SCENARIO)))
def test_single_scenario_figures(name: str) -> None:
    fig = _single(SCENARIO)[name]
    _check_figure(fig, ["plot-test"])
    plt.close("all")


def test_comparison_figures_name_every_scenario() -> None:
    scenarios = [load_scenario(p) for p in data.scenario_paths()]
    names = [s.name for s in scenarios]
    _check_figure(plotting.compare_operator_apr(scenarios, points=20), names)
    _check_figure(plotting.compare_availability(scenarios, points=20), names)


def test_growth_figures_have_bands() -> None:
    ts = _timeseries()
    fig = plotting.network_growth(ts, "plot-test")
    _check_figure(fig, ["plot-test"])
    fig = plotting.compare_growth(ts, "active_validators", "active validators", "validators")
    # one P5–P95 band (a PolyCollection) and one median line per scenario
    ax = fig.axes[0]
    assert len(ax.collections) == 1 and len(ax.lines) == 1
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() <= ts["active_validators"].min() + 5
    _check_figure(fig, ["plot-test"])


def test_realised_apy_marks_median() -> None:
    summary = pd.DataFrame(
        {
            "scenario": ["plot-test"] * 3,
            "seed": [0, 1, 2],
            "staker_apy": [0.02, 0.021, 0.022],
            "operator_apy_queued": [0.02] * 3,
            "operator_apy_assigned": [0.03, 0.031, 0.032],
        }
    )
    fig = plotting.realised_apy(summary, "plot-test")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "2.10 %" in texts and "3.10 %" in texts
    _check_figure(fig, ["plot-test"])


def test_cluster_setups_follow_peer_parameters() -> None:
    s = SCENARIO.override(ssv_cluster_sizes=[4, 7])
    names = list(plotting.cluster_setups(s)["name"])
    assert names == ["Diva 11/16", "SSV cluster 3/4", "SSV cluster 5/7", "Obol 3/4", "solo 1/1"]


def test_history_figure_one_dated_panel_per_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapter 07's figure: a panel per backtest series, dates on the shared x axis, APR units on
    every y axis, in-sample points marked apart and named in the legend, the sources cited. The
    shipped rates calibrate no default, so two Lido points are marked in-sample for the test."""
    import matplotlib.dates as mdates
    from calibrated import marked_rates  # tests/calibrated.py

    from divaecon import backtest, data, tables

    shipped = backtest.backtest()
    plain = plotting.history_vs_model(shipped, "plot-test")
    assert "published, in-sample (calibration)" not in [t.get_text() for t in plain.legends[0].get_texts()]
    plt.close(plain)
    marked = marked_rates()
    monkeypatch.setattr(data, "history_rates", lambda: marked)
    result = backtest.backtest()
    assert (result.points["sample"] == "in_sample").sum() == 2
    fig = plotting.history_vs_model(result, "plot-test")
    series = list(dict.fromkeys(result.points["series"]))
    assert len(fig.axes) == len(series) == 3
    for ax, name in zip(fig.axes, series, strict=True):
        assert ax.get_title(loc="left").startswith(tables.SERIES_LABELS[name])
        assert ax.get_ylabel() == "staker APR [% a year]"
        lo, hi = ax.get_xlim()  # matplotlib's date numbers: days since 1970
        assert mdates.num2date(lo).year == 2023 and mdates.num2date(hi).year == 2026
        rows = result.points[result.points["series"] == name]
        plotted = sum(len(c.get_offsets()) for c in ax.collections)
        assert plotted == len(rows)  # every published point, in- and out-of-sample
    assert isinstance(fig.axes[-1].xaxis.get_major_formatter(), mdates.DateFormatter)
    ticks = [t.get_text() for t in fig.axes[-1].get_xticklabels() if t.get_text()]
    assert ticks and all(len(t) == 7 and t[4] == "-" for t in ticks), ticks  # ISO YYYY-MM
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "published, in-sample (calibration)" in legend
    notes = " ".join(t.get_text() for t in fig.texts)
    for source in ("ETH.STORE", "Blockscholes", "EIP-8363", "beaconcha.in"):
        assert source in notes, source
    _check_figure(fig, ["plot-test"])
