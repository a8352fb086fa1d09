"""Benchmark of the network simulation: the compiled engine against the scalar twin.

Run with the project's environment: ``.venv/bin/python benchmarks/bench_simulate.py``.
Prints one JSON line: scenarios, days, seconds (fastest of ``--repeat`` runs, building the rows
and the pandas output included), scenario_days_per_s, seconds_1_thread, peak_rss_mb,
scalar_scenario_days_per_s, speedup_vs_scalar (both engines timed in the same run), threads,
warm_up_s (loading the compiled day loop from numba's cache in a fresh process: what a report or
a notebook pays once).
Targets (issue 8): 10,000 scenarios x 3,650 days no slower than before (0.94-1.21 s on 2 cores);
aim <= 0.5 s on 2 cores and >= 300x the scalar twin. Results and the machine: benchmarks/simulate.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=3_650)
    parser.add_argument(
        "--scalar-scenarios",
        type=int,
        default=3,
        help="scenarios timed with the scalar twin (its rate is per scenario-day)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of the engine; the fastest counts")
    args = parser.parse_args(argv)

    import numba

    from divaecon.params import load_scenario
    from divaecon.simulate import simulate, warm_up
    from divaecon.simulate.reference import simulate_scalar

    # a fresh process loading the compiled code from the cache
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from divaecon.simulate import warm_up; warm_up()"], check=True)
    warm_up_s = time.perf_counter() - t0
    warm_up()

    base = load_scenario(ROOT / "data" / "scenarios" / "base.yaml")
    # Distinct scenarios: a spread of collateral per key share and deposit growth.
    scenarios = [
        base.override(
            name=f"s{i}",
            collateral_per_key_share_eth=0.25 + (i % 16) * 0.125,
            growth_rate_per_year=0.5 + (i % 7) * 0.25,
        )
        for i in range(args.scenarios)
    ]

    def best_of(repeat: int) -> float:
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            res = simulate(scenarios, days=args.days)
            best = min(best, time.perf_counter() - t)
            assert len(res.summary) == args.scenarios
            del res
        return best

    threads = numba.get_num_threads()
    best = best_of(args.repeat)
    numba.set_num_threads(1)
    best_1 = best_of(max(1, args.repeat - 1))
    numba.set_num_threads(threads)

    t0 = time.perf_counter()
    for sc in scenarios[: args.scalar_scenarios]:
        simulate_scalar(sc, days=args.days)
    scalar_s = time.perf_counter() - t0

    vec_rate = args.scenarios * args.days / best
    scalar_rate = args.scalar_scenarios * args.days / scalar_s
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        json.dumps(
            {
                "scenarios": args.scenarios,
                "days": args.days,
                "seconds": round(best, 3),
                "scenario_days_per_s": round(vec_rate),
                "seconds_1_thread": round(best_1, 3),
                "peak_rss_mb": round(peak, 1),
                "scalar_scenario_days_per_s": round(scalar_rate),
                "speedup_vs_scalar": round(vec_rate / scalar_rate, 1),
                "threads": threads,
                "warm_up_s": round(warm_up_s, 2),
                "load_average": round(os.getloadavg()[0], 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
