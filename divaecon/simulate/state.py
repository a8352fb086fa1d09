"""The simulation's state: what one row (one scenario × one Monte Carlo seed) holds at the end of a day.

The state of all rows is one numpy structured array, a record per row, so the compiled day loop
(:mod:`divaecon.simulate.engine`) reads ``s.buffer_eth`` where a reader expects it and keeps a
row's numbers together in memory. Each field is declared once below, with its unit in the name
(or in brackets where the name cannot carry it) and a docstring; the dtype is derived from the
declarations. Records per row:

- :class:`NetworkState`: the pool, the validators, the collateral queue and the withdrawals at
  the end of the day, and the day's flows, which each step of :mod:`divaecon.simulate.steps`
  writes for the next;
- :class:`Accumulators`: running sums the recorded series and the summary metrics are computed
  from (:mod:`divaecon.simulate.metrics`);
- :class:`DayInputs`: what the day brings from outside (reward rates after the day's draws,
  slashings);
- :class:`~divaecon.simulate.inputs.RowValues` (in :mod:`divaecon.simulate.inputs`): constants.

All amounts are ETH; divETH is 1:1 with the pool's ETH, less what the pool owes to withdrawals:
``diveth_supply = buffer + pending + active + withdrawing − withdrawals owed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np


@dataclass(frozen=True)
class FieldDoc:
    """One field of a record: its name, dtype and docstring (unit in brackets)."""

    name: str
    doc: str
    dtype: str = "f8"


class F:
    """Declare a record field in a :class:`Record` subclass: ``buffer_eth = F("... [ETH]")``."""

    _counter = 0

    def __init__(self, doc: str, dtype: str = "f8") -> None:
        self.doc = doc
        self.dtype = dtype
        F._counter += 1
        self.order = F._counter
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name


class Record:
    """A numpy record type declared field by field (see :class:`F`)."""

    fields: ClassVar[tuple[FieldDoc, ...]] = ()
    dtype: ClassVar[np.dtype[Any]] = np.dtype([])

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = sorted((v for v in vars(cls).values() if isinstance(v, F)), key=lambda f: f.order)
        cls.fields = tuple(FieldDoc(f.name, f.doc, f.dtype) for f in declared)
        cls.dtype = np.dtype([(f.name, f.dtype) for f in declared], align=True)

    @classmethod
    def zeros(cls, n: int) -> np.ndarray:
        """``n`` records, every field 0."""
        return np.zeros(n, dtype=cls.dtype)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in cls.fields)


class NetworkState(Record):
    """One row's network at the end of a day, and the flows of that day."""

    # --- the pool and the validators ---------------------------------------------------------
    buffer_eth = F("Deposited ETH in the pool, not staked: it earns nothing (cash drag) [ETH].")
    pending_eth = F("ETH in validators created and waiting in Ethereum's entry queue to activate [ETH].")
    active_validators = F("Validators active on the beacon chain, earning (exiting ones included) [validators].")
    exiting_validators = F("Active validators whose exit was requested, waiting in the exit queue [validators].")
    withdrawing_eth = F("Stake of exited validators on its way back to the pool (not earning) [ETH].")
    withdrawals_owed_eth = F("ETH owed to stakers who asked to withdraw (their divETH is burned) [ETH].")
    diveth_supply = F("divETH in existence = buffer + pending + active + withdrawing − owed [divETH].")
    wdiveth_rate = F("divETH per wdivETH: the product of (1 + daily rebase), 1 on day 0 [divETH/wdivETH].")
    # --- operators' collateral ---------------------------------------------------------------
    queued_collateral_eth = F("Operators' divETH collateral waiting in the queue for key shares [divETH].")
    assigned_collateral_eth = F("Collateral backing the key shares of created validators [divETH].")
    activation_wait_days = F("Wait to activation of the validators created on the last creation day [days].")
    # --- the day's flows (written by the steps in order, read by later steps and metrics) -----
    ethereum_stake_today_eth = F("Ethereum's total stake on the day [ETH].")
    rewards_today_eth = F("Rewards the active validators earned on the day, before penalties, net of any burn [ETH].")
    burned_today_eth = F("EIP-8363's burn charged to the active validators on the day (destroyed ETH) [ETH].")
    staker_rewards_today_eth = F("The divETH holders' part of the day's rewards (after fees) [ETH].")
    retained_rewards_today_eth = F("Rewards that stay in the pool: stakers' part, and operators' if minted [ETH].")
    penalties_today_eth = F("Penalties of the day: offline penalties and slashings [ETH].")
    slashing_penalties_today_eth = F("The slashings' part of the day's penalties [ETH].")
    covered_today_eth = F("Part of the day's penalties taken from assigned collateral [ETH].")
    staker_loss_today_eth = F("Part of the day's penalties collateral could not cover: divETH holders' loss [ETH].")
    assigned_at_start_eth = F("Assigned collateral at the start of the day (it earns that day's fees) [divETH].")
    rebase_today = F("The day's divETH rebase g: (stakers' rewards − their loss) / supply [fraction].")
    ejected_today = F("Validators whose operators were ejected today, key shares reassigned [validators].")
    deposits_today_eth = F("Staker deposits taken and operator collateral that arrived on the day [ETH].")
    refused_today_eth = F("Staker deposits refused on the day, the buffer being at its cap: never in the pool [ETH].")
    withdrawal_requests_today_eth = F("divETH stakers asked to withdraw on the day (burned, owed in ETH) [ETH].")
    arrived_today_eth = F("Exited validators' stake that reached the pool on the day [ETH].")
    withdrawn_today_eth = F("Withdrawals paid on the day [ETH].")
    exits_requested_today = F("Validators whose exit was requested on the day [validators].")
    created_today = F("Validators created on the day (32 ETH and a validator's collateral each) [validators].")
    served_today_eth = F("Collateral served from the queue on the day: creations and reassignments [divETH].")


class Accumulators(Record):
    """Running sums over the days so far, from which the series and the summary metrics are computed."""

    deposits_eth = F("Staker and collateral deposits taken into the pool, including day 0's [ETH].")
    refused_deposits_eth = F("Staker deposits refused at the buffer's cap (they stay outside the pool) [ETH].")
    withdrawal_requests_eth = F("divETH stakers asked to withdraw [ETH].")
    withdrawn_eth = F("Withdrawals paid [ETH].")
    rewards_eth = F("Rewards earned before penalties, net of any burn [ETH].")
    burned_eth = F("ETH burned by EIP-8363's issuance burn: gross rewards = rewards + burned [ETH].")
    penalties_covered_eth = F("Penalties covered by collateral [ETH].")
    staker_loss_eth = F("Penalties left to divETH holders [ETH].")
    validators_created = F("Validators created [validators].")
    exits_requested = F("Validators whose exit was requested (withdrawals, ejections) [validators].")
    ejected_validators = F("Validators whose operators were ejected [validators].")
    collateral_served_eth = F("Collateral served from the queue, first in first out [divETH].")
    served_day_sum = F("Σ over days of day index × collateral served that day [divETH·days].")
    supply_sum_eth = F("Σ over days of the end-of-day divETH supply [divETH·days].")
    idle_sum_eth = F("Σ over days of the divETH holders' ETH not earning at the end of the day [ETH·days].")
    peak_collateral_locked_eth = F("Largest queued + assigned collateral at the end of a day [divETH].")
    queued_growth = F("∏ (1 + g) over the days with queued collateral at the start [-].")
    queued_days = F("Days with queued collateral at the start of the day [days].")
    assigned_growth = F("∏ (1 + daily return of assigned collateral) over the days with some [-].")
    assigned_days = F("Days with assigned collateral at the start of the day [days].")


class DayInputs(Record):
    """What one day brings a row from outside its state: reward rates (after the day's draws) and slashings.

    Rates are per validator and day at Ethereum's day-0 stake; :func:`~divaecon.simulate.steps.process_rewards`
    scales them to the day's stake. Made in numpy for all rows by
    :func:`divaecon.simulate.steps.day_inputs` (once, or each day under Monte Carlo draws).
    """

    consensus_eth_per_validator_day = F("Consensus rewards of one validator per day, before penalties [ETH/day].")
    execution_eth_per_validator_day = F("Execution-layer rewards (fees + MEV) of one validator per day [ETH/day].")
    penalty_eth_per_validator_day = F("Offline penalties of one validator per day [ETH/day].")
    burn_basis_eth_per_validator_day = F(
        "EIP-8363's burn basis: ideal consensus reward x participation per day [ETH/day]."
    )
    slashed_validators = F("Validators slashed today (Monte Carlo) [validators].")
    slashing_penalty_each_eth = F("Penalty of each slashed validator, Electra rules, capped at its stake [ETH].")
