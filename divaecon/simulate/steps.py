"""The daily steps of the network simulation, in the order a day runs them.

Each step is a plain function of one row's records — its :class:`~divaecon.simulate.state.NetworkState`
``s``, its :class:`~divaecon.simulate.state.Accumulators` ``acc`` and its constants
:class:`~divaecon.simulate.inputs.RowValues` ``inp`` — compiled with numba and called by the day
loop (:func:`divaecon.simulate.engine.run_day`), like consensus-specs' ``process_epoch(state)``::

    day_inputs             0. (numpy, all rows) the day's reward rates after its draws, its slashings
    process_rewards        1. rewards and penalties of the validators active at the start of the day
    process_fee_split      2. operators' and treasury's fees leave the pool; stakers' part stays
    process_penalties      3. collateral covers penalties (and slashings); the rest is the stakers' loss
    process_rebase         4. every divETH earns the day's rebase; collateral's time-weighted returns
    process_flows          5. deposits, collateral arrivals, withdrawals (exits if the buffer is short)
    process_validator_creation  6. a validator per 32 ETH *and* a validator's collateral, FIFO
    process_queue_waits    6b. the wait of each divETH of collateral served, exactly
    process_activation     7. validators created ``activation_delay_days`` ago start earning
    process_accumulators   8. running sums for the summary metrics

Amounts are ETH; divETH is 1:1 with the pool's ETH. The steps do the model's arithmetic in a fixed
order, the same in every row whatever the other rows are, so results do not depend on how rows are
grouped or split over threads and processes.

References
----------
Diva docs (``staking-foundation/docs``): ``docs/21-economics.md`` (the buffer, the collateral
queue, queued collateral earning the staker rate, the two income streams), ``docs/40-staking-rewards.md``
(10 % of rewards to operators, 0 % to the DAO), ``docs/06-dvt.md`` (16 key shares, 11 to sign);
consensus-specs ``specs/altair/beacon-chain.md`` (rewards and penalties, via the rates of
:mod:`divaecon.simulate.inputs`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from divaecon.simulate.state import DayInputs

TINY_SUPPLY = 1e-300
"""Floor of the supply the rebase divides by, so an empty pool rebases by 0 [divETH]."""

_jit = njit(cache=True, nogil=True, error_model="numpy", inline="always")
"""Steps compile inline into the day loop (no call per row and day), with IEEE arithmetic."""


def day_inputs(values: np.ndarray, availability: NDArray[np.float64], luck: NDArray[np.float64],
               slashed: NDArray[np.float64], slashing_penalty_each_eth: NDArray[np.float64]) -> np.ndarray:
    """0. The day's reward rates per validator at Ethereum's day-0 stake, for every row (numpy).

    With availability ``α`` (the DV's effective uptime; drawn under outages) and ``luck`` (blocks
    proposed / blocks expected; 1 without proposer luck), per validator and day:
    consensus rewards ``(att(α) + prop(α) · luck) · stake / 365.25``, execution rewards
    ``el(α) · luck · stake / 365.25`` and offline penalties ``pen(α) · stake / 365.25``, with the
    rates of :func:`divaecon.simulate.inputs.reward_coefficients` (linear in ``α``), so that
    rewards − penalties is :func:`divaecon.ethereum.gross_apr` at uptime ``α``.
    """
    v = values
    daily = v["stake_eth_years_per_day"]
    att = v["attestation_sync_apr_at_zero"] + availability * v["attestation_sync_apr_per_availability"]
    prop = v["proposer_apr_at_zero"] + availability * v["proposer_apr_per_availability"]
    el = v["execution_apr_at_zero"] + availability * v["execution_apr_per_availability"]
    pen = v["offline_penalty_apr_at_zero"] + availability * v["offline_penalty_apr_per_availability"]
    out = DayInputs.zeros(len(v))
    out["consensus_eth_per_validator_day"] = (att + prop * luck) * daily
    out["execution_eth_per_validator_day"] = el * luck * daily
    out["penalty_eth_per_validator_day"] = pen * daily
    out["slashed_validators"] = slashed
    out["slashing_penalty_each_eth"] = np.minimum(slashing_penalty_each_eth, v["validator_stake_eth"])
    return out


@_jit
def ethereum_stake(inp: Any, day: int, path: int, paths: Any) -> tuple[float, float, float]:
    """Ethereum's stake on ``day`` and its ratios: ``(S_t, S_0 / S_t, sqrt(S_0 / S_t))``.

    ``S_t = S_0 + growth · t``. Rows sharing a stake path read it from ``paths[path, day]``
    (computed once per path, :func:`divaecon.simulate.engine.stake_paths`); a row with
    ``path < 0`` computes it.
    """
    if path >= 0:
        return paths[path, day, 0], paths[path, day, 1], paths[path, day, 2]
    total = inp.ethereum_stake_growth_eth_per_day * day + inp.ethereum_stake_eth
    ratio = inp.ethereum_stake_eth / total
    return total, ratio, math.sqrt(ratio)


@_jit
def process_rewards(s: Any, d: Any, total: float, ratio: float, root: float) -> None:
    """1. Rewards and offline penalties of the validators active at the start of the day [ETH].

    From the day's rates at Ethereum's day-0 stake ``d`` (:func:`day_inputs`): consensus rewards
    and penalties scale with Ethereum's stake as ``sqrt(S_0 / S_t)`` (the base reward is ∝
    1/sqrt(total active balance)), execution rewards as ``S_0 / S_t`` (each block's reward goes to
    one proposer, drawn in proportion to stake).

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``;
    :func:`divaecon.ethereum.execution_apr`.
    """
    v = s.active_validators
    s.ethereum_stake_today_eth = total
    s.rewards_today_eth = v * (d.consensus_eth_per_validator_day * root + d.execution_eth_per_validator_day * ratio)
    s.penalties_today_eth = v * (d.penalty_eth_per_validator_day * root)


@_jit
def process_fee_split(s: Any, inp: Any) -> None:
    """2. The stakers' part of the day's rewards stays in the pool; fees leave it [ETH].

    ``staker rewards = rewards · (1 − operator fee − treasury fee − insurance fee)``
    (:func:`divaecon.protocol.fee_split`); the operators' and treasury's parts are paid out.
    """
    s.staker_rewards_today_eth = s.rewards_today_eth * inp.staker_share


@_jit
def process_penalties(s: Any, inp: Any, d: Any) -> None:
    """3. Assigned collateral covers the day's penalties; what it cannot cover is the stakers' loss.

    Offline penalties are covered network-wide by assigned collateral. The day's slashed validators
    (Monte Carlo, ``d``) each lose their slashing penalty (capped at their stake) and exit: their
    stake returns to the buffer, the penalty leaves the pool, the ``threshold`` colluding key
    shares' collateral covers it and the rest of their collateral is released. Assigned
    collateral is reduced by what it covered in :func:`process_rebase`, after the day's return
    of the collateral that earned is known.

    References
    ----------
    Diva docs ``docs/21-economics.md`` (collateral covers losses first; colluders' collateral is
    confiscated); :func:`divaecon.ethereum.slashing_penalty_eth` (Electra penalties).
    """
    pen = s.penalties_today_eth
    a = s.assigned_collateral_eth
    s.assigned_at_start_eth = a
    cov = min(pen, a)
    loss = pen - cov
    slashed = d.slashed_validators
    if slashed > 0.0:
        stake = inp.validator_stake_eth
        v = s.active_validators
        sl_pen = slashed * d.slashing_penalty_each_eth
        per_validator = (a - cov) / v if v > 0.0 else 0.0
        colluders = slashed * per_validator
        sl_cov = min(sl_pen, colluders * inp.threshold_key_shares / inp.key_shares_per_validator)
        s.assigned_collateral_eth = a - (colluders - sl_cov)  # released; ``cov`` comes off in the rebase
        s.active_validators = v - slashed
        s.buffer_eth += slashed * stake
        pen += sl_pen
        cov += sl_cov
        loss += sl_pen - sl_cov
    s.penalties_today_eth = pen
    s.covered_today_eth = cov
    s.staker_loss_today_eth = loss


@_jit
def process_rebase(s: Any, acc: Any, inp: Any) -> None:
    """4. Every divETH earns ``g = (stakers' rewards − their loss) / supply``; collateral's returns.

    The wdivETH rate grows by ``1 + g``. One divETH of queued collateral earns ``g`` (Diva docs
    ``21-economics.md``: queued collateral accrues what a liquid staker's does); one divETH of
    assigned collateral earns ``g + (operator fees − penalties covered) / assigned``, over the days
    it was there at the start (time-weighted returns; a day that wipes it out counts as −100 %).
    Then the penalties covered come off the assigned collateral.
    """
    g1 = s.staker_rewards_today_eth - s.staker_loss_today_eth
    g1 /= max(s.diveth_supply, TINY_SUPPLY)
    s.rebase_today = g1
    g1 += 1.0
    s.wdiveth_rate *= g1
    s.queued_at_start_eth = s.queued_collateral_eth
    if s.queued_collateral_eth > 0.0:
        acc.queued_growth *= g1
        acc.queued_days += 1.0
    earning = s.assigned_at_start_eth
    if earning > 0.0:
        ret = s.rewards_today_eth * inp.operator_share
        ret -= s.covered_today_eth
        ret /= earning
        ret += g1
        acc.assigned_growth = max(acc.assigned_growth * ret, 0.0)
        acc.assigned_days += 1.0
    s.assigned_collateral_eth -= s.covered_today_eth


@_jit
def process_flows(s: Any, inp: Any) -> None:
    """5. Deposits, collateral arrivals and withdrawals; validators exit if the buffer is short.

    With ``S`` the stakers' divETH at the start of the day (supply − collateral): deposits are
    ``constant + growth · S · (1 − S / target)`` (logistic growth); operators' collateral arrives
    as minted divETH whose ETH joins the buffer and whose divETH joins the queue; withdrawals are
    ``withdrawal rate · S``, paid from the buffer, exiting whole validators (releasing their
    collateral) when the buffer cannot pay.
    """
    stakers = s.diveth_supply - s.queued_collateral_eth
    stakers -= s.assigned_collateral_eth
    stakers = max(stakers, 0.0)
    inflow = 1.0 - stakers * inp.one_over_target_staker_eth
    inflow = max(inflow, 0.0) * stakers * inp.growth_rate_per_day
    inflow += inp.staker_deposit_eth_per_day + inp.collateral_deposit_eth_per_day
    s.deposits_today_eth = inflow
    buf = s.buffer_eth + s.staker_rewards_today_eth
    buf -= s.penalties_today_eth
    buf += inflow
    w = stakers * inp.withdrawal_rate_per_day
    after = buf - w
    if after < 0.0:
        v = s.active_validators
        w = min(w, buf + v * inp.validator_stake_eth)
        buf -= w
        n_exit = min(np.ceil(max(-buf, 0.0) * inp.one_over_validator_stake_eth), v)
        a = s.assigned_collateral_eth
        s.assigned_collateral_eth = a - n_exit * (a / v if v > 0.0 else 0.0)
        s.active_validators = v - n_exit
        buf += n_exit * inp.validator_stake_eth
    else:
        buf = after
    s.buffer_eth = buf
    s.withdrawn_today_eth = w
    s.queued_collateral_eth += inp.collateral_deposit_eth_per_day


@_jit
def process_validator_creation(s: Any, inp: Any, day: int, rings: Any, row: int) -> None:
    """6. Create ``floor(min(buffer / stake, queued / collateral per validator))`` validators.

    Diva's rule: a validator needs a full stake in the buffer *and* a validator's worth of queued
    collateral (key shares × collateral per key share), served first in, first out. Its stake
    moves to ``pending`` until :func:`process_activation` of day ``day + activation_delay_days``
    (``rings[row]`` holds the validators activating on each coming day; its length is a power of
    two, so the slot of a day is ``day & (length − 1)``).
    """
    stake = inp.validator_stake_eth
    kc = inp.collateral_per_validator_eth
    new = np.floor(min(s.buffer_eth * inp.one_over_validator_stake_eth,
                       s.queued_collateral_eth * inp.one_over_collateral_per_validator_eth))
    served = new * kc
    s.queued_collateral_eth -= served
    s.assigned_collateral_eth += served
    staked = new * stake
    s.buffer_eth -= staked
    s.pending_eth += staked
    s.created_today = new
    slot = (day + int(inp.activation_delay_days)) & (rings.shape[1] - 1)
    rings[row, slot] += new


@_jit
def process_activation(s: Any, inp: Any, day: int, rings: Any, row: int) -> None:
    """7. The validators due today become active; the supply is the pool's ETH again."""
    slot = day & (rings.shape[1] - 1)
    act = rings[row, slot]
    rings[row, slot] = 0.0
    s.pending_eth -= act * inp.validator_stake_eth
    s.active_validators += act
    supply = s.buffer_eth + s.pending_eth
    supply += s.active_validators * inp.validator_stake_eth
    s.diveth_supply = supply


@_jit
def process_accumulators(s: Any, acc: Any, day: int) -> None:
    """8. Running sums of the day's flows and states (for the recorded series and the summary)."""
    new = s.created_today
    acc.validators_created += new
    acc.creation_day_sum += day * new
    acc.deposits_eth += s.deposits_today_eth
    acc.withdrawn_eth += s.withdrawn_today_eth
    acc.rewards_eth += s.rewards_today_eth
    acc.penalties_covered_eth += s.covered_today_eth
    acc.staker_loss_eth += s.staker_loss_today_eth
    acc.supply_sum_eth += s.diveth_supply
    acc.active_validator_days += s.active_validators
    acc.peak_collateral_locked_eth = max(acc.peak_collateral_locked_eth,
                                         s.queued_collateral_eth + s.assigned_collateral_eth)


@_jit
def process_queue_waits(s: Any, acc: Any, inp: Any, day: int, bin_of_wait: Any, hists: Any, row: int) -> None:
    """6b. Add the wait of every divETH of collateral served today to ``hists[row]`` [divETH].

    The queue is first in, first out and its arrivals are known: ``q0 + e`` divETH arrive on day 0
    and ``e`` on each later day, so queue positions ``[0, q0 + e)`` arrived on day 0 and
    ``[q0 + d·e, q0 + (d + 1)·e)`` on day ``d``. Today's validators take the positions
    ``[served so far, served so far + created · collateral per validator)``; each day's arrivals
    among them waited ``day − d`` days. Each arrival day is visited at most twice over a run, so
    this is exact and cheap. Waits fall in 1-day bins below 127 days, then bins about 3 % wide
    (:func:`divaecon.simulate.metrics.wait_bin_edges`).
    """
    new = s.created_today
    if new <= 0.0:
        return
    kc = inp.collateral_per_validator_eth
    lo = acc.validators_created * kc  # the accumulators still hold yesterday's total
    hi = lo + new * kc
    q0 = inp.initial_collateral_eth
    e = inp.collateral_deposit_eth_per_day
    inv_e = inp.days_per_collateral_eth
    d = int(min(max(np.floor((lo - q0) * inv_e), 0.0), day))
    while True:
        lot_lo = 0.0 if d == 0 else q0 + d * e
        lot_hi = q0 + (d + 1) * e if inv_e > 0.0 else np.inf
        amount = min(hi, lot_hi) - max(lo, lot_lo)
        if amount > 0.0:
            hists[row, bin_of_wait[day - d]] += amount
        if lot_hi >= hi or d >= day:
            break
        d += 1


@_jit
def run_day(s: Any, acc: Any, inp: Any, d: Any, day: int, path: int, paths: Any, rings: Any, bin_of_wait: Any,
            hists: Any, row: int) -> None:
    """One day of one row: the steps above, in order."""
    total, ratio, root = ethereum_stake(inp, day, path, paths)
    process_rewards(s, d, total, ratio, root)
    process_fee_split(s, inp)
    process_penalties(s, inp, d)
    process_rebase(s, acc, inp)
    process_flows(s, inp)
    process_validator_creation(s, inp, day, rings, row)
    process_queue_waits(s, acc, inp, day, bin_of_wait, hists, row)
    process_activation(s, inp, day, rings, row)
    process_accumulators(s, acc, day)


__all__ = [
    "TINY_SUPPLY",
    "day_inputs",
    "ethereum_stake",
    "process_accumulators",
    "process_activation",
    "process_fee_split",
    "process_flows",
    "process_penalties",
    "process_queue_waits",
    "process_rebase",
    "process_rewards",
    "process_validator_creation",
    "run_day",
]
