"""The rule flags of quote, simulate, risk and report: applied, and impossible combinations refused."""

from __future__ import annotations

import json
import math

import pytest

from divaecon import ethereum
from divaecon.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_quote_under_the_tapered_burn_and_ember(capsys):
    code, out, err = run(
        capsys,
        "quote",
        "--issuance-curve",
        "eip8363",
        "--execution-burn",
        "eip8375",
        "--operator-uptime",
        "1",
        "--json",
    )
    assert code == 0 and err == ""
    data = json.loads(out)
    # by hand at 39.2M ETH: y = 323 gwei x 82,181.25 / 1e9 = 2.6545 %, b = (197,989,898 / 245,458,754)^3,
    # consensus (1 - b) y; execution 0.029 x 2,629,800 / 39.2e6 x 2/3
    y = 323 * 82_181.25 / 1e9
    b = (math.isqrt(39_200_000 * 10**9) / math.isqrt(60_250_000 * 10**9)) ** 3
    assert data["consensus_apr"] == pytest.approx((1 - b) * y, rel=1e-9)
    assert data["execution_apr"] == pytest.approx(0.029 * 2_629_800 / 39.2e6 * 2 / 3, rel=1e-9)
    code, out, _ = run(capsys, "quote", "--seconds-per-slot", "8")
    assert code == 0 and "8 s slots (EIP-8198)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["quote", "--issuance-curve", "eip8363", "--issuance-fork-date", "10"], "steady state"),
        (["risk", "--issuance-curve", "eip8363", "--issuance-fork-date", "10"], "steady state"),
        (["simulate", "--issuance-fork-date", "10", "--days", "50"], "nothing forks"),
        (
            ["simulate", "--issuance-curve", "eip8363", "--issuance-fork-date", "60", "--days", "50"],
            "within the horizon",
        ),
        (["quote", "--seconds-per-slot", "1"], "--seconds-per-slot = 1.0"),
        (["quote", "--seconds-per-slot", "30"], "--seconds-per-slot = 30.0"),
        (["simulate", "--issuance-curve", "flat"], "flat"),
        (["report", "--execution-burn", "eip8375", "--issuance-fork-date", "99999"], "issuance-fork-date"),
    ],
)
def test_impossible_rule_combinations_are_one_line_errors(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_simulate_with_a_fork_inside_the_horizon(capsys):
    code, out, err = run(
        capsys, "simulate", "--issuance-curve", "eip8363", "--issuance-fork-date", "20", "--days", "60"
    )
    assert code == 0, err
    today_code, today_out, _ = run(capsys, "simulate", "--days", "60")
    assert today_code == 0 and out != today_out


def test_risk_at_another_slot_time(capsys):
    code, out, err = run(capsys, "risk", "--seconds-per-slot", "10", "--validator-years", "10000", "--json")
    assert code == 0, err
    assert json.loads(out)
    assert float(ethereum.epochs_per_day(10.0)) == 270.0
