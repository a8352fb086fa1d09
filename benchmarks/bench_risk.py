"""Benchmark of the collateral-risk Monte Carlo and of what users wait for around it.

Run with the project's environment: ``.venv/bin/python benchmarks/bench_risk.py``.
Prints one JSON line: validator_years, seconds (fastest of ``--repeat`` draws of the base
scenario's Diva validator, assembling the sample included), validator_years_per_s, events,
threads, summary_s (every figure at one collateral, quantiles included), required_mc_s (both
targets from the sample), required_exact_s (both targets by the closed forms), slider_s (one
collateral's risk-adjusted yields: what the dashboard recomputes when the slider moves),
tornado_s, first_call_s (the first draw in this process: imports and table building, nothing to
compile), peak_rss_mb, load_before / load_after (1-minute load average), cpus.
Target (issue 10): 10 million validator-years in <= 10 s on 2 cores. Results: benchmarks/risk.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--validator-years", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="draws timed; the fastest counts")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]

    t0 = time.perf_counter()
    from divaecon.params import Scenario
    from divaecon.risk import closed_form, risk_model, simulate_losses, tornado, yields_at

    scenario = Scenario()
    model = risk_model(scenario)
    simulate_losses(model, 10_000, seed=args.seed, threads=1)
    first_call = time.perf_counter() - t0

    times = []
    sample = None
    for _ in range(args.repeat):
        del sample
        t = time.perf_counter()
        sample = simulate_losses(model, args.validator_years, seed=args.seed, threads=args.threads)
        times.append(time.perf_counter() - t)
    assert sample is not None
    best = min(times)

    t = time.perf_counter()
    sample.summary(1.0)
    summary_s = time.perf_counter() - t
    t = time.perf_counter()
    sample.required_collateral(target_loss_probability=1e-4)
    sample.required_collateral(target_shortfall_apr=1e-4)
    required_mc = time.perf_counter() - t
    t = time.perf_counter()
    closed_form.required_collateral(model, target_loss_probability=1e-4)
    closed_form.required_collateral(model, target_shortfall_apr=1e-4)
    required_exact = time.perf_counter() - t
    t = time.perf_counter()
    yields_at(scenario, model, [0.37])
    slider = time.perf_counter() - t
    t = time.perf_counter()
    tornado(scenario)
    tornado_s = time.perf_counter() - t

    print(
        json.dumps(
            {
                "validator_years": args.validator_years,
                "seconds": round(best, 3),
                "all_seconds": [round(x, 3) for x in times],
                "validator_years_per_s": round(args.validator_years / best),
                "events": int(sample.loss_eth.size),
                "threads": args.threads,
                "summary_s": round(summary_s, 3),
                "required_mc_s": round(required_mc, 3),
                "required_exact_s": round(required_exact, 3),
                "slider_s": round(slider, 4),
                "tornado_s": round(tornado_s, 2),
                "first_call_s": round(first_call, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "load_before": round(load_before, 2),
                "load_after": round(os.getloadavg()[0], 2),
                "cpus": os.cpu_count(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
