"""The risk model's parameter layer: a :class:`~divaecon.params.Scenario` in, figures out.

:func:`risk_model` passes the scenario's ``risk`` section (and the validator's reward rate from
:func:`divaecon.quote.quote`) to the event classes of :mod:`divaecon.risk.events`;
:func:`peer_risk_models` builds the same events for the peers' set-ups at the same rates (both
defined in :mod:`divaecon.risk.models` and re-exported here); :func:`risk_report` runs the
Monte Carlo and the closed forms and collects what the CLI, notebook and dashboard show. No
maths of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from divaecon.errors import ParameterError
from divaecon.params import Scenario
from divaecon.quote import quote
from divaecon.risk import closed_form
from divaecon.risk.models import (  # noqa: F401 (re-exported)
    PEER_PREFIXES,
    PeerRisk,
    _classes,
    el_reward_distribution,
    peer_risk_models,
    risk_model,
)
from divaecon.risk.montecarlo import LossSample, MonteCarloSummary, _scale, simulate_losses


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
