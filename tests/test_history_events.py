"""Event rates from the record (issue 17 item 2): data/history_events.csv, its loader, and the rates
and Gamma posteriors derived from it. Expected values are computed by hand in the comments."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path

import pandas as pd
import pytest

from divaecon import data, records, resources
from divaecon.errors import DivaeconError
from divaecon.uncertainty import uncertain_inputs

ROOT = Path(__file__).resolve().parent.parent
HEADER = "event,row,date,window_start,window_end,count,exposure,exposure_unit,source,quality,note\n"


def test_every_row_dated_sourced_and_flagged():
    with open(ROOT / "data" / "history_events.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 10
    for i, row in enumerate(rows, start=1):
        columns = ("date",) if row["row"] == "incident" else ("window_start", "window_end")
        for column in columns:
            dt.date.fromisoformat(row[column])
        assert row["source"].strip(), f"row {i}: no source"
        assert row["quality"] in {"primary", "secondary", "approximate"}


def test_the_record_holds_the_incidents_the_issue_names():
    df = data.history_events()
    incidents = {(r.event, f"{r.date:%Y-%m-%d}") for r in df[df["row"] == "incident"].itertuples()}
    assert ("finality_leak", "2023-05-12") in incidents  # mainnet's one inactivity leak
    assert ("client_outage", "2023-05-11") in incidents and ("client_outage", "2025-12-04") in incidents
    assert ("mass_slashing", "2025-09-10") in incidents  # SSV operators' 39 validators
    assert set(df["event"]) >= {"client_outage", "finality_leak", "slashed_validator", "client_slashing"}


def test_client_outage_rate_by_hand():
    # 3 incidents, 2022-09-15 to 2025-12-14: 1,096 days to 2025-09-15 (2024 is a leap year) + 90 =
    # 1,186 days = 1,186 / 365.2425 = 3.247158 years; rate 3 / 3.247158 = 0.923884 a year;
    # Jeffreys posterior Gamma(3.5, 3.247158): mean 3.5 / 3.247158 = 1.077866
    r = records.event_rate("client_outage")
    assert r["count"] == 3
    assert r["exposure"] == pytest.approx(3.247158, rel=1e-6)
    assert r["rate"] == pytest.approx(0.923884, rel=1e-5)
    assert (r["posterior_shape"], r["posterior_rate"]) == pytest.approx((3.5, 3.247158), rel=1e-6)
    assert r["posterior_mean"] == pytest.approx(1.077866, rel=1e-5)


def test_zero_count_posterior_by_hand():
    # no leak lasting a day in 3.247158 years: Gamma(1/2, 3.247158) is chi-square(1) / (2 * 3.247158);
    # chi-square(1) 95th percentile 3.841459 (tables): 3.841459 / 6.494316 = 0.591511; 5th 0.0039321 -> 0.00060547
    r = records.event_rate("long_leak")
    assert r["count"] == 0 and r["rate"] == 0
    assert r["p95"] == pytest.approx(0.591511, rel=1e-5)
    assert r["p5"] == pytest.approx(0.00060547, rel=1e-4)
    assert r["posterior_mean"] == pytest.approx(0.5 / 3.247158, rel=1e-6)


def test_slashings_per_validator_year_by_hand():
    # 438 - 226 = 212 slashed over the validator-years the row states; its exposure is checked here
    # against data/history_stake.csv by the trapezoid rule (the row's note says how):
    # 56 d x (524,060 + 561,649) / 2 + 72 d x (561,649 + 641,446) / 2 + 92 d x (641,446 + 832,656) / 2
    # + 92 d x (832,656 + 902,101) / 2 + 91 d x (902,101 + 979,002) / 2 + 91 d x (979,002 + 1,030,786) / 2
    # + 79 d x (1,030,786 + 1,070,393) / 2 = 481,350,897 validator-days = 1,317,894 validator-years
    stake = data.history_stake()
    active = stake[stake["measure"] == "active_effective_balance"].set_index("date")["total_staked_eth"] / 32
    days = ["2023-04-19", "2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30"]
    points = [(pd.Timestamp("2023-02-22"), 524_060.0)] + [(pd.Timestamp(d), float(active[d])) for d in days]
    a, b = pd.Timestamp("2024-06-30"), pd.Timestamp("2024-09-30")
    end = float(active[a]) + (float(active[b]) - float(active[a])) * 79 / 92
    points.append((pd.Timestamp("2024-09-17"), end))
    vy = sum((t2 - t1).days * (v1 + v2) / 2 for (t1, v1), (t2, v2) in itertools.pairwise(points))
    r = records.event_rate("slashed_validator")
    assert r["exposure"] == pytest.approx(vy / 365.2425, abs=1.0)
    assert r["count"] == 212
    assert r["rate"] == pytest.approx(212 / 1_317_894, rel=1e-9)  # 1.6086e-4 per validator-year


def test_record_spreads_reach_the_parameters():
    by_name = {i.name: i for i in uncertain_inputs()}
    bug = by_name["risk.client_bug_rate_per_year"]
    assert (bug.kind, bug.basis) == ("gamma", "record")
    assert bug.parameters == pytest.approx({"shape": 3.5, "rate": 3.247158}, rel=1e-6)
    lo, hi = bug.interval(0.9)
    assert lo < bug.default < hi  # the default, 1 a year, is inside the record's 90 %
    iso = by_name["risk.isolated_slashing_rate_per_validator_per_year"]
    assert iso.basis == "assumption" and iso.high == pytest.approx(212 / 1_317_894, rel=1e-9)
    assert iso.low == pytest.approx(iso.high / 100, rel=1e-9)
    assert iso.low < iso.default < iso.high
    for name in ("risk.leak_rate_per_year", "risk.client_slashing_rate_per_year"):
        assert "the record counts no such event" in by_name[name].source


def test_assumptions_md_lists_the_record():
    text = (ROOT / "ASSUMPTIONS.md").read_text()
    assert records.event_rates_table() in text, "regenerate with: make assumptions (python -m divaecon.params)"


@pytest.fixture
def fake_events(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "data_file", lambda name: tmp_path / name)

    def write(text: str) -> None:
        (tmp_path / "history_events.csv").write_text(HEADER + text, encoding="utf-8")

    return write


WINDOW = "x,window,,2024-01-01,2025-01-01,,,years,src,approximate,\n"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x,incident,2024-05-01,,,1,,,src,primary,\n", "event 'x' has 0 windows"),
        (WINDOW + WINDOW + "x,incident,2024-05-01,,,1,,,src,primary,\n", "has 2 windows"),
        (WINDOW + "x,incident,2026-05-01,,,1,,,src,primary,\n", "outside its window"),
        (WINDOW, "no count and no incidents"),
        (
            WINDOW.replace(",,,years", ",3,,years") + "x,incident,2024-05-01,,,1,,,src,primary,\n",
            "incidents are listed",
        ),
        (WINDOW + "x,incident,2024-05-01,,,0.5,,,src,primary,\n", "not a whole number"),
        (WINDOW + "x,incident,,,,1,,,src,primary,\n", "an incident has a date"),
        ("x,window,,2025-01-01,2024-01-01,1,,years,src,approximate,\n", "window_start before window_end"),
        ("x,window,,2024-01-01,2025-01-01,1,,weeks,src,approximate,\n", "exposure_unit 'weeks'"),
        ("x,window,,2024-01-01,2025-01-01,1,,validator-years,src,approximate,\n", "exposure is given"),
        ("x,guess,,2024-01-01,2025-01-01,1,,years,src,approximate,\n", "column 'row', row 1: 'guess'"),
        ("x,window,,2024-01-01,2025-01-01,1,,years,,approximate,\n", "column 'source', row 1"),
    ],
)
def test_loader_refuses_a_bad_record(fake_events, text, fragment):
    fake_events(text)
    with pytest.raises(DivaeconError, match=r"history_events\.csv") as info:
        data.history_events()
    assert fragment in str(info.value)
