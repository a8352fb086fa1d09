"""Daily simulation of a Diva network, for many scenarios and Monte Carlo seeds at once.

A *row* is one scenario × one Monte Carlo seed. Every row goes through the same named steps each
day (:mod:`divaecon.simulate.steps`), on one state record (:mod:`divaecon.simulate.state`); the
day loop (:mod:`divaecon.simulate.engine`) is compiled with numba and spreads the rows over the
machine's cores, or over a dask cluster (:mod:`divaecon.simulate.backends`).
:mod:`divaecon.simulate.reference` is the same model written plainly for one scenario, with exact
first-in-first-out queue waits; the tests check the engine against it.

The model (all amounts in ETH; divETH is 1:1 with the pool's ETH)
------------------------------------------------------------------
Day ``t`` (0-based) runs, in order:

1. **Rewards** of the validators active at the start of the day, at Ethereum's stake that day
   ``S_t = total_staked_eth + ethereum_stake_growth_eth_per_day · t``; a Diva validator's uptime is
   its availability (P(≥ threshold of its key shares up)); **offline penalties** on top, so that
   rewards − penalties is :func:`divaecon.ethereum.gross_apr`. Monte Carlo (optional): proposer
   luck, whole-day operator outages, slashings (:mod:`divaecon.simulate.draws`).
2. **Fee split** (:func:`divaecon.protocol.fee_split`): operators' and treasury's fees are paid out
   of the pool; the stakers' part stays and rebases divETH.
3. **Penalties covered** by assigned collateral, network-wide; what it cannot cover is the divETH
   holders' loss. A slashing is covered by the colluding ``threshold`` key shares' collateral.
4. **Rebase**: every divETH earns ``g = (stakers' rewards − their loss) / supply``; the wdivETH rate
   is ``∏ (1 + g)``. Locked collateral is a nominal amount; its rebase accrues to the operator.
5. **Flows**: staker deposits (constant, or logistic growth towards ``target_staker_eth``),
   operators' collateral (minted divETH, queued; its ETH joins the buffer), withdrawals
   ``w · stakers' divETH / 365.25`` paid from the buffer (validators exit if it is short).
6. **Validator creation** (Diva's rule): ``floor(min(buffer / stake, queued / (key shares · c)))``
   validators, collateral served first in, first out.
7. **Activation** ``activation_delay_days`` after creation.

ETH is conserved: at every step ``deposits + rewards = buffer + pending + active + withdrawn +
operator and treasury fees + penalties`` (tested).

Outputs: :class:`SimulationResult` with a tidy ``timeseries`` (``scenario``, ``seed``, ``day``, the
variables of :data:`RECORDABLE` asked for) and a ``summary`` per row
(:mod:`divaecon.simulate.metrics`). P5–P95 bands:
``res.timeseries.groupby(["scenario", "day"])[var].quantile([0.05, 0.95])``.

References
----------
Diva docs (``staking-foundation/docs``): ``docs/21-economics.md`` (buffer, 32 ETH and 16 key
shares, the collateral queue, fees, collateral covering penalties), ``docs/40-staking-rewards.md``;
consensus-specs ``specs/altair/beacon-chain.md`` (rewards), ``specs/electra/beacon-chain.md``
(slashing).
"""

from divaecon.simulate.api import SimulationResult, grid_points, simulate, sweep
from divaecon.simulate.draws import RNG_BLOCK
from divaecon.simulate.engine import DEFAULT_RECORD, RECORDABLE, warm_up
from divaecon.simulate.inputs import reward_coefficients
from divaecon.simulate.metrics import SUMMARY_COLUMNS

__all__ = [
    "DEFAULT_RECORD",
    "RECORDABLE",
    "RNG_BLOCK",
    "SUMMARY_COLUMNS",
    "SimulationResult",
    "grid_points",
    "reward_coefficients",
    "simulate",
    "sweep",
    "warm_up",
]
