"""Tables of notebook 03: the DVT cluster set-ups' availability."""

from __future__ import annotations

import pandas as pd

from divaecon import dvt, rules
from divaecon import formatting as fmt
from divaecon.params import Scenario


def availability_table(scenario: Scenario, correlation: float | None = None) -> pd.DataFrame:
    """Each cluster at the scenario's node uptime: faults tolerated, availability with
    independent and correlated failures, downtime and rewards lost per validator."""
    from divaecon.plotting import cluster_setups
    from divaecon.units import DAYS_PER_YEAR

    e, d = scenario.ethereum, scenario.diva
    rho = d.failure_correlation if correlation is None else correlation
    rho = rho if rho > 0 else 0.2
    setups = cluster_setups(scenario)
    ind = dvt.availability(setups["n"].to_numpy(), setups["t"].to_numpy(), d.operator_uptime, 0.0)
    cor = dvt.availability(setups["n"].to_numpy(), setups["t"].to_numpy(), d.operator_uptime, rho)
    lost, lost_c = (
        rules.rewards_lost_eth_per_year(e.total_staked_eth, a, e.network_participation, e) for a in (ind, cor)
    )
    hours = DAYS_PER_YEAR * 24
    return pd.DataFrame(
        {
            "cluster": setups["name"],
            "faults tolerated": (setups["n"] - setups["t"]).map(fmt.count),
            "availability, independent": [fmt.prob(x) for x in ind],
            f"availability, ρ = {rho:g}": [fmt.prob(x) for x in cor],
            "downtime [h/year], indep.": [f"{(1 - x) * hours:,.2f}" for x in ind],
            f"downtime [h/year], ρ = {rho:g}": [f"{(1 - x) * hours:,.2f}" for x in cor],
            "rewards lost [ETH/year], indep.": [f"{x:.5f}" for x in lost],
            f"rewards lost [ETH/year], ρ = {rho:g}": [f"{x:.5f}" for x in lost_c],
        }
    )
