"""A scenario's key figures: the parameter layer between :mod:`divaecon.params` and the maths.

:func:`quote` passes a :class:`~divaecon.params.Scenario`'s fields to the pure functions of
:mod:`divaecon.ethereum`, :mod:`divaecon.dvt`, :mod:`divaecon.protocol` and
:mod:`divaecon.peers` and returns plain numbers; it adds no maths of its own. CLI, notebooks,
widgets and reports all read their numbers from here.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from divaecon import dvt, ethereum, peers, protocol
from divaecon.params import Scenario

DIVA_NAME = "Diva (11/16)"


def quote(scenario: Scenario) -> dict[str, Any]:
    """Key figures of Diva under ``scenario``; rates are fractions per year, amounts in ETH.

    Keys: ``consensus_apr``, ``execution_apr``, ``gross_apr`` (of a Diva validator, whose
    uptime is its availability), ``staker_apr``, ``operator_apr_queued``,
    ``operator_apr_assigned``, ``operator_reward_per_key_share_eth_per_year``,
    ``collateral_penalty_per_key_share_eth_per_year``,
    ``operator_net_reward_per_key_share_eth_per_year`` (reward − penalty), ``validator_availability``,
    ``collateral_locked_eth``, ``collateral_ratio``, ``operator_cost_usd_per_year``,
    ``break_even_key_shares``, ``ideal_consensus_apr``.
    """
    eth, diva, costs = scenario.ethereum, scenario.diva, scenario.costs
    avail = dvt.availability(
        diva.key_shares_per_validator, diva.threshold, diva.operator_uptime, diva.failure_correlation
    )
    cl = ethereum.consensus_apr(eth.total_staked_eth, avail, eth.network_participation)
    el = ethereum.execution_apr(eth.el_reward_per_block_eth, eth.total_staked_eth, avail)
    gross = cl + el
    staker = protocol.staker_apr(
        gross, diva.operator_fee, diva.treasury_fee, diva.insurance_fee, diva.buffered_fraction
    )
    reward = protocol.operator_reward_per_key_share_eth_per_year(
        gross, diva.operator_fee, diva.validator_stake_eth, diva.key_shares_per_validator
    )
    penalty = protocol.collateral_penalty_eth_per_year(
        eth.total_staked_eth,
        diva.operator_uptime,
        key_shares_per_validator=diva.key_shares_per_validator,
        threshold=diva.threshold,
        validator_stake_eth=diva.validator_stake_eth,
        failure_correlation=diva.failure_correlation,
    )
    cost = protocol.operator_cost_usd_per_year(
        costs.hardware_cost_usd, costs.hardware_lifetime_years, costs.running_cost_usd_per_month
    )
    net = reward - penalty  # what a key share leaves its operator once penalties are covered
    return {
        "scenario": scenario.name,
        "total_staked_eth": eth.total_staked_eth,
        "ideal_consensus_apr": ethereum.ideal_consensus_apr(eth.total_staked_eth),
        "consensus_apr": cl,
        "execution_apr": el,
        "gross_apr": gross,
        "staker_apr": staker,
        "operator_apr_queued": protocol.operator_apr_queued(staker),
        "operator_apr_assigned": protocol.operator_apr_assigned(
            staker, reward, diva.collateral_per_key_share_eth, penalty
        ),
        "operator_reward_per_key_share_eth_per_year": reward,
        "collateral_penalty_per_key_share_eth_per_year": penalty,
        "operator_net_reward_per_key_share_eth_per_year": net,
        "validator_availability": avail,
        "collateral_locked_eth": protocol.collateral_locked_eth(
            diva.network_validators, diva.collateral_per_key_share_eth, diva.key_shares_per_validator
        ),
        "collateral_ratio": protocol.collateral_ratio(
            diva.collateral_per_key_share_eth, diva.key_shares_per_validator, diva.validator_stake_eth
        ),
        "network_validators": diva.network_validators,
        "operator_cost_usd_per_year": cost,
        "break_even_key_shares": protocol.break_even_key_shares(
            net, costs.eth_price_usd, cost
        ),
    }


def operator_apr_assigned_at(figures: dict[str, Any], collateral_per_key_share_eth: Any) -> Any:
    """The assigned operator APR of a :func:`quote` at other collateral levels (scalar or array).

    :func:`divaecon.protocol.operator_apr_assigned` with the quote's staker APR, reward and
    penalty per key share: what the figures and tables that vary the collateral draw.
    """
    return protocol.operator_apr_assigned(
        figures["staker_apr"], figures["operator_reward_per_key_share_eth_per_year"],
        collateral_per_key_share_eth, figures["collateral_penalty_per_key_share_eth_per_year"],
    )


def peer_table(scenario: Scenario, figures: dict[str, Any] | None = None) -> pd.DataFrame:
    """Diva and its peers side by side (columns of :data:`divaecon.peers.COLUMNS`).

    Every set-up runs on nodes of the scenario's ``diva.operator_uptime`` with its
    ``failure_correlation``, so the comparison is like for like. Diva's operator APR is the
    assigned APR; its capital to start is one key share's collateral.
    """
    eth, diva = scenario.ethereum, scenario.diva
    q = figures if figures is not None else quote(scenario)
    diva_row = {
        "name": DIVA_NAME if (diva.threshold, diva.key_shares_per_validator) == (11, 16)
        else f"Diva ({diva.threshold}/{diva.key_shares_per_validator})",
        "staker_apr": q["staker_apr"],
        "operator_apr": q["operator_apr_assigned"],
        "capital_eth": diva.collateral_per_key_share_eth,
        "faults_tolerated": diva.key_shares_per_validator - diva.threshold,
        "availability": q["validator_availability"],
        "n_operators": diva.key_shares_per_validator,
        "threshold": diva.threshold,
        "permissionless": True,
        "note": f"{diva.collateral_per_key_share_eth:g} divETH per key share",
    }
    others = peers.setup_table(
        peers.peer_setups(scenario.peers),
        eth.total_staked_eth,
        eth.el_reward_per_block_eth,
        diva.operator_uptime,
        diva.failure_correlation,
        eth.network_participation,
    )
    return pd.concat([pd.DataFrame([diva_row], columns=peers.COLUMNS), others], ignore_index=True)


def _json_number(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def quote_json(scenario: Scenario) -> dict[str, Any]:
    """:func:`quote` plus ``peers`` as JSON-ready values (NaN and inf become null)."""
    q = quote(scenario)
    table = peer_table(scenario, q)
    peer_rows = [
        {k: _json_number(v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in table[["name", "staker_apr", "operator_apr", "capital_eth", "faults_tolerated",
                          "availability"]].to_dict(orient="records")
    ]
    out = {k: _json_number(v) for k, v in q.items()}
    out["peers"] = peer_rows
    return out
