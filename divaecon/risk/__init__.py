"""Collateral risk: the losses collateral must absorb, and how low collateral per key share can go.

The maths layer (no plotting, widgets or notebooks):

- :mod:`divaecon.risk.el_rewards` — the heavy-tailed execution-layer reward of one block, fitted
  to published figures;
- :mod:`divaecon.risk.events` — the loss events (correlated outages, inactivity leaks, slashing,
  theft of block rewards, abandonment), each with its rate, loss and who pays;
- :mod:`divaecon.risk.closed_form` — exact expectations per validator-year and the collateral a
  target needs;
- :mod:`divaecon.risk.montecarlo` — the vectorised, importance-sampled Monte Carlo over
  validator-years (loss distribution, tail probabilities, required collateral, with errors);
- :mod:`divaecon.risk.models` — a scenario's event models, Diva's and the peers';
- :mod:`divaecon.risk.yields` — risk-adjusted yields, the frontier, the peers on it;
- :mod:`divaecon.risk.sensitivity` — the tornado table of the required collateral;
- :mod:`divaecon.risk.api` — a scenario in, the figures out (what the CLI, notebook and
  dashboard call).
"""

from __future__ import annotations

from divaecon.risk.api import RiskReport, required_collateral_per_key_share, risk_report
from divaecon.risk.closed_form import model_figures, required_collateral
from divaecon.risk.el_rewards import ElRewardDistribution, fit_el_reward_distribution
from divaecon.risk.events import RiskModel
from divaecon.risk.models import PeerRisk, peer_risk_models, risk_model
from divaecon.risk.montecarlo import Estimate, LossSample, MonteCarloSummary, simulate_losses
from divaecon.risk.sensitivity import tornado
from divaecon.risk.yields import frontier, peer_frontier, risk_adjusted_yields, yield_arrays, yields_at

__all__ = [
    "ElRewardDistribution",
    "Estimate",
    "LossSample",
    "MonteCarloSummary",
    "PeerRisk",
    "RiskModel",
    "RiskReport",
    "fit_el_reward_distribution",
    "frontier",
    "model_figures",
    "peer_frontier",
    "peer_risk_models",
    "required_collateral",
    "required_collateral_per_key_share",
    "risk_adjusted_yields",
    "risk_model",
    "risk_report",
    "simulate_losses",
    "tornado",
    "yield_arrays",
    "yields_at",
]
