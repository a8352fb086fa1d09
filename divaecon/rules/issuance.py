"""Issuance under a rule set: EIP-8363's burn and transition, the tempered and capped curves, the
slot time's reward rescaling, EIP-8375's execution burn, and the stake at which the yield meets a rate."""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike

from divaecon import ethereum
from divaecon._numeric import as_float_array, unwrap
from divaecon.params.ethereum import EthereumParams
from divaecon.rules.slots import SlotRules, slot_rules

# --- EIP-8363, "Constants" ----------------------------------------------------------------------
SATURATION_BALANCE: Final[int] = 60_250_000 * 10**9  # gwei
TRANSITION_BASE_REWARD_FACTOR: Final[int] = 128
TRANSITION_DURATION_EPOCHS: Final[int] = 123_300  # 548 days x 225 epochs
SQRT_SATURATION_BALANCE: Final[int] = math.isqrt(SATURATION_BALANCE)  # 245,458,754 (process_issuance_burn)
# --- EIP-8375 (PR #12130): a third of execution rewards burned -----------------------------------
EXECUTION_BURN_DENOMINATOR: Final[int] = 3

CURVES: Final[tuple[str, ...]] = ("current", "eip8363", "tempered", "capped")
EXECUTION_BURNS: Final[tuple[str, ...]] = ("none", "eip8375")


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


def epochs_since_fork_at_day(day: ArrayLike, eth: EthereumParams) -> Any:
    """Epochs from ``eth.issuance_fork_date`` to simulation day ``day`` (negative before the fork) [epochs]."""
    out = (as_float_array(day) - eth.issuance_fork_date) * slot_rules(eth.seconds_per_slot).epochs_per_day
    return unwrap(np.floor(out), day)


def transition_days(eth: EthereumParams) -> float:
    """Length of EIP-8363's transition in days at ``eth``'s slot time (548 days at 12 s)."""
    return TRANSITION_DURATION_EPOCHS / slot_rules(eth.seconds_per_slot).epochs_per_day


# ================================================================================================
# One day of a simulation: the factors a rule set puts on today's rates (scalar, compiled by numba)
# ================================================================================================
CURVE_CODES: Final[dict[str, int]] = {"current": 0, "eip8363": 1, "tempered": 2, "capped": 3}
"""``issuance_curve`` as the integer the compiled simulation reads."""


def reward_factors_of(
    total_staked_eth: float,
    day: float,
    curve: int,
    fork_day: float,
    epochs_per_day: float,
    slot_base_reward_factor: int,
    reward_num: int,
    reward_den: int,
    tempering_k_eth: float,
    cap_stake_eth: float,
    execution_share_after_fork: float,
) -> tuple[float, float, float]:
    """``(reward scale, burn fraction, execution share)`` on simulation day ``day``, plain scalar arithmetic.

    What a day of the simulation multiplies today's rates by (:mod:`divaecon.simulate.steps`):

    - reward scale: :func:`reward_scale` of the day's rules: the slot time's base reward
      (``EBI · BRF · slot_brf // 64 · num // den // isqrt(D)`` against today's
      ``EBI · 64 // isqrt(D)``) times its epochs per year (``epochs_per_day / 225``); from the fork
      day on (``day ≥ fork_day``) EIP-8363's factor of the day's epoch
      (:func:`base_reward_factor_at` of ``floor((day − fork_day) · epochs_per_day)``) or the
      tempered/capped :func:`curve_factor`;
    - burn fraction: EIP-8363's ``(min(isqrt(D), isqrt(D_sat)) / isqrt(D_sat))^3`` from the fork on,
      else 0 (:func:`burn_fraction`);
    - execution share: ``execution_share_after_fork`` from the fork on, else 1 (:func:`execution_share`).

    Written with ``math`` and integers only, like :func:`divaecon.ethereum.base_reward_per_increment_of`,
    so that the compiled simulation runs this very function; the array functions above are its
    twin (tests compare them). ``curve`` is :data:`CURVE_CODES`' integer.
    """
    total_gwei = int(np.rint(total_staked_eth * 1e9))
    root = int(math.sqrt(float(total_gwei)))
    if root * root > total_gwei:
        root -= 1
    if (root + 1) * (root + 1) <= total_gwei:
        root += 1
    forked = day >= fork_day
    factor = 64
    if forked and curve == 1:
        elapsed = int(np.floor((day - fork_day) * epochs_per_day))
        if elapsed <= 0:
            factor = TRANSITION_BASE_REWARD_FACTOR
        elif elapsed < TRANSITION_DURATION_EPOCHS:
            remaining = TRANSITION_DURATION_EPOCHS - elapsed
            boost = TRANSITION_BASE_REWARD_FACTOR - 64
            factor = 64 + (boost * remaining + TRANSITION_DURATION_EPOCHS // 2) // TRANSITION_DURATION_EPOCHS
    factor = factor * slot_base_reward_factor // 64
    ruled = 1_000_000_000 * factor * reward_num // reward_den // root
    today = 1_000_000_000 * 64 // root
    scale = float(ruled) / float(today) * (epochs_per_day / 225.0)
    burn = 0.0
    share = 1.0
    if forked:
        share = execution_share_after_fork
        if curve == 2:
            scale *= 1.0 / (1.0 + total_staked_eth / tempering_k_eth)
        elif curve == 3:
            scale *= min(1.0, math.sqrt(cap_stake_eth / total_staked_eth))
        elif curve == 1:
            sa = min(root, SQRT_SATURATION_BALANCE)
            burn = (float(sa) / float(SQRT_SATURATION_BALANCE)) ** 3
    return scale, burn, share


def reward_factor_constants(eth: EthereumParams) -> dict[str, float]:
    """The row constants :func:`reward_factors_of` reads, from ``eth`` (what the simulation's rows hold)."""
    slot = slot_rules(eth.seconds_per_slot)
    return {
        "curve": float(CURVE_CODES[eth.issuance_curve]),
        "fork_day": float(eth.issuance_fork_date),
        "epochs_per_day": slot.epochs_per_day,
        "slot_base_reward_factor": float(slot.base_reward_factor),
        "reward_num": float(slot.reward_num),
        "reward_den": float(slot.reward_den),
        "tempering_k_eth": float(eth.issuance_tempering_k_eth),
        "cap_stake_eth": float(eth.issuance_cap_stake_eth),
        "execution_share_after_fork": execution_share(eth),
    }


def transition_path(
    eth: EthereumParams, total_staked_eth: ArrayLike | None = None, months: int = 19
) -> dict[str, np.ndarray]:
    """EIP-8363's transition month by month at a stake (``eth.total_staked_eth`` by default) [table].

    ``{"month", "day", "epochs_since_fork", "base_reward_factor", "burn_fraction",
    "consensus_yield", "issuance_eth_per_year"}``, one entry per month ``0 … months − 1`` after
    the fork (a month = 365.25 / 12 days, epochs at ``eth``'s slot time); ``total_staked_eth`` may
    be an array of one stake per month. Under another curve the factor stays 64 and the yield is
    the curve's steady state.

    References
    ----------
    ``EIPS/eip-8363.md``, "The base reward factor transition"; :func:`consensus_yield`.
    """
    month = np.arange(int(months), dtype=float)
    day = month * 365.25 / 12.0
    epochs = np.floor(day * slot_rules(eth.seconds_per_slot).epochs_per_day)
    stake = as_float_array(eth.total_staked_eth if total_staked_eth is None else total_staked_eth)
    stake = np.broadcast_to(stake, month.shape).astype(float)
    factor = as_float_array(effective_base_reward_factor(eth, epochs)) * np.ones_like(month)
    burn = as_float_array(burn_fraction(stake)) if eth.issuance_curve == "eip8363" else np.zeros_like(month)
    yield_ = as_float_array(consensus_yield(stake, eth, epochs if eth.issuance_curve == "eip8363" else None))
    return {
        "month": month,
        "day": day,
        "epochs_since_fork": epochs,
        "base_reward_factor": factor,
        "burn_fraction": burn,
        "consensus_yield": yield_,
        "issuance_eth_per_year": stake * yield_,
    }
