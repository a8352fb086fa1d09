"""divaecon.backtest and `divaecon backtest`: predictions from each date's inputs, recomputed by
hand; in-sample points flagged and kept out of the summaries; one-line errors for bad input."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from calibrated import MARKED_DAYS, marked_rates  # tests/calibrated.py

from divaecon import backtest as bt
from divaecon import data
from divaecon.cli import main
from divaecon.errors import DivaeconError

# consensus-specs configs/mainnet.yaml and specs/altair/beacon-chain.md, written out here so the
# test does not lean on divaecon.ethereum: EFFECTIVE_BALANCE_INCREMENT = 10**9 gwei,
# BASE_REWARD_FACTOR = 64, SECONDS_PER_SLOT = 12, SLOTS_PER_EPOCH = 32; a year of 365.25 days.
SLOTS_A_YEAR = 365.25 * 86400 / 12  # 2,629,800
EPOCHS_A_YEAR = SLOTS_A_YEAR / 32  # 82,181.25


def spec_gross_apr(stake_eth: float, uptime: float, el_per_block: float) -> float:
    """Consensus + execution APR of a validator online ``uptime`` of the time, at full
    participation, by the spec's rules (ASSUMPTIONS.md "consensus reward at uptime u"):
    get_base_reward_per_increment = 10**9 * 64 // isqrt(total active balance in gwei);
    one base reward an epoch is the ideal; at uptime u a validator earns
    u*54 (attestations) - (1-u)*40 (missed source and target) + (2u-1)*2 (sync committee)
    + 8u (proposals) sixty-fourths of it = (106u - 42)/64; execution rewards: the blocks it
    proposes, SLOTS_A_YEAR * u * 32 / stake of them a year for 32 ETH."""
    per_increment = 10**9 * 64 // math.isqrt(int(stake_eth * 10**9))
    ideal = per_increment * EPOCHS_A_YEAR / 10**9
    consensus = ideal * (106 * uptime - 42) / 64
    execution = el_per_block * SLOTS_A_YEAR * uptime / stake_eth
    return consensus + execution


@pytest.fixture(scope="module")
def result() -> bt.BacktestResult:
    return bt.backtest()


def point(result, day, series):
    rows = result.points[(result.points["date"] == pd.Timestamp(day)) & (result.points["series"] == series)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_network_point_recomputed_by_hand(result):
    """ETH.STORE on 2026-05-31: the stake is beaconcha.in's 39,255,940 ETH of that day (a row of
    history_stake.csv); the execution reward is EIP-8363's 0.030 ETH a block (the last
    independent figure, so the nearest); the average operator's uptime 0.997 (0.3 % of
    attestations missed, ASSUMPTIONS.md); no fee."""
    expected = spec_gross_apr(39_255_940, 0.997, 0.030)
    p = point(result, "2026-05-31", "network")
    assert p["predicted"] == pytest.approx(expected, rel=1e-12)
    assert 0.0282 < expected < 0.0286  # 2.64 % consensus + 0.20 % execution
    assert p["error"] == pytest.approx(expected - 0.02732, rel=1e-12)
    assert p["sample"] == "out_of_sample"


def test_lido_point_recomputed_by_hand_with_interpolated_execution_reward(result):
    """Lido on 2025-06-30: stake 35,374,266 ETH (beaconcha.in that day); execution reward
    linear in time between Rated's 0.0676 ETH (window midpoint 2024-06-24) and EIP-8363's
    0.030 ETH (2026-01-30); professional nodes at 0.997; Lido's 10 % fee."""
    a, b = pd.Timestamp("2024-06-24"), pd.Timestamp("2026-01-30")
    share = (pd.Timestamp("2025-06-30") - a) / (b - a)
    el = 0.0676 + share * (0.030 - 0.0676)
    expected = spec_gross_apr(35_374_266, 0.997, el) * (1 - 0.10)
    p = point(result, "2025-06-30", "lido")
    assert p["el_reward_per_block_eth"] == pytest.approx(el, rel=1e-12)
    assert p["predicted"] == pytest.approx(expected, rel=1e-12)


def test_stake_is_interpolated_between_dated_rows():
    """2024-09-04 lies between the chart's 2024-06-30 (32,985,160) and 2024-09-30 (34,461,145)."""
    a, b = pd.Timestamp("2024-06-30"), pd.Timestamp("2024-09-30")
    share = (pd.Timestamp("2024-09-04") - a) / (b - a)
    assert bt.stake_at("2024-09-04") == pytest.approx(32_985_160 + share * (34_461_145 - 32_985_160), rel=1e-12)


def test_rules_of_the_date_are_used(result):
    lido = result.points[result.points["series"] == "lido"]
    assert (lido["staker_fee"] == 0.10).all()
    reth = result.points[result.points["series"] == "rocketpool"]
    assert (reth["staker_fee"] == 0.14).all()
    assert (reth["node_uptime"] == 0.978).all()  # Rocket Pool nodes' default uptime


def test_execution_reward_never_comes_from_a_staker_apr():
    """On the day the old default was backed out of Lido's APR (0.0204 ETH) the backtest uses
    the independent relay figure instead."""
    assert bt.el_reward_at("2026-05-27") == pytest.approx(0.030)
    assert bt.el_reward_at("2025-06-03") != pytest.approx(0.0356)


@pytest.fixture
def fitted(monkeypatch: pytest.MonkeyPatch) -> bt.BacktestResult:
    """The backtest as if two Lido points had calibrated a default: the shipped data have none
    (tests/test_history_data.py), so the flag's handling is tested on a marked copy."""
    marked = marked_rates()
    monkeypatch.setattr(data, "history_rates", lambda: marked)
    return bt.backtest()


def test_shipped_points_are_all_out_of_sample(result):
    assert (result.points["sample"] == "out_of_sample").all()
    assert (result.summary["n_in_sample"] == 0).all()


def test_calibration_points_are_in_sample_and_out_of_the_summary(fitted):
    """A point a default was fitted to agrees by construction: it must never be counted as
    out-of-sample agreement. Fails if the flag is lost or the summary uses every point."""
    result = fitted
    pts = result.points
    calibrated = pts[pts["calibration"] != ""]
    assert len(calibrated) == 2
    assert (calibrated["sample"] == "in_sample").all()
    for day in MARKED_DAYS:
        assert point(result, day, "lido")["sample"] == "in_sample"
    assert (pts.loc[pts["calibration"] == "", "sample"] == "out_of_sample").all()

    summary = result.summary.set_index("series")
    lido = pts[pts["series"] == "lido"]
    oos = lido[lido["calibration"] == ""]
    assert summary.loc["lido", "n_out_of_sample"] == len(oos)
    assert summary.loc["lido", "n_in_sample"] == 2
    assert summary.loc["lido", "bias"] == pytest.approx(oos["error"].mean())
    assert summary.loc["lido", "mae"] == pytest.approx(oos["error"].abs().mean())
    assert summary.loc["lido", "mae"] != pytest.approx(lido["error"].abs().mean())
    assert summary.loc["lido", "worst_date"] in set(oos["date"])
    everything = pts[pts["sample"] == "out_of_sample"]
    assert summary.loc["all", "n_out_of_sample"] == len(everything)
    assert summary.loc["all", "mae"] == pytest.approx(everything["error"].abs().mean())


def test_worst_point_is_the_largest_absolute_out_of_sample_error(result):
    for name, row in result.summary.set_index("series").iterrows():
        pts = result.points if name == "all" else result.points[result.points["series"] == name]
        oos = pts[pts["sample"] == "out_of_sample"]
        assert abs(row["worst_error"]) == pytest.approx(oos["error"].abs().max())


def test_series_and_dates_limit_the_points():
    r = bt.backtest(["rocketpool"], "2024-01-01", "2024-12-31")
    assert set(r.points["series"]) == {"rocketpool"}
    assert r.points["date"].between("2024-01-01", "2024-12-31").all()
    assert list(r.summary["series"]) == ["rocketpool", "all"]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"series": ["steth"]}, r"^series = 'steth': unknown series; choose from network, lido, rocketpool$"),
        ({"start": "2019-01-01"}, r"^start = 2019-01-01: outside the data; give a date from 2023-06-30 to "),
        ({"end": "2031-01-01"}, r"^end = 2031-01-01: outside the data"),
        ({"end": "last week"}, r"^end = 'last week': not a date; give YYYY-MM-DD$"),
        ({"start": "2025-01-01", "end": "2024-01-01"}, r"^start = 2025-01-01 is after end = 2024-01-01$"),
    ],
)
def test_bad_input_is_one_line_naming_field_value_and_what_is_allowed(kwargs, pattern):
    with pytest.raises(DivaeconError, match=pattern):
        bt.backtest(**kwargs)


def test_a_date_outside_the_stake_data_is_refused():
    with pytest.raises(DivaeconError, match=r"^date = 2022-01-01: outside the stake data; give a date from 2023-04-19"):
        bt.predict("2022-01-01", "network")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_points_and_summaries(capsys):
    code, out, err = run(capsys, "backtest", "--json")
    assert code == 0, err
    doc = json.loads(out)
    points = doc["points"]
    assert len(points) >= 20
    assert len({p["series"] for p in points}) >= 3
    assert set(points[0]) >= {"date", "series", "predicted", "published", "error", "sample"}
    for p in points:
        assert p["error"] == pytest.approx(p["predicted"] - p["published"])
        assert p["sample"] in {"in_sample", "out_of_sample"}
    assert [s["series"] for s in doc["summary"]] == ["network", "lido", "rocketpool", "all"]
    assert all(set(s) >= {"bias", "mae", "worst_date", "worst_error"} for s in doc["summary"])


def test_cli_series_repeatable_and_csv(capsys, tmp_path):
    target = tmp_path / "points.csv"
    code, out, err = run(capsys, "backtest", "--series", "lido", "--series", "network", "--csv", str(target))
    assert code == 0, err
    assert "out-of-sample" in out and "in-sample (" not in out  # the shipped points fit no default
    assert "%" in out and "rocketpool" not in out
    written = pd.read_csv(target)
    assert set(written["series"]) == {"lido", "network"}
    assert {"stake_eth", "el_reward_per_block_eth", "source"} <= set(written.columns)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--series", "steth"), "--series = 'steth': unknown series; choose from network, lido, rocketpool"),
        (("--start", "2019-01-01"), "--start = 2019-01-01: outside the data"),
        (("--end", "2026-13-40"), "--end = '2026-13-40': not a date"),
    ],
)
def test_cli_bad_input_exits_nonzero_with_one_line(capsys, args, needle):
    code, out, err = run(capsys, "backtest", *args)
    assert code != 0
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("divaecon: error: ")
    assert needle in err
