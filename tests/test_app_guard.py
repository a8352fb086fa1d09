"""``divaecon app`` against hostile requests and local users, with a real Voilà server (issue 12, item 6).

The token never appears on any process's command line (``/proc/*/cmdline``, what ``ps`` shows);
requests whose Host header is not local are refused (DNS rebinding); unauthenticated probes get
their 403/404 and print no traceback to the user's terminal.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import stat
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from waiting import wait_until  # tests/waiting.py

from divaecon._voila import host_is_local
from divaecon.app import _stop as stop_app
from divaecon.app import write_token_file


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1:8866", True),
        ("localhost:8866", True),
        ("LOCALHOST", True),
        ("[::1]:8866", True),
        ("127.1.2.3", True),
        ("evil.example:8866", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.nip.io", False),
        ("0.0.0.0:8866", False),
        ("192.168.1.2", False),
        ("", False),
        ("[::ffff:7f00:1]", False),
    ],
)
def test_host_is_local(host: str, local: bool) -> None:
    assert host_is_local(host) is local


def test_token_file_is_private(tmp_path: Path) -> None:
    path = write_token_file(tmp_path, "abc.DEF_123-~")
    assert path.read_text() == "abc.DEF_123-~"  # no newline: jupyter_server reads it verbatim
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, port: int, token: str, proc: subprocess.Popen[str], lines: list[str]) -> None:
        self.port, self.token, self.proc, self.lines = port, token, proc, lines

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.putrequest("GET", path, skip_host=True)
            conn.putheader("Host", host if host is not None else f"127.0.0.1:{self.port}")
            conn.endheaders()
            resp = conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace")
        finally:
            conn.close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """``divaecon app`` with its token from the environment, so no command line holds it."""
    port, token = _free_port(), secrets.token_urlsafe(18)
    env = {**os.environ, "DIVAECON_APP_TOKEN": token, "JUPYTER_TOKEN": "not-this-one"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "divaecon.cli", "app", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "http://127.0.0.1:" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(timeout=180):
            pytest.fail("divaecon app printed no URL:\n" + "".join(lines))
        yield Server(port, token, proc, lines)
    finally:
        stop_app(proc, timeout_s=30)


@pytest.mark.slow
@pytest.mark.xdist_group("app")
def test_token_is_on_no_command_line(server: Server) -> None:
    url = next(line for line in server.lines if "http://" in line)
    assert f"?token={server.token}" in url  # the user gets it, on their own terminal
    seen = []
    for proc_dir in Path("/proc").iterdir():
        if proc_dir.name.isdigit():
            try:
                cmdline = (proc_dir / "cmdline").read_bytes()
            except OSError:
                continue
            seen.append(cmdline)
            assert server.token.encode() not in cmdline, cmdline.replace(b"\0", b" ")
    assert any(b"divaecon._voila" in c for c in seen)  # Voilà is running, and its command line was checked


@pytest.mark.slow
@pytest.mark.xdist_group("app")
def test_token_from_the_file_is_enforced(server: Server) -> None:
    status, body = server.get(f"/?token={server.token}")
    assert status == 200 and "<html" in body.lower()
    assert server.get("/?token=not-this-one")[0] in (302, 403)  # the user's JUPYTER_TOKEN is ignored
    assert server.get("/")[0] in (302, 403)


@pytest.mark.slow
@pytest.mark.xdist_group("app")
@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "0.0.0.0:{port}"])
def test_foreign_host_is_refused_even_with_the_token(server: Server, host: str) -> None:
    host = host.format(port=server.port)
    for path in (f"/?token={server.token}", "/voila/static/voila.js", "/api/kernels", "/login"):
        status, body = server.get(path, host=host)
        assert status == 403 and "answers only to localhost" in body, (path, status)
    assert server.get(f"/?token={server.token}", host=f"localhost:{server.port}")[0] == 200


@pytest.mark.slow
@pytest.mark.xdist_group("app")
def test_probes_print_no_traceback(server: Server) -> None:
    kernel = "00000000-0000-0000-0000-000000000000"
    probes = [
        "/api/kernels",
        f"/api/kernels/{kernel}",
        f"/api/kernels/{kernel}/channels",
        f"/voila/api/shutdown/{kernel}",
        "/voila/api/themes/x",
        "/voila/files/etc/passwd",
        "/voila/static/../../../../etc/passwd",
        "/voila/render/x",
        "/api/contents",
        "/%",
        "/login",
        "/voila/templates/../../etc/passwd",
        "/static/favicon.ico",
        "/\x1b[2Jx",
    ]
    for path in probes:
        status, body = server.get(path.replace("\x1b", "%1b"))
        assert status in (200, 302, 403, 404, 405), (path, status)
        assert "root:x:0:0" not in body
    # The server logs requests in the order it answers them: once a last, marked request is in
    # the log, so is every probe before it.
    marker = f"/api/kernels/{uuid.uuid4()}"  # refused (403/404), and so logged, like the probes
    assert server.get(marker)[0] in (403, 404)
    wait_until(lambda: marker in "".join(server.lines), "the server to log the last probe", timeout_s=120)
    log = "".join(server.lines)
    assert "Traceback" not in log and "Uncaught exception" not in log, log
    assert "\x1b" not in log
    assert re.search(r"40[34] GET /api/kernels/0{8}-", log)  # the probes were logged, one line each


def test_token_note_only_once_inputs_are_valid(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from divaecon.cli import main

    with socket.socket() as sock:  # a busy port: refused before Voilà starts, so nothing is served
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = str(sock.getsockname()[1])
        assert main(["app", "--port", port, "--token", "a-good-token"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "not available" in err  # the error alone, no note before it
    monkeypatch.setenv("DIVAECON_APP_TOKEN", "short")  # the token from the environment is checked too
    assert main(["app", "--port", str(_free_port())]) == 2
    assert "--token: use 8 to 256 letters" in capsys.readouterr().err
