"""The history rates with two Lido points marked as if a default had been calibrated to them.

The shipped rates calibrate no default (tests/test_history_data.py), so the handling of
in-sample points (kept out of every summary, marked apart in the figure, never shown as
agreement) is tested on this marked copy. Patch ``divaecon.data.history_rates`` to return it.
"""

from __future__ import annotations

import pandas as pd

from divaecon import data

MARKED_DAYS = ("2025-06-03", "2026-05-27")
"""Lido's two published figures the execution reward used to be backed out of."""


def marked_rates() -> pd.DataFrame:
    rates = data.history_rates().copy()
    chosen = (rates["series"] == "lido") & rates["date"].isin(pd.to_datetime(list(MARKED_DAYS)))
    assert chosen.sum() == len(MARKED_DAYS)
    rates.loc[chosen, "calibration"] = "ethereum.el_reward_per_block_eth"
    return rates
