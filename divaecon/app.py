"""``divaecon app``: the dashboard served by Voilà on 127.0.0.1, behind a token.

:func:`serve_app` starts ``voila`` on :func:`app_notebook` — ``notebooks/00_explore.ipynb``,
the notebook a user opens in JupyterLab, with the starting scenario written into its
``parameters`` cell — waits until it listens, prints the URL and supervises it: Ctrl-C or
SIGTERM stops Voilà and its kernels, and on Linux Voilà dies with ``divaecon app`` even when
that is killed. The dashboard itself is :mod:`divaecon.widgets`.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from divaecon import resources
from divaecon.errors import DivaeconError, one_line
from divaecon.params import load_scenario

__all__ = ["APP_NOTEBOOK", "app_notebook", "serve_app"]

APP_NOTEBOOK = "00_explore.ipynb"
"""The notebook the app serves (in :func:`divaecon.resources.notebook_dir`)."""

APP_NOTEBOOK_NAME = "divaecon.ipynb"
"""Its name in the temporary folder Voilà serves (shown in the browser's title)."""

_SCENARIO_LINE = re.compile(r"^scenario_path = None\b", re.MULTILINE)


def app_notebook(scenario_path: str | os.PathLike[str] | None = None) -> Any:
    """The dashboard notebook, :data:`APP_NOTEBOOK`, read from the shipped notebooks.

    ``scenario_path`` (made absolute) replaces ``None`` in its ``parameters`` cell as a Python
    string literal (``repr``), so a path full of quotes stays text and never becomes code.
    """
    import nbformat

    nb = nbformat.read(resources.notebook_dir() / APP_NOTEBOOK, as_version=4)
    if scenario_path is not None:
        literal = repr(str(Path(scenario_path).resolve()))
        cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        if len(cells) != 1 or not _SCENARIO_LINE.search(cells[0].source):
            raise DivaeconError(f"{APP_NOTEBOOK}: needs one parameters cell with 'scenario_path = None'")
        cells[0].source = _SCENARIO_LINE.sub(lambda _m: f"scenario_path = {literal}", cells[0].source, count=1)
    return nb


_TOKEN_RE = re.compile(r"[A-Za-z0-9._~-]{8,256}")
_NOISE = ("running over TCP without encryption", "KeyboardInterrupt caught in kernel", "is not trusted")


def _check_port(port: int) -> None:
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65_535:
        raise DivaeconError(f"--port = {port!r}: must be a whole number from 1 to 65535")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise DivaeconError(
                f"--port = {port}: 127.0.0.1:{port} is not available ({exc.strerror}); choose another port"
            ) from None


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: have the kernel send SIGTERM to Voilà if ``divaecon app`` dies (even by SIGKILL)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _stop(proc: subprocess.Popen[str], timeout_s: float = 15.0) -> None:
    """Ask Voilà to stop (it shuts its kernels down), then insist."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait()


def _pump(stream: Any, tail: deque[str], echo: bool) -> None:
    for line in stream:
        tail.append(line.rstrip())
        if echo and not any(n in line for n in _NOISE):
            sys.stderr.write(one_line(line.rstrip("\n")) + "\n")  # no terminal escapes from requests
            sys.stderr.flush()


def write_token_file(folder: Path, token: str) -> Path:
    """Write ``token`` to a file only this user can read (created with mode 0600, no newline).

    Voilà reads it through ``JUPYTER_TOKEN_FILE``, so the token never appears on a command line,
    where ``ps`` shows it to every local user.
    """
    path = folder / ".token"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token)
    return path


def serve_app(
    port: int = 8866,
    token: str | None = None,
    *,
    scenario_path: str | os.PathLike[str] | None = None,
    ready_timeout_s: float = 120.0,
    echo_log: bool = True,
    notes: Sequence[str] = (),
) -> None:
    """Serve the dashboard with Voilà on ``127.0.0.1:port`` behind ``token``; block until Ctrl-C.

    Writes :func:`app_notebook` to a private temporary directory, starts Voilà on it
    (:mod:`divaecon._voila`: the token read from a user-only file, never on a command line; foreign
    ``Host`` headers refused; no browser, no port retries), waits until it listens and prints the
    URL with the token. Ctrl-C or
    SIGTERM stops Voilà and its kernels. ``scenario_path`` sets the sliders' starting values
    (validated here, before anything starts). A bad or busy port, a malformed token, an invalid
    scenario or a Voilà that fails to start raise :class:`~divaecon.errors.DivaeconError`.
    ``notes`` are printed to stderr once the inputs are checked, before Voilà starts.
    """
    if scenario_path is not None:
        load_scenario(scenario_path)  # every invalid field reported now, not inside the kernel
    _check_port(port)
    if token is None:
        token = secrets.token_urlsafe(24)
    elif not _TOKEN_RE.fullmatch(token):
        raise DivaeconError("--token: use 8 to 256 letters, digits or . _ ~ - (or leave it out for a random one)")
    import importlib.util

    if importlib.util.find_spec("voila") is None:
        raise DivaeconError("Voilà is not installed: pip install 'voila>=0.5,<0.6'")
    for note in notes:
        print(note, file=sys.stderr, flush=True)
    import nbformat

    previous_term: Any = None
    in_main = threading.current_thread() is threading.main_thread()

    def _on_term(_sig: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    with tempfile.TemporaryDirectory(prefix="divaecon-app-") as tmp:
        notebook = Path(tmp) / APP_NOTEBOOK_NAME
        nbformat.write(app_notebook(scenario_path), notebook)
        token_file = write_token_file(Path(tmp), token)
        cmd = [
            sys.executable,
            "-m",
            "divaecon._voila",
            str(notebook),
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--Voila.port={port}",
            "--Voila.port_retries=0",
            "--Voila.auto_token=True",
            "--Voila.log_level=WARN",
        ]
        env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")}
        env.update({"PYTHONUNBUFFERED": "1", "MPLBACKEND": "Agg", "JUPYTER_TOKEN_FILE": str(token_file)})
        tail: deque[str] = deque(maxlen=20)
        if in_main:
            previous_term = signal.signal(signal.SIGTERM, _on_term)
        proc: subprocess.Popen[str] | None = None
        try:
            proc = subprocess.Popen(
                cmd,
                cwd=tmp,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
            pump = threading.Thread(target=_pump, args=(proc.stdout, tail, echo_log), daemon=True)
            pump.start()
            deadline = time.monotonic() + ready_timeout_s
            while not _listening(port):
                if proc.poll() is not None:
                    last = next((ln for ln in reversed(tail) if ln.strip()), "no output")
                    raise DivaeconError(f"Voilà exited with status {proc.returncode} before serving: {last}")
                if time.monotonic() > deadline:
                    raise DivaeconError(
                        f"Voilà did not start listening on 127.0.0.1:{port} within {ready_timeout_s:g} s"
                    )
                time.sleep(0.2)
            url = f"http://127.0.0.1:{port}/?token={token}"
            print(f"divaecon dashboard (Voilà): {url}", flush=True)
            print("Open it in a browser; press Ctrl-C to stop.", flush=True)
            status = proc.wait()
            if status != 0:
                raise DivaeconError(f"Voilà stopped with status {status}")
        except KeyboardInterrupt:
            print("Stopping the dashboard ...", file=sys.stderr, flush=True)
        finally:
            if proc is not None:
                _stop(proc)
            if in_main:
                signal.signal(signal.SIGTERM, previous_term if previous_term is not None else signal.SIG_DFL)
