"""Sizing work before it starts: estimate memory and time, refuse what the machine cannot hold.

Every run that grows with its inputs (simulations, sweeps, risk runs) builds a
:class:`WorkEstimate` from its shape — rows (scenarios × seeds) × days × recorded variables —
and calls :func:`check_work` before allocating anything. Above the memory limit the run is
refused with one line: the estimate, the limit and how to go lower.

The limit (:func:`memory_limit`) is, in order: the ``max_memory`` argument (``--max-memory``),
the environment variable :data:`ENV_MAX_MEMORY`, or :data:`DEFAULT_SHARE` of the memory this
process may use (the machine's physical memory, or less under a cgroup limit or ``RLIMIT_AS``).
Sizes are written ``"8GB"``, ``"512 MiB"``, ``"50%"`` (of that memory) or a number of bytes.

The constants below were measured with ``tracemalloc`` and ``time.perf_counter`` on the
development machine (``benchmarks/bench_sizing.py``; results in ``benchmarks/sizing.md``); the
estimates are meant to err high.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from divaecon.errors import DivaeconError

ENV_MAX_MEMORY = "DIVAECON_MAX_MEMORY"
"""Environment variable that sets the memory limit (same forms as ``--max-memory``)."""

DEFAULT_SHARE = 0.5
"""Share of the available memory a run may use by default."""

BYTES_PER_ROW = 6_000
"""Working state of one simulated row (state records, Monte Carlo streams, histograms) [bytes]."""

BYTES_PER_RING_DAY = 3 * 8 * 1.1
"""One day of a row's queue rings (three float rings as long as the longest wait) [bytes]."""

BYTES_PER_RECORDED_VALUE = 8 * 1.15
"""One recorded float: the engine's output array, shared with the table, plus slack [bytes]."""

BYTES_PER_SCENARIO = 8_000
"""One validated :class:`~divaecon.params.Scenario` of a sweep, with its grid-table row [bytes]."""

BASE_BYTES = 200_000_000
"""The interpreter with numpy, pandas, numba and the compiled engine loaded [bytes]."""

ROW_DAYS_PER_SECOND = 3e6
"""Engine throughput, pessimistic (benchmarks/simulate.md: 30–39 M row-days/s on 2 quiet cores
without Monte Carlo draws; daily draws and a busy machine are several times slower) [row-days/s]."""

SECONDS_PER_ROW = 2e-5
"""Building a row's inputs and its share of the output tables [s]."""

SECONDS_PER_SCENARIO = 0.002
"""Validating one grid point and quoting it for the printed summary [s]."""

_UNITS = {
    "": 1,
    "b": 1,
    "k": 10**3,
    "kb": 10**3,
    "kib": 2**10,
    "m": 10**6,
    "mb": 10**6,
    "mib": 2**20,
    "g": 10**9,
    "gb": 10**9,
    "gib": 2**30,
    "t": 10**12,
    "tb": 10**12,
    "tib": 2**40,
}
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([a-zA-Z]*|%)\s*$")


def format_bytes(n: float) -> str:
    """``1.5 GB``, ``320 MB``, ``12 kB`` (decimal units)."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:,.3g} {unit}" if n / size < 1000 else f"{n / size:,.0f} {unit}"
    return f"{n:,.0f} bytes"


def format_seconds(s: float) -> str:
    """``0.4 s``, ``12 s``, ``7 min``, ``3.2 h``, ``41 days``."""
    if s < 10:
        return f"{s:.1f} s"
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 172_800:
        return f"{s / 3600:.1f} h"
    return f"{s / 86_400:,.0f} days"


def available_memory() -> int:
    """Memory this process may use [bytes]: physical memory, or less under a cgroup or ``RLIMIT_AS``."""
    total = 8 * 10**9
    with contextlib.suppress(ValueError, OSError, AttributeError):
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        with contextlib.suppress(OSError, ValueError):
            with open(path, encoding="ascii") as fh:
                text = fh.read().strip()
            if text.isdigit():
                total = min(total, int(text))
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY and soft > 0:
            total = min(total, soft)
    return int(total)


def parse_size(text: str | int | float, option: str = "--max-memory") -> int:
    """``"8GB"``, ``"512 MiB"``, ``"50%"`` or a number of bytes → bytes; anything else is refused."""
    if isinstance(text, bool):
        raise DivaeconError(f"{option} = {text!r}: give a size such as 8GB, 512MiB or 50%")
    if isinstance(text, int | float):
        if not math.isfinite(text) or text <= 0:
            raise DivaeconError(f"{option} = {text!r}: must be a positive number of bytes")
        return int(text)
    shown = repr(text) if len(text) <= 40 else repr(text[:37]) + "..."
    match = _SIZE.match(text)
    unit = match.group(2).lower() if match else ""
    if not match or (unit != "%" and unit not in _UNITS):
        raise DivaeconError(f"{option} = {shown}: give a size such as 8GB, 512MiB, 50% or a number of bytes")
    number = float(match.group(1))
    value = available_memory() * number / 100 if unit == "%" else number * _UNITS[unit]
    if not 0 < value < 2**63 or (unit == "%" and number > 100):
        raise DivaeconError(f"{option} = {shown}: must be above 0 (and at most 100%)")
    return int(value)


def memory_limit(max_memory: str | int | float | None = None) -> tuple[int, str]:
    """The memory limit in bytes and where it came from (for the refusal message)."""
    if max_memory is not None:
        return parse_size(max_memory), "--max-memory"
    env = os.environ.get(ENV_MAX_MEMORY)
    if env:
        return parse_size(env, ENV_MAX_MEMORY), ENV_MAX_MEMORY
    return int(available_memory() * DEFAULT_SHARE), f"{DEFAULT_SHARE:.0%} of this machine's memory"


@dataclass(frozen=True)
class WorkEstimate:
    """What a run will take, estimated from its shape before it starts."""

    what: str
    """The run, e.g. ``"simulation"``."""
    shape: str
    """Its shape in words, e.g. ``"1,000,000 rows × 3,650 days, 14 variables on 123 days"``."""
    bytes: int
    """Peak memory in this process [bytes]."""
    seconds: float
    """Run time [s]."""

    def text(self) -> str:
        return f"{self.shape}: about {format_bytes(self.bytes)} and {format_seconds(self.seconds)}"


def simulation_estimate(
    rows: int,
    scenarios: int,
    days: int,
    recorded_days: int,
    variables: int,
    *,
    ring_days: int = 1,
    distributed: bool = False,
    what: str = "simulation",
) -> WorkEstimate:
    """Memory and time of a day-by-day run of ``rows`` rows (scenarios × seeds).

    ``ring_days``: length of the rows' queue rings (:func:`divaecon.simulate.engine.ring_length`;
    1 gives a lower bound when the scenarios are not built yet). ``distributed``: the rows run on
    a dask cluster, so only the gathered outputs (twice, while they are concatenated) count here,
    not the rows' working state.
    """
    recorded = rows * recorded_days * (variables + 3)  # + scenario, seed and day columns
    per_row = 200 if distributed else BYTES_PER_ROW + ring_days * BYTES_PER_RING_DAY
    copies = 2 if distributed else 1
    memory = BASE_BYTES + scenarios * BYTES_PER_SCENARIO + rows * per_row + copies * recorded * BYTES_PER_RECORDED_VALUE
    seconds = rows * days / ROW_DAYS_PER_SECOND + rows * SECONDS_PER_ROW + scenarios * SECONDS_PER_SCENARIO
    shape = f"{rows:,} rows × {days:,} days, {variables} variables recorded on {recorded_days:,} days" + (
        " (on a dask cluster)" if distributed else ""
    )
    return WorkEstimate(what, shape, int(memory), seconds)


def check_work(estimate: WorkEstimate, max_memory: str | int | float | None = None, hints: Sequence[str] = ()) -> None:
    """Refuse ``estimate`` with one line when it exceeds :func:`memory_limit`.

    The message gives the estimate, the limit and where it came from, ``hints`` (how to go
    lower) and how to raise the limit.
    """
    limit, origin = memory_limit(max_memory)
    if estimate.bytes <= limit:
        return
    ways = "; ".join([*hints, f"or raise the limit with --max-memory or {ENV_MAX_MEMORY}"])
    raise DivaeconError(
        f"{estimate.what} too large: {estimate.text()}, above the limit of {format_bytes(limit)} ({origin}). "
        f"To go lower: {ways}"
    )
