"""Risk-adjusted yields: both sides of the collateral slider, and where the peers stand.

At collateral ``c`` per key share (Diva's defaults: 16 shares, 10 % operator fee):

- **operator APR on collateral, net of expected losses** =
  :func:`divaecon.protocol.operator_apr_assigned` with the expected collateral loss per key
  share per year (honest operators' share of covered losses) and the operator fee on rewards
  forgone to the events added to the penalty, minus the expected shortfall APR (the collateral
  is divETH, and divETH bears a shortfall);
- **stakers' APR net of expected shortfall** = :func:`divaecon.protocol.staker_apr` − the
  expected shortfall APR − the stakers' part of rewards forgone to the events;
- the **frontier**: both as ``c`` varies, with the probability per validator-year that stakers
  bear a loss;
- **peers** on it, under the same event rates (:func:`divaecon.risk.api.peer_risk_models`):
  the operator APR on their bond net of their expected losses against their stakers' expected
  shortfall.

Expectations are the closed forms of :mod:`divaecon.risk.closed_form` (exact and smooth, so
the frontier and the dashboard's slider do not carry Monte Carlo noise).

References
----------
Diva docs ``docs/21-economics.md`` (collateral earns the staker yield plus operator rewards;
it covers losses first); Valdorff, ``rp-thoughts``
``2023_11_rapid_research_incubator/bond_curves.md`` (operator ROI against bond size).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from divaecon import protocol
from divaecon.params import Scenario
from divaecon.quote import Quote, quote
from divaecon.risk import closed_form
from divaecon.risk.events import RiskModel
from divaecon.risk.models import peer_risk_models, risk_model

FloatArray = NDArray[np.float64]

FRONTIER_COLUMNS = [
    "collateral_per_key_share_eth",
    "operator_apr",
    "operator_apr_net",
    "staker_apr",
    "staker_apr_net",
    "shortfall_apr",
    "shortfall_probability",
    "operator_collateral_loss_eth_per_key_share",
]


def yield_arrays(
    scenario: Scenario, model: RiskModel, collateral_per_key_share_eth: ArrayLike, q: Quote | None = None
) -> dict[str, FloatArray]:
    """Risk-adjusted yields at each collateral, as arrays keyed by :data:`FRONTIER_COLUMNS`.

    References
    ----------
    Module docstring; :func:`divaecon.protocol.operator_apr_assigned`,
    :func:`divaecon.protocol.staker_apr`.
    """
    q = q if q is not None else quote(scenario)
    diva = scenario.diva
    c = np.atleast_1d(np.asarray(collateral_per_key_share_eth, dtype=float))
    f = closed_form.model_figures(model, c)
    n = model.n_operators
    staker = q.staker_apr
    reward = q.operator_reward_per_key_share_eth_per_year
    penalty = q.collateral_penalty_per_key_share_eth_per_year
    forgone = model.forgone_eth_per_year
    fees = diva.operator_fee + diva.treasury_fee + diva.insurance_fee
    loss_per_share = f.operator_collateral_loss_eth / n
    forgone_per_share = forgone * diva.operator_fee / n
    # divETH holders bear a shortfall per divETH; the buffer's ETH is divETH too (cash drag)
    shortfall_apr = f.shortfall_apr * (1.0 - diva.buffered_fraction)
    gross_operator = np.asarray(protocol.operator_apr_assigned(staker, reward, c, penalty), dtype=float)
    net_operator = (
        np.asarray(
            protocol.operator_apr_assigned(staker, reward, c, penalty + loss_per_share + forgone_per_share), dtype=float
        )
        - shortfall_apr
    )
    staker_net = staker - shortfall_apr - forgone * (1.0 - fees) / model.staker_eth * (1.0 - diva.buffered_fraction)
    return {
        "collateral_per_key_share_eth": c,
        "operator_apr": gross_operator,
        "operator_apr_net": net_operator,
        "staker_apr": np.full_like(c, staker),
        "staker_apr_net": np.asarray(staker_net, dtype=float),
        "shortfall_apr": shortfall_apr,
        "shortfall_probability": f.shortfall_probability,
        "operator_collateral_loss_eth_per_key_share": loss_per_share,
    }


def yields_at(
    scenario: Scenario, model: RiskModel, collateral_per_key_share_eth: ArrayLike, q: Quote | None = None
) -> pd.DataFrame:
    """:func:`yield_arrays` as a table (rows: collateral values, columns :data:`FRONTIER_COLUMNS`)."""
    return pd.DataFrame(yield_arrays(scenario, model, collateral_per_key_share_eth, q), columns=FRONTIER_COLUMNS)


def risk_adjusted_yields(
    scenario: Scenario, model: RiskModel, collateral_per_key_share_eth: float, q: Quote | None = None
) -> dict[str, float]:
    """:func:`yield_arrays` at one collateral, as plain floats."""
    arrays = yield_arrays(scenario, model, [collateral_per_key_share_eth], q)
    return {k: float(v[0]) for k, v in arrays.items()}


def frontier(scenario: Scenario, collateral_grid_eth: ArrayLike | None = None) -> pd.DataFrame:
    """Diva's frontier: :func:`yields_at` on a grid of collateral per key share (default
    0.05–4 divETH, log-spaced, plus the scenario's own value)."""
    grid = (
        np.unique(np.concatenate([np.geomspace(0.05, 4.0, 60), [scenario.diva.collateral_per_key_share_eth]]))
        if collateral_grid_eth is None
        else np.asarray(collateral_grid_eth, dtype=float)
    )
    q = quote(scenario)
    return yields_at(scenario, risk_model(scenario, q), grid, q)


PEER_COLUMNS = [
    "name",
    "bond_per_operator_eth",
    "operator_apr",
    "operator_apr_net",
    "shortfall_apr",
    "shortfall_probability",
    "mean_loss_eth_per_validator_year",
]


def peer_frontier(scenario: Scenario) -> pd.DataFrame:
    """The peers under the same event rates (columns :data:`PEER_COLUMNS`).

    ``operator_apr_net`` = operator APR on the bond − (expected collateral loss + the bond's
    share of the rewards forgone to the events) / bond; NaN without a bond or without a
    modelled operator APR. ``shortfall_apr`` is per ETH of the peer's stakers.
    """
    rows = []
    for peer in peer_risk_models(scenario):
        f = closed_form.model_figures(peer.model, peer.bond_per_operator_eth)
        bond_total = peer.bond_per_operator_eth * peer.model.n_operators
        if bond_total > 0 and np.isfinite(peer.operator_apr):
            own_loss = float(f.operator_collateral_loss_eth[0]) + peer.model.forgone_eth_per_year * (
                bond_total / peer.model.validator_stake_eth
            )
            net = peer.operator_apr - own_loss / bond_total
        else:
            net = float("nan")
        rows.append(
            {
                "name": peer.name,
                "bond_per_operator_eth": peer.bond_per_operator_eth,
                "operator_apr": peer.operator_apr,
                "operator_apr_net": net,
                "shortfall_apr": float(f.shortfall_apr[0]),
                "shortfall_probability": float(f.shortfall_probability[0]),
                "mean_loss_eth_per_validator_year": float(f.mean_loss_eth[0]),
            }
        )
    return pd.DataFrame(rows, columns=PEER_COLUMNS)
