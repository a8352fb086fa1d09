"""Tables of notebook 01: the dated stakes of ``data/``, the reward split and the effect of uptime."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from divaecon import dvt, ethereum, rules
from divaecon import formatting as fmt
from divaecon.params import Scenario

# --- tables of the report notebooks -----------------------------------------------------------


def staking_data_table(scenario: Scenario) -> pd.DataFrame:
    """The dated stakes of ``data/`` with the ideal consensus APR and the gross APR they imply."""
    from divaecon.data import staking_data_points

    d = staking_data_points()
    e = scenario.ethereum
    cl = ethereum.ideal_consensus_apr(d["total_staked_eth"].to_numpy(dtype=float))
    gross = ethereum.gross_apr(d["total_staked_eth"].to_numpy(dtype=float), e.el_reward_per_block_eth)
    return pd.DataFrame(
        {
            "date": d["date"].dt.strftime("%Y-%m-%d"),
            "ETH staked": d["total_staked_eth"].map(fmt.eth),
            "validators": d["validators"].map(fmt.count),
            "ideal consensus APR": [fmt.pct(x) for x in cl],
            "+ execution (scenario's ETH/block)": [fmt.pct(x) for x in gross],
            "source": d["source"],
        }
    )


def reward_split_table(scenario: Scenario) -> pd.DataFrame:
    """An ideal 32 ETH validator's yearly reward by duty at the scenario's total stake."""
    e = scenario.ethereum
    split = ethereum.ideal_reward_split_eth_per_year(e.total_staked_eth)
    stake = ethereum.VALIDATOR_STAKE_ETH
    el = float(ethereum.execution_apr(e.el_reward_per_block_eth, e.total_staked_eth)) * stake
    parts = {
        "attestation (54/64)": split["attestation"],
        "sync committee (2/64)": split["sync"],
        "proposer (8/64)": split["proposer"],
        "execution (fees + MEV)": el,
    }
    total = sum(float(v) for v in parts.values())
    rows = [(k, float(v)) for k, v in parts.items()] + [("total", total)]
    return pd.DataFrame(
        {
            "reward": [k for k, _v in rows],
            "ETH per year per 32 ETH": [f"{v:.4f}" for _k, v in rows],
            "APR": [fmt.pct(v / stake, 3) for _k, v in rows],
            "share": [fmt.pct(v / total, 1) for _k, v in rows],
        }
    )


def uptime_table(scenario: Scenario, uptimes: Sequence[float] = (0.90, 0.95, 0.98, 0.99, 1.0)) -> pd.DataFrame:
    """Gross APR of one node and of a Diva validator of such nodes at a few uptimes."""
    e, d = scenario.ethereum, scenario.diva
    u = np.unique(np.append(np.asarray(uptimes, dtype=float), d.operator_uptime))
    avail = dvt.availability(d.key_shares_per_validator, d.threshold, u, d.failure_correlation)
    # under the scenario's Ethereum rules (divaecon.rules; today's: ethereum.gross_apr exactly)
    solo = rules.gross_apr(e.total_staked_eth, u, e.network_participation, e)
    diva = rules.gross_apr(e.total_staked_eth, avail, e.network_participation, e)
    return pd.DataFrame(
        {
            "node uptime": [fmt.pct(x, 1) + (" (scenario)" if x == d.operator_uptime else "") for x in u],
            "one node: gross APR": [fmt.pct(x, 3) for x in solo],
            f"Diva {d.threshold}/{d.key_shares_per_validator}: availability": [fmt.prob(x) for x in avail],
            f"Diva {d.threshold}/{d.key_shares_per_validator}: gross APR": [fmt.pct(x, 3) for x in diva],
        }
    )
