"""The day loop: every row through the steps of :mod:`divaecon.simulate.steps`, day after day.

The loop over rows and days is compiled with numba (``parallel=True``: rows are shared among the
machine's cores; each row's arithmetic is the same whichever thread runs it). Without Monte Carlo
draws, one compiled call runs a block of days for every row, each row's records staying in cache.
With draws (or an ``on_step`` hook), the days run one at a time: the day's draws are made in numpy
from the rows' state (:class:`divaecon.simulate.draws.MonteCarlo`), then one compiled call runs
that day for every row. Compiled code is cached on disk (numba ``cache=True``): the first run on a
machine compiles for a while, later processes load it (:func:`warm_up` does this ahead of time).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

# numba's OpenMP threads spin between parallel calls unless told to sleep; with more busy
# processes than cores (a report batch's kernels, pytest workers) that spinning took a Monte Carlo
# run from 1.6 s to 16 s. A user's own setting is kept. Set before numba loads OpenMP (at the
# first parallel call).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from divaecon import ethereum, rules
from divaecon.simulate import metrics
from divaecon.simulate.draws import DayDraws, MonteCarlo
from divaecon.simulate.inputs import RowInputs
from divaecon.simulate.state import Accumulators, NetworkState
from divaecon.simulate.steps import day_inputs, run_day
from divaecon.units import DAYS_PER_YEAR

FloatArray = NDArray[np.float64]

RECORDABLE: Final[dict[str, str]] = {
    "buffer_eth": "unstaked ETH in the pool [ETH]",
    "pending_eth": "ETH in created validators waiting in the entry queue [ETH]",
    "active_validators": "active Diva validators, exiting ones included [validators]",
    "active_eth": "ETH staked in active validators [ETH]",
    "exiting_validators": "active validators asked to exit, in the exit queue [validators]",
    "withdrawing_eth": "exited stake on its way back to the pool [ETH]",
    "withdrawals_owed_eth": "ETH owed to stakers who asked to withdraw [ETH]",
    "queued_collateral_eth": "operator collateral waiting in the queue [divETH]",
    "assigned_collateral_eth": "collateral backing key shares [divETH]",
    "collateral_locked_eth": "queued + assigned collateral [divETH]",
    "diveth_supply": "divETH supply = buffer + pending + active + withdrawing − owed [divETH]",
    "staker_diveth": "divETH not locked as collateral [divETH]",
    "wdiveth_rate": "divETH per wdivETH (1 on day 0) [-]",
    "deposits_eth": "cumulative staker and collateral deposits [ETH]",
    "withdrawal_requests_eth": "cumulative divETH stakers asked to withdraw [ETH]",
    "withdrawn_eth": "cumulative withdrawals paid [ETH]",
    "rewards_eth": "cumulative rewards earned (before penalties) [ETH]",
    "staker_rewards_eth": "cumulative rewards to divETH holders [ETH]",
    "operator_rewards_eth": "cumulative operator fees, minted or paid out [ETH]",
    "treasury_rewards_eth": "cumulative treasury + insurance fees [ETH]",
    "paid_out_eth": "cumulative rewards that left the pool: treasury, and operators' if paid out [ETH]",
    "penalties_eth": "cumulative penalties incl. slashing [ETH]",
    "penalties_covered_eth": "cumulative penalties covered by collateral [ETH]",
    "staker_loss_eth": "cumulative penalties left to divETH holders [ETH]",
    "validators_created": "cumulative validators created [validators]",
    "exits_requested": "cumulative validators asked to exit [validators]",
    "ejected_validators": "cumulative validators whose operators were ejected [validators]",
    "activation_wait_days": "wait to activation of the last validators created [days]",
    "entry_queue_eth": "others' ETH in Ethereum's entry queue that day [ETH]",
    "total_staked_eth": "Ethereum's total stake that day [ETH]",
    "refused_deposits_eth": "cumulative staker deposits refused at the buffer's cap (never in the pool) [ETH]",
    "refused_today_eth": "staker deposits refused that day, the buffer being at its cap [ETH]",
    "cash_drag": "divETH holders' ETH not earning (buffer + pending + withdrawing − owed) / supply [-]",
    "burned_eth": "cumulative ETH burned by EIP-8363's issuance burn (gross rewards = rewards + burned) [ETH]",
}
"""Every variable a run can record (end-of-day values), with its unit; the order is the kernel's index."""

DEFAULT_RECORD: Final[tuple[str, ...]] = (
    "buffer_eth",
    "pending_eth",
    "active_validators",
    "queued_collateral_eth",
    "assigned_collateral_eth",
    "collateral_locked_eth",
    "diveth_supply",
    "wdiveth_rate",
    "staker_rewards_eth",
    "operator_rewards_eth",
    "treasury_rewards_eth",
    "penalties_covered_eth",
    "staker_loss_eth",
    "withdrawals_owed_eth",
    "activation_wait_days",
    "total_staked_eth",
)
"""What :func:`divaecon.simulate.simulate` records unless asked otherwise."""

_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(RECORDABLE)}

ROWS_PER_BLOCK: Final[int] = 32
"""Rows a thread runs day by day together (their records stay in the processor's cache)."""

DAYS_PER_CALL: Final[int] = 128
"""Days one compiled call runs when nothing is drawn (the progress bar moves between calls)."""

_jit = njit(cache=True, nogil=True, error_model="numpy")


@_jit
def recordable_value(k: int, s: Any, acc: Any, inp: Any, day: int) -> float:
    """Variable ``k`` of :data:`RECORDABLE` for one row at the end of day ``day``."""
    if k == 0:  # buffer_eth
        return s.buffer_eth
    if k == 1:  # pending_eth
        return s.pending_eth
    if k == 2:  # active_validators
        return s.active_validators
    if k == 3:  # active_eth
        return s.active_validators * inp.validator_stake_eth
    if k == 4:  # exiting_validators
        return s.exiting_validators
    if k == 5:  # withdrawing_eth
        return s.withdrawing_eth
    if k == 6:  # withdrawals_owed_eth
        return s.withdrawals_owed_eth
    if k == 7:  # queued_collateral_eth
        return s.queued_collateral_eth
    if k == 8:  # assigned_collateral_eth
        return s.assigned_collateral_eth
    if k == 9:  # collateral_locked_eth
        return s.queued_collateral_eth + s.assigned_collateral_eth
    if k == 10:  # diveth_supply
        return s.diveth_supply
    if k == 11:  # staker_diveth
        return s.diveth_supply - s.queued_collateral_eth - s.assigned_collateral_eth
    if k == 12:  # wdiveth_rate
        return s.wdiveth_rate
    if k == 13:  # deposits_eth
        return acc.deposits_eth
    if k == 14:  # withdrawal_requests_eth
        return acc.withdrawal_requests_eth
    if k == 15:  # withdrawn_eth
        return acc.withdrawn_eth
    if k == 16:  # rewards_eth
        return acc.rewards_eth
    if k == 17:  # staker_rewards_eth
        return acc.rewards_eth * inp.staker_share
    if k == 18:  # operator_rewards_eth
        return acc.rewards_eth * inp.operator_share
    if k == 19:  # treasury_rewards_eth
        return acc.rewards_eth * inp.treasury_share
    if k == 20:  # paid_out_eth
        paid_operators = acc.rewards_eth * inp.operator_share * (1.0 - inp.operator_rewards_minted)
        return acc.rewards_eth * inp.treasury_share + paid_operators
    if k == 21:  # penalties_eth
        return acc.penalties_covered_eth + acc.staker_loss_eth
    if k == 22:  # penalties_covered_eth
        return acc.penalties_covered_eth
    if k == 23:  # staker_loss_eth
        return acc.staker_loss_eth
    if k == 24:  # validators_created
        return acc.validators_created
    if k == 25:  # exits_requested
        return acc.exits_requested
    if k == 26:  # ejected_validators
        return acc.ejected_validators
    if k == 27:  # activation_wait_days
        return s.activation_wait_days
    if k == 28:  # entry_queue_eth
        return max(inp.entry_queue_eth + inp.entry_queue_change_eth_per_day * day, 0.0)
    if k == 29:  # total_staked_eth
        return s.ethereum_stake_today_eth
    if k == 30:  # refused_deposits_eth
        return acc.refused_deposits_eth
    if k == 31:  # refused_today_eth
        return s.refused_today_eth
    if k == 32:  # cash_drag
        idle = max(s.buffer_eth + s.pending_eth + s.withdrawing_eth - s.withdrawals_owed_eth, 0.0)
        return idle / s.diveth_supply if s.diveth_supply > 0.0 else 0.0
    # burned_eth
    return acc.burned_eth


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _run_block(  # pragma: no cover
    states: Any,
    accs: Any,
    values: Any,
    day_inputs: Any,
    paths: Any,
    rings: Any,
    bin_of_wait: Any,
    hists: Any,
    day0: int,
    day1: int,
    record_slot: Any,
    selected: Any,
    out: Any,
    lo: int,
    hi: int,
) -> None:
    """Days ``day0 … day1 − 1`` of rows ``lo … hi − 1``: each day runs every row before the next day,
    so the processor overlaps the rows' independent arithmetic (one row's days form a chain)."""
    for day in range(day0, day1):
        slot = record_slot[day]
        for i in range(lo, hi):
            s = states[i]
            acc = accs[i]
            inp = values[i]
            run_day(s, acc, inp, day_inputs[i], day, paths, rings, bin_of_wait, hists, i)
            if slot >= 0:
                for j in range(selected.shape[0]):
                    out[j, i, slot] = recordable_value(selected[j], s, acc, inp, day)


@njit(cache=True, nogil=True, error_model="numpy", parallel=True)
def _run_days(  # pragma: no cover
    states: Any,
    accs: Any,
    values: Any,
    day_inputs: Any,
    paths: Any,
    rings: Any,
    bin_of_wait: Any,
    hists: Any,
    day0: int,
    day1: int,
    record_slot: Any,
    selected: Any,
    out: Any,
) -> None:
    """Days ``day0 … day1 − 1`` of every row, blocks of :data:`ROWS_PER_BLOCK` rows shared among threads."""
    n = states.shape[0]
    for block in prange((n + ROWS_PER_BLOCK - 1) // ROWS_PER_BLOCK):
        lo = block * ROWS_PER_BLOCK
        _run_block(
            states,
            accs,
            values,
            day_inputs,
            paths,
            rings,
            bin_of_wait,
            hists,
            day0,
            day1,
            record_slot,
            selected,
            out,
            lo,
            min(lo + ROWS_PER_BLOCK, n),
        )


@njit(cache=True, nogil=True, error_model="numpy")
def _run_days_serial(  # pragma: no cover
    states: Any,
    accs: Any,
    values: Any,
    day_inputs: Any,
    paths: Any,
    rings: Any,
    bin_of_wait: Any,
    hists: Any,
    day0: int,
    day1: int,
    record_slot: Any,
    selected: Any,
    out: Any,
) -> None:
    """:func:`_run_days` in this thread only, for calls too small to pay for waking the others."""
    _run_block(
        states,
        accs,
        values,
        day_inputs,
        paths,
        rings,
        bin_of_wait,
        hists,
        day0,
        day1,
        record_slot,
        selected,
        out,
        0,
        states.shape[0],
    )


@njit(cache=True, nogil=True, error_model="numpy")
def _all_recordables(states: Any, accs: Any, values: Any, day: int, out: Any) -> None:  # pragma: no cover
    """Every variable of :data:`RECORDABLE` for every row: ``out[k, row]``."""
    for i in range(states.shape[0]):
        for k in range(out.shape[0]):
            out[k, i] = recordable_value(k, states[i], accs[i], values[i], day)


def _key_cache_on_steps(*dispatchers: Any) -> None:
    """Make numba's on-disk cache of ``dispatchers`` depend on the sources of the steps they call.

    numba keys a cached function on its own bytecode and its own file only; the day loop here
    inlines :mod:`divaecon.simulate.steps` (another file), so an edited step would otherwise run
    from a stale cache. The sources' digest is added to each dispatcher's cache key.
    """
    import hashlib

    from divaecon.simulate import inputs, state, steps

    digest = hashlib.sha256()
    for module in (steps, state, inputs):
        digest.update(Path(str(module.__file__)).read_bytes())
    for dispatcher in dispatchers:
        # the options too: numba's key leaves out ``parallel``, so two dispatchers of one
        # function would share a cache entry
        tag = digest.hexdigest() + repr(sorted(dispatcher.targetoptions.items()))
        cache = getattr(dispatcher, "_cache", None)
        original = getattr(cache, "_index_key", None)
        if cache is None or original is None:  # pragma: no cover - numba without an on-disk cache
            continue

        def keyed(sig: Any, codegen: Any, original: Any = original, tag: str = tag) -> Any:
            return (*original(sig, codegen), tag)

        cache._index_key = keyed


PARALLEL_MIN_ROW_DAYS: Final[int] = 50_000
"""A call runs its rows on every core only when it has at least this many row-days of work and two
blocks of rows; below that, waking threads costs more than they save."""

_key_cache_on_steps(_run_days, _run_days_serial, _all_recordables)


def record_days(days: int, every: int) -> NDArray[np.int64]:
    """Recorded days: ``0, every, 2 · every, …`` and the last day."""
    out = np.arange(0, days, every, dtype=np.int64)
    if out[-1] != days - 1:
        out = np.append(out, days - 1)
    return out


@dataclass(frozen=True)
class RunPlan:
    """What a run computes: its horizon, what it records and the root of its random streams."""

    days: int
    record: tuple[str, ...]
    every: int
    root: np.random.SeedSequence


@dataclass
class RawOutput:
    """A run's output before it becomes tables: ``recorded[var]`` is ``(rows, recorded days)``."""

    recorded: dict[str, FloatArray]
    summary: dict[str, FloatArray]


StepHook = Callable[[int, Mapping[str, Any]], None]


MAX_PATH_TABLE_ENTRIES: Final[int] = 4_000_000
"""Largest table of Ethereum stake paths (paths × days); beyond it each row computes its own."""


def stake_paths(values: np.ndarray, days: int) -> tuple[NDArray[np.int64], FloatArray]:
    """Ethereum's stake path of each row and what depends on it, computed once per distinct path.

    A path is a distinct start, growth, slot time, churn rule and rule set (:data:`_PATH_KEYS`).
    Returns ``(path_of_row, paths)`` with ``paths[path, day]`` = (``S_t``, ``S_0 / S_t``,
    ``b(S_t) / b(S_0)`` × the rules' reward scale, entry days per ETH, exit days per ETH, burn
    fraction, execution share), the columns :data:`~divaecon.simulate.steps.TOTAL` …
    ``EXECUTION_SHARE``: ``S_t = S_0 + growth · t``, ``b`` the spec's floored base reward per
    increment (:func:`divaecon.ethereum.base_reward_per_increment`), a queue's days per ETH
    ``1 / (churn limit · epochs a day)`` (:func:`divaecon.ethereum.churn_limit_eth`), the rules'
    factors of the day (:func:`divaecon.rules.reward_factors_of`; 1, 0, 1 under today's rules,
    not computed then).
    When the table would exceed :data:`MAX_PATH_TABLE_ENTRIES`, every row gets −1 and computes its
    own (:mod:`divaecon.simulate.steps`).
    """
    keys = np.stack([values[name] for name in _PATH_KEYS], axis=1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    if len(uniq) * days > MAX_PATH_TABLE_ENTRIES:
        return np.full(len(values), -1, dtype=np.int64), np.zeros((1, 1, 7))
    k = {name: uniq[:, i : i + 1] for i, name in enumerate(_PATH_KEYS)}
    t = np.arange(days, dtype=float)
    start, growth, epochs = k["ethereum_stake_eth"], k["ethereum_stake_growth_eth_per_day"], k["epochs_per_day"]
    total = growth * t + start
    ratio = start / total
    scale = np.asarray(ethereum.base_reward_per_increment(total), dtype=float) / np.asarray(
        ethereum.base_reward_per_increment(start), dtype=float
    )
    churn = np.vectorize(ethereum.churn_limit_eth, otypes=[float])
    entry = 1.0 / (churn(total, k["entry_churn_quotient"], k["entry_churn_cap_eth"], k["churn_min_eth"]) * epochs)
    leave = 1.0 / (churn(total, k["exit_churn_quotient"], k["exit_churn_cap_eth"], k["churn_min_eth"]) * epochs)
    burn = np.zeros_like(total)
    share = np.ones_like(total)
    factors = np.vectorize(rules.reward_factors_of, otypes=[float, float, float])
    for i in range(len(uniq)):  # the rules' factors, only for paths whose rules are not today's
        c = {name: float(col[i, 0]) for name, col in k.items()}
        today = c["rules_curve"] == 0 and c["execution_share_after_fork"] == 1.0 and c["reward_num"] == c["reward_den"]
        if today and c["slot_base_reward_factor"] == ethereum.BASE_REWARD_FACTOR and c["epochs_per_day"] == 225.0:
            continue
        f_scale, burn[i], share[i] = factors(
            total[i], t, int(c["rules_curve"]), c["rules_fork_day"], c["epochs_per_day"],
            int(c["slot_base_reward_factor"]), int(c["reward_num"]), int(c["reward_den"]),
            c["tempering_k_eth"], c["cap_stake_eth"], c["execution_share_after_fork"],
        )  # fmt: skip
        scale[i] = scale[i] * f_scale
    paths = np.stack([total, ratio, scale, entry, leave, burn, share], axis=2)
    return inverse.reshape(-1).astype(np.int64), np.ascontiguousarray(paths)


_PATH_KEYS: Final[tuple[str, ...]] = (
    "ethereum_stake_eth",
    "ethereum_stake_growth_eth_per_day",
    "epochs_per_day",
    "exit_churn_quotient",
    "exit_churn_cap_eth",
    "entry_churn_quotient",
    "entry_churn_cap_eth",
    "churn_min_eth",
    "rules_curve",
    "rules_fork_day",
    "slot_base_reward_factor",
    "reward_num",
    "reward_den",
    "tempering_k_eth",
    "cap_stake_eth",
    "execution_share_after_fork",
)
"""What makes a stake path distinct: the stake's start and growth, the churn's and the rules' constants."""


def ring_length(values: np.ndarray, days: int) -> int:
    """Days a row's rings must span: a power of two above the longest wait a run can produce [days].

    The longest entry wait is bounded by (the others' longest queue + the whole pool) / the smallest
    churn a day, twice with two deposits, plus processing; exits and slashings likewise. The pool is
    bounded by what can arrive — initial ETH, constant deposits and collateral over the horizon, the
    logistic target — grown at twice the row's ideal reward rate. Waits longer than the horizon
    cannot complete within it, so the horizon caps the length.
    """
    if len(values) == 0:
        return 1
    v = values
    years = days / DAYS_PER_YEAR
    rate = 2.0 * (
        v["attestation_sync_apr_at_zero"]
        + v["attestation_sync_apr_per_availability"]
        + v["proposer_apr_at_zero"]
        + v["proposer_apr_per_availability"]
        + v["execution_apr_at_zero"]
        + v["execution_apr_per_availability"]
    )
    growth_target = np.where(v["growth_rate_per_day"] > 0, 1.0 / v["one_over_target_staker_eth"], 0.0)
    pool = (
        np.maximum(v["initial_staker_eth"], growth_target)
        + v["initial_collateral_eth"]
        + days * (v["staker_deposit_eth_per_day"] + v["collateral_deposit_eth_per_day"])
    )
    pool = pool * np.exp(np.minimum(rate * years, 50.0))
    last_stake = v["ethereum_stake_eth"] + v["ethereum_stake_growth_eth_per_day"] * days
    lowest_stake = np.maximum(np.minimum(v["ethereum_stake_eth"], last_stake), 1.0)
    smallest_churn = np.array(
        [
            ethereum.churn_limit_eth(x, q, c, m)
            for x, q, c, m in zip(
                lowest_stake, v["entry_churn_quotient"], v["entry_churn_cap_eth"], v["churn_min_eth"], strict=True
            )
        ]
    )
    smallest_churn = smallest_churn * v["epochs_per_day"]
    smallest_exit = np.array(
        [
            ethereum.churn_limit_eth(x, q, c, m)
            for x, q, c, m in zip(
                lowest_stake, v["exit_churn_quotient"], v["exit_churn_cap_eth"], v["churn_min_eth"], strict=True
            )
        ]
    )
    smallest_exit = smallest_exit * v["epochs_per_day"]

    def longest_queue(q0: np.ndarray, change: np.ndarray) -> np.ndarray:
        return np.maximum(q0, q0 + change * days)

    entry = (longest_queue(v["entry_queue_eth"], v["entry_queue_change_eth_per_day"]) + pool) / smallest_churn
    entry = entry * (1.0 + v["two_step_deposit"]) + v["activation_delay_days"]
    leave = (longest_queue(v["exit_queue_eth"], v["exit_queue_change_eth_per_day"]) + pool) / smallest_exit
    longest = np.max(np.maximum.reduce([entry, leave, v["exit_to_arrival_days"], v["slashed_to_arrival_days"]]))
    span = int(min(max(longest, 1.0), days)) + 2
    return 1 << span.bit_length()


def initial_state(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The records at the start of day 0: initial staker ETH and collateral have arrived."""
    n = len(values)
    states = NetworkState.zeros(n)
    accs = Accumulators.zeros(n)
    q0 = values["initial_collateral_eth"]
    states["buffer_eth"] = values["initial_staker_eth"] + q0
    states["queued_collateral_eth"] = q0
    states["diveth_supply"] = states["buffer_eth"]
    states["wdiveth_rate"] = 1.0
    accs["deposits_eth"] = states["buffer_eth"]
    accs["peak_collateral_locked_eth"] = q0
    accs["queued_growth"] = 1.0
    accs["assigned_growth"] = 1.0
    return states, accs


def run(rows: RowInputs, plan: RunPlan, on_step: StepHook | None = None, progress: bool = False) -> RawOutput:
    """Run every row of ``rows`` for ``plan.days`` days in this process.

    ``on_step(day, state)`` (tests: conservation, the scalar reference) receives after every day
    each variable of :data:`RECORDABLE` plus the day's flows and draws, one array element per row.
    """
    n, days = rows.n, plan.days
    values = rows.values
    states, accs = initial_state(values)
    rings = np.zeros((3, ring_length(values, days), n))
    bin_of_wait, edges = metrics.wait_bin_table(days)
    hists = np.zeros((n, len(edges)))
    rec_days = record_days(days, plan.every)
    record_slot = np.full(days, -1, dtype=np.int64)
    record_slot[rec_days] = np.arange(len(rec_days))
    selected = np.array([_INDEX[v] for v in plan.record], dtype=np.int64)
    out = np.empty((len(selected), n, len(rec_days)))
    mc = MonteCarlo(values, rows.first_row, plan.root)
    stepwise = mc.active or on_step is not None
    path_of_row, paths = stake_paths(values, days)
    values = values.copy()
    values["stake_path"] = path_of_row

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=days, unit="day", desc=f"simulate {n:,} rows", leave=False)

    def call(day0: int, day1: int, d: DayDraws) -> None:
        parallel = n >= 2 * ROWS_PER_BLOCK and n * (day1 - day0) >= PARALLEL_MIN_ROW_DAYS
        kernel = _run_days if parallel else _run_days_serial
        inputs = day_inputs(values, d.availability, d.luck, d.slashed, d.slashing_penalty_each_eth)
        kernel(states, accs, values, inputs, paths, rings, bin_of_wait, hists, day0, day1, record_slot, selected, out)

    if not stepwise:
        for day0 in range(0, days, DAYS_PER_CALL):
            day1 = min(day0 + DAYS_PER_CALL, days)
            call(day0, day1, mc.expected)
            if bar is not None:
                bar.update(day1 - day0)
    else:
        everything = np.empty((len(RECORDABLE), n))
        for day in range(days):
            d = mc.draw(day, states["active_validators"].copy())
            call(day, day + 1, d)
            if on_step is not None:
                _all_recordables(states, accs, values, day, everything)
                state = {name: everything[k].copy() for name, k in _INDEX.items()}
                state.update(
                    {
                        "draws": d.drawn,
                        "rewards_today": states["rewards_today_eth"].copy(),
                        "staker_rewards_today": states["staker_rewards_today_eth"].copy(),
                        "penalties_today": states["penalties_today_eth"].copy(),
                        "covered_today": states["covered_today_eth"].copy(),
                        "loss_today": states["staker_loss_today_eth"].copy(),
                        "retained_rewards_today": states["retained_rewards_today_eth"].copy(),
                        "validators_created_today": states["created_today"].copy(),
                        "deposits_today": states["deposits_today_eth"].copy(),
                        "withdrawn_today": states["withdrawn_today_eth"].copy(),
                    }
                )
                on_step(day, state)
            if bar is not None and (day % 64 == 63 or day == days - 1):
                bar.update(day + 1 - bar.n)
    if bar is not None:
        bar.close()
    recorded = {var: out[j] for j, var in enumerate(plan.record)}
    return RawOutput(recorded, metrics.summary(states, accs, values, hists, edges, days))


def check_record(record: Sequence[str]) -> tuple[str, ...]:
    """The variables asked for, without repeats; an unknown one is a :class:`~divaecon.errors.DivaeconError`."""
    from divaecon.errors import DivaeconError

    if isinstance(record, str):
        record = [record]
    rec = tuple(dict.fromkeys(record))
    bad = [r for r in rec if r not in RECORDABLE]
    if bad:
        shown = repr(bad[0]) if len(repr(bad[0])) <= 60 else repr(bad[0])[:57] + "..."
        raise DivaeconError(f"record = {shown}: unknown variable; allowed: {', '.join(RECORDABLE)}")
    return rec


def warm_up() -> None:
    """Compile (or load from numba's cache) both day loops — the parallel one and the one-thread
    one — and the Monte Carlo path, on tiny runs: ``make setup`` calls it so no first report,
    notebook or test pays for compiling."""
    from divaecon.params import Scenario
    from divaecon.simulate.draws import root_seed_sequence
    from divaecon.simulate.inputs import build_rows

    root = root_seed_sequence(0)
    many = -(-PARALLEL_MIN_ROW_DAYS // DAYS_PER_CALL)  # rows enough for a parallel call
    run(build_rows([Scenario()], max(many, 2 * ROWS_PER_BLOCK)), RunPlan(DAYS_PER_CALL, ("buffer_eth",), 1, root))
    run(build_rows([Scenario()], 1), RunPlan(3, ("buffer_eth",), 1, root))
    run(build_rows([Scenario().override(proposer_luck=True)], 1), RunPlan(2, ("buffer_eth",), 1, root))
