"""`divaecon report`: the batch, PDF export, comparison, index, failures and refusals.

The batch tests drive a real kernel (papermill) and a real Chromium, and read the PDFs back
with ``pdftotext``. Without Chromium or poppler they are skipped locally and fail in CI.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from divaecon import reports, tables
from divaecon._io import write_atomic
from divaecon.cli import main
from divaecon.errors import DivaeconError
from divaecon.params import Scenario, scenario_to_yaml
from divaecon.reports import export

ROOT = Path(__file__).resolve().parent.parent
NB01 = ROOT / "notebooks" / "01_staking_apr.ipynb"


def _need_tools() -> None:
    missing = [t for t in ("pdftotext",) if shutil.which(t) is None]
    if reports.find_chromium() is None:
        missing.append("chromium")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {', '.join(missing)} (make system-deps)")
        pytest.skip(f"needs {', '.join(missing)}")


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


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


def failing_notebook(path: Path) -> Path:
    """A notebook that fails for the scenario named 'broken' only."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('scenario_yaml: str = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Fragile report"),
        params,
        nbformat.v4.new_code_cell(
            "from divaecon import reports\n"
            "scenario = reports.scenario_for_notebook(scenario_yaml)\n"
            "if scenario.name == 'broken':\n"
            "    raise RuntimeError('boom: this scenario breaks the fragile report')\n"
            "print('fine for', scenario.name)"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


# --- inputs and refusals (no kernel) ----------------------------------------------------------


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


@pytest.mark.parametrize("name,slug", [("base", "base"), ("../../etc/passwd", "etc-passwd"),
                                       ("a b/c", "a-b-c"), ("...", "scenario"), ("low-collateral", "low-collateral")])
def test_scenario_slug_stays_inside_out_dir(name: str, slug: str) -> None:
    assert reports.scenario_slug(name) == slug


@pytest.mark.parametrize("bad", [
    "x = 1; import os",
    "__import__('os').system('touch /tmp/divaecon-pwned')",
    "class",
    "scenario_yaml\nimport os",
    "1abc",
])
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
    monkeypatch.setattr(export, "_have_weasyprint", lambda: False)
    with pytest.raises(DivaeconError, match=r"apt-get install chromium.*DIVAECON_CHROMIUM.*pdf-fallback"):
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


def test_interrupted_export_leaves_no_pdf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(src: Path, out: Path, profile: Path, timeout_s: float) -> None:
        out.write_bytes(b"%PDF-1.4 half written")
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "_chromium_print", interrupted)
    target = tmp_path / "r.pdf"
    with pytest.raises(KeyboardInterrupt):
        reports.html_to_pdf("<html><body>x</body></html>", target, engine="chromium")
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


# --- the batch with a real kernel and a real Chromium -----------------------------------------


@pytest.mark.xdist_group("reports")
def test_batch_delivers_pdfs_and_survives_a_failing_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _need_tools()
    stake = 20_000_000.0
    good = write_scenario(tmp_path / "stake20m.yaml",
                          Scenario().override(name="stake20m", description="20M ETH staked",
                                              total_staked_eth=stake))
    bad = write_scenario(tmp_path / "broken.yaml", Scenario().override(name="broken"))
    fragile = failing_notebook(tmp_path / "09_fragile.ipynb")
    out = tmp_path / "reports"
    stale = out / "broken" / "09_fragile.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF- from an older run")

    monkeypatch.chdir(tmp_path)  # a relative --out, as `make report` gives
    with pytest.raises(SystemExit) as exited:
        main(["report", "--scenario", str(good), "--scenario", str(bad), "--notebook", "01",
              "--notebook", "04", "--notebook", str(fragile), "--out", "reports", "--quick", "--jobs", "2"])
    captured = capsys.readouterr()
    assert exited.value.code == 1, captured.err
    assert Path.cwd() == tmp_path  # parallel kernels never move the process's directory
    assert "1 of 6 report(s) failed" in captured.err
    assert "boom" in captured.out  # the summary names the error

    # every other report is delivered
    for scen in ("stake20m", "broken"):
        for nb in ("01_staking_apr", "04_protocol_comparison"):
            for ext in ("pdf", "html", "ipynb"):
                assert (out / scen / f"{nb}.{ext}").is_file(), f"{scen}/{nb}.{ext}"
    assert (out / "stake20m" / "09_fragile.pdf").is_file()
    # the failure keeps its executed notebook and a log; no PDF, not even an old one
    assert (out / "broken" / "09_fragile.failed.ipynb").is_file()
    assert "boom" in (out / "broken" / "09_fragile.log").read_text()
    assert not stale.exists()
    assert not list(out.rglob(".*.tmp*")), "temporary files left behind"

    # the PDFs hold the headings and a number computed here, independently of the notebook
    text = pdf_text(out / "stake20m" / "01_staking_apr.pdf")
    for heading in ("Staking APR", "Key figures", "APR against total ETH staked", "Where the APR comes from",
                    "Uptime's effect", "Scenario: stake20m"):
        assert heading in text, heading
    assert ideal_cl_apr_text(stake) in text
    key_figures = text.split("Key figures")[1].split("APR against total ETH staked")[0]
    assert ideal_cl_apr_text(stake) in key_figures and ideal_cl_apr_text(DEFAULT_STAKE) not in key_figures
    text04 = pdf_text(out / "broken" / "04_protocol_comparison.pdf")
    assert "Diva and its peers" in text04 and "Rocket Pool LEB8" in text04

    comparison = pdf_text(out / "comparison.pdf")
    for heading in ("Diva Staking — scenario comparison", "Key figures", "Where the scenarios differ",
                    "Diva and its peers: staker APR", "Simulated network", "Reports in this batch"):
        assert heading in comparison, heading
    assert "stake20m" in comparison and "broken" in comparison
    assert ideal_cl_apr_text(stake) in comparison and ideal_cl_apr_text(DEFAULT_STAKE) in comparison
    assert "FAILED" in comparison

    index = (out / "index.html").read_text()
    assert index.count('class="ok"') == 5 + 1 and index.count('class="failed"') == 1
    assert "boom" in index and 'href="broken/09_fragile.failed.ipynb"' in index
    assert 'href="comparison.pdf"' in index and 'href="stake20m/01_staking_apr.pdf"' in index


@pytest.mark.xdist_group("reports")
def test_scenario_name_with_code_is_only_text(tmp_path: Path) -> None:
    """A name full of quotes and code reaches the notebook as a string and a safe folder name."""
    _need_tools()
    marker = tmp_path / "pwned"
    name = f"x'\"; __import__('pathlib').Path('{marker}').touch() #"
    path = write_scenario(tmp_path / "odd.yaml", Scenario().override(name=name))
    out = tmp_path / "out"
    assert main(["report", "--scenario", str(path), "--notebook", "04", "--out", str(out), "--format", "html",
                 "--quick"]) == 0
    assert not marker.exists()
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1 and folders[0].parent == out
    html_text = (folders[0] / "04_protocol_comparison.html").read_text()
    assert "__import__" in html_text  # shown as the scenario's name, never run
    assert not (out / "comparison.pdf").exists() and (out / "comparison.html").is_file()


@pytest.mark.slow
@pytest.mark.xdist_group("reports")
def test_default_batch_makes_every_pdf(tmp_path: Path) -> None:
    """What `make report` runs: every notebook for every shipped scenario, full size."""
    _need_tools()
    from divaecon.data import scenario_paths

    out = tmp_path / "reports"
    assert main(["report", "--out", str(out)]) == 0
    names = [p.stem for p in scenario_paths()]
    for scen in names:
        for nb in reports.REPORT_NOTEBOOKS:
            pdf = out / scen / f"{nb}.pdf"
            assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-", pdf
    comparison = pdf_text(out / "comparison.pdf")
    for scen in names:
        assert scen in comparison
    assert ideal_cl_apr_text(DEFAULT_STAKE) in comparison
    assert (out / "index.html").read_text().count('class="ok"') == len(names) * len(reports.REPORT_NOTEBOOKS) + 1
