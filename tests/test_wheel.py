"""The wheel, installed outside the checkout, is a working divaecon: quote, init, reports and the app.

Builds the wheel from a copy of the working tree (``pip wheel``, build backend pinned by the
lock), installs it with the locked versions into a new virtual environment in a temporary
folder, and runs the console script there with the checkout out of sight: another working
directory, no PYTHONPATH, no development venv on PATH. About a minute; pip's cache and the lock
(no resolution to do) keep it short.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from divaecon.app import _stop as stop_app
from divaecon.params import load_scenario

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "constraints.txt"
DEV_BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.kernel,
    pytest.mark.batch,
    pytest.mark.browser,  # the report is printed to PDF by Chromium
    pytest.mark.xdist_group("wheel"),  # one build and one environment for the whole module
]

# What a build never needs from the working tree: top-level folders of output and environments (the venv
# is large), and caches anywhere. Top level only: divaecon/reports/ is source, reports/ is output.
NOT_SOURCE_TOP = {".git", ".venv", "build", "dist", "reports", "test-artifacts", "dask-worker-space"}
NOT_SOURCE_ANYWHERE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.egg-info", ".*_cache", ".hypothesis", ".ipynb_checkpoints"
)


def _not_source(folder: str, names: list[str]) -> set[str]:
    ignored = set(NOT_SOURCE_ANYWHERE(folder, names))
    return ignored | (NOT_SOURCE_TOP & set(names) if Path(folder) == ROOT else set())


@dataclass(frozen=True)
class Installed:
    """A virtual environment holding only the wheel and its locked dependencies."""

    home: Path  # the working directory of every command: a temporary folder, not the checkout
    python: Path
    wheel: Path
    environ: dict[str, str]

    def run(self, *args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args],
            cwd=self.home,
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def divaecon(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return self.run(self.python.parent / "divaecon", *args)


def _pip(*args: str | Path) -> None:
    """The development venv's pip (the locked version) with this machine's settings."""
    done = subprocess.run([sys.executable, "-m", "pip", *map(str, args)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=_not_source)
    _pip("wheel", "--quiet", "--no-deps", "--build-constraint", LOCK, "--wheel-dir", tmp / "dist", source)
    (wheel,) = (tmp / "dist").glob("divaecon-*.whl")

    env_dir = tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    # --no-compile: byte-compiling 170 packages is a third of the install and changes nothing tested here
    _pip("--python", python, "install", "--quiet", "--no-compile", "--constraint", LOCK, wheel)

    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "JUPYTER_DATA_DIR")
    }
    path = [p for p in environ.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != DEV_BIN.resolve()]
    environ["PATH"] = os.pathsep.join([str(python.parent), *path])
    home = tmp / "home"
    home.mkdir()
    return Installed(home=home, python=python, wheel=wheel, environ=environ)


def test_package_and_its_files_come_from_the_new_environment(installed: Installed) -> None:
    code = (
        "import json, divaecon, divaecon.resources as r; "
        "print(json.dumps({'package': divaecon.__file__, 'data': str(r.data_dir()), "
        "'notebooks': [p.name for p in r.notebook_files()], 'scenarios': [p.name for p in r.scenario_files()], "
        "'csv': sorted(p.name for p in r.data_dir().glob('*.csv'))}))"
    )
    done = installed.run(installed.python, "-c", code)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    site = installed.python.parent.parent
    assert Path(found["package"]).is_relative_to(site) and Path(found["data"]).is_relative_to(site)
    assert found["notebooks"] == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(found["scenarios"]) == sorted(p.name for p in (ROOT / "data" / "scenarios").glob("*.yaml"))
    assert found["csv"] == sorted(p.name for p in (ROOT / "data").glob("*.csv"))


def test_installed_versions_are_the_locked_ones(installed: Installed) -> None:
    pins = {}
    for line in LOCK.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(installed.python), "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    )
    listed = {canonicalize_name(p["name"]): p["version"] for p in json.loads(done.stdout)}
    assert listed.pop("divaecon") == "0.1.0"
    assert {name: v for name, v in listed.items() if pins.get(name) != v} == {}, "installed outside the lock"
    check = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(installed.python), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def test_quote_json(installed: Installed) -> None:
    done = installed.divaecon("quote", "--json")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    figures = json.loads(done.stdout)
    assert 0 < figures["staker_apr"] < figures["gross_apr"]
    # the installed package computes what the checkout computes
    here = subprocess.run([DEV_BIN / "divaecon", "quote", "--json"], capture_output=True, text=True, check=True)
    assert figures == json.loads(here.stdout)


def _need_pdf_tools() -> None:
    """As tests/test_reports.py: skipped without Chromium or poppler locally, a failure in CI."""
    missing = []
    if shutil.which("chromium") is None and not os.environ.get("DIVAECON_CHROMIUM"):
        missing.append("chromium")
    if shutil.which("pdftotext") is None:
        missing.append("poppler-utils")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {', '.join(missing)} (make system-deps)")
        pytest.skip(f"needs {', '.join(missing)}")


def test_init_then_a_pdf_report_of_the_copied_notebook(installed: Installed) -> None:
    _need_pdf_tools()
    done = installed.divaecon("init", "work")
    assert done.returncode == 0, done.stderr
    assert "notebooks/01_staking_apr.ipynb" in done.stdout and "Next:" in done.stdout
    again = installed.divaecon("init", "work")
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "--force" in again.stderr

    work = installed.home / "work"
    report = installed.divaecon(
        "report",
        "--quick",
        "--format",
        "pdf",
        "--jobs",
        "1",
        "--notebook",
        work / "notebooks" / "01_staking_apr.ipynb",
        "--scenario",
        work / "data" / "scenarios" / "low-collateral.yaml",
        "--out",
        "out",
    )
    assert report.returncode == 0, report.stdout + report.stderr
    pdf = installed.home / "out" / "low-collateral.pdf"  # one book per scenario
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "01 · Staking APR" in text and "scenario: low-collateral" in text
    # The ideal consensus APR, computed here: consensus-specs altair, get_base_reward_per_increment, the
    # floored 64 × 10⁹ // isqrt(gwei staked), earned once an epoch: × 82,181.25 epochs a year / 10⁹.
    # S, the ETH staked, is the scenario's input (low-collateral.yaml keeps the default).
    staked = load_scenario(work / "data" / "scenarios" / "low-collateral.yaml").ethereum.total_staked_eth
    base_reward_gwei = 64 * 10**9 // math.isqrt(int(staked) * 10**9)
    assert f"{100 * base_reward_gwei * 82_181.25 / 1e9:.2f} %" in text
    assert (installed.home / "out" / "index.html").is_file()


def test_report_finds_the_shipped_notebooks_by_name(installed: Installed) -> None:
    scenario = installed.home / "mine.yaml"
    scenario.write_text("name: mine\ndiva:\n  collateral_per_key_share_eth: 0.5\n")
    done = installed.divaecon(
        "report", "--quick", "--format", "html", "--notebook", "04", "--scenario", scenario, "--out", "by-name"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    html = (installed.home / "by-name" / "mine" / "book.html").read_text()
    assert "<title>Diva Staking — scenario report — mine</title>" in html
    assert "04 · Protocol comparison" in html.replace("&#183;", "·")


def test_app_serves_the_shipped_dashboard(installed: Installed) -> None:
    """`divaecon app` starts Voilà on the dashboard notebook of the installed package."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    token = secrets.token_urlsafe(16)
    proc = subprocess.Popen(
        [str(installed.python.parent / "divaecon"), "app", "--port", str(port), "--token", token],
        cwd=installed.home,
        env=installed.environ,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/?token={token}"
        deadline = time.monotonic() + 300  # polls for the page; 300 s only for a broken app
        while True:
            try:
                with urllib.request.urlopen(url, timeout=120) as response:
                    page = response.read().decode("utf-8", "replace")
                break
            except (ConnectionError, urllib.error.URLError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.5)
        # Voilà ran the notebook: the dashboard widget's view is in the page
        assert "application/vnd.jupyter.widget-view+json" in page
    finally:
        stop_app(proc, timeout_s=30)
