"""`divaecon report` without a kernel: inputs and refusals, escaping, sanitising, atomic and
stale outputs. The batch itself (real kernels, a real Chromium, PDFs read back) is tested in
``tests/test_report_books.py``.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

import pytest
from waiting import wait_until  # tests/waiting.py

from divaecon import reports, tables
from divaecon._io import write_atomic
from divaecon.cli import main
from divaecon.errors import DivaeconError
from divaecon.params import Scenario, scenario_to_yaml
from divaecon.reports import batch, export

ROOT = Path(__file__).resolve().parent.parent
NB01 = ROOT / "notebooks" / "01_staking_apr.ipynb"


def ideal_cl_apr_text(total_staked_eth: float) -> str:
    """Computed here, independently of the package, as the report prints it: the spec's floored base
    reward per increment, 64e9 // isqrt(gwei staked) (consensus-specs altair,
    get_base_reward_per_increment), times 82,181.25 epochs a year / 1e9."""
    base_reward = 64 * 10**9 // math.isqrt(int(total_staked_eth) * 10**9)
    return f"{100 * base_reward * 82_181.25 / 1e9:.2f} %"


DEFAULT_STAKE = 39_200_000  # the embedded default (ValidatorQueue.com via Gate news, 2026-05-27)


def write_scenario(path: Path, scenario: Scenario) -> Path:
    path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    return path


def test_parse_formats() -> None:
    assert reports.parse_formats("pdf,html") == ("pdf", "html")
    assert reports.parse_formats(" HTML ") == ("html",)
    with pytest.raises(DivaeconError, match="--format"):
        reports.parse_formats("pdf,docx")
    with pytest.raises(DivaeconError):
        reports.parse_formats(",")


def test_resolve_notebooks() -> None:
    assert [p.stem for p in reports.resolve_notebooks([])] == list(reports.REPORT_NOTEBOOKS)
    assert reports.resolve_notebooks(["01"]) == [NB01]
    assert reports.resolve_notebooks(["staking_apr"]) == [NB01]
    assert reports.resolve_notebooks(["01_staking_apr.ipynb"]) == [NB01]
    with pytest.raises(DivaeconError, match="unknown notebook"):
        reports.resolve_notebooks(["99_nope"])
    with pytest.raises(DivaeconError, match="twice"):
        reports.resolve_notebooks(["01", "staking_apr"])


@pytest.mark.parametrize(
    "name,slug",
    [
        ("base", "base"),
        ("../../etc/passwd", "etc-passwd"),
        ("a b/c", "a-b-c"),
        ("...", "scenario"),
        ("low-collateral", "low-collateral"),
    ],
)
def test_scenario_slug_stays_inside_out_dir(name: str, slug: str) -> None:
    assert reports.scenario_slug(name) == slug


@pytest.mark.parametrize(
    "bad",
    [
        "x = 1; import os",
        "__import__('os').system('touch /tmp/divaecon-pwned')",
        "class",
        "scenario_yaml\nimport os",
        "1abc",
    ],
)
def test_injected_parameter_names_are_refused(bad: str) -> None:
    with pytest.raises(DivaeconError, match=r"not a Python identifier|not declared"):
        reports.notebook_parameters(NB01, Scenario(), extra={bad: 1})


def test_undeclared_parameter_names_and_odd_values_are_refused() -> None:
    with pytest.raises(DivaeconError, match="not declared in the parameters cell of 01_staking_apr"):
        reports.notebook_parameters(NB01, Scenario(), extra={"os": 1})
    with pytest.raises(DivaeconError, match="only str, int, float or bool"):
        reports.notebook_parameters(NB01, Scenario(), extra={"grid_points": [1, 2]})
    params = reports.notebook_parameters(NB01, Scenario(), quick=True, extra={"grid_points": 7})
    assert set(params) == {"scenario_yaml", "grid_points"} and params["grid_points"] == 7


def test_scenario_file_injecting_code_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        f"name: evil\ndiva:\n  \"x = 1; __import__('pathlib').Path('{marker}').touch()\": 1\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["report", "--scenario", str(evil), "--out", str(out), "--quick"]) == 2
    err = capsys.readouterr().err
    assert "unknown parameter" in err and len(err.strip().splitlines()) == 1
    assert not marker.exists() and not out.exists()


def test_bad_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--format", "docx", "--out", str(tmp_path / "o")]) == 2
    assert main(["report", "--notebook", "nope", "--out", str(tmp_path / "o")]) == 2
    assert main(["report", "--jobs", "0", "--out", str(tmp_path / "o")]) == 2
    same = write_scenario(tmp_path / "a.yaml", Scenario().override(name="twin"))
    same2 = write_scenario(tmp_path / "b.yaml", Scenario().override(name="twin"))
    assert main(["report", "--scenario", str(same), "--scenario", str(same2), "--out", str(tmp_path / "o")]) == 2
    assert "distinct names" in capsys.readouterr().err


def test_pdf_engine_error_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    with pytest.raises(DivaeconError, match=r"apt-get install chromium.*DIVAECON_CHROMIUM.*playwright"):
        reports.pdf_engine()


def test_chromium_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(reports.CHROMIUM_ENV, str(tmp_path / "no-such-browser"))
    with pytest.raises(DivaeconError, match=reports.CHROMIUM_ENV):
        reports.find_chromium()
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv(reports.CHROMIUM_ENV, str(fake))
    assert reports.find_chromium() == str(fake)


def test_interrupted_write_leaves_no_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every output (PDFs included) goes through write_atomic: interrupted at the rename, neither
    the target nor a temporary is left."""
    import divaecon._io as io_module

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(io_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "book.pdf", b"%PDF-1.7 a whole book")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    write_atomic(target, "old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_tables_format_numbers() -> None:
    s = Scenario()
    kf = tables.key_figures_comparison([s, s.override(name="other", collateral_per_key_share_eth=0.5)])
    assert list(kf.columns) == ["base", "other"]
    assert kf.loc["Total ETH staked", "base"] == "39,200,000 ETH"
    assert kf.loc["Ideal consensus APR (spec; ≈ 166.3 / √staked)", "base"] == ideal_cl_apr_text(DEFAULT_STAKE)
    assert kf.loc["Collateral locked", "other"] == "10,752 divETH"
    diff = tables.parameter_differences([s, s.override(name="other", collateral_per_key_share_eth=0.5)])
    assert list(diff.index) == ["diva.collateral_per_key_share_eth"]
    staker, operator = tables.peer_comparison([s])
    assert operator.loc["Lido (curated)", "base"] == "–"
    assert staker.loc["Diva (11/16)", "base"].endswith(" %")


def test_previous_outputs_removed_only_if_a_batch_wrote_them(tmp_path: Path) -> None:
    """Old books never sit beside new ones; a user's own files (and anything outside --out) stay."""
    import json

    from divaecon.reports.batch import BookJob, _remove_previous_outputs
    from divaecon.reports.inputs import ScenarioInput

    out = tmp_path / "reports"
    (out / "old-scenario").mkdir(parents=True)
    for rel in ("old-scenario.pdf", "old-scenario/book.ipynb", "index.html", "notes.txt", "base/01_staking_apr.pdf"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("x")
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    (out / reports.MANIFEST).write_text(
        json.dumps(
            {
                "outputs": [
                    "old-scenario.pdf",
                    "old-scenario/book.ipynb",
                    "index.html",
                    "../precious.txt",
                    "/etc/hostname",
                ]
            }
        )
    )
    book = BookJob("base", "t", [ScenarioInput(Scenario(), "base.yaml", "0" * 64)])
    _remove_previous_outputs(out, [book])
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert left == [reports.MANIFEST, "notes.txt"]
    assert outside.read_text() == "keep"


def test_reserved_scenario_names_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A scenario named 'comparison' would overwrite the comparison's PDF: one line, exit 2."""
    path = write_scenario(tmp_path / "c.yaml", Scenario().override(name="comparison"))
    assert main(["report", "--scenario", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "comparison" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_unwritable_out_is_one_line_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["report", "--out", str(blocker / "reports"), "--quick", "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and len(err.strip().splitlines()) == 1


def test_user_text_is_literal_in_markdown_and_figures() -> None:
    """The escapes themselves: Markdown shows the characters typed; matplotlib draws `$` as `$`."""
    import html as html_module
    import re

    import matplotlib

    matplotlib.use("agg")
    from nbconvert.filters.markdown import markdown2html

    from divaecon import formatting, plotting

    typed = "<script>alert(1)</script> $x^2$ **b** # [l](http://x) \\(y\\) | ` & é"
    rendered = markdown2html("**Scenario: " + formatting.markdown_literal(typed) + "**")
    assert "<script>" not in rendered and "<strong>b</strong>" not in rendered and "<a " not in rendered
    assert html_module.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == "Scenario: " + typed
    assert 'class="tex2jax_ignore"' in rendered  # MathJax leaves $x^2$ alone
    fig, _ax = plotting.new_figure("Title", "cost $5 to $x^2$", "source")
    fig.canvas.draw()  # would raise on bad mathtext; the title is drawn as typed
    assert fig._suptitle is not None and "$x^2$" in fig._suptitle.get_text()
    assert fig._suptitle.get_parse_math() is False
    assert formatting.mathtext_literal("a $b$") == r"a \$b\$"


def test_clean_html_keeps_tables_and_drops_active_content() -> None:
    dirty = (
        '<table class="divaecon-table"><tr><td onclick="x()">1</td></tr></table>'
        '<script>alert(1)</script><iframe src="file:///etc/passwd"></iframe>'
        '<img src="http://127.0.0.1:1/x.png"><a href="javascript:alert(1)">a</a><style>*{}</style>'
    )
    clean = reports.clean_html(dirty)
    assert '<table class="divaecon-table"><tbody><tr><td>1</td></tr></tbody></table>' in clean
    for bad in ("script", "iframe", "img", "javascript:", "onclick", "style"):
        assert bad not in clean, bad


def _plan(tmp_path: Path, kernels: int) -> batch._Plan:
    plan = batch._Plan(tmp_path, ("pdf",), False, False, tmp_path, None, None, [], "2026-11-24")
    plan.kernels = kernels
    return plan


def test_kernel_slots_are_lent_in_the_order_books_ask(tmp_path: Path) -> None:
    """``jobs`` kernels at most; a book waits for a kernel another book gives back, in turn
    (no kernel is started here: a slot starts its kernel when a book first asks it to)."""
    plan = _plan(tmp_path, kernels=2)
    first, second = plan.acquire_slot(), plan.acquire_slot()
    assert first is not second and len(plan.slots) == 2
    got: list[tuple[str, object]] = []

    def book(name: str) -> None:
        slot = plan.acquire_slot()
        got.append((name, slot))
        plan.release_slot(slot)

    waiting = threading.Thread(target=book, args=("third",))
    waiting.start()
    wait_until(lambda: len(plan._waiting) == 1, "the third book to queue for a kernel", timeout_s=60)
    later = threading.Thread(target=book, args=("fourth",))
    later.start()  # queued after the third
    wait_until(lambda: len(plan._waiting) == 2, "the fourth book to queue behind the third", timeout_s=60)
    assert got == [] and len(plan.slots) == 2  # both wait: no third kernel
    plan.release_slot(second)
    waiting.join(60)
    later.join(60)
    assert [name for name, _ in got] == ["third", "fourth"]
    assert got[0][1] is second and len(plan.slots) == 2


def test_a_cancelled_batch_stops_books_waiting_for_a_kernel(tmp_path: Path) -> None:
    plan = _plan(tmp_path, kernels=1)
    plan.acquire_slot()
    outcome: list[str] = []

    def book() -> None:
        try:
            plan.acquire_slot()
            outcome.append("got a kernel")
        except KeyboardInterrupt:
            outcome.append("interrupted")

    waiting = threading.Thread(target=book)
    waiting.start()
    wait_until(lambda: plan._waiting, "the book to wait for the only kernel", timeout_s=60)
    plan.cancel.set()
    waiting.join(60)
    assert outcome == ["interrupted"] and not waiting.is_alive()
