"""Penalties and churn under a rule set: the inactivity leak at another slot time, EIP-8061's churn,
EIP-7716's anti-correlation penalty factor."""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike

from divaecon import ethereum
from divaecon._numeric import as_float_array, unwrap
from divaecon.params.ethereum import EthereumParams
from divaecon.rules.issuance import burn_apr_by_duty, reward_scale
from divaecon.rules.slots import slot_rules
from divaecon.units import DAYS_PER_YEAR, GWEI_PER_ETH, SECONDS_PER_DAY

# --- EIP-7716, "Specification" ------------------------------------------------------------------
PENALTY_ADJUSTMENT_FACTOR: Final[int] = 4096
MAX_PENALTY_FACTOR: Final[int] = 4


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
# What the risk model's events cost under a rule set
# ================================================================================================
def offline_loss_eth_per_day(
    total_staked_eth: float,
    validator_stake_eth: float,
    eth: EthereumParams,
    outage_fraction: float = 0.0,
    outage_days: float = 1.0,
    in_leak: bool = False,
) -> float:
    """What an offline validator's balance loses per day under ``eth``'s rules [ETH/day].

    - the offline penalty (missed source and target, 40/64 of a base reward an epoch, and the
      sync duties, 2/64), scaled with the base reward (:func:`divaecon.rules.reward_scale`: slot
      time, curve); outside a leak, EIP-7716 multiplies the attestation part by its penalty
      factor for an outage of ``outage_fraction`` of the stake lasting ``outage_days``
      (:func:`correlated_penalty_multiplier`); during a leak the factor is left at 1 (the leak's
      own penalties dominate);
    - EIP-8363's burn, charged online or offline: outside a leak all of it (``b · y · p``),
      during a leak only the proposer and sync parts (10/64: the attestation burn is suspended,
      ``EIPS/eip-8363.md``, ``process_issuance_burn``). An online validator pays it out of its
      rewards; an offline one out of its balance, so it is part of an outage's loss (the rewards
      it forgoes are counted apart, before the burn).

    Under today's rules this is :func:`divaecon.ethereum.offline_penalty_apr` · stake / 365.25.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md`` ``get_flag_index_deltas``,
    ``process_sync_aggregate``; ``EIPS/eip-7716.md``; ``EIPS/eip-8363.md``.
    """
    p = eth.network_participation
    parts = ethereum.consensus_apr_by_duty(total_staked_eth, 0.0, p)
    attest = float(parts["attestation_penalties"])
    sync = float(parts["sync_penalties"])
    multiplier = 1.0 if in_leak else float(correlated_penalty_multiplier(eth, outage_fraction, outage_days))
    scale = float(reward_scale(total_staked_eth, eth))
    if multiplier == 1.0:
        penalty = float(ethereum.offline_penalty_apr(total_staked_eth, p)) * scale
    else:
        penalty = (attest * multiplier + sync) * scale
    burn = burn_apr_by_duty(total_staked_eth, eth, p)
    burned = float(burn["leak"] if in_leak else burn["total"])
    return (penalty + burned) * validator_stake_eth / DAYS_PER_YEAR


def slashing_loss_eth(
    validator_stake_eth: float, slashed_in_window_eth: float, total_staked_eth: float, eth: EthereumParams
) -> float:
    """One slashed validator's loss under ``eth``'s rules [ETH], capped at its stake.

    Electra's initial (1/4096) and correlation penalties are not slot-denominated; the missed
    duties until withdrawable (40/64 of a base reward for ``EPOCHS_PER_SLASHINGS_VECTOR`` = 8,192
    epochs, which EIP-8198 leaves as it is: ~36 days become ~24 at 8 s) scale with the base reward
    per epoch: :func:`divaecon.rules.reward_scale` × ``slot_ms / 12,000``. EIP-8363's burn is not
    added (the slashed validator's exit is the counterfactual of none). Today's rules:
    :func:`divaecon.ethereum.slashing_penalty_eth` exactly.

    References
    ----------
    consensus-specs ``specs/electra/beacon-chain.md`` ``slash_validator``, ``process_slashings``;
    ``EIPS/eip-8198.md``, "Constant scaling" (``EPOCHS_PER_SLASHINGS_VECTOR`` unchanged).
    """
    window = max(slashed_in_window_eth, validator_stake_eth)
    parts = ethereum.slashing_penalty_eth(validator_stake_eth, window, total_staked_eth)
    per_epoch = float(reward_scale(total_staked_eth, eth)) * slot_rules(eth.seconds_per_slot).ratio
    out = float(parts["initial"]) + float(parts["correlation"]) + float(parts["missed_duties"]) * per_epoch
    return min(out, validator_stake_eth)
