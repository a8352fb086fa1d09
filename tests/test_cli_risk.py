"""``divaecon risk``: the base scenario's figures as JSON, the options, one-line errors (exit 2)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from divaecon.cli import main
from divaecon.figures import RISK_FIGURES


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def base_json():
    proc = subprocess.run(
        [sys.executable, "-m", "divaecon.cli", "risk", "--json", "--validator-years", "100000"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_json_has_the_figures_of_the_base_scenario(base_json):
    d = base_json
    assert d["scenario"] == "base" and d["collateral_per_key_share_eth"] == 1.0
    assert set(d["figures"]) == {f.key for f in RISK_FIGURES}  # every registered figure, no other
    assert set(d["required_collateral_per_key_share_eth"]) == {"loss_probability", "shortfall_apr"}
    for key in ("shortfall_probability_per_validator_year", "shortfall_apr", "mean_loss_eth_per_validator_year"):
        f = d["figures"][key]
        assert f["low"] <= f["exact"] <= f["high"], key  # the Monte Carlo's interval holds the closed form
    # classes are independent: P(no shortfall) is the product over the events listed
    p_none = math.prod(1 - row["shortfall_probability"] for row in d["by_class"])
    assert d["exact"]["shortfall_probability_per_validator_year"] == pytest.approx(1 - p_none, rel=1e-9)
    assert d["exact"]["shortfall_apr"] == pytest.approx(d["exact"]["expected_shortfall_eth_per_validator_year"] / 32)


def test_text_report_and_options(capsys):
    code, out, err = run(
        capsys,
        "risk",
        "--validator-years",
        "20000",
        "--collateral-per-key-share",
        "0.5",
        "--target-shortfall-apr",
        "0.0002",
    )
    assert code == 0 and err == ""
    assert "collateral 0.5 divETH per key share" in out and "20,000 validator-years" in out
    assert "Collateral per key share for the shortfall target" in out
    assert "loss-probability target" not in out  # one target asked, one answered
    code, out, _ = run(capsys, "risk", "--validator-years", "20000", "--json", "--collateral-per-key-share", "0.5")
    low = json.loads(out)
    code, out, _ = run(capsys, "risk", "--validator-years", "20000", "--json", "--collateral-per-key-share", "2")
    high = json.loads(out)
    assert low["exact"]["shortfall_apr"] > high["exact"]["shortfall_apr"]
    assert low["yields"]["operator_apr"] > high["yields"]["operator_apr"]


def test_same_seed_same_numbers(capsys):
    outs = [run(capsys, "risk", "--json", "--validator-years", "20000", "--seed", "7")[1] for _ in range(2)]
    assert outs[0] == outs[1]
    other = run(capsys, "risk", "--json", "--validator-years", "20000", "--seed", "8")[1]
    assert json.loads(other)["monte_carlo"] != json.loads(outs[0])["monte_carlo"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--target-loss-probability", "2"], "--target-loss-probability = 2: must be strictly between 0 and 1"),
        (["--target-shortfall-apr", "0"], "--target-shortfall-apr = 0: must be strictly between 0 and 1"),
        (["--target-shortfall-apr", "1e-4", "--target-loss-probability", "1e-4"], "give at most one"),
        (["--collateral-per-key-share", "-1"], "--collateral-per-key-share = -1: must be from 0 to 32"),
        (["--collateral-per-key-share", "nan"], "--collateral-per-key-share = nan"),
        (["--validator-years", "5"], "--validator-years = 5: must be from 10,000"),
        (["--seed", "-2"], "--seed = -2"),
        (["--collateral-per-key-share", "lots"], "'lots' is not a valid float"),
        (["--scenario", "/nonexistent/s.yaml"], "cannot read scenario file"),
    ],
)
def test_bad_input_is_one_line_with_status_2(capsys, args, fragment):
    code, out, err = run(capsys, "risk", *args)
    assert code == 2 and out == ""
    assert err.startswith("divaecon: error: ") and fragment in err
    assert err.count("\n") == 1


def test_bad_risk_section_in_a_scenario_file(capsys, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("risk:\n  leak_rate_per_year: -0.1\n", encoding="utf-8")
    code, _, err = run(capsys, "risk", "--scenario", str(p))
    assert code == 2 and "risk.leak_rate_per_year = -0.1" in err and err.count("\n") == 1


def test_a_run_too_large_is_refused_before_it_starts(capsys):
    # 1e9 validator-years draw ~2e9 events (≈ 250 GB): refused with the estimate and the way down
    code, out, err = run(capsys, "risk", "--validator-years", "1000000000", "--max-memory", "1GB")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "risk Monte Carlo too large" in err and "--validator-years" in err and "1 GB" in err
    code, _, err = run(capsys, "risk", "--max-memory", "lots")
    assert code == 2 and "--max-memory = 'lots'" in err


def test_the_estimate_errs_high():
    # benchmarks/risk.md: 10 M validator-years drew 21.3 M events and peaked at 2.4-2.5 GB
    from divaecon.params import Scenario
    from divaecon.risk import risk_model
    from divaecon.risk.montecarlo import expected_events, risk_estimate

    model = risk_model(Scenario())
    assert expected_events(model, 10_000_000) == pytest.approx(21.26e6, rel=0.02)
    assert risk_estimate(model, 10_000_000).bytes >= 2.5e9
