"""The history files of data/ (issue 18): every row dated, sourced and quality-flagged, enough
of them, and loaders that refuse a bad file with a message naming the file and the column."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from divaecon import data, resources
from divaecon.errors import DivaeconError

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "history_stake.csv": ("date",),
    "history_rates.csv": ("date",),
    "history_el_reward.csv": ("date", "window_start", "window_end"),
    "history_rules.csv": ("valid_from",),
}
QUALITY = {"primary", "secondary", "approximate"}


def raw_rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_row_dated_sourced_and_flagged(name):
    rows = raw_rows(name)
    assert rows, name
    for i, row in enumerate(rows, start=1):
        for column in FILES[name]:
            dt.date.fromisoformat(row[column])  # raises on a missing or malformed date
        assert row["source"].strip(), f"{name} row {i}: no source"
        assert row["quality"] in QUALITY, f"{name} row {i}: quality {row['quality']!r}"


def test_stake_spans_shapella_to_2026_at_twelve_dates_or_more():
    df = data.history_stake()
    dates = sorted(set(df["date"]))
    assert len(dates) >= 12
    assert dates[0] <= pd.Timestamp("2023-04-30")  # Shapella: 2023-04-12
    assert dates[-1] >= pd.Timestamp("2026-01-01")
    effective = df[df["measure"] == "active_effective_balance"]
    assert effective["date"].nunique() >= 12  # the backtest interpolates these only
    assert (effective["total_staked_eth"].between(1.5e7, 6e7)).all()


def test_twenty_rates_or_more_in_three_series_or_more():
    df = data.history_rates()
    assert len(df) >= 20
    counts = df["series"].value_counts()
    assert set(counts.index) == {"network", "lido", "rocketpool"}
    assert (counts >= 5).all()
    assert df["apr"].between(0.005, 0.08).all()  # fractions a year, not per cent
    for column in ("window", "includes"):
        assert (df[column].str.strip() != "").all(), column


def test_no_compared_rate_calibrates_a_default():
    """Issue 18: the execution reward per block comes from relay payments (EIP-8363), so no rate
    the backtest or the peer table compares with was used to fit a default: every
    ``calibration`` cell is empty. (A cell that named a default would make the point in-sample;
    tests/test_backtest.py checks that such a point is kept out of the summaries.) The default's
    source names the relay figure and none of the compared series."""
    from divaecon.params import EthereumParams

    rates = data.history_rates()
    assert (rates["calibration"] == "").all(), rates.loc[rates["calibration"] != "", ["date", "series"]]
    assert (data.published_staker_apr()["calibration"] == "").all()
    field = EthereumParams.model_fields["el_reward_per_block_eth"]
    source = field.json_schema_extra["source"]  # type: ignore[index]
    assert "EIP-8363" in source and "72,600 ETH" in source
    for series_word in ("Lido", "stETH", "rETH", "ETH.STORE", "Web3Wagmi", "Flipside"):
        assert series_word not in source, series_word


def test_execution_rewards_say_whether_they_are_independent():
    df = data.history_el_reward()
    independent = df[df["independent"] & (df["component"] == "total")]
    assert len(independent) >= 3
    assert (independent["window_start"] <= independent["window_end"]).all()
    # a mid-2026 figure that owes nothing to a staker APR (EIP-8363's relay payments)
    recent = independent[independent["window_end"] >= pd.Timestamp("2026-06-01")]
    assert not recent.empty
    assert recent["el_reward_per_block_eth"].between(0.01, 0.1).all()
    # figures backed out of Lido's APR are present for comparison and flagged as such
    derived = df[~df["independent"]]
    assert set(derived["statistic"]) == {"backed out of a staker APR"}


def test_backtest_rules_do_not_overlap():
    df = data.history_rules()
    used = df[df["backtest"]]
    assert {("lido", "fee_total"), ("rocketpool", "reth_commission")} <= set(
        zip(used["pool"], used["rule"], strict=True)
    )
    for (_pool, _rule), rows in used.groupby(["pool", "rule"]):
        rows = rows.sort_values("valid_from")
        ends = rows["valid_to"].iloc[:-1].to_numpy()
        starts = rows["valid_from"].iloc[1:].to_numpy()
        assert (ends < starts).all()


@pytest.fixture
def fake_data(tmp_path, monkeypatch):
    """Point the loaders at a folder of our own; returns a writer of files into it."""
    monkeypatch.setattr(resources, "data_file", lambda name: tmp_path / name)

    def write(name: str, text: str) -> None:
        (tmp_path / name).write_text(text, encoding="utf-8")

    return write


GOOD_RATE = "2025-01-01,lido,0.03,7-day,net of fee,a source,primary,,\n"
RATES_HEADER = "date,series,apr,window,includes,source,quality,calibration,note\n"


def test_loader_names_the_missing_column(fake_data):
    fake_data("history_rates.csv", RATES_HEADER.replace(",quality", "") + "2025-01-01,lido,0.03,7-day,x,y,,\n")
    with pytest.raises(DivaeconError, match=r"history_rates\.csv: column 'quality' is missing"):
        data.history_rates()


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("2025-02-30,lido,0.03,7-day,x,src,primary,,\n", "date"),
        ("2025-01-01,lido,3.1,7-day,x,src,primary,,\n", "apr"),
        ("2025-01-01,lido,abc,7-day,x,src,primary,,\n", "apr"),
        ("2025-01-01,steth,0.03,7-day,x,src,primary,,\n", "series"),
        ("2025-01-01,lido,0.03,7-day,x,,primary,,\n", "source"),
        ("2025-01-01,lido,0.03,7-day,x,src,excellent,,\n", "quality"),
    ],
)
def test_loader_names_the_bad_value(fake_data, line, column):
    fake_data("history_rates.csv", RATES_HEADER + GOOD_RATE + line)
    with pytest.raises(DivaeconError, match=rf"history_rates\.csv: column '{column}', row 2: ") as info:
        data.history_rates()
    assert "\n" not in str(info.value)


def test_stake_loader_refuses_a_bad_measure(fake_data):
    fake_data(
        "history_stake.csv",
        "date,total_staked_eth,validators,measure,source,quality,note\n2025-01-01,1e7,,guess,src,primary,\n",
    )
    with pytest.raises(DivaeconError, match=r"history_stake\.csv: column 'measure', row 1: 'guess'"):
        data.history_stake()


def test_el_reward_loader_refuses_a_bad_flag(fake_data):
    header = (
        "date,window_start,window_end,el_reward_per_block_eth,component,statistic,independent,source,quality,note\n"
    )
    fake_data("history_el_reward.csv", header + "2025-01-01,2025-01-01,2025-01-02,0.03,total,mean,maybe,src,primary,\n")
    with pytest.raises(DivaeconError, match=r"history_el_reward\.csv: column 'independent', row 1: 'maybe'"):
        data.history_el_reward()
