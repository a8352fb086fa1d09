"""Step 6b: the exact wait of each divETH of collateral served, first in first out."""

from __future__ import annotations

import numpy as np
import pytest

from divaecon.simulate.metrics import wait_bin_table
from divaecon.simulate.steps import process_queue_waits


def test_waits_by_arrival_day(row) -> None:
    # 10 divETH queued on day 0 and 4 a day from day 0: positions [0, 14) arrived on day 0,
    # [14, 18) on day 1, [18, 22) on day 2. 12 divETH were served before; on day 2 half a
    # worth (8 divETH) takes positions [12, 20): 2 waited 2 days, 4 one day, 2 none.
    row.set(
        initial_collateral_eth=10.0,
        collateral_deposit_eth_per_day=4.0,
        days_per_collateral_eth=0.25,
        collateral_served_eth=12.0,
        served_today_eth=8.0,
    )
    bin_of_wait, _ = wait_bin_table(10)
    hists = np.zeros((1, 20))
    process_queue_waits(row.s, row.acc, row.inp, 2, bin_of_wait, hists, 0)
    assert hists[0, :4] == pytest.approx([2.0, 4.0, 2.0, 0.0])


def test_without_a_flow_everything_arrived_on_day_0(row) -> None:
    row.set(initial_collateral_eth=100.0, served_today_eth=32.0)
    bin_of_wait, _ = wait_bin_table(400)
    hists = np.zeros((1, 300))
    process_queue_waits(row.s, row.acc, row.inp, 200, bin_of_wait, hists, 0)
    assert hists.sum() == pytest.approx(32.0)
    assert hists[0, bin_of_wait[200]] == pytest.approx(32.0)


def test_long_waits_fall_in_bins_three_percent_wide() -> None:
    bin_of_wait, edges = wait_bin_table(3_650)
    # waits 0 … 126 have a bin each; from 127 on a bin is at most 3 % wider than its start
    assert list(edges[:128]) == list(range(128))
    wide = (np.diff(edges[127:]) - 1) / edges[127:-1]
    assert np.all(wide <= 0.03) and edges[-1] > 3_650
    assert bin_of_wait[3_000] == np.searchsorted(edges, 3_000, side="right") - 1
