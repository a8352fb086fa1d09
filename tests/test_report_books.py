"""`divaecon report` end to end: books a reader accepts, faults, interrupts and hostile text.

Real kernels (papermill), a real Chromium (Playwright with the system's browser) and real PDFs,
read back with poppler (pdftotext, pdftoppm, pdffonts, pdfimages) and pypdf. Without Chromium
or poppler the tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import http.server
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import nbformat
import pdfcheck  # tests/pdfcheck.py
import pytest
from waiting import wait_until  # tests/waiting.py

from divaecon import reports
from divaecon.cli import main
from divaecon.params import Scenario, scenario_to_yaml

pytestmark = [pytest.mark.batch, pytest.mark.kernel, pytest.mark.browser, pytest.mark.xdist_group("reports")]

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "scenarios"

FILL_MIN = 0.5
"""A page must be inked at least this far down its text block, unless a section ends on it."""


def _need_tools() -> None:
    missing = [t for t in ("pdftotext", "pdftoppm", "pdffonts", "pdfimages", "pdfinfo") if shutil.which(t) is None]
    if reports.find_chromium() is None:
        missing.append("chromium")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {', '.join(missing)} (make system-deps)")
        pytest.skip(f"needs {', '.join(missing)}")


def ideal_cl_apr_text(total_staked_eth: float) -> str:
    """Computed here, independently of the package, as the report prints it: the spec's floored
    base reward per increment, 64e9 // isqrt(gwei staked) (consensus-specs altair,
    get_base_reward_per_increment), times 82,181.25 epochs a year / 1e9."""
    base_reward = 64 * 10**9 // math.isqrt(int(total_staked_eth) * 10**9)
    return f"{100 * base_reward * 82_181.25 / 1e9:.2f} %"


def reports_history_mae(scenario: Scenario) -> str:
    """The out-of-sample mean absolute error of the scenario's backtest, computed here from its
    points (out-of-sample only), as the books print it."""
    from divaecon import backtest

    points = backtest.backtest(scenario=scenario).points
    errors = [abs(e) for e, s in zip(points["error"], points["sample"], strict=True) if s == "out_of_sample"]
    return f"{100 * sum(errors) / len(errors):.2f} pp"


def shipped(name: str) -> Scenario:
    return reports.load_scenarios([SHIPPED / f"{name}.yaml"])[0]


def write_scenario(path: Path, scenario: Scenario) -> Path:
    path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    return path


def topic_notebook(path: Path, title: str, code: str, parameters: str = 'scenario_yaml: str = ""') -> Path:
    """A topic notebook of a heading, a ``parameters`` cell and one code cell."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# 09 · {title}"), params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def failing_notebook(path: Path) -> Path:
    """A topic notebook that fails for the scenario named 'broken' only."""
    return topic_notebook(
        path,
        "Fragile report",
        "from divaecon import reports\n"
        "scenario = reports.scenario_for_notebook(scenario_yaml)\n"
        "if scenario.name == 'broken':\n"
        "    raise RuntimeError('boom: this scenario breaks the fragile report')\n"
        "print('fine for', scenario.name)",
    )


def squash(text: str) -> str:
    """Text without any white space: pdftotext may break a long string anywhere."""
    return "".join(text.split())


def no_temporaries(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if ".tmp" in p.name]


# --- books a reader accepts ------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, reports.BatchResult]]:
    """Two shipped scenarios' books (every chapter, --quick) and their comparison."""
    _need_tools()
    out = tmp_path_factory.mktemp("books")
    inputs = reports.load_scenario_inputs([SHIPPED / "base.yaml", SHIPPED / "low-collateral.yaml"])
    result = reports.run_batch(inputs, reports.resolve_notebooks([]), out, jobs=2, quick=True, progress=False)
    assert result.ok, [(b.slug, b.error) for b in [*result.books, result.comparison]]
    yield out, result


def _pdfs(out: Path) -> list[Path]:
    return [out / "base.pdf", out / "low-collateral.pdf", out / "comparison.pdf"]


def test_one_book_per_scenario_and_no_per_notebook_pdfs(batch: tuple[Path, reports.BatchResult]) -> None:
    out, result = batch
    assert sorted(p.name for p in out.glob("*.pdf")) == ["base.pdf", "comparison.pdf", "low-collateral.pdf"]
    assert not list(out.glob("*/*.pdf")), "per-notebook PDFs only with --split"
    assert result.blocked_requests == [], "a printed page asked for something beyond itself and MathJax"
    assert not no_temporaries(out)


def test_cover_summary_contents_and_chapters(batch: tuple[Path, reports.BatchResult]) -> None:
    out, _ = batch
    pdf = out / "base.pdf"
    cover = pdfcheck.flat(pdfcheck.page_text(pdf, 1))
    base = shipped("base")
    for text in (
        "Diva Staking — scenario report",
        "base",
        base.description[:40],
        "divaecon",
        "data/scenarios/base.yaml",
    ):
        assert text in cover, text
    import hashlib

    assert hashlib.sha256((SHIPPED / "base.yaml").read_bytes()).hexdigest() in cover
    assert "page 1 of" not in cover, "the cover has no running header or page number"
    summary = pdfcheck.flat(pdfcheck.page_text(pdf, 2))
    assert summary.startswith("Diva Staking — scenario report scenario: base Executive summary")
    for label in (
        "divETH staker APR",
        "Operator APR on collateral, queued",
        "Operator APR on collateral, assigned",
        "Operator reward per key share",
        "Collateral locked",
        "Validator availability",
        "Model against history (out-of-sample MAE)",
    ):
        assert label in summary, label
    mae = reports_history_mae(base)
    assert f"mean absolute error {mae} over" in summary, "the executive summary gives the backtest's error"
    d = base.diva  # collateral locked = validators × key shares × collateral per key share
    assert (
        f"{d.network_validators * d.key_shares_per_validator * d.collateral_per_key_share_eth:,.0f} divETH" in summary
    )
    text = pdfcheck.flat(pdfcheck.page_text(pdf))
    for heading in (
        "Contents",
        "01 · Staking APR",
        "02 · Collateral and operator yield",
        "03 · DVT fault tolerance",
        "04 · Protocol comparison",
        "05 · Network growth",
        "06 · Collateral risk",
        "07 · How well the model tracks history",
        "08 · What Ethereum's next rules would do",
        "The way through EIP-8363's transition",
        "Predicted against published over time",
        "What the errors contain",
        "Where the APR comes from",
    ):
        assert heading in text, heading
    assert ideal_cl_apr_text(base.ethereum.total_staked_eth) in text


def test_page_numbers_and_contents_read_back(batch: tuple[Path, reports.BatchResult]) -> None:
    """Every page after the cover says "page i of n"; every contents entry names the page its
    heading is on (checked in the page's own text and in the PDF outline)."""
    out, _ = batch
    for pdf in _pdfs(out):
        n = pdfcheck.page_count(pdf)
        for i in range(2, n + 1):
            assert f"page {i} of {n}" in pdfcheck.page_text(pdf, i), f"{pdf.name} page {i}"
        outline = pdfcheck.outline(pdf)
        contents_page = next(p for _d, t, p in outline if t == "Contents")
        entries = re.findall(
            r"^\s*(\S.*?\S)\s*\.*\s+(\d+)\s*$", pdfcheck.page_text(pdf, contents_page, layout=True), re.M
        )
        entries = [
            (title.rstrip(" ."), int(page)) for title, page in entries if not title.startswith(("page ", "divaecon "))
        ]
        assert len(entries) >= 5, entries
        # white space aside: Chromium's outline joins a wrapped heading's lines without a space
        headings = [("".join(t.split()), p) for _d, t, p in outline]
        for title, page in entries:
            assert ("".join(title.split()), page) in headings, f"{pdf.name}: contents say {title!r} is on page {page}"
            assert title in pdfcheck.flat(pdfcheck.page_text(pdf, page)), f"{pdf.name}: {title!r} not on {page}"


def test_no_page_under_half_full_unless_a_section_ends(batch: tuple[Path, reports.BatchResult], tmp_path: Path) -> None:
    out, _ = batch
    for pdf in _pdfs(out):
        n = pdfcheck.page_count(pdf)
        starts = {p for depth, _t, p in pdfcheck.outline(pdf) if depth == 0}  # summary, contents, chapters
        section_ends = {1, n} | {p - 1 for p in starts}
        for ink in pdfcheck.page_fill(pdf, tmp_path):
            if ink.page not in section_ends:
                assert ink.fill >= FILL_MIN, f"{pdf.name} page {ink.page} is {ink.fill:.0%} full"


def test_headings_are_never_last_on_a_page(batch: tuple[Path, reports.BatchResult]) -> None:
    """A section heading keeps its text and figure or table: at least 15 mm of content follow
    it on its page (read back from the text's positions)."""
    out, _ = batch
    footer_top = 297 / 25.4 * 72 - 15 / 25.4 * 72  # the bottom margin holds the page number only
    for pdf in _pdfs(out):
        for depth, title, page in pdfcheck.outline(pdf):
            if depth == 0:
                continue
            lines = pdfcheck.text_lines(pdf, page)
            heading = [bottom for text, _top, bottom in lines if text == title]
            assert heading, f"{pdf.name}: {title!r} not found on page {page}"
            below = [bottom for _text, top, bottom in lines if top > heading[0] and bottom < footer_top]
            follows_mm = (max(below) - heading[0]) / 72 * 25.4 if below else 0.0
            assert follows_mm >= 15, f"{pdf.name}: {title!r} is alone at the bottom of page {page}"


def test_fonts_embedded_text_selectable_figures_vector(batch: tuple[Path, reports.BatchResult]) -> None:
    out, _ = batch
    for pdf in _pdfs(out):
        fonts = pdfcheck.fonts(pdf)
        assert fonts and all(f["emb"] == "yes" for f in fonts), [f["line"] for f in fonts if f["emb"] != "yes"]
        for img in pdfcheck.images(pdf):  # the heatmap's cells are the only raster parts
            assert min(img["x_ppi"], img["y_ppi"]) >= 150, img
    text = pdfcheck.flat(pdfcheck.page_text(out / "base.pdf"))
    # figure titles are text in the PDF (SVG with text kept as text): selectable, and vector
    assert "Staking APR against total ETH staked — scenario: base" in text
    assert "uptime of each node [%]" in text


def test_comparison_book(batch: tuple[Path, reports.BatchResult]) -> None:
    out, result = batch
    text = pdfcheck.flat(pdfcheck.page_text(out / "comparison.pdf"))
    for heading in (
        "Diva Staking — scenario comparison",
        "Summary",
        "Key figures and inputs",
        "Where the scenarios differ",
        "Operator yield and fault tolerance",
        "Diva and its peers",
        "Simulated network",
        "Model against history",
        "diva.collateral_per_key_share_eth",
        "Ethereum's next rules: the futures",
        "eip7716",  # a future's column (names with a hyphen may break across lines)
    ):
        assert heading in text, heading
    assert "base" in text and "low-collateral" in text
    # collateral locked = validators × 16 key shares × collateral per key share, from the files
    for name in ("base", "low-collateral"):
        d = shipped(name).diva
        assert (
            f"{d.network_validators * d.key_shares_per_validator * d.collateral_per_key_share_eth:,.0f} divETH" in text
        )
    index = (out / "index.html").read_text()
    assert index.count('class="ok"') == 3 and 'href="comparison.pdf"' in index and 'href="base.pdf"' in index
    assert result.comparison is not None and result.comparison.status == "ok"


def test_letter_paper(tmp_path: Path) -> None:
    _need_tools()
    pdf = reports.html_to_pdf(
        "<html><body><h1>Letter</h1><p>text</p></body></html>", tmp_path / "l.pdf", paper="letter"
    )
    w, h = pdfcheck.page_size_pt(pdf)
    assert abs(w - 612) < 1 and abs(h - 792) < 1  # 8.5 × 11 in
    pdf = reports.html_to_pdf("<html><body><h1>A4</h1></body></html>", tmp_path / "a.pdf")
    w, h = pdfcheck.page_size_pt(pdf)
    assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1  # 210 × 297 mm


# --- faults ----------------------------------------------------------------------------------


def test_a_failing_book_fails_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The broken scenario's book fails with its log; the others and the comparison of the
    scenarios that succeeded are delivered; an older PDF of the broken book is removed; exit 1."""
    _need_tools()
    stake = 20_000_000.0
    good = write_scenario(
        tmp_path / "stake20m.yaml",
        Scenario().override(name="stake20m", description="20M ETH staked", total_staked_eth=stake),
    )
    bad = write_scenario(tmp_path / "broken.yaml", Scenario().override(name="broken"))
    fragile = failing_notebook(tmp_path / "09_fragile.ipynb")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "broken.pdf").write_bytes(b"%PDF- from an older run")

    monkeypatch.chdir(tmp_path)  # a relative --out, as `make report` gives
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "report",
                "--scenario",
                str(good),
                "--scenario",
                str(bad),
                "--notebook",
                "01",
                "--notebook",
                str(fragile),
                "--out",
                "reports",
                "--quick",
                "--jobs",
                "2",
                "--split",
            ]
        )
    captured = capsys.readouterr()
    assert exited.value.code == 1, captured.err
    assert Path.cwd() == tmp_path  # parallel kernels never move the process's directory
    assert "1 of 2 book(s) failed" in captured.err
    assert "boom" in captured.out  # the summary names the error

    assert (out / "stake20m.pdf").is_file() and not (out / "broken.pdf").exists()
    assert "boom" in (out / "broken" / "book.log").read_text()
    assert (out / "broken" / "book.failed.ipynb").is_file()
    assert sorted(p.name for p in (out / "stake20m").glob("*.pdf")) == ["01_staking_apr.pdf", "09_fragile.pdf"]
    assert not list((out / "broken").glob("*.pdf"))
    assert not no_temporaries(out)

    text = pdfcheck.flat(pdfcheck.page_text(out / "stake20m.pdf"))
    for heading in (
        "01 · Staking APR",
        "09 · Fragile report",
        "Key figures",
        "APR against total ETH staked",
        "20M ETH staked",
    ):
        assert heading in text, heading
    chapter = text.split("What an Ethereum validator earns")[1]  # after the contents
    key_figures = chapter.split("Key figures")[1].split("APR against total ETH staked")[0]
    assert ideal_cl_apr_text(stake) in key_figures
    assert ideal_cl_apr_text(Scenario().ethereum.total_staked_eth) not in key_figures
    split = pdfcheck.flat(pdfcheck.page_text(out / "stake20m" / "01_staking_apr.pdf"))
    assert "APR against total ETH staked" in split and "Executive summary" not in split

    comparison = pdfcheck.flat(pdfcheck.page_text(out / "comparison.pdf"))
    assert "stake20m" in comparison and ideal_cl_apr_text(stake) in comparison
    assert "Left out, because their reports failed: broken" in comparison
    index = (out / "index.html").read_text()
    assert index.count('class="ok"') == 2 and index.count('class="failed"') == 1
    assert "boom" in index and 'href="broken/book.log"' in index and 'href="stake20m.pdf"' in index


def test_uptime_zero_runs_every_chapter(tmp_path: Path) -> None:
    """operator_uptime: 0 is allowed; every chapter of its book runs, without warnings."""
    _need_tools()
    path = write_scenario(tmp_path / "zero.yaml", Scenario().override(name="zero-uptime", operator_uptime=0.0))
    result = reports.run_batch(
        reports.load_scenario_inputs([path]),
        reports.resolve_notebooks([]),
        tmp_path / "out",
        quick=True,
        progress=False,
        comparison=False,
        formats=("html",),
    )
    assert result.ok, result.books[0].error
    nb = nbformat.read(tmp_path / "out" / "zero-uptime" / "book.ipynb", as_version=4)
    stderr = [
        o.text
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "stream" and o.name == "stderr"
    ]
    assert not stderr


def held_notebook(path: Path, gate: Path) -> Path:
    """A topic notebook that, for the scenario named 'held' only, says it is running (a file in
    ``gate``) and then holds its kernel until ``gate/release`` exists: a book that is certainly
    running in a kernel when a test acts, whatever the machine's speed."""
    return topic_notebook(
        path,
        "Held report",
        "import pathlib, time\n"
        "from divaecon import reports\n"
        "scenario = reports.scenario_for_notebook(scenario_yaml)\n"
        "gate = pathlib.Path(gate_dir)\n"
        "if scenario.name == 'held':\n"
        "    (gate / 'held-is-running').write_text('')\n"
        "    deadline = time.monotonic() + 600\n"
        "    while not (gate / 'release').exists() and time.monotonic() < deadline:\n"
        "        time.sleep(0.05)\n"
        "print('done for', scenario.name)",
        parameters=f'scenario_yaml: str = ""\ngate_dir: str = {str(gate)!r}',
    )


def test_sigterm_leaves_complete_files_only(tmp_path: Path) -> None:
    """A batch stopped by SIGTERM mid-run: exit 130, kernels gone, no temporaries, no PDF but
    complete ones, an index saying what was made.

    The stop comes on events, not after a guess at the time: one book's PDF is written and the
    other book is running in its kernel (it holds the kernel until told, which it never is).
    """
    _need_tools()
    gate = tmp_path / "gate"
    gate.mkdir()
    held = held_notebook(tmp_path / "09_held.ipynb", gate)
    first = write_scenario(tmp_path / "first.yaml", Scenario().override(name="first"))
    second = write_scenario(tmp_path / "held.yaml", Scenario().override(name="held"))
    out = tmp_path / "reports"
    env = {**os.environ, "DIVAECON_PROGRESS": ""}
    args = ["--scenario", str(first), "--scenario", str(second), "--notebook", str(held)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "divaecon.cli", "report", *args, "--out", str(out), "--quick", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        exited = lambda: proc.poll() is not None  # noqa: E731
        wait_until(lambda: (out / "first.pdf").exists(), "the first book's PDF", give_up=exited)
        wait_until(lambda: (gate / "held-is-running").exists(), "the held book to run in its kernel", give_up=exited)
        kernels_before = wait_until(
            lambda: _kernels_of(proc.pid), lambda: f"a kernel process below the batch:\n{_process_tree()}"
        )
        proc.send_signal(signal.SIGTERM)
        _stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, stderr.decode()
    assert "interrupted" in stderr.decode()
    for pid in kernels_before:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    assert not no_temporaries(out)
    made = sorted(p.name for p in out.glob("*.pdf"))
    assert "first.pdf" in made and "held.pdf" not in made, made
    for pdf in made:
        assert pdfcheck.page_count(out / pdf) > 1
    index = (out / "index.html").read_text()
    assert "interrupted" in index
    assert index.count('class="ok"') == len(made)


def _process_tree() -> str:
    return subprocess.run(["ps", "-ww", "-eo", "pid,ppid,args"], capture_output=True, text=True, check=True).stdout


def _kernels_of(pid: int) -> list[int]:
    """Process ids of the ipykernel processes below ``pid``."""
    out = _process_tree()
    children: dict[int, list[tuple[int, str]]] = {}
    for line in out.splitlines()[1:]:
        parts = line.split(None, 2)
        if len(parts) == 3:
            children.setdefault(int(parts[1]), []).append((int(parts[0]), parts[2]))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for child, args in children.get(p, []):
            todo.append(child)
            if "ipykernel" in args:
                found.append(child)
    return found


# --- hostile text ----------------------------------------------------------------------------


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"LOADED-FROM-LOCAL-SERVER")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[int]:
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_hostile_strings_are_shown_as_text_and_nothing_runs_or_loads(tmp_path: Path, local_server: int) -> None:
    """Script, iframe of a local file, images from a local server, Markdown and $math$ in the
    scenario's name, description and file name: the PDFs and the index show them as typed, no
    script runs, no file is read, no request leaves the printer."""
    _need_tools()
    port = local_server
    name = f"<script>document.write('XSS'+'RAN')</script> $x^2$ **bold** <img src=http://127.0.0.1:{port}/name.png>"
    description = (
        f'<iframe src="file:///etc/passwd"></iframe> [link](http://127.0.0.1:{port}/md) '
        f"![pic](http://127.0.0.1:{port}/md.png) \\(a+b\\) $$c$$ "
        f"<img src=x onerror=\"fetch('http://127.0.0.1:{port}/onerror')\"> # not a heading"
    )
    folder = tmp_path / "in"
    folder.mkdir()
    path = write_scenario(folder / "cost $5 <i>x &amp; y.yaml", Scenario().override(name=name, description=description))
    out = tmp_path / "out"
    inputs = reports.load_scenario_inputs([path])
    result = reports.run_batch(inputs, reports.resolve_notebooks(["02"]), out, quick=True, progress=False)
    assert result.ok, [(b.slug, b.error) for b in [*result.books, result.comparison]]
    assert _Counter.hits == [], f"the local server was called: {_Counter.hits}"
    assert result.blocked_requests == [], f"a page tried to load: {result.blocked_requests}"
    passwd_line = Path("/etc/passwd").read_text().splitlines()[0]
    book = out / f"{inputs[0].slug}.pdf"
    for pdf in (book, out / "comparison.pdf"):
        text = squash(pdfcheck.page_text(pdf))
        assert "XSSRAN" not in text.replace("'XSS'+'RAN'", ""), "a script ran"
        assert squash(passwd_line) not in text and "LOADED-FROM-LOCAL-SERVER" not in text
        for shown in (
            "<script>document.write('XSS'+'RAN')</script>",
            "$x^2$",
            "**bold**",
            f"<img src=http://127.0.0.1:{port}/name.png>",
        ):
            assert squash(shown) in text, (pdf.name, shown)
    cover = squash(pdfcheck.page_text(book, 1))
    for shown in (
        '<iframe src="file:///etc/passwd"></iframe>',
        f"[link](http://127.0.0.1:{port}/md)",
        f"![pic](http://127.0.0.1:{port}/md.png)",
        "\\(a+b\\) $$c$$",
        "fetch('http://127.0.0.1",
        "# not a heading",
        "cost $5 <i>x &amp; y.yaml",
    ):
        assert squash(shown) in cover, shown
    # a figure title with the name: matplotlib drew the $…$ as typed (SVG text, read back)
    assert squash("scenario: <script>document.write('XSS'+'RAN')</script> $x^2$") in squash(pdfcheck.page_text(book))
    index = (out / "index.html").read_text()
    assert "<script>document" not in index and "&lt;script&gt;document.write" in index


@pytest.mark.slow
def test_default_batch_makes_every_book(tmp_path: Path) -> None:
    """What `make report` runs: a book per shipped scenario and the comparison, full size."""
    _need_tools()
    out = tmp_path / "reports"
    assert main(["report", "--out", str(out)]) == 0
    names = [p.stem for p in sorted(SHIPPED.glob("*.yaml"))]
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted([*names, "comparison"])
    comparison = pdfcheck.flat(pdfcheck.page_text(out / "comparison.pdf"))
    for name in names:
        assert name in comparison
        assert pdfcheck.page_count(out / f"{name}.pdf") >= 10
    assert ideal_cl_apr_text(shipped("base").ethereum.total_staked_eth) in comparison
    assert (out / "index.html").read_text().count('class="ok"') == len(names) + 1
