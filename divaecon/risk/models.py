"""The event models of a scenario: :func:`risk_model` passes the scenario's ``risk`` section (and the
validator's reward rate from :func:`divaecon.quote.quote`) to the event classes of
:mod:`divaecon.risk.events`; :func:`peer_risk_models` builds the same events for the peers'
set-ups at the same rates. No maths of its own.

A module below both :mod:`divaecon.risk.api` and :mod:`divaecon.risk.yields`, which use these
models, so neither needs the other's (``api`` -> ``yields`` -> ``models``); ``api`` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from divaecon import ethereum
from divaecon.params import RiskParams, Scenario
from divaecon.quote import Quote, quote
from divaecon.risk import events
from divaecon.risk.el_rewards import ElRewardDistribution, fit_el_reward_distribution
from divaecon.risk.events import EventClass, RiskModel
from divaecon.units import DAYS_PER_YEAR, EPOCHS_PER_DAY


def el_reward_distribution(risk: RiskParams) -> ElRewardDistribution:
    """The fitted block-reward distribution of the scenario's ``risk`` section."""
    return fit_el_reward_distribution(
        risk.el_reward_mean_eth,
        risk.el_reward_mev_mean_eth,
        risk.el_reward_no_mev_share,
        risk.el_reward_p999_eth,
        risk.el_reward_p9999_eth,
        risk.el_reward_priority_sigma,
        risk.el_reward_cap_eth,
        risk.el_reward_multiplier,
    )


@lru_cache(maxsize=64)
def _classes(
    risk: RiskParams, n: int, t: int, stake: float, total: float, dvt: bool, theft: bool
) -> tuple[tuple[EventClass, ...], float]:
    """The event classes of a t-of-n validator and the rewards it forgoes a year [ETH/year] per
    unit of gross APR (multiply by the APR)."""
    per_day = events.offline_penalty_eth_per_day(total, stake)
    sigma = risk.outage_duration_sigma
    rho = risk.outage_fraction_correlation
    outages = [
        (
            "regional outage",
            risk.regional_outage_rate_per_year,
            risk.regional_outage_operator_fraction,
            risk.regional_outage_duration_days,
        ),
        (
            "cloud outage",
            risk.cloud_outage_rate_per_year,
            risk.cloud_outage_operator_fraction,
            risk.cloud_outage_duration_days,
        ),
        ("client bug", risk.client_bug_rate_per_year, risk.client_bug_operator_fraction, risk.client_bug_duration_days),
    ]
    if dvt:
        outages.append(
            (
                "DVT software outage",
                risk.dvt_software_outage_rate_per_year,
                risk.dvt_software_outage_operator_fraction,
                risk.dvt_software_outage_duration_days,
            )
        )
    outages.append(
        (
            "mass abandonment",
            risk.mass_abandonment_rate_per_year,
            risk.mass_abandonment_operator_fraction,
            risk.exit_wait_days,
        )
    )
    classes: list[EventClass] = [
        events.duration_class(
            name,
            "abandonment" if name == "mass abandonment" else "outage",
            n,
            t,
            rate,
            frac,
            rho,
            days,
            sigma,
            per_day,
            stake,
        )
        for name, rate, frac, days in outages
    ]
    classes.append(
        events.duration_class(
            "inactivity leak",
            "leak",
            n,
            t,
            risk.leak_rate_per_year,
            risk.leak_operator_fraction,
            rho,
            risk.leak_duration_days,
            sigma,
            per_day,
            stake,
            leak=True,
        )
    )
    isolated = events.slashing_loss_eth(stake, stake, total)
    classes.append(
        events.isolated_class(
            "isolated slashing", "slashing", n, t, risk.isolated_slashing_rate_per_validator_per_year, isolated
        )
    )
    client = events.slashing_loss_eth(stake, risk.client_slashing_network_fraction * total, total)
    classes.append(
        events.client_slashing_class(
            "client slashing",
            n,
            t,
            risk.client_slashing_rate_per_year,
            risk.client_slashing_operator_fraction,
            rho,
            client,
        )
    )
    if n - 1 >= t:  # the cluster reshares an abandoned key share
        classes.append(
            events.isolated_class(
                "abandonment",
                "abandonment",
                n,
                1,
                n * risk.abandonment_rate_per_operator_per_year,
                risk.replacement_cost_eth,
            )
        )
    else:  # no spare share: offline until the validator exits
        classes.append(
            events.duration_class(
                "abandonment",
                "abandonment",
                n,
                t,
                risk.abandonment_rate_per_operator_per_year,
                1.0,
                0.0,
                risk.exit_wait_days,
                sigma,
                per_day,
                stake,
            )
        )
    if theft:
        classes.append(
            events.theft_class(
                n,
                t,
                risk.adversary_key_share_fraction,
                risk.seizable_key_shares_per_colluder,
                el_reward_distribution(risk),
                float(ethereum.proposals_per_year(stake, total)),
            )
        )
    offline_days = sum(
        c.rate_per_validator_year * c.duration_mean_days for c in classes if isinstance(c, events.DurationClass)
    )
    exit_days = ethereum.EPOCHS_PER_SLASHINGS_VECTOR / EPOCHS_PER_DAY
    slashed = sum(c.rate_per_validator_year for c in classes if c.kind == "slashing")
    forgone_per_apr = (offline_days + slashed * exit_days) / DAYS_PER_YEAR * stake
    return tuple(classes), forgone_per_apr


def event_risk(scenario: Scenario) -> RiskParams:
    """The scenario's ``risk`` section as the event classes use it: ``outage_fraction_correlation``
    replaced by :func:`divaecon.dvt.event_correlation` of it and ``diva.failure_correlation``."""
    from divaecon.dvt import event_correlation

    rho = float(event_correlation(scenario.risk.outage_fraction_correlation, scenario.diva.failure_correlation))
    if rho == scenario.risk.outage_fraction_correlation:
        return scenario.risk
    return scenario.risk.model_copy(update={"outage_fraction_correlation": rho})


def risk_model(scenario: Scenario, q: Quote | None = None) -> RiskModel:
    """Diva's validator under ``scenario``: 16 shares, threshold 11, 32 ETH of divETH at risk.

    ``q``: the scenario's :func:`divaecon.quote.quote`, if already computed.
    """
    q = q if q is not None else quote(scenario)
    diva, eth = scenario.diva, scenario.ethereum
    gross = float(q.gross_apr)
    classes, forgone = _classes(
        event_risk(scenario),
        diva.key_shares_per_validator,
        diva.threshold,
        diva.validator_stake_eth,
        eth.total_staked_eth,
        dvt=True,
        theft=True,
    )
    return RiskModel(
        name=f"Diva ({diva.threshold}/{diva.key_shares_per_validator})",
        n_operators=diva.key_shares_per_validator,
        threshold=diva.threshold,
        validator_stake_eth=diva.validator_stake_eth,
        staker_eth=diva.validator_stake_eth,
        total_staked_eth=eth.total_staked_eth,
        gross_apr=gross,
        classes=classes,
        forgone_eth_per_year=forgone * gross,
    )


@dataclass(frozen=True)
class PeerRisk:
    """A peer's set-up on the risk frontier: its validator model and its operators' bond."""

    name: str
    model: RiskModel
    bond_per_operator_eth: float
    """Collateral each operator puts up (the model's ``c``); 0 for a cluster without a bond."""
    operator_apr: float
    """Operator APR on the bond before losses [1/year] (NaN: no bond, or not modelled)."""


PEER_PREFIXES: tuple[str, ...] = ("Solo", "Rocket Pool megapool", "Lido CSM", "SSV cluster 3/4")
"""The peers placed on the risk frontier (prefixes of :func:`divaecon.peers.peer_setups` names)."""


def peer_risk_models(scenario: Scenario) -> list[PeerRisk]:
    """Solo staking, a Rocket Pool megapool, a Lido CSM validator and a 3-of-4 SSV cluster
    without a bond, under the same event rates as Diva.

    The reward side is :func:`divaecon.peers.setup_table` on the nodes
    :func:`divaecon.quote.peer_table` gives each set-up (its own kind's uptime, or Diva's with
    ``peers.same_node_uptime_for_all``): the gross APR the validator forgoes while offline, and
    the operator APR on its bond. Whose ETH bears a shortfall: the 28 borrowed ETH of a megapool;
    the whole 32 ETH of Lido stakers behind a CSM validator (its stETH bond sits beside the
    validator); the staker's 32 ETH behind an SSV cluster. Solo staking has no stakers to steal
    from or fall short on: its theft class is left out.
    """
    from divaecon import peers

    eth, diva, risk = scenario.ethereum, scenario.diva, event_risk(scenario)
    setups = peers.peer_setups(scenario.peers)
    common = diva.operator_uptime if scenario.peers.same_node_uptime_for_all else None
    table = peers.setup_table(
        setups,
        eth.total_staked_eth,
        eth.el_reward_per_block_eth,
        common,
        diva.failure_correlation,
        eth.network_participation,
    )
    out = []
    for prefix in PEER_PREFIXES:
        i = next((k for k, s in enumerate(setups) if s.name.startswith(prefix)), None)
        if i is None:  # pragma: no cover - every prefix names a shipped set-up
            continue
        setup, row = setups[i], table.iloc[i]
        n, t, bond, stake = setup.n_operators, setup.threshold, setup.operator_bond_eth, setup.validator_stake_eth
        solo = setup.staker_fee == 0 and n == 1 and bond >= stake
        staker_eth = stake if (setup.bond_in_pool_token or bond <= 0 or solo) else stake - bond
        gross = float(
            ethereum.gross_apr(
                eth.total_staked_eth, eth.el_reward_per_block_eth, float(row["availability"]), eth.network_participation
            )
        )
        classes, forgone = _classes(risk, n, t, stake, eth.total_staked_eth, dvt=n > 1, theft=not solo)
        model = RiskModel(
            name=setup.name,
            n_operators=n,
            threshold=t,
            validator_stake_eth=stake,
            staker_eth=staker_eth,
            total_staked_eth=eth.total_staked_eth,
            gross_apr=gross,
            classes=classes,
            forgone_eth_per_year=forgone * gross,
        )
        out.append(PeerRisk(setup.name, model, bond / setup.operators_sharing_bond, float(row["operator_apr"])))
    return out
