"""Benchmark of the work estimate (:mod:`divaecon.sizing`) against measured runs.

Run with the project's environment: ``.venv/bin/python benchmarks/bench_sizing.py``.
For a few run shapes (rows × days × recording interval × variables, in-process and as a sweep)
prints one JSON line per shape: the estimate's bytes above ``BASE_BYTES`` and seconds, the peak of
traced allocations (``tracemalloc``: Python objects and numpy arrays) and the wall time, and their
ratios. The estimate is meant to err high: ``bytes_ratio`` = estimate / measured ≥ 1.
Results and the machine: benchmarks/sizing.md.
"""

from __future__ import annotations

import json
import time
import tracemalloc

SHAPES = [
    # (kind, rows or grid points, days, record_every, variables: "default" or "all")
    ("simulate", 10_000, 30, 1, "default"),
    ("simulate", 10_000, 3_650, 30, "default"),
    ("simulate", 4_000, 365, 1, "all"),
    ("simulate", 50_000, 10, 5, "default"),
    ("sweep", 2_000, 365, 30, "default"),
]


def main() -> int:
    from divaecon import sizing
    from divaecon.params import Scenario
    from divaecon.simulate import DEFAULT_RECORD, RECORDABLE, simulate, sweep, warm_up
    from divaecon.simulate.api import recorded_day_count, ring_days

    warm_up()
    base = Scenario()
    for kind, n, days, every, which in SHAPES:
        record = tuple(RECORDABLE) if which == "all" else DEFAULT_RECORD
        tracemalloc.start()
        t0 = time.perf_counter()
        if kind == "simulate":
            simulate(base, seeds=n, days=days, record_every_days=every, record=record)
            scenarios = 1
        else:
            values = [round(0.05 + 0.001 * i, 3) for i in range(n)]
            sweep(base, {"collateral_per_key_share_eth": values}, days=days, record_every_days=every, record=record)
            scenarios = n
        seconds = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ring = ring_days([base], days)
        est = sizing.simulation_estimate(
            n, scenarios, days, recorded_day_count(days, every), len(record), ring_days=ring
        )
        above_base = est.bytes - sizing.BASE_BYTES
        print(
            json.dumps(
                {
                    "benchmark": "sizing",
                    "kind": kind,
                    "rows": n,
                    "days": days,
                    "every": every,
                    "variables": len(record),
                    "ring_days": ring,
                    "estimate_mb": round(above_base / 1e6, 1),
                    "measured_peak_mb": round(peak / 1e6, 1),
                    "bytes_ratio": round(above_base / peak, 2),
                    "estimate_s": round(est.seconds, 2),
                    "measured_s": round(seconds, 2),
                    "seconds_ratio": round(est.seconds / seconds, 2),
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
