"""Ethereum's next rules: the reward curves, burns, slot times and penalties under debate.

Each rule is a field of :class:`~divaecon.params.EthereumParams` (``issuance_curve``,
``execution_burn``, ``seconds_per_slot``, ``exit_churn_rule``, ``correlated_penalties``); this
module turns them into the numbers the rest of the package needs. Today's rules
(``issuance_curve = "current"``, 12 s slots, no burn) give exactly :mod:`divaecon.ethereum`'s
figures: every function here reduces to today's spec when the rules are today's.

What each rule changes (sources in each function's docstring):

- **EIP-8363** (``eip8363``): a burn of ``b = min(1, (D / 60.25M ETH)^(3/2))`` of every duty's
  idealised reward, charged whether or not the duty was done (so penalties and the incentive to be
  online are unchanged), the attestation part skipped during an inactivity leak; an 18-month
  transition in which the base reward factor falls from 128 to 64.
- **Tempered** / **capped** curves (Elowsson): the base reward itself is scaled, so rewards and
  penalties scale together: ``1 / (1 + D / k)`` (tempered), ``min(1, sqrt(D_c / D))`` (capped).
- **Slot time**: EIP-8198's 8 s constants, or PR #12217's ratio rule for any other slot time.
- **EIP-8375** (eMBER): proposers keep 2/3 of execution rewards.
- **EIP-8061** exits and **EIP-7716** anti-correlation penalties: churn and penalty helpers.

Rates are fractions per year; ``D`` is the total ETH staked (the active balance), in ETH.

References
----------
``EIPS/eip-8363.md``, ``EIPS/eip-8198.md``, ``EIPS/eip-7716.md``, ``EIPS/eip-8061.md`` (ethereum/EIPs);
EIPs PR #12217 (EIP-8198 at 10 s), PR #12130 (EIP-8375); consensus-specs ``specs/altair/beacon-chain.md``,
``specs/gloas/beacon-chain.md``; ethresear.ch t/19171 (tempered issuance); Elowsson's capped-issuance note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike
from pydantic import ValidationError

from divaecon import ethereum
from divaecon._numeric import as_float_array, unwrap
from divaecon.errors import ParameterError
from divaecon.params.ethereum import EthereumParams
from divaecon.params.scenario import Scenario, _problems
from divaecon.units import GWEI_PER_ETH, SECONDS_PER_DAY, SECONDS_PER_YEAR, SLOTS_PER_EPOCH

# --- EIP-8363, "Constants" ----------------------------------------------------------------------
SATURATION_BALANCE: Final[int] = 60_250_000 * 10**9  # gwei
TRANSITION_BASE_REWARD_FACTOR: Final[int] = 128
TRANSITION_DURATION_EPOCHS: Final[int] = 123_300  # 548 days x 225 epochs
# --- EIP-8198, "Parameters" (8 s slots) ---------------------------------------------------------
REFERENCE_SLOT_DURATION_MS: Final[int] = 12_000  # configs/mainnet.yaml SLOT_DURATION_MS
QUICK_SLOT_DURATION_MS: Final[int] = 8_000
BASE_REWARD_FACTOR_8S: Final[int] = 42
INACTIVITY_PENALTY_QUOTIENT_8S: Final[int] = 37_748_736
CHURN_LIMIT_QUOTIENT_8S: Final[int] = 98_304
MIN_PER_EPOCH_CHURN_LIMIT_8S: Final[int] = 85_333_333_333  # gwei
MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT_8S: Final[int] = 170_666_666_666  # gwei
# --- EIP-7716, "Specification" ------------------------------------------------------------------
PENALTY_ADJUSTMENT_FACTOR: Final[int] = 4096
MAX_PENALTY_FACTOR: Final[int] = 4
# --- EIP-8375 (PR #12130): a third of execution rewards burned -----------------------------------
EXECUTION_BURN_DENOMINATOR: Final[int] = 3

CURVES: Final[tuple[str, ...]] = ("current", "eip8363", "tempered", "capped")
EXECUTION_BURNS: Final[tuple[str, ...]] = ("none", "eip8375")


# ================================================================================================
# Slot time
# ================================================================================================
@dataclass(frozen=True, slots=True)
class SlotRules:
    """The constants a slot time implies (what :func:`slot_rules` returns).

    Integer ratios are kept as numerator/denominator so that the spec's deferred division can be
    reproduced: ``base reward = EBI · BRF · num // den // isqrt(D)``.
    """

    slot_ms: int
    """Slot duration [ms]."""
    base_reward_factor: int
    """Base reward factor before the ratio: 64 (today and PR #12217), 42 (EIP-8198 at 8 s)."""
    reward_num: int
    """Numerator of the base reward's slot ratio (``slot_ms`` under PR #12217, else 1)."""
    reward_den: int
    """Its denominator (12,000 under PR #12217, else 1)."""
    inactivity_quotient: int
    """``INACTIVITY_PENALTY_QUOTIENT_BELLATRIX`` in force (2^24 today, 37,748,736 at 8 s)."""
    inactivity_num: int
    """Numerator of the leak's r^2 (PR #12217: (slot_ms/g)^2, else 1)."""
    inactivity_den: int
    """Its denominator (PR #12217: (12,000/g)^2, else 1), g = gcd(slot_ms, 12,000)."""
    churn_quotient: float
    """``CHURN_LIMIT_QUOTIENT`` in force (65,536 today, 98,304 at 8 s; 65,536 / r under PR #12217)."""
    churn_min_eth: float
    """``MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA`` in force [ETH/epoch]."""
    churn_cap_eth: float
    """``MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT`` in force [ETH/epoch]."""
    rule: str
    """``"today"``, ``"eip8198"`` or ``"pr12217"``."""

    @property
    def ratio(self) -> float:
        """r = slot_ms / 12,000."""
        return self.slot_ms / REFERENCE_SLOT_DURATION_MS

    @property
    def epochs_per_year(self) -> float:
        """Epochs in a Julian year at this slot time (82,181.25 at 12 s)."""
        return SECONDS_PER_YEAR * 1000.0 / (SLOTS_PER_EPOCH * self.slot_ms)

    @property
    def epochs_per_day(self) -> float:
        """Epochs in a day (225 at 12 s, 337.5 at 8 s, 270 at 10 s)."""
        return SECONDS_PER_DAY * 1000.0 / (SLOTS_PER_EPOCH * self.slot_ms)


def slot_rules(seconds_per_slot: float) -> SlotRules:
    """The reward, leak and churn constants at a slot time.

    - 12 s: today's constants exactly (consensus-specs ``configs/mainnet.yaml``, ``specs/altair``,
      ``specs/bellatrix``, ``specs/electra``);
    - 8 s: EIP-8198's table (``EIPS/eip-8198.md``, "Parameters"): ``BASE_REWARD_FACTOR`` 42,
      ``INACTIVITY_PENALTY_QUOTIENT_BELLATRIX`` 37,748,736, ``CHURN_LIMIT_QUOTIENT`` 98,304,
      ``MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA`` 85,333,333,333 gwei,
      ``MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT`` 170,666,666,666 gwei;
    - any other: EIPs PR #12217 (2026-08-20, EIP-8198 retargeted to 10 s) and its reference spec
      (consensus-specs PR #5592, ``specs/_features/eip8198``): ``r = slot_ms / 12,000``, base
      reward × r, inactivity penalty × r², churn × r, with the division deferred so no constant is
      re-rounded (``BRF · slot_ms // 12,000`` inside the base reward).

    Slot times are whole milliseconds (PR #5592 asks for whole seconds; fractions are accepted).
    """
    slot_ms = round(float(seconds_per_slot) * 1000)
    if not 2_000 <= slot_ms <= 24_000:
        raise ParameterError([f"ethereum.seconds_per_slot = {seconds_per_slot!r}: must be between 2 and 24 seconds"])
    if slot_ms == REFERENCE_SLOT_DURATION_MS:
        return SlotRules(
            slot_ms, ethereum.BASE_REWARD_FACTOR, 1, 1, ethereum.INACTIVITY_PENALTY_QUOTIENT_BELLATRIX, 1, 1,
            float(ethereum.CHURN_LIMIT_QUOTIENT), ethereum.MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA / GWEI_PER_ETH,
            ethereum.MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT / GWEI_PER_ETH, "today",
        )  # fmt: skip
    if slot_ms == QUICK_SLOT_DURATION_MS:
        return SlotRules(
            slot_ms, BASE_REWARD_FACTOR_8S, 1, 1, INACTIVITY_PENALTY_QUOTIENT_8S, 1, 1,
            float(CHURN_LIMIT_QUOTIENT_8S), MIN_PER_EPOCH_CHURN_LIMIT_8S / GWEI_PER_ETH,
            MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT_8S / GWEI_PER_ETH, "eip8198",
        )  # fmt: skip
    g = math.gcd(slot_ms, REFERENCE_SLOT_DURATION_MS)
    num, den = slot_ms // g, REFERENCE_SLOT_DURATION_MS // g
    r = slot_ms / REFERENCE_SLOT_DURATION_MS
    return SlotRules(
        slot_ms, ethereum.BASE_REWARD_FACTOR, slot_ms, REFERENCE_SLOT_DURATION_MS,
        ethereum.INACTIVITY_PENALTY_QUOTIENT_BELLATRIX, num * num, den * den,
        ethereum.CHURN_LIMIT_QUOTIENT / r,
        math.floor(ethereum.MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA * slot_ms / REFERENCE_SLOT_DURATION_MS) / GWEI_PER_ETH,
        math.floor(ethereum.MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT * slot_ms / REFERENCE_SLOT_DURATION_MS)
        / GWEI_PER_ETH,
        "pr12217",
    )  # fmt: skip


# ================================================================================================
# EIP-8363: burn fraction and transition
# ================================================================================================
def issuance_burn_gwei(reward_gwei: ArrayLike, sqrt_active: ArrayLike, sqrt_sat: int) -> Any:
    """EIP-8363's ``get_issuance_burn``: ``reward · (sqrt_active / sqrt_sat)^3`` as three floor divisions [gwei].

    ``burn = reward; 3 × (burn = burn · sqrt_active // sqrt_sat)``, in integers (int64 arrays;
    rewards below 10^9 gwei keep every product within int64).

    References
    ----------
    ``EIPS/eip-8363.md``, Specification, "Helper functions", ``get_issuance_burn``.
    """
    burn = np.asarray(reward_gwei).astype(np.int64)
    sa = np.asarray(sqrt_active).astype(np.int64)
    for _ in range(3):
        burn = burn * sa // int(sqrt_sat)
    return burn[()] if burn.ndim == 0 else burn


def _sqrt_active_and_sat(total_staked_eth: ArrayLike) -> tuple[np.ndarray, int]:
    """``min(isqrt(D), isqrt(SATURATION_BALANCE))`` and ``isqrt(SATURATION_BALANCE)`` (EIP-8363)."""
    sqrt_sat = math.isqrt(SATURATION_BALANCE)
    root = ethereum._integer_squareroot_array(ethereum._total_gwei(total_staked_eth))
    return np.minimum(root, sqrt_sat), sqrt_sat


def burn_fraction(total_staked_eth: ArrayLike) -> Any:
    """EIP-8363's burn fraction ``b = min(1, (D / SATURATION_BALANCE)^(3/2))`` [fraction].

    As the spec computes it: ``(sqrt_active / sqrt_sat)^3`` with ``sqrt_active =
    min(isqrt(D), isqrt(D_sat))`` in gwei (0.5437 at 40.14M ETH, 1 from 60.25M ETH on). The spec
    then floors each burn to gwei (:func:`issuance_burn_gwei`); on a validator's yearly reward
    that floor is below one part in 10^4.

    References
    ----------
    ``EIPS/eip-8363.md``, Specification (burn fraction; ``process_issuance_burn``'s clamp of
    ``sqrt_active`` to ``sqrt_sat``).
    """
    sa, ss = _sqrt_active_and_sat(total_staked_eth)
    out = (sa.astype(float) / ss) ** 3
    return unwrap(out, total_staked_eth)


def base_reward_factor_at(epochs_since_fork: ArrayLike) -> Any:
    """EIP-8363's ``get_base_reward_factor``: 128 at the fork, a 65-step staircase down to 64 [integer].

    ``64 + (64 · remaining + 123,300 // 2) // 123,300`` with ``remaining = 123,300 − elapsed``
    (rounded half up, the EIP's integer arithmetic); 128 at and before the fork epoch, 64 from
    123,300 epochs (≈ 548 days at 12 s) on. Returned as floats (whole numbers).

    References
    ----------
    ``EIPS/eip-8363.md``, Specification, "The base reward factor transition".
    """
    e = np.floor(as_float_array(epochs_since_fork)).astype(np.int64)
    boost = TRANSITION_BASE_REWARD_FACTOR - ethereum.BASE_REWARD_FACTOR
    remaining = np.clip(TRANSITION_DURATION_EPOCHS - e, 0, TRANSITION_DURATION_EPOCHS)
    factor = ethereum.BASE_REWARD_FACTOR + (boost * remaining + TRANSITION_DURATION_EPOCHS // 2) // (
        TRANSITION_DURATION_EPOCHS
    )
    factor = np.where(e <= 0, TRANSITION_BASE_REWARD_FACTOR, factor)
    return unwrap(factor.astype(float), epochs_since_fork)


# ================================================================================================
# Rewards under a rule set
# ================================================================================================
def _base_reward_per_increment(total_staked_eth: ArrayLike, factor: ArrayLike, slot: SlotRules) -> np.ndarray:
    """``EBI · factor · num // den // isqrt(D)`` per element [gwei per ETH per epoch]."""
    root = ethereum._integer_squareroot_array(ethereum._total_gwei(total_staked_eth))
    # EIP-8198's 8 s factor (42 for 64) applied to whatever factor is in force (EIP-8363's transition)
    f = np.asarray(factor, dtype=np.int64) * slot.base_reward_factor // ethereum.BASE_REWARD_FACTOR
    return (ethereum.EFFECTIVE_BALANCE_INCREMENT * f * slot.reward_num // slot.reward_den // root).astype(float)


def curve_factor(total_staked_eth: ArrayLike, eth: EthereumParams) -> Any:
    """How a research curve scales today's base reward at stake ``D`` [fraction, 1 for current and eip8363].

    - ``tempered``: ``1 / (1 + D / k)`` (Elowsson, ethresear.ch t/19171: y = cF / (√D (1 + D/k)));
      at ``D = k`` issuance is half of today's;
    - ``capped``: ``min(1, √(D_c / D))``: today's yield up to ``D_c``, then ``cF · √D_c / D``, a
      constant total issuance (Elowsson, "Reward curve with capped issuance").

    Both scale the base reward, hence rewards and penalties alike (a curve, not a burn). EIP-8363
    leaves the base reward alone (its burn is :func:`burn_fraction`).
    """
    d = as_float_array(total_staked_eth)
    if eth.issuance_curve == "tempered":
        out = 1.0 / (1.0 + d / eth.issuance_tempering_k_eth)
    elif eth.issuance_curve == "capped":
        out = np.minimum(1.0, np.sqrt(eth.issuance_cap_stake_eth / d))
    else:
        out = np.ones_like(d)
    return unwrap(out, total_staked_eth)


def effective_base_reward_factor(eth: EthereumParams, epochs_since_fork: ArrayLike | None = None) -> Any:
    """The base reward factor in force: EIP-8363's transition under ``eip8363`` (None: steady state, 64), else 64."""
    if eth.issuance_curve != "eip8363" or epochs_since_fork is None:
        return float(ethereum.BASE_REWARD_FACTOR)
    return base_reward_factor_at(epochs_since_fork)


def reward_scale(total_staked_eth: ArrayLike, eth: EthereumParams, epochs_since_fork: ArrayLike | None = None) -> Any:
    """Yearly rewards and penalties under ``eth``'s rules over today's at the same stake [ratio].

    ``base_reward_per_increment(rules) · epochs_per_year(rules) · curve_factor`` over
    ``base_reward_per_increment(today) · 82,181.25``. Every consensus reward and every
    (non-leak) penalty of :mod:`divaecon.ethereum` scales by it: 1 exactly under today's rules;
    0.984 at 8 s (EIP-8198: BRF 42 against the exact 42.67); 2 at EIP-8363's fork (BRF 128).
    The EIP-8363 burn comes on top (:func:`burn_apr`).

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md`` ``get_base_reward_per_increment``;
    :func:`slot_rules`, :func:`base_reward_factor_at`, :func:`curve_factor`.
    """
    slot = slot_rules(eth.seconds_per_slot)
    factor = effective_base_reward_factor(eth, epochs_since_fork)
    ruled = _base_reward_per_increment(total_staked_eth, factor, slot) * slot.epochs_per_year
    today = as_float_array(ethereum.base_reward_per_increment(total_staked_eth)) * ethereum.EPOCHS_PER_YEAR
    out = ruled / today * as_float_array(curve_factor(total_staked_eth, eth))
    return unwrap(out, total_staked_eth, epochs_since_fork if epochs_since_fork is not None else 0.0)


def ideal_consensus_apr(
    total_staked_eth: ArrayLike, eth: EthereumParams, epochs_since_fork: ArrayLike | None = None
) -> Any:
    """Gross consensus APR of a perfect attester in a perfect network under ``eth``'s rules, before any burn [1/year].

    :func:`divaecon.ethereum.ideal_consensus_apr` × :func:`reward_scale`.
    """
    today = as_float_array(ethereum.ideal_consensus_apr(total_staked_eth))
    out = today * as_float_array(reward_scale(total_staked_eth, eth, epochs_since_fork))
    return unwrap(out, total_staked_eth)


def burn_apr(total_staked_eth: ArrayLike, eth: EthereumParams, epochs_since_fork: ArrayLike | None = None) -> Any:
    """EIP-8363's burn per ETH staked and year, charged to every validator whatever it did [1/year].

    ``b · ideal_consensus_apr(rules)`` outside a leak (0 for every curve but ``eip8363``): the
    attestation, proposer and sync-committee burns are ``b`` times the idealised reward of each
    duty, sized on the participation the network actually had and charged "whether or not the
    duty was performed"; on average over duty assignments they sum to ``b`` times a perfect
    validator's reward. At participation ``p < 1`` the attestation basis scales with ``p`` like
    the reward; this function is the ``p = 1`` figure (:func:`burn_apr_by_duty` splits it).

    References
    ----------
    ``EIPS/eip-8363.md``, Specification, ``process_issuance_burn`` and ``process_sync_aggregate``.
    """
    if eth.issuance_curve != "eip8363":
        return unwrap(np.zeros_like(as_float_array(total_staked_eth)), total_staked_eth)
    out = as_float_array(burn_fraction(total_staked_eth)) * as_float_array(
        ideal_consensus_apr(total_staked_eth, eth, epochs_since_fork)
    )
    return unwrap(out, total_staked_eth)


def burn_apr_by_duty(
    total_staked_eth: ArrayLike,
    eth: EthereumParams,
    network_participation: ArrayLike = 1.0,
    epochs_since_fork: ArrayLike | None = None,
) -> dict[str, Any]:
    """EIP-8363's burn split by duty at network participation ``p`` [1/year per ETH staked].

    In units of the ideal reward ``y`` (weights out of 64, the spec's bases):

    - ``attestation``: ``b · y · p · 54/64`` (the basis is a perfect attester's reward, which
      scales with the participating balance; suspended during an inactivity leak);
    - ``proposer``: ``b · y · p · 8/64`` (the basis is the epoch's proposer issuance, read from
      attestation participation; charged during a leak too);
    - ``sync``: ``b · y · p · 2/64`` (each slot with a block; charged during a leak too);
    - ``leak``: what stays charged during a leak (proposer + sync).

    References
    ----------
    ``EIPS/eip-8363.md``, Specification, ``process_issuance_burn`` (attestation and proposer
    passes), ``process_sync_aggregate`` (sync burn), "Why the burn uses idealised rewards".
    """
    p = as_float_array(network_participation)
    total = as_float_array(burn_apr(total_staked_eth, eth, epochs_since_fork)) * p
    w = ethereum.WEIGHT_DENOMINATOR
    att = total * ethereum.ATTESTATION_WEIGHT / w
    prop = total * ethereum.PROPOSER_WEIGHT / w
    sync = total * ethereum.SYNC_REWARD_WEIGHT / w
    like = (total_staked_eth, network_participation)
    return {
        "attestation": unwrap(att, *like),
        "proposer": unwrap(prop, *like),
        "sync": unwrap(sync, *like),
        "leak": unwrap(prop + sync, *like),
        "total": unwrap(att + prop + sync, *like),
    }


def consensus_yield(
    total_staked_eth: ArrayLike, eth: EthereumParams, epochs_since_fork: ArrayLike | None = None
) -> Any:
    """Ideal consensus APR net of any burn under ``eth``'s curve and slot time [1/year].

    A perfect attester in a perfect network: ``(1 − b) · ideal_consensus_apr(rules)``, with
    ``b`` EIP-8363's burn fraction (0 for the other curves). ``epochs_since_fork`` walks
    EIP-8363's transition (None: steady state, after it). Under today's rules it equals
    :func:`divaecon.ethereum.ideal_consensus_apr` exactly.

    References
    ----------
    ``EIPS/eip-8363.md`` (net yield ``(1 − b) y``); :func:`reward_scale`.
    """
    gross = as_float_array(ideal_consensus_apr(total_staked_eth, eth, epochs_since_fork))
    out = gross - as_float_array(burn_apr(total_staked_eth, eth, epochs_since_fork))
    return unwrap(out, total_staked_eth)


def issuance_eth_per_year(
    total_staked_eth: ArrayLike, eth: EthereumParams, epochs_since_fork: ArrayLike | None = None
) -> Any:
    """Net consensus issuance of a perfect network [ETH/year]: ``D · consensus_yield(D)``."""
    d = as_float_array(total_staked_eth)
    return unwrap(d * as_float_array(consensus_yield(d, eth, epochs_since_fork)), total_staked_eth)


def execution_share(eth: EthereumParams) -> float:
    """Share of execution-layer rewards (priority fees + MEV) the proposer keeps [fraction].

    1 today; 2/3 under EIP-8375 (eMBER burns ⌊T/3⌋ of each payload's priority fees T and a third
    of an external builder's bid; on a year's rewards the floor is negligible).

    References
    ----------
    EIP-8375 "ePBS Mandatory Burn of Execution Rewards" (EIPs PR #12130, 2026-08-07).
    """
    if eth.execution_burn == "eip8375":
        return 1.0 - 1.0 / EXECUTION_BURN_DENOMINATOR
    return 1.0


def execution_reward_per_block_eth(eth: EthereumParams) -> float:
    """What a proposer keeps of one block's execution rewards under ``eth``'s rules [ETH/block].

    ``el_reward_per_block_eth`` is a 12 s block's reward; EIP-8198 scales the gas limit (and
    blobs) with the slot time to keep throughput per second, so a block of ``r · 12`` seconds
    carries ``r`` times the fees: ``el · r · execution_share``. Execution rewards per year are
    then unchanged by the slot time (assumed for MEV too).

    References
    ----------
    ``EIPS/eip-8198.md``, "Gas limit adjustment" (``fork_gas_limit = parent · SLOT_DURATION_MS //
    12,000``); :func:`execution_share`.
    """
    return float(eth.el_reward_per_block_eth) * slot_rules(eth.seconds_per_slot).ratio * execution_share(eth)


def execution_yield(total_staked_eth: ArrayLike, eth: EthereumParams, uptime: ArrayLike = 1.0) -> Any:
    """Execution APR under ``eth``'s rules [1/year]: today's :func:`divaecon.ethereum.execution_apr` × share.

    The slot time does not change it (:func:`execution_reward_per_block_eth`).
    """
    today = as_float_array(ethereum.execution_apr(eth.el_reward_per_block_eth, total_staked_eth, uptime))
    return unwrap(today * execution_share(eth), total_staked_eth, uptime)


def staking_yield(total_staked_eth: ArrayLike, eth: EthereumParams) -> Any:
    """Steady-state yield of a perfect validator: :func:`consensus_yield` + :func:`execution_yield` [1/year].

    Gross of any protocol's fees, at full uptime and full network participation, after any
    transition. What :func:`stake_at_yield` sets equal to a rate.
    """
    d = as_float_array(total_staked_eth)
    out = as_float_array(consensus_yield(d, eth)) + as_float_array(execution_yield(d, eth))
    return unwrap(out, total_staked_eth)


def stake_at_yield(rate: ArrayLike, eth: EthereumParams) -> Any:
    """Total stake ``D`` at which :func:`staking_yield` (consensus net of burn + execution) equals ``rate`` [ETH].

    Every curve's staking yield falls as ``D`` grows, so the root is unique; it is found by
    bisection on ``log D`` between 2^15 and 2·10^8 ETH (to 1 ETH). ``nan`` when ``rate`` lies
    outside the yields there (e.g. above the yield of 2^15 ETH staked, or at or below the yield
    of 2·10^8 ETH staked). The spec's floored base reward makes the yield a fine staircase (steps of
    one gwei in ~300, 0.3 %); ``D`` is then where it steps across ``rate``.
    """
    r = as_float_array(rate)
    lo, hi = np.full(r.shape, math.log(2.0**15)), np.full(r.shape, math.log(2e8))
    y_lo = as_float_array(staking_yield(np.exp(lo), eth))
    y_hi = as_float_array(staking_yield(np.exp(hi), eth))
    ok = (r <= y_lo) & (r > y_hi)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        y = as_float_array(staking_yield(np.exp(mid), eth))
        above = y > r
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    out = np.where(ok, np.exp(0.5 * (lo + hi)), np.nan)
    return unwrap(out, rate)


# ================================================================================================
# Leak, churn and correlated penalties under a rule set
# ================================================================================================
def inactivity_leak_loss_eth(
    effective_balance_eth: ArrayLike, leak_epochs: ArrayLike, eth: EthereumParams, **kwargs: Any
) -> Any:
    """:func:`divaecon.ethereum.inactivity_leak_loss_eth` with the slot time's leak constants [ETH].

    At 8 s the quotient is EIP-8198's 37,748,736 (= 2^24 · 1.5²); under PR #12217 the penalty is
    ``eb · score · r² // (4 · 2^24)`` with ``r²`` as a reduced fraction. Either way the loss after
    a given *time* is about today's (more epochs, each cheaper); after a given number of epochs
    it is smaller.
    """
    slot = slot_rules(eth.seconds_per_slot)
    return ethereum.inactivity_leak_loss_eth(
        effective_balance_eth,
        leak_epochs,
        inactivity_penalty_quotient=slot.inactivity_quotient,
        penalty_numerator=slot.inactivity_num,
        penalty_denominator=slot.inactivity_den,
        **kwargs,
    )


def leak_epochs_for_days(days: ArrayLike, eth: EthereumParams) -> Any:
    """Whole epochs in ``days`` at ``eth``'s slot time [epochs] (225 a day at 12 s)."""
    out = np.rint(as_float_array(days) * slot_rules(eth.seconds_per_slot).epochs_per_day)
    return unwrap(out, days)


def _churn(total_staked_eth: ArrayLike, quotient: float, min_eth: float, cap_eth: float) -> np.ndarray:
    total_gwei = as_float_array(total_staked_eth) * GWEI_PER_ETH
    churn = np.maximum(min_eth * GWEI_PER_ETH, np.floor(total_gwei / quotient))
    churn = churn - churn % ethereum.EFFECTIVE_BALANCE_INCREMENT
    return np.minimum(cap_eth, churn / GWEI_PER_ETH)


def activation_churn_eth_per_epoch(total_staked_eth: ArrayLike, eth: EthereumParams) -> Any:
    """ETH that may enter the active set per epoch under ``eth``'s rules [ETH/epoch].

    ``min(cap, floor_ETH(max(min, D // quotient)))``: Electra's ``get_activation_exit_churn_limit``
    (quotient 2^16); under ``eip8061`` Gloas' ``get_activation_churn_limit`` (quotient 2^15, cap
    ``MAX_PER_EPOCH_ACTIVATION_CHURN_LIMIT_GLOAS`` 256 ETH); each scaled by the slot time
    (:func:`slot_rules`). 256 ETH/epoch at today's stake under either rule.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md`` ``get_activation_exit_churn_limit``;
    ``specs/gloas/beacon-chain.md`` ``get_activation_churn_limit``; ``EIPS/eip-8061.md``.
    """
    slot = slot_rules(eth.seconds_per_slot)
    quotient = slot.churn_quotient / (2.0 if eth.exit_churn_rule == "eip8061" else 1.0)
    return unwrap(_churn(total_staked_eth, quotient, slot.churn_min_eth, slot.churn_cap_eth), total_staked_eth)


def exit_churn_eth_per_epoch(total_staked_eth: ArrayLike, eth: EthereumParams) -> Any:
    """ETH that may exit per epoch under ``eth``'s rules [ETH/epoch].

    Electra: the activation limit (capped at 256). ``eip8061``: Gloas' ``get_exit_churn_limit``,
    ``floor_ETH(max(128, D // 32,768))``, uncapped. Scaled by the slot time (:func:`slot_rules`).

    References
    ----------
    consensus-specs ``specs/gloas/beacon-chain.md`` ``get_exit_churn_limit``; ``EIPS/eip-8061.md``.
    """
    slot = slot_rules(eth.seconds_per_slot)
    if eth.exit_churn_rule == "eip8061":
        out = _churn(total_staked_eth, slot.churn_quotient / 2.0, slot.churn_min_eth, math.inf)
    else:
        out = _churn(total_staked_eth, slot.churn_quotient, slot.churn_min_eth, slot.churn_cap_eth)
    return unwrap(out, total_staked_eth)


def churn_eth_per_day(total_staked_eth: ArrayLike, eth: EthereumParams, kind: str = "activation") -> Any:
    """Activation (``kind="activation"``) or exit churn per day [ETH/day]: per epoch × epochs a day."""
    fn = activation_churn_eth_per_epoch if kind == "activation" else exit_churn_eth_per_epoch
    per_day = slot_rules(eth.seconds_per_slot).epochs_per_day
    return unwrap(as_float_array(fn(total_staked_eth, eth)) * per_day, total_staked_eth)


def eip7716_penalty_factors(non_attesting_fraction: ArrayLike, net_excess_start: int = 0) -> np.ndarray:
    """EIP-7716's ``penalty_factor`` slot by slot for a path of non-attesting shares [integer 0–4].

    Per slot: ``factor = min(non_attesting · 4096 // (NET_EXCESS_PENALTIES · total + 1), 4)``,
    then ``NET_EXCESS_PENALTIES = max(1, NET_EXCESS_PENALTIES + factor) − 1``. The balances enter
    as a share of the total in units of 10^-9 (gwei of a 1 ETH total), which keeps the floors.

    References
    ----------
    ``EIPS/eip-7716.md``, Specification.
    """
    x = np.rint(as_float_array(non_attesting_fraction).ravel() * 1e9).astype(np.int64)
    total = 10**9
    nep = int(net_excess_start)
    out = np.empty(x.shape, dtype=np.int64)
    for i, nonatt in enumerate(x):
        f = min(int(nonatt) * PENALTY_ADJUSTMENT_FACTOR // (nep * total + 1), MAX_PENALTY_FACTOR)
        out[i] = f
        nep = max(1, nep + f) - 1
    return out


def eip7716_steady_net_excess(baseline_non_attesting_fraction: float, slots: int = 20_000) -> int:
    """``NET_EXCESS_PENALTIES`` after ``slots`` slots at a constant non-attesting share (EIP-7716)."""
    x = round(float(baseline_non_attesting_fraction) * 1e9)
    nep = 0
    for _ in range(int(slots)):
        f = min(x * PENALTY_ADJUSTMENT_FACTOR // (nep * 10**9 + 1), MAX_PENALTY_FACTOR)
        new = max(1, nep + f) - 1
        if new == nep:
            break
        nep = new
    return nep


def eip7716_outage_penalty_multiplier(
    outage_fraction: ArrayLike, outage_slots: ArrayLike, baseline_non_attesting_fraction: float = 0.0
) -> Any:
    """Mean EIP-7716 factor on the missed-attestation penalties of a correlated outage [ratio, 1 = today].

    ``outage_fraction`` of the stake misses every slot for ``outage_slots`` slots, on top of a
    baseline non-attesting share that set ``NET_EXCESS_PENALTIES`` before it. The walk of
    :func:`eip7716_penalty_factors` over the outage, averaged; once the factor is back at 1 (the
    counter has caught up) the rest of the outage is at 1. Under today's rules the multiplier is 1.

    References
    ----------
    ``EIPS/eip-7716.md``, Specification and Rationale ("Given stable participation, the
    penalty_factor is one").
    """
    frac = np.atleast_1d(as_float_array(outage_fraction)).astype(float)
    slots = np.broadcast_to(np.atleast_1d(as_float_array(outage_slots)), frac.shape)
    start = eip7716_steady_net_excess(baseline_non_attesting_fraction)
    out = np.empty(frac.shape)
    for i, (f, n) in enumerate(zip(frac, slots, strict=True)):
        n = max(round(n), 1)
        x = round((f + baseline_non_attesting_fraction) * 1e9)
        nep, total_f, k = start, 0, 0
        while k < n:
            fac = min(x * PENALTY_ADJUSTMENT_FACTOR // (nep * 10**9 + 1), MAX_PENALTY_FACTOR)
            total_f += fac
            k += 1
            new = max(1, nep + fac) - 1
            if fac == 1 and new == nep:
                total_f += n - k  # steady: the factor stays 1
                break
            nep = new
        out[i] = total_f / n
    return unwrap(out.reshape(np.shape(as_float_array(outage_fraction))), outage_fraction, outage_slots)


def correlated_penalty_multiplier(eth: EthereumParams, outage_fraction: ArrayLike, outage_days: ArrayLike) -> Any:
    """The missed-attestation penalty multiplier of a correlated outage under ``eth``'s rules [ratio].

    1 without EIP-7716; with it, :func:`eip7716_outage_penalty_multiplier` over the outage's slots
    at ``eth``'s slot time, the baseline being ``1 − network_participation``.
    """
    if eth.correlated_penalties != "eip7716":
        return unwrap(np.ones(np.broadcast(as_float_array(outage_fraction), as_float_array(outage_days)).shape),
                      outage_fraction, outage_days)  # fmt: skip
    slots_per_day = SECONDS_PER_DAY * 1000.0 / slot_rules(eth.seconds_per_slot).slot_ms
    slots = np.maximum(np.rint(as_float_array(outage_days) * slots_per_day), 1)
    return eip7716_outage_penalty_multiplier(outage_fraction, slots, 1.0 - eth.network_participation)


# ================================================================================================
# Rule sets and their description
# ================================================================================================
RULE_SETS: dict[str, dict[str, object]] = {
    "Today's rules": {},
    "EIP-8363 tapered burn": {"issuance_curve": "eip8363"},
    "Tempered issuance (k = 2^25)": {"issuance_curve": "tempered"},
    "Capped issuance (D_c = 2^24)": {"issuance_curve": "capped"},
    "8 s slots (EIP-8198)": {"seconds_per_slot": 8.0},
    "10 s slots (PR #12217)": {"seconds_per_slot": 10.0},
    "eMBER (EIP-8375)": {"execution_burn": "eip8375"},
    "EIP-8363 + eMBER (Hegotá)": {"issuance_curve": "eip8363", "execution_burn": "eip8375"},
    "EIP-8061 exits (Glamsterdam)": {"exit_churn_rule": "eip8061"},
    "EIP-7716 correlated penalties": {"correlated_penalties": "eip7716"},
}
"""Label → overrides of the ``ethereum`` section, in display order (today's rules first)."""

RULE_FIELDS: Final[tuple[str, ...]] = (
    "issuance_curve",
    "issuance_fork_date",
    "issuance_tempering_k_eth",
    "issuance_cap_stake_eth",
    "execution_burn",
    "seconds_per_slot",
    "exit_churn_rule",
    "correlated_penalties",
)
"""The ``ethereum`` fields that make up a rule set."""


def with_rules(eth: EthereumParams, overrides: dict[str, object]) -> EthereumParams:
    """``eth`` with a rule set's overrides, validated (a ParameterError names a bad one)."""
    unknown = sorted(set(overrides) - set(RULE_FIELDS))
    if unknown:
        raise ParameterError([f"rule override {unknown[0]!r}: must be one of {', '.join(RULE_FIELDS)}"])
    data = eth.model_dump()
    data.update(overrides)
    try:
        return EthereumParams.model_validate(data)
    except ValidationError as exc:
        raise ParameterError([p if p.startswith("ethereum.") else "ethereum." + p for p in _problems(exc)]) from None


def scenario_with_rules(scenario: Scenario, rule_set: str | dict[str, object]) -> Scenario:
    """``scenario`` under a rule set: a label of :data:`RULE_SETS` or a dict of ``ethereum`` overrides.

    The scenario's other rule fields are reset to today's first, so a label means exactly that
    rule set (its fork date and curve constants kept from ``scenario``).
    """
    if isinstance(rule_set, str):
        if rule_set not in RULE_SETS:
            raise ParameterError([f"rule set {rule_set!r}: must be one of {', '.join(RULE_SETS)}"])
        overrides = dict(RULE_SETS[rule_set])
    else:
        overrides = dict(rule_set)
    today = EthereumParams()
    base = {f: getattr(today, f) for f in ("issuance_curve", "execution_burn", "seconds_per_slot",
                                           "exit_churn_rule", "correlated_penalties")}  # fmt: skip
    values = {f"ethereum.{k}": v for k, v in {**base, **overrides}.items()}
    unknown = sorted(set(overrides) - set(RULE_FIELDS))
    if unknown:
        raise ParameterError([f"rule override {unknown[0]!r}: must be one of {', '.join(RULE_FIELDS)}"])
    return scenario.override(**values)


def is_today(eth: EthereumParams) -> bool:
    """Whether ``eth`` runs today's rules (current curve, 12 s, no burns, Electra churn, no EIP-7716)."""
    return (
        eth.issuance_curve == "current"
        and eth.execution_burn == "none"
        and slot_rules(eth.seconds_per_slot).rule == "today"
        and eth.exit_churn_rule == "electra"
        and eth.correlated_penalties == "none"
    )


def describe_rules(eth: EthereumParams) -> str:
    """One short line naming ``eth``'s rules, e.g. ``"EIP-8363 burn, eMBER, 12 s slots"``."""
    parts: list[str] = []
    curve = {
        "current": "today's issuance",
        "eip8363": "EIP-8363 burn",
        "tempered": f"tempered issuance (k = {eth.issuance_tempering_k_eth / 1e6:.1f}M ETH)",
        "capped": f"capped issuance (D_c = {eth.issuance_cap_stake_eth / 1e6:.1f}M ETH)",
    }[eth.issuance_curve]
    parts.append(curve)
    if eth.execution_burn == "eip8375":
        parts.append("eMBER (1/3 of execution rewards burned)")
    slot = slot_rules(eth.seconds_per_slot)
    tag = {"today": "", "eip8198": " (EIP-8198)", "pr12217": " (PR #12217)"}[slot.rule]
    parts.append(f"{slot.slot_ms / 1000:g} s slots{tag}")
    parts.append("EIP-8061 exits" if eth.exit_churn_rule == "eip8061" else "Electra churn")
    if eth.correlated_penalties == "eip7716":
        parts.append("EIP-7716 penalties")
    if eth.issuance_curve != "current" or eth.execution_burn != "none":
        if eth.issuance_fork_date != 0:
            parts.append(f"fork on day {eth.issuance_fork_date:g}")
    return ", ".join(parts)


def epochs_since_fork_at_day(day: ArrayLike, eth: EthereumParams) -> Any:
    """Epochs from ``eth.issuance_fork_date`` to simulation day ``day`` (negative before the fork) [epochs]."""
    out = (as_float_array(day) - eth.issuance_fork_date) * slot_rules(eth.seconds_per_slot).epochs_per_day
    return unwrap(np.floor(out), day)


def transition_days(eth: EthereumParams) -> float:
    """Length of EIP-8363's transition in days at ``eth``'s slot time (548 days at 12 s)."""
    return TRANSITION_DURATION_EPOCHS / slot_rules(eth.seconds_per_slot).epochs_per_day


__all__ = [
    "CURVES",
    "RULE_FIELDS",
    "RULE_SETS",
    "SlotRules",
    "activation_churn_eth_per_epoch",
    "base_reward_factor_at",
    "burn_apr",
    "burn_apr_by_duty",
    "burn_fraction",
    "churn_eth_per_day",
    "consensus_yield",
    "correlated_penalty_multiplier",
    "curve_factor",
    "describe_rules",
    "eip7716_outage_penalty_multiplier",
    "eip7716_penalty_factors",
    "epochs_since_fork_at_day",
    "execution_reward_per_block_eth",
    "execution_share",
    "execution_yield",
    "exit_churn_eth_per_epoch",
    "ideal_consensus_apr",
    "inactivity_leak_loss_eth",
    "is_today",
    "issuance_burn_gwei",
    "issuance_eth_per_year",
    "leak_epochs_for_days",
    "reward_scale",
    "scenario_with_rules",
    "slot_rules",
    "stake_at_yield",
    "staking_yield",
    "transition_days",
    "with_rules",
]
