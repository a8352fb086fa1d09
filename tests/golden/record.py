"""Record the simulation engine's output on frozen scenarios, for the refactoring guard.

These values are *regression* values, not reference values: they were recorded from the engine
as it stood at commit 212bc64 (``divaecon/simulate.py`` before the sub-package), so that
``tests/test_simulate_golden.py`` can show a rewritten engine computes the same numbers (to
1e-12). The scenarios are frozen here in full (``scenarios/*.yaml``), so a later change of a
default does not move them; mechanisms added later are switched off in them where that keeps the
old numbers (no entry or exit queue, one deposit, operator fees paid out, no deposit cap:
``deposit_cap_eth: 0``). Re-record only when a
change of the model is intended, and say which in the commit message:
``.venv/bin/python tests/golden/record.py [NAME ...]``.

History: recorded at 212bc64; ``mc-slashing`` re-recorded when withdrawals started to wait in
Ethereum's exit queue and slashed stake to come back only once withdrawable; all re-recorded when
consensus rewards took the spec's floored base reward (343 gwei at 34.65M ETH, not 343.82: staker
APYs −0.15 %, issue 9); all re-recorded when the day's withdrawal requests and logistic deposits
came to be taken on the stakers' divETH after the day's rewards and penalties (it had counted the
penalties the assigned collateral covered that day as stakers' divETH: staker APYs move < 0.0002
pp, mean queue waits ≤ 0.12 %). Between those changes each run matched the previous engine to 1e-12.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> (seeds, days); the Monte Carlo cases draw outages, proposer luck and slashings
RUNS: dict[str, tuple[int, int]] = {
    "base": (1, 3650),
    "low-collateral": (1, 3650),
    "large-network": (1, 3650),
    "correlated-outages": (2, 3650),
    "mc-slashing": (3, 400),
}
RNG = 0
EVERY = 30


def main(names: list[str]) -> None:
    from divaecon.params import load_scenario
    from divaecon.simulate import RECORDABLE, simulate

    for name, (seeds, days) in RUNS.items():
        if names and name not in names:
            continue
        scenario = load_scenario(HERE / "scenarios" / f"{name}.yaml")
        res = simulate(scenario, seeds=seeds, days=days, record=list(RECORDABLE), record_every_days=EVERY, rng=RNG)
        res.timeseries.to_csv(HERE / f"{name}.timeseries.csv", index=False, float_format="%.17g")
        res.summary.to_csv(HERE / f"{name}.summary.csv", index=False, float_format="%.17g")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])  # names of the runs to record again (default: all)
