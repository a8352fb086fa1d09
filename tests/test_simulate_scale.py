"""The simulate command line and the dask scale-out of sweeps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from divaecon.cli import main
from divaecon.params import Scenario
from divaecon.simulate import RNG_BLOCK, sweep

BASE = "data/scenarios/base.yaml"


def test_cli_prints_a_summary_beside_the_quote(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "ts.csv"
    code = main(
        [
            "simulate",
            "--scenario",
            BASE,
            "--days",
            "90",
            "--seeds",
            "2",
            "--grid",
            "collateral_per_key_share_eth=0.5,1",
            "--out",
            str(out),
        ]
    )
    text = capsys.readouterr().out
    assert code == 0
    assert "divETH staker APY (realised)" in text
    # The base scenario's quote: 0.9 r, r = 2.848 % at 39.2M ETH (323 gwei * 82,181.25 / 1e9 *
    # (106 a - 42) / 64 + 0.029 * 2,629,800 * a / 39.2e6, a = P(Bin(16, 0.95) >= 11)): 2.56 %.
    assert "Quote (no cash drag)" in text and "staker APR 2.56 %" in text
    assert "base[collateral_per_key_share_eth=0.5]" in text
    ts = pd.read_csv(out)
    assert set(ts["seed"]) == {0, 1}
    assert ts["scenario"].nunique() == 2
    assert not list(tmp_path.glob(".*tmp"))  # written through a temporary file


def test_cli_writes_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ts.parquet"
    assert main(["simulate", "--days", "30", "--out", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 2  # days 0 and 29 at the default 30-day interval
    capsys.readouterr()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grid", "nope=1,2"], "--grid nope: unknown parameter"),
        (["--grid", "collateral_per_key_share_eth=abc"], "not a valid float"),
        (["--grid", "collateral_per_key_share_eth=-1"], "collateral_per_key_share_eth"),
        (["--grid", "collateral_per_key_share_eth"], "expected NAME=V1,V2"),
        (["--seeds", "0"], "--seeds = 0"),
        (["--out", "x.txt"], ".csv or .parquet"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["simulate", "--days", "10", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert message in err


@pytest.mark.dask
@pytest.mark.xdist_group("dask")
def test_sweep_on_a_two_worker_local_cluster_equals_the_in_process_run() -> None:
    from dask.distributed import Client, LocalCluster

    # no entry queue, so validators earn (and luck shows) within the 60 days
    base = Scenario().override(
        proposer_luck=True,
        outage_rate_per_operator_per_year=5.0,
        initial_staker_eth=50_000.0,
        entry_queue_eth=0.0,
        two_step_deposit=False,
    )
    grid = {"collateral_per_key_share_eth": [0.5, 1.0, 2.0]}
    seeds = 100  # 300 rows: two chunks of RNG_BLOCK rows
    assert 3 * seeds > RNG_BLOCK
    local = sweep(base, grid, seeds=seeds, days=60, rng=42)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        remote = sweep(base, grid, seeds=seeds, days=60, rng=42, client=client, chunk_size=RNG_BLOCK)
    pd.testing.assert_frame_equal(local.summary, remote.summary, check_exact=True)
    pd.testing.assert_frame_equal(local.timeseries, remote.timeseries, check_exact=True)
    assert local.summary["wdiveth_rate"].nunique() > 3  # the draws differ by seed


def test_explain_measures_each_effect_by_switching_it_off(capsys: pytest.CaptureFixture[str]) -> None:
    from divaecon.quote import quote
    from divaecon.simulate import apy_decomposition
    from divaecon.units import apr_to_apy

    base = Scenario()
    table = apy_decomposition(base, days=1_460)
    apy = table["staker_apy"].to_numpy()
    summed = table[table["in_sum"]]
    # switching off stake growth, the entry queue and the collateral bottleneck each raise the APY
    assert (summed["effect"].iloc[1:4] > 0).all()
    # with all three off, only whole validators and daily steps separate the run from the quote
    assert apy[3] == pytest.approx(float(apr_to_apy(quote(base).staker_apr)), abs=5e-5)
    assert summed["effect"].iloc[1:].sum() == pytest.approx(summed["staker_apy"].iloc[-1] - apy[0])
    # beside the sum, the run without the deposit cap: within four years the base scenario's
    # buffer reaches its 18,000 ETH cap (collateral short from day 1,286), so the capped run
    # refuses deposits and the uncapped one leaves more ETH waiting, at a lower APY
    uncapped = table[~table["in_sum"]].iloc[0]
    assert table["refused_deposits_eth"].iloc[0] > 0 and uncapped["refused_deposits_eth"] == 0
    assert uncapped["effect"] == pytest.approx(uncapped["staker_apy"] - apy[0]) and uncapped["effect"] < 0
    assert main(["simulate", "--explain", "--days", "400"]) == 0
    out = capsys.readouterr().out
    assert "without the entry queue" in out and " pp " in out and "without the deposit cap" in out
    assert main(["simulate", "--explain", "--seeds", "3"]) == 2
