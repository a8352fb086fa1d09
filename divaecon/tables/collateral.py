"""Tables of notebook 02: collateral against the operator's yield, and the break-even."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from divaecon import figures, protocol
from divaecon import formatting as fmt
from divaecon.params import Scenario
from divaecon.quote import operator_apr_assigned_at, quote


def collateral_table(scenario: Scenario, collaterals: Sequence[float] = (0.1, 0.25, 0.5, 1.0, 2.0)) -> pd.DataFrame:
    """Operator APR (queued, assigned) and collateral ratio at a few collateral levels."""
    q = quote(scenario)
    d = scenario.diva
    c = np.unique(np.append(np.asarray(collaterals, dtype=float), d.collateral_per_key_share_eth))
    assigned = operator_apr_assigned_at(q, c)
    ratio = protocol.collateral_ratio(c, d.key_shares_per_validator, d.validator_stake_eth)
    locked = protocol.collateral_locked_eth(d.network_validators, c, d.key_shares_per_validator)
    return pd.DataFrame(
        {
            "collateral per key share": [
                f"{x:g} divETH" + (" (scenario)" if x == d.collateral_per_key_share_eth else "") for x in c
            ],
            "of the validator's stake": [fmt.pct(x, 1) for x in ratio],
            "operator APR, queued": [figures.text("operator_apr_queued", q.operator_apr_queued)] * len(c),
            "operator APR, assigned": [fmt.pct(x) for x in assigned],
            f"locked by {d.network_validators:,} validators": [fmt.eth(x, unit="divETH") for x in locked],
        }
    )


def break_even_table(
    scenario: Scenario,
    prices_usd: Sequence[float] = (1_000.0, 2_500.0, 5_000.0),
    running_usd_per_month: Sequence[float] = (20.0, 50.0, 100.0, 200.0),
) -> pd.DataFrame:
    """Break-even key shares per node: rows running cost, columns ETH price."""
    q = quote(scenario)
    c = scenario.costs
    net = q.operator_net_reward_per_key_share_eth_per_year
    prices = sorted(set(prices_usd) | {c.eth_price_usd})
    out = {}
    for p in prices:
        out[f"at {fmt.usd(p)}/ETH"] = [
            fmt.count(
                protocol.break_even_key_shares(
                    net, p, protocol.operator_cost_usd_per_year(c.hardware_cost_usd, c.hardware_lifetime_years, r)
                )
            )
            for r in running_usd_per_month
        ]
    index = [f"{fmt.usd(r)}/month + {fmt.usd(c.hardware_cost_usd)} hardware" for r in running_usd_per_month]
    return pd.DataFrame(out, index=pd.Index(index, name="node costs")).reset_index()
