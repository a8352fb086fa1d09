"""Reports: notebooks run for each scenario with papermill, exported to PDF, and one comparison.

``divaecon report`` (:func:`run_cli`) runs every report notebook for every scenario, in
parallel, and writes into the output directory::

    <out>/<scenario>/<NN_notebook>.ipynb|.html|.pdf   executed notebook and its exports
    <out>/<scenario>/<NN_notebook>.failed.ipynb|.log  a notebook that failed, kept with its error
    <out>/comparison.pdf|.html                        the scenarios side by side
    <out>/index.html                                  every output with status and run time

Safety: the scenario reaches a notebook only as its validated YAML text (one string parameter,
``scenario_yaml``); every parameter name is checked to be an identifier declared in the
notebook's ``parameters`` cell before papermill writes it into code, and values must be plain
``str``/``int``/``float``/``bool`` (papermill writes their ``repr``).

PDF route: nbconvert HTML without input cells → headless Chromium ``--print-to-pdf`` (found as
``$DIVAECON_CHROMIUM`` or ``chromium`` on PATH), MathJax served from the local
``jupyter-server-mathjax`` package; weasyprint (extra ``pdf-fallback``) when there is no
browser. Every output is written to a temporary file and renamed into place, so an interrupted
run never leaves a half-written file.

The small table helpers at the end (:func:`key_figures_table` …) are the presentation edge the
notebooks share with the comparative report: numbers come from :mod:`divaecon.quote`, formats
from :mod:`divaecon.formatting`.
"""

from __future__ import annotations

import base64
import concurrent.futures as cf
import datetime as dt
import html
import io
import keyword
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from divaecon import formatting as fmt
from divaecon.errors import DivaeconError
from divaecon.params import Scenario, load_scenario, scenario_from_dict, scenario_to_yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = PROJECT_DIR / "notebooks"
REPORT_NOTEBOOKS: tuple[str, ...] = (
    "01_staking_apr",
    "02_collateral_and_operator_yield",
    "03_dvt_fault_tolerance",
    "04_protocol_comparison",
    "05_network_growth",
)
"""The notebooks a report runs by default (``00_explore`` is interactive, not a report)."""

SCENARIO_PARAMETER = "scenario_yaml"
"""The one parameter through which a scenario reaches a notebook (validated YAML text)."""

QUICK_PARAMETERS: dict[str, int] = {"grid_points": 25, "mc_seeds": 3, "horizon_days": 365}
"""Small-size knobs passed with ``--quick`` to notebooks that declare them."""

FORMATS = ("pdf", "html")
CHROMIUM_ENV = "DIVAECON_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
KERNEL_NAME = "python3"

_SAFE_VALUE_TYPES = (str, int, float, bool)
_QUIET_LOG = logging.getLogger("divaecon.reports.nbconvert")
_QUIET_LOG.setLevel(logging.ERROR)
_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",
    "To exit, you will have to explicitly quit this process",
)


# --- inputs -----------------------------------------------------------------------------------


def resolve_notebooks(names: Sequence[str]) -> list[Path]:
    """Notebook paths for names like ``01``, ``01_staking_apr``, ``staking_apr`` or a path.

    An empty list means :data:`REPORT_NOTEBOOKS`. Unknown names raise :class:`DivaeconError`.
    """
    if not names:
        names = REPORT_NOTEBOOKS
    available = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    out: list[Path] = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            out.append(path.resolve())
            continue
        stem = path.name.removesuffix(".ipynb")
        matches = [
            p for p in available
            if p.stem == stem or p.stem.split("_", 1)[0] == stem
            or [*p.stem.split("_", 1), ""][1] == stem
        ]
        if len(matches) != 1:
            allowed = ", ".join(p.stem for p in available) or "(none found)"
            raise DivaeconError(f"--notebook {name!r}: unknown notebook; allowed: {allowed} or a .ipynb path")
        out.append(matches[0])
    if len({p.stem for p in out}) != len(out):
        raise DivaeconError("--notebook: a notebook is named twice")
    return out


def load_scenarios(paths: Sequence[str | os.PathLike[str]]) -> list[Scenario]:
    """Validated scenarios from files (default: the shipped ones); names must be distinct."""
    from divaecon.data import scenario_paths

    files = [Path(p) for p in paths] if paths else scenario_paths()
    if not files:
        raise DivaeconError("--scenario: no scenario files given or shipped")
    scenarios = [load_scenario(p) for p in files]
    slugs: dict[str, str] = {}
    for s in scenarios:
        slug = scenario_slug(s.name)
        if slug in slugs:
            raise DivaeconError(
                f"--scenario: scenarios {slugs[slug]!r} and {s.name!r} would share the output folder "
                f"{slug!r}; give them distinct names"
            )
        slugs[slug] = s.name
    return scenarios


def scenario_slug(name: str) -> str:
    """A scenario name made safe as a folder name (no path separators, no leading dots)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-_")
    return slug[:80] or "scenario"


def parse_formats(formats: str) -> tuple[str, ...]:
    """``"pdf,html"`` → ``("pdf", "html")``; unknown formats raise :class:`DivaeconError`."""
    items = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise DivaeconError(f"--format {formats!r}: allowed formats are {', '.join(FORMATS)} (comma-separated)")
    return items


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names papermill finds in the notebook's ``parameters`` cell."""
    import papermill

    return dict(papermill.inspect_notebook(str(notebook)))


def notebook_parameters(
    notebook: Path,
    scenario: Scenario,
    quick: bool = False,
    extra: Mapping[str, Any] | None = None,
    declared: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The parameters to run ``notebook`` for ``scenario``, every name checked.

    ``scenario_yaml`` (the validated scenario) always; the :data:`QUICK_PARAMETERS` the notebook
    declares when ``quick``; then ``extra``. A name that is not an identifier, or not declared in
    the notebook's ``parameters`` cell, or a value that is not a plain str/int/float/bool, is
    refused with a :class:`DivaeconError`: papermill writes parameters into code.
    """
    declared = declared_parameters(notebook) if declared is None else declared
    values: dict[str, Any] = {SCENARIO_PARAMETER: scenario_to_yaml(scenario)}
    if quick:
        values.update({k: v for k, v in QUICK_PARAMETERS.items() if k in declared})
    values.update(extra or {})
    for name, value in values.items():
        shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "...'"
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise DivaeconError(f"notebook parameter {shown}: not a Python identifier; refused")
        if name not in declared:
            raise DivaeconError(
                f"notebook parameter {shown}: not declared in the parameters cell of {notebook.name} "
                f"(declared: {', '.join(sorted(declared)) or 'none'}); refused"
            )
        if type(value) not in _SAFE_VALUE_TYPES:
            raise DivaeconError(
                f"notebook parameter {shown} = {value!r}: only str, int, float or bool values are passed"
            )
    return values


# --- PDF engines ------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome: ``$DIVAECON_CHROMIUM`` if set, else the first on PATH."""
    env = os.environ.get(CHROMIUM_ENV)
    if env:
        found = shutil.which(env) or (env if os.access(env, os.X_OK) and Path(env).is_file() else None)
        if not found:
            raise DivaeconError(f"{CHROMIUM_ENV}={env!r}: not an executable file; unset it or point it at chromium")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _have_weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # ImportError, or OSError when pango is missing
        return False
    return True


def pdf_engine() -> str:
    """``"chromium"``, else ``"weasyprint"``; a clear error when neither is there."""
    if find_chromium():
        return "chromium"
    if _have_weasyprint():
        return "weasyprint"
    raise DivaeconError(
        "no PDF engine: install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`, or run "
        f"`make report`), or set {CHROMIUM_ENV}=/path/to/chrome, or `pip install 'divaecon[pdf-fallback]'` "
        "for weasyprint; or ask for --format html"
    )


def mathjax_url() -> str:
    """``file://`` URL of the MathJax shipped by ``jupyter-server-mathjax`` (no CDN)."""
    import jupyter_server_mathjax

    path = Path(jupyter_server_mathjax.__file__).resolve().parent / "static" / "MathJax.js"
    return path.as_uri() + "?config=TeX-AMS-MML_HTMLorMML-full,Safe"


PRINT_CSS = """
@page { size: A4; margin: 13mm 12mm 14mm 12mm; }
@media print {
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .jp-OutputArea-output img, img { max-width: 100% !important; height: auto; }
  .jp-OutputArea-child, figure, .figure, tr { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
}
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.jp-Notebook { padding: 0 !important; }
.jp-RenderedHTMLCommon table, .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { font-size: 8.5pt; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 2px 6px; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon, .jp-RenderedHTML { overflow: visible !important; }
table.divaecon-table { margin: 4px 0 10px 0; width: 100%; table-layout: auto; font-size: 8pt !important; }
table.divaecon-table th, table.divaecon-table td { font-size: 8pt !important; padding: 2px 4px !important; }
table.divaecon-table tbody td:first-child, table.divaecon-table tbody th,
table.divaecon-table thead th:first-child { text-align: left !important; white-space: nowrap; font-weight: normal; }
table.divaecon-table thead th { vertical-align: bottom; }
"""


def notebook_to_html(notebook: Path | Any, title: str | None = None) -> str:
    """Executed notebook → standalone HTML without input cells, for print."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4) if isinstance(notebook, str | Path) else notebook
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        mathjax_url=mathjax_url(),
    )
    exporter.log = _QUIET_LOG  # "Alternative text is missing on N image(s)" is not for the user
    resources = {"metadata": {"name": title or (Path(notebook).stem if isinstance(notebook, str | Path) else "report")}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    # require.js from a CDN is not needed for static output and is unreachable offline
    body = re.sub(r'<script[^>]+src="https?://[^"]*require[^"]*"[^>]*>\s*</script>', "", body)
    return body.replace("</head>", f"<style>{PRINT_CSS}</style>\n</head>", 1)


def _tmp_name(path: Path, suffix: str = "") -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp{suffix}")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def html_to_pdf(html_text: str, pdf_path: Path, engine: str | None = None, timeout_s: float = 180.0) -> str:
    """Print ``html_text`` to ``pdf_path`` atomically; returns the engine used."""
    engine = engine or pdf_engine()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_pdf = _tmp_name(pdf_path, ".pdf")
    with tempfile.TemporaryDirectory(prefix="divaecon-pdf-") as work:
        src = Path(work) / "report.html"
        src.write_text(html_text, encoding="utf-8")
        try:
            if engine == "chromium":
                _chromium_print(src, tmp_pdf, Path(work) / "profile", timeout_s)
            elif engine == "weasyprint":
                import weasyprint

                weasyprint.HTML(filename=str(src)).write_pdf(str(tmp_pdf))
            else:
                raise DivaeconError(f"unknown PDF engine {engine!r}")
            with open(tmp_pdf, "rb") as fh:
                if fh.read(5) != b"%PDF-":
                    raise RuntimeError(f"{engine} wrote no PDF")
            os.replace(tmp_pdf, pdf_path)
        finally:
            tmp_pdf.unlink(missing_ok=True)
    return engine


def _chromium_print(src: Path, out: Path, profile: Path, timeout_s: float) -> None:
    chromium = find_chromium()
    if chromium is None:
        raise DivaeconError("Chromium not found")
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--no-pdf-header-footer",
        "--virtual-time-budget=5000", f"--print-to-pdf={out}", src.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
    if proc.returncode != 0 or not out.exists():
        tail = [ln for ln in proc.stderr.splitlines() if "dbus" not in ln][-5:]
        raise RuntimeError(f"chromium exited with {proc.returncode}: " + " | ".join(tail))


# --- running notebooks ------------------------------------------------------------------------


def _quiet_kernel_manager(log_path: Path, cwd: Path | None = None) -> type:
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


def _error_line(exc: BaseException) -> str:
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
    tmp_nb = _tmp_name(final_nb, ".ipynb")
    kernel_log = _tmp_name(log_path, ".kernel")
    stage = "parameters"
    try:
        params = notebook_parameters(job.notebook, job.scenario, quick)
        stage = "execution"
        papermill.execute_notebook(
            str(job.notebook), str(tmp_nb), parameters=params, kernel_name=KERNEL_NAME,
            progress_bar=False, log_output=False, execution_timeout=execution_timeout_s,
            kernel_manager_class=_quiet_kernel_manager(kernel_log, cwd=job.notebook.parent),
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
        job.error = f"{stage}: {_error_line(exc)}"
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


def _clean_stale_temporaries(out_dir: Path) -> None:
    for tmp in out_dir.rglob(".*.tmp*"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)


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
    _clean_stale_temporaries(out)
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
            result.comparison_error = _error_line(exc)
            comp_seconds = 0.0
            write_atomic(out / "comparison.log", "".join(traceback.format_exception(exc)))
            result.comparison_outputs["log"] = out / "comparison.log"
        result.comparison_seconds = comp_seconds + time.perf_counter() - t0
    else:
        result.comparison_status = "skipped"
    result.seconds = time.perf_counter() - start
    result.index = write_index(result)
    return result


def run_cli(scenario_paths: list[str], notebooks: list[str], out_dir: str, jobs: int | None,
            formats: str, quick: bool) -> None:
    """``divaecon report``: validate the inputs, run the batch, print a summary.

    Bad input raises :class:`DivaeconError` (exit status 2); when any report fails the others
    are still delivered, a summary is printed and the command exits with status 1
    (``SystemExit(1)``).
    """
    import click

    # SystemExit, not click's Exit: divaecon.cli.main runs click with standalone_mode=False and
    # would drop Exit's code.
    if jobs is not None and jobs < 1:
        raise DivaeconError(f"--jobs {jobs}: must be at least 1")
    fmts = parse_formats(formats)
    scenarios = load_scenarios(scenario_paths)
    nbs = resolve_notebooks(notebooks)
    if "pdf" in fmts:
        pdf_engine()
    click.echo(f"divaecon report: {len(nbs)} notebook(s) × {len(scenarios)} scenario(s) "
               f"({', '.join(s.name for s in scenarios)}) → {out_dir}" + (" [quick]" if quick else ""),
               err=True)
    result = run_batch(scenarios, nbs, out_dir, jobs=jobs, formats=fmts, quick=quick,
                       progress=sys.stderr.isatty() or bool(os.environ.get("DIVAECON_PROGRESS")))
    n_ok = sum(j.status == "ok" for j in result.jobs)
    click.echo(summary_text(result))
    if not result.ok:
        click.echo(f"divaecon report: {len(result.failed)} of {len(result.jobs)} report(s) failed"
                   + ("" if result.comparison_status == "ok" else ", and the comparison")
                   + f"; {n_ok} delivered. Logs beside each failed notebook; see {_shown(result.index)}", err=True)
        raise SystemExit(1)


def _shown(path: Path | str | None) -> str:
    if not path:
        return ""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def summary_text(result: BatchResult) -> str:
    """A few lines: each report's status and time, the comparison, the index."""
    lines = []
    for j in result.jobs:
        mark = "ok    " if j.status == "ok" else "FAILED"
        where = j.outputs.get("pdf") or j.outputs.get("html") or j.outputs.get("log") or ""
        lines.append(f"  {mark} {j.seconds:6.1f} s  {j.slug}/{j.name}  {_shown(where)}"
                     + (f"\n         {j.error}" if j.error else ""))
    comp = result.comparison_outputs.get("pdf") or result.comparison_outputs.get("html") or ""
    lines.append(f"  {'ok    ' if result.comparison_status == 'ok' else result.comparison_status.upper():6} "
                 f"{result.comparison_seconds:6.1f} s  comparison  {_shown(comp)}"
                 + (f"\n         {result.comparison_error}" if result.comparison_error else ""))
    lines.append(f"  index: {_shown(result.index)}   total {result.seconds:.1f} s")
    return "\n".join(lines)


# --- index.html -------------------------------------------------------------------------------


INDEX_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 10pt; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f0f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1a7f37; font-weight: bold; } .failed { color: #b42318; font-weight: bold; }
.err { color: #b42318; font-size: 9pt; font-family: monospace; }
"""


def _link(path: Path | None, base: Path, label: str) -> str:
    if path is None:
        return ""
    rel = os.path.relpath(path, base)
    return f'<a href="{html.escape(Path(rel).as_posix())}">{html.escape(label)}</a>'


def write_index(result: BatchResult) -> Path:
    """Write ``index.html``: every output with its scenario, status, run time and links."""
    base = result.out_dir
    rows = []
    for j in result.jobs:
        links = " · ".join(filter(None, (
            _link(j.outputs.get(k), base, k) for k in ("pdf", "html", "ipynb", "failed_ipynb", "log"))))
        status = f'<span class="{"ok" if j.status == "ok" else "failed"}">{html.escape(j.status)}</span>'
        if j.error:
            status += f'<div class="err">{html.escape(j.error)}</div>'
        rows.append(f"<tr><td>{html.escape(j.scenario.name)}</td><td>{html.escape(j.name)}</td>"
                    f"<td>{status}</td><td class=num>{j.seconds:.1f} s</td><td>{links}</td></tr>")
    comp_links = " · ".join(filter(None, (_link(result.comparison_outputs.get(k), base, k)
                                          for k in ("pdf", "html", "log"))))
    comp_status = (f'<span class="{"ok" if result.comparison_status == "ok" else "failed"}">'
                   f"{html.escape(result.comparison_status)}</span>")
    if result.comparison_error:
        comp_status += f'<div class="err">{html.escape(result.comparison_error)}</div>'
    names = ", ".join(dict.fromkeys(html.escape(j.scenario.name) for j in result.jobs))
    n_ok = sum(j.status == "ok" for j in result.jobs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>divaecon reports</title><style>{INDEX_CSS}</style></head>
<body>
<h1>divaecon reports</h1>
<p>Generated {dt.datetime.now().strftime("%Y-%m-%d %H:%M")} by <code>divaecon report</code>
({_version()}) in {result.seconds:.1f} s: {n_ok} of {len(result.jobs)} notebook report(s) ok.</p>
<h2>Comparison of all scenarios</h2>
<table><tr><th>scenarios</th><th>status</th><th>run time</th><th>outputs</th></tr>
<tr><td>{names}</td><td>{comp_status}</td><td class=num>{result.comparison_seconds:.1f} s</td>
<td>{comp_links}</td></tr></table>
<h2>Reports per scenario</h2>
<table><tr><th>scenario</th><th>notebook</th><th>status</th><th>run time</th><th>outputs</th></tr>
{"".join(rows)}
</table>
</body></html>
"""
    path = base / "index.html"
    write_atomic(path, page)
    return path


def _version() -> str:
    try:
        from importlib.metadata import version

        return f"divaecon {version('divaecon')}"
    except Exception:
        return "divaecon"


# --- the comparative report -------------------------------------------------------------------


def figure_html(fig: Any, alt: str = "figure") -> str:
    """A matplotlib figure as an embedded PNG ``<img>`` (the figure is closed)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def table_html(df: pd.DataFrame, index: bool = True, classes: str = "") -> str:
    """A table of already formatted strings as HTML (first column left-aligned)."""
    return df.to_html(index=index, escape=True, border=0, classes=f"tbl {classes}".strip(), na_rep="–")


def simulation_settings(scenario: Scenario, quick: bool) -> dict[str, int]:
    """Monte Carlo seeds and horizon the reports simulate with (small when ``quick``)."""
    if quick:
        return {"seeds": QUICK_PARAMETERS["mc_seeds"], "days": QUICK_PARAMETERS["horizon_days"]}
    return {"seeds": 20, "days": scenario.simulation.horizon_days}


def comparison_sections(scenarios: list[Scenario], quick: bool = False) -> tuple[list[tuple[str, str]], float]:
    """The comparative report's sections as ``(heading, html)``; returns them and the time taken."""
    from divaecon import plotting

    start = time.perf_counter()
    plotting.use_style()
    sections: list[tuple[str, str]] = []
    sections.append(("Key figures", table_html(key_figures_comparison(scenarios))
                     + "<p class=note>Rates are simple APRs (fractions per year shown as %). Ideal consensus "
                       "APR = 64 · 10⁹ / √(staked · 10⁹) · 82,181.25 / 10⁹ ≈ 166.3 / √(ETH staked) "
                       "(consensus-specs altair).</p>"))
    diff = parameter_differences(scenarios)
    if not diff.empty:
        sections.append(("Where the scenarios differ", table_html(diff)))
    sections.append(("Operator yield and fault tolerance",
                     figure_html(plotting.compare_operator_apr(scenarios), "operator APR")
                     + figure_html(plotting.compare_availability(scenarios), "availability")))
    staker, operator = peer_comparison(scenarios)
    sections.append(("Diva and its peers: staker APR", table_html(staker)))
    sections.append(("Diva and its peers: operator APR on own capital", table_html(operator)
                     + "<p class=note>– : the operators put up no ETH of their own.</p>"))
    sections.append(("Simulated network", simulation_section(scenarios, quick)))
    return sections, time.perf_counter() - start


def simulation_section(scenarios: list[Scenario], quick: bool) -> str:
    """Summary table (median and P5–P95 over seeds) and shared figures of the simulation."""
    try:
        from divaecon.simulate import simulate
    except ImportError:
        return "<p class=note>The simulation engine (divaecon.simulate) is not available.</p>"
    from divaecon import plotting

    settings = simulation_settings(scenarios[0], quick)
    days = settings["days"] if quick else max(s.simulation.horizon_days for s in scenarios)
    res = simulate(list(scenarios), seeds=settings["seeds"], days=days)
    ts, summary = res.timeseries, res.summary
    order = [s.name for s in scenarios]
    random = [s.name for s in scenarios if "Drawn at random" in simulation_note(s, 1, days)]
    parts = [f"<p>{settings['seeds']} Monte Carlo seed(s) per scenario over {days:,} days "
             f"({days / 365.25:.1f} years); median, with P5–P95 in brackets. "
             + (f"Scenarios with random draws: {html.escape(', '.join(random))} (their bands are narrow: "
                 "over thousands of validators luck and outages average out)." if random else
                "No scenario draws anything at random (proposer luck, outages and slashings are off), "
                "so the bands collapse to lines.") + "</p>",
             table_html(simulation_summary_table(summary, order))]
    for col, label, unit in (("active_validators", "active validators", "validators"),
                             ("assigned_collateral_eth", "collateral locked", "divETH"),
                             ("buffer_eth", "buffer", "ETH"),
                             ("wdiveth_rate", "wdivETH rate", "ETH per wdivETH")):
        if plotting._find_column(ts, col) is not None:
            parts.append(figure_html(plotting.compare_growth(ts, col, label, unit, order), label))
    return "".join(parts)


SIMULATION_SUMMARY_ROWS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("staker_apy", "divETH staker APY", fmt.pct),
    ("operator_apy_queued", "Operator APY, collateral queued", fmt.pct),
    ("operator_apy_assigned", "Operator APY, collateral assigned", fmt.pct),
    ("cash_drag", "Cash drag (buffer's share)", lambda x: fmt.pct(x, 3)),
    ("queue_wait_mean_days", "Queue wait, mean [days]", lambda x: f"{float(x):,.1f}"),
    ("queue_wait_p95_days", "Queue wait, P95 [days]", lambda x: f"{float(x):,.1f}"),
    ("peak_collateral_locked_eth", "Peak collateral locked [divETH]", lambda x: f"{float(x):,.0f}"),
    ("final_active_validators", "Active validators at the end", fmt.count),
    ("final_diveth_supply", "divETH supply at the end [divETH]", lambda x: f"{float(x):,.0f}"),
    ("wdiveth_rate", "wdivETH rate at the end [divETH]", lambda x: f"{float(x):.4f}"),
)


def simulation_note(scenario: Scenario, seeds: int, days: int) -> str:
    """One line on the simulation run: seeds, horizon and what (if anything) is drawn at random."""
    sim = scenario.simulation
    draws = [name for name, on in (("proposer luck", sim.proposer_luck),
                                   ("operator outages", sim.outage_rate_per_operator_per_year > 0),
                                   ("slashings", sim.slashing_rate_per_validator_per_year > 0)) if on]
    text = f"{seeds:,} Monte Carlo seed(s) over {days:,} days ({days / 365.25:.1f} years). "
    if draws:
        return text + ("Drawn at random: " + ", ".join(draws) + "; bands are P5–P95 over seeds. They are "
                       "narrow once the network runs thousands of validators: luck and outages average out "
                       "across validators, so the spread shows mostly in the first months.")
    return text + ("This scenario draws nothing at random (no proposer luck, outages or slashings), "
                   "so every seed follows the same path and the P5–P95 band is a line.")


def simulation_summary_table(summary: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Median [P5–P95] of each summary metric over seeds, a column per scenario."""
    names = list(order) if order is not None else list(pd.unique(summary["scenario"]))
    data: dict[str, list[str]] = {}
    rows = [(c, label, f) for c, label, f in SIMULATION_SUMMARY_ROWS if c in summary.columns]
    for name in names:
        sub = summary[summary["scenario"] == name]
        col = []
        for c, _label, f in rows:
            v = pd.to_numeric(sub[c], errors="coerce").dropna()
            if v.empty:
                col.append("–")
            elif len(v) == 1:
                col.append(f(v.iloc[0]))
            else:
                lo, mid, hi = f(v.quantile(0.05)), f(v.median()), f(v.quantile(0.95))
                col.append(mid if lo == hi else f"{mid} [{lo} – {hi}]")
        data[name] = col
    return pd.DataFrame(data, index=[label for _c, label, _f in rows])


COMPARISON_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; color: #222;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 17pt; margin: 0 0 4px 0; color: #3d1c5c; }
h2 { font-size: 12.5pt; margin: 16px 0 6px 0; color: #3d1c5c; border-bottom: 1px solid #d9cfe3;
     break-after: avoid; page-break-after: avoid; }
p { margin: 4px 0; } .note { color: #555; font-size: 8pt; }
table.tbl { border-collapse: collapse; width: 100%; margin: 4px 0 6px 0; font-size: 8.3pt; }
table.tbl th, table.tbl td { border-bottom: 1px solid #e4e4e4; padding: 2.5px 6px; }
table.tbl thead th { background: #f3f0f7; text-align: right; }
table.tbl tbody th { text-align: left; font-weight: normal; white-space: nowrap; }
table.tbl td { text-align: right; font-variant-numeric: tabular-nums; }
table.tbl tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 6px 0; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; }
section { break-inside: auto; }
.ok { color: #1a7f37; } .failed { color: #b42318; }
"""


def comparison_html(scenarios: list[Scenario], sections: list[tuple[str, str]],
                    result: BatchResult | None = None) -> str:
    """The comparative report as one standalone HTML document."""
    css = COMPARISON_CSS
    if len(scenarios) > 5:
        css = css.replace("size: A4;", "size: A4 landscape;")
    intro = "".join(
        f"<li><b>{html.escape(s.name)}</b>" + (f" — {html.escape(s.description)}" if s.description else "")
        + "</li>" for s in scenarios)
    body = "".join(f"<section><h2>{html.escape(h)}</h2>{content}</section>" for h, content in sections)
    if result is not None:
        body += f"<section><h2>Reports in this batch</h2>{table_html(batch_status_table(result))}</section>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Diva Staking — scenario comparison</title>
<style>{css}</style></head><body>
<h1>Diva Staking — scenario comparison</h1>
<p class=note>Generated {dt.datetime.now().strftime("%Y-%m-%d %H:%M")} by <code>divaecon report</code>
({_version()}). One column or line per scenario. Sources and defaults: ASSUMPTIONS.md, MODEL.md.</p>
<ul>{intro}</ul>
{body}
</body></html>
"""


def batch_status_table(result: BatchResult) -> pd.DataFrame:
    """Status and run time of each notebook report, a column per scenario."""
    names = list(dict.fromkeys(j.scenario.name for j in result.jobs))
    nbs = list(dict.fromkeys(j.name for j in result.jobs))
    cells = {(j.scenario.name, j.name): ("ok" if j.status == "ok" else "FAILED") + f", {j.seconds:.0f} s"
             for j in result.jobs}
    return pd.DataFrame({n: [cells.get((n, nb), "–") for nb in nbs] for n in names}, index=nbs)


# --- tables shared by notebooks and the comparative report ------------------------------------


KEY_FIGURES: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("total_staked_eth", "Total ETH staked", fmt.eth),
    ("ideal_consensus_apr", "Ideal consensus APR (≈ 166.3 / √staked)", fmt.pct),
    ("consensus_apr", "Consensus APR, Diva validator", fmt.pct),
    ("execution_apr", "Execution APR (fees + MEV)", fmt.pct),
    ("gross_apr", "Gross APR, Diva validator", fmt.pct),
    ("staker_apr", "divETH staker APR", fmt.pct),
    ("operator_apr_queued", "Operator APR, collateral queued", fmt.pct),
    ("operator_apr_assigned", "Operator APR, collateral assigned", fmt.pct),
    ("operator_reward_per_key_share_eth_per_year", "Operator reward per key share [ETH/year]",
     lambda x: f"{float(x):.5f}"),
    ("validator_availability", "Validator availability", fmt.prob),
    ("network_validators", "Network size [validators]", fmt.count),
    ("collateral_locked_eth", "Collateral locked", lambda x: fmt.eth(x).replace("ETH", "divETH")),
    ("collateral_ratio", "Collateral ratio (of stake)", lambda x: fmt.pct(x, 1)),
    ("operator_cost_usd_per_year", "Operator cost per node [per year]", fmt.usd),
    ("break_even_key_shares", "Break-even key shares per node", fmt.count),
)


def key_figures_table(scenario: Scenario, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Key figures of one scenario as a two-column table of formatted values."""
    table = key_figures_comparison([scenario], keys)
    return table.rename(columns={scenario.name: "value"}).rename_axis("figure").reset_index()


def key_figures_comparison(scenarios: Sequence[Scenario], keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Key figures (rows) of each scenario (columns), formatted for readers."""
    from divaecon.quote import quote

    wanted = list(keys) if keys is not None else [k for k, _l, _f in KEY_FIGURES]
    rows = [r for r in KEY_FIGURES if r[0] in wanted]
    data = {}
    for s in scenarios:
        q = quote(s)
        data[s.name] = [f(getattr(q, k)) for k, _l, f in rows]
    return pd.DataFrame(data, index=[label for _k, label, _f in rows])


def _flatten(scenario: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, values in scenario.model_dump(mode="json").items():
        if isinstance(values, dict):
            for k, v in values.items():
                out[f"{section}.{k}"] = v
    return out


def _fmt_param(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"
    if isinstance(v, list | tuple):
        return ", ".join(_fmt_param(x) for x in v)
    return str(v)


def parameter_differences(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """The parameters whose values differ between scenarios (rows), a column per scenario."""
    flat = [_flatten(s) for s in scenarios]
    names = [k for k in flat[0] if len({repr(f.get(k)) for f in flat}) > 1] if len(flat) > 1 else []
    return pd.DataFrame({s.name: [_fmt_param(f.get(k)) for k in names] for s, f in zip(scenarios, flat, strict=True)},
                        index=names)


def peer_comparison(scenarios: Sequence[Scenario]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Staker APR and operator APR of each set-up (rows) in each scenario (columns)."""
    from divaecon.quote import peer_table

    staker: dict[str, pd.Series] = {}
    operator: dict[str, pd.Series] = {}
    for s in scenarios:
        t = peer_table(s).set_index("name")
        staker[s.name] = t["staker_apr"].map(fmt.pct)
        operator[s.name] = t["operator_apr"].map(fmt.pct)
    return (pd.DataFrame(staker).fillna("–").rename_axis(None),
            pd.DataFrame(operator).fillna("–").rename_axis(None))


def peer_table_formatted(scenario: Scenario) -> pd.DataFrame:
    """Diva and its peers with formatted columns, as a reader expects them."""
    from divaecon.quote import peer_table

    t = peer_table(scenario)
    return pd.DataFrame({
        "set-up": t["name"],
        "staker APR": t["staker_apr"].map(fmt.pct),
        "operator APR (own capital)": t["operator_apr"].map(fmt.pct),
        "capital to start": t["capital_eth"].map(lambda x: fmt.eth(x, 2) if x > 0 else "none"),
        "faults tolerated": t["faults_tolerated"].map(fmt.count),
        "availability": t["availability"].map(fmt.prob),
        "note": t["note"],
    })


def scenario_for_notebook(scenario_yaml: str = "", scenario_path: str = "") -> Scenario:
    """The scenario a notebook runs: the YAML text papermill passed, else a file, else base."""
    import yaml

    if scenario_yaml.strip():
        return scenario_from_dict(yaml.safe_load(scenario_yaml) or {}, source="scenario_yaml")
    if scenario_path:
        return load_scenario(scenario_path)
    return Scenario()


def scenario_header(scenario: Scenario) -> str:
    """Markdown header line for a notebook: the scenario's name and description."""
    desc = f" — {scenario.description}" if scenario.description else ""
    return f"**Scenario: {scenario.name}**{desc}"


def show(df: pd.DataFrame, index: bool = False) -> Any:
    """A formatted table for notebook display (HTML, no index unless asked)."""
    from IPython.display import HTML

    return HTML(df.to_html(index=index, escape=True, border=0, na_rep="–", classes="divaecon-table"))


def staking_data_table(scenario: Scenario) -> pd.DataFrame:
    """The dated stakes of ``data/`` with the ideal consensus APR and the gross APR they imply."""
    from divaecon import ethereum
    from divaecon.data import staking_data_points

    d = staking_data_points()
    e = scenario.ethereum
    cl = ethereum.ideal_consensus_apr(d["total_staked_eth"].to_numpy(dtype=float))
    gross = ethereum.gross_apr(d["total_staked_eth"].to_numpy(dtype=float), e.el_reward_per_block_eth)
    return pd.DataFrame({
        "date": d["date"].dt.strftime("%Y-%m-%d"),
        "ETH staked": d["total_staked_eth"].map(fmt.eth),
        "validators": d["validators"].map(fmt.count),
        "ideal consensus APR": [fmt.pct(x) for x in cl],
        "+ execution (scenario's ETH/block)": [fmt.pct(x) for x in gross],
        "source": d["source"],
    })


def reward_split_table(scenario: Scenario) -> pd.DataFrame:
    """An ideal 32 ETH validator's yearly reward by duty at the scenario's total stake."""
    from divaecon import ethereum

    e = scenario.ethereum
    split = ethereum.ideal_reward_split_eth_per_year(e.total_staked_eth)
    stake = ethereum.VALIDATOR_STAKE_ETH
    el = float(ethereum.execution_apr(e.el_reward_per_block_eth, e.total_staked_eth)) * stake
    parts = {"attestation (54/64)": split["attestation"], "sync committee (2/64)": split["sync"],
             "proposer (8/64)": split["proposer"], "execution (fees + MEV)": el}
    total = sum(float(v) for v in parts.values())
    rows = [(k, float(v)) for k, v in parts.items()] + [("total", total)]
    return pd.DataFrame({
        "reward": [k for k, _v in rows],
        "ETH per year per 32 ETH": [f"{v:.4f}" for _k, v in rows],
        "APR": [fmt.pct(v / stake, 3) for _k, v in rows],
        "share": [fmt.pct(v / total, 1) for _k, v in rows],
    })


def uptime_table(scenario: Scenario, uptimes: Sequence[float] = (0.90, 0.95, 0.98, 0.99, 1.0)) -> pd.DataFrame:
    """Gross APR of one node and of a Diva validator of such nodes at a few uptimes."""
    import numpy as np

    from divaecon import dvt, ethereum

    e, d = scenario.ethereum, scenario.diva
    u = np.unique(np.append(np.asarray(uptimes, dtype=float), d.operator_uptime))
    avail = dvt.availability(d.key_shares_per_validator, d.threshold, u, d.failure_correlation)
    solo = ethereum.gross_apr(e.total_staked_eth, e.el_reward_per_block_eth, u, e.network_participation)
    diva = ethereum.gross_apr(e.total_staked_eth, e.el_reward_per_block_eth, avail, e.network_participation)
    return pd.DataFrame({
        "node uptime": [fmt.pct(x, 1) + (" (scenario)" if x == d.operator_uptime else "") for x in u],
        "one node: gross APR": [fmt.pct(x, 3) for x in solo],
        f"Diva {d.threshold}/{d.key_shares_per_validator}: availability": [fmt.prob(x) for x in avail],
        f"Diva {d.threshold}/{d.key_shares_per_validator}: gross APR": [fmt.pct(x, 3) for x in diva],
    })


def collateral_table(scenario: Scenario, collaterals: Sequence[float] = (0.1, 0.25, 0.5, 1.0, 2.0)) -> pd.DataFrame:
    """Operator APR (queued, assigned) and collateral ratio at a few collateral levels."""
    import numpy as np

    from divaecon import protocol
    from divaecon.quote import operator_apr_assigned_at, quote

    q = quote(scenario)
    d = scenario.diva
    c = np.unique(np.append(np.asarray(collaterals, dtype=float), d.collateral_per_key_share_eth))
    assigned = operator_apr_assigned_at(q, c)
    ratio = protocol.collateral_ratio(c, d.key_shares_per_validator, d.validator_stake_eth)
    locked = protocol.collateral_locked_eth(d.network_validators, c, d.key_shares_per_validator)
    return pd.DataFrame({
        "collateral per key share": [f"{x:g} divETH" + (" (scenario)" if x == d.collateral_per_key_share_eth else "")
                                     for x in c],
        "of the validator's stake": [fmt.pct(x, 1) for x in ratio],
        "operator APR, queued": [fmt.pct(q.operator_apr_queued)] * len(c),
        "operator APR, assigned": [fmt.pct(x) for x in assigned],
        f"locked by {d.network_validators:,} validators": [fmt.eth(x).replace("ETH", "divETH") for x in locked],
    })


def break_even_table(scenario: Scenario, prices_usd: Sequence[float] = (1_000.0, 2_500.0, 5_000.0),
                     running_usd_per_month: Sequence[float] = (20.0, 50.0, 100.0, 200.0)) -> pd.DataFrame:
    """Break-even key shares per node: rows running cost, columns ETH price."""
    from divaecon import protocol
    from divaecon.quote import quote

    q = quote(scenario)
    c = scenario.costs
    net = q.operator_net_reward_per_key_share_eth_per_year
    prices = sorted(set(prices_usd) | {c.eth_price_usd})
    out = {}
    for p in prices:
        out[f"at {fmt.usd(p)}/ETH"] = [
            fmt.count(protocol.break_even_key_shares(
                net, p, protocol.operator_cost_usd_per_year(c.hardware_cost_usd, c.hardware_lifetime_years, r)))
            for r in running_usd_per_month]
    index = [f"{fmt.usd(r)}/month + {fmt.usd(c.hardware_cost_usd)} hardware" for r in running_usd_per_month]
    return pd.DataFrame(out, index=pd.Index(index, name="node costs")).reset_index()


def availability_table(scenario: Scenario, correlation: float | None = None) -> pd.DataFrame:
    """Each cluster at the scenario's node uptime: faults tolerated, availability with
    independent and correlated failures, downtime and rewards lost per validator."""
    from divaecon import dvt, ethereum
    from divaecon.plotting import cluster_setups
    from divaecon.units import DAYS_PER_YEAR

    e, d = scenario.ethereum, scenario.diva
    rho = d.failure_correlation if correlation is None else correlation
    rho = rho if rho > 0 else 0.2
    setups = cluster_setups(scenario)
    ind = dvt.availability(setups["n"].to_numpy(), setups["t"].to_numpy(), d.operator_uptime, 0.0)
    cor = dvt.availability(setups["n"].to_numpy(), setups["t"].to_numpy(), d.operator_uptime, rho)
    lost, lost_c = (ethereum.rewards_lost_eth_per_year(e.total_staked_eth, e.el_reward_per_block_eth, a,
                                                       e.network_participation) for a in (ind, cor))
    hours = DAYS_PER_YEAR * 24
    return pd.DataFrame({
        "cluster": setups["name"],
        "faults tolerated": (setups["n"] - setups["t"]).map(fmt.count),
        "availability, independent": [fmt.prob(x) for x in ind],
        f"availability, ρ = {rho:g}": [fmt.prob(x) for x in cor],
        "downtime [h/year], indep.": [f"{(1 - x) * hours:,.2f}" for x in ind],
        f"downtime [h/year], ρ = {rho:g}": [f"{(1 - x) * hours:,.2f}" for x in cor],
        "rewards lost [ETH/year], indep.": [f"{x:.5f}" for x in lost],
        f"rewards lost [ETH/year], ρ = {rho:g}": [f"{x:.5f}" for x in lost_c],
    })
