"""The risk model's parameter layer: a :class:`~divaecon.params.Scenario` in, figures out.

:func:`risk_model` passes the scenario's ``risk`` section (and the validator's reward rate from
:func:`divaecon.quote.quote`) to the event classes of :mod:`divaecon.risk.events`;
:func:`peer_risk_models` builds the same events for the peers' set-ups at the same rates;
:func:`risk_report` runs the Monte Carlo and the closed forms and collects what the CLI,
notebook and dashboard show. No maths of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from divaecon import ethereum
from divaecon.errors import ParameterError
from divaecon.params import RiskParams, Scenario
from divaecon.quote import Quote, quote
from divaecon.risk import closed_form, events
from divaecon.risk.el_rewards import ElRewardDistribution, fit_el_reward_distribution
from divaecon.risk.events import EventClass, RiskModel
from divaecon.risk.montecarlo import LossSample, MonteCarloSummary, _scale, simulate_losses
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


def risk_model(scenario: Scenario, q: Quote | None = None) -> RiskModel:
    """Diva's validator under ``scenario``: 16 shares, threshold 11, 32 ETH of divETH at risk.

    ``q``: the scenario's :func:`divaecon.quote.quote`, if already computed.
    """
    q = q if q is not None else quote(scenario)
    diva, eth = scenario.diva, scenario.ethereum
    gross = float(q.gross_apr)
    classes, forgone = _classes(
        scenario.risk,
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

    eth, diva, risk = scenario.ethereum, scenario.diva, scenario.risk
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


@dataclass(frozen=True)
class RiskReport:
    """What ``divaecon risk`` reports for one scenario at one collateral per key share."""

    scenario: str
    collateral_per_key_share_eth: float
    monte_carlo: MonteCarloSummary
    exact: dict[str, float]
    required_collateral: dict[str, dict[str, float]]
    yields: dict[str, float]
    by_class: list[dict[str, Any]]
    sample: LossSample
    buffered_fraction: float = 0.0
    """Share of divETH waiting unstaked (it bears a shortfall too, but earns no rewards)."""

    def figure_values(self) -> dict[str, dict[str, float]]:
        """The registered risk figures (:data:`divaecon.figures.RISK_FIGURES`) by key:
        ``value`` (the Monte Carlo's where it has one, else exact), and where they exist
        ``low``/``high`` (95 % interval) and ``exact`` (closed form)."""
        mc, ex, y = self.monte_carlo, self.exact, self.yields

        def est(e: Any, exact: float | None = None) -> dict[str, float]:
            out = {"value": e.value, "low": e.low, "high": e.high}
            if exact is not None:
                out["exact"] = exact
            return out

        values: dict[str, dict[str, float]] = {
            "mean_loss_eth_per_validator_year": est(mc.mean_loss_eth, ex["mean_loss_eth_per_validator_year"]),
            "loss_p99_eth": est(mc.loss_quantiles_eth["p99"]),
            "loss_p999_eth": est(mc.loss_quantiles_eth["p99.9"]),
            "key_share_loss_p999_eth": est(mc.key_share_loss_quantiles_eth["p99.9"]),
            "key_share_loss_exceeds_collateral_probability": est(mc.key_share_loss_exceeds_collateral_probability),
            "shortfall_probability_per_validator_year": est(
                mc.shortfall_probability, ex["shortfall_probability_per_validator_year"]
            ),
            "expected_shortfall_eth_per_validator_year": est(
                mc.expected_shortfall_eth, ex["expected_shortfall_eth_per_validator_year"]
            ),
            "shortfall_eth_per_eth_staked": est(mc.shortfall_apr, ex["shortfall_apr"]),
            "shortfall_apr": est(
                _scale(mc.shortfall_apr, 1.0 - self.buffered_fraction),
                ex["shortfall_apr"] * (1.0 - self.buffered_fraction),
            ),
            "staker_apr_net": {"value": y["staker_apr_net"], "exact": y["staker_apr_net"]},
            "operator_apr_net": {"value": y["operator_apr_net"], "exact": y["operator_apr_net"]},
        }
        for kind, req in self.required_collateral.items():
            values[f"required_collateral_{kind}_eth"] = {
                "value": req["monte_carlo"],
                "low": req["monte_carlo_low"],
                "high": req["monte_carlo_high"],
                "exact": req["exact"],
            }
        return values

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures (the sample itself left out; NaN and infinity become null)."""
        return _json_ready(
            {
                "scenario": self.scenario,
                "collateral_per_key_share_eth": self.collateral_per_key_share_eth,
                "monte_carlo": self.monte_carlo.as_dict(),
                "exact": self.exact,
                "required_collateral_per_key_share_eth": self.required_collateral,
                "yields": self.yields,
                "by_class": self.by_class,
                "figures": self.figure_values(),
            }
        )


def _json_ready(value: Any) -> Any:
    """Nested dicts and lists with non-finite floats replaced by None, numpy scalars by Python's."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def required_collateral_per_key_share(scenario: Scenario) -> float:
    """Collateral per key share the scenario's loss-probability target needs, by the closed forms [divETH].

    ``risk.target_loss_probability_per_year``: the smallest collateral with P(stakers bear a loss
    in a validator-year) at most the target (:func:`divaecon.risk.closed_form.required_collateral`;
    ``inf`` when 32 divETH do not reach it). The executive summary of a report book shows it.
    """
    model = risk_model(scenario, quote(scenario))
    target = scenario.risk.target_loss_probability_per_year
    return closed_form.required_collateral(model, target_loss_probability=target)


def risk_report(
    scenario: Scenario,
    collateral_per_key_share_eth: float | None = None,
    target_loss_probability: float | None = None,
    target_shortfall_apr: float | None = None,
    validator_years: int | None = None,
    seed: int | None = None,
    max_memory: str | int | float | None = None,
) -> RiskReport:
    """Loss distribution, shortfall, required collateral and risk-adjusted yields of Diva.

    Defaults come from the scenario: ``diva.collateral_per_key_share_eth``,
    ``risk.mc_validator_years`` and ``risk.mc_seed``. The required collateral is solved for the
    target given (at most one of ``target_loss_probability`` and ``target_shortfall_apr``), or
    for both targets of the ``risk`` section when none is; by the Monte Carlo (with its 95 %
    interval) and by the closed forms. A Monte Carlo too large for ``max_memory`` (default: the
    limit of :func:`divaecon.sizing.memory_limit`) is refused before it starts.
    """
    from divaecon.risk.yields import risk_adjusted_yields

    risk = scenario.risk
    c = (
        scenario.diva.collateral_per_key_share_eth
        if collateral_per_key_share_eth is None
        else float(collateral_per_key_share_eth)
    )
    if not (np.isfinite(c) and 0.0 <= c <= 32.0):
        raise ParameterError([f"collateral_per_key_share_eth = {c!r}: must be between 0 and 32"])
    if target_loss_probability is not None and target_shortfall_apr is not None:
        raise ParameterError(["give at most one of target_loss_probability and target_shortfall_apr"])
    targets: dict[str, float] = {}
    if target_loss_probability is not None:
        targets["loss_probability"] = target_loss_probability
    elif target_shortfall_apr is not None:
        targets["shortfall_apr"] = target_shortfall_apr
    else:
        targets = {
            "loss_probability": risk.target_loss_probability_per_year,
            "shortfall_apr": risk.target_shortfall_apr,
        }
    for kind, value in targets.items():
        name = "target_" + kind
        if not (isinstance(value, int | float) and 0.0 < float(value) < 1.0):
            raise ParameterError([f"{name} = {value!r}: must be strictly between 0 and 1"])
    q = quote(scenario)
    model = risk_model(scenario, q)
    sample = simulate_losses(
        model, validator_years or risk.mc_validator_years, risk.mc_seed if seed is None else seed, max_memory=max_memory
    )
    mc = sample.summary(c)
    required: dict[str, dict[str, float]] = {}
    for kind, value in targets.items():
        arg = {"target_" + kind: float(value)}
        est = sample.required_collateral(**arg)
        required[kind] = {
            "target": float(value),
            "monte_carlo": est.value,
            "monte_carlo_low": est.low,
            "monte_carlo_high": est.high,
            "exact": closed_form.required_collateral(model, **arg),
        }
    exact = closed_form.figures_at(model, c)
    parts = closed_form.model_figures(model, c).by_class
    by_class = [
        {
            "event": cls.name,
            "kind": cls.kind,
            "harmful_rate_per_validator_year": cls.rate_per_validator_year,
            "mean_loss_eth": float(p.mean_loss_eth[0]),
            "expected_shortfall_eth": float(p.expected_shortfall_eth[0]),
            "shortfall_probability": float(p.shortfall_probability[0]),
        }
        for cls, p in zip(model.classes, parts, strict=True)
    ]
    return RiskReport(
        scenario=scenario.name,
        collateral_per_key_share_eth=c,
        monte_carlo=mc,
        exact=exact,
        required_collateral=required,
        yields=risk_adjusted_yields(scenario, model, c, q),
        by_class=by_class,
        sample=sample,
        buffered_fraction=scenario.diva.buffered_fraction,
    )
