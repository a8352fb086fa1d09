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


def base_reward_per_increment(total_staked_eth: ArrayLike) -> Any:
    """Float path of the base reward per increment [gwei per ETH per epoch], over arrays.

    ``1e9 * 64 / sqrt(total_staked_eth * 1e9)``; differs from the integer path only by the
    floor divisions (< 1 gwei).

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``.
    """
    total = as_float_array(total_staked_eth)
    out = EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR / np.sqrt(total * GWEI_PER_ETH)
    return unwrap(out, total_staked_eth)


def ideal_consensus_apr(total_staked_eth: ArrayLike) -> Any:
    """Consensus APR of a perfectly performing validator in a perfect network [1/year].

    One base reward per epoch (attesting 54/64, sync 2/64, proposing 8/64 on average), so
    ``base_reward_per_increment * EPOCHS_PER_YEAR / 1e9`` ≈ ``166.3 / sqrt(total_staked_eth)``.

    References
    ----------
    MODEL.md §2; consensus-specs ``specs/altair/beacon-chain.md`` (weights).
    """
    out = as_float_array(base_reward_per_increment(total_staked_eth)) * EPOCHS_PER_YEAR
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
    total = as_float_array(ideal_consensus_apr(total_staked_eth)) * as_float_array(
        effective_balance_eth
    )
    like = (total_staked_eth, effective_balance_eth)
    return {
        "attestation": unwrap(total * ATTESTATION_WEIGHT / WEIGHT_DENOMINATOR, *like),
        "sync": unwrap(total * SYNC_REWARD_WEIGHT / WEIGHT_DENOMINATOR, *like),
        "proposer": unwrap(total * PROPOSER_WEIGHT / WEIGHT_DENOMINATOR, *like),
        "total": unwrap(total, *like),
    }


def consensus_apr(
    total_staked_eth: ArrayLike,
    uptime: ArrayLike = 1.0,
    network_participation: ArrayLike = 1.0,
) -> Any:
    """Expected consensus APR of a validator online a fraction ``uptime`` of the time [1/year].

    Per epoch, in units of the validator's base reward ``b`` (u = uptime, p = participating
    fraction of the network's stake):

    - attestations: ``u · p · 54/64 · b`` earned (each timely flag is scaled by the
      participating fraction) and ``(1 − u) · 40/64 · b`` lost (missed source and target are
      penalised, a missed head is not);
    - sync committee: a member gains ``participant_reward`` per slot it signs and loses the same
      per slot it misses: ``(2u − 1) · 2/64 · b`` on average over committee selection;
    - proposals: the proposer gets 8/56 of the attestation and sync rewards it includes, which is
      ``p · 8/64 · b`` per validator on average; a missed proposal earns nothing: ``u · p · 8/64 · b``.

    At ``u = p = 1`` this is :func:`ideal_consensus_apr`. Outside an inactivity leak only.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``: ``get_flag_index_deltas``,
    ``process_sync_aggregate``, ``get_proposer_reward``; MODEL.md §2.
    """
    u = as_float_array(uptime)
    p = as_float_array(network_participation)
    per_base_reward = (
        u * p * ATTESTATION_WEIGHT
        - (1.0 - u) * MISSED_ATTESTATION_PENALTY_WEIGHT
        + (2.0 * u - 1.0) * SYNC_REWARD_WEIGHT
        + u * p * PROPOSER_WEIGHT
    ) / WEIGHT_DENOMINATOR
    out = as_float_array(ideal_consensus_apr(total_staked_eth)) * per_base_reward
    return unwrap(out, total_staked_eth, uptime, network_participation)


def offline_penalty_apr(total_staked_eth: ArrayLike) -> Any:
    """Penalty rate of a validator that is offline all year (outside a leak) [1/year, positive].

    Missed source and target (40/64 of a base reward) plus, averaged over committee selection,
    missed sync-committee duties (2/64): ``42/64 · ideal_consensus_apr``.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``get_flag_index_deltas`` and
    ``process_sync_aggregate``.
    """
    weight = (MISSED_ATTESTATION_PENALTY_WEIGHT + SYNC_REWARD_WEIGHT) / WEIGHT_DENOMINATOR
    out = as_float_array(ideal_consensus_apr(total_staked_eth)) * weight
    return unwrap(out, total_staked_eth)


def proposals_per_year(
    effective_balance_eth: ArrayLike, total_staked_eth: ArrayLike
) -> Any:
    """Expected block proposals of one validator per year [1/year].

    Proposers are drawn in proportion to effective balance (Electra), so a 32 ETH validator
    proposes ``SLOTS_PER_YEAR · 32 / total_staked_eth`` times a year; the count is Poisson.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``compute_proposer_index``; MODEL.md §2.
    """
    out = SLOTS_PER_YEAR * as_float_array(effective_balance_eth) / as_float_array(total_staked_eth)
    return unwrap(out, effective_balance_eth, total_staked_eth)


def execution_apr(
    el_reward_per_block_eth: ArrayLike, total_staked_eth: ArrayLike, uptime: ArrayLike = 1.0
) -> Any:
    """Execution-layer APR (priority fees + MEV) per ETH staked [1/year].

    ``el_reward_per_block_eth · SLOTS_PER_YEAR · uptime / total_staked_eth``: every slot's block
    reward goes to its proposer, drawn in proportion to stake; a validator that is offline at
    its slot misses the block.

    References
    ----------
    MODEL.md §2 (EL rewards go to the proposer; parameter in ETH per block).
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
    return unwrap(
        cl + el, total_staked_eth, el_reward_per_block_eth, uptime, network_participation
    )


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
    :func:`gross_apr` (consensus-specs altair ``get_flag_index_deltas``; MODEL.md §2).
    """
    ideal = as_float_array(gross_apr(total_staked_eth, el_reward_per_block_eth, 1.0, network_participation))
    actual = as_float_array(gross_apr(total_staked_eth, el_reward_per_block_eth, uptime, network_participation))
    return unwrap((ideal - actual) * as_float_array(validator_stake_eth), total_staked_eth,
                  el_reward_per_block_eth, uptime, network_participation, validator_stake_eth)


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


def inactivity_leak_loss_eth(
    effective_balance_eth: ArrayLike, leak_epochs: ArrayLike
) -> Any:
    """ETH an offline validator loses to the inactivity penalty over a leak of ``leak_epochs``.

    Its score grows by ``INACTIVITY_SCORE_BIAS`` (4) each epoch it misses, so after ``k`` epochs
    it is ``4k`` and the penalty that epoch is ``eb · 4k / (4 · 2**24)``; summed over the leak:
    ``eb · L (L + 1) / 2 / 2**24``. (Attestation penalties of 40/64 base reward come on top;
    attestation rewards are zero during a leak.)

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md``, ``process_inactivity_updates``;
    ``specs/bellatrix/beacon-chain.md``, ``get_inactivity_penalty_deltas``; MODEL.md §2.
    """
    eb = as_float_array(effective_balance_eth)
    epochs = as_float_array(leak_epochs)
    out = eb * epochs * (epochs + 1.0) / 2.0 / INACTIVITY_PENALTY_QUOTIENT_BELLATRIX
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
    (``PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX``); MODEL.md §2.
    """
    eb = as_float_array(effective_balance_eth)
    window = as_float_array(slashed_in_window_eth)
    total = as_float_array(total_staked_eth)
    initial = eb / MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA
    adjusted = np.minimum(PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX * window, total)
    correlation = eb * adjusted / total
    base_reward_eth = as_float_array(base_reward_per_increment(total)) * eb / GWEI_PER_ETH
    missed = (
        base_reward_eth
        * MISSED_ATTESTATION_PENALTY_WEIGHT
        / WEIGHT_DENOMINATOR
        * EPOCHS_PER_SLASHINGS_VECTOR
    )
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


def churn_limit_eth(total_staked_eth: float, quotient: int = CHURN_LIMIT_QUOTIENT,
                    cap_eth: float = MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT / GWEI_PER_ETH) -> float:
    """Churn limit for one total stake, a plain scalar [ETH/epoch] (what the compiled simulation calls).

    ``min(cap, max(128, total // quotient))`` in whole ETH: the Electra deposit and exit limit with
    ``quotient = 2**16, cap = 256`` (:func:`activation_churn_eth_per_epoch`), EIP-8061's exit churn
    with ``quotient = 2**15`` and no cap (``cap_eth = inf``) (:func:`exit_churn_eth_per_epoch`).

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md``, ``get_balance_churn_limit``,
    ``get_activation_exit_churn_limit``; EIP-8061.
    """
    churn = max(MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA / GWEI_PER_ETH, float(math.floor(total_staked_eth / quotient)))
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


def queue_wait_days(queue_eth: ArrayLike, churn_eth_per_epoch: ArrayLike,
                    seconds_per_slot: ArrayLike = SECONDS_PER_SLOT) -> Any:
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
    MODEL.md §2 (EL rewards go to the block proposer; proposals = slots / validators).
    """
    proposals = as_float_array(proposals_per_year(effective_balance_eth, total_staked_eth))
    out = proposals * as_float_array(uptime) * as_float_array(el_reward_per_block_eth)
    return unwrap(out, el_reward_per_block_eth, total_staked_eth, effective_balance_eth, uptime)
