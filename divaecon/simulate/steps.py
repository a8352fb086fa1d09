"""The daily steps of the network simulation, in the order a day runs them.

Each step is a plain function of one row's records — its :class:`~divaecon.simulate.state.NetworkState`
``s``, its :class:`~divaecon.simulate.state.Accumulators` ``acc``, its constants
:class:`~divaecon.simulate.inputs.RowValues` ``inp`` and the day's :class:`~divaecon.simulate.state.DayInputs`
``d`` — compiled with numba and called by the day loop (:func:`divaecon.simulate.engine`), like
consensus-specs' ``process_epoch(state)``::

    day_inputs                 0. (numpy, all rows) the day's reward rates after its draws; slashings
    process_rewards            1. rewards and penalties of the validators active at the start of the day
    process_fee_split          2. operators' fees: minted as divETH (the ETH stays) or paid out; treasury paid out
    process_penalties          3. collateral covers penalties (and slashings); the rest is the stakers' loss
    process_rebase             4. every divETH earns the day's rebase; collateral's time-weighted returns
    process_ejections          4b. operators below the collateral level by the margin are ejected, shares reassigned
    process_flows              5. deposits up to the buffer's cap (the rest refused), withdrawals, exited stake, exits
    process_validator_creation 6. a validator per 32 ETH *and* a validator's collateral; it joins the entry queue
    process_queue_waits        6b. the wait of each divETH of collateral served, exactly
    process_activation         7. validators reaching the front of the entry queue start earning
    process_exits              7b. validators reaching the front of the exit queue stop earning
    process_accumulators       8. the supply, and running sums for the series and the summary

Three rings per row hold what is due on coming days (``rings[kind, day & (length − 1), row]``):
validators activating (:data:`ACTIVATING`), validators leaving the active set (:data:`EXITING`) and
exited stake reaching the pool (:data:`ARRIVING`).

Amounts are ETH; divETH is 1:1 with the pool's ETH less what it owes to withdrawals. The steps do
the model's arithmetic in a fixed order, the same in every row whatever the other rows are, so
results do not depend on how rows are grouped or split over threads and processes.

References
----------
Diva docs (``staking-foundation/docs``): ``docs/21-economics.md`` (the buffer, the collateral
queue, queued collateral earning the staker rate, the two income streams, operators "generate
additional divETH"), ``docs/40-staking-rewards.md`` (10 % of rewards to operators, 0 % to the DAO),
``docs/06-dvt.md`` (16 key shares, 11 to sign), ``notes.md`` (ejection below the collateral level by
a safety margin); docs.divastaking.net, dvt/creation (1 + 31 ETH deposits); consensus-specs
``specs/electra/beacon-chain.md`` (pending deposits and exits limited by churn, slashing),
``specs/altair/beacon-chain.md`` (rewards and penalties, via :mod:`divaecon.simulate.inputs`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from divaecon import ethereum, rules
from divaecon.simulate.state import DayInputs

TINY_SUPPLY = 1e-300
"""Floor of the supply the rebase divides by, so an empty pool rebases by 0 [divETH]."""

ACTIVATING, EXITING, ARRIVING = 0, 1, 2
"""Kinds of ring: validators activating, validators leaving the active set, stake reaching the pool."""

TOTAL, RATIO, CONSENSUS_SCALE, ENTRY, EXIT, BURN_FRACTION, EXECUTION_SHARE = 0, 1, 2, 3, 4, 5, 6
"""Columns of the stake-path table: S_t, S_0 / S_t, b(S_t) / b(S_0) × the rules' reward scale, entry and
exit days per ETH, EIP-8363's burn fraction and the execution share of the day (:mod:`divaecon.rules`)."""

_jit = njit(cache=True, nogil=True, error_model="numpy", inline="always")
"""Steps compile inline into the day loop (no call per row and day), with IEEE arithmetic."""

churn_limit_eth = njit(cache=True, nogil=True, error_model="numpy")(ethereum.churn_limit_eth)
"""The Electra churn limit of :func:`divaecon.ethereum.churn_limit_eth`, compiled (the same code)."""

base_reward_per_increment_of = njit(cache=True, nogil=True, error_model="numpy")(ethereum.base_reward_per_increment_of)
"""The spec's floored base reward of :func:`divaecon.ethereum.base_reward_per_increment_of`, compiled."""

reward_factors_of = njit(cache=True, nogil=True, error_model="numpy")(rules.reward_factors_of)
"""The day's reward scale, burn fraction and execution share of :func:`divaecon.rules.reward_factors_of`, compiled."""


def day_inputs(
    values: np.ndarray,
    availability: NDArray[np.float64],
    luck: NDArray[np.float64],
    slashed: NDArray[np.float64],
    slashing_penalty_each_eth: NDArray[np.float64],
) -> np.ndarray:
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
    out["burn_basis_eth_per_validator_day"] = v["burn_basis_apr"] * daily
    out["slashed_validators"] = slashed
    out["slashing_penalty_each_eth"] = np.minimum(slashing_penalty_each_eth, v["validator_stake_eth"])
    return out


@_jit
def row_reward_factors(inp: Any, total: float, day: float) -> tuple[float, float, float]:
    """The row's rules on ``day`` at stake ``total``: (reward scale, burn fraction, execution share).

    :func:`divaecon.rules.reward_factors_of` with the row's constants: 1, 0, 1 under today's rules.
    """
    return reward_factors_of(
        total,
        day,
        int(inp.rules_curve),
        inp.rules_fork_day,
        inp.epochs_per_day,
        int(inp.slot_base_reward_factor),
        int(inp.reward_num),
        int(inp.reward_den),
        inp.tempering_k_eth,
        inp.cap_stake_eth,
        inp.execution_share_after_fork,
    )


@_jit
def ethereum_stake(inp: Any, day: int, paths: Any) -> tuple[float, float, float, float, float]:
    """Ethereum's stake on ``day`` and how rewards scale with it: ``(S_t, S_0 / S_t, scale, burn, share)``.

    ``S_t = S_0 + growth · t``; execution rewards per validator scale as ``S_0 / S_t`` (a block's
    reward shared among more stake) times the day's execution share (EIP-8375 from the fork on),
    consensus rewards and penalties as the spec's floored base reward per increment ``b``
    (∝ 1/sqrt(S), floored to whole gwei) times the rules' reward scale of the day (slot time,
    curve, EIP-8363's transition: :func:`divaecon.rules.reward_factors_of`); ``burn`` is EIP-8363's
    burn fraction of the day. Rows sharing a stake path read it from ``paths[inp.stake_path, day]``
    (computed once per path, :func:`divaecon.simulate.engine.stake_paths`); a row with
    ``stake_path < 0`` computes it with the scalar functions
    (:func:`divaecon.ethereum.base_reward_per_increment_of`), the same integer steps.
    """
    path = int(inp.stake_path)
    if path >= 0:
        p = paths[path, day]
        return p[TOTAL], p[RATIO], p[CONSENSUS_SCALE], p[BURN_FRACTION], p[EXECUTION_SHARE]
    total = inp.ethereum_stake_growth_eth_per_day * day + inp.ethereum_stake_eth
    ratio = inp.ethereum_stake_eth / total
    scale = base_reward_per_increment_of(total) / base_reward_per_increment_of(inp.ethereum_stake_eth)
    rules_scale, burn, share = row_reward_factors(inp, total, float(day))
    return total, ratio, scale * rules_scale, burn, share


@_jit
def queue_days_per_eth(inp: Any, day: float, paths: Any, column: int) -> float:
    """Days one ETH adds to a queue's wait on ``day``: 1 / (churn limit · epochs a day) [day/ETH].

    ``column`` :data:`ENTRY` (the deposit churn) or :data:`EXIT` (the exit churn). From the row's
    stake-path table where it has one, else computed (:func:`divaecon.ethereum.churn_limit_eth`).
    The second of two deposits joins the queue at a day's fraction: the stake moves linearly and
    the churn in steps, so where the table holds the same churn on both sides that is the churn
    in between; otherwise (or past the horizon) it is computed.
    """
    path = int(inp.stake_path)
    whole = int(day)
    if path >= 0 and whole + 1 < paths.shape[1]:
        here = paths[path, whole, column]
        if whole == day or here == paths[path, whole + 1, column]:
            return here
    total = inp.ethereum_stake_growth_eth_per_day * day + inp.ethereum_stake_eth
    if column == ENTRY:
        churn = churn_limit_eth(total, inp.entry_churn_quotient, inp.entry_churn_cap_eth, inp.churn_min_eth)
    else:
        churn = churn_limit_eth(total, inp.exit_churn_quotient, inp.exit_churn_cap_eth, inp.churn_min_eth)
    return 1.0 / (churn * inp.epochs_per_day)


@_jit
def entry_queue_wait_days(s: Any, inp: Any, day: float, paths: Any) -> float:
    """Wait of a deposit joining Ethereum's entry queue on ``day`` [days].

    Ahead of it: the others' queue ``max(Q_0 + change · day, 0)`` and the pool's own validators
    still waiting (``pending``); the queue moves the churn limit at that day's stake per epoch.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``process_pending_deposits``
    (:func:`divaecon.ethereum.queue_wait_days`).
    """
    others = max(inp.entry_queue_eth + inp.entry_queue_change_eth_per_day * day, 0.0)
    return (others + s.pending_eth) * queue_days_per_eth(inp, day, paths, ENTRY)


@_jit
def exit_queue_wait_days(s: Any, inp: Any, day: float, paths: Any) -> float:
    """Wait of an exit requested on ``day`` until the validator leaves the active set [days].

    Ahead of it: the others' exit queue ``max(Q_0 + change · day, 0)`` and the pool's own exiting
    validators; the queue moves the exit churn (Electra's, or EIP-8061's) per epoch.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``compute_exit_epoch_and_update_churn``;
    EIP-8061.
    """
    others = max(inp.exit_queue_eth + inp.exit_queue_change_eth_per_day * day, 0.0)
    ahead = others + s.exiting_validators * inp.validator_stake_eth
    return ahead * queue_days_per_eth(inp, day, paths, EXIT)


@_jit
def ring_slot(rings: Any, day: int) -> int:
    """The slot of ``day`` in a ring (its length is a power of two)."""
    return day & (rings.shape[1] - 1)


@_jit
def request_exits(s: Any, acc: Any, inp: Any, day: int, n: float, rings: Any, row: int, paths: Any) -> None:
    """Ask ``n`` active validators (not already exiting) to exit; they leave after the exit queue."""
    n = min(n, s.active_validators - s.exiting_validators)
    if n <= 0.0:
        return
    wait = exit_queue_wait_days(s, inp, float(day), paths)
    due = day + int(min(np.floor(wait + 0.5), rings.shape[1] - 1.0))
    rings[EXITING, ring_slot(rings, due), row] += n
    s.exiting_validators += n
    s.exits_requested_today += n
    acc.exits_requested += n


@_jit
def process_rewards(
    s: Any, d: Any, total: float, ratio: float, consensus_scale: float, burn: float = 0.0, share: float = 1.0
) -> None:
    """1. Rewards and offline penalties of the validators active at the start of the day [ETH].

    From the day's rates at Ethereum's day-0 stake ``d`` (:func:`day_inputs`): consensus rewards
    and penalties scale with Ethereum's stake as the spec's base reward does (``consensus_scale``
    = b(S_t) / b(S_0), b ∝ 1/sqrt(total active balance) floored to whole gwei, times the rules'
    reward scale), execution rewards as ``S_0 / S_t`` (each block's reward goes to one proposer,
    drawn in proportion to stake) times the execution share kept (EIP-8375). EIP-8363's burn,
    ``burn`` × the ideal reward at the network's participation, is charged to every active
    validator whether it did its duties or not: it is destroyed (``burned_today_eth``) and the
    rewards are net of it; where missed duties leave it above the day's rewards, the excess is
    charged with the offline penalties. Exiting validators earn until they leave.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``;
    :func:`divaecon.ethereum.execution_apr`; ``EIPS/eip-8363.md``, ``process_issuance_burn``.
    """
    v = s.active_validators
    s.ethereum_stake_today_eth = total
    burned = v * (d.burn_basis_eth_per_validator_day * consensus_scale * burn)
    s.burned_today_eth = burned
    net = (
        v * (d.consensus_eth_per_validator_day * consensus_scale + d.execution_eth_per_validator_day * ratio * share)
        - burned
    )
    penalties = v * (d.penalty_eth_per_validator_day * consensus_scale)
    # a validator doing its duties keeps (1 − b) of its reward (EIP-8363, Security Considerations); only
    # missed duties can leave the burn above the day's rewards: that excess is a loss of downtime,
    # charged like the offline penalties (collateral first)
    s.rewards_today_eth = max(net, 0.0)
    s.penalties_today_eth = penalties + max(-net, 0.0)


@_jit
def process_fee_split(s: Any, inp: Any) -> None:
    """2. The stakers' part of the rewards stays in the pool; operators' fees are minted or paid out [ETH].

    ``staker rewards = rewards · (1 − operator fee − treasury fee − insurance fee)``
    (:func:`divaecon.protocol.fee_split`). Diva's operators "generate additional divETH": their fee
    is new divETH and its ETH stays in the pool (``operator_rewards = "minted"``); with
    ``"paid_out"`` it leaves as ETH. The treasury's and insurance's parts leave the pool.
    """
    r = s.rewards_today_eth
    s.staker_rewards_today_eth = r * inp.staker_share
    s.retained_rewards_today_eth = r * inp.staker_share + r * inp.operator_share * inp.operator_rewards_minted


@_jit
def process_penalties(s: Any, inp: Any, d: Any, day: int, rings: Any, row: int) -> None:
    """3. Assigned collateral covers the day's penalties; what it cannot cover is the stakers' loss.

    Offline penalties are covered network-wide by assigned collateral. The day's slashed validators
    (Monte Carlo, ``d``) each lose their slashing penalty (capped at their stake) and are exited:
    the penalty leaves the pool at once, the rest of their stake reaches it once withdrawable
    (``EPOCHS_PER_SLASHINGS_VECTOR`` epochs) and swept; the ``threshold`` colluding key shares'
    collateral covers the penalty and the rest of their collateral is released. Assigned
    collateral is reduced by what it covered in :func:`process_rebase`, after the day's return
    of the collateral that earned is known.

    References
    ----------
    Diva docs ``docs/21-economics.md`` (collateral covers losses first; colluders' collateral is
    confiscated); consensus-specs ``specs/electra/beacon-chain.md``, ``slash_validator``;
    :func:`divaecon.ethereum.slashing_penalty_eth` (Electra penalties).
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
        keyed = v + s.pending_eth * inp.one_over_validator_stake_eth
        per_validator = (a - cov) / keyed if keyed > 0.0 else 0.0
        colluders = slashed * per_validator
        sl_cov = min(sl_pen, colluders * inp.threshold_key_shares / inp.key_shares_per_validator)
        s.assigned_collateral_eth = a - (colluders - sl_cov)  # released; ``cov`` comes off in the rebase
        s.active_validators = v - slashed
        s.exiting_validators = min(s.exiting_validators, s.active_validators)
        back = slashed * stake - sl_pen  # the penalty leaves the pool, the rest comes back once withdrawable
        s.withdrawing_eth += back
        due = day + int(min(np.floor(inp.slashed_to_arrival_days + 0.5), rings.shape[1] - 1.0))
        rings[ARRIVING, ring_slot(rings, due), row] += back
        s.slashing_penalties_today_eth = sl_pen
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
def process_ejections(s: Any, acc: Any, inp: Any, day: int, rings: Any, row: int, paths: Any) -> None:
    """4b. Operators whose collateral fell below the required level by the margin are ejected.

    In this model penalties are shared pro rata, so every operator of a row holds the same
    collateral per key share: when ``assigned < (1 − margin) · validators · key shares · c``, all are
    ejected, their remaining collateral is released (free divETH again) and their key shares are
    reassigned from the queue, first in first out (a validator's worth each). Validators whose key
    shares the queue cannot fill are exited.

    References
    ----------
    Diva docs (``staking-foundation/docs``) ``notes.md``: operators below the collateral level by a
    safety margin are ejected; the margin is the scenario's ``ejection_margin``.
    """
    keyed = s.active_validators + s.pending_eth * inp.one_over_validator_stake_eth
    required = keyed * inp.collateral_per_validator_eth
    if keyed <= 0.0 or s.assigned_collateral_eth >= inp.ejection_level * required:
        return
    take = min(s.queued_collateral_eth, required)
    s.queued_collateral_eth -= take
    s.assigned_collateral_eth = take
    s.served_today_eth += take
    s.ejected_today = keyed
    acc.ejected_validators += keyed
    unfilled = np.ceil((required - take) * inp.one_over_collateral_per_validator_eth - 1e-9)
    request_exits(s, acc, inp, day, unfilled, rings, row, paths)


@_jit
def process_flows(s: Any, acc: Any, inp: Any, day: int, rings: Any, row: int, paths: Any) -> None:
    """5. Deposits (up to the buffer's cap), withdrawal requests, exited stake arriving, withdrawals paid, exits.

    With ``S`` the divETH not locked as collateral at the start of the day, stakers offer
    ``constant + growth · S · (1 − S / target)`` ETH (logistic growth). The buffer takes them up
    to its cap: with ``b`` the buffer before the day's deposits (after the day's retained
    rewards, offline penalties and exited stake arriving), it takes ``min(offered, max(cap − b, 0))``
    and refuses the rest, which never enters the pool (``refused_today_eth``); with no cap
    (``inf``) it takes everything. Operators' collateral is always taken: it arrives as minted
    divETH whose ETH joins the buffer and whose divETH joins the queue. Withdrawal requests
    ``withdrawal rate · S`` burn divETH and are owed in ETH. The pool pays what it owes from the
    buffer (the day's deposits and the stake arriving from exits included); for the rest it asks
    validators to exit: they wait in Ethereum's exit queue, earning, then their stake is
    withdrawable after 256 epochs and swept (:func:`process_exits`). Offline penalties come out of
    the buffer (the validators' balances fall below their stake); a buffer below zero is refilled
    by the next rewards and deposits before anything is staked or paid, and validators are exited
    for what the ETH already on its way back does not cover.

    References
    ----------
    Rocket Pool ``RocketDepositPool.sol``, ``deposit()``: a deposit that would take the deposit
    pool's balance above ``deposit.pool.maximum`` (``RocketDAOProtocolSettingsDeposit.sol``) is
    refused; RPIP-16 (18,000 ETH). The cap of a day's deposits is that rule summed over the day.
    """
    # the stakers' divETH after the day's rewards and penalties (the assigned collateral is already
    # net of what it covered today, so the supply must be too)
    stakers = s.diveth_supply + s.retained_rewards_today_eth - s.penalties_today_eth
    stakers -= s.queued_collateral_eth + s.assigned_collateral_eth
    stakers = max(stakers, 0.0)
    offered = 1.0 - stakers * inp.one_over_target_staker_eth
    offered = max(offered, 0.0) * stakers * inp.growth_rate_per_day
    offered += inp.staker_deposit_eth_per_day
    request = stakers * inp.withdrawal_rate_per_day
    s.withdrawal_requests_today_eth = request
    slot = ring_slot(rings, day)
    arrived = rings[ARRIVING, slot, row]
    rings[ARRIVING, slot, row] = 0.0
    s.arrived_today_eth = arrived
    s.withdrawing_eth -= arrived
    buf = s.buffer_eth + s.retained_rewards_today_eth
    buf -= s.penalties_today_eth - s.slashing_penalties_today_eth  # offline penalties, from the balances
    taken = min(offered, max(inp.deposit_cap_eth - (buf + arrived), 0.0))
    s.refused_today_eth = offered - taken
    inflow = taken + inp.collateral_deposit_eth_per_day
    s.deposits_today_eth = inflow
    buf += inflow + arrived
    owed = s.withdrawals_owed_eth + request
    paid = min(owed, max(buf, 0.0))
    s.buffer_eth = buf - paid
    s.withdrawals_owed_eth = owed - paid
    s.withdrawn_today_eth = paid
    s.queued_collateral_eth += inp.collateral_deposit_eth_per_day
    coming = s.withdrawing_eth + s.exiting_validators * inp.validator_stake_eth
    short = s.withdrawals_owed_eth + max(-s.buffer_eth, 0.0) - coming
    if short > 0.0:
        exits = np.ceil(short * inp.one_over_validator_stake_eth - 1e-9)
        request_exits(s, acc, inp, day, exits, rings, row, paths)


@_jit
def process_validator_creation(s: Any, inp: Any, day: int, rings: Any, row: int, paths: Any) -> None:
    """6. Create ``floor(min(buffer / stake, queued / collateral per validator))`` validators.

    Diva's rule: a validator needs a full stake in the buffer *and* a validator's worth of queued
    collateral (key shares × collateral per key share), served first in, first out. Its stake
    moves to ``pending`` and joins Ethereum's entry queue: it activates after
    ``activation_delay_days`` plus the queue's wait — twice over with Diva's two deposits, the
    31 ETH joining the queue once the 1 ETH has passed it (:func:`entry_queue_wait_days`).
    """
    stake = inp.validator_stake_eth
    kc = inp.collateral_per_validator_eth
    new = np.floor(
        min(
            max(s.buffer_eth, 0.0) * inp.one_over_validator_stake_eth,
            s.queued_collateral_eth * inp.one_over_collateral_per_validator_eth,
        )
    )
    s.created_today = new
    if new <= 0.0:
        return
    served = new * kc
    s.queued_collateral_eth -= served
    s.assigned_collateral_eth += served
    s.served_today_eth += served
    staked = new * stake
    s.buffer_eth -= staked
    wait = entry_queue_wait_days(s, inp, float(day), paths)
    if inp.two_step_deposit > 0.0:
        wait += entry_queue_wait_days(s, inp, day + wait, paths)
    s.pending_eth += staked
    wait += inp.activation_delay_days
    s.activation_wait_days = wait
    due = day + int(min(np.floor(wait + 0.5), rings.shape[1] - 1.0))
    rings[ACTIVATING, ring_slot(rings, due), row] += new


@_jit
def process_queue_waits(s: Any, acc: Any, inp: Any, day: int, bin_of_wait: Any, hists: Any, row: int) -> None:
    """6b. Add the wait of every divETH of collateral served today to ``hists[row]`` [divETH].

    The queue is first in, first out and its arrivals are known: ``q0 + e`` divETH arrive on day 0
    and ``e`` on each later day, so queue positions ``[0, q0 + e)`` arrived on day 0 and
    ``[q0 + d·e, q0 + (d + 1)·e)`` on day ``d``. Today's service takes the positions
    ``[served so far, served so far + served today)``; each day's arrivals among them waited
    ``day − d`` days. Each arrival day is visited at most twice over a run, so this is exact and
    cheap. Waits fall in 1-day bins below 127 days, then bins about 3 % wide
    (:func:`divaecon.simulate.metrics.wait_bin_edges`).
    """
    served = s.served_today_eth
    if served <= 0.0:
        return
    lo = acc.collateral_served_eth  # the accumulators still hold yesterday's total
    hi = lo + served
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
def process_activation(s: Any, inp: Any, day: int, rings: Any, row: int) -> None:
    """7. The validators reaching the front of the entry queue today become active."""
    slot = ring_slot(rings, day)
    act = rings[ACTIVATING, slot, row]
    rings[ACTIVATING, slot, row] = 0.0
    s.pending_eth -= act * inp.validator_stake_eth
    s.active_validators += act


@_jit
def process_exits(s: Any, inp: Any, day: int, rings: Any, row: int) -> None:
    """7b. Validators reaching the front of the exit queue leave the active set and stop earning.

    Their operators' collateral is released (a validator's share of the assigned collateral) and
    their stake reaches the pool once withdrawable (``MIN_VALIDATOR_WITHDRAWABILITY_DELAY`` = 256
    epochs) and swept (consensus-specs ``configs/mainnet.yaml``; capella ``process_withdrawals``).
    """
    slot = ring_slot(rings, day)
    leaving = min(rings[EXITING, slot, row], s.exiting_validators)
    rings[EXITING, slot, row] = 0.0
    if leaving <= 0.0:
        return
    keyed = s.active_validators + s.pending_eth * inp.one_over_validator_stake_eth
    a = s.assigned_collateral_eth
    s.assigned_collateral_eth = a - leaving * (a / keyed if keyed > 0.0 else 0.0)
    s.active_validators -= leaving
    s.exiting_validators -= leaving
    stake = leaving * inp.validator_stake_eth
    s.withdrawing_eth += stake
    due = day + int(min(np.floor(inp.exit_to_arrival_days + 0.5), rings.shape[1] - 1.0))
    rings[ARRIVING, ring_slot(rings, due), row] += stake


@_jit
def process_accumulators(s: Any, acc: Any, inp: Any, day: int) -> None:
    """8. The end-of-day supply, and running sums of the day's flows and states.

    ``supply = buffer + pending + active · stake + withdrawing − owed``; the divETH holders' idle
    ETH (cash drag) is what of it does not earn: ``buffer + pending + withdrawing − owed`` (at least 0).
    """
    supply = s.buffer_eth + s.pending_eth
    supply += s.active_validators * inp.validator_stake_eth
    supply += s.withdrawing_eth - s.withdrawals_owed_eth
    s.diveth_supply = supply
    acc.validators_created += s.created_today
    acc.collateral_served_eth += s.served_today_eth
    acc.served_day_sum += day * s.served_today_eth
    acc.deposits_eth += s.deposits_today_eth
    acc.refused_deposits_eth += s.refused_today_eth
    acc.withdrawal_requests_eth += s.withdrawal_requests_today_eth
    acc.withdrawn_eth += s.withdrawn_today_eth
    acc.rewards_eth += s.rewards_today_eth
    acc.burned_eth += s.burned_today_eth
    acc.penalties_covered_eth += s.covered_today_eth
    acc.staker_loss_eth += s.staker_loss_today_eth
    acc.supply_sum_eth += supply
    acc.idle_sum_eth += max(s.buffer_eth + s.pending_eth + s.withdrawing_eth - s.withdrawals_owed_eth, 0.0)
    acc.peak_collateral_locked_eth = max(
        acc.peak_collateral_locked_eth, s.queued_collateral_eth + s.assigned_collateral_eth
    )


@_jit
def start_day(s: Any) -> None:
    """Clear the day's flows that only some steps write."""
    s.served_today_eth = 0.0
    s.slashing_penalties_today_eth = 0.0
    s.ejected_today = 0.0
    s.exits_requested_today = 0.0
    s.created_today = 0.0


@_jit
def run_day(
    s: Any, acc: Any, inp: Any, d: Any, day: int, paths: Any, rings: Any, bin_of_wait: Any, hists: Any, row: int
) -> None:
    """One day of one row: the steps above, in order."""
    start_day(s)
    total, ratio, consensus_scale, burn, share = ethereum_stake(inp, day, paths)
    process_rewards(s, d, total, ratio, consensus_scale, burn, share)
    process_fee_split(s, inp)
    process_penalties(s, inp, d, day, rings, row)
    process_rebase(s, acc, inp)
    process_ejections(s, acc, inp, day, rings, row, paths)
    process_flows(s, acc, inp, day, rings, row, paths)
    process_validator_creation(s, inp, day, rings, row, paths)
    process_queue_waits(s, acc, inp, day, bin_of_wait, hists, row)
    process_activation(s, inp, day, rings, row)
    process_exits(s, inp, day, rings, row)
    process_accumulators(s, acc, inp, day)


__all__ = [
    "ACTIVATING",
    "ARRIVING",
    "EXITING",
    "TINY_SUPPLY",
    "day_inputs",
    "entry_queue_wait_days",
    "ethereum_stake",
    "exit_queue_wait_days",
    "process_accumulators",
    "process_activation",
    "process_ejections",
    "process_exits",
    "process_fee_split",
    "process_flows",
    "process_penalties",
    "process_queue_waits",
    "process_rebase",
    "process_rewards",
    "process_validator_creation",
    "queue_days_per_eth",
    "request_exits",
    "row_reward_factors",
    "run_day",
]
