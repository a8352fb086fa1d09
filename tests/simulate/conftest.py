"""One row's records for the tests of the daily steps (one test file per step)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from divaecon.simulate.inputs import RowValues
from divaecon.simulate.state import Accumulators, DayInputs, NetworkState


class Row:
    """The records of one row, as the day loop hands them to a step (``row.s``, ``row.acc`` …)."""

    def __init__(self, **values: float) -> None:
        self.states = NetworkState.zeros(1)
        self.accs = Accumulators.zeros(1)
        self.values = RowValues.zeros(1)
        self.days = DayInputs.zeros(1)
        self.values["validator_stake_eth"] = 32.0
        self.values["one_over_validator_stake_eth"] = 1 / 32
        self.values["key_shares_per_validator"] = 16.0
        self.values["threshold_key_shares"] = 11.0
        self.values["collateral_per_validator_eth"] = 16.0
        self.values["one_over_collateral_per_validator_eth"] = 1 / 16
        self.values["epochs_per_day"] = 225.0
        self.values["exit_churn_quotient"] = 2.0**16
        self.values["exit_churn_cap_eth"] = 256.0
        # today's rules (divaecon.rules): Electra's deposit churn, 12 s constants, the current curve
        self.values["entry_churn_quotient"] = 2.0**16
        self.values["entry_churn_cap_eth"] = 256.0
        self.values["churn_min_eth"] = 128.0
        self.values["slot_base_reward_factor"] = 64.0
        self.values["reward_num"] = 1.0
        self.values["reward_den"] = 1.0
        self.values["tempering_k_eth"] = 2.0**25
        self.values["cap_stake_eth"] = 2.0**24
        self.values["execution_share_after_fork"] = 1.0
        self.values["ethereum_stake_eth"] = 36_000_000.0
        self.values["ejection_level"] = 0.75
        self.values["deposit_cap_eth"] = np.inf  # no cap on the buffer (the scenario's 0)
        self.values["stake_path"] = -1.0  # no stake-path table: the steps compute the path (see NO_TABLE)
        self.accs["queued_growth"] = 1.0
        self.accs["assigned_growth"] = 1.0
        self.states["wdiveth_rate"] = 1.0
        self.set(**values)

    def set(self, **values: float) -> Row:
        for name, value in values.items():
            for arr in (self.states, self.accs, self.values, self.days):
                if name in arr.dtype.names:
                    arr[name] = value
                    break
            else:  # pragma: no cover - a typo in a test
                raise KeyError(name)
        return self

    @property
    def s(self) -> Any:
        return self.states[0]

    @property
    def acc(self) -> Any:
        return self.accs[0]

    @property
    def inp(self) -> Any:
        return self.values[0]

    @property
    def d(self) -> Any:
        return self.days[0]

    def __getitem__(self, name: str) -> float:
        for arr in (self.states, self.accs, self.values, self.days):
            if name in arr.dtype.names:
                return float(arr[name][0])
        raise KeyError(name)


@pytest.fixture
def row() -> Row:
    return Row()


@pytest.fixture
def rings() -> Any:
    """A maker of one row's rings: activating validators, exiting validators, arriving stake (by day)."""

    def make(length: int = 64) -> np.ndarray:
        return np.zeros((3, length, 1))

    return make


__all__ = ["Row"]
