"""Daily simulation of a Diva network, for many scenarios and Monte Carlo seeds at once.

A *row* is one scenario × one Monte Carlo seed. Every row goes through the same named steps each
day (:mod:`divaecon.simulate.steps`), on one state record (:mod:`divaecon.simulate.state`); the
day loop (:mod:`divaecon.simulate.engine`) is compiled with numba and spreads the rows over the
machine's cores, or over a dask cluster (:mod:`divaecon.simulate.backends`).
:mod:`divaecon.simulate.reference` is the same model written plainly for one scenario, with exact
first-in-first-out queue waits; the tests check the engine against it.

The model (all amounts in ETH; divETH is 1:1 with the pool's ETH less what it owes)
------------------------------------------------------------------------------------
Day ``t`` (0-based) runs, in order (:mod:`divaecon.simulate.steps` has a function per step):

1. **Rewards** of the validators active at the start of the day, at Ethereum's stake that day
   ``S_t = total_staked_eth + ethereum_stake_growth_eth_per_day · t``; a Diva validator's uptime is
   its availability (P(≥ threshold of its key shares up)); **offline penalties** on top, so that
   rewards − penalties is :func:`divaecon.ethereum.gross_apr`. Monte Carlo (optional): proposer
   luck, whole-day operator outages, slashings (:mod:`divaecon.simulate.draws`).
2. **Fee split** (:func:`divaecon.protocol.fee_split`): the stakers' part rebases divETH; the
   operators' fee is minted as new divETH, its ETH staying in the pool (Diva docs
   ``21-economics.md``; ``operator_rewards: paid_out`` pays it out instead); the treasury's leaves.
3. **Penalties covered** by assigned collateral, network-wide; what it cannot cover is the divETH
   holders' loss. A slashing is covered by the colluding ``threshold`` key shares' collateral and
   the slashed validators' remaining stake comes back once withdrawable (8,192 epochs) and swept.
4. **Rebase**: every divETH earns ``g = (stakers' rewards − their loss) / supply``; the wdivETH rate
   is ``∏ (1 + g)``. **Ejection**: operators whose collateral fell below ``1 − ejection_margin`` of the
   required level are ejected and their key shares reassigned from the queue.
5. **Flows**: staker deposits (constant, or logistic growth towards ``target_staker_eth``), taken
   while the buffer is below its cap ``deposit_cap_eth`` and refused beyond it (they never enter
   the pool; Rocket Pool's ``deposit.pool.maximum``, RPIP-16; 0 for no cap), operators' collateral
   (minted divETH, queued; its ETH joins the buffer), withdrawal requests
   ``w · divETH not locked / 365.25`` (burned, owed in ETH) paid from the buffer; for the rest
   validators are asked to exit and wait in **Ethereum's exit queue** (exit churn, Electra or
   EIP-8061), then 256 epochs and the withdrawal sweep.
6. **Validator creation** (Diva's rule): ``floor(min(buffer / stake, queued / (key shares · c)))``
   validators, collateral served first in, first out; each waits in **Ethereum's entry queue**
   (the others' queue ``entry_queue_eth``, changing by ``entry_queue_change_eth_per_day``, plus the
   pool's own pending deposits, at 256 ETH an epoch) — twice with Diva's two deposits (1 + 31 ETH) —
   plus ``activation_delay_days``.
7. **Activation** of the validators reaching the front of the entry queue; **exit** of those at the
   front of the exit queue (their collateral is released).

ETH is conserved: at every step ``deposits taken + rewards = buffer + pending + active +
withdrawing + withdrawn + fees paid out + penalties`` (deposits refused stay outside) and
``divETH supply = buffer + pending + active + withdrawing − owed`` (tested).

Outputs: :class:`SimulationResult` with a tidy ``timeseries`` (``scenario``, ``seed``, ``day``, the
variables of :data:`RECORDABLE` asked for) and a ``summary`` per row
(:mod:`divaecon.simulate.metrics`). P5–P95 bands:
``res.timeseries.groupby(["scenario", "day"])[var].quantile([0.05, 0.95])``.

References
----------
Diva docs (``staking-foundation/docs``): ``docs/21-economics.md`` (buffer, 32 ETH and 16 key
shares, the collateral queue, fees, collateral covering penalties), ``docs/40-staking-rewards.md``;
``notes.md`` (ejection by a safety margin); Rocket Pool RPIP-16 and ``RocketDepositPool.sol``
(the deposit pool's maximum); docs.divastaking.net, dvt/creation (two deposits);
consensus-specs ``specs/altair/beacon-chain.md`` (rewards), ``specs/electra/beacon-chain.md``
(pending deposits and exits limited by churn, slashing), ``configs/mainnet.yaml``
(``MIN_VALIDATOR_WITHDRAWABILITY_DELAY``); EIP-8061 (exit churn, draft).
"""

from divaecon.simulate.api import SimulationResult, grid_points, simulate, sweep
from divaecon.simulate.draws import RNG_BLOCK
from divaecon.simulate.engine import DEFAULT_RECORD, RECORDABLE, warm_up
from divaecon.simulate.explain import apy_decomposition
from divaecon.simulate.inputs import reward_coefficients
from divaecon.simulate.metrics import SUMMARY_COLUMNS

__all__ = [
    "DEFAULT_RECORD",
    "RECORDABLE",
    "RNG_BLOCK",
    "SUMMARY_COLUMNS",
    "SimulationResult",
    "apy_decomposition",
    "grid_points",
    "reward_coefficients",
    "simulate",
    "sweep",
    "warm_up",
]
