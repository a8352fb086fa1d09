"""Benchmark of `divaecon report`: time per report against the floor, and the whole default batch.

The floor is what any report costs before it computes anything: papermill running an empty
notebook (a kernel start and stop) plus exporting that empty notebook to HTML and PDF. Each
report notebook is then timed alone (one at a time, base scenario), and the whole default batch
(every notebook × every shipped scenario + the comparison, ``--jobs`` = CPU count) end to end.

Prints one JSON line. Usage::

    .venv/bin/python benchmarks/bench_reports.py [--quick] [--repeat N] [--skip-batch]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from divaecon import reports
from divaecon.params import Scenario, load_scenario


def empty_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('scenario_yaml: str = ""')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def time_job(scenario: Scenario, notebook: Path, out: Path, quick: bool) -> float:
    job = reports.run_job(reports.Job(scenario, notebook), out, ("pdf",), quick, reports.pdf_engine())
    if job.status != "ok":
        raise SystemExit(f"{notebook.name} failed: {job.error}")
    return job.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small parameters (as --quick)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the floor and of each report")
    parser.add_argument("--skip-batch", action="store_true", help="leave out the whole default batch")
    args = parser.parse_args()

    from divaecon.data import scenario_paths

    base = load_scenario(scenario_paths()[0])
    with tempfile.TemporaryDirectory(prefix="divaecon-bench-") as tmp:
        work = Path(tmp)
        empty = empty_notebook(work / "empty.ipynb")
        floor = [time_job(base, empty, work / "floor", args.quick) for _ in range(args.repeat)]
        per_report: dict[str, float] = {}
        for nb in reports.resolve_notebooks([]):
            runs = [time_job(base, nb, work / "single", args.quick) for _ in range(args.repeat)]
            per_report[nb.stem] = statistics.median(runs)
        floor_s = statistics.median(floor)
        batch: dict[str, object] = {}
        if not args.skip_batch:
            scenarios = reports.load_scenarios([])
            notebooks = reports.resolve_notebooks([])
            t0 = time.perf_counter()
            result = reports.run_batch(scenarios, notebooks, work / "batch", jobs=None, formats=("pdf", "html"),
                                       quick=args.quick, progress=False)
            batch = {
                "batch_s": round(time.perf_counter() - t0, 2),
                "batch_reports": len(result.jobs),
                "batch_failed": len(result.failed),
                "batch_comparison_s": round(result.comparison_seconds, 2),
                "batch_jobs": os.cpu_count(),
            }
    record = {
        "benchmark": "reports",
        "quick": args.quick,
        "repeat": args.repeat,
        "floor_s": round(floor_s, 2),
        "per_report_s": {k: round(v, 2) for k, v in per_report.items()},
        "per_report_over_floor": {k: round(v / floor_s, 2) for k, v in per_report.items()},
        **batch,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "pdf_engine": reports.pdf_engine(),
    }
    print(json.dumps(record), file=sys.stdout)


if __name__ == "__main__":
    main()
