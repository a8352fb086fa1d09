"""The public entry points: :func:`simulate`, :func:`sweep` and their result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from divaecon import sizing
from divaecon.errors import DivaeconError
from divaecon.params import Scenario, resolve_name
from divaecon.simulate import backends
from divaecon.simulate.draws import root_seed_sequence
from divaecon.simulate.engine import (
    DEFAULT_RECORD,
    RawOutput,
    RunPlan,
    StepHook,
    check_record,
    record_days,
    ring_length,
)
from divaecon.simulate.inputs import RowInputs, build_rows, check_stake_path

MAX_DAYS = 36_525
MAX_SEEDS = 1_000_000


@dataclass
class SimulationResult:
    """Output of :func:`simulate` / :func:`sweep`.

    ``timeseries``: one row per scenario × seed × recorded day (``scenario``, ``seed``, ``day``, then
    the recorded variables); ``summary``: one row per scenario × seed (``scenario``, ``seed``,
    ``days``, grid columns of a sweep, then :data:`divaecon.simulate.metrics.SUMMARY_COLUMNS`).
    """

    timeseries: pd.DataFrame
    summary: pd.DataFrame


def _positive_int(name: str, value: Any, upper: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or value < 1
        or (upper is not None and value > upper)
    ):
        allowed = f"an integer from 1 to {upper:,}" if upper else "an integer >= 1"
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise DivaeconError(f"{name} = {shown}: must be {allowed}")
    return int(value)


def _scenarios(scenarios: Scenario | Sequence[Scenario]) -> list[Scenario]:
    scen = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    if not scen:
        raise DivaeconError("scenarios = []: give at least one scenario")
    if not all(isinstance(s, Scenario) for s in scen):
        raise DivaeconError("scenarios: each must be a divaecon.params.Scenario")
    return scen


def _plan(
    scen: Sequence[Scenario],
    days: int | None,
    record: Sequence[str],
    every: int | None,
    rng: np.random.Generator | int | None,
) -> RunPlan:
    d = _positive_int("days", days if days is not None else scen[0].simulation.horizon_days, MAX_DAYS)
    e = _positive_int("record_every_days", every if every is not None else scen[0].simulation.record_every_days)
    plan = RunPlan(d, check_record(record), e, root_seed_sequence(rng))
    check_stake_path(scen, d)
    return plan


def recorded_day_count(days: int, every: int) -> int:
    """``len(record_days(days, every))`` without building it: days ``0, every, …`` and the last."""
    return (days - 1) // every + 1 + (1 if (days - 1) % every else 0)


SIZE_HINTS = (
    "fewer seeds (--seeds)",
    "fewer grid values (--grid)",
    "a shorter horizon (--days)",
    "coarser recording (--record-every, simulation.record_every_days) or fewer recorded variables",
    "a dask cluster (--scheduler) holds the rows' working state, not the recorded series",
)
"""How to make a run smaller, for the refusal of :func:`check_size`."""


def check_size(
    rows: int,
    scenarios: int,
    days: int,
    every: int,
    variables: int,
    client: Any = None,
    max_memory: str | int | float | None = None,
    ring_days: int = 1,
) -> sizing.WorkEstimate:
    """Estimate a run (:func:`divaecon.sizing.simulation_estimate`) and refuse it above the memory
    limit (:func:`divaecon.sizing.check_work`), before anything is allocated.

    ``ring_days`` 1 (the default) makes the estimate a lower bound, for a check before the
    scenarios exist; :func:`ring_days` gives the exact length once they do.
    """
    estimate = sizing.simulation_estimate(
        rows,
        scenarios,
        days,
        recorded_day_count(days, every),
        variables,
        ring_days=ring_days,
        distributed=client is not None,
    )
    sizing.check_work(estimate, max_memory, SIZE_HINTS)
    return estimate


def ring_days(scenarios: Sequence[Scenario], days: int) -> int:
    """The queue rings' length a run of ``scenarios`` over ``days`` needs (one row per scenario:
    seeds share it), for :func:`check_size`."""
    return ring_length(build_rows(scenarios, 1).values, days)


def frames(rows: RowInputs, raw: RawOutput, plan: RunPlan, grid: pd.DataFrame | None = None) -> SimulationResult:
    """The tidy tables of a run."""
    rec_days = record_days(plan.days, plan.every)
    n_rec, n = len(rec_days), rows.n
    names = pd.Categorical(rows.names, categories=list(dict.fromkeys(rows.names)))
    ts = pd.DataFrame(
        {
            "scenario": names.take(np.repeat(np.arange(n), n_rec)),
            "seed": np.repeat(rows.seeds, n_rec),
            "day": np.tile(rec_days, n),
            **{var: arr.reshape(-1) for var, arr in raw.recorded.items()},
        },
        copy=False,
    )
    summ = pd.DataFrame({"scenario": names, "seed": rows.seeds, "days": plan.days})
    if grid is not None and len(grid.columns):
        summ = pd.concat([summ, grid.reset_index(drop=True)], axis=1)
    for key, col in raw.summary.items():
        summ[key] = col
    return SimulationResult(timeseries=ts, summary=summ)


def simulate(
    scenarios: Scenario | Sequence[Scenario],
    seeds: int = 1,
    record: Sequence[str] = DEFAULT_RECORD,
    days: int | None = None,
    record_every_days: int | None = None,
    rng: np.random.Generator | int | None = 0,
    progress: bool = False,
    on_step: StepHook | None = None,
    max_memory: str | int | float | None = None,
    client: Any = None,
    chunk_size: int = 4096,
) -> SimulationResult:
    """Simulate Diva networks day by day, all scenarios × seeds at once.

    Parameters
    ----------
    scenarios : Scenario or list of Scenario
        The networks; their ``simulation`` section drives flows and Monte Carlo rates.
    seeds : int
        Monte Carlo draws per scenario (rows are scenario-major).
    record : sequence of str
        Variables recorded in ``timeseries`` (see :data:`divaecon.simulate.RECORDABLE`).
    days : int, optional
        Horizon [days]; default the first scenario's ``simulation.horizon_days``.
    record_every_days : int, optional
        Recording interval [days]; default the first scenario's ``simulation.record_every_days``.
        Days ``0, k, 2k, …`` and the last day are recorded (end-of-day values).
    rng : numpy.random.Generator, int or None
        Root of the Monte Carlo streams (same root, same numbers).
    progress : bool
        Show a progress bar over days.
    on_step : callable, optional
        ``on_step(day, state)`` after every day, with every recordable variable, the day's flows
        and its draws (one array element per row): for tests and the scalar reference.
    max_memory : str, int or float, optional
        Memory limit (``"8GB"``, ``"50%"``, bytes); default :func:`divaecon.sizing.memory_limit`.
        A run estimated above it is refused before it starts.
    client : None, "local", str or dask.distributed.Client
        Where the rows run, as :func:`sweep` takes it (None: this process); not with ``on_step``.
    chunk_size : int
        Rows per dask task (with ``client``).

    Returns
    -------
    SimulationResult
    """
    scen = _scenarios(scenarios)
    if client is not None and on_step is not None:
        raise DivaeconError("on_step: a step hook runs in this process only; give no client with it")
    seeds = _positive_int("seeds", seeds, MAX_SEEDS)
    plan = _plan(scen, days, record, record_every_days, rng)
    check_size(
        len(scen) * seeds,
        len(scen),
        plan.days,
        plan.every,
        len(plan.record),
        client,
        max_memory,
        ring_days(scen, plan.days),
    )
    rows = build_rows(scen, seeds)
    if client is None:
        return frames(rows, backends.in_process(rows, plan, on_step, progress), plan)
    return frames(rows, backends.on_dask(rows, plan, client, _positive_int("chunk_size", chunk_size), progress), plan)


def grid_size(grid: Mapping[str, Sequence[Any]]) -> int:
    """The number of points of ``grid``, checking its shape first: known names, each parameter
    once (plain and dotted names are the same parameter), a non-empty list of distinct values."""
    seen: dict[tuple[str, str], str] = {}
    points = 1
    for name in grid:
        where = resolve_name(name)
        if where in seen:
            raise DivaeconError(f"grid[{name!r}]: the same parameter as grid[{seen[where]!r}]; give each once")
        seen[where] = name
        values = grid[name]
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise DivaeconError(f"grid[{name!r}]: must be a list of values")
        values = list(values)
        if len(values) == 0:
            raise DivaeconError(f"grid[{name!r}] = []: give at least one value")
        try:
            distinct = len({(type(v), v) for v in values}) == len(values)
        except TypeError:
            raise DivaeconError(f"grid[{name!r}]: values must be numbers, booleans or text") from None
        if not distinct:
            raise DivaeconError(f"grid[{name!r}]: a value is given twice; give each once")
        points *= len(values)
    return points


def _extreme(base: Scenario, grid: Mapping[str, Sequence[Any]], field: str, pick: Any) -> Any:
    """The largest (``pick=max``) or smallest simulation ``field`` over the base and the grid's
    integer values for it: the conservative horizon and recording interval for the estimate."""
    values = [getattr(base.simulation, field)]
    for name, grid_values in grid.items():
        if resolve_name(name) == ("simulation", field):
            values += [v for v in grid_values if isinstance(v, int) and not isinstance(v, bool) and v >= 1]
    return pick(values)


def grid_points(base: Scenario, grid: Mapping[str, Sequence[Any]]) -> tuple[list[Scenario], pd.DataFrame]:
    """The cartesian product of ``grid`` applied to ``base``, validated; and its table of values.

    Names are plain or dotted (:func:`divaecon.params.resolve_name`); values are validated by
    :meth:`Scenario.override`, so a bad one raises a :class:`~divaecon.errors.ParameterError` naming it.
    """
    keys = list(grid)
    grid_size(grid)
    scenarios = []
    table = []
    for combo in product(*(list(grid[k]) for k in keys)):
        point = dict(zip(keys, combo, strict=True))
        label = ",".join(f"{k}={v}" for k, v in point.items())
        name = f"{base.name}[{label}]" if keys else base.name
        scenarios.append(base.override(**point, name=name))
        table.append(point)
    return scenarios, pd.DataFrame(table, columns=keys)


def sweep(
    base: Scenario,
    grid: Mapping[str, Sequence[Any]],
    seeds: int = 1,
    client: Any = None,
    chunk_size: int = 4096,
    days: int | None = None,
    record: Sequence[str] = DEFAULT_RECORD,
    record_every_days: int | None = None,
    rng: np.random.Generator | int | None = 0,
    progress: bool = False,
    max_memory: str | int | float | None = None,
) -> SimulationResult:
    """Simulate the cartesian product of ``grid`` over ``base`` × ``seeds`` Monte Carlo draws.

    Parameters
    ----------
    base : Scenario
    grid : dict
        ``{name: [values...]}``; names plain (``collateral_per_key_share_eth``) or dotted.
    seeds : int
        Draws per grid point.
    client : None, "local", str or dask.distributed.Client
        None runs in this process (default); "local" starts a 2-worker LocalCluster; a string is
        a scheduler address. Chunks of ``chunk_size`` rows (rounded up to a multiple of
        :data:`~divaecon.simulate.draws.RNG_BLOCK`) run as tasks; results equal the in-process run.
    days, record, record_every_days, rng, progress, max_memory
        As for :func:`simulate`; the size is checked before the grid's scenarios are built.
    """
    if not isinstance(base, Scenario):
        raise DivaeconError("base: must be a divaecon.params.Scenario")
    seeds = _positive_int("seeds", seeds, MAX_SEEDS)
    points = grid_size(grid)
    d = _positive_int("days", days if days is not None else _extreme(base, grid, "horizon_days", max), MAX_DAYS)
    e = _positive_int(
        "record_every_days",
        record_every_days if record_every_days is not None else _extreme(base, grid, "record_every_days", min),
    )
    check_size(points * seeds, points, d, e, len(check_record(record)), client, max_memory)  # before building
    scenarios, table = grid_points(base, grid)
    plan = _plan(scenarios, days, record, record_every_days, rng)
    check_size(
        points * seeds,
        points,
        plan.days,
        plan.every,
        len(plan.record),
        client,
        max_memory,
        ring_days(scenarios, plan.days),
    )
    rows = build_rows(scenarios, seeds)
    grid_table = table.loc[table.index.repeat(seeds)].reset_index(drop=True)
    if client is None:
        raw = backends.in_process(rows, plan, None, progress)
    else:
        raw = backends.on_dask(rows, plan, client, _positive_int("chunk_size", chunk_size), progress)
    return frames(rows, raw, plan, grid_table)
