"""Ethereum consensus- and execution-layer rewards (Altair rules, Electra values).

Spec constants are written as the spec writes them, with the section they come from
(STYLE.md §3). Two paths compute the base reward: the spec-exact integer one
(:func:`base_reward_per_increment_gwei`) and a float one over arrays
(:func:`base_reward_per_increment`), which the tests check against each other.

Rates are fractions per year (``0.028`` means 2.8 %/year); amounts carry their unit in the name.

References
----------
consensus-specs ``specs/altair/beacon-chain.md`` (rewards, sync committee),
``specs/bellatrix/beacon-chain.md`` (inactivity and slashing quotients),
``specs/electra/beacon-chain.md`` (slashing, churn, compounding), ``configs/mainnet.yaml``.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike

from divaecon._numeric import as_float_array, unwrap
from divaecon.errors import ParameterError
from divaecon.units import EPOCHS_PER_YEAR, GWEI_PER_ETH, SECONDS_PER_SLOT, SLOTS_PER_EPOCH, SLOTS_PER_YEAR

# --- phase0 / altair beacon-chain.md, "Misc" and "Rewards and penalties" -----------------------
EFFECTIVE_BALANCE_INCREMENT: Final[int] = 2**0 * 10**9  # gwei, phase0 "Gwei values"
BASE_REWARD_FACTOR: Final[int] = 2**6  # phase0 "Rewards and penalties"
# altair beacon-chain.md, "Incentivization weights"
TIMELY_SOURCE_WEIGHT: Final[int] = 14
TIMELY_TARGET_WEIGHT: Final[int] = 26
TIMELY_HEAD_WEIGHT: Final[int] = 14
SYNC_REWARD_WEIGHT: Final[int] = 2
PROPOSER_WEIGHT: Final[int] = 8
WEIGHT_DENOMINATOR: Final[int] = 64
# altair beacon-chain.md, "Sync committee"
SYNC_COMMITTEE_SIZE: Final[int] = 2**9
EPOCHS_PER_SYNC_COMMITTEE_PERIOD: Final[int] = 2**8
# altair "Rewards and penalties"; bellatrix "Updated penalty values"
INACTIVITY_SCORE_BIAS: Final[int] = 2**2
INACTIVITY_SCORE_RECOVERY_RATE: Final[int] = 2**4
INACTIVITY_PENALTY_QUOTIENT_BELLATRIX: Final[int] = 2**24
MIN_EPOCHS_TO_INACTIVITY_PENALTY: Final[int] = 2**2  # phase0 "Time parameters"
MAX_SEED_LOOKAHEAD: Final[int] = 2**2  # phase0 "Time parameters" (epochs)
# phase0 beacon-chain.md "Misc" (effective-balance hysteresis); configs/mainnet.yaml
HYSTERESIS_QUOTIENT: Final[int] = 4
HYSTERESIS_DOWNWARD_MULTIPLIER: Final[int] = 1
HYSTERESIS_UPWARD_MULTIPLIER: Final[int] = 5
EJECTION_BALANCE: Final[int] = 2**4 * 10**9  # gwei (16 ETH), configs/mainnet.yaml
# bellatrix / electra slashing
PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX: Final[int] = 3
MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA: Final[int] = 2**12
EPOCHS_PER_SLASHINGS_VECTOR: Final[int] = 2**13
# electra beacon-chain.md, "Gwei values" and "Validator cycle"
MIN_ACTIVATION_BALANCE: Final[int] = 2**5 * 10**9  # gwei (32 ETH)
MAX_EFFECTIVE_BALANCE_ELECTRA: Final[int] = 2**11 * 10**9  # gwei (2048 ETH)
MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA: Final[int] = 2**7 * 10**9  # gwei (128 ETH)
MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT: Final[int] = 2**8 * 10**9  # gwei (256 ETH)
CHURN_LIMIT_QUOTIENT: Final[int] = 2**16
CHURN_LIMIT_QUOTIENT_GLOAS: Final[int] = 2**15  # EIP-8061 (Glamsterdam draft): exit churn total / 32,768
MIN_VALIDATOR_WITHDRAWABILITY_DELAY: Final[int] = 2**8  # epochs, phase0 configs/mainnet.yaml
MAX_WITHDRAWALS_PER_PAYLOAD: Final[int] = 2**4  # capella beacon-chain.md, "Execution"

ATTESTATION_WEIGHT: Final[int] = TIMELY_SOURCE_WEIGHT + TIMELY_TARGET_WEIGHT + TIMELY_HEAD_WEIGHT
"""54 of 64: the attestation share of an ideal base reward."""
MISSED_ATTESTATION_PENALTY_WEIGHT: Final[int] = TIMELY_SOURCE_WEIGHT + TIMELY_TARGET_WEIGHT
"""40 of 64: a missed source and target are penalised, a missed head is not (altair)."""

VALIDATOR_STAKE_ETH: Final[float] = MIN_ACTIVATION_BALANCE / GWEI_PER_ETH  # 32.0


def integer_squareroot(n: int) -> int:
    """Largest integer ``x`` with ``x**2 <= n`` (phase0 ``integer_squareroot``)."""
    if n < 0:
        raise ValueError("integer_squareroot needs n >= 0")
    return math.isqrt(n)


def base_reward_per_increment_gwei(total_active_balance_gwei: int) -> int:
    """Spec-exact ``get_base_reward_per_increment`` [gwei per 1 ETH increment per epoch].

    ``EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR // integer_squareroot(total)``.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``.
    """
    total = int(total_active_balance_gwei)
    if total <= 0:
        raise ValueError("total_active_balance_gwei must be positive")
    return EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR // integer_squareroot(total)


def base_reward_gwei(effective_balance_gwei: int, total_active_balance_gwei: int) -> int:
    """Spec-exact ``get_base_reward`` of one validator [gwei per epoch].

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward``.
    """
    increments = int(effective_balance_gwei) // EFFECTIVE_BALANCE_INCREMENT
    return increments * base_reward_per_increment_gwei(total_active_balance_gwei)


MAX_TOTAL_STAKED_ETH: Final[float] = 2.0**63 / GWEI_PER_ETH / 2
"""Largest total stake the array path takes [ETH] (int64 gwei with room to spare; 4.6e9 ETH)."""


def _total_gwei(total_staked_eth: ArrayLike) -> np.ndarray:
    """Total stake as whole gwei (int64), rounded to the nearest gwei; exact for whole-ETH totals.

    A whole number of ETH times 10**9 is exactly representable as a float64 below 2**53 · 2**9
    ETH, so ``rint(total · 1e9)`` is the integer the spec would see.
    """
    total = as_float_array(total_staked_eth)
    bad = ~np.isfinite(total) | (total <= 0) | (total > MAX_TOTAL_STAKED_ETH)
    if np.any(bad):
        value = total[bad].flat[0] if total.ndim else float(total)
        raise ParameterError(
            [f"total_staked_eth = {value!r}: must be a positive number of ETH at most {MAX_TOTAL_STAKED_ETH:.3g}"]
        )
    return np.rint(total * GWEI_PER_ETH).astype(np.int64)


def _integer_squareroot_array(n: np.ndarray) -> np.ndarray:
    """``integer_squareroot`` of each element of an int64 array (phase0), exactly.

    The float64 square root is within one of the true one for n < 2**63; one correction step
    each way makes it exact (``x**2 <= n < (x + 1)**2``).
    """
    x = np.floor(np.sqrt(n.astype(np.float64))).astype(np.int64)
    x = np.where(x * x > n, x - 1, x)
    x = np.where((x + 1) * (x + 1) <= n, x + 1, x)
    return x


def base_reward_per_increment(total_staked_eth: ArrayLike) -> Any:
    """Spec-exact base reward per increment over arrays [gwei per ETH per epoch].

    ``EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR // integer_squareroot(total_gwei)`` in
    integer arithmetic, element by element: equal to :func:`base_reward_per_increment_gwei` for
    every total that is a whole number of gwei (in particular every whole-ETH total); other
    totals are rounded to the nearest gwei first. Returned as floats (whole numbers).
    343 gwei at 34.65M ETH; :func:`base_reward_per_increment_smooth` is the unfloored
    approximation.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``;
    ``specs/phase0/beacon-chain.md``, ``integer_squareroot``.
    """
    root = _integer_squareroot_array(_total_gwei(total_staked_eth))
    out = (EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR // root).astype(float)
    return unwrap(out, total_staked_eth)


def base_reward_per_increment_of(total_staked_eth: float) -> float:
    """:func:`base_reward_per_increment` for one total, in plain scalar arithmetic [gwei per ETH per epoch].

    The same integer steps (total rounded to whole gwei, ``integer_squareroot`` by a float square
    root and one correction each way, then the floor division), written so the compiled
    simulation can run this very function for rows whose stake path it does not tabulate.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``;
    ``specs/phase0/beacon-chain.md``, ``integer_squareroot``.
    """
    total_gwei = int(np.rint(total_staked_eth * GWEI_PER_ETH))
    root = int(math.sqrt(float(total_gwei)))
    if root * root > total_gwei:
        root -= 1
    if (root + 1) * (root + 1) <= total_gwei:
        root += 1
    return float(EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR // root)


def base_reward_per_increment_smooth(total_staked_eth: ArrayLike) -> Any:
    """Approximation: the base reward per increment without the spec's floors [gwei].

    ``1e9 · 64 / sqrt(total_staked_eth · 1e9)`` (343.82 gwei at 34.65M ETH, where the spec gives
    343): up to 1 gwei above :func:`base_reward_per_increment`. For smooth curves and for the
    rule of thumb ``166.3 / sqrt(S)``; headline figures use the spec-exact path.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``.
    """
    total = as_float_array(total_staked_eth)
    out = EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR / np.sqrt(total * GWEI_PER_ETH)
    return unwrap(out, total_staked_eth)


def ideal_consensus_apr(total_staked_eth: ArrayLike) -> Any:
    """Consensus APR of a perfectly performing validator in a perfect network [1/year].

    One base reward per epoch on average (attesting 54/64, sync 2/64, proposing 8/64), so
    ``base_reward_per_increment · EPOCHS_PER_YEAR / 1e9`` with the spec's floored base reward:
    343 gwei × 82,181.25 / 1e9 = 2.8188 % at 34.65M ETH. (The later floors of the sync and
    proposer rewards move it by less than 1e-5 of itself.) :func:`ideal_consensus_apr_smooth`
    is the smooth approximation ``≈ 166.3 / sqrt(S)``.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``: ``get_base_reward_per_increment``,
    "Incentivization weights".
    """
    out = as_float_array(base_reward_per_increment(total_staked_eth)) * EPOCHS_PER_YEAR
    return unwrap(out / GWEI_PER_ETH, total_staked_eth)


def ideal_consensus_apr_smooth(total_staked_eth: ArrayLike) -> Any:
    """Approximation of :func:`ideal_consensus_apr` without the floors: ``≈ 166.3 / sqrt(S)``.

    ``64e9 / sqrt(S · 1e9) · 82,181.25 / 1e9`` (2.8255 % at 34.65M ETH, against the spec's
    2.8188 %). Labelled as the approximation wherever it is shown.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``.
    """
    out = as_float_array(base_reward_per_increment_smooth(total_staked_eth)) * EPOCHS_PER_YEAR
    return unwrap(out / GWEI_PER_ETH, total_staked_eth)


def ideal_reward_split_eth_per_year(
    total_staked_eth: ArrayLike, effective_balance_eth: ArrayLike = VALIDATOR_STAKE_ETH
) -> dict[str, Any]:
    """Ideal annual consensus reward of one validator split by duty [ETH/year].

    Returns ``{"attestation", "sync", "proposer", "total"}``; the parts are 54/64, 2/64 and
    8/64 of ``base_reward * EPOCHS_PER_YEAR`` (on average over sync-committee and proposer luck).

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, "Incentivization weights".
    """
    total = as_float_array(ideal_consensus_apr(total_staked_eth)) * as_float_array(effective_balance_eth)
    like = (total_staked_eth, effective_balance_eth)
    return {
        "attestation": unwrap(total * ATTESTATION_WEIGHT / WEIGHT_DENOMINATOR, *like),
        "sync": unwrap(total * SYNC_REWARD_WEIGHT / WEIGHT_DENOMINATOR, *like),
        "proposer": unwrap(total * PROPOSER_WEIGHT / WEIGHT_DENOMINATOR, *like),
        "total": unwrap(total, *like),
    }


MIN_FINALISING_PARTICIPATION: Final[float] = 2 / 3
"""Below this share of the stake attesting, the chain stops finalising (phase0
``weigh_justification_and_finalization``: target votes × 3 ≥ total active balance × 2)."""

SOURCE_INCLUSION_SLOTS: Final[int] = 5
"""``integer_squareroot(SLOTS_PER_EPOCH)``: a vote earns TIMELY_SOURCE only if included within
5 slots (altair ``get_attestation_participation_flag_indices``)."""


def check_network_participation(network_participation: ArrayLike) -> np.ndarray:
    """``network_participation`` as an array, or a ParameterError if outside [2/3, 1].

    Below 2/3 the chain does not finalise: after 4 epochs the inactivity leak applies and the
    reward formulas of :func:`consensus_apr_by_duty` no longer hold (see
    :func:`inactivity_leak_loss_eth`).
    """
    p = as_float_array(network_participation)
    bad = ~np.isfinite(p) | (p < MIN_FINALISING_PARTICIPATION - 1e-12) | (p > 1.0)
    if np.any(bad):
        value = p[bad].flat[0] if p.ndim else float(p)
        raise ParameterError(
            [
                f"network_participation = {value!r}: must be between 2/3 and 1; below 2/3 of the "
                "stake online the chain stops finalising and the inactivity leak applies "
                "(use inactivity_leak_loss_eth for that regime)"
            ]
        )
    return p


def consensus_apr_by_duty(
    total_staked_eth: ArrayLike,
    uptime: ArrayLike = 1.0,
    network_participation: ArrayLike = 1.0,
) -> dict[str, Any]:
    """Expected consensus APR of a validator by duty, per ETH of its stake [1/year].

    ``uptime`` ``u`` is the fraction of the time the validator itself is online.
    ``network_participation`` ``p`` has one meaning: the share of the network's stake that is
    online. The other ``1 − p`` is offline and misses everything: its attestations, its block
    proposals (those slots stay empty) and its sync-committee signatures. From the spec, per
    epoch and in units of the validator's base reward ``b`` (weights out of 64), with
    ``q = 1 − (1 − p)**5`` the chance that a block follows within the 5 slots a source vote
    may wait:

    - ``attestation_rewards``: ``u · (14 · q · p q + 26 · p + 14 · p · h)``. A timely flag
      earns ``b · weight · (participating stake / total)`` of its epoch
      (``get_flag_index_deltas``); the source flag needs inclusion within 5 slots, the head
      flag inclusion in the very next slot (``get_attestation_participation_flag_indices``),
      which needs that slot's proposer online (``p``); the share of the stake holding the head
      flag is then on average ``h = p · (p + (1 − p) / 32)`` (``p²`` plus the covariance of
      one's own next block with the epoch's 32 slots); the target flag has no inclusion
      deadline after Deneb (EIP-7045);
    - ``attestation_penalties``: ``(1 − u) · 40 + u · (1 − q) · 14`` (missed source and target;
      a missed head is not penalised);
    - ``sync_rewards`` ``u · p · 2`` and ``sync_penalties`` ``(1 − u) · p · 2``: a member gains
      (or, offline, loses) the ``participant_reward`` of each slot whose block exists
      (``process_sync_aggregate``), on average over committee selection;
    - ``proposer``: ``u · (14 q + 26 + 14 p + 2 p) / 7``. The proposer earns 8/56 of the rewards
      of the flags it includes (``process_attestation``) and of the sync signatures it includes;
      empty slots leave their attestations to the next block, so the flags earned network-wide
      are shared among the ``p`` of the slots that have a block;
    - ``total``: rewards − penalties.

    At ``u = p = 1`` the total is :func:`ideal_consensus_apr` (54 + 2 + 8 = 64). Slots are
    independent; every block has room for the attestations waiting (8 aggregates after Electra,
    EIP-7549); the source flag's share is taken as ``p q`` (its covariance term is of order
    ``(1 − p)**5``). The tests check the whole against a slot-by-slot play of these rules.
    Execution rewards do not depend on ``p``: see :func:`execution_apr`.

    Raises :class:`~divaecon.errors.ParameterError` for ``p`` below 2/3 (no finality: the
    inactivity leak applies instead, :func:`inactivity_leak_loss_eth`).

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``: ``get_attestation_participation_flag_indices``,
    ``get_flag_index_deltas``, ``process_attestation``, ``process_sync_aggregate``;
    ``specs/deneb/beacon-chain.md`` (EIP-7045: target votes without an inclusion deadline);
    ``specs/electra/beacon-chain.md`` (``MAX_ATTESTATIONS_ELECTRA``).
    """
    u = as_float_array(uptime)
    p = check_network_participation(network_participation)
    q = 1.0 - (1.0 - p) ** SOURCE_INCLUSION_SLOTS
    ideal = as_float_array(ideal_consensus_apr(total_staked_eth)) / WEIGHT_DENOMINATOR
    head_holders = p * (p + (1.0 - p) / SLOTS_PER_EPOCH)  # E[next block · share holding head]
    att_reward = u * (
        TIMELY_SOURCE_WEIGHT * q * p * q + TIMELY_TARGET_WEIGHT * p + TIMELY_HEAD_WEIGHT * p * head_holders
    )
    att_penalty = (1.0 - u) * MISSED_ATTESTATION_PENALTY_WEIGHT + u * (1.0 - q) * TIMELY_SOURCE_WEIGHT
    sync_reward = u * p * SYNC_REWARD_WEIGHT
    sync_penalty = (1.0 - u) * p * SYNC_REWARD_WEIGHT
    proposer = (
        u
        * (TIMELY_SOURCE_WEIGHT * q + TIMELY_TARGET_WEIGHT + TIMELY_HEAD_WEIGHT * p + SYNC_REWARD_WEIGHT * p)
        * PROPOSER_WEIGHT
        / (WEIGHT_DENOMINATOR - PROPOSER_WEIGHT)
    )
    parts = {
        "attestation_rewards": att_reward,
        "attestation_penalties": att_penalty,
        "sync_rewards": sync_reward,
        "sync_penalties": sync_penalty,
        "proposer": proposer,
        "total": att_reward - att_penalty + sync_reward - sync_penalty + proposer,
    }
    like = (total_staked_eth, uptime, network_participation)
    return {k: unwrap(ideal * v, *like) for k, v in parts.items()}


def consensus_apr(
    total_staked_eth: ArrayLike,
    uptime: ArrayLike = 1.0,
    network_participation: ArrayLike = 1.0,
) -> Any:
    """Expected consensus APR of a validator online a fraction ``uptime`` of the time [1/year].

    The ``total`` of :func:`consensus_apr_by_duty` (read it there for what ``uptime`` and
    ``network_participation`` mean). At full participation, in units of the base reward:
    ``u · 54/64`` from attestations, ``− (1 − u) · 40/64`` for missed source and target,
    ``(2u − 1) · 2/64`` from the sync committee and ``u · 8/64`` from proposals. At
    ``u = p = 1`` it is :func:`ideal_consensus_apr`. Outside an inactivity leak only.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``: ``get_flag_index_deltas``,
    ``process_sync_aggregate``, ``process_attestation`` (proposer reward).
    """
    return consensus_apr_by_duty(total_staked_eth, uptime, network_participation)["total"]


def offline_penalty_apr(total_staked_eth: ArrayLike, network_participation: ArrayLike = 1.0) -> Any:
    """Penalty rate of a validator that is offline all year (outside a leak) [1/year, positive].

    Missed source and target (40/64 of a base reward) plus, averaged over committee selection,
    missed sync-committee duties (2/64 in each slot with a block, so ``p · 2/64``):
    ``42/64 · ideal_consensus_apr`` at full participation.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_flag_index_deltas`` and
    ``process_sync_aggregate``.
    """
    parts = consensus_apr_by_duty(total_staked_eth, 0.0, network_participation)
    out = as_float_array(parts["attestation_penalties"]) + as_float_array(parts["sync_penalties"])
    return unwrap(out, total_staked_eth, network_participation)


def proposals_per_year(effective_balance_eth: ArrayLike, total_staked_eth: ArrayLike) -> Any:
    """Expected block proposals of one validator per year [1/year].

    Proposers are drawn in proportion to effective balance (Electra), so a 32 ETH validator
    proposes ``SLOTS_PER_YEAR · 32 / total_staked_eth`` times a year; the count is Poisson.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``compute_proposer_index``.
    """
    out = SLOTS_PER_YEAR * as_float_array(effective_balance_eth) / as_float_array(total_staked_eth)
    return unwrap(out, effective_balance_eth, total_staked_eth)


def execution_apr(el_reward_per_block_eth: ArrayLike, total_staked_eth: ArrayLike, uptime: ArrayLike = 1.0) -> Any:
    """Execution-layer APR (priority fees + MEV) per ETH staked [1/year].

    ``el_reward_per_block_eth · SLOTS_PER_YEAR · uptime / total_staked_eth``: every slot's block
    reward goes to its proposer, drawn in proportion to stake; a validator that is offline at
    its slot misses the block.

    References
    ----------
    consensus-specs ``specs/bellatrix/beacon-chain.md`` (the proposer's block names the
    execution payload's ``fee_recipient``); EIP-1559 (priority fees go to that recipient; MEV
    payments from block builders go to the proposer too). The reward per block is a parameter
    (ETH per block), not a rate.
    """
    out = (
        as_float_array(el_reward_per_block_eth)
        * SLOTS_PER_YEAR
        * as_float_array(uptime)
        / as_float_array(total_staked_eth)
    )
    return unwrap(out, el_reward_per_block_eth, total_staked_eth, uptime)


def el_reward_per_block_from_apr(execution_apr_: ArrayLike, total_staked_eth: ArrayLike) -> Any:
    """Invert :func:`execution_apr`: the ETH per block that gives an observed EL APR [ETH]."""
    out = as_float_array(execution_apr_) * as_float_array(total_staked_eth) / SLOTS_PER_YEAR
    return unwrap(out, execution_apr_, total_staked_eth)


def gross_apr(
    total_staked_eth: ArrayLike,
    el_reward_per_block_eth: ArrayLike,
    uptime: ArrayLike = 1.0,
    network_participation: ArrayLike = 1.0,
) -> Any:
    """Consensus + execution APR of a validator with the given uptime [1/year].

    References
    ----------
    :func:`consensus_apr` and :func:`execution_apr`.
    """
    cl = as_float_array(consensus_apr(total_staked_eth, uptime, network_participation))
    el = as_float_array(execution_apr(el_reward_per_block_eth, total_staked_eth, uptime))
    return unwrap(cl + el, total_staked_eth, el_reward_per_block_eth, uptime, network_participation)


def rewards_lost_eth_per_year(
    total_staked_eth: ArrayLike,
    el_reward_per_block_eth: ArrayLike,
    uptime: ArrayLike,
    network_participation: ArrayLike = 1.0,
    validator_stake_eth: ArrayLike = VALIDATOR_STAKE_ETH,
) -> Any:
    """Rewards a validator of ``uptime`` forgoes against a perfect one [ETH/year].

    ``(gross_apr(u = 1) − gross_apr(u)) · stake``: missed attestation, sync and proposer rewards,
    the penalties of missed source and target votes, and missed execution rewards.

    References
    ----------
    :func:`gross_apr` (consensus-specs altair ``get_flag_index_deltas``).
    """
    ideal = as_float_array(gross_apr(total_staked_eth, el_reward_per_block_eth, 1.0, network_participation))
    actual = as_float_array(gross_apr(total_staked_eth, el_reward_per_block_eth, uptime, network_participation))
    return unwrap(
        (ideal - actual) * as_float_array(validator_stake_eth),
        total_staked_eth,
        el_reward_per_block_eth,
        uptime,
        network_participation,
        validator_stake_eth,
    )


def inactivity_penalty_gwei(effective_balance_gwei: int, inactivity_score: int) -> int:
    """Spec-exact inactivity penalty of one epoch for a non-participating validator [gwei].

    ``effective_balance * inactivity_score // (INACTIVITY_SCORE_BIAS *
    INACTIVITY_PENALTY_QUOTIENT_BELLATRIX)``.

    References
    ----------
    consensus-specs ``specs/bellatrix/beacon-chain.md``, ``get_inactivity_penalty_deltas``.
    """
    denominator = INACTIVITY_SCORE_BIAS * INACTIVITY_PENALTY_QUOTIENT_BELLATRIX
    return int(effective_balance_gwei) * int(inactivity_score) // denominator


def inactivity_leak_loss_closed_form_eth(effective_balance_eth: ArrayLike, leak_epochs: ArrayLike) -> Any:
    """Approximation: inactivity-leak loss at a *fixed* effective balance [ETH].

    The score grows by 4 each missed epoch, so the penalty of the ``k``-th leak epoch is
    ``eb · 4k / (4 · 2**24)``; summed: ``eb · L (L + 1) / 2 / 2**24``. The effective balance
    in fact falls with the balance, so this overstates long leaks (by 8.6 % at 2,250 epochs and
    34 % at 4,500 for 32 ETH): use :func:`inactivity_leak_loss_eth`, the spec's walk.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``process_inactivity_updates``;
    ``specs/bellatrix/beacon-chain.md``, ``get_inactivity_penalty_deltas``.
    """
    eb = as_float_array(effective_balance_eth)
    epochs = as_float_array(leak_epochs)
    out = eb * epochs * (epochs + 1.0) / 2.0 / INACTIVITY_PENALTY_QUOTIENT_BELLATRIX
    return unwrap(out, effective_balance_eth, leak_epochs)


def inactivity_leak_loss_eth(
    effective_balance_eth: ArrayLike,
    leak_epochs: ArrayLike,
    *,
    offline_after_leak: bool = False,
    exit_delay_epochs: int = 1 + MAX_SEED_LOOKAHEAD,
    inactivity_penalty_quotient: int = INACTIVITY_PENALTY_QUOTIENT_BELLATRIX,
    penalty_numerator: int = 1,
    penalty_denominator: int = 1,
) -> Any:
    """ETH an offline validator loses to inactivity penalties in a leak, walked epoch by epoch.

    The validator starts with balance = effective balance = ``effective_balance_eth`` and
    misses every duty. Each epoch of the leak, as the spec orders it:

    1. ``process_inactivity_updates``: its score rises by ``INACTIVITY_SCORE_BIAS`` (4);
    2. ``get_inactivity_penalty_deltas``: it pays ``eb · score // (4 · 2**24)`` gwei;
    3. ``process_registry_updates``: once its effective balance is at most
       ``EJECTION_BALANCE`` (16 ETH) it is ejected; it stays active, and penalised, for
       ``exit_delay_epochs`` more epochs (at least ``1 + MAX_SEED_LOOKAHEAD`` = 5; longer
       behind an exit queue) and then stops losing;
    4. ``process_effective_balance_updates``: the effective balance drops to the whole ETH
       below the balance once the balance is more than 0.25 ETH
       (``HYSTERESIS_INCREMENT · HYSTERESIS_DOWNWARD_MULTIPLIER``) under it.

    ``leak_epochs`` counts the epochs in which ``is_in_inactivity_leak`` holds. When finality
    returns the validator is assumed back online (its penalties stop); with
    ``offline_after_leak`` it stays offline and keeps paying while its score falls by
    ``16 − 4 = 12`` an epoch (``INACTIVITY_SCORE_RECOVERY_RATE``). The missed source and target
    penalties (40/64 of a base reward each epoch) come on top; attestation rewards are zero
    during a leak. Integer gwei arithmetic throughout, vectorised over validators (the loop is
    over epochs). :func:`inactivity_leak_loss_closed_form_eth` is the fixed-balance
    approximation, which overstates long leaks. Another slot time's leak
    (:func:`divaecon.rules.inactivity_leak_loss_eth`) passes its ``inactivity_penalty_quotient``
    (EIP-8198: 37,748,736 at 8 s) or the ratio rule's ``r²`` as ``penalty_numerator /
    penalty_denominator`` (EIPs PR #12217: ``eb · score · num // (4 · quotient · den)``).

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``process_inactivity_updates``;
    ``specs/bellatrix/beacon-chain.md``, ``get_inactivity_penalty_deltas``;
    ``specs/phase0/beacon-chain.md``, ``process_effective_balance_updates``,
    ``get_eligible_validator_indices``, ``compute_activation_exit_epoch``;
    ``specs/electra/beacon-chain.md``, ``process_registry_updates``; ``configs/mainnet.yaml``
    (``EJECTION_BALANCE``, ``INACTIVITY_SCORE_BIAS``, ``INACTIVITY_SCORE_RECOVERY_RATE``).
    """
    eb_in = as_float_array(effective_balance_eth)
    epochs_in = as_float_array(leak_epochs)
    if np.any(epochs_in < 0) or np.any(epochs_in != np.floor(epochs_in)):
        raise ParameterError([f"leak_epochs = {leak_epochs!r}: must be whole epochs >= 0"])
    if np.any(eb_in <= 0) or np.any(eb_in * GWEI_PER_ETH > MAX_EFFECTIVE_BALANCE_ELECTRA):
        raise ParameterError([f"effective_balance_eth = {effective_balance_eth!r}: must be above 0 and at most 2048"])
    if int(exit_delay_epochs) < 1 + MAX_SEED_LOOKAHEAD:
        raise ParameterError([f"exit_delay_epochs = {exit_delay_epochs!r}: must be at least {1 + MAX_SEED_LOOKAHEAD}"])
    eb_gwei, epochs = np.broadcast_arrays(np.rint(eb_in * GWEI_PER_ETH).astype(np.int64), epochs_in.astype(np.int64))
    start = eb_gwei - eb_gwei % EFFECTIVE_BALANCE_INCREMENT  # effective balances are whole ETH
    eb = start.copy()
    balance = start.copy()
    score = np.zeros_like(eb)
    eject_epoch = np.full_like(eb, -1)
    denominator = INACTIVITY_SCORE_BIAS * int(inactivity_penalty_quotient) * int(penalty_denominator)
    numerator = int(penalty_numerator)
    downward = EFFECTIVE_BALANCE_INCREMENT // HYSTERESIS_QUOTIENT * HYSTERESIS_DOWNWARD_MULTIPLIER
    epoch = 0
    while True:
        leaking = epoch < epochs
        active = (eject_epoch < 0) | (epoch <= eject_epoch + int(exit_delay_epochs))
        recovering = ~leaking & (score > 0) & offline_after_leak
        paying = active & (leaking | recovering)
        if not np.any(paying):
            break
        score = np.where(paying, score + INACTIVITY_SCORE_BIAS, score)
        score = np.where(recovering, score - np.minimum(INACTIVITY_SCORE_RECOVERY_RATE, score), score)
        balance = np.where(paying, np.maximum(balance - eb * score * numerator // denominator, 0), balance)
        eject_now = paying & (eject_epoch < 0) & (eb <= EJECTION_BALANCE)
        eject_epoch = np.where(eject_now, epoch, eject_epoch)
        drop = balance + downward < eb
        eb = np.where(drop, balance - balance % EFFECTIVE_BALANCE_INCREMENT, eb)
        epoch += 1
    out = (start - balance) / GWEI_PER_ETH
    return unwrap(out, effective_balance_eth, leak_epochs)


def slashing_penalty_eth(
    effective_balance_eth: ArrayLike,
    slashed_in_window_eth: ArrayLike,
    total_staked_eth: ArrayLike,
) -> dict[str, Any]:
    """ETH lost by one slashed validator under Electra rules [ETH].

    - ``initial``: ``eb / MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA`` (eb / 4096) at once;
    - ``correlation``: ``eb · min(3 · slashed_in_window, total) / total`` about 18 days later
      (``slashed_in_window_eth`` includes this validator's own balance);
    - ``missed_duties``: source and target penalties (40/64 base reward) each epoch until the
      forced exit, ``EPOCHS_PER_SLASHINGS_VECTOR`` (8,192 epochs, ~36 days) after slashing;
    - ``total``: their sum.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``slash_validator`` and
    ``process_slashings``; ``specs/bellatrix/beacon-chain.md``
    (``PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX``).
    """
    eb = as_float_array(effective_balance_eth)
    window = as_float_array(slashed_in_window_eth)
    total = as_float_array(total_staked_eth)
    initial = eb / MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA
    adjusted = np.minimum(PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX * window, total)
    correlation = eb * adjusted / total
    base_reward_eth = as_float_array(base_reward_per_increment(total)) * eb / GWEI_PER_ETH
    missed = base_reward_eth * MISSED_ATTESTATION_PENALTY_WEIGHT / WEIGHT_DENOMINATOR * EPOCHS_PER_SLASHINGS_VECTOR
    like = (effective_balance_eth, slashed_in_window_eth, total_staked_eth)
    return {
        "initial": unwrap(initial, *like),
        "correlation": unwrap(correlation, *like),
        "missed_duties": unwrap(missed, *like),
        "total": unwrap(initial + correlation + missed, *like),
    }


def activation_churn_eth_per_epoch(total_staked_eth: ArrayLike) -> Any:
    """ETH that may enter the active set per epoch under Electra [ETH/epoch].

    ``min(MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT, max(MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA,
    total / CHURN_LIMIT_QUOTIENT))`` — 128 to 256 ETH per epoch.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``get_balance_churn_limit`` and
    ``get_activation_exit_churn_limit``.
    """
    total_gwei = as_float_array(total_staked_eth) * GWEI_PER_ETH
    churn = np.maximum(MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA, total_gwei / CHURN_LIMIT_QUOTIENT)
    churn = churn - churn % EFFECTIVE_BALANCE_INCREMENT
    out = np.minimum(MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT, churn) / GWEI_PER_ETH
    return unwrap(out, total_staked_eth)


def churn_limit_eth(
    total_staked_eth: float,
    quotient: float = CHURN_LIMIT_QUOTIENT,
    cap_eth: float = MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT / GWEI_PER_ETH,
    min_eth: float = MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA / GWEI_PER_ETH,
) -> float:
    """Churn limit for one total stake, a plain scalar [ETH/epoch] (what the compiled simulation calls).

    ``min(cap, floor(max(min, total / quotient)))`` in whole ETH: the Electra deposit and exit limit
    with ``quotient = 2**16, cap = 256, min = 128`` (:func:`activation_churn_eth_per_epoch`),
    EIP-8061's exit churn with ``quotient = 2**15`` and no cap (``cap_eth = inf``)
    (:func:`exit_churn_eth_per_epoch`); another slot time's constants
    (:func:`divaecon.rules.slot_rules`: e.g. 98,304, 170.67 and 85.33 ETH at 8 s) likewise.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``get_balance_churn_limit``,
    ``get_activation_exit_churn_limit``; EIP-8061.
    """
    churn = float(math.floor(max(min_eth, total_staked_eth / quotient)))
    return min(cap_eth, churn)


def epochs_per_day(seconds_per_slot: ArrayLike = SECONDS_PER_SLOT) -> Any:
    """Epochs in a day at a given slot time [epochs/day]: ``86,400 / (32 · seconds_per_slot)`` (225 at 12 s).

    References
    ----------
    consensus-specs ``specs/phase0/beacon-chain.md`` (``SLOTS_PER_EPOCH``), ``configs/mainnet.yaml``
    (``SECONDS_PER_SLOT``).
    """
    out = 86_400.0 / (SLOTS_PER_EPOCH * as_float_array(seconds_per_slot))
    return unwrap(out, seconds_per_slot)


def exit_churn_eth_per_epoch(total_staked_eth: ArrayLike, rule: str = "electra") -> Any:
    """ETH that may exit the active set per epoch [ETH/epoch].

    ``"electra"``: the same limit as deposits, :func:`activation_churn_eth_per_epoch` (128 to 256
    ETH/epoch); ``"eip8061"``: ``max(128, total / 32,768)`` ETH/epoch, not capped (EIP-8061, in the
    Glamsterdam draft specs).

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``compute_exit_epoch_and_update_churn``
    and ``get_activation_exit_churn_limit``; EIP-8061.
    """
    if rule == "electra":
        return activation_churn_eth_per_epoch(total_staked_eth)
    if rule != "eip8061":
        raise ValueError(f"rule = {rule!r}: must be 'electra' or 'eip8061'")
    total_gwei = as_float_array(total_staked_eth) * GWEI_PER_ETH
    churn = np.maximum(MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA, total_gwei / CHURN_LIMIT_QUOTIENT_GLOAS)
    churn = churn - churn % EFFECTIVE_BALANCE_INCREMENT
    return unwrap(churn / GWEI_PER_ETH, total_staked_eth)


def queue_wait_days(
    queue_eth: ArrayLike, churn_eth_per_epoch: ArrayLike, seconds_per_slot: ArrayLike = SECONDS_PER_SLOT
) -> Any:
    """Days an amount joining the back of a churn-limited queue waits [days].

    ``queue_eth / (churn_eth_per_epoch · epochs per day)``: the queue is served first in, first
    out, ``churn_eth_per_epoch`` ETH an epoch (4,080,985 ETH at 256 ETH/epoch = 57,600 ETH/day: 70.9 days).

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``process_pending_deposits`` (deposits) and
    ``compute_exit_epoch_and_update_churn`` (exits).
    """
    per_day = as_float_array(churn_eth_per_epoch) * as_float_array(epochs_per_day(seconds_per_slot))
    out = as_float_array(queue_eth) / per_day
    return unwrap(out, queue_eth, churn_eth_per_epoch, seconds_per_slot)


def withdrawability_delay_days(seconds_per_slot: ArrayLike = SECONDS_PER_SLOT) -> Any:
    """Days from a validator's exit to when it may be withdrawn [days] (256 epochs ≈ 1.14 days at 12 s).

    References
    ----------
    consensus-specs ``configs/mainnet.yaml``, ``MIN_VALIDATOR_WITHDRAWABILITY_DELAY``.
    """
    out = MIN_VALIDATOR_WITHDRAWABILITY_DELAY / as_float_array(epochs_per_day(seconds_per_slot))
    return unwrap(out, seconds_per_slot)


def execution_reward_eth_per_year(
    el_reward_per_block_eth: ArrayLike,
    total_staked_eth: ArrayLike,
    effective_balance_eth: ArrayLike = VALIDATOR_STAKE_ETH,
    uptime: ArrayLike = 1.0,
) -> Any:
    """Expected execution-layer reward of one validator per year [ETH/year].

    ``proposals_per_year · uptime · el_reward_per_block_eth``; divided by the validator's
    balance this is :func:`execution_apr`. The yearly count of proposals is Poisson (luck),
    which pooled protocols smooth away.

    References
    ----------
    consensus-specs ``specs/bellatrix/beacon-chain.md`` (``fee_recipient`` of the proposer's
    execution payload) and ``specs/electra/beacon-chain.md`` (``compute_proposer_index``:
    proposers drawn in proportion to effective balance).
    """
    proposals = as_float_array(proposals_per_year(effective_balance_eth, total_staked_eth))
    out = proposals * as_float_array(uptime) * as_float_array(el_reward_per_block_eth)
    return unwrap(out, el_reward_per_block_eth, total_staked_eth, effective_balance_eth, uptime)
