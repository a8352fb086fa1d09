"""The dashboard in a real browser: ``divaecon app`` (Voilà) driven by Debian's headless Chromium.

Starts ``divaecon app`` on a free 127.0.0.1 port with a random token, opens the printed URL in
``/usr/bin/chromium`` through Playwright (never a downloaded browser), moves the collateral
slider with the keyboard and checks that the operator APR shown becomes the value
:func:`divaecon.quote.quote` gives for the new collateral. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from waiting import wait_until  # tests/waiting.py

from divaecon import formatting as fmt
from divaecon.app import _stop as stop_app
from divaecon.params import Scenario
from divaecon.quote import quote

CHROMIUM = Path(os.environ.get("DIVAECON_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COLLATERAL_HANDLE = ".divaecon-slider-collateral_per_key_share_eth .noUi-handle"
COLLATERAL_READOUT = ".divaecon-slider-collateral_per_key_share_eth .widget-readout"
OPERATOR_APR = "[data-key=operator_apr_assigned]"
OPERATOR_APR_NET = "[data-key=operator_apr_net]"
SHORTFALL_APR = "[data-key=shortfall_apr]"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.kernel,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """``divaecon app`` on a free port; yields the URL it prints; always stopped afterwards."""
    port, token = _free_port(), secrets.token_urlsafe(16)
    proc = subprocess.Popen(
        [sys.executable, "-m", "divaecon.cli", "app", "--port", str(port), "--token", token],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "http://127.0.0.1:" in line:
                found.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not found.wait(timeout=300):  # an event; 300 s only for a broken app
            pytest.fail("divaecon app printed no URL within 300 s:\n" + "".join(lines))
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", "".join(lines))
        assert url is not None, "".join(lines)
        assert url.group(0) == f"http://127.0.0.1:{port}/?token={token}"
        yield url.group(0)
    finally:
        stop_app(proc, timeout_s=30)  # serve_app stops Voilà and its kernels
    # Nothing left listening on the port.
    wait_until(lambda: not _port_open(port), f"port {port} to be free after divaecon app stopped", timeout_s=60)


def _readout_value(page: object) -> float:
    text = page.inner_text(COLLATERAL_READOUT).strip()  # type: ignore[attr-defined]
    return float(text.replace(",", ""))


@contextlib.contextmanager
def _chromium_page(width: int, height: int) -> Iterator[Any]:
    """A page in Debian's headless Chromium (never a downloaded browser); closed afterwards."""
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, chromium_sandbox=False, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(120_000)
            yield page
        finally:
            browser.close()


def _wait_until_apr_differs(page: Any, old: str) -> None:
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.textContent.trim() !== old; }",
        arg=[OPERATOR_APR, old],
        timeout=60_000,
    )


def test_collateral_slider_moves_operator_apr(app_url: str) -> None:
    with _chromium_page(1440, 1420) as page:
        page.goto(app_url, wait_until="domcontentloaded", timeout=120_000)
        apr = page.locator(OPERATOR_APR)
        apr.wait_for(state="visible", timeout=120_000)
        page.locator(".divaecon-figure-collateral").wait_for(state="visible")

        base = Scenario()
        start = _readout_value(page)
        assert start == pytest.approx(base.diva.collateral_per_key_share_eth)
        before = apr.inner_text().strip()
        assert before == fmt.pct(quote(base).operator_apr_assigned)

        def shown_matches_package(expected_collateral: float) -> str:
            value = _readout_value(page)
            assert value == pytest.approx(expected_collateral)
            shown = apr.inner_text().strip()
            assert shown == fmt.pct(quote(base.override(collateral_per_key_share_eth=value)).operator_apr_assigned)
            return str(shown)

        # One step right with the keyboard: 1.00 → 1.05 divETH per key share.
        handle = page.locator(COLLATERAL_HANDLE)
        handle.focus()
        t0 = time.perf_counter()
        handle.press("ArrowRight")
        _wait_until_apr_differs(page, before)
        latency_ms = 1e3 * (time.perf_counter() - t0)  # keypress → new APR in the page
        expected = shown_matches_package(start + 0.05)
        assert expected != before

        # Home: the smallest collateral, where the operator APR is highest; End: the largest.
        handle.press("Home")
        _wait_until_apr_differs(page, expected)
        low = shown_matches_package(0.05)
        handle.press("End")
        _wait_until_apr_differs(page, low)
        shown_matches_package(2.0)
        for _ in range(19):  # 2.00 → 1.05, the value checked first
            handle.press("ArrowLeft")
        page.wait_for_function(
            "([sel, want]) => document.querySelector(sel).textContent.trim() === want",
            arg=[OPERATOR_APR, expected],
            timeout=60_000,
        )
        assert _readout_value(page) == pytest.approx(1.05)

        # Every figure is an image that has loaded, each in its tab.
        for tab, name in (
            ("Peers", "peers"),
            ("Collateral risk", "risk"),
            ("Network", "network"),
            ("Overview", "collateral"),
        ):
            page.get_by_role("tab", name=tab).click()
            figure = page.locator(f".divaecon-figure-{name}")
            figure.wait_for(state="visible")
            assert figure.evaluate("e => e.naturalWidth") > 300, name
        _painted(page)
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        (ARTIFACTS / "browser-latency.json").write_text(
            json.dumps({"keypress_to_operator_apr_ms": round(latency_ms, 1)}) + "\n", encoding="utf-8"
        )


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _painted(page: Any) -> None:
    """Wait for the browser to paint what is on the page now (two animation frames: the next
    frame is rendered after the current one is painted), before a screenshot."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_risk_tab_shows_both_sides_of_the_collateral_slider(app_url: str) -> None:
    """In the collateral-risk tab, one step left on the collateral slider raises both the
    operators' net APR and the stakers' expected shortfall, to the package's values."""
    from divaecon import figures
    from divaecon.risk import risk_adjusted_yields, risk_model

    def expected(collateral: float) -> tuple[str, str]:
        scenario = Scenario().override(collateral_per_key_share_eth=collateral)
        y = risk_adjusted_yields(scenario, risk_model(scenario), collateral)
        return (
            figures.text("operator_apr_net", y["operator_apr_net"]),
            figures.text("shortfall_apr", y["shortfall_apr"]),
        )

    with _chromium_page(1440, 1100) as page:
        page.goto(app_url, wait_until="domcontentloaded", timeout=120_000)
        page.locator(OPERATOR_APR).wait_for(state="visible", timeout=120_000)
        page.get_by_role("tab", name="Collateral risk").click()
        net, short = page.locator(OPERATOR_APR_NET), page.locator(SHORTFALL_APR)
        net.wait_for(state="visible")
        page.locator(".divaecon-figure-risk").wait_for(state="visible")
        start = _readout_value(page)
        assert (net.inner_text().strip(), short.inner_text().strip()) == expected(start)
        # the slider is beside the tab: both are in view at once, no scrolling
        handle = page.locator(COLLATERAL_HANDLE)
        assert handle.is_visible() and page.locator(".divaecon-figure-risk").is_visible()
        box_slider, box_figure = handle.bounding_box(), page.locator(".divaecon-figure-risk").bounding_box()
        assert box_slider is not None and box_figure is not None
        assert box_figure["x"] > box_slider["x"] and box_figure["y"] < 1100  # beside it, on the screen
        before = net.inner_text().strip()
        handle.focus()
        handle.press("ArrowLeft")  # 1.00 → 0.95 divETH per key share
        page.wait_for_function(
            "([sel, old]) => document.querySelector(sel).textContent.trim() !== old",
            arg=[OPERATOR_APR_NET, before],
            timeout=60_000,
        )
        value = _readout_value(page)
        assert value == pytest.approx(start - 0.05)
        shown = (net.inner_text().strip(), short.inner_text().strip())
        assert shown == expected(value)
        assert float(shown[0].rstrip(" %")) > float(before.rstrip(" %"))  # yield up ...
        assert float(shown[1].rstrip(" %")) > float(expected(start)[1].rstrip(" %"))  # ... and risk up
        _painted(page)
        page.screenshot(path=str(ARTIFACTS / "dashboard-risk.png"), full_page=True)


RULES_SELECT = ".divaecon-rules select"
RULES_NOTE = ".divaecon-rules-note"


def test_rules_selector_moves_the_figures_in_place(app_url: str) -> None:
    """Ethereum's rules, picked beside the sliders: the key figures become the package's under
    that rule set, the overview's figure is the same image element redrawn, the note says what
    the rule is; and the sliders still move the model under the new rules."""
    from divaecon.tables.rules import label_of

    both = {"issuance_curve": "eip8363", "execution_burn": "eip8375"}
    label = label_of(both)
    with _chromium_page(1440, 1420) as page:
        page.goto(app_url, wait_until="domcontentloaded", timeout=120_000)
        apr = page.locator(OPERATOR_APR)
        apr.wait_for(state="visible", timeout=120_000)
        select = page.locator(RULES_SELECT)
        select.wait_for(state="visible")
        base = Scenario()
        before = apr.inner_text().strip()
        assert before == fmt.pct(quote(base).operator_apr_assigned)
        # the selector sits in the controls' column, above the collateral slider and beside the tabs
        box_select, box_slider = select.bounding_box(), page.locator(COLLATERAL_HANDLE).bounding_box()
        box_figure = page.locator(".divaecon-figure-collateral").bounding_box()
        assert box_select is not None and box_slider is not None and box_figure is not None
        assert box_select["y"] < box_slider["y"] and box_figure["x"] > box_select["x"]
        figure = page.locator(".divaecon-figure-collateral")
        src_before = figure.get_attribute("src")
        figure.evaluate("e => { e.dataset.divaeconMark = 'before'; }")  # to find the same element again

        select.select_option(label=label)
        _wait_until_apr_differs(page, before)
        under = base.override(**both)
        assert apr.inner_text().strip() == fmt.pct(quote(under).operator_apr_assigned)
        assert page.locator("[data-key=staker_apr]").inner_text().strip() == fmt.pct(quote(under).staker_apr)
        assert "eMBER" in page.locator(RULES_NOTE).inner_text()
        # the same image element, redrawn (no new output piled up)
        page.wait_for_function(
            "([sel, old]) => document.querySelector(sel).getAttribute('src') !== old",
            arg=[".divaecon-figure-collateral", src_before],
            timeout=60_000,
        )
        assert page.locator(".divaecon-figure-collateral").count() == 1
        assert figure.evaluate("e => e.dataset.divaeconMark") == "before"
        # a slider under the new rules
        shown = apr.inner_text().strip()
        handle = page.locator(COLLATERAL_HANDLE)
        handle.focus()
        handle.press("ArrowLeft")  # 1.00 → 0.95 divETH per key share
        _wait_until_apr_differs(page, shown)
        value = _readout_value(page)
        assert apr.inner_text().strip() == fmt.pct(
            quote(under.override(collateral_per_key_share_eth=value)).operator_apr_assigned
        )
        _painted(page)
        page.screenshot(path=str(ARTIFACTS / "dashboard-rules.png"), full_page=True)


@pytest.fixture
def lab_url(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """JupyterLab on a free port, serving a copy of ``notebooks/00_explore.ipynb`` (or of the
    notebook named by indirect parametrisation)."""
    import shutil

    root = Path(__file__).resolve().parent.parent
    name = getattr(request, "param", "00_explore.ipynb")
    shutil.copy(root / "notebooks" / name, tmp_path / name)
    # every cell rendered, not only those in view (JupyterLab 4 windows long notebooks), so the
    # page shows each cell's prompt; a settings folder of this test's own
    settings = tmp_path / ".lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / ".lab-settings")}
    port, token = _free_port(), secrets.token_urlsafe(16)
    jupyter = Path(sys.executable).parent / "jupyter"
    proc = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={tmp_path}",
            "--ServerApp.port_retries=0",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    try:
        wait_until(
            lambda: _port_open(port),
            lambda: f"JupyterLab to listen on port {port} (status {proc.poll()})",
            give_up=lambda: proc.poll() is not None,
        )
        yield f"http://127.0.0.1:{port}/lab/tree/{name}?token={token}"
    finally:
        proc.terminate()  # the server shuts its kernels down
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_notebook_in_jupyterlab(lab_url: str) -> None:
    """``notebooks/00_explore.ipynb`` runs in JupyterLab and its dashboard reacts to the keyboard."""
    with _chromium_page(1500, 1300) as page:
        page.goto(lab_url, wait_until="domcontentloaded")
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()  # else Run All does nothing
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        apr = page.locator(OPERATOR_APR)
        apr.wait_for(state="visible")
        base = Scenario()
        before = apr.inner_text().strip()
        assert before == fmt.pct(quote(base).operator_apr_assigned)
        handle = page.locator(COLLATERAL_HANDLE)
        handle.focus()
        handle.press("ArrowLeft")
        _wait_until_apr_differs(page, before)
        value = _readout_value(page)
        assert value == pytest.approx(0.95)
        assert apr.inner_text().strip() == fmt.pct(
            quote(base.override(collateral_per_key_share_eth=value)).operator_apr_assigned
        )
        # One output in the dashboard cell: updates replace, they do not pile up.
        assert page.locator(".jp-OutputArea-child").count() == 1
        page.screenshot(path=str(ARTIFACTS / "dashboard-jupyterlab.png"))


@pytest.mark.parametrize("lab_url", ["90_comparison.ipynb"], indirect=True)
def test_comparison_notebook_runs_in_jupyterlab(lab_url: str) -> None:
    """The batch's comparison notebook, opened as it is (empty parameters: the shipped scenario
    files), runs in JupyterLab to its last cell without an error and shows its figures."""
    import nbformat

    root = Path(__file__).resolve().parent.parent
    nb = nbformat.read(str(root / "notebooks" / "90_comparison.ipynb"), as_version=4)
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    with _chromium_page(1500, 1300) as page:
        page.goto(lab_url, wait_until="domcontentloaded")
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        # every code cell numbered: each has run (a failing cell would stop the rest at "[ ]")
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt")

        def prompts_numbered() -> bool:
            texts = [t.strip() for t in prompts.all_inner_texts()]
            return len(texts) == code_cells and all(re.fullmatch(r"\[\d+\]:", t) for t in texts)

        wait_until(
            prompts_numbered,
            lambda: f"every code cell to have run: {[t.strip() for t in prompts.all_inner_texts()]}",
            interval_s=0.5,
        )
        assert page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']").count() == 0
        assert page.locator(".jp-RenderedSVG, .jp-RenderedImage").count() >= 5
        assert page.locator("h1", has_text="Summary").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "comparison-jupyterlab.png"))
