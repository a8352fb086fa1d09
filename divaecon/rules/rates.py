"""A validator's rates under a rule set: :mod:`divaecon.ethereum`'s consensus, execution and
penalty rates with the rule set's curve, burn, slot time and execution share applied.

What every caller with an :class:`~divaecon.params.EthereumParams` uses (quote, peers, tables,
figures, risk); under today's rules each function returns :mod:`divaecon.ethereum`'s figure
exactly (the factors are exactly 1 and 0).

How a rule enters (sources in :mod:`divaecon.rules.issuance`):

- the curve and the slot time scale the base reward, hence every reward and every penalty
  outside a leak, by :func:`~divaecon.rules.issuance.reward_scale`;
- EIP-8363's burn is charged to every validator whatever it did: ``b`` times the idealised
  reward, whose basis scales with the network's participation (not the validator's uptime);
- EIP-8375 leaves the proposer :func:`~divaecon.rules.issuance.execution_share` of execution rewards.
"""

from __future__ import annotations

from typing import Any

from numpy.typing import ArrayLike

from divaecon import ethereum
from divaecon._numeric import as_float_array, unwrap
from divaecon.params.ethereum import EthereumParams
from divaecon.rules.issuance import burn_apr, execution_share, reward_scale


def consensus_apr(
    total_staked_eth: ArrayLike,
    uptime: ArrayLike,
    network_participation: ArrayLike,
    eth: EthereumParams,
    epochs_since_fork: ArrayLike | None = None,
) -> Any:
    """Expected consensus APR net of any burn under ``eth``'s rules [1/year].

    ``ethereum.consensus_apr(D, u, p) · reward_scale(D) − p · burn_apr(D)``: rewards and
    penalties scale with the base reward; EIP-8363's burn, sized on the participation ``p`` the
    network had, is charged whether the validator was online or not (``EIPS/eip-8363.md``,
    Specification: "charged whether or not the duty was performed").
    """
    cl = as_float_array(ethereum.consensus_apr(total_staked_eth, uptime, network_participation))
    scale = as_float_array(reward_scale(total_staked_eth, eth, epochs_since_fork))
    burn = as_float_array(burn_apr(total_staked_eth, eth, epochs_since_fork)) * as_float_array(network_participation)
    return unwrap(cl * scale - burn, total_staked_eth, uptime, network_participation)


def consensus_apr_by_duty(
    total_staked_eth: ArrayLike,
    uptime: ArrayLike,
    network_participation: ArrayLike,
    eth: EthereumParams,
    epochs_since_fork: ArrayLike | None = None,
) -> dict[str, Any]:
    """:func:`divaecon.ethereum.consensus_apr_by_duty` scaled by the rules, plus ``burn`` [1/year].

    ``total`` is net of the burn (equal to :func:`consensus_apr`).
    """
    parts = ethereum.consensus_apr_by_duty(total_staked_eth, uptime, network_participation)
    scale = as_float_array(reward_scale(total_staked_eth, eth, epochs_since_fork))
    burn = as_float_array(burn_apr(total_staked_eth, eth, epochs_since_fork)) * as_float_array(network_participation)
    like = (total_staked_eth, uptime, network_participation)
    out = {k: unwrap(as_float_array(v) * scale, *like) for k, v in parts.items() if k != "total"}
    out["burn"] = unwrap(burn + 0.0 * as_float_array(parts["total"]), *like)
    out["total"] = unwrap(as_float_array(parts["total"]) * scale - burn, *like)
    return out


def offline_penalty_apr(
    total_staked_eth: ArrayLike,
    network_participation: ArrayLike,
    eth: EthereumParams,
    epochs_since_fork: ArrayLike | None = None,
) -> Any:
    """Penalty rate of a validator offline all year outside a leak under ``eth``'s rules [1/year, positive].

    :func:`divaecon.ethereum.offline_penalty_apr` × ``reward_scale``. EIP-8363 does not scale
    penalties (its burn is not a penalty: an online validator pays it too).
    """
    pen = as_float_array(ethereum.offline_penalty_apr(total_staked_eth, network_participation))
    scale = as_float_array(reward_scale(total_staked_eth, eth, epochs_since_fork))
    return unwrap(pen * scale, total_staked_eth, network_participation)


def execution_apr(total_staked_eth: ArrayLike, uptime: ArrayLike, eth: EthereumParams) -> Any:
    """Execution APR a validator keeps under ``eth``'s rules [1/year].

    :func:`divaecon.ethereum.execution_apr` at ``eth.el_reward_per_block_eth`` × execution share
    (the slot time leaves it unchanged: :func:`~divaecon.rules.issuance.execution_reward_per_block_eth`).
    """
    el = as_float_array(ethereum.execution_apr(eth.el_reward_per_block_eth, total_staked_eth, uptime))
    return unwrap(el * execution_share(eth), total_staked_eth, uptime)


def gross_apr(
    total_staked_eth: ArrayLike,
    uptime: ArrayLike,
    network_participation: ArrayLike,
    eth: EthereumParams,
    epochs_since_fork: ArrayLike | None = None,
) -> Any:
    """Consensus (net of burn) + execution APR under ``eth``'s rules [1/year].

    Under today's rules exactly :func:`divaecon.ethereum.gross_apr`.
    """
    cl = as_float_array(consensus_apr(total_staked_eth, uptime, network_participation, eth, epochs_since_fork))
    el = as_float_array(execution_apr(total_staked_eth, uptime, eth))
    return unwrap(cl + el, total_staked_eth, uptime, network_participation)


def rewards_lost_eth_per_year(
    total_staked_eth: ArrayLike,
    uptime: ArrayLike,
    network_participation: ArrayLike,
    eth: EthereumParams,
    validator_stake_eth: ArrayLike = ethereum.VALIDATOR_STAKE_ETH,
) -> Any:
    """Rewards a validator of ``uptime`` forgoes against a perfect one under ``eth``'s rules [ETH/year].

    As :func:`divaecon.ethereum.rewards_lost_eth_per_year`; the burn cancels (both pay it).
    """
    ideal = as_float_array(gross_apr(total_staked_eth, 1.0, network_participation, eth))
    actual = as_float_array(gross_apr(total_staked_eth, uptime, network_participation, eth))
    out = (ideal - actual) * as_float_array(validator_stake_eth)
    return unwrap(out, total_staked_eth, uptime, network_participation, validator_stake_eth)
