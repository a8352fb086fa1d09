"""Benchmark of `divaecon report`: the default batch against the floor it stands on.

- **floor**: what any book costs before it computes anything — papermill running an empty
  notebook (one kernel start and stop) plus printing that empty notebook to PDF with an already
  running Chromium; the browser's launch is timed on its own (once per batch);
- **one book**: the base scenario's book (front matter and every chapter, full size) alone;
- **default batch**: ``divaecon report`` as a user runs it (a subprocess of the installed
  command: the shipped scenarios' books and the comparison, ``--jobs`` = CPU count), end to end.

The machine's load average is recorded before and after each batch: other work on the same
cores slows every part, so wall times are only comparable at similar load. The batch's CPU time
(its process and every kernel and browser process it started) is recorded too: it hardly
depends on the load, and CPU seconds / cores is what the batch needs of an idle machine at best.
Prints one JSON line.
Usage::

    .venv/bin/python benchmarks/bench_reports.py [--quick] [--repeat N] [--skip-batch]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from divaecon import reports
from divaecon.reports.batch import quiet_kernel_manager


def empty_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('scenario_yaml: str = ""')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Empty"), cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def time_floor(work: Path, printer: reports.Printer) -> float:
    """papermill on an empty notebook, then its export and print."""
    import papermill

    empty = empty_notebook(work / "empty.ipynb")
    t0 = time.perf_counter()
    executed = papermill.execute_notebook(
        str(empty),
        str(work / "empty.out.ipynb"),
        kernel_name=reports.KERNEL_NAME,
        progress_bar=False,
        parameters={"scenario_yaml": ""},
        kernel_manager_class=quiet_kernel_manager(work / "k.log"),
    )
    doc = reports.print_html(reports.notebook_to_html(executed), "floor", "floor")
    printer.print_pdf(doc, work / "empty.pdf")
    return time.perf_counter() - t0


def time_one_book(work: Path, quick: bool) -> float:
    inputs = reports.load_scenario_inputs([])[:1]
    t0 = time.perf_counter()
    result = reports.run_batch(
        inputs,
        reports.resolve_notebooks([]),
        work / "one",
        quick=quick,
        progress=False,
        comparison=False,
        formats=("pdf",),
    )
    if not result.ok:
        raise SystemExit(f"the base book failed: {result.books[0].error}")
    return time.perf_counter() - t0


def time_batch(work: Path, quick: bool) -> dict[str, object]:
    """The default batch as a user runs it: the installed `divaecon report` command."""
    exe = shutil.which("divaecon", path=str(Path(sys.executable).parent)) or "divaecon"
    out = work / "batch"
    shutil.rmtree(out, ignore_errors=True)
    load_before = os.getloadavg()[0]
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(
        [exe, "report", "--out", str(out), *(["--quick"] if quick else [])], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - t0
    cpu = _children_cpu() - cpu0
    if proc.returncode != 0:
        raise SystemExit(f"divaecon report failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return {
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 1),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "books": len(list(out.glob("*.pdf"))),
    }


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process and its reaped descendants:
    the batch's own work (kernels and Chromium included), whatever else runs on the machine."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small parameters (as --quick)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the floor and of the batch")
    parser.add_argument("--skip-batch", action="store_true", help="leave out the whole default batch")
    parser.add_argument("--skip-book", action="store_true", help="leave out the single book")
    args = parser.parse_args()

    from divaecon.simulate import warm_up

    warm_up()  # numba's cache, as the batch warms it
    record: dict[str, object] = {"benchmark": "reports", "quick": args.quick, "repeat": args.repeat}
    with tempfile.TemporaryDirectory(prefix="divaecon-bench-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        printer = reports.Printer()
        record["browser_launch_s"] = round(time.perf_counter() - t0, 2)
        try:
            floors = [time_floor(work, printer) for _ in range(args.repeat)]
        finally:
            printer.close()
        record["floor_s"] = round(statistics.median(floors), 2)
        if not args.skip_book:
            record["one_book_s"] = round(time_one_book(work, args.quick), 2)
        if not args.skip_batch:
            runs = [time_batch(work, args.quick) for _ in range(args.repeat)]
            record["batch_runs"] = runs
            record["batch_median_s"] = statistics.median(float(r["seconds"]) for r in runs)  # type: ignore[arg-type]
            record["books_per_batch"] = runs[0]["books"]
    record.update({"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()})
    print(json.dumps(record), file=sys.stdout)


if __name__ == "__main__":
    main()
