"""The simulation computes the same numbers as the engine it replaced (regression guard).

``tests/golden/`` holds the output of the engine as it stood at commit 212bc64, on frozen copies
of the shipped scenarios and a Monte Carlo case with outages, proposer luck and slashings
(see ``tests/golden/record.py``). Mechanisms added since are switched off in those scenarios
(no entry or exit queue, one deposit, operator fees paid out, no deposit cap). These are
regression values, not reference values: the reference values (by hand, from the specs) are in
``test_simulate*.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from divaecon.params import load_scenario
from divaecon.simulate import RECORDABLE, simulate

GOLDEN = Path(__file__).resolve().parent / "golden"
RUNS = {  # name -> (seeds, days), as recorded
    "base": (1, 3650),
    "low-collateral": (1, 3650),
    "large-network": (1, 3650),
    "correlated-outages": (2, 3650),
    "mc-slashing": (3, 400),
}
REL = 1e-12


def _assert_close(got: pd.DataFrame, want: pd.DataFrame, what: str) -> None:
    assert list(got.columns) == list(want.columns), what
    assert len(got) == len(want), what
    for col in want.columns:
        if col == "scenario":
            assert list(got[col].astype(str)) == list(want[col].astype(str)), (what, col)
            continue
        g = got[col].to_numpy(dtype=float)
        w = want[col].to_numpy(dtype=float)
        scale = max(1.0, float(np.nanmax(np.abs(w)))) if np.isfinite(w).any() else 1.0
        ok = np.isclose(g, w, rtol=REL, atol=REL * scale) | (np.isnan(g) & np.isnan(w))
        assert ok.all(), f"{what}: {col} differs at rows {np.flatnonzero(~ok)[:5]}: {g[~ok][:3]} vs {w[~ok][:3]}"


@pytest.mark.parametrize("name", list(RUNS))
def test_engine_reproduces_the_recorded_output(name: str) -> None:
    seeds, days = RUNS[name]
    scenario = load_scenario(GOLDEN / "scenarios" / f"{name}.yaml")
    res = simulate(scenario, seeds=seeds, days=days, record=list(RECORDABLE), record_every_days=30, rng=0)
    # columns added since the recording (refused deposits: the frozen scenarios have no deposit
    # cap, so they are 0) are checked to be 0, not compared
    summary = pd.read_csv(GOLDEN / f"{name}.summary.csv")
    assert (res.summary["refused_deposits_eth"] == 0.0).all()
    _assert_close(res.summary[list(summary.columns)], summary, f"{name} summary")
    recorded = pd.read_csv(GOLDEN / f"{name}.timeseries.csv")
    # variables added since the recording (the entry and exit queues, ejections, refused
    # deposits) are not compared
    _assert_close(res.timeseries[list(recorded.columns)], recorded, f"{name} timeseries")


def test_the_monte_carlo_case_draws_something() -> None:
    # The guard is only worth having if the recorded Monte Carlo case exercised the random paths.
    # Slashed validators exit and are created again, so the seeds create different numbers.
    last = pd.read_csv(GOLDEN / "mc-slashing.timeseries.csv").groupby("seed").last()
    assert last["validators_created"].nunique() == 3
    assert pd.read_csv(GOLDEN / "mc-slashing.summary.csv")["wdiveth_rate"].nunique() == 3
