"""Hostile and broken input (issue 12): every example of the issue as a fixed regression case.

Each bad input ends in one line on stderr and exit status 2 (the CLI, run in-process) or one
:class:`~divaecon.errors.DivaeconError` (the API) — never a traceback, a hang, a runaway or a
silent misreading. The randomised counterpart is ``tests/test_fuzz.py``.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import threading
from pathlib import Path

import pytest

from divaecon import safeyaml, sizing
from divaecon._io import check_writable, read_limited
from divaecon.cli import main
from divaecon.errors import DivaeconError, ParameterError, one_line
from divaecon.params import (
    MAX_SCENARIO_BYTES,
    Scenario,
    load_scenario,
    scenario_from_dict,
    scenario_from_yaml,
    scenario_to_yaml,
)

BASE = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "base.yaml"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run the CLI, check it refused with one line and exit status 2; the line."""
    code, out, err = cli(capsys, *args)
    assert code == 2, (code, out, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("divaecon: error: "), err
    return lines[0]


def write(tmp_path: Path, content: str | bytes, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


# -- 2. the scenario file reader ----------------------------------------------------------------


def test_dev_zero_is_refused_before_reading(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "quote", "--scenario", "/dev/zero")
    assert "/dev/zero: cannot read scenario file: a character device, not a regular file" in line


def test_named_pipe_is_refused_without_opening(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result: list[str] = []
    worker = threading.Thread(target=lambda: result.append(refused(capsys, "quote", "--scenario", str(fifo))))
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(fifo, "w") as fh:
            fh.write("x")
        pytest.fail("reading a named pipe blocked")
    assert "a named pipe, not a regular file" in result[0]


@pytest.mark.parametrize("target", ["folder", "socket"])
def test_other_non_regular_files(tmp_path: Path, target: str) -> None:
    import socket

    path = tmp_path / f"x-{target}"
    if target == "folder":
        path.mkdir()
        expected = "a folder"
    else:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        expected = "a socket"
    with pytest.raises(DivaeconError, match=f"cannot read scenario file: {expected}, not a regular file"):
        load_scenario(path)


def test_large_file_refused_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:  # 50 MB, sparse: nothing is written, nothing may be read
        fh.truncate(50_000_000)
    line = refused(capsys, "quote", "--scenario", str(big))
    assert "50,000,000 bytes; at most 1,000,000 are read" in line
    assert MAX_SCENARIO_BYTES == 1_000_000


def test_proc_file_reporting_size_zero_is_still_bounded() -> None:
    # /proc files report st_size 0; the read itself stops at the limit.
    with pytest.raises(DivaeconError, match="more than 10 bytes"):
        read_limited("/proc/self/status", 10, "scenario file")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("name: caf\xe9\n".encode("latin-1"), "line 1, column 10: byte 0xe9 is not UTF-8"),
        ("diva:\n  threshold: 11\n".encode("utf-16"), "UTF-16 text: save the file as UTF-8"),
        ("diva:\n  threshold: 11\n".encode("utf-16-be"), "a binary file"),
        (bytes(range(256)) * 4, "byte 0 is NUL: a binary file"),
        (b"\x89PNG\r\n\x1a\n" + b"\xff" * 100, "byte 0x89 is not UTF-8"),
    ],
    ids=["latin-1", "utf-16", "utf-16-no-bom", "binary", "png"],
)
def test_text_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, fragment: str
) -> None:
    line = refused(capsys, "quote", "--scenario", str(write(tmp_path, content)))
    assert fragment in line


def test_utf8_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    p = write(tmp_path, "\ufeffdiva:\n  threshold: 10\n".encode())
    assert load_scenario(p).diva.threshold == 10


BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
    "diva: [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
)


def test_alias_bomb_stops_at_the_bound(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 9^9 ≈ 387 million values if expanded: refused at the first alias past 10,000 values.
    line = refused(capsys, "quote", "--scenario", str(write(tmp_path, BOMB)))
    assert "line 5" in line and "more than 10,000 values (each alias counted as what it repeats)" in line
    assert len(line) < 300


def test_small_aliases_are_fine(tmp_path: Path) -> None:
    text = "peers:\n  ssv_cluster_sizes: &s [4, 7]\nname: &n shared\ndescription: *n\n"
    s = load_scenario(write(tmp_path, text))
    assert s.peers.ssv_cluster_sizes == (4, 7) and s.description == "shared"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: &a [1, *a]\n", "alias *a refers to a collection that contains it"),
        ("a: *nowhere\n", "alias *nowhere has no anchor before it"),
        # PyYAML's C composer recursed until the interpreter crashed on this one
        # (at column 17 with PyYAML < 6.0.4; newer libyaml scans ahead and stops at column 1,001)
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 16 levels"),
        ("name: a\n---\nname: b\n", "line 2, column 1: a second YAML document"),
    ],
    ids=["recursive", "undefined", "deep", "two-documents"],
)
def test_structure_refusals(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ParameterError) as info:
        load_scenario(write(tmp_path, text))
    assert fragment in str(info.value)
    assert re.search(r": line \d+, column \d+: ", str(info.value)), "the refusal says where"


def test_duplicate_section_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "diva:\n  threshold: 11\nethereum:\n  total_staked_eth: 3.0e7\ndiva:\n  threshold: 9\n"
    line = refused(capsys, "quote", "--scenario", str(write(tmp_path, text)))
    assert "line 5, column 1: duplicate key 'diva' (first at line 1)" in line


def test_duplicate_key_at_any_level(tmp_path: Path) -> None:
    text = "diva:\n  threshold: 11\n  operator_fee: 0.1\n  threshold: 9\n"
    with pytest.raises(ParameterError, match=r"line 4, column 3: duplicate key 'threshold' \(first at line 2\)"):
        load_scenario(write(tmp_path, text))
    with pytest.raises(ParameterError, match="duplicate key"):
        safeyaml.loads("a: [{b: 1, b: 2}]\n")


@pytest.mark.parametrize(
    ("value", "yaml11_reading"),
    [
        ("01344", "octal 748"),
        ("1:30", "base 60: 90"),
        ("yes", "True"),
        ("no", "False"),
        ("on", "True"),
        ("OFF", "False"),
        ("1_344", "1344"),
        ("0b101", "5"),
    ],
)
def test_yaml_11_forms_are_refused_not_misread(tmp_path: Path, value: str, yaml11_reading: str) -> None:
    # PyYAML (YAML 1.1) reads each of these as the number or boolean noted; YAML 1.2 does not.
    import yaml

    assert yaml.safe_load(f"v: {value}")["v"] != value
    with pytest.raises(ParameterError) as info:
        load_scenario(write(tmp_path, f"diva:\n  network_validators: {value}\n"))
    message = str(info.value)
    assert f"line 2, column 23: '{value}' means different things in YAML 1.1 and YAML 1.2" in message
    assert "quote it" in message


def test_yaml_12_core_schema() -> None:
    data = safeyaml.loads("a: [0o17, 0x1F, 1e3, .5, -.inf, true, False, ~, null, 2025-06-08, '01344', 1.50]")
    assert data == {"a": [15, 31, 1000.0, 0.5, -math.inf, True, False, None, None, "2025-06-08", "01344", 1.5]}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: !!python/object/apply:os.system [echo hi]\n", "tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
        ("a: !!binary aGk=\n", "tag 'tag:yaml.org,2002:binary' is not allowed"),
        ("a: !!float abc\n", "'abc' is not a number"),
        ("a: !!bool maybe\n", "'maybe' is not a boolean"),
        ("a: " + "9" * 5_000 + "\n", "integer of 5,000 digits"),
        ("? [a]\n: 1\n", "a mapping key must be a plain value"),
        ("x: &x {a: 1}\ny:\n  <<: *x\n", "merge keys (<<) are YAML 1.1 only"),
        ("a: \x1b[31mred\n", "character #x001b is not allowed"),
        ("diva: [\n", "line 2, column 1: not valid YAML"),
        ("a: !" + "x" * 100_000 + " 1\n", "..."),
    ],
    ids=["python-tag", "binary", "float", "bool", "huge-int", "list-key", "merge", "escape", "syntax", "long-tag"],
)
def test_other_yaml_refusals_are_bounded_one_liners(text: str, fragment: str) -> None:
    with pytest.raises(ParameterError) as info:
        scenario_from_yaml(text, "f.yaml")
    message = str(info.value)
    assert fragment in message and "\n" not in message and len(message) < 400


def test_empty_scenario_option_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("quote", "simulate"):
        assert "scenario file name is empty" in refused(capsys, command, "--scenario", "")
    assert "--scenario ''" in refused(capsys, "app", "--scenario", "", "--port", "1")


def test_error_lines_escape_control_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "a\nb\x1b[2J.yaml"
    line = refused(capsys, "quote", "--scenario", str(odd))
    assert "a\\nb\\x1b[2J.yaml" in line
    p = write(tmp_path, 'name: "x\\e[2J\\u2028y"\ndiva:\n  threshold: 99\n')
    assert "\x1b" not in refused(capsys, "quote", "--scenario", str(p))
    assert one_line("a\u2028b\x85c") == "a\\u2028b\\x85c"


def test_values_in_messages_are_bounded() -> None:
    huge = "x" * 1_000_000
    with pytest.raises(ParameterError) as info:
        Scenario().override(description=huge)
    assert len(str(info.value)) < 300
    with pytest.raises(ParameterError) as info:
        scenario_from_dict({"peers": {"ssv_cluster_sizes": [5] * 100_000}})
    assert "<list of 100,000>" in str(info.value) and len(str(info.value)) < 300
    many = "? " + "k" * 10_000 + "\n: 1\n" + "".join(f"k{i}: {i}\n" for i in range(3_000))
    with pytest.raises(ParameterError) as info:
        scenario_from_yaml(many, "f.yaml")
    assert len(info.value.problems) == 3_001  # all kept, 20 shown
    assert str(info.value).endswith("; and 2,981 more problem(s)") and len(str(info.value)) < 3_000


def test_round_trip_keeps_strings_that_look_like_numbers() -> None:
    for name in ["01344", "1:30", "yes", "1e3", "0o17", ".inf", "null", "~", "2025-06-08", "<<", "a\nb"]:
        s = Scenario().override(name=name)
        assert load_scenario_text(scenario_to_yaml(s)) == s


def load_scenario_text(text: str) -> Scenario:
    return scenario_from_yaml(text, "round-trip")


# -- 3. every number finite and in range -------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", "nan", "NaN"])
def test_non_finite_cli_numbers(capsys: pytest.CaptureFixture[str], value: str) -> None:
    line = refused(capsys, "quote", "--total-staked-eth", value)
    assert line.startswith("divaecon: error: --total-staked-eth = ") and "finite number" in line


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e400"])
def test_non_finite_file_numbers(tmp_path: Path, value: str) -> None:
    with pytest.raises(ParameterError, match="finite number"):
        load_scenario(write(tmp_path, f"diva:\n  operator_uptime: {value}\n"))


def test_non_finite_override_and_json_never_prints_null_figures(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ParameterError, match="finite"):
        Scenario().override(total_staked_eth=math.inf)
    code, out, _ = cli(capsys, "quote", "--json", "--total-staked-eth", "1e8")
    assert code == 0 and json.loads(out)["staker_apr"] > 0


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        (
            {"peers.lido_operator_fee": 0.6, "peers.lido_treasury_fee": 0.5},
            "peers.lido_operator_fee + lido_treasury_fee = 1.1: must be at most 1",
        ),
        (
            {"rocketpool_megapool_operator_commission": 0.5, "rocketpool_megapool_rpl_commission": 0.6},
            "rocketpool_megapool_operator_commission + rocketpool_megapool_rpl_commission = 1.1",
        ),
        (
            {"operator_fee": 0.7, "treasury_fee": 0.2, "insurance_fee": 0.2},
            "diva.operator_fee + treasury_fee + insurance_fee = 1.1",
        ),
        ({"threshold": 17}, "diva.threshold = 17: must be at most key_shares_per_validator (16)"),
        ({"ssv_cluster_sizes": (4, 3001)}, "at most 64"),
        ({"ssv_cluster_sizes": (4, 10**30)}, "at most 64"),
        ({"ssv_cluster_sizes": (4, 4)}, "each size at most once"),
        ({"ssv_cluster_sizes": tuple(range(4, 200, 3))}, "at most 16 sizes"),
        ({"collateral_per_key_share_eth": 1e-12}, "must be from 0.001 to 32"),
        ({"eth_price_usd": 5e-324}, "must be from 0.01"),
        ({"initial_collateral_eth": 1.7e308}, "must be from 0 to 200,000,000"),
        ({"record_every_days": 10**30}, "record_every_days = 1000000000000000000000000000000"),
        ({"name": " \t "}, "must contain a visible character"),
    ],
)
def test_cross_field_and_sanity_rules(values: dict[str, object], fragment: str) -> None:
    # Fee shares above 1 gave negative staker APRs; a 3001-operator SSV cluster passed validation
    # and ended in a TypeError; 1e-12 divETH of collateral or a 5e-324 USD ETH price overflowed.
    with pytest.raises(ParameterError) as info:
        Scenario().override(**values)
    assert fragment in str(info.value)


def test_every_number_has_an_upper_bound() -> None:
    # A new field without one lets 1e308 through to the model: give it `le=` or a SANE_LIMITS entry.
    import annotated_types

    from divaecon.params import SANE_LIMITS, SECTIONS

    unbounded = [
        f"{section}.{name}"
        for section, cls in SECTIONS.items()
        for name, info in cls.model_fields.items()
        if info.annotation in (int, float)
        and f"{section}.{name}" not in SANE_LIMITS
        and not any(isinstance(m, annotated_types.Le | annotated_types.Lt) for m in info.metadata)
    ]
    assert unbounded == ["diva.threshold"]  # at most key_shares_per_validator (<= 64), checked in DivaParams


def test_huge_ssv_cluster_from_a_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = write(tmp_path, "peers:\n  ssv_cluster_sizes: [4, 100000000000000000000]\n")
    assert "peers.ssv_cluster_sizes" in refused(capsys, "quote", "--scenario", str(p))


@pytest.mark.parametrize(
    ("grids", "fragment"),
    [
        (
            ["collateral_per_key_share_eth=0.5,1", "collateral_per_key_share_eth=2"],
            "already swept by --grid 'collateral_per_key_share_eth'; give each parameter once",
        ),
        (["collateral_per_key_share_eth=1", "diva.collateral_per_key_share_eth=2"], "already swept"),
        (["operator_uptime=0.9,0.95,0.9"], "--grid operator_uptime = '0.9': given twice"),
        (["operator_uptime=0.9,inf"], "--grid operator_uptime = 'inf': must be a finite number"),
        (["operator_uptime=nan"], "must be a finite number"),
        (["operator_uptime=1e400"], "must be a finite number"),
        (["network_validators=" + "9" * 5000], "not a valid int"),
        (["operator_uptime=1.5"], "operator_uptime"),
    ],
)
def test_grid_refusals(capsys: pytest.CaptureFixture[str], grids: list[str], fragment: str) -> None:
    args = [a for g in grids for a in ("--grid", g)]
    line = refused(capsys, "simulate", *args, "--days", "5")
    assert fragment in line and len(line) < 400


def test_grid_api_refuses_the_same_parameter_twice() -> None:
    from divaecon.simulate import grid_points

    with pytest.raises(DivaeconError, match="same parameter"):
        grid_points(Scenario(), {"operator_uptime": [0.9], "diva.operator_uptime": [0.95]})


def test_widget_error_stays_one_line() -> None:
    from divaecon.widgets import Dashboard

    board = Dashboard(Scenario().override(treasury_fee=0.8, name="<b>x</b>\nname"))
    board.sliders["operator_fee"].value = 0.3  # 0.3 + 0.8 > 1
    status = board.status.value
    assert "must be at most 1" in status and "\n" not in status and "<b>" not in status


# -- 4. work sized before it starts -------------------------------------------------------------


@pytest.fixture
def four_gb(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed memory limit, so that refusals do not depend on the machine running the tests."""
    monkeypatch.setenv(sizing.ENV_MAX_MEMORY, "4GB")


@pytest.fixture
def nothing_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail at once if the simulation starts or its grid is built: a refusal must come first
    (what a runaway would cost is then never paid, and no clock decides the verdict)."""
    import divaecon.simulate
    import divaecon.simulate.api

    def started(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the run started before it was refused")

    monkeypatch.setattr(divaecon.simulate, "sweep", started)
    monkeypatch.setattr(divaecon.simulate.api, "grid_points", started)
    monkeypatch.setattr(divaecon.simulate.api, "sweep", started)


GRID_32 = ",".join(str(round(0.05 + 0.05 * i, 2)) for i in range(32))


@pytest.mark.usefixtures("four_gb")
@pytest.mark.parametrize(
    "args",
    [
        ["--seeds", "1000000"],
        [
            "--grid",
            f"collateral_per_key_share_eth={GRID_32}",
            "--grid",
            "operator_uptime=" + ",".join(str(0.9 + 0.003 * i) for i in range(32)),
            "--grid",
            "failure_correlation=" + ",".join(str(0.01 * i) for i in range(32)),
            "--grid",
            "operator_fee=" + ",".join(str(0.005 * i) for i in range(32)),
        ],
    ],
    ids=["a-million-seeds", "four-grids-of-32"],
)
@pytest.mark.usefixtures("nothing_runs")
def test_runaway_runs_are_refused_at_once(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    line = refused(capsys, "simulate", *args)
    assert "simulation too large: 1,0" in line and "above the limit of 4 GB (DIVAECON_MAX_MEMORY)" in line
    assert "fewer seeds (--seeds)" in line and "--max-memory" in line


def test_estimate_errs_high_against_a_measured_run() -> None:
    import tracemalloc

    from divaecon.simulate import DEFAULT_RECORD, simulate
    from divaecon.simulate.api import recorded_day_count, ring_days

    simulate(Scenario(), seeds=2, days=5)  # compile first: the compiler's memory is not the run's
    tracemalloc.start()
    try:
        simulate(Scenario(), seeds=4_000, days=200, record_every_days=2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    est = sizing.simulation_estimate(
        4_000, 1, 200, recorded_day_count(200, 2), len(DEFAULT_RECORD), ring_days=ring_days([Scenario()], 200)
    )
    assert peak < est.bytes - sizing.BASE_BYTES < 3 * peak


def test_sweep_estimate_takes_the_longest_horizon_of_the_grid() -> None:
    from divaecon.simulate import DEFAULT_RECORD, sweep

    # base: 3,650 days recorded every 30; the grid asks for 100 years recorded daily
    shape = f"1,000 rows × 36,525 days, {len(DEFAULT_RECORD)} variables recorded on 36,525 days"
    with pytest.raises(DivaeconError, match=shape):
        sweep(Scenario(), {"horizon_days": [365, 36_525], "record_every_days": [30, 1]}, seeds=250, max_memory="1GB")


def test_recorded_day_count_matches_the_engine() -> None:
    from divaecon.simulate.api import recorded_day_count
    from divaecon.simulate.engine import record_days

    for days in (1, 2, 29, 30, 31, 3650):
        for every in (1, 7, 30, 5000):
            assert recorded_day_count(days, every) == len(record_days(days, every))


def test_max_memory_option_and_api(capsys: pytest.CaptureFixture[str]) -> None:
    from divaecon.simulate import simulate, sweep

    line = refused(capsys, "simulate", "--days", "10", "--max-memory", "1kB")
    assert "above the limit of 1 kB (--max-memory)" in line
    assert "--max-memory = 'lots'" in refused(capsys, "simulate", "--max-memory", "lots")
    with pytest.raises(DivaeconError, match="too large"):
        simulate(Scenario(), seeds=10, days=10, max_memory="1MB")
    with pytest.raises(DivaeconError, match="too large"):
        sweep(Scenario(), {"operator_uptime": [0.9, 1.0]}, days=10, max_memory=1000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("8GB", 8 * 10**9), ("512 MiB", 512 * 2**20), ("1.5g", 1_500_000_000), ("4096", 4096)],
)
def test_parse_size(text: str, expected: int) -> None:
    assert sizing.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "-1GB", "0", "1e400", "nan", "5 parsecs", "150%", "GB"])
def test_parse_size_refusals(text: str) -> None:
    with pytest.raises(DivaeconError, match="--max-memory"):
        sizing.parse_size(text)


def test_bad_environment_limit_is_named(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sizing.ENV_MAX_MEMORY, "plenty")
    assert "DIVAECON_MAX_MEMORY = 'plenty': give a size such as 8GB" in refused(capsys, "simulate", "--days", "5")


def test_percent_is_of_available_memory() -> None:
    assert sizing.parse_size("50%") == pytest.approx(sizing.available_memory() / 2, rel=1e-9)


def test_seeds_and_days_bounds(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--seeds = 99999999999999999999: must be an integer from 1 to 1,000,000" in refused(
        capsys, "simulate", "--seeds", "99999999999999999999"
    )
    assert "--days = 0" in refused(capsys, "simulate", "--days", "0")
    assert "--record-every = 0" in refused(capsys, "simulate", "--record-every", "0")


# -- 5. outputs checked before the work ---------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "fragment"),
    [
        ("/sys/divaecon-test.csv", "cannot write: Permission denied"),  # read-only even for root
        ("/proc/no/such/place.csv", "cannot write: No such file or directory"),
        ("{file}/inside-a-file.csv", "is not a folder"),
        ("{tmp}/" + "n" * 300 + ".csv", "File name too long"),
    ],
)
def test_unwritable_outputs_before_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, fragment: str
) -> None:
    afile = write(tmp_path, "x", "a-file")
    (tmp_path / "dir.csv").mkdir()
    target = where.format(file=afile, tmp=tmp_path)
    assert fragment in refused(capsys, "quote", "--csv", target)
    line = refused(capsys, "simulate", "--days", "5", "--out", target)
    assert line.startswith(f"divaecon: error: --out {target[:50]}") and fragment in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "dir.csv"]  # nothing left behind


def test_output_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "is a directory" in refused(capsys, "quote", "--csv", str(tmp_path))
    with pytest.raises(DivaeconError, match="it is a folder; give a file name"):
        check_writable(tmp_path, "--out")


def test_read_only_output_file_is_not_replaced(tmp_path: Path) -> None:
    target = write(tmp_path, "keep me", "q.csv")
    target.chmod(stat.S_IRUSR)
    if os.access(target, os.W_OK):  # root may write anything
        pytest.skip("running as root: a read-only mode does not stop writes")
    with pytest.raises(DivaeconError, match="the file is read-only"):
        check_writable(target, "--csv")


def test_missing_folders_are_created_by_the_write_not_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new" / "deeper" / "q.csv"
    check_writable(target)
    assert not (tmp_path / "new").exists()
    code, _, _ = cli(capsys, "quote", "--csv", str(target))
    assert code == 0 and target.read_text().startswith("# key figures")


def test_simulate_out_streams_whole_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd

    for suffix in ("csv", "parquet"):
        out = tmp_path / f"ts.{suffix}"
        code, stdout, _ = cli(capsys, "simulate", "--days", "40", "--seeds", "3", "--out", str(out))
        assert code == 0 and f"Wrote 9 rows to {out}" in stdout  # days 0, 30 and 39 for 3 seeds
        table = pd.read_csv(out) if suffix == "csv" else pd.read_parquet(out)
        assert len(table) == 9 and list(table["day"][:3]) == [0, 30, 39]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ts.csv", "ts.parquet"]
    code, stdout, _ = cli(capsys, "simulate", "--days", "40", "--record-every", "10", "--out", str(out))
    assert code == 0 and list(pd.read_parquet(out)["day"]) == [0, 10, 20, 30, 39]


@pytest.mark.usefixtures("nothing_runs")
def test_simulate_into_read_only_folder_fails_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The case: `simulate --out` into a read-only folder failed after the whole run. A
    # 100-year, 200-seed run: refused before it starts, or this test takes minutes.
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    target = folder / "x.csv" if not os.access(folder, os.W_OK) else Path("/sys/divaecon-test/x.csv")  # root
    line = refused(capsys, "simulate", "--days", "36500", "--seeds", "200", "--out", str(target))
    assert line.endswith("cannot write: Permission denied") or "cannot write:" in line
    folder.chmod(0o755)
