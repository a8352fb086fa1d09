"""Chapter 07's tables and text, the executive summary's line and the comparison's: every number
checked against a computation here from the backtest's points."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from calibrated import marked_rates  # tests/calibrated.py

from divaecon import backtest, data, tables
from divaecon.params import Scenario
from divaecon.tables import history


@pytest.fixture(scope="module")
def result() -> backtest.BacktestResult:
    """The backtest with two Lido points marked as if a default had been calibrated to them: the
    shipped data have no such point (no compared rate calibrates a default), and the chapter's
    handling of in-sample points must still be tested on some."""
    marked = marked_rates()
    with pytest.MonkeyPatch.context() as mp:  # undone at once: the other tests see the shipped data
        mp.setattr(data, "history_rates", lambda: marked)
        return backtest.backtest()


def _pp(x: float, signed: bool = True) -> str:
    return f"{100 * x:{'+' if signed else ''}.2f} pp"


def test_error_table_is_a_hand_computation_of_the_out_of_sample_points(result: backtest.BacktestResult) -> None:
    table = tables.history_error_table(result).set_index("series")
    p = result.points
    assert (p["sample"] == "in_sample").any(), "the data hold in-sample points: the check below means something"
    groups = {name: p[p["series"] == name] for name in backtest.SERIES} | {"all": p}
    for name, rows in groups.items():
        out = [e for e, s in zip(rows["error"], rows["sample"], strict=True) if s == "out_of_sample"]
        n_in = sum(1 for s in rows["sample"] if s == "in_sample")
        row = table.loc[tables.SERIES_LABELS[name]]
        assert row["out-of-sample points"] == str(len(out))
        assert row["in-sample (left out)"] == str(n_in)
        assert row["bias"] == _pp(sum(out) / len(out))
        assert row["MAE"] == _pp(sum(abs(e) for e in out) / len(out), signed=False)
        worst = max(range(len(out)), key=lambda i: abs(out[i]))
        dates = [d for d, s in zip(rows["date"], rows["sample"], strict=True) if s == "out_of_sample"]
        assert row["worst point"] == f"{dates[worst]:%Y-%m-%d} ({_pp(out[worst])})"


def test_in_sample_points_never_count_in_the_summary(result: backtest.BacktestResult) -> None:
    """Give every in-sample point an absurd error: the chapter's table and line must not move."""
    points = result.points.copy()
    inside = points["sample"] == "in_sample"
    assert inside.any()
    points.loc[inside, "error"] = 0.5  # 50 pp
    points.loc[inside, "predicted"] = points.loc[inside, "published"] + 0.5
    series = [s for s in backtest.SERIES if (points["series"] == s).any()]
    bent = dataclasses.replace(result, points=points, summary=backtest.summarize(points, series))
    before, after = tables.history_error_table(result), tables.history_error_table(bent)
    pd.testing.assert_frame_equal(before, after)
    assert tables.history_summary_line(bent) == tables.history_summary_line(result)
    assert "50.00 pp" not in tables.history_errors_markdown(bent)
    # and the other way round: an out-of-sample point's error does move them
    points.loc[~inside & (points.index == points.index[~inside][0]), "error"] = 0.5
    moved = dataclasses.replace(result, points=points, summary=backtest.summarize(points, series))
    assert not tables.history_error_table(moved).equals(before)


def test_point_table_has_every_point_compactly(result: backtest.BacktestResult) -> None:
    table = tables.history_points_table(result)
    assert list(table.columns) == ["date", "series", "predicted", "published", "error", "sample", "source"]
    assert len(table) == len(result.points)
    first = result.points.iloc[0]
    assert table.iloc[0]["date"] == f"{first['date']:%Y-%m-%d}"
    assert table.iloc[0]["error"] == _pp(first["error"])
    assert set(table["sample"]) == {"out-of-sample", "in-sample"}
    assert table["source"].str.len().max() <= 40


def test_errors_text_states_causes_only_above_the_threshold(result: backtest.BacktestResult) -> None:
    summary = result.summary.set_index("series")
    text = tables.history_errors_markdown(result)
    for name in backtest.SERIES:
        label = tables.SERIES_LABELS[name]
        line = next(x for x in text.splitlines() if x.startswith(f"- **{label}**"))
        assert f"MAE {_pp(summary.loc[name, 'mae'], signed=False)}" in line
        if summary.loc[name, "mae"] > history.ERROR_THRESHOLD:
            assert "what the model leaves out here" in line
        else:
            assert "Within 0.20 pp" in line
    everything = tables.history_errors_markdown(result, threshold=0.0)
    for cause in ("cash drag", "commission mix", "Blockscholes", "EIP-8363", "ETH.STORE's method"):
        assert cause in everything, cause
    assert "leaves out" not in tables.history_errors_markdown(result, threshold=1.0)


def test_executive_summary_line_has_the_out_of_sample_mae(result: backtest.BacktestResult) -> None:
    s = result.summary.set_index("series").loc["all"]
    out = result.points[result.points["sample"] == "out_of_sample"]
    mae = _pp(out["error"].abs().mean(), signed=False)
    assert mae == _pp(s["mae"], signed=False)
    line = tables.history_summary_line(result)
    assert line == (
        f"Model against history: mean absolute error {mae} over {len(out)} out-of-sample points "
        f"({out['series'].nunique()} series, {out['date'].min():%Y-%m} to {out['date'].max():%Y-%m})"
    )
    # the book's executive summary reads the shipped data (every point out of sample)
    shipped = backtest.backtest().points
    mae = _pp(shipped["error"].abs().mean(), signed=False)
    summary = tables.executive_summary(Scenario()).set_index("figure")
    row = summary.loc["Model against history (out-of-sample MAE)"]
    assert row["value"] == mae and f"mean absolute error {mae} over {len(shipped)}" in row["what it means"]


def test_backtest_computed_once_per_set_of_peer_parameters() -> None:
    base = Scenario()
    assert tables.history_result(base) is tables.history_result(base.override(name="other"))
    assert tables.history_result(base) is not tables.history_result(base.override(rocketpool_node_uptime=0.99))


def test_comparison_says_one_line_when_identical_and_a_table_when_not() -> None:
    a, b = Scenario().override(name="a"), Scenario().override(name="b", collateral_per_key_share_eth=0.5)
    same = tables.history_comparison_markdown([a, b])
    assert "the same in every scenario" in same and "|" not in same
    c = Scenario().override(name="c-uptime", rocketpool_node_uptime=0.99)
    differ = tables.history_comparison_markdown([a, c])
    assert "| series |" in differ and "c" in differ
    table = tables.history_comparison([a, c])
    assert list(table.columns) == ["a", "c-uptime"]
    mae_c = backtest.backtest(scenario=c).summary.set_index("series").loc["rocketpool", "mae"]
    assert table.loc["Rocket Pool rETH", "c-uptime"] == _pp(mae_c, signed=False)
    assert table.loc["Rocket Pool rETH", "a"] != table.loc["Rocket Pool rETH", "c-uptime"]


def test_shipped_summary_row_says_no_point_is_in_sample() -> None:
    """With the execution reward from relay payments no shipped point is in-sample, and the
    executive summary says so instead of implying that some were left out."""
    label, value, text = tables.history_summary_row(backtest.backtest())
    assert "No default was calibrated to any of these points" in text and "left out" not in text
    assert value.endswith(" pp") and label.startswith("Model against history")
