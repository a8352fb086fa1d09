"""The batch's kernels: a quiet kernel manager registered so an interrupted batch can stop it,
papermill's engine that saves a notebook once, and the kernel slots lent to one book after another.

Used by :mod:`divaecon.reports.batch` (:func:`~divaecon.reports.batch.run_book`), which re-exports these names.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

KERNEL_NAME = "python3"
"""The Jupyter kernel the notebooks run in."""


_LIVE_KERNELS: dict[int, Any] = {}
_LIVE_LOCK = threading.Lock()
_CANCELLED = threading.Event()
"""Set while an interrupted batch stops: a kernel that starts now is killed at once."""


def quiet_kernel_manager(log_path: Path, cwd: Path | None = None, asynchronous: bool = False) -> type:
    """A KernelManager class whose kernel runs in ``cwd``, writes stdout/stderr to ``log_path``
    (not the terminal) and is registered so an interrupted batch can stop it.

    The kernel's working directory is set here rather than with papermill's ``cwd``, which
    changes the whole process's directory and races between threads. ``asynchronous``: an
    ``AsyncKernelManager`` (what :class:`_KernelSlot` starts and lends to papermill).
    """
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    base: type = AsyncKernelManager if asynchronous else KernelManager

    class QuietKernelManager(base):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            fh = open(log_path, "a", encoding="utf-8")  # closed in _async_cleanup_resources
            self._divaecon_log = fh
            kw["stdout"] = fh
            kw["stderr"] = fh
            if cwd is not None:
                kw["cwd"] = str(cwd)
            await super()._async_launch_kernel(kernel_cmd, **kw)
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                with _LIVE_LOCK:
                    _LIVE_KERNELS[id(self)] = process
                if _CANCELLED.is_set():
                    kill_live_kernels()

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            with _LIVE_LOCK:
                _LIVE_KERNELS.pop(id(self), None)
            await super()._async_cleanup_resources(restart=restart)
            fh = getattr(self, "_divaecon_log", None)
            if fh is not None:
                fh.close()

    return QuietKernelManager


def kill_live_kernels() -> int:
    """Kill every kernel a batch started that is still running; returns how many."""
    with _LIVE_LOCK:
        processes = list(_LIVE_KERNELS.values())
        _LIVE_KERNELS.clear()
    for p in processes:
        try:
            p.kill()
        except Exception:  # already gone
            pass
    return len(processes)


_RESET = "get_ipython().run_line_magic('reset', '-f')\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"
"""Run in a reused kernel before each book: the previous book's names and figures are gone."""


ENGINE_NAME = "divaecon"
"""The papermill engine books run with (:func:`_register_engine`)."""


@functools.cache
def _register_engine() -> None:
    """Register papermill's nbclient engine, saving the notebook once, when the run ends.

    Papermill's own manager writes the whole notebook to the output path when each cell starts
    and again when it ends: ≈ 100 writes of a notebook growing to a megabyte of figures, ≈ 1.3 s
    of the batch's CPU a book, all for a file nobody reads before the run is over. Here it is
    written once, when the run ends (papermill's ``notebook_complete``, which also runs after a
    failing cell: a failed book's notebook still shows how far it ran and where it failed).
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SaveAtEnd(NotebookExecutionManager):
        _final = False

        def save(self, **kwargs: Any) -> None:
            if self._final:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs: Any) -> None:
            self._final = True
            super().notebook_complete(**kwargs)

    class Engine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: Any = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            nb_man = SaveAtEnd(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE_NAME, Engine)


class _KernelSlot:
    """A kernel lent to one book at a time (:meth:`_Plan.acquire_slot`), one book after another.

    Starting a kernel and importing the scientific stack costs ~3 s of CPU; the next book reuses
    the kernel, with the user namespace reset and every figure closed in between
    (modules stay imported: that is the saving). A kernel that died, or that a book left
    unresponsive, is replaced; each book still fails alone. Kernel output goes to one log per
    slot; a failing book's log gets the part written while it ran.
    """

    def __init__(self, log_path: Path, cwd: Path) -> None:
        self.log_path = log_path
        self.cwd = cwd
        self.km: Any = None

    def kernel(self) -> Any:
        from jupyter_core.utils import run_sync

        if self.km is not None and run_sync(self.km.is_alive)():
            try:
                self._run(_RESET)
                return self.km
            except Exception:  # not answering: replace it
                self.shutdown()
        self.km = quiet_kernel_manager(self.log_path, self.cwd, asynchronous=True)(kernel_name=KERNEL_NAME)
        run_sync(self.km.start_kernel)()
        return self.km

    def _run(self, code: str) -> None:
        from jupyter_core.utils import run_sync

        kc = self.km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=60)
            reply = run_sync(kc.execute_interactive)(code, timeout=60, output_hook=lambda msg: None)
            if reply["content"].get("status") != "ok":
                raise RuntimeError("the kernel could not be reset")
        finally:
            kc.stop_channels()

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        if self.km is None:
            return
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            pass
        self.km = None
