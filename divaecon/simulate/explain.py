"""Why the simulated staker APY differs from the quote: each effect measured by switching it off.

The quote's staker APR is a steady state at today's Ethereum stake, every deposited ETH earning.
A simulated network falls short of it for three reasons, measured here by running the scenario
again with one more of them switched off each time (the differences are what each costs; their
sum is the whole gap, by construction):

1. **Ethereum's stake grows** (consensus rewards ∝ 1/√stake, execution rewards ∝ 1/stake): run
   again with ``ethereum_stake_growth_eth_per_day = 0``;
2. **the entry queue** (a validator waits for Ethereum's pending-deposit queue, twice with two
   deposits): run again with no queue ahead, one deposit and no processing delay;
3. **the collateral bottleneck and the buffer** (deposits wait in the buffer for a validator's
   worth of operators' collateral, and for a full 32 ETH): run again with collateral arriving
   ahead of need (a large initial queue at a tiny collateral per key share, so its own ETH barely
   adds to the pool). With the buffer capped (``simulation.deposit_cap_eth``) this costs at most
   what the cap lets wait unstaked; the deposits the cap refuses are what it costs the pool's
   growth instead, and with collateral ahead of need none is refused.

What remains against the quote is the granularity of whole validators and daily steps.

Beside the sum, one comparison: the scenario as it is but **without the deposit cap** (the buffer
unbounded, every deposit taken), to show what the cap does for the stakers' APY.
"""

from __future__ import annotations

import pandas as pd

from divaecon.params import Scenario
from divaecon.simulate.api import simulate
from divaecon.units import apr_to_apy

STEPS: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("simulated", "the scenario as it is", {}),
    ("without stake growth", "Ethereum's stake held at its start", {"ethereum_stake_growth_eth_per_day": 0.0}),
    (
        "and without the entry queue",
        "no queue ahead, one deposit, no processing delay",
        {
            "entry_queue_eth": 0.0,
            "entry_queue_change_eth_per_day": 0.0,
            "two_step_deposit": False,
            "activation_delay_days": 0,
        },
    ),
    (
        "and without the collateral bottleneck",
        "collateral ahead of need (0.001 divETH per key share): none refused",
        {"collateral_per_key_share_eth": 0.001, "initial_collateral_eth": 1_000.0},
    ),
)
"""Each run: its name, what is switched off, and the overrides added to the previous run's."""

UNCAPPED: tuple[str, str, dict[str, object]] = (
    "simulated without the deposit cap",
    "not in the sum: the scenario as it is, the buffer unbounded",
    {"deposit_cap_eth": 0.0},
)
"""The comparison beside the sum: the scenario with no cap on its buffer."""


def apy_decomposition(scenario: Scenario, days: int | None = None) -> pd.DataFrame:
    """The simulated staker APY, and what stake growth, the entry queue and collateral each cost.

    Returns one row per run of :data:`STEPS`, the quote, and :data:`UNCAPPED`: ``run``,
    ``switched_off``, ``staker_apy`` [fraction/year], ``cash_drag`` [fraction],
    ``refused_deposits_eth`` (staker deposits the buffer's cap refused over the horizon) [ETH],
    ``effect`` — the APY the last effect switched off costs (the difference from the run before;
    for :data:`UNCAPPED`, from the simulated run) [fraction/year] — and ``in_sum``: the effects of
    the rows in the sum add up to the quote's APY less the simulated one.
    """
    from divaecon.quote import quote

    overrides: dict[str, object] = {}
    scenarios = []
    for name, _what, more in STEPS:
        overrides.update(more)
        scenarios.append(scenario.override(**overrides, name=f"{scenario.name} — {name}"))
    scenarios.append(scenario.override(**UNCAPPED[2], name=f"{scenario.name} — {UNCAPPED[0]}"))
    res = simulate(scenarios, days=days, record=["wdiveth_rate"], record_every_days=days or 3650)
    apy = res.summary["staker_apy"].to_numpy(dtype=float)
    drag = res.summary["cash_drag"].to_numpy(dtype=float)
    refused = res.summary["refused_deposits_eth"].to_numpy(dtype=float)
    q = quote(scenario)
    rows = [
        {
            "run": name,
            "switched_off": what,
            "staker_apy": apy[i],
            "cash_drag": drag[i],
            "refused_deposits_eth": refused[i],
            "effect": apy[i] - apy[i - 1] if i else float("nan"),
            "in_sum": True,
        }
        for i, (name, what, _more) in enumerate(STEPS)
    ]
    quoted = float(apr_to_apy(q.staker_apr))
    rows.append(
        {
            "run": "quote (steady state)",
            "switched_off": "every ETH earning, today's stake",
            "staker_apy": quoted,
            "cash_drag": 0.0,
            "refused_deposits_eth": 0.0,
            "effect": quoted - apy[len(STEPS) - 1],
            "in_sum": True,
        }
    )
    rows.append(
        {
            "run": UNCAPPED[0],
            "switched_off": UNCAPPED[1],
            "staker_apy": apy[-1],
            "cash_drag": drag[-1],
            "refused_deposits_eth": refused[-1],
            "effect": apy[-1] - apy[0],
            "in_sum": False,
        }
    )
    return pd.DataFrame(rows)
