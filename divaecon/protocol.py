"""Diva Staking's economics: fee split, staker and operator yields, collateral, penalties, profit.

Pure functions of numbers (scalar, numpy or pandas, broadcast); the defaults of
:class:`divaecon.params.DivaParams` are passed in by the callers. With a gross reward rate ``r``
per staked ETH and ``c`` divETH of collateral per key share, at Diva's defaults (16 key shares,
10 % operator fee, 0 % treasury):

- divETH holder APR = ``0.9 r``;
- operator reward per key share = ``0.10 · 32 · r / 16 = 0.2 r`` ETH a year;
- collateral APR while queued = ``0.9 r``; once assigned = ``0.9 r + 0.2 r / c`` (``1.1 r`` at c = 1).

References
----------
Diva docs (``staking-foundation/docs``): ``docs/21-economics.md`` (collateral, queue, two income
streams), ``docs/40-staking-rewards.md`` (10 % to operators, 0 % DAO fee), ``docs/06-dvt.md``
(16 key shares, 11 to sign).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from divaecon import dvt, ethereum
from divaecon._numeric import as_float_array, unwrap
from divaecon.units import DAYS_PER_YEAR


def fee_split(
    rewards: ArrayLike,
    operator_fee: ArrayLike = 0.10,
    treasury_fee: ArrayLike = 0.0,
    insurance_fee: ArrayLike = 0.0,
) -> dict[str, Any]:
    """Split rewards [any unit] into ``stakers``, ``operators``, ``treasury``, ``insurance``.

    The parts sum to ``rewards`` exactly (stakers get the remainder).

    References
    ----------
    Diva docs ``docs/40-staking-rewards.md`` (10 % of total rewards to operators, 0 % to the
    DAO, the rest to divETH holders); ``docs/21-economics.md`` ("There is no 'DAO fee'").
    """
    total = as_float_array(rewards)
    ops = total * as_float_array(operator_fee)
    tre = total * as_float_array(treasury_fee)
    ins = total * as_float_array(insurance_fee)
    like = (rewards, operator_fee, treasury_fee, insurance_fee)
    return {
        "stakers": unwrap(total - ops - tre - ins, *like),
        "operators": unwrap(ops, *like),
        "treasury": unwrap(tre, *like),
        "insurance": unwrap(ins, *like),
    }


def validator_gross_apr(
    total_staked_eth: ArrayLike,
    el_reward_per_block_eth: ArrayLike,
    operator_uptime: ArrayLike = 1.0,
    failure_correlation: ArrayLike = 0.0,
    key_shares_per_validator: ArrayLike = 16,
    threshold: ArrayLike = 11,
    network_participation: ArrayLike = 1.0,
) -> Any:
    """Gross APR of a Diva validator [1/year]: its uptime is the DV's availability.

    References
    ----------
    :func:`divaecon.dvt.availability` and :func:`divaecon.ethereum.gross_apr`.
    """
    avail = dvt.availability(key_shares_per_validator, threshold, operator_uptime, failure_correlation)
    return ethereum.gross_apr(total_staked_eth, el_reward_per_block_eth, avail, network_participation)


def staker_apr(
    gross_apr: ArrayLike,
    operator_fee: ArrayLike = 0.10,
    treasury_fee: ArrayLike = 0.0,
    insurance_fee: ArrayLike = 0.0,
    buffered_fraction: ArrayLike = 0.0,
) -> Any:
    """APR of a divETH holder [1/year]: ``r · (1 − fees) · (1 − buffered_fraction)``.

    ``buffered_fraction`` is the share of deposits waiting unstaked in the buffer (cash drag:
    it earns nothing until 32 ETH and 16 key shares of collateral are available).

    References
    ----------
    Diva docs ``docs/40-staking-rewards.md`` (after the 10 % of operator rewards, "Staking
    Rewards ... go fully to divETH and wdivETH holders"), ``docs/04-lst.md`` (divETH rebases
    with the pool's rewards); ETH not yet in a validator earns nothing (consensus-specs: only
    active validators are rewarded).
    """
    fees = as_float_array(operator_fee) + as_float_array(treasury_fee) + as_float_array(insurance_fee)
    out = as_float_array(gross_apr) * (1.0 - fees) * (1.0 - as_float_array(buffered_fraction))
    return unwrap(out, gross_apr, operator_fee, treasury_fee, insurance_fee, buffered_fraction)


def operator_reward_per_key_share_eth_per_year(
    gross_apr: ArrayLike,
    operator_fee: ArrayLike = 0.10,
    validator_stake_eth: ArrayLike = 32.0,
    key_shares_per_validator: ArrayLike = 16,
    relative_performance: ArrayLike = 1.0,
) -> Any:
    """Operator reward earned by one key share in a year [ETH/year].

    ``operator_fee · validator_stake · r / key_shares · relative_performance``: the operators'
    pot is pooled over the network and split by key shares operated correctly, so an operator
    as reliable as the network average gets the average (``relative_performance`` = its uptime
    over the network's). At the defaults this is ``0.2 r``.

    References
    ----------
    Diva docs ``docs/40-staking-rewards.md`` (10 % of total rewards to operators) and
    ``docs/06-dvt.md`` (16 key shares per validator); the per-key-share formula is derived.
    """
    out = (
        as_float_array(operator_fee)
        * as_float_array(validator_stake_eth)
        * as_float_array(gross_apr)
        / as_float_array(key_shares_per_validator)
        * as_float_array(relative_performance)
    )
    return unwrap(
        out,
        gross_apr,
        operator_fee,
        validator_stake_eth,
        key_shares_per_validator,
        relative_performance,
    )


def collateral_penalty_eth_per_year(
    total_staked_eth: ArrayLike,
    operator_uptime: ArrayLike,
    others_uptime: ArrayLike | None = None,
    key_shares_per_validator: ArrayLike = 16,
    threshold: ArrayLike = 11,
    validator_stake_eth: ArrayLike = 32.0,
    failure_correlation: ArrayLike = 0.0,
    penalty_scale: ArrayLike = 1.0,
) -> Any:
    """Expected penalties charged to one key share's collateral per year [ETH/year].

    When fewer than ``threshold`` shares sign, the validator is offline and pays the offline
    penalty (:func:`divaecon.ethereum.offline_penalty_apr`); the loss is taken from the
    collateral of the operators that were down, in equal parts. With everyone at the same
    uptime (``others_uptime`` None) the expected share is ``(1 − availability) / n`` (correlation
    allowed); an operator at a different uptime from the others uses the independent,
    exact attribution of :func:`divaecon.dvt.share_of_downtime_penalty`. ``penalty_scale``
    multiplies the offline penalty under another rule set's base reward
    (:func:`divaecon.rules.reward_scale`: 1 today).

    References
    ----------
    Diva docs ``docs/40-staking-rewards.md`` ("Penalties may be applied to Operators ... to
    compensate Liquid Stakers"), ``docs/21-economics.md`` (operators post collateral "as a
    guarantee"); Diva publishes no formula, so the pro-rata rule is this model's assumption.
    """
    rate = as_float_array(ethereum.offline_penalty_apr(total_staked_eth)) * as_float_array(validator_stake_eth)
    rate = rate * as_float_array(penalty_scale)
    if others_uptime is None:
        avail = as_float_array(
            dvt.availability(key_shares_per_validator, threshold, operator_uptime, failure_correlation)
        )
        share = (1.0 - avail) / as_float_array(key_shares_per_validator)
    else:
        share = as_float_array(
            dvt.share_of_downtime_penalty(key_shares_per_validator, threshold, operator_uptime, others_uptime)
        )
    return unwrap(rate * share, total_staked_eth, operator_uptime, key_shares_per_validator)


def operator_apr_queued(staker_apr_: ArrayLike) -> Any:
    """APR of collateral waiting in the queue [1/year]: it earns what divETH earns.

    References
    ----------
    Diva docs ``docs/21-economics.md`` ("divETH collateral accrues rewards as it would for a
    Liquid Staker even while waiting for key shares").
    """
    return unwrap(as_float_array(staker_apr_), staker_apr_)


def operator_apr_assigned(
    staker_apr_: ArrayLike,
    reward_per_key_share_eth_per_year: ArrayLike,
    collateral_per_key_share_eth: ArrayLike,
    penalty_per_key_share_eth_per_year: ArrayLike = 0.0,
) -> Any:
    """APR of collateral once it backs key shares [1/year].

    ``staker_apr + (reward_per_key_share − penalty_per_key_share) / collateral_per_key_share``
    (``0.9 r + 0.2 r / c`` at the defaults).

    References
    ----------
    Diva docs ``docs/21-economics.md`` (two income streams).
    """
    out = as_float_array(staker_apr_) + (
        as_float_array(reward_per_key_share_eth_per_year) - as_float_array(penalty_per_key_share_eth_per_year)
    ) / as_float_array(collateral_per_key_share_eth)
    return unwrap(
        out,
        staker_apr_,
        reward_per_key_share_eth_per_year,
        collateral_per_key_share_eth,
        penalty_per_key_share_eth_per_year,
    )


def collateral_locked_eth(
    network_validators: ArrayLike,
    collateral_per_key_share_eth: ArrayLike = 1.0,
    key_shares_per_validator: ArrayLike = 16,
) -> Any:
    """divETH collateral locked behind ``network_validators`` validators [divETH].

    References
    ----------
    Diva docs ``docs/21-economics.md`` (1 divETH per key share).
    """
    out = (
        as_float_array(network_validators)
        * as_float_array(key_shares_per_validator)
        * as_float_array(collateral_per_key_share_eth)
    )
    return unwrap(out, network_validators, collateral_per_key_share_eth, key_shares_per_validator)


def collateral_ratio(
    collateral_per_key_share_eth: ArrayLike,
    key_shares_per_validator: ArrayLike = 16,
    validator_stake_eth: ArrayLike = 32.0,
) -> Any:
    """Collateral as a fraction of the validator's stake (0.5 at 1 divETH × 16 / 32 ETH)."""
    out = (
        as_float_array(collateral_per_key_share_eth)
        * as_float_array(key_shares_per_validator)
        / as_float_array(validator_stake_eth)
    )
    return unwrap(out, collateral_per_key_share_eth, key_shares_per_validator, validator_stake_eth)


def operator_cost_usd_per_year(
    hardware_cost_usd: ArrayLike, hardware_lifetime_years: ArrayLike, running_cost_usd_per_month: ArrayLike
) -> Any:
    """Yearly cost of one node [USD/year]: straight-line hardware write-off + running costs."""
    out = as_float_array(hardware_cost_usd) / as_float_array(hardware_lifetime_years) + 12.0 * as_float_array(
        running_cost_usd_per_month
    )
    return unwrap(out, hardware_cost_usd, hardware_lifetime_years, running_cost_usd_per_month)


def operator_profit_usd_per_year(
    key_shares: ArrayLike,
    net_reward_per_key_share_eth_per_year: ArrayLike,
    eth_price_usd: ArrayLike,
    cost_usd_per_year: ArrayLike,
) -> Any:
    """An operator's profit from running key shares [USD/year].

    ``key_shares · net_reward_per_key_share · price − costs``. The staking yield on the
    collateral itself is not counted: the operator would earn it holding divETH anyway.
    """
    out = as_float_array(key_shares) * as_float_array(net_reward_per_key_share_eth_per_year) * as_float_array(
        eth_price_usd
    ) - as_float_array(cost_usd_per_year)
    return unwrap(out, key_shares, net_reward_per_key_share_eth_per_year, eth_price_usd, cost_usd_per_year)


def break_even_key_shares(
    net_reward_per_key_share_eth_per_year: ArrayLike,
    eth_price_usd: ArrayLike,
    cost_usd_per_year: ArrayLike,
) -> Any:
    """Smallest whole number of key shares whose operator rewards cover the costs [key shares].

    ``ceil(cost / (net_reward_per_key_share · price))``; ``inf`` when a key share earns nothing.
    """
    per_share_usd = as_float_array(net_reward_per_key_share_eth_per_year) * as_float_array(eth_price_usd)
    cost = as_float_array(cost_usd_per_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(per_share_usd > 0, np.ceil(cost / np.where(per_share_usd > 0, per_share_usd, 1.0)), np.inf)
    return unwrap(out, net_reward_per_key_share_eth_per_year, eth_price_usd, cost_usd_per_year)


def activation_wait_days(
    entry_wait_days: ArrayLike, two_step_deposit: ArrayLike = True, processing_days: ArrayLike = 0.0
) -> Any:
    """Days from a Diva validator's creation to its activation, with the entry queue held constant [days].

    Diva creates a validator with a 1 ETH pre-deposit, then 31 ETH once a Merkle proof shows the
    first on the beacon chain. Since Electra a deposit creates its validator only when the
    churn-limited pending-deposit queue reaches it, so with two deposits the 31 ETH waits the queue
    a second time: ``processing + entry_wait · (2 if two_step_deposit else 1)``.

    References
    ----------
    Diva docs (docs.divastaking.net, dvt/creation: pre-deposit and Merkle proof);
    consensus-specs ``specs/electra/beacon-chain.md``, ``process_pending_deposits``,
    ``apply_pending_deposit`` (the validator is added to the registry there).
    """
    steps = np.where(np.asarray(two_step_deposit, dtype=bool), 2.0, 1.0)
    out = as_float_array(processing_days) + as_float_array(entry_wait_days) * steps
    return unwrap(out, entry_wait_days, two_step_deposit, processing_days)


def staker_apr_growing_pool(staker_apr_: ArrayLike, pool_growth_rate_per_year: ArrayLike, wait_days: ArrayLike) -> Any:
    """APR of a divETH holder in a pool whose deposits grow at a steady rate [1/year].

    A pool growing as ``e^{g t}`` whose deposits each wait ``W`` days before they earn has the
    deposits of the last ``W`` days idle: a share ``1 − e^{−g W / 365.25}`` of it. Its holders earn
    ``staker_apr · e^{−g W / 365.25}`` (the steady-state ``staker_apr`` at ``g = 0``).

    References
    ----------
    The model's own derivation (exponential growth, first in first out queue); the wait from
    :func:`activation_wait_days` and :func:`divaecon.ethereum.queue_wait_days`.
    """
    earning = np.exp(-as_float_array(pool_growth_rate_per_year) * as_float_array(wait_days) / DAYS_PER_YEAR)
    out = as_float_array(staker_apr_) * earning
    return unwrap(out, staker_apr_, pool_growth_rate_per_year, wait_days)
