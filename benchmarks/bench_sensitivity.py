"""Benchmark of the vectorised required-collateral solve under a Sobol analysis (issue 17 item 5).

Run with the project's environment: ``.venv/bin/python benchmarks/bench_sensitivity.py``.
Prints one JSON line: inputs (the base scenario's uncertain inputs), base_samples, evaluations
(``N · (D + 2)``, Saltelli's scheme for first-order and total indices), solve_s (both targets'
required collateral at every point, :func:`divaecon.risk.batch.required_collateral_batch`, the
fastest of ``--repeat``), sobol_s (sampling, ``ppf`` mapping, the solve and SALib's analysis with
its bootstrap, for the two required-collateral outputs: what ``divaecon sensitivity --output
required_collateral_loss_probability --output required_collateral_shortfall_apr`` does), scalar_ms
(one scalar solve of a new parameter set, both targets: ``risk_model`` then
``closed_form.required_collateral``), first_call_s, peak_rss_mb, load_before/after, cpus.
Target: >= 34,816 evaluations over >= 16 inputs in <= 30 s on 2 cores. Results: benchmarks/sensitivity.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--samples", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]

    t0 = time.perf_counter()
    import numpy as np
    from SALib.sample import sobol as sobol_sample

    from divaecon import sensitivity
    from divaecon.params import Scenario
    from divaecon.risk import batch, closed_form, risk_model
    from divaecon.uncertainty import uncertain_inputs

    scenario = Scenario()
    inputs = uncertain_inputs(scenario)
    batch.required_collateral_batch(scenario, {})
    first_call = time.perf_counter() - t0

    problem = {"num_vars": len(inputs), "names": [i.name for i in inputs], "bounds": [[0.0, 1.0]] * len(inputs)}
    unit = np.clip(sobol_sample.sample(problem, args.samples, calc_second_order=False, seed=args.seed), 1e-9, 1 - 1e-9)
    values = {inp.name: inp.ppf(unit[:, j]) for j, inp in enumerate(inputs)}
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        batch.required_collateral_batch(scenario, values)
        times.append(time.perf_counter() - t)

    t = time.perf_counter()
    sensitivity.sensitivity(
        scenario,
        ["required_collateral_loss_probability", "required_collateral_shortfall_apr"],
        samples=args.samples,
        seed=args.seed,
    )
    sobol_s = time.perf_counter() - t

    s = scenario.override(**{"risk.leak_rate_per_year": 0.0612})
    t = time.perf_counter()
    m = risk_model(s)
    closed_form.required_collateral(m, target_loss_probability=s.risk.target_loss_probability_per_year)
    closed_form.required_collateral(m, target_shortfall_apr=s.risk.target_shortfall_apr)
    scalar_ms = (time.perf_counter() - t) * 1e3

    out = {
        "inputs": len(inputs),
        "base_samples": args.samples,
        "evaluations": int(unit.shape[0]),
        "solve_s": round(min(times), 3),
        "all_solve_s": [round(x, 3) for x in times],
        "sobol_s": round(sobol_s, 3),
        "scalar_ms": round(scalar_ms, 1),
        "first_call_s": round(first_call, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
