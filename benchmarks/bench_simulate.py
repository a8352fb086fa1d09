"""Benchmark of the network simulation: vectorised engine against the scalar reference.

Run with the project's environment: ``.venv/bin/python benchmarks/bench_simulate.py``.
Prints one JSON line: scenarios, days, seconds, scenario_days_per_s, peak_rss_mb,
scalar_scenario_days_per_s, speedup_vs_scalar (both engines timed in the same run), processes
(of the vectorised engine; the scalar one runs in one).
Targets (issue #3): 10,000 scenarios x 3,650 days in <= 1 s, >= 300x the scalar engine,
peak RSS <= 1 GiB. Results and the machine: benchmarks/simulate.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=3_650)
    parser.add_argument("--scalar-scenarios", type=int, default=3,
                        help="scenarios timed with the scalar engine (its rate is per scenario-day)")
    parser.add_argument("--repeat", type=int, default=3, help="vectorised runs; the fastest counts")
    parser.add_argument("--processes", type=int, choices=(1, 2), default=None,
                        help="processes of the vectorised engine (default: its own choice, 2 here on 2+ CPUs)")
    args = parser.parse_args(argv)

    from divaecon.params import load_scenario
    from divaecon.simulate import auto_processes, simulate
    from divaecon.simulate_reference import simulate_scalar

    base = load_scenario(ROOT / "data" / "scenarios" / "base.yaml")
    # Distinct scenarios: a spread of collateral per key share and deposit growth.
    scenarios = [
        base.override(name=f"s{i}", collateral_per_key_share_eth=0.25 + (i % 16) * 0.125,
                      growth_rate_per_year=0.5 + (i % 7) * 0.25)
        for i in range(args.scenarios)
    ]
    simulate(scenarios[:16], days=30)  # warm-up (imports, scipy tables)

    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        res = simulate(scenarios, days=args.days, _processes=args.processes)
        best = min(best, time.perf_counter() - t0)
    assert len(res.summary) == args.scenarios

    t0 = time.perf_counter()
    for sc in scenarios[: args.scalar_scenarios]:
        simulate_scalar(sc, days=args.days)
    scalar_s = time.perf_counter() - t0

    vec_rate = args.scenarios * args.days / best
    scalar_rate = args.scalar_scenarios * args.days / scalar_s
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({
        "scenarios": args.scenarios,
        "days": args.days,
        "seconds": round(best, 3),
        "scenario_days_per_s": round(vec_rate),
        "peak_rss_mb": round(peak, 1),
        "scalar_scenario_days_per_s": round(scalar_rate),
        "speedup_vs_scalar": round(vec_rate / scalar_rate, 1),
        "processes": args.processes or auto_processes(args.scenarios, args.days),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
