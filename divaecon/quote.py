"""A scenario's key figures: the parameter layer between :mod:`divaecon.params` and the maths.

:func:`quote` passes a :class:`~divaecon.params.Scenario`'s fields to the pure functions of
:mod:`divaecon.ethereum`, :mod:`divaecon.dvt`, :mod:`divaecon.protocol` and
:mod:`divaecon.peers` and returns them as a :class:`Quote`, a frozen, typed result with one
documented field per figure; it adds no maths of its own. CLI, notebooks, widgets and reports
all read their numbers from here; their labels and formats come from :mod:`divaecon.figures`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from divaecon import dvt, ethereum, peers, protocol, rules
from divaecon.params import Scenario

DIVA_NAME = "Diva (11/16)"


@dataclass(frozen=True, slots=True)
class Quote:
    """Key figures of Diva under one scenario (what :func:`quote` returns).

    Rates are fractions per year (``0.031`` is 3.1 % a year), simple (APR, not compounded);
    amounts of ETH and divETH are in whole units (not gwei). Each field says its unit in
    brackets. Read a field by name (``q.staker_apr``); make a variant by quoting another
    scenario, never by changing a quote.
    """

    scenario_name: str
    """Name of the scenario quoted [text]."""

    total_staked_eth: float
    """Total ETH staked on Ethereum, the scenario's input [ETH]."""

    ideal_consensus_apr: float
    """Consensus APR of a perfect validator in a perfect network, with the spec's floored base
    reward (≈ 166.3 / √(ETH staked) under today's rules) [fraction/year] (consensus-specs
    ``specs/altair/beacon-chain.md``, ``get_base_reward_per_increment``); under another rule set
    the steady state of its curve net of any burn (:func:`divaecon.rules.consensus_yield`)."""

    consensus_apr: float
    """Consensus APR of a Diva validator, whose uptime is its availability [fraction/year]."""

    execution_apr: float
    """Execution-layer APR (priority fees + MEV) of a Diva validator [fraction/year]."""

    gross_apr: float
    """Consensus + execution APR of a Diva validator, before fees [fraction/year]."""

    staker_apr: float
    """APR of a divETH holder: gross APR less fees and cash drag [fraction/year]."""

    operator_apr_queued: float
    """APR of operator collateral waiting in the queue (what divETH earns) [fraction/year]."""

    operator_apr_assigned: float
    """APR of operator collateral backing key shares: divETH's APR plus the net operator
    reward per divETH of collateral [fraction/year]."""

    operator_reward_per_key_share_eth_per_year: float
    """Operator reward one key share earns in a year [ETH/year]."""

    collateral_penalty_per_key_share_eth_per_year: float
    """Expected penalties one key share's collateral covers in a year [ETH/year]."""

    operator_net_reward_per_key_share_eth_per_year: float
    """Operator reward less expected penalties, per key share [ETH/year]."""

    validator_availability: float
    """Share of time a Diva validator has enough key shares online to sign [fraction]."""

    collateral_locked_eth: float
    """divETH collateral locked by the scenario's network of validators [divETH]."""

    collateral_ratio: float
    """Collateral per validator as a share of the validator's stake [fraction]."""

    network_validators: int
    """Diva validators in the network, the scenario's input [validators]."""

    operator_cost_usd_per_year: float
    """Yearly cost of one operator node: hardware write-off + running costs [USD/year]."""

    break_even_key_shares: float
    """Key shares one node must run for its net rewards to cover its cost; ``inf`` when a
    key share earns nothing [key shares]."""

    entry_queue_wait_days: float
    """Wait of a deposit joining Ethereum's entry queue today: queue / (churn · epochs a day) [days]
    (consensus-specs ``specs/electra/beacon-chain.md``, ``process_pending_deposits``)."""

    activation_wait_days: float
    """Wait from a Diva validator's creation to its activation: the entry queue once, or twice
    with Diva's two deposits (1 + 31 ETH), plus processing [days]."""

    exit_wait_days: float
    """Wait from a validator's exit request to its ETH in the pool: exit queue, 256 epochs until
    withdrawable, then the withdrawal sweep [days]."""

    staker_apr_growing: float
    """divETH holder APR in a pool growing at the scenario's ``pool_growth_rate_per_year``, whose new
    deposits wait ``activation_wait_days`` before they earn (``staker_apr`` is the steady state)
    [fraction/year]."""

    def as_dict(self) -> dict[str, Any]:
        """Field name → value, in field order."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}


_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Quote))


def quote(scenario: Scenario) -> Quote:
    """Key figures of Diva under ``scenario`` (see :class:`Quote` for each field and its unit)."""
    eth, diva, costs = scenario.ethereum, scenario.diva, scenario.costs
    avail = dvt.availability(
        diva.key_shares_per_validator, diva.threshold, diva.operator_uptime, diva.failure_correlation
    )
    # the scenario's Ethereum rules, at the steady state of any transition (divaecon.rules)
    cl = rules.consensus_apr(eth.total_staked_eth, avail, eth.network_participation, eth)
    el = rules.execution_apr(eth.total_staked_eth, avail, eth)
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
        penalty_scale=rules.reward_scale(eth.total_staked_eth, eth),
    )
    cost = protocol.operator_cost_usd_per_year(
        costs.hardware_cost_usd, costs.hardware_lifetime_years, costs.running_cost_usd_per_month
    )
    net = reward - penalty  # what a key share leaves its operator once penalties are covered
    sim = scenario.simulation
    entry_wait = ethereum.queue_wait_days(
        eth.entry_queue_eth, rules.activation_churn_eth_per_epoch(eth.total_staked_eth, eth), eth.seconds_per_slot
    )
    activation_wait = protocol.activation_wait_days(entry_wait, diva.two_step_deposit, sim.activation_delay_days)
    exit_wait = (
        ethereum.queue_wait_days(
            eth.exit_queue_eth,
            rules.exit_churn_eth_per_epoch(eth.total_staked_eth, eth),
            eth.seconds_per_slot,
        )
        + ethereum.withdrawability_delay_days(eth.seconds_per_slot)
        + rules.slot_rules(eth.seconds_per_slot).sweep_days(eth.withdrawal_sweep_days)
    )
    return Quote(
        scenario_name=scenario.name,
        total_staked_eth=float(eth.total_staked_eth),
        ideal_consensus_apr=float(rules.consensus_yield(eth.total_staked_eth, eth)),
        consensus_apr=float(cl),
        execution_apr=float(el),
        gross_apr=float(gross),
        staker_apr=float(staker),
        operator_apr_queued=float(protocol.operator_apr_queued(staker)),
        operator_apr_assigned=float(
            protocol.operator_apr_assigned(staker, reward, diva.collateral_per_key_share_eth, penalty)
        ),
        operator_reward_per_key_share_eth_per_year=float(reward),
        collateral_penalty_per_key_share_eth_per_year=float(penalty),
        operator_net_reward_per_key_share_eth_per_year=float(net),
        validator_availability=float(avail),
        collateral_locked_eth=float(
            protocol.collateral_locked_eth(
                diva.network_validators, diva.collateral_per_key_share_eth, diva.key_shares_per_validator
            )
        ),
        collateral_ratio=float(
            protocol.collateral_ratio(
                diva.collateral_per_key_share_eth, diva.key_shares_per_validator, diva.validator_stake_eth
            )
        ),
        network_validators=int(diva.network_validators),
        operator_cost_usd_per_year=float(cost),
        break_even_key_shares=float(protocol.break_even_key_shares(net, costs.eth_price_usd, cost)),
        entry_queue_wait_days=float(entry_wait),
        activation_wait_days=float(activation_wait),
        exit_wait_days=float(exit_wait),
        staker_apr_growing=float(
            protocol.staker_apr_growing_pool(staker, diva.pool_growth_rate_per_year, activation_wait)
        ),
    )


def operator_apr_assigned_at(q: Quote, collateral_per_key_share_eth: Any) -> Any:
    """The assigned operator APR of a :class:`Quote` at other collateral levels [fraction/year].

    :func:`divaecon.protocol.operator_apr_assigned` with the quote's staker APR, reward and
    penalty per key share; ``collateral_per_key_share_eth`` [divETH] is a scalar or an array.
    What the figures and tables that vary the collateral draw.
    """
    return protocol.operator_apr_assigned(
        q.staker_apr,
        q.operator_reward_per_key_share_eth_per_year,
        collateral_per_key_share_eth,
        q.collateral_penalty_per_key_share_eth_per_year,
    )


def published_figures() -> list[peers.Published]:
    """The staker APRs protocols published (``data/published_staker_apr.csv``), read once."""
    return list(_published_cache())


@functools.lru_cache(maxsize=1)
def _published_cache() -> tuple[peers.Published, ...]:
    from divaecon.data import published_staker_apr

    df = published_staker_apr()
    return tuple(
        peers.Published(
            setup=str(setup),
            date=str(date)[:10],
            staker_apr=float(apr),
            total_staked_eth=float(total),
            el_reward_per_block_eth=float(el),
            source=str(source),
            calibration=str(calibration),
        )
        for setup, date, apr, total, el, source, calibration in zip(
            df["setup"],
            df["date"].dt.strftime("%Y-%m-%d"),
            df["staker_apr"],
            df["total_staked_eth"],
            df["el_reward_per_block_eth"],
            df["source"],
            df["calibration"],
            strict=True,
        )
    )


def peer_table(scenario: Scenario, q: Quote | None = None) -> pd.DataFrame:
    """Diva and its peers side by side (columns of :data:`divaecon.peers.COLUMNS`).

    Each set-up runs on nodes of its own kind (``peers.*_node_uptime``; Diva on
    ``diva.operator_uptime``), with the scenario's ``failure_correlation``; with
    ``peers.same_node_uptime_for_all`` every set-up runs on Diva's node uptime instead (like
    for like). ``vs_published`` compares a peer's staker APR with the one its protocol
    published and says why they differ (:func:`divaecon.peers.published_note`). Diva's
    operator APR is the assigned APR; its capital to start is one key share's collateral.
    ``q`` is the scenario's :func:`quote` when the caller has it already.
    """
    eth, diva, peer_params = scenario.ethereum, scenario.diva, scenario.peers
    q = q if q is not None else quote(scenario)
    diva_row = {
        "name": DIVA_NAME
        if (diva.threshold, diva.key_shares_per_validator) == (11, 16)
        else f"Diva ({diva.threshold}/{diva.key_shares_per_validator})",
        "staker_apr": q.staker_apr,
        "operator_apr": q.operator_apr_assigned,
        "capital_eth": diva.collateral_per_key_share_eth,
        "faults_tolerated": diva.key_shares_per_validator - diva.threshold,
        "availability": q.validator_availability,
        "n_operators": diva.key_shares_per_validator,
        "threshold": diva.threshold,
        "node_uptime": diva.operator_uptime,
        "permissionless": True,
        "note": f"{diva.collateral_per_key_share_eth:g} divETH per key share",
        "vs_published": "not launched: no published figure",
    }
    common = diva.operator_uptime if peer_params.same_node_uptime_for_all else None
    setups = peers.peer_setups(peer_params)
    others = peers.setup_table(
        setups,
        eth.total_staked_eth,
        eth.el_reward_per_block_eth,
        common,
        diva.failure_correlation,
        eth.network_participation,
        rules_eth=eth,
    )
    published = published_figures()
    others["vs_published"] = [
        peers.published_note(
            published,
            s,
            float(apr),
            eth.total_staked_eth,
            eth.el_reward_per_block_eth,
            float(up),
            eth.network_participation,
        )
        for s, apr, up in zip(setups, others["staker_apr"], others["node_uptime"], strict=True)
    ]
    if not rules.is_today(eth):  # published figures were earned under today's rules
        others["vs_published"] = [
            f"{note}; modelled under {rules.describe_rules(eth)}" for note in others["vs_published"]
        ]
    return pd.concat([pd.DataFrame([diva_row], columns=peers.COLUMNS), others], ignore_index=True)


def _json_number(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


PEER_JSON_COLUMNS: tuple[str, ...] = (
    "name",
    "staker_apr",
    "operator_apr",
    "capital_eth",
    "faults_tolerated",
    "availability",
    "node_uptime",
    "vs_published",
)
"""Columns of :func:`peer_table` that ``divaecon quote --json`` gives for each peer."""


def quote_json(scenario: Scenario) -> dict[str, Any]:
    """``scenario_name``, each figure of :data:`divaecon.figures.QUOTE_FIGURES` under its key, then
    ``peers``, as JSON-ready values (NaN and inf become null)."""
    from divaecon.figures import QUOTE_FIGURES

    q = quote(scenario)
    table = peer_table(scenario, q)
    peer_rows = [
        {k: _json_number(v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in table[list(PEER_JSON_COLUMNS)].to_dict(orient="records")
    ]
    out: dict[str, Any] = {"scenario_name": q.scenario_name}
    out.update({f.key: _json_number(getattr(q, f.key)) for f in QUOTE_FIGURES})
    out["peers"] = peer_rows
    return out
