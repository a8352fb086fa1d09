"""The papermill batch: every report notebook for every scenario, in parallel, failures isolated.

:func:`run_batch` writes into the output directory::

    <out>/<scenario>/<NN_notebook>.ipynb|.html|.pdf   executed notebook and its exports
    <out>/<scenario>/<NN_notebook>.failed.ipynb|.log  a notebook that failed, kept with its error
    <out>/comparison.pdf|.html                        the scenarios side by side
    <out>/index.html                                  every output with status and run time

A failing notebook never stops the others: it keeps its executed notebook and a log, and an
older run's PDF of it is removed so it cannot pass for this run's. Every output is written to a
temporary file and renamed into place (:mod:`divaecon._io`), and temporaries an interrupted run
left behind are removed at the start.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import re
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from divaecon._io import remove_stale_temporaries, temporary_name, write_atomic
from divaecon.params import Scenario
from divaecon.reports.comparison import comparison_html, comparison_sections
from divaecon.reports.export import html_to_pdf, notebook_to_html, pdf_engine
from divaecon.reports.index import write_index
from divaecon.reports.inputs import FORMATS, declared_parameters, notebook_parameters, scenario_slug

KERNEL_NAME = "python3"
"""The Jupyter kernel the notebooks run in."""

_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",
    "To exit, you will have to explicitly quit this process",
)


def quiet_kernel_manager(log_path: Path, cwd: Path | None = None) -> type:
    """A KernelManager class whose kernel runs in ``cwd`` and writes stdout/stderr to
    ``log_path``, not the terminal.

    The kernel's working directory is set here rather than with papermill's ``cwd``, which
    changes the whole process's directory and races between threads.
    """
    from jupyter_client.manager import KernelManager

    class QuietKernelManager(KernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            fh = open(log_path, "a", encoding="utf-8")  # closed in _async_cleanup_resources
            self._divaecon_log = fh
            kw["stdout"] = fh
            kw["stderr"] = fh
            if cwd is not None:
                kw["cwd"] = str(cwd)
            await super()._async_launch_kernel(kernel_cmd, **kw)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            fh = getattr(self, "_divaecon_log", None)
            if fh is not None:
                fh.close()

    return QuietKernelManager


@dataclass
class Job:
    """One notebook for one scenario, and what became of it."""

    scenario: Scenario
    notebook: Path
    status: str = "pending"
    seconds: float = 0.0
    error: str = ""
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return scenario_slug(self.scenario.name)

    @property
    def name(self) -> str:
        return self.notebook.stem


def error_line(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}".strip().splitlines()[0][:300]
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_job(job: Job, out_dir: Path, formats: Sequence[str], quick: bool, engine: str | None,
            execution_timeout_s: int = 1800) -> Job:
    """Execute, export and place one report; never raises for a failing notebook."""
    import papermill

    start = time.perf_counter()
    folder = out_dir / job.slug
    folder.mkdir(parents=True, exist_ok=True)
    final_nb = folder / f"{job.name}.ipynb"
    failed_nb = folder / f"{job.name}.failed.ipynb"
    log_path = folder / f"{job.name}.log"
    tmp_nb = temporary_name(final_nb, ".ipynb")
    kernel_log = temporary_name(log_path, ".kernel")
    stage = "parameters"
    try:
        params = notebook_parameters(job.notebook, job.scenario, quick)
        stage = "execution"
        papermill.execute_notebook(
            str(job.notebook), str(tmp_nb), parameters=params, kernel_name=KERNEL_NAME,
            progress_bar=False, log_output=False, execution_timeout=execution_timeout_s,
            kernel_manager_class=quiet_kernel_manager(kernel_log, cwd=job.notebook.parent),
        )
        stage = "export"
        os.replace(tmp_nb, final_nb)
        job.outputs["ipynb"] = final_nb
        title = f"{job.scenario.name} — {job.name}"
        html_text = notebook_to_html(final_nb, title=title)
        if "html" in formats:
            write_atomic(folder / f"{job.name}.html", html_text)
            job.outputs["html"] = folder / f"{job.name}.html"
        if "pdf" in formats:
            html_to_pdf(html_text, folder / f"{job.name}.pdf", engine)
            job.outputs["pdf"] = folder / f"{job.name}.pdf"
        job.status = "ok"
        failed_nb.unlink(missing_ok=True)
        log_path.unlink(missing_ok=True)
    except Exception as exc:
        job.status = "failed"
        job.error = f"{stage}: {error_line(exc)}"
        if tmp_nb.exists():
            os.replace(tmp_nb, failed_nb)
            job.outputs["failed_ipynb"] = failed_nb
        for stale in ("pdf", "html"):  # an older run's output must not pass for this run's
            (folder / f"{job.name}.{stale}").unlink(missing_ok=True)
        job.outputs.pop("pdf", None)
        job.outputs.pop("html", None)
        if stage != "export":
            final_nb.unlink(missing_ok=True)
        tb = "".join(traceback.format_exception(exc))
        kernel_text = kernel_log.read_text(encoding="utf-8", errors="replace") if kernel_log.exists() else ""
        kernel_text = "\n".join(ln for ln in kernel_text.splitlines() if not any(n in ln for n in _NOISE))
        write_atomic(log_path, f"scenario: {job.scenario.name}\nnotebook: {job.notebook}\n{job.error}\n\n"
                               f"{_ANSI.sub('', tb)}\n--- kernel output ---\n{kernel_text}\n")
        job.outputs["log"] = log_path
    finally:
        tmp_nb.unlink(missing_ok=True)
        kernel_log.unlink(missing_ok=True)
        job.seconds = time.perf_counter() - start
    return job


@dataclass
class BatchResult:
    """What a batch produced: the jobs, the comparison and the index."""

    jobs: list[Job]
    out_dir: Path
    comparison_status: str = "pending"
    comparison_error: str = ""
    comparison_seconds: float = 0.0
    comparison_outputs: dict[str, Path] = field(default_factory=dict)
    index: Path | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[Job]:
        return [j for j in self.jobs if j.status != "ok"]

    @property
    def ok(self) -> bool:
        return not self.failed and self.comparison_status == "ok"


def run_batch(
    scenarios: Sequence[Scenario],
    notebooks: Sequence[Path],
    out_dir: str | os.PathLike[str],
    jobs: int | None = None,
    formats: Sequence[str] = FORMATS,
    quick: bool = False,
    progress: bool = True,
    comparison: bool = True,
) -> BatchResult:
    """Run every notebook for every scenario in parallel, then the comparison and the index."""
    from tqdm.auto import tqdm

    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    notebooks = [Path(nb).resolve() for nb in notebooks]
    remove_stale_temporaries(out)
    engine = pdf_engine() if "pdf" in formats else None
    workers = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    # refuse bad parameters before starting anything
    declared = {nb: declared_parameters(nb) for nb in notebooks}
    for nb in notebooks:
        for s in scenarios:
            notebook_parameters(nb, s, quick, declared=declared[nb])
    all_jobs = [Job(s, nb) for s in scenarios for nb in notebooks]
    result = BatchResult(all_jobs, out)
    start = time.perf_counter()
    bar = tqdm(total=len(all_jobs) + (1 if comparison else 0), desc="divaecon report", unit="report",
               disable=not progress, file=sys.stderr, dynamic_ncols=True)
    with cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report") as pool:
        futures: dict[cf.Future[Any], str] = {
            pool.submit(run_job, j, out, formats, quick, engine): f"{j.slug}/{j.name}" for j in all_jobs
        }
        comp_future: cf.Future[Any] | None = None
        if comparison:
            comp_future = pool.submit(comparison_sections, list(scenarios), quick)
            futures[comp_future] = "comparison"
        try:
            for fut in cf.as_completed(futures):
                label = futures[fut]
                if fut is not comp_future:
                    job = fut.result()
                    label += " ✓" if job.status == "ok" else " ✗"
                bar.set_postfix_str(label, refresh=False)
                bar.update(1)
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            bar.close()
            raise
    bar.close()
    if comp_future is not None:
        t0 = time.perf_counter()
        try:
            sections, comp_seconds = comp_future.result()
            html_text = comparison_html(list(scenarios), sections, result)
            if "html" in formats:
                write_atomic(out / "comparison.html", html_text)
                result.comparison_outputs["html"] = out / "comparison.html"
            if "pdf" in formats:
                html_to_pdf(html_text, out / "comparison.pdf", engine)
                result.comparison_outputs["pdf"] = out / "comparison.pdf"
            result.comparison_status = "ok"
        except Exception as exc:
            result.comparison_status = "failed"
            result.comparison_error = error_line(exc)
            comp_seconds = 0.0
            write_atomic(out / "comparison.log", "".join(traceback.format_exception(exc)))
            result.comparison_outputs["log"] = out / "comparison.log"
        result.comparison_seconds = comp_seconds + time.perf_counter() - t0
    else:
        result.comparison_status = "skipped"
    result.seconds = time.perf_counter() - start
    result.index = write_index(result)
    return result
