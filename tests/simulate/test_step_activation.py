"""Step 7: validators due today start earning."""

from __future__ import annotations

import numpy as np

from divaecon.simulate.steps import process_activation


def test_due_validators_activate_and_the_supply_is_the_pool(row) -> None:
    row.set(buffer_eth=5.0, pending_eth=96.0, active_validators=1.0)
    rings = np.zeros((1, 8))
    rings[0, 11 % 8] = 3.0
    process_activation(row.s, row.inp, 11, rings, 0)
    assert row["active_validators"] == 4.0 and row["pending_eth"] == 0.0
    assert rings[0, 3] == 0.0  # the slot is free for the day eight days on
    assert row["diveth_supply"] == 5.0 + 4 * 32.0
