"""Daily simulation of a Diva network, vectorised over scenarios and Monte Carlo draws.

One Python loop runs over days; every step is a handful of numpy operations over all
scenario rows at once (STYLE.md §5). A *row* is one scenario × one Monte Carlo seed. Large runs
(:data:`PARALLEL_MIN_ROW_DAYS`) split their rows in two at a multiple of :data:`RNG_BLOCK` and
run the halves in two processes (fork), with the same results bit for bit.
:mod:`divaecon.simulate_reference` is the same model written plainly for one scenario; the
tests check the two agree to 1e-9 relative.

The model (all amounts in ETH; divETH is 1:1 with the pool's ETH)
----------------------------------------------------------------
Day ``t`` (0-based) runs, in order:

1. **Rewards** on the validators active at the start of the day: ``R = V · stake · r_t / 365.25``
   where ``r_t`` is the *positive* reward rate of a validator whose uptime is the DV's
   availability ``α`` (:func:`divaecon.ethereum.consensus_apr` + the offline penalty added
   back + :func:`divaecon.ethereum.execution_apr`), at the day's Ethereum stake
   ``total_staked_eth + ethereum_stake_growth_eth_per_day · t``. **Penalties**
   ``P = V · stake · offline_penalty_apr · (1 − α) / 365.25`` (so ``R − P`` is exactly
   :func:`divaecon.ethereum.gross_apr`). Optional Monte Carlo: proposer luck (Poisson block
   proposals), whole-day operator outages (binomial), slashings (Poisson; Electra penalty of
   :func:`divaecon.ethereum.slashing_penalty_eth`).
2. **Fee split** (:func:`divaecon.protocol.fee_split`): operators and treasury (+ insurance)
   are paid out of the pool; the stakers' part stays in it and rebases divETH.
3. **Penalties are covered by assigned collateral** (MODEL.md §1), network-wide; what the
   collateral cannot cover is a loss to divETH holders (``staker_loss_eth``). A slashing is
   covered by the colluding ``threshold`` shares' collateral.
4. **Rebase**: every divETH (stakers', free operator divETH and locked collateral) earns
   ``g = (stakers' rewards − staker loss) / divETH supply``; the wdivETH rate is ``∏ (1 + g)``.
   Locked collateral is a nominal amount (the protocol locks ``collateral_per_key_share_eth``
   per key share); its rebase accrues to the operator's free divETH, which is how "queued
   collateral earns the staker rate" (Diva docs ``21-economics.md``).
5. **Flows**: staker deposits (constant, or logistic growth ``g · S · (1 − S/K)`` towards
   ``target_staker_eth``), operator collateral (minted divETH, queued; its ETH joins the
   buffer), withdrawals ``w · S / 365.25`` paid from the buffer; validators exit (whole ones,
   their collateral is released) if the buffer cannot pay.
6. **Validator creation** (Diva's rule): ``n = floor(min(buffer / stake, queued / (16 · c)))``;
   the queue is first in, first out. Created validators activate ``activation_delay_days`` later.

Units are conserved exactly: at every step ``deposits + rewards = buffer + pending + active +
withdrawn (staker withdrawals, operator and treasury fees) + penalties`` to rounding (tested).

Recorded variables (``SimulationResult.timeseries`` columns)
------------------------------------------------------------
``scenario`` (name; grid points of a sweep get ``name[field=value,...]``), ``seed`` (0-based
Monte Carlo draw), ``day`` (0-based; state at the end of that day, days ``0, k, 2k, ...`` and the
last day), then the variables asked for — any of :data:`RECORDABLE`:

``buffer_eth`` unstaked ETH · ``pending_eth`` ETH in created, not yet active validators ·
``active_validators`` · ``active_eth`` · ``queued_collateral_eth`` · ``assigned_collateral_eth`` ·
``collateral_locked_eth`` (queued + assigned) · ``diveth_supply`` (= buffer + pending + active) ·
``staker_diveth`` (supply − locked collateral) · ``wdiveth_rate`` (divETH per wdivETH, 1 on day 0)
· cumulative ``deposits_eth``, ``withdrawn_eth`` (staker withdrawals only), ``rewards_eth``
(earned), ``staker_rewards_eth``, ``operator_rewards_eth``, ``treasury_rewards_eth`` (treasury +
insurance), ``penalties_eth``, ``penalties_covered_eth``, ``staker_loss_eth``,
``validators_created`` · ``total_staked_eth`` (Ethereum's stake that day) · ``cash_drag``
((buffer + pending) / supply that day).

For P5–P95 bands: ``res.timeseries.groupby(["scenario", "day"])[var].quantile([0.05, 0.95])``.

Summary (``SimulationResult.summary``, one row per scenario × seed)
-------------------------------------------------------------------
``scenario``, ``seed``, ``days``, grid columns (sweeps), ``staker_apy`` (wdivETH rate,
annualised over the horizon), ``operator_apy_queued`` / ``operator_apy_assigned`` (*time-weighted*
returns, like a fund's TWR: one divETH of collateral compounded over the days it is queued /
assigned, annualised over those days — see below), ``queue_wait_mean_days``
(exact, over collateral served, first in first out), ``queue_wait_p95_days`` (amount-weighted;
exact to the day up to 127 days, then within 3 %, rounded up), ``peak_collateral_locked_eth``,
``cash_drag`` (time-averaged (buffer + pending) / divETH supply), ``final_active_validators``,
``final_diveth_supply``, ``wdiveth_rate``.

Operator APYs are time-weighted so that they do not depend on *how much* collateral was queued
or assigned on which day (an amount-weighted average would weigh queued collateral early and
assigned collateral late, when Ethereum's stake and the cash drag differ, and could show assigned
below queued). With ``g_t`` the divETH rebase of day ``t``:

* ``operator_apy_queued = exp(Σ log1p(g_t) · 365.25 / n_q) − 1`` over the ``n_q`` days with
  queued collateral at the start of the day (``q > 0``): what one divETH of queued collateral
  earns. Equal to ``staker_apy`` when collateral is queued every day.
* ``operator_apy_assigned``: the same with the daily return of one divETH of assigned collateral,
  ``g_t + (operator fees_t − penalties covered_t) / assigned_t``, over the days with assigned
  collateral at the start of the day (the collateral that earned that day). A day that wipes out
  the collateral counts as a return of −100 %.

NaN when there is no such day. The engine compounds ``∏ (1 + return)`` (the same number as the
log sum, to rounding); the scalar reference sums the logs.

References
----------
MODEL.md §1 (Diva: buffer, 32 ETH and 16 key shares, FIFO queue, fees, collateral covers
penalties) and §2 (rewards); Diva docs ``docs/21-economics.md``, ``docs/40-staking-rewards.md``.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from itertools import product
from operator import attrgetter
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from divaecon import dvt, ethereum, protocol
from divaecon.errors import DivaeconError, ParameterError
from divaecon.params import Scenario, resolve_name
from divaecon.units import DAYS_PER_YEAR, SLOTS_PER_YEAR, apr_to_apy

FloatArray = NDArray[np.float64]

RECORDABLE: Final[dict[str, str]] = {
    "buffer_eth": "unstaked ETH in the pool [ETH]",
    "pending_eth": "ETH in created validators not yet active [ETH]",
    "active_validators": "active Diva validators [validators]",
    "active_eth": "ETH staked in active validators [ETH]",
    "queued_collateral_eth": "operator collateral waiting in the queue [divETH]",
    "assigned_collateral_eth": "collateral backing key shares [divETH]",
    "collateral_locked_eth": "queued + assigned collateral [divETH]",
    "diveth_supply": "divETH supply = buffer + pending + active [divETH]",
    "staker_diveth": "divETH not locked as collateral [divETH]",
    "wdiveth_rate": "divETH per wdivETH (1 on day 0) [-]",
    "deposits_eth": "cumulative staker and collateral deposits [ETH]",
    "withdrawn_eth": "cumulative staker withdrawals [ETH]",
    "rewards_eth": "cumulative rewards earned (before penalties) [ETH]",
    "staker_rewards_eth": "cumulative rewards to divETH holders [ETH]",
    "operator_rewards_eth": "cumulative operator fees [ETH]",
    "treasury_rewards_eth": "cumulative treasury + insurance fees [ETH]",
    "penalties_eth": "cumulative penalties incl. slashing [ETH]",
    "penalties_covered_eth": "cumulative penalties covered by collateral [ETH]",
    "staker_loss_eth": "cumulative penalties left to divETH holders [ETH]",
    "validators_created": "cumulative validators created [validators]",
    "total_staked_eth": "Ethereum's total stake that day [ETH]",
    "cash_drag": "(buffer + pending) / divETH supply that day [-]",
}
"""Every variable :func:`simulate` can record, with its unit."""

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
    "total_staked_eth",
)

RNG_BLOCK: Final[int] = 256
"""Rows per random stream: row ``i`` draws from stream ``i // RNG_BLOCK`` (chunks align to it)."""

WAIT_BATCH_DAYS: Final[int] = 7
"""Days of validator creations counted at one wait in the P95 queue-wait histogram."""

RECORD_BLOCK: Final[int] = 8
"""Recorded days kept as (day, row) before they are moved to the (row, day) output in one pass."""

RATE_BLOCK_DAYS: Final[int] = 64
"""Days of Ethereum's stake path (total, its ratio to the start and square root) computed at once."""

AVAILABILITY_GRID: Final[int] = 8193
"""Points of the uptime → availability table used under Monte Carlo outages."""

_TINY: Final[float] = 1e-300


def wait_bin_edges(max_days: int) -> NDArray[np.int64]:
    """Lower edges of the queue-wait histogram bins [days]: 1-day bins to 127, then +3 %."""
    edges = list(range(128))
    while edges[-1] <= max_days:
        edges.append(max(edges[-1] + 1, math.ceil(edges[-1] * 1.03)))
    return np.asarray(edges, dtype=np.int64)


def wait_bin_table(max_days: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """``(bin_of_wait, edges)``: bin index of each integer wait 0..max_days, and the edges."""
    edges = wait_bin_edges(max_days)
    table = np.searchsorted(edges, np.arange(max_days + 1), side="right") - 1
    return table.astype(np.int64), edges


def p95_from_histogram(hist: FloatArray, edges: NDArray[np.int64]) -> FloatArray:
    """Amount-weighted 95th percentile wait [days] from histograms ``hist[row, bin]``.

    The percentile's bin is found exactly; the value is that bin's largest integer wait
    (exact for 1-day bins, at most 3 % high beyond 127 days). NaN where nothing was served.
    """
    total = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    with np.errstate(invalid="ignore"):
        idx = np.argmax(cum >= 0.95 * total[:, None] * (1.0 - 1e-12), axis=1)
    upper = np.append(edges[1:] - 1, edges[-1]).astype(float)
    return np.where(total > 0, upper[idx], np.nan)


MIN_QUEUE_FLOW_ETH_PER_DAY: Final[float] = 1e-9
"""Collateral flows below this count as zero when dating queue arrivals [divETH/day]."""


def inverse_flow(e: Any) -> Any:
    """``1/e`` for the FIFO arrival-day formula, 0 where the flow is below the minimum [day/divETH]."""
    e = np.asarray(e, dtype=float)
    big = e > MIN_QUEUE_FLOW_ETH_PER_DAY
    out = np.where(big, 1.0 / np.where(big, e, 1.0), 0.0)
    return out[()] if out.ndim == 0 else out


def arrival_integral(x: FloatArray, q0: FloatArray, e: FloatArray, inv_e: FloatArray) -> FloatArray:
    """``∫₀ˣ a(y) dy``: the arrival day ``a`` of queue position ``y`` integrated [divETH·day].

    Collateral ``q0 + e`` arrives on day 0 and ``e`` on each later day, so position ``y``
    arrived on day ``max(ceil((y − q0)/e) − 1, 0)``. With ``z = (x − q0)/e`` and ``n = floor z``
    the integral is ``e · (n (n − 1)/2 + n (z − n))`` for ``z > 1``, else 0 (by summing the
    steps). Used for the exact FIFO mean wait: ``Σ_t t · served_t − ∫₀^{served} a``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        z = (x - q0) * inv_e
        n = np.floor(z)
        out = e * (n * (n - 1.0) / 2.0 + n * (z - n))
    return np.where(z > 1.0, out, 0.0)


# --------------------------------------------------------------------------------------------
# Inputs: one array per parameter, one element per row
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowInputs:
    """Per-row constants of a run, derived from the scenarios by package functions only."""

    names: list[str]
    seeds: NDArray[np.int64]
    scenario_index: NDArray[np.int64]
    stake: FloatArray  # ETH per validator
    kc: FloatArray  # collateral per validator [divETH]
    k: FloatArray  # key shares per validator
    thr: FloatArray  # threshold
    f_stakers: FloatArray  # fee_split fractions
    f_operators: FloatArray
    f_treasury: FloatArray  # treasury + insurance
    dep_const: FloatArray  # ETH/day ('constant' mode, else 0)
    growth_daily: FloatArray  # 1/day ('growth' mode, else 0)
    inv_target: FloatArray  # 1/ETH
    withdraw_daily: FloatArray  # 1/day
    initial_staker: FloatArray
    q0: FloatArray  # initial collateral
    e: FloatArray  # collateral per day
    total0: FloatArray
    total_growth: FloatArray  # ETH/day
    delay: NDArray[np.int64]
    availability: FloatArray
    uptime: FloatArray
    correlation: FloatArray
    participation: FloatArray
    el_per_block: FloatArray
    # reward-rate coefficients at total0, per ETH per year, as (value at α = 0, slope in α)
    att0: FloatArray
    att1: FloatArray
    prop0: FloatArray
    prop1: FloatArray
    el0: FloatArray
    el1: FloatArray
    pen0: FloatArray
    pen1: FloatArray
    outage_daily: FloatArray  # probability per key share per day
    slash_daily: FloatArray  # per validator per day
    luck: NDArray[np.bool_]

    @property
    def n(self) -> int:
        return len(self.names)


def _linear_in_alpha(f: Callable[[Any], Any]) -> tuple[FloatArray, FloatArray]:
    """``(f(0), f(1) − f(0))`` of a function linear in availability ``α``."""
    at0 = np.asarray(f(0.0), dtype=float)
    at1 = np.asarray(f(1.0), dtype=float)
    return at0, at1 - at0


def reward_coefficients(
    total: Any, el_per_block: Any, participation: Any
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Reward and penalty rates per ETH per year at Ethereum stake ``total``, linear in ``α``.

    Keys ``att`` (consensus rewards other than proposing, before penalties), ``prop``
    (consensus proposer rewards), ``el`` (execution rewards), ``pen`` (offline penalties), each
    ``(value at α = 0, slope)``. ``att + prop + el − pen`` is :func:`divaecon.ethereum.gross_apr`
    at uptime ``α``. Consensus parts and ``pen`` scale as ``1/sqrt(total)``, ``el`` as
    ``1/total`` (:func:`divaecon.ethereum.base_reward_per_increment`,
    :func:`divaecon.ethereum.execution_apr`).

    References
    ----------
    :func:`divaecon.ethereum.consensus_apr`, :func:`divaecon.ethereum.offline_penalty_apr`,
    :func:`divaecon.ethereum.ideal_reward_split_eth_per_year` (proposer part 8/64).
    """
    pen_full = np.asarray(ethereum.offline_penalty_apr(total), dtype=float)
    prop_ideal = np.asarray(
        ethereum.ideal_reward_split_eth_per_year(total, 1.0)["proposer"], dtype=float
    )
    p = np.asarray(participation, dtype=float)

    def prop(a: Any) -> Any:
        return prop_ideal * a * p

    def att(a: Any) -> Any:
        cl = np.asarray(ethereum.consensus_apr(total, a, participation), dtype=float)
        return cl + pen_full * (1.0 - a) - prop(a)

    return {
        "att": _linear_in_alpha(att),
        "prop": _linear_in_alpha(prop),
        "el": _linear_in_alpha(lambda a: ethereum.execution_apr(el_per_block, total, a)),
        "pen": _linear_in_alpha(lambda a: pen_full * (1.0 - a)),
    }


_ROW_FIELDS: Final[tuple[str, ...]] = (
    "diva.key_shares_per_validator", "diva.threshold", "diva.collateral_per_key_share_eth",
    "diva.operator_uptime", "diva.failure_correlation", "diva.operator_fee", "diva.treasury_fee",
    "diva.insurance_fee", "diva.validator_stake_eth", "ethereum.total_staked_eth",
    "ethereum.el_reward_per_block_eth", "ethereum.network_participation",
    "simulation.staker_deposit_eth_per_day", "simulation.growth_rate_per_year", "simulation.target_staker_eth",
    "simulation.withdrawal_rate_per_year", "simulation.initial_staker_eth", "simulation.initial_collateral_eth",
    "simulation.collateral_deposit_eth_per_day", "simulation.ethereum_stake_growth_eth_per_day",
    "simulation.activation_delay_days", "simulation.outage_rate_per_operator_per_year",
    "simulation.slashing_rate_per_validator_per_year", "simulation.proposer_luck",
)
"""The numeric scenario fields the engine reads (ints and bools are exact as float64)."""


def scenario_table(scenarios: Sequence[Scenario]) -> dict[str, FloatArray]:
    """``{field: value per scenario}`` for :data:`_ROW_FIELDS`, read in one pass (field names without section)."""
    get = attrgetter(*_ROW_FIELDS)
    table = np.array([get(s) for s in scenarios], dtype=float).reshape(len(scenarios), len(_ROW_FIELDS))
    return {name.partition(".")[2]: table[:, i] for i, name in enumerate(_ROW_FIELDS)}


def build_rows(
    scenarios: Sequence[Scenario], seeds_per: Sequence[int] | int, names: Sequence[str] | None = None
) -> RowInputs:
    """Row inputs for ``scenarios`` (each repeated for its seeds), scenario-major."""
    if isinstance(seeds_per, int):
        seeds_per = [seeds_per] * len(scenarios)
    counts = np.asarray(seeds_per, dtype=np.int64).reshape(-1)
    idx = np.repeat(np.arange(len(scenarios), dtype=np.int64), counts)
    first_row = np.cumsum(counts) - counts  # of each scenario
    seeds = np.arange(len(idx), dtype=np.int64) - np.repeat(first_row, counts)
    nm = list(names) if names is not None else [s.name for s in scenarios]
    per_scenario = scenario_table(scenarios)

    def col(name: str) -> FloatArray:
        return per_scenario[name][idx]

    k = col("key_shares_per_validator")
    thr = col("threshold")
    c = col("collateral_per_key_share_eth")
    uptime = col("operator_uptime")
    rho = col("failure_correlation")
    # availability per distinct (key shares, threshold, uptime, correlation), then per row
    keys = list(zip(*(per_scenario[f].tolist() for f in (
        "key_shares_per_validator", "threshold", "operator_uptime", "failure_correlation")), strict=True))
    uniq = list(dict.fromkeys(keys))
    cols = list(zip(*uniq, strict=True))
    avail_u = np.asarray(
        dvt.availability(np.asarray(cols[0], dtype=np.int64), np.asarray(cols[1], dtype=np.int64),
                         np.asarray(cols[2], dtype=float), np.asarray(cols[3], dtype=float)),
        dtype=float,
    ).reshape(-1)
    where = {key: i for i, key in enumerate(uniq)}
    avail_s = avail_u[[where[key] for key in keys]]
    avail = avail_s[idx] if len(scenarios) else np.zeros(0)
    split = protocol.fee_split(np.ones(len(idx)), col("operator_fee"), col("treasury_fee"), col("insurance_fee"))
    growth_mode = np.asarray([s.simulation.deposit_mode == "growth" for s in scenarios], dtype=bool)[idx]
    total0 = col("total_staked_eth")
    el = col("el_reward_per_block_eth")
    part = col("network_participation")
    coef = reward_coefficients(total0, el, part)
    return RowInputs(
        names=[nm[i] for i in idx.tolist()],
        seeds=seeds,
        scenario_index=idx,
        stake=col("validator_stake_eth"),
        kc=k * c,
        k=k,
        thr=thr,
        f_stakers=np.asarray(split["stakers"], dtype=float),
        f_operators=np.asarray(split["operators"], dtype=float),
        f_treasury=np.asarray(split["treasury"], dtype=float) + np.asarray(split["insurance"], dtype=float),
        dep_const=np.where(growth_mode, 0.0, col("staker_deposit_eth_per_day")),
        growth_daily=np.where(growth_mode, col("growth_rate_per_year") / DAYS_PER_YEAR, 0.0),
        inv_target=1.0 / col("target_staker_eth"),
        withdraw_daily=col("withdrawal_rate_per_year") / DAYS_PER_YEAR,
        initial_staker=col("initial_staker_eth"),
        q0=col("initial_collateral_eth"),
        e=col("collateral_deposit_eth_per_day"),
        total0=total0,
        total_growth=col("ethereum_stake_growth_eth_per_day"),
        delay=col("activation_delay_days").astype(np.int64),
        availability=avail,
        uptime=uptime,
        correlation=rho,
        participation=part,
        el_per_block=el,
        att0=coef["att"][0], att1=coef["att"][1],
        prop0=coef["prop"][0], prop1=coef["prop"][1],
        el0=coef["el"][0], el1=coef["el"][1],
        pen0=coef["pen"][0], pen1=coef["pen"][1],
        outage_daily=np.minimum(col("outage_rate_per_operator_per_year") / DAYS_PER_YEAR, 1.0),
        slash_daily=col("slashing_rate_per_validator_per_year") / DAYS_PER_YEAR,
        luck=col("proposer_luck").astype(bool),
    )


def check_stake_path(scenarios: Sequence[Scenario], days: int) -> None:
    """Refuse a scenario whose Ethereum stake would fall to zero within the horizon."""
    get = attrgetter("ethereum.total_staked_eth", "simulation.ethereum_stake_growth_eth_per_day")
    start_growth = np.array([get(s) for s in scenarios], dtype=float).reshape(-1, 2)
    last_stake = start_growth[:, 0] + start_growth[:, 1] * (days - 1)
    problems = []
    for i in np.flatnonzero(last_stake <= 0).tolist():
        s = scenarios[i]
        problems.append(
            f"simulation.ethereum_stake_growth_eth_per_day = "
            f"{s.simulation.ethereum_stake_growth_eth_per_day:g}: Ethereum's stake would reach "
            f"{last_stake[i]:,.0f} ETH by day {days - 1} (scenario {s.name!r}); must stay positive"
        )
    if problems:
        raise ParameterError(problems)


# --------------------------------------------------------------------------------------------
# Random streams
# --------------------------------------------------------------------------------------------


def root_seed_sequence(rng: np.random.Generator | int | None) -> np.random.SeedSequence:
    """The root of all Monte Carlo streams: from an int, from a Generator (draws 4 words), or 0."""
    if rng is None:
        return np.random.SeedSequence(0)
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence([int(x) for x in rng.integers(0, 2**63, size=4)])
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return np.random.SeedSequence(int(rng))
    raise DivaeconError(f"rng = {rng!r}: must be a numpy.random.Generator, an int seed or None")


def block_generator(root: np.random.SeedSequence, block: int) -> np.random.Generator:
    """The generator of rows ``block·RNG_BLOCK … (block+1)·RNG_BLOCK − 1`` (global row index)."""
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, block)))
    )


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------

StepHook = Callable[[int, Mapping[str, Any]], None]


@dataclass
class SimulationResult:
    """Output of :func:`simulate` / :func:`sweep`: a tidy time series and one summary row each."""

    timeseries: pd.DataFrame
    summary: pd.DataFrame


def record_days(days: int, every: int) -> NDArray[np.int64]:
    """Recorded days: ``0, every, 2·every, …`` and the last day."""
    out = np.arange(0, days, every, dtype=np.int64)
    if out[-1] != days - 1:
        out = np.append(out, days - 1)
    return out


class _Availability:
    """Uptime → availability tables per (key shares, threshold, correlation) group.

    Built once with :func:`divaecon.dvt.availability` on :data:`AVAILABILITY_GRID` points and
    read by linear interpolation (within ~1e-7 of the exact value; the scalar reference uses
    the same table).
    """

    def __init__(self, k: FloatArray, thr: FloatArray, rho: FloatArray) -> None:
        self.grid = np.linspace(0.0, 1.0, AVAILABILITY_GRID)
        keys = np.stack([k, thr, rho], axis=1)
        uniq, inv = np.unique(keys, axis=0, return_inverse=True)
        self.groups = [np.flatnonzero(inv.reshape(-1) == g) for g in range(len(uniq))]
        self.tables = [availability_table(int(u[0]), int(u[1]), float(u[2])) for u in uniq]

    def __call__(self, uptime: FloatArray) -> FloatArray:
        out = np.empty_like(uptime)
        for rows, table in zip(self.groups, self.tables, strict=True):
            out[rows] = np.interp(uptime[rows], self.grid, table)
        return out


_TABLES: dict[tuple[int, int, float], FloatArray] = {}


def availability_table(k: int, thr: int, rho: float) -> FloatArray:
    """``dvt.availability(k, thr, u, rho)`` on the uptime grid (cached)."""
    key = (k, thr, rho)
    if key not in _TABLES:
        grid = np.linspace(0.0, 1.0, AVAILABILITY_GRID)
        _TABLES[key] = np.asarray(dvt.availability(k, thr, grid, rho), dtype=float)
    return _TABLES[key]


def _run(
    inp: RowInputs,
    days: int,
    record: Sequence[str],
    every: int,
    root: np.random.SeedSequence,
    row_offset: int,
    on_step: StepHook | None,
    progress: bool,
    processes: int = 1,
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Run all rows of ``inp``; return ``(recorded[var] of shape (rows, n_rec), summary cols)``.

    Whatever the other rows are, each row goes through the same floating-point operations, so
    results do not depend on how rows are grouped (tested against dask chunks bit for bit).
    With ``processes = 2`` (and no ``on_step``) the rows are split in two at a multiple of
    :data:`RNG_BLOCK` and the second part runs in a forked process (:func:`_run_split`).
    """
    if processes > 1 and on_step is None:
        split = _split_row(inp.n, row_offset)
        if split is not None:
            return _run_split(inp, split, days, record, every, root, row_offset, progress)
    return _run_rows(inp, days, record, every, root, row_offset, on_step, progress)


PARALLEL_MIN_ROW_DAYS: Final[int] = 5_000_000
"""Runs of at least this many rows × days split their rows over two processes (where there are two CPUs)."""


def auto_processes(n_rows: int, days: int) -> int:
    """Processes :func:`simulate` uses: 2 for a large run on a machine with 2+ CPUs that can fork, else 1.

    Not inside a daemonic process (a dask worker or a multiprocessing pool worker cannot fork children).
    """
    import multiprocessing as mp

    if n_rows < 2 * RNG_BLOCK or n_rows * days < PARALLEL_MIN_ROW_DAYS:
        return 1
    if "fork" not in mp.get_all_start_methods() or mp.current_process().daemon:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 if cpus >= 2 else 1


def _split_row(n: int, row_offset: int) -> int | None:
    """The first multiple of :data:`RNG_BLOCK` (global row index) at or after the middle, local; None if none."""
    cut = -(-(row_offset + n // 2) // RNG_BLOCK) * RNG_BLOCK - row_offset
    return cut if 0 < cut < n else None


def take_rows(inp: RowInputs, lo: int, hi: int) -> RowInputs:
    """Rows ``lo … hi − 1`` of ``inp``."""
    return RowInputs(**{f.name: getattr(inp, f.name)[lo:hi] for f in fields(RowInputs)})


_FORK_JOB: tuple[Any, ...] | None = None
"""The second part's arguments, set just before the worker is forked (inherited, not pickled)."""


def _run_forked_part() -> dict[str, FloatArray]:
    """In the forked worker: run the part in :data:`_FORK_JOB`, recording into shared memory."""
    assert _FORK_JOB is not None
    return _run_rows(*_FORK_JOB)[1]


def _run_split(
    inp: RowInputs, cut: int, days: int, record: Sequence[str], every: int, root: np.random.SeedSequence,
    row_offset: int, progress: bool,
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Rows ``cut …`` in a forked process, rows ``… cut − 1`` here, at the same time.

    The recorded variables live in anonymous shared memory both processes write to; the
    worker sends back its summary columns only. Rows are cut at a multiple of
    :data:`RNG_BLOCK`, so every row draws the same random numbers as in one process, and each
    row's arithmetic does not depend on its neighbours: the result is bit for bit that of
    :func:`_run_rows` on all rows (tested).
    """
    import mmap
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    global _FORK_JOB
    n, n_rec = inp.n, len(record_days(days, every))
    size = n * n_rec * 8
    shared = mmap.mmap(-1, max(size * len(record), 1))  # anonymous, MAP_SHARED: survives the fork
    out = {
        var: np.frombuffer(shared, dtype=np.float64, count=n * n_rec, offset=i * size).reshape(n, n_rec)
        for i, var in enumerate(record)
    }
    first, second = take_rows(inp, 0, cut), take_rows(inp, cut, n)
    _FORK_JOB = (second, days, record, every, root, row_offset + cut, None, False, {v: a[cut:] for v, a in out.items()})
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork")) as pool:
            future = pool.submit(_run_forked_part)
            _, summary_first = _run_rows(first, days, record, every, root, row_offset, None, progress,
                                         {v: a[:cut] for v, a in out.items()})
            summary_second = future.result()
    finally:
        _FORK_JOB = None
    summary = {k: np.concatenate([summary_first[k], summary_second[k]]) for k in summary_first}
    return out, summary


def _run_rows(
    inp: RowInputs,
    days: int,
    record: Sequence[str],
    every: int,
    root: np.random.SeedSequence,
    row_offset: int,
    on_step: StepHook | None,
    progress: bool,
    out: dict[str, FloatArray] | None = None,
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """:func:`_run` in this process; ``out[var]`` (shape (rows, n_rec)) receives the records if given."""
    n = inp.n
    rec_days = record_days(days, every)
    if out is None:
        out = {var: np.empty((n, len(rec_days))) for var in record}
    # the last few recorded days as (day, row), moved to out[var] (row, day) RECORD_BLOCK at a time
    recent = {var: np.empty((RECORD_BLOCK, n)) for var in record}
    rec_pos = {int(d): i for i, d in enumerate(rec_days)}

    stake, kc, e, q0 = inp.stake, inp.kc, inp.e, inp.q0
    inv_stake = 1.0 / stake
    inv_kc = 1.0 / kc
    inv_e = inverse_flow(e)
    f_s = inp.f_stakers
    dep_c, gr, inv_k_target, wd = inp.dep_const, inp.growth_daily, inp.inv_target, inp.withdraw_daily
    any_growth = bool(np.any(gr != 0))
    any_withdraw = bool(np.any(wd != 0))
    const_inflow = dep_c + e
    stake_per_year = stake / DAYS_PER_YEAR

    # state at the start of day 0: initial stakers and collateral have arrived
    buf = inp.initial_staker + q0
    pend = np.zeros(n)
    v = np.zeros(n)
    q = q0.copy()
    a = np.zeros(n)
    supply = buf.copy()
    rate = np.ones(n)
    c_dep = buf.copy()
    c_wd, c_r, c_cov, c_loss, c_new = (np.zeros(n) for _ in range(5))
    # cumulative flows only feed recorded variables: kept if recorded (always with on_step)
    shown = set(RECORDABLE) if on_step is not None else set(record)
    keep_dep, keep_wd = "deposits_eth" in shown, "withdrawn_eth" in shown
    keep_r = bool(shown & {"rewards_eth", "staker_rewards_eth", "operator_rewards_eth", "treasury_rewards_eth"})
    keep_pen = bool(shown & {"penalties_eth", "penalties_covered_eth", "staker_loss_eth"})
    sum_supply, sum_v = np.zeros(n), np.zeros(n)
    # time-weighted operator returns: ∏ (1 + daily return) and the number of days compounded
    twr_q, twr_a = np.ones(n), np.ones(n)
    n_q, n_a = np.zeros(n), np.zeros(n)
    has_q, has_a = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    days_all_q = days_all_a = 0  # days on which every row had queued / assigned collateral
    f_o = inp.f_operators
    peak = q.copy()
    t_new = np.zeros(n)  # Σ t · validators created that day
    b_new0 = np.zeros(n)  # batch start (wait histogram)
    b_t0 = np.zeros(n)
    bin_of, edges = wait_bin_table(days)
    n_bins = len(edges)
    hist = np.zeros(n * n_bins)
    hist_base = np.arange(n, dtype=np.int64)
    zeros = np.zeros(n)  # never written; np.maximum(x, zeros) is np.maximum(x, 0.0), 1.6x faster
    tiny = np.full(n, _TINY)

    delays = inp.delay
    ring_len = int(delays.max()) + 1
    ring = np.zeros((ring_len, n))
    uniform_delay = bool(np.all(delays == delays[0]))
    created = [(zeros, zeros)] * ring_len  # uniform delay: (validators, their stake) by creation day
    d0 = int(delays[0])
    rows = np.arange(n)

    # Monte Carlo: which blocks draw what (decided per block so chunking changes nothing)
    block_slices = []
    for b in range(row_offset // RNG_BLOCK, (row_offset + n - 1) // RNG_BLOCK + 1):
        sl = slice(max(b * RNG_BLOCK - row_offset, 0), min((b + 1) * RNG_BLOCK - row_offset, n))
        flags = (
            bool(np.any(inp.outage_daily[sl] > 0)),
            bool(np.any(inp.luck[sl])),
            bool(np.any(inp.slash_daily[sl] > 0)),
        )
        if any(flags):
            block_slices.append((sl, block_generator(root, b), flags))
    any_outage = any(f[0] for _, _, f in block_slices)
    any_luck = any(f[1] for _, _, f in block_slices)
    any_slash = any(f[2] for _, _, f in block_slices)
    avail_tables = _Availability(inp.k, inp.thr, inp.correlation) if any_outage else None
    mc = any_outage or any_luck

    alpha = inp.availability
    # per validator per day at total0 and the expected availability
    rr_c = (inp.att0 + alpha * inp.att1 + (inp.prop0 + alpha * inp.prop1)) * stake_per_year
    rre_c = (inp.el0 + alpha * inp.el1) * stake_per_year
    pr_c = (inp.pen0 + alpha * inp.pen1) * stake_per_year

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=days, unit="day", desc=f"simulate {n:,} rows", leave=False)

    # Ethereum's stake path: computed once per distinct (total0, growth) when there are few
    # (usually one), else per row; the same operations on the same numbers either way
    paths, inverse = np.unique(np.stack([inp.total0, inp.total_growth], axis=1), axis=0, return_inverse=True)
    path_of: NDArray[np.intp] | None = inverse.reshape(-1)
    if 4 * len(paths) > n:
        paths, path_of = np.stack([inp.total0, inp.total_growth], axis=1), None
    path_total0, path_growth = np.ascontiguousarray(paths[:, 0]), np.ascontiguousarray(paths[:, 1])
    broadcast = path_of is None or len(paths) == 1  # path arrays combine with row arrays as they are

    def per_row(x: FloatArray) -> FloatArray:
        return x if path_of is None else x.take(path_of)

    static_total = not np.any(inp.total_growth != 0)
    m_blk = 1 if static_total else min(RATE_BLOCK_DAYS, days)
    tot_blk, ratio_blk, sq_blk = (np.empty((m_blk, len(paths))) for _ in range(3))
    block_start = -days
    for t in range(days):
        if t >= block_start + m_blk and not (static_total and t > 0):
            # stake path for a block of days: consensus ∝ 1/sqrt(total), execution ∝ 1/total
            block_start = t
            tday = np.arange(t, t + m_blk, dtype=float)[:, None]
            np.multiply(path_growth, tday, out=tot_blk)
            tot_blk += path_total0
            np.divide(path_total0, tot_blk, out=ratio_blk)
            np.sqrt(ratio_blk, out=sq_blk)
        j = 0 if static_total else t - block_start
        draws: dict[str, FloatArray] = {}

        # 1. rewards and penalties of the validators active at the start of the day
        if mc:
            rr, pr = _mc_rates(inp, v, alpha, stake_per_year, per_row(sq_blk[j]), per_row(ratio_blk[j]),
                               per_row(tot_blk[j]), block_slices, any_outage, any_luck, avail_tables, draws)
        elif t == 0 or not static_total:
            sq, ratio = (sq_blk[j], ratio_blk[j]) if broadcast else (per_row(sq_blk[j]), per_row(ratio_blk[j]))
            rr = rr_c * sq
            rr += rre_c * ratio
            pr = pr_c * sq
        r = v * rr
        pen = v * pr
        r_s = r * f_s
        cov = np.minimum(pen, a)
        loss = pen - cov
        a_earning = a
        if any_slash:
            a_earning = a.copy()
            pen, cov, loss = _slashings(inp, v, a, buf, pen, cov, loss, per_row(tot_blk[j]), block_slices, draws)

        # 2. rebase of every divETH on the supply at the start of the day; collateral covers penalties
        g1 = r_s - loss
        g1 /= np.maximum(supply, tiny)
        g1 += 1.0  # 1 + g
        rate *= g1
        # time-weighted returns of one divETH of queued / assigned collateral. Masked ufuncs
        # (where=) are ~7x slower than plain ones: rows without collateral multiply by exactly 1,
        # and days when every row has some are counted once, in days_all_q / days_all_a
        if q.min() > 0.0:  # = (q > 0).all(): a NaN minimum fails too
            twr_q *= g1
            days_all_q += 1
        else:
            np.greater(q, 0.0, out=has_q)
            twr_q *= np.where(has_q, g1, 1.0)
            n_q += has_q
        ret_a = r * f_o
        ret_a -= cov
        if a_earning.min() > 0.0:
            ret_a /= a_earning
            ret_a += g1
            twr_a *= ret_a
            days_all_a += 1
        else:
            np.greater(a_earning, 0.0, out=has_a)
            np.divide(ret_a, a_earning, out=ret_a, where=has_a)
            ret_a += g1
            twr_a *= np.where(has_a, ret_a, 1.0)
            n_a += has_a
        np.maximum(twr_a, zeros, out=twr_a)  # a day that wipes the collateral out: −100 %
        a -= cov

        # 3. flows: deposits and withdrawals scale with staker divETH at the start of the day
        s_div = supply - q
        s_div -= a
        np.maximum(s_div, zeros, out=s_div)
        if any_growth:
            inflow = s_div * inv_k_target
            np.subtract(1.0, inflow, out=inflow)
            np.maximum(inflow, zeros, out=inflow)
            inflow *= s_div
            inflow *= gr
            inflow += const_inflow
        else:
            inflow = const_inflow
        buf += r_s
        buf -= pen
        buf += inflow
        w = s_div * wd if any_withdraw else zeros
        after = buf - w
        if np.fmin.reduce(after) < 0.0:  # = (after < 0).any() (fmin skips NaN), one pass
            # pay what the buffer and the active validators can; exit whole validators for it
            w = np.minimum(w, buf + v * stake)
            buf -= w
            n_exit = np.minimum(np.ceil(np.maximum(-buf, 0.0) * inv_stake), v)
            a -= n_exit * np.divide(a, v, out=np.zeros(n), where=v > 0)
            v -= n_exit
            buf += n_exit * stake
        else:
            buf = after
        q += e

        # 4. validator creation (a full stake AND a validator's collateral queued), activation
        new = buf * inv_stake
        np.minimum(new, q * inv_kc, out=new)
        np.floor(new, out=new)
        served = new * kc
        q -= served
        a += served
        staked_new = new * stake
        buf -= staked_new
        pend += staked_new
        if uniform_delay:
            # the validators created d0 days ago (fresh arrays every day: the ring holds them)
            created[(t + d0) % ring_len] = (new, staked_new)
            act, staked_act = created[t % ring_len]
            pend -= staked_act
            v += act
        else:
            ring[(t + delays) % ring_len, rows] += new
            act = ring[t % ring_len]
            pend -= act * stake
            v += act
            act[:] = 0.0
        supply = buf + pend
        supply += v * stake

        # 5. accumulators
        c_new += new
        t_new += t * new
        if keep_dep:
            c_dep += inflow
        if keep_wd:
            c_wd += w
        if keep_r:
            c_r += r
        if keep_pen:
            c_cov += cov
            c_loss += loss
        sum_supply += supply
        sum_v += v
        locked = q + a
        np.maximum(peak, locked, out=peak)

        if (t + 1) % WAIT_BATCH_DAYS == 0 or t == days - 1:
            _flush_waits(hist, hist_base, bin_of, c_new, t_new, b_new0, b_t0, kc * inv_e, q0 * inv_e)
        if t in rec_pos or on_step is not None:
            state = _state(inp, buf, pend, v, q, a, supply, rate, c_dep, c_wd, c_r, c_cov, c_loss,
                           c_new, per_row(tot_blk[j]), None if on_step is not None else record)
            if t in rec_pos:
                i = rec_pos[t]
                for var in record:
                    recent[var][i % RECORD_BLOCK] = state[var]
                if i % RECORD_BLOCK == RECORD_BLOCK - 1 or i == len(rec_days) - 1:
                    i0 = i - i % RECORD_BLOCK
                    for var in record:
                        transpose_into(out[var][:, i0 : i + 1], recent[var][: i + 1 - i0])
            if on_step is not None:
                on_step(t, {**state, "draws": draws, "rewards_today": r, "staker_rewards_today": r_s,
                            "penalties_today": pen, "covered_today": cov, "loss_today": loss,
                            "validators_created_today": new})
        if bar is not None and (t % 64 == 63 or t == days - 1):
            bar.update(t + 1 - bar.n)
    if bar is not None:
        bar.close()

    n_q += days_all_q
    n_a += days_all_a
    served_total = c_new * kc
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_wait = (kc * t_new - arrival_integral(served_total, q0, e, inv_e)) / served_total
        sum_idle = sum_supply - stake * sum_v
        summary = {
            "staker_apy": rate ** (DAYS_PER_YEAR / days) - 1.0,
            "operator_apy_queued": twr_apy(twr_q, n_q),
            "operator_apy_assigned": twr_apy(twr_a, n_a),
            "queue_wait_mean_days": np.where(served_total > 0, mean_wait, np.nan),
            "queue_wait_p95_days": p95_from_histogram(hist.reshape(n_bins, n).T, edges),
            "peak_collateral_locked_eth": peak,
            "cash_drag": np.where(sum_supply > 0, sum_idle / np.where(sum_supply > 0, sum_supply, 1.0), np.nan),
            "final_active_validators": v.copy(),
            "final_diveth_supply": supply.copy(),
            "wdiveth_rate": rate.copy(),
        }
    return out, summary


def transpose_into(dst: FloatArray, src: FloatArray, block: int = 512) -> None:
    """``dst[...] = src.T`` in blocks of rows that stay in cache (faster than one strided copy)."""
    for lo in range(0, dst.shape[0], block):
        dst[lo : lo + block] = src[:, lo : lo + block].T


def twr_apy(growth: FloatArray, n_days: FloatArray) -> FloatArray:
    """Annualised time-weighted return ``growth ** (365.25 / n_days) − 1``; NaN where ``n_days = 0``.

    ``growth`` is ``∏ (1 + daily return)`` over ``n_days`` days [-].
    """
    out = np.full(growth.shape, np.nan)
    has = n_days > 0
    out[has] = growth[has] ** (DAYS_PER_YEAR / n_days[has]) - 1.0
    return out


def _flush_waits(
    hist: FloatArray, base: NDArray[np.int64], bin_of: NDArray[np.int64], c_new: FloatArray,
    t_new: FloatArray, b_new0: FloatArray, b_t0: FloatArray, kce: FloatArray, q0e: FloatArray,
) -> None:
    """Add one batch of served collateral to the queue-wait histograms (in place).

    The validators created in the batch (``WAIT_BATCH_DAYS`` days) count at one wait: their
    mean creation day minus the arrival day of the batch's middle divETH in the FIFO queue
    (:func:`arrival_integral`'s step function). Weights are validators (collateral per validator
    is constant per row).
    """
    bn = c_new - b_new0
    served_day = (t_new - b_t0) / np.maximum(bn, 1.0)
    z = b_new0 + 0.5 * bn
    z *= kce
    z -= q0e
    np.ceil(z, out=z)
    z -= 1.0
    np.maximum(z, 0.0, out=z)  # arrival day of the middle unit
    wait = served_day - z
    np.maximum(wait, 0.0, out=wait)
    idx = bin_of.take(wait.astype(np.int64))
    idx *= len(base)
    idx += base  # hist is laid out [bin, row]
    hist[idx] += bn
    b_new0[:] = c_new
    b_t0[:] = t_new


def _slashings(
    inp: RowInputs, v: FloatArray, a: FloatArray, buf: FloatArray, pen: FloatArray, cov: FloatArray,
    loss: FloatArray, tot: FloatArray, block_slices: list[Any], draws: dict[str, FloatArray],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Draw the day's slashings and settle them (``v``, ``a``, ``buf`` in place).

    Each slashed validator loses :func:`divaecon.ethereum.slashing_penalty_eth` (``total``,
    with the day's slashings as the correlation window; capped at its stake) and exits: its
    stake returns to the buffer, the penalty leaves the pool. The ``threshold`` colluding key
    shares' collateral covers the penalty (MODEL.md §1: "colluders' collateral is confiscated");
    the rest of the validator's collateral is released; what is not covered is a loss to
    divETH holders.
    """
    n = len(v)
    stake = inp.stake
    n_sl = np.zeros(n)
    for sl, gen, flags in block_slices:
        if flags[2]:
            n_sl[sl] = gen.poisson(inp.slash_daily[sl] * v[sl])
    np.minimum(n_sl, v, out=n_sl)
    draws["slashings"] = n_sl
    if not n_sl.any():
        return pen, cov, loss
    each = np.asarray(ethereum.slashing_penalty_eth(stake, stake * n_sl, tot)["total"], dtype=float)
    sl_pen = n_sl * np.minimum(each, stake)
    coll = n_sl * np.divide(a - cov, v, out=np.zeros(n), where=v > 0)
    sl_cov = np.minimum(sl_pen, coll * inp.thr / inp.k)
    a -= coll - sl_cov  # released; the caller takes ``cov`` (offline + sl_cov) off ``a``
    v -= n_sl
    buf += n_sl * stake
    return pen + sl_pen, cov + sl_cov, loss + (sl_pen - sl_cov)


def _mc_rates(
    inp: RowInputs, v: FloatArray, alpha: FloatArray, stake_per_year: FloatArray, sq: FloatArray,
    ratio: FloatArray, tot: FloatArray, block_slices: list[Any], any_outage: bool, any_luck: bool,
    avail_tables: _Availability | None, draws: dict[str, FloatArray],
) -> tuple[FloatArray, FloatArray]:
    """Reward and penalty per validator for one day under Monte Carlo draws [ETH/validator/day].

    Same operations, in the same order, as the deterministic rates, so rows without draws get
    bit-identical numbers whichever rows they run with. Outages: each key share is down for the
    day with probability ``outage_rate / 365.25`` (binomial over the network's key shares); the
    day's operator uptime ``uptime · (1 − fraction down)`` gives the DV availability from
    :func:`divaecon.dvt.availability` (tabulated). Proposer luck: blocks proposed ~ Poisson(
    ``V · stake · slots per day / total``); proposer and execution rewards scale with
    blocks / expected blocks (MODEL.md §2: "Poisson luck").
    """
    n = len(v)
    alpha_t = alpha
    if any_outage:
        out_frac = np.zeros(n)
        for sl, gen, flags in block_slices:
            if flags[0]:
                shares = np.rint(v[sl] * inp.k[sl]).astype(np.int64)
                down = gen.binomial(shares, inp.outage_daily[sl])
                out_frac[sl] = down / np.maximum(shares, 1)
        draws["outage_fraction"] = out_frac
        assert avail_tables is not None
        alpha_t = np.where(inp.outage_daily > 0, avail_tables(inp.uptime * (1.0 - out_frac)), alpha)
    lf = np.ones(n)
    if any_luck:
        lam = v * inp.stake * (SLOTS_PER_YEAR / DAYS_PER_YEAR) / tot
        blocks = lam.copy()
        for sl, gen, flags in block_slices:
            if flags[1]:
                drawn = gen.poisson(lam[sl]).astype(float)
                blocks[sl] = np.where(inp.luck[sl], drawn, lam[sl])
        draws["blocks"] = blocks
        lf = np.divide(blocks, lam, out=np.ones(n), where=lam > 0)
    att = inp.att0 + alpha_t * inp.att1
    prop = inp.prop0 + alpha_t * inp.prop1
    el = inp.el0 + alpha_t * inp.el1
    pen = inp.pen0 + alpha_t * inp.pen1
    rr = (att + prop * lf) * stake_per_year * sq + (el * lf * stake_per_year) * ratio
    pr = (pen * stake_per_year) * sq
    return rr, pr


def _state(
    inp: RowInputs, buf: FloatArray, pend: FloatArray, v: FloatArray, q: FloatArray, a: FloatArray,
    supply: FloatArray, rate: FloatArray, c_dep: FloatArray, c_wd: FloatArray, c_r: FloatArray,
    c_cov: FloatArray, c_loss: FloatArray, c_new: FloatArray, total: FloatArray,
    want: Collection[str] | None = None,
) -> dict[str, Any]:
    """Every recordable variable at the end of a day, or those in ``want`` (fresh arrays)."""

    def cash_drag() -> FloatArray:
        idle = buf + pend
        return np.divide(idle, supply, out=np.zeros_like(idle), where=supply > 0)

    make: dict[str, Callable[[], Any]] = {
        "buffer_eth": buf.copy,
        "pending_eth": pend.copy,
        "active_validators": v.copy,
        "active_eth": lambda: v * inp.stake,
        "queued_collateral_eth": q.copy,
        "assigned_collateral_eth": a.copy,
        "collateral_locked_eth": lambda: q + a,
        "diveth_supply": supply.copy,
        "staker_diveth": lambda: supply - q - a,
        "wdiveth_rate": rate.copy,
        "deposits_eth": c_dep.copy,
        "withdrawn_eth": c_wd.copy,
        "rewards_eth": c_r.copy,
        "staker_rewards_eth": lambda: c_r * inp.f_stakers,
        "operator_rewards_eth": lambda: c_r * inp.f_operators,
        "treasury_rewards_eth": lambda: c_r * inp.f_treasury,
        "penalties_eth": lambda: c_cov + c_loss,
        "penalties_covered_eth": c_cov.copy,
        "staker_loss_eth": c_loss.copy,
        "validators_created": c_new.copy,
        "total_staked_eth": lambda: np.array(total, dtype=float, copy=True),
        "cash_drag": cash_drag,
    }
    return {var: f() for var, f in make.items() if want is None or var in want}


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _check_record(record: Sequence[str]) -> list[str]:
    rec = list(dict.fromkeys(record))
    bad = [r for r in rec if r not in RECORDABLE]
    if bad:
        raise DivaeconError(
            f"record = {bad[0]!r}: unknown variable; allowed: {', '.join(RECORDABLE)}"
        )
    return rec


def _check_positive_int(name: str, value: Any, upper: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1 or (
        upper is not None and value > upper
    ):
        allowed = f"an integer from 1 to {upper:,}" if upper else "an integer >= 1"
        raise DivaeconError(f"{name} = {value!r}: must be {allowed}")
    return int(value)


def _frames(
    inp: RowInputs, recorded: dict[str, FloatArray], summary: dict[str, FloatArray], days: int,
    every: int, extra: pd.DataFrame | None = None,
) -> SimulationResult:
    rec_days = record_days(days, every)
    n_rec, n = len(rec_days), inp.n
    names = pd.Categorical(inp.names, categories=list(dict.fromkeys(inp.names)))
    # recorded[var] is (row, day): flattened, rows come out sorted by row, day
    ts = pd.DataFrame(
        {
            "scenario": names.take(np.repeat(np.arange(n), n_rec)),
            "seed": np.repeat(inp.seeds, n_rec),
            "day": np.tile(rec_days, n),
            **{var: arr.reshape(-1) for var, arr in recorded.items()},
        },
        copy=False,
    )
    summ = pd.DataFrame({"scenario": names, "seed": inp.seeds, "days": days})
    if extra is not None:
        summ = pd.concat([summ, extra.reset_index(drop=True)], axis=1)
    for key, col in summary.items():
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
    *,
    _row_offset: int = 0,
    _names: Sequence[str] | None = None,
    _processes: int | None = None,
    _extra: pd.DataFrame | None = None,
) -> SimulationResult:
    """Simulate Diva networks day by day, all scenarios × seeds at once.

    Parameters
    ----------
    scenarios : Scenario or list of Scenario
        The networks; their ``simulation`` section drives flows and Monte Carlo rates.
    seeds : int
        Monte Carlo draws per scenario (rows are scenario-major).
    record : sequence of str
        Variables recorded in ``timeseries`` (see :data:`RECORDABLE`); only these are kept.
    days : int, optional
        Horizon [days]; default the first scenario's ``simulation.horizon_days``.
    record_every_days : int, optional
        Recording interval [days]; default the first scenario's ``simulation.record_every_days``.
    rng : numpy.random.Generator, int or None
        Root of the Monte Carlo streams. Row ``i`` draws from the stream of block
        ``i // RNG_BLOCK``, so results do not depend on how rows are chunked.
    progress : bool
        Show a tqdm progress bar over days.
    on_step : callable, optional
        ``on_step(day, state)`` after every day with every variable of :data:`RECORDABLE`
        plus the day's flows and ``draws`` (for tests: conservation, the scalar reference).
        Runs in one process.
    _processes : int, optional
        1 or 2 processes; default :func:`auto_processes` (2 for runs of at least
        :data:`PARALLEL_MIN_ROW_DAYS` rows × days on a machine with 2+ CPUs). Same results.

    Returns
    -------
    SimulationResult
    """
    scen = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    if not scen:
        raise DivaeconError("scenarios = []: give at least one scenario")
    if not all(isinstance(s, Scenario) for s in scen):
        raise DivaeconError("scenarios: each must be a divaecon.params.Scenario")
    seeds = _check_positive_int("seeds", seeds, 1_000_000)
    days = _check_positive_int("days", days if days is not None else scen[0].simulation.horizon_days, 36_525)
    every = _check_positive_int(
        "record_every_days",
        record_every_days if record_every_days is not None else scen[0].simulation.record_every_days,
    )
    rec = _check_record(record)
    check_stake_path(scen, days)
    inp = build_rows(scen, seeds, _names)
    root = root_seed_sequence(rng)
    processes = auto_processes(inp.n, days) if _processes is None else _processes
    recorded, summary = _run(inp, days, rec, every, root, _row_offset, on_step, progress, processes)
    return _frames(inp, recorded, summary, days, every, _extra)


# --------------------------------------------------------------------------------------------
# Sweeps and dask scale-out
# --------------------------------------------------------------------------------------------


def grid_points(base: Scenario, grid: Mapping[str, Sequence[Any]]) -> tuple[list[Scenario], pd.DataFrame]:
    """The cartesian product of ``grid`` applied to ``base``, validated; and its value table.

    Names are plain or dotted (:func:`divaecon.params.resolve_name`); values are validated by
    :meth:`Scenario.override`, so a bad one raises a :class:`ParameterError` naming it.
    """
    keys = list(grid)
    for name in keys:
        resolve_name(name)
        values = grid[name]
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise DivaeconError(f"grid[{name!r}] = {values!r}: must be a list of values")
        if len(list(values)) == 0:
            raise DivaeconError(f"grid[{name!r}] = []: give at least one value")
    scenarios = []
    table = []
    for combo in product(*(list(grid[k]) for k in keys)):
        point = dict(zip(keys, combo, strict=True))
        label = ",".join(f"{k}={v}" for k, v in point.items())
        name = f"{base.name}[{label}]" if keys else base.name
        scenarios.append(base.override(**point, name=name))
        table.append(point)
    return scenarios, pd.DataFrame(table, columns=keys)


def _run_chunk(
    scenarios: list[Scenario], seeds_each: list[int], seed_index: list[int], row_offset: int,
    kw: dict[str, Any],
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Run one chunk of rows (possibly on a dask worker)."""
    inp = build_rows(scenarios, seeds_each)
    inp = _replace_seeds(inp, np.asarray(seed_index, dtype=np.int64))
    return _run(inp, kw["days"], kw["record"], kw["every"], kw["root"], row_offset, None, False)


def _replace_seeds(inp: RowInputs, seeds: NDArray[np.int64]) -> RowInputs:
    from dataclasses import replace

    return replace(inp, seeds=seeds)


def _client(client: Any) -> tuple[Any, Callable[[], None]]:
    """A dask Client for ``client`` ("local", an address or a Client) and how to close it."""
    from dask.distributed import Client, LocalCluster

    if isinstance(client, Client):
        return client, lambda: None
    if client == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        c = Client(cluster)

        def close() -> None:
            c.close()
            cluster.close()

        return c, close
    if isinstance(client, str):
        try:
            c = Client(client, timeout=10)
        except (OSError, TimeoutError, ValueError) as exc:
            raise DivaeconError(f"scheduler = {client!r}: cannot connect ({exc})") from None
        return c, c.close
    raise DivaeconError(f"client = {client!r}: must be None, 'local', a scheduler address or a Client")


def sweep(
    base: Scenario,
    grid: Mapping[str, Sequence[Any]],
    seeds: int = 1,
    client: Any = None,
    chunk_size: int = 4096,
    **kw: Any,
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
        None runs in process (default); "local" starts a 2-worker LocalCluster; a string is a
        scheduler address. Chunks of ``chunk_size`` rows (rounded up to a multiple of
        :data:`RNG_BLOCK`) run as tasks; results are identical to the in-process run.
    **kw
        ``days``, ``record``, ``record_every_days``, ``rng``, ``progress`` as for :func:`simulate`.
    """
    scenarios, table = grid_points(base, grid)
    seeds = _check_positive_int("seeds", seeds, 1_000_000)
    extra = table.loc[table.index.repeat(seeds)].reset_index(drop=True) if len(table.columns) else None
    if client is None:
        return simulate(scenarios, seeds=seeds, _extra=extra, **kw)
    chunk = _check_positive_int("chunk_size", chunk_size)
    chunk = -(-chunk // RNG_BLOCK) * RNG_BLOCK
    days = _check_positive_int("days", kw.get("days") or base.simulation.horizon_days, 36_525)
    every = _check_positive_int("record_every_days", kw.get("record_every_days") or base.simulation.record_every_days)
    record = _check_record(kw.get("record", DEFAULT_RECORD))
    check_stake_path(scenarios, days)
    root = root_seed_sequence(kw.get("rng", 0))
    opts = {"days": days, "record": record, "every": every, "root": root}
    n_rows = len(scenarios) * seeds
    tasks = []
    for lo in range(0, n_rows, chunk):
        hi = min(lo + chunk, n_rows)
        idx = np.arange(lo, hi)
        tasks.append(([scenarios[i // seeds] for i in idx], [1] * len(idx), [int(i % seeds) for i in idx], lo))
    c, close = _client(client)
    try:
        futures = [c.submit(_run_chunk, s, k, si, lo, opts, pure=False) for s, k, si, lo in tasks]
        if kw.get("progress"):
            from dask.distributed import progress as dask_progress

            dask_progress(futures)
        parts = c.gather(futures)
    finally:
        close()
    recorded = {v: np.concatenate([p[0][v] for p in parts]) for v in record}
    summary = {k: np.concatenate([p[1][k] for p in parts]) for k in parts[0][1]}
    inp = build_rows(scenarios, seeds)
    return _frames(inp, recorded, summary, days, every, extra)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_grid(items: Sequence[str], base: Scenario) -> dict[str, list[Any]]:
    """``["name=v1,v2", ...]`` → ``{name: [v1, v2]}`` typed by the field, or a one-line error."""
    from divaecon.params import SECTIONS

    out: dict[str, list[Any]] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name or not text.strip():
            raise DivaeconError(f"--grid {item!r}: expected NAME=V1,V2,... (e.g. collateral_per_key_share_eth=0.5,1)")
        try:
            section, field = resolve_name(name)
        except ParameterError as exc:
            raise ParameterError([f"--grid {p}" for p in exc.problems]) from None
        kind = SECTIONS[section].model_fields[field].annotation
        values: list[Any] = []
        for raw in text.split(","):
            raw = raw.strip()
            try:
                if kind is bool:
                    low = raw.lower()
                    if low not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(raw)
                    values.append(low in ("true", "1", "yes"))
                elif kind is int:
                    values.append(int(raw))
                elif kind is float:
                    values.append(float(raw))
                else:
                    values.append(raw)
            except ValueError:
                type_name = getattr(kind, "__name__", str(kind))
                raise DivaeconError(f"--grid {name} = {raw!r}: not a valid {type_name}") from None
        out[name] = values
    return out


def write_table_atomic(df: pd.DataFrame, path: str) -> None:
    """Write ``df`` as .csv or .parquet through a temporary file and a rename."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise DivaeconError(f"--out {path!r}: must end in .csv or .parquet")
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    os.close(fd)
    try:
        if suffix == ".csv":
            df.to_csv(tmp, index=False)
        else:
            df.to_parquet(tmp, index=False)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def summary_text(res: SimulationResult, base: Scenario) -> str:
    """The printed summary: per grid point, median (P5–P95 over seeds) beside the quote."""
    from divaecon import formatting as fmt
    from divaecon.quote import quote

    s = res.summary
    days = int(s["days"].iloc[0])
    lines = [
        f"Simulated {s['scenario'].nunique()} scenario(s) × {s['seed'].nunique()} seed(s) over "
        f"{days:,} days ({days / DAYS_PER_YEAR:.1f} years).",
        "",
    ]
    cols = [
        ("staker_apy", "Staker APY (realised)", fmt.pct),
        ("operator_apy_queued", "Operator APY, queued (TWR)", fmt.pct),
        ("operator_apy_assigned", "Operator APY, assigned (TWR)", fmt.pct),
        ("cash_drag", "Cash drag (unstaked share)", fmt.pct),
        ("queue_wait_mean_days", "Queue wait, mean [days]", lambda x: f"{x:,.1f}"),
        ("queue_wait_p95_days", "Queue wait, P95 [days]", lambda x: f"{x:,.0f}"),
        ("peak_collateral_locked_eth", "Peak collateral locked", lambda x: fmt.eth(x).replace("ETH", "divETH")),
        ("final_active_validators", "Active validators at the end", fmt.count),
    ]
    for name, group in s.groupby("scenario", observed=True, sort=False):
        scen = base if name == base.name else None
        lines.append(f"Scenario {name}")
        q = quote(scen if scen is not None else _scenario_of(base, str(name)))
        width = max(len(label) for _, label, _ in cols)
        for key, label, f in cols:
            vals = group[key].to_numpy(dtype=float)
            if np.all(np.isnan(vals)):
                shown = "–"
            else:
                med = float(np.nanmedian(vals))
                shown = f(med)
                if len(vals) > 1:
                    lo, hi = np.nanpercentile(vals, [5, 95])
                    shown += f"  (P5–P95 {f(lo)} – {f(hi)})"
            lines.append(f"  {label:<{width}}  {shown}")
        lines.append(
            f"  {'Quote (no cash drag)':<{width}}  staker APR {fmt.pct(q['staker_apr'])} = APY "
            f"{fmt.pct(apr_to_apy(q['staker_apr']))}; operator APR queued "
            f"{fmt.pct(q['operator_apr_queued'])}, assigned {fmt.pct(q['operator_apr_assigned'])}"
        )
        sc = scen if scen is not None else _scenario_of(base, str(name))
        end_stake = sc.ethereum.total_staked_eth + sc.simulation.ethereum_stake_growth_eth_per_day * (days - 1)
        lines.append(
            f"  {'Ethereum stake, start → end':<{width}}  {fmt.eth(sc.ethereum.total_staked_eth)} → "
            f"{fmt.eth(end_stake)} (consensus APR ∝ 1/√stake: "
            f"× {math.sqrt(sc.ethereum.total_staked_eth / end_stake):.3f} by the end)"
        )
        lines.append("")
    lines.append(
        "Realised APYs compound daily and include cash drag (ETH waiting in the buffer or for "
        "activation); collateral here bears the offline penalties the quote also charges stakers. "
        "Operator APYs are time-weighted (TWR): one divETH of collateral compounded over the days "
        "it was queued (the divETH rebase) or assigned (rebase + operator fees − penalties "
        "covered), whatever the amounts."
    )
    return "\n".join(lines)


def _scenario_of(base: Scenario, name: str) -> Scenario:
    """Rebuild a grid point's scenario from its name ``base[field=value,...]``."""
    inner = name[len(base.name) + 1 : -1] if name.startswith(base.name + "[") else ""
    values: dict[str, Any] = {}
    for part in filter(None, inner.split(",")):
        k, _, v = part.partition("=")
        values[k] = v
    if not values:
        return base
    typed = parse_grid([f"{k}={v}" for k, v in values.items()], base)
    return base.override(**{k: v[0] for k, v in typed.items()})


def run_cli(
    scenario_path: str | None,
    grids: list[str],
    seeds: int,
    days: int | None,
    out_path: str | None,
    scheduler: str | None,
) -> None:
    """``divaecon simulate``: run, print the summary, optionally write the time series."""
    import click

    from divaecon.params import load_scenario

    base = load_scenario(scenario_path) if scenario_path else Scenario()
    grid = parse_grid(grids, base)
    if isinstance(seeds, bool) or seeds < 1:
        raise DivaeconError(f"--seeds = {seeds}: must be an integer >= 1")
    if days is not None and not 1 <= days <= 36_525:
        raise DivaeconError(f"--days = {days}: must be from 1 to 36,525")
    if out_path is not None and Path(out_path).suffix.lower() not in (".csv", ".parquet"):
        raise DivaeconError(f"--out {out_path!r}: must end in .csv or .parquet")
    kw: dict[str, Any] = {"days": days, "progress": True}
    res = sweep(base, grid, seeds=seeds, client=scheduler, **kw)
    click.echo(summary_text(res, base))
    if out_path:
        write_table_atomic(res.timeseries, out_path)
        click.echo(f"Wrote {len(res.timeseries):,} rows to {out_path}")
