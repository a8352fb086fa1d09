"""The batch: one book per scenario and the comparison, each run in one kernel, printed by one
Chromium, failures isolated, nothing half-written.

:func:`run_batch` writes into the output folder::

    <out>/<scenario>.pdf                 the scenario's book (cover, summary, contents, chapters)
    <out>/comparison.pdf                 the scenarios side by side (90_comparison.ipynb)
    <out>/index.html                     every book with its status, run time and links
    <out>/<scenario>/book.ipynb          the executed book notebook (book.html with --format html)
    <out>/<scenario>/<NN_topic>.pdf      one PDF per topic, only with ``split``
    <out>/<scenario>/book.failed.ipynb   a book that failed: the notebook as far as it ran ...
    <out>/<scenario>/book.log            ... and the error with the kernel's output
    <out>/comparison/...                 the same for the comparison
    <out>/.divaecon-report.json          what this batch writes (the next batch removes it first)

Design (speed and faults):

- one kernel run per book: the book notebook is assembled from the topic notebooks
  (:mod:`divaecon.reports.book`) and papermill runs it once (an engine that writes the
  notebook when the run ends, not at every cell: :func:`_register_engine`); ``jobs`` kernels
  run books in parallel, each lent to the next book once a book's notebook has run (namespace
  reset and figures closed in between: :class:`_KernelSlot`), so a batch starts ``jobs``
  kernels, imports the scientific stack once per kernel, and exports and prints one book while
  the kernel already runs the next;
- one Chromium (:class:`~divaecon.reports.export.Printer`) prints every PDF, started while the
  first kernels start; the numba cache of the simulation is warmed in the parent meanwhile, so
  no kernel compiles it;
- a failing book fails alone: its log and notebook are kept, no PDF of it is left (not even an
  older one); the comparison is then run again on the scenarios whose books succeeded;
- outputs of the previous batch (listed in its manifest) are removed before anything runs, so an
  old book never sits beside new ones as if current; every file is written to a temporary name
  and renamed into place; Ctrl-C or SIGTERM stops the kernels and the browser, removes this run's
  temporaries and writes the index with what was finished.
"""

from __future__ import annotations

import concurrent.futures as cf
import copy
import datetime as dt
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from divaecon import resources
from divaecon._io import TMP_MARK, remove_stale_temporaries, temporary_name, write_atomic
from divaecon.errors import DivaeconError
from divaecon.formatting import one_line
from divaecon.params import scenario_to_yaml
from divaecon.reports.book import assemble_book, split_book
from divaecon.reports.export import PAPERS, Printer, for_disk, notebook_to_html, pdf_engine, print_html
from divaecon.reports.index import write_index
from divaecon.reports.inputs import (
    COMPARISON_NOTEBOOK,
    FORMATS,
    FRONT_NOTEBOOK,
    QUICK_PARAMETERS,
    REPORT_NOTEBOOKS,
    SCENARIOS_PARAMETER,
    ScenarioInput,
    declared_parameters,
    files_to_yaml,
    notebook_parameters,
    scenarios_to_yaml,
)
from divaecon.reports.jobs import BatchResult, BookJob
from divaecon.reports.kernels import (  # noqa: F401 (quiet_kernel_manager: re-exported)
    _CANCELLED,
    ENGINE_NAME,
    KERNEL_NAME,
    _KernelSlot,
    _register_engine,
    kill_live_kernels,
    quiet_kernel_manager,
)

MANIFEST = ".divaecon-report.json"
"""The file listing what a batch writes into its output folder (hidden, beside index.html)."""

BOOK_TITLE = "Diva Staking — scenario report"
COMPARISON_TITLE = "Diva Staking — scenario comparison"

_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",
    "To exit, you will have to explicitly quit this process",
)


def error_line(exc: BaseException) -> str:
    """One line naming an error: the notebook's exception (name and value) or the Python one."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        lines = f"{ename}: {evalue}".strip().splitlines()
        return _ANSI.sub("", lines[0] if lines else ename)[:300]
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Progress:
    """A progress bar (tqdm, on stderr) that says what each book is doing."""

    def __init__(self, total: int, enabled: bool) -> None:
        from tqdm.auto import tqdm

        self._bar = tqdm(
            total=total,
            desc="divaecon report",
            unit="step",
            disable=not enabled,
            file=sys.stderr,
            dynamic_ncols=True,
            bar_format="{desc} {bar} {n_fmt}/{total_fmt} [{elapsed}] {postfix}",
        )
        self._doing: dict[str, str] = {}
        self._lock = threading.Lock()

    def doing(self, name: str, what: str | None, step: bool = False) -> None:
        with self._lock:
            if what is None:
                self._doing.pop(name, None)
            else:
                self._doing[name] = what
            if step:
                self._bar.update(1)
            self._bar.set_postfix_str(" · ".join(f"{k}: {v}" for k, v in self._doing.items())[:110])

    def close(self) -> None:
        self._bar.close()


@dataclass
class _Plan:
    """Everything a batch needs, checked before anything runs."""

    out: Path
    formats: tuple[str, ...]
    quick: bool
    split: bool
    notebook_dir: Path
    book_nb: Any
    comparison_nb: Path | None
    topics: list[Path]
    generated: str
    printer: Printer | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: _Progress | None = None
    kernels: int = 1
    """How many kernels run books at once (``--jobs``)."""
    slots: list[_KernelSlot] = field(default_factory=list)
    _free: list[_KernelSlot] = field(default_factory=list)
    _waiting: list[object] = field(default_factory=list)
    _ready: threading.Condition = field(default_factory=threading.Condition)

    def acquire_slot(self) -> _KernelSlot:
        """A free kernel slot (a new one while fewer than :attr:`kernels` exist), to the books
        in the order they asked. Raises KeyboardInterrupt once the batch is cancelled."""
        me = object()
        with self._ready:
            self._waiting.append(me)
            try:
                while True:
                    if self.cancel.is_set():
                        raise KeyboardInterrupt
                    if self._waiting[0] is me and (self._free or len(self.slots) < self.kernels):
                        if self._free:
                            return self._free.pop()
                        log = self.out / f".kernel-{len(self.slots)}.{os.getpid()}{TMP_MARK}.log"
                        slot = _KernelSlot(log, self.notebook_dir)
                        self.slots.append(slot)
                        return slot
                    self._ready.wait(0.5)
            finally:
                self._waiting.remove(me)
                self._ready.notify_all()

    def release_slot(self, slot: _KernelSlot) -> None:
        """Give ``slot`` back for the next book."""
        with self._ready:
            self._free.append(slot)
            self._ready.notify_all()


def _book_parameters(plan: _Plan, item: ScenarioInput) -> dict[str, Any]:
    return {
        "scenario_yaml": scenario_to_yaml(item.scenario),
        "scenario_source": item.source,
        "scenario_sha256": item.sha256,
        "generated": plan.generated,
    }


def _comparison_parameters(
    plan: _Plan, items: Sequence[ScenarioInput], left_out: Sequence[str], declared: Any
) -> dict[str, Any]:
    import yaml

    values: dict[str, Any] = {
        SCENARIOS_PARAMETER: scenarios_to_yaml([i.scenario for i in items]),
        "scenario_files": files_to_yaml(items),
        "generated": plan.generated,
        "left_out": yaml.safe_dump(list(left_out)) if left_out else "",
    }
    if plan.quick:
        values.update({k: v for k, v in QUICK_PARAMETERS.items() if k in declared})
    return values


def check_out_dir(out: Path) -> None:
    """The output folder exists (or is created) and takes files: else one line, before any work."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / temporary_name(out / "probe").name
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DivaeconError(
            f"--out {out}: cannot write there ({exc.strerror or exc}); give a folder you can write to"
        ) from None


def _planned_outputs(books: Sequence[BookJob], plan: _Plan | None) -> list[str]:
    """Every file a batch of ``books`` may write, relative to its output folder."""
    names = [MANIFEST, "index.html"]
    for b in books:
        names += [
            f"{b.slug}.pdf",
            f"{b.slug}/book.ipynb",
            f"{b.slug}/book.html",
            f"{b.slug}/book.failed.ipynb",
            f"{b.slug}/book.log",
        ]
        if plan is not None and plan.split and not b.comparison:
            names += [f"{b.slug}/{t.stem}.pdf" for t in plan.topics]
    return names


def _remove_previous_outputs(out: Path, books: Sequence[BookJob]) -> None:
    """Remove what the previous batch wrote (the files its manifest lists), whatever this batch
    will write, and the per-notebook files of the layout before books
    (``<scenario>/<NN_topic>.pdf|html|ipynb|log``) for this batch's scenarios. Never a file
    outside ``out``, never one a batch does not write."""
    listed: list[str] = []
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            listed = [str(p) for p in json.loads(manifest.read_text(encoding="utf-8")).get("outputs", [])]
        except (ValueError, OSError, AttributeError):
            listed = []
    legacy = [
        f"{b.slug}/{stem}{ext}"
        for b in books
        for stem in REPORT_NOTEBOOKS
        for ext in (".pdf", ".html", ".ipynb", ".log", ".failed.ipynb")
    ]
    legacy += ["comparison.html", "comparison.log"]
    legacy += [name for name in _planned_outputs(books, None) if name != MANIFEST]
    root = out.resolve()
    for rel in [*listed, *legacy]:
        target = (out / rel).resolve()
        if root in target.parents and target.is_file():  # never outside the output folder
            target.unlink(missing_ok=True)


def _write_manifest(out: Path, names: Sequence[str]) -> None:
    write_atomic(out / MANIFEST, json.dumps({"written_by": "divaecon report", "outputs": sorted(set(names))}, indent=1))


def run_book(
    book: BookJob,
    plan: _Plan,
    notebook: Any,
    parameters: dict[str, Any],
    execution_timeout_s: int = 1800,
) -> BookJob:
    """Run, export and print one book; never raises for a failing book (its status says).

    The book holds a kernel slot only while its notebook runs: it is exported and printed after
    the slot is given back, so the next book's notebook runs meanwhile.
    """
    import papermill

    _register_engine()
    start = time.perf_counter()
    folder = plan.out / book.slug
    folder.mkdir(parents=True, exist_ok=True)
    final_nb, failed_nb, log_path = folder / "book.ipynb", folder / "book.failed.ipynb", folder / "book.log"
    tmp_nb = temporary_name(final_nb, ".ipynb")
    stage = "execution"
    progress = plan.progress
    slot: _KernelSlot | None = None
    log_path_kernel: Path | None = None
    log_start, log_end = 0, -1
    try:
        if plan.cancel.is_set():
            raise KeyboardInterrupt
        if progress:
            progress.doing(book.slug, "waiting for a kernel")
        slot = plan.acquire_slot()
        start = time.perf_counter()  # a book's time runs from its kernel, not from its place in the queue
        log_path_kernel = slot.log_path
        try:
            if progress:
                progress.doing(book.slug, "starting a kernel" if slot.km is None else "resetting the kernel")
            book.status = "running"
            km = slot.kernel()
            log_start = slot.log_size()
            if progress:
                progress.doing(book.slug, "running notebooks")
            executed = papermill.execute_notebook(
                copy.deepcopy(notebook),
                str(tmp_nb),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                engine_name=ENGINE_NAME,
                progress_bar=False,
                log_output=False,
                execution_timeout=execution_timeout_s,
                km=km,
            )
        finally:  # the kernel goes to the next book; this one's output ends here in its log
            log_end = slot.log_size()
            plan.release_slot(slot)
        if plan.cancel.is_set():
            raise KeyboardInterrupt
        stage = "export"
        if progress:
            progress.doing(book.slug, "printing PDF")
        book.status = "printing"
        os.replace(tmp_nb, final_nb)
        book.outputs["ipynb"] = final_nb
        header = (
            one_line("scenarios: " + ", ".join(book.scenario_names), 90)
            if book.comparison
            else one_line(f"scenario: {book.name}", 90)
        )
        doc = print_html(
            notebook_to_html(executed, title=f"{book.title} — {book.name}"),
            book.title,
            header,
            book=not book.comparison,
        )
        if "html" in plan.formats:
            write_atomic(folder / "book.html", for_disk(doc.html))
            book.outputs["html"] = folder / "book.html"
        if "pdf" in plan.formats and plan.printer is not None:
            pdf = plan.out / f"{book.slug}.pdf"
            plan.printer.print_pdf(doc, pdf)
            book.outputs["pdf"] = pdf
            if plan.split and not book.comparison:
                for topic, part in split_book(executed).items():
                    part_doc = print_html(
                        notebook_to_html(part, title=f"{book.name} — {topic}"),
                        book.title,
                        f"scenario: {book.name} · {topic}",
                        contents=False,
                    )
                    plan.printer.print_pdf(part_doc, folder / f"{topic}.pdf")
                    book.outputs[f"pdf:{topic}"] = folder / f"{topic}.pdf"
        book.status = "ok"
        failed_nb.unlink(missing_ok=True)
        log_path.unlink(missing_ok=True)
    except BaseException as exc:  # a failure, or an interrupt: nothing of this book passes for done
        interrupted = isinstance(exc, KeyboardInterrupt) or plan.cancel.is_set()
        book.status = "interrupted" if interrupted else "failed"
        for key, path in list(book.outputs.items()):
            if key != "ipynb" or stage != "export" or interrupted:
                path.unlink(missing_ok=True)
                book.outputs.pop(key)
        if not interrupted:
            book.error = f"{stage}: {error_line(exc)}"
            if tmp_nb.exists():
                os.replace(tmp_nb, failed_nb)
                book.outputs["failed_ipynb"] = failed_nb
            tb = "".join(traceback.format_exception(exc))
            kernel_text = ""
            if log_path_kernel is not None and log_path_kernel.exists():
                with open(log_path_kernel, "rb") as fh:
                    fh.seek(log_start)
                    kernel_text = fh.read(max(0, log_end - log_start) if log_end >= 0 else -1).decode(
                        "utf-8", errors="replace"
                    )
            kernel_text = "\n".join(ln for ln in kernel_text.splitlines() if not any(n in ln for n in _NOISE))
            names = ", ".join(book.scenario_names)
            write_atomic(
                log_path,
                f"book: {book.slug}\nscenario(s): {names}\n{book.error}\n\n"
                f"{_ANSI.sub('', tb)}\n--- kernel output ---\n{kernel_text}\n",
            )
            book.outputs["log"] = log_path
        if not isinstance(exc, Exception) and (
            not interrupted or threading.current_thread() is threading.main_thread()
        ):
            raise  # Ctrl-C in the main thread (the comparison's second run) stops the batch
    finally:
        tmp_nb.unlink(missing_ok=True)
        book.seconds = time.perf_counter() - start
        if progress:
            progress.doing(book.slug, None, step=True)
    return book


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt in the main thread while the batch runs (as Ctrl-C does)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _warm_numba() -> None:
    """Compile the simulation and the risk model's batch solve once (or load numba's cache) before
    the kernels need them."""
    try:
        from divaecon.simulate import warm_up
    except ImportError:  # pragma: no cover - the engine is part of the package
        return
    from divaecon.risk.batch import warm_up as warm_up_risk

    for warm in (warm_up, warm_up_risk):
        try:
            warm()
        except Exception:  # a kernel will report the real problem
            pass


def run_batch(
    scenarios: Sequence[ScenarioInput],
    notebooks: Sequence[Path],
    out_dir: str | os.PathLike[str],
    jobs: int | None = None,
    formats: Sequence[str] = FORMATS,
    quick: bool = False,
    progress: bool = True,
    comparison: bool = True,
    split: bool = False,
    paper: str = "a4",
    front: Path | None = None,
    comparison_notebook: Path | None = None,
) -> BatchResult:
    """One book per scenario (``front`` then the topic ``notebooks``) and the comparison, in
    parallel; see the module's docstring for what lands where and how faults are handled.

    Bad input (parameters a notebook does not declare, an unwritable ``out_dir``, an unknown
    paper) raises :class:`DivaeconError` before anything runs or is removed.
    """
    if paper not in PAPERS:
        raise DivaeconError(f"--paper {paper!r}: allowed: {', '.join(PAPERS)}")
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise DivaeconError(f"--format {','.join(formats)!r}: allowed formats are {', '.join(FORMATS)}")
    out = Path(out_dir).absolute()
    nb_dir = resources.notebook_dir()
    front = Path(front) if front else nb_dir / f"{FRONT_NOTEBOOK}.ipynb"
    comp_nb = (
        (Path(comparison_notebook) if comparison_notebook else nb_dir / f"{COMPARISON_NOTEBOOK}.ipynb")
        if comparison
        else None
    )
    topics = [Path(nb).resolve() for nb in notebooks]
    if "pdf" in formats:
        pdf_engine()
    # refuse bad parameters before anything runs
    declared = {nb: declared_parameters(nb) for nb in [front, *topics]}
    book_nb = assemble_book(front, topics, quick=quick, declared=declared)
    generated = dt.date.today().isoformat()
    plan = _Plan(out, tuple(formats), quick, split, nb_dir, book_nb, comp_nb, topics, generated)
    for item in scenarios:
        notebook_parameters(front, item.scenario, False, extra=_book_parameters(plan, item), declared=declared[front])
    comp_declared = declared_parameters(comp_nb) if comp_nb else {}
    if comp_nb is not None:
        for name in _comparison_parameters(plan, scenarios, [], comp_declared):
            if name not in comp_declared:
                raise DivaeconError(f"{comp_nb.name}: its parameters cell does not declare {name}")
    check_out_dir(out)

    books = [BookJob(item.slug, BOOK_TITLE, [item]) for item in scenarios]
    comp = BookJob("comparison", COMPARISON_TITLE, list(scenarios), comparison=True) if comp_nb else None
    everything = [*books, *([comp] if comp else [])]
    remove_stale_temporaries(out)
    _remove_previous_outputs(out, everything)
    planned = _planned_outputs(everything, plan)
    _write_manifest(out, planned)

    result = BatchResult(books, comp, out)
    _CANCELLED.clear()
    start = time.perf_counter()
    plan.progress = _Progress(len(everything), progress)
    workers = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    plan.kernels = workers
    # twice as many threads as kernels: a book gives its kernel back before it is exported and
    # printed, and another thread's book takes it meanwhile
    pool = cf.ThreadPoolExecutor(max_workers=2 * workers, thread_name_prefix="book")
    helpers = cf.ThreadPoolExecutor(max_workers=2, thread_name_prefix="batch-setup")
    try:
        with _sigterm_as_interrupt():
            warm = helpers.submit(_warm_numba)
            printer_future = (
                helpers.submit(Printer, paper, 180.0, f"divaecon {_version()} · {generated}")
                if "pdf" in formats
                else None
            )
            if printer_future is not None:
                plan.printer = _PrinterWhenReady(printer_future)  # type: ignore[assignment]
            futures: list[cf.Future[BookJob]] = []
            comp_future: cf.Future[BookJob] | None = None
            if comp is not None and comp_nb is not None:
                comp_future = pool.submit(
                    run_book, comp, plan, _read(comp_nb), _comparison_parameters(plan, scenarios, [], comp_declared)
                )
            for b in books:
                futures.append(pool.submit(run_book, b, plan, book_nb, _book_parameters(plan, b.scenarios[0])))
            warm.result()
            for fut in cf.as_completed(futures):
                fut.result()
            if comp is not None and comp_future is not None and comp_nb is not None:
                comp_future.result()
                ok_items = [b.scenarios[0] for b in books if b.status == "ok"]
                if len(ok_items) < len(books):
                    left_out = [b.name for b in books if b.status != "ok"]
                    comp.scenarios = ok_items
                    comp.outputs.get("pdf", Path("/nonexistent")).unlink(missing_ok=True)
                    comp.outputs.pop("pdf", None)
                    if ok_items:
                        first_seconds = comp.seconds
                        comp.error, comp.status = "", "pending"
                        run_book(
                            comp, plan, _read(comp_nb), _comparison_parameters(plan, ok_items, left_out, comp_declared)
                        )
                        comp.seconds += first_seconds
                    else:
                        comp.status, comp.error = "skipped", "no scenario's book succeeded"
            if printer_future is not None and printer_future.done() and printer_future.exception() is None:
                result.blocked_requests = list(printer_future.result().stats.blocked)
    except KeyboardInterrupt:
        result.interrupted = True
        plan.cancel.set()
        _CANCELLED.set()
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + 60.0
        while any(t.is_alive() for t in getattr(pool, "_threads", ())) and time.monotonic() < deadline:
            kill_live_kernels()  # kernels that started after the first sweep, too
            time.sleep(0.2)
        for b in everything:
            if b.status not in ("ok", "failed", "skipped"):
                b.status = "interrupted"
                for key, path in list(b.outputs.items()):
                    path.unlink(missing_ok=True)
                    b.outputs.pop(key)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        helpers.shutdown(wait=True, cancel_futures=True)
        for slot in plan.slots:
            slot.shutdown()
        if isinstance(plan.printer, _PrinterWhenReady):
            plan.printer.close()
        if plan.progress is not None:
            plan.progress.close()
        remove_stale_temporaries(out)
        result.seconds = time.perf_counter() - start
        result.index = write_index(result)
    return result


def _read(path: Path) -> Any:
    import nbformat

    return nbformat.read(str(path), as_version=4)


def _version() -> str:
    from divaecon.tables import divaecon_version

    return divaecon_version()


class _PrinterWhenReady:
    """The batch's :class:`Printer`, started in the background; the first print waits for it."""

    def __init__(self, future: cf.Future[Printer]) -> None:
        self._future = future
        self._lock = threading.Lock()

    @property
    def printer(self) -> Printer:
        return self._future.result()

    @property
    def stats(self) -> Any:
        return self.printer.stats

    def print_pdf(self, doc: Any, pdf_path: Path) -> Path:
        return self.printer.print_pdf(doc, pdf_path)

    def close(self) -> None:
        try:
            printer = self._future.result(timeout=60)
        except Exception:
            return
        printer.close()
