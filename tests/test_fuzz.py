"""Fuzzing (issue 12, item 7): malformed scenario documents and command lines, generated.

Every run of the CLI (in-process, ``divaecon.cli.main``) must end with exit status 0 or 2, a
single ``divaecon: error:`` line when it is 2, no traceback, within a time and a memory bound
(per example: wall time, and the peak of Python and numpy allocations under ``tracemalloc``).
Examples are derandomised (the same ones every run, for CI); ``DIVAECON_FUZZ_EXAMPLES=2000``
explores further. The fixed regression cases are in ``tests/test_hostile.py``; the last test
here runs the worst of them in a subprocess under hard ``RLIMIT_AS``/``RLIMIT_CPU`` limits.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from divaecon import sizing
from divaecon.cli import main
from divaecon.params import SECTIONS

EXAMPLES = int(os.environ.get("DIVAECON_FUZZ_EXAMPLES", "40"))
PEAK_BYTES_PER_RUN = 400_000_000
"""Per example, traced allocations: a normal run peaks at a few MB; the issue's runaways at GB."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

BASE_TEXT = (Path(__file__).resolve().parents[1] / "data" / "scenarios" / "base.yaml").read_text()
FIELDS = [f"{section}.{name}" for section, cls in SECTIONS.items() for name in cls.model_fields]
NAMES = [f.partition(".")[2] for f in FIELDS]


@pytest.fixture(scope="module", autouse=True)
def _compiled_simulation() -> None:
    """Compile (or load) the simulation's day loop before the measured runs, so that the first
    run's traced memory is the run's, not the compiler's."""
    from divaecon.simulate import warm_up

    warm_up()


@contextlib.contextmanager
def bounded_run() -> Iterator[None]:
    """Check the traced memory of what runs inside (a runaway allocates gigabytes; no clock is
    read: a verdict must not depend on the machine's speed)."""
    tracemalloc.start()
    try:
        yield
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < PEAK_BYTES_PER_RUN, f"peaked at {peak / 1e6:,.0f} MB"


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` in-process; any exception other than the documented exits fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with bounded_run(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def check_outcome(argv: list[str], code: int, out: str, err: str) -> None:
    context = f"argv={argv!r}\nstderr={err[-2000:]!r}"
    assert code in (0, 2), context
    assert "Traceback" not in err and "Traceback" not in out, context
    if code == 2:
        last = err.rstrip("\n").rsplit("\n", 1)[-1]
        assert last.startswith("divaecon: error: "), context
        assert out == "" or argv[0] == "simulate", context  # simulate may have printed before a late error


# -- scenario documents ---------------------------------------------------------------------------

SCALARS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, 1, 4, 7, 11, 16, 64, 10**6, 10**100]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 0.5, 1.0, 1e-300, 5e-324, 1e300, 1.7e308]),
    st.booleans(),
    st.none(),
    st.text(max_size=30),
    st.sampled_from(
        [
            "01344",
            "1:30",
            "yes",
            "off",
            "1_000",
            "0x1F",
            "0o17",
            ".inf",
            "~",
            "<<",
            "$x$",
            "<script>",
            "growth",
            "constant",
            "",
            " ",
            "\x1b[2J",
            "a\nb",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.sampled_from([*NAMES, "x", "diva"]), inner, max_size=5)
    ),
    max_leaves=12,
)


@st.composite
def scenario_mapping(draw: st.DrawFn) -> object:
    """A mapping with real section and field names (mostly), values of any kind."""
    doc: dict[object, object] = {}
    for _ in range(draw(st.integers(0, 6))):
        field = draw(st.sampled_from([*FIELDS, "name", "description", "bogus.key", "diva", "peers"]))
        section, _, name = field.partition(".")
        value = draw(VALUES)
        if name:
            sub = doc.setdefault(section, {})
            if isinstance(sub, dict):
                sub[name] = value
        else:
            doc[section] = value
    return doc if draw(st.integers(0, 9)) else draw(VALUES)


YAML_ALPHABET = st.sampled_from([*":-[]{},&*!|>'\"%@`#?~<=\n\t  \\.0123456789eEaxyzno", "\x00", "\x85", "é"])


@st.composite
def mutated_base(draw: st.DrawFn) -> bytes:
    """The shipped base scenario with random edits: replaced spans, repeated lines, cut ends, bad bytes."""
    text = BASE_TEXT
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["replace", "repeat", "cut", "anchor"]))
        at = draw(st.integers(0, len(text)))
        if kind == "replace":
            span = draw(st.integers(0, 12))
            text = text[:at] + draw(st.text(YAML_ALPHABET, max_size=12)) + text[at + span :]
        elif kind == "repeat":
            lines = text.splitlines(keepends=True)
            if not lines:
                continue
            i = draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[: i + 1] + lines[i : i + draw(st.integers(1, 8))] + lines[i + 1 :])
        elif kind == "cut":
            text = text[:at]
        else:
            insert = draw(st.sampled_from(["&a ", "*a ", "!!str ", "!!python/name:os.system ", "? "]))
            text = text[:at] + insert + text[at:]
    data = text.encode("utf-8")
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


DOCUMENTS = st.one_of(
    scenario_mapping().map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode("utf-8")),
    mutated_base(),
    st.binary(max_size=200),
    st.text(YAML_ALPHABET, max_size=200).map(lambda t: t.encode("utf-8")),
)


@FUZZ
@given(document=DOCUMENTS)
def test_fuzzed_scenario_files(tmp_path_factory: pytest.TempPathFactory, document: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "s.yaml"
    path.write_bytes(document)
    argv = ["quote", "--json", "--scenario", str(path)]
    code, out, err = run_cli(argv)
    check_outcome(argv, code, out, err)
    if code == 0:
        figures = json.loads(out)
        assert figures["staker_apr"] is not None and figures["gross_apr"] is not None


# -- validated scenarios give finite figures ---------------------------------------------------

EXTREME_FLOATS = [
    0.0,
    5e-324,
    1e-300,
    1e-12,
    1e-3,
    0.01,
    0.5,
    0.999999,
    1.0,
    2.0,
    31.99,
    64.0,
    1e3,
    1e6,
    1e9,
    1e15,
    1e300,
    1.7e308,
    -1.0,
    -1e300,
]
EXTREME_INTS = [0, 1, 2, 3, 4, 7, 16, 64, 65, 1000, 10**6, 10**7, 10**18, 10**40]


@st.composite
def extreme_overrides(draw: st.DrawFn) -> dict[str, object]:
    fields = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=10, unique=True))
    out: dict[str, object] = {}
    for field in fields:
        section, _, name = field.partition(".")
        kind = SECTIONS[section].model_fields[name].annotation
        if kind is float:
            out[field] = draw(st.sampled_from(EXTREME_FLOATS))
        elif kind is int:
            out[field] = draw(st.sampled_from(EXTREME_INTS))
        elif kind is bool:
            out[field] = draw(st.booleans())
        elif field == "peers.ssv_cluster_sizes":
            out[field] = tuple(draw(st.lists(st.sampled_from([4, 7, 10, 61, 64, 67, 10**9]), min_size=1, max_size=5)))
    return out


@FUZZ
@given(values=extreme_overrides())
def test_every_valid_scenario_has_finite_figures(values: dict[str, object]) -> None:
    """What validation lets through, the model computes: no inf or null figure, no inf in a run
    (NaN only where a figure is undefined, e.g. operator APYs of a network with no collateral)."""
    import numpy as np

    from divaecon.errors import DivaeconError
    from divaecon.params import Scenario
    from divaecon.quote import quote_json
    from divaecon.simulate import simulate

    try:
        scenario = Scenario().override(**values)
    except DivaeconError:
        return
    with bounded_run():
        figures = quote_json(scenario)
        json.dumps(figures, allow_nan=False)
        undefined = [k for k, v in figures.items() if v is None and k != "break_even_key_shares"]  # inf: never
        assert not undefined, (values, undefined)
        summary = simulate(scenario, seeds=2, days=40, record_every_days=10).summary
        numbers = summary.select_dtypes("number").to_numpy(dtype=float)
        assert not np.isinf(numbers).any(), values


# -- command lines ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Scenario inputs and output places a hostile user would try."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "bomb.yaml").write_text(
        "a: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True))
    )
    (folder / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    (folder / "dup.yaml").write_text("diva: {threshold: 11}\ndiva: {threshold: 9}\n")
    with open(folder / "big.yaml", "wb") as fh:
        fh.truncate(50_000_000)
    os.mkfifo(folder / "fifo.yaml")
    (folder / "ok.yaml").write_text("name: ok\nsimulation: {horizon_days: 20}\n")
    (folder / "afile").write_text("x")
    return {
        "scenario": [
            str(folder / n)
            for n in ("bomb.yaml", "latin1.yaml", "dup.yaml", "big.yaml", "fifo.yaml", "ok.yaml", "missing.yaml")
        ]
        + ["/dev/zero", "", str(folder)],
        "out": [
            str(folder / "o.csv"),
            str(folder / "o.parquet"),
            str(folder / "o.txt"),
            "/sys/o.csv",
            "/proc/x/o.csv",
            str(folder / "afile" / "o.csv"),
            str(folder),
            "",
            "o\x00.csv",
        ],
    }


NUMBERS = st.sampled_from(
    [
        "0",
        "1",
        "3",
        "-1",
        "0.5",
        "1e400",
        "inf",
        "-inf",
        "nan",
        "1e-320",
        "abc",
        "",
        "99999999999999999999",
        "9" * 5000,
        "0x10",
        "1_0",
        " 2 ",
    ]
)
GRID_VALUES = st.lists(
    st.sampled_from(["0.5", "1", "0.9", "0.95", "inf", "nan", "x", "", "1e400", "16", "true", "growth", "-1"]),
    min_size=1,
    max_size=4,
).map(",".join)


@st.composite
def command_line(draw: st.DrawFn, paths: dict[str, list[str]]) -> list[str]:
    command = draw(st.sampled_from(["quote", "simulate"]))
    argv = [command]
    quote_options = [
        "--total-staked-eth",
        "--collateral-per-key-share",
        "--operator-uptime",
        "--failure-correlation",
        "--el-reward-per-block-eth",
        "--network-validators",
    ]
    simulate_options = ["--seeds", "--days", "--record-every", "--max-memory"]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["number", "scenario", "output", "grid", "junk", "flag"]))
        if kind == "number":
            argv += [draw(st.sampled_from(quote_options if command == "quote" else simulate_options)), draw(NUMBERS)]
        elif kind == "scenario":
            argv += ["--scenario", draw(st.sampled_from(paths["scenario"]))]
        elif kind == "output":
            argv += ["--csv" if command == "quote" else "--out", draw(st.sampled_from(paths["out"]))]
        elif kind == "grid" and command == "simulate":
            name = draw(
                st.sampled_from(
                    [
                        "collateral_per_key_share_eth",
                        "diva.collateral_per_key_share_eth",
                        "operator_uptime",
                        "threshold",
                        "deposit_mode",
                        "proposer_luck",
                        "nonsense",
                        "diva.",
                        ".x",
                        "",
                    ]
                )
            )
            argv += ["--grid", f"{name}={draw(GRID_VALUES)}" if draw(st.booleans()) else name]
        elif kind == "junk":
            argv.append(draw(st.text(max_size=12)))
        else:
            argv.append(draw(st.sampled_from(["--json", "--help", "--version", "-h", "--", "-", "--days"])))
    if command == "simulate" and "--days" not in argv:
        argv += ["--days", "30"]  # keep the valid runs short; the sizing bounds the rest
    return argv


def test_fuzzed_command_lines(hostile_paths: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sizing.ENV_MAX_MEMORY, "600MB")  # the sizing refuses what would run long

    @FUZZ
    @given(argv=command_line(hostile_paths))
    def check(argv: list[str]) -> None:
        code, out, err = run_cli(argv)
        check_outcome(argv, code, out, err)

    check()


# -- hard limits, in a subprocess ------------------------------------------------------------


@pytest.mark.slow
def test_worst_inputs_under_hard_limits(hostile_paths: dict[str, list[str]], tmp_path: Path) -> None:
    """The issue's runaways, in a process that the kernel stops at 3 GB of address space or 120 s
    of CPU: each must be refused (status 2, one line) well inside both."""
    cases = [
        ["quote", "--scenario", "/dev/zero"],
        *(
            ["quote", "--scenario", p]
            for p in hostile_paths["scenario"]
            if p.endswith(("bomb.yaml", "big.yaml", "fifo.yaml"))
        ),
        ["simulate", "--seeds", "1000000"],
        [
            "simulate",
            *[
                a
                for name in ("collateral_per_key_share_eth", "operator_uptime", "failure_correlation", "operator_fee")
                for a in ("--grid", name + "=" + ",".join(str(round(0.001 * (i + 1), 3)) for i in range(32)))
            ],
        ],
    ]
    script = (
        "import json, sys, resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))\n"
        "resource.setrlimit(resource.RLIMIT_CPU, (120, 120))\n"
        "from divaecon.cli import main\n"
        "for argv in json.loads(sys.argv[1]):\n"
        "    print('STATUS', main(argv), flush=True)\n"
    )
    env = {**os.environ, sizing.ENV_MAX_MEMORY: "2GB"}
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert [line for line in done.stdout.splitlines() if line.startswith("STATUS")] == ["STATUS 2"] * len(cases)
    errors = done.stderr.strip().splitlines()
    assert len(errors) == len(cases) and all(e.startswith("divaecon: error: ") for e in errors), done.stderr
