"""The ``costs`` section: an operator's costs and the ETH price they are paid in."""

from __future__ import annotations

from divaecon.params._fields import _Params, param
from divaecon.params._spread import spread


class OperatorCostParams(_Params):
    """An operator's costs and the ETH price they are paid in."""

    eth_price_usd: float = param(
        2_100.0,
        "USD/ETH",
        "Lido's TVL over its stake in late May 2026: $19.4B / 9.2M ETH = "
        "$2,109 (Web3Wagmi's Lido guide, verified 2026-05-27); a round figure, override",
        "ETH price used to compare rewards with USD costs.",
        uncertainty=spread(
            "loguniform",
            "assumption",
            "assumption: ×/÷ 2 around the value (a market price a year ahead; no price record is shipped)",
            factor=2.0,
        ),
        gt=0,
    )
    hardware_cost_usd: float = param(
        1_000.0,
        "USD",
        "assumption: a machine of EIP-7870's attester class (4 TB NVMe, 64 GB "
        "RAM, 8 cores; EIP-7870, 2025-01-26), about four to five months of a validator's "
        "rewards (ethereum-magicians EIP-7870 thread, 2025-01-29)",
        "Cost of one node's hardware.",
        uncertainty=spread("loguniform", "assumption", "assumption: ×/÷ 2 around the value (no record)", factor=2.0),
        ge=0,
    )
    hardware_lifetime_years: float = param(
        3.0,
        "years",
        "model assumption (straight-line depreciation)",
        "Years over which hardware is written off.",
        uncertainty=spread("loguniform", "assumption", "assumption: ×/÷ 2 around the value (no record)", factor=2.0),
        gt=0,
    )
    running_cost_usd_per_month: float = param(
        50.0,
        "USD/month",
        "model assumption (power and internet for a home node)",
        "Running cost of one node.",
        uncertainty=spread("loguniform", "assumption", "assumption: ×/÷ 2 around the value (no record)", factor=2.0),
        ge=0,
    )
