"""The staking set-ups Diva is compared with, all behind one interface.

Each set-up is a :class:`Setup`: one validator of ``validator_stake_eth`` run by a t-of-n
cluster, with ``operator_bond_eth`` of it put up by the operator(s) and the rest belonging to
stakers. Its gross rate ``r`` follows from the cluster's availability (the validator's effective
uptime); then, for the stakers' ETH and the operator's own capital:

- ``staker_apr = r · (1 − staker_fee)`` — ``staker_fee`` is what operators and protocol keep of
  the stakers' rewards (Lido 10 %, Coinbase 25 %, Rocket Pool 14 % …);
- ``operator_apr = r · (1 − operator_income_fee) · (B + L · operator_commission) / B`` for a bond
  ``B`` and borrowed ``L = stake − B`` (Rocket Pool LEB8: ``r (8 + 24 · 0.14) / 8 = 1.42 r``);
  undefined (NaN) when operators put up no ETH;
- ``capital_eth``: the own ETH one operator needs to start (the bond divided among the operators
  sharing it; 0 where operators post none).

Diva's row comes from :mod:`divaecon.protocol`; see :func:`divaecon.quote.peer_table`.

References
----------
MODEL.md §3 (SSV, Obol, the seed's 4 × 2 ETH minipool) and §4 (solo, Lido, Rocket Pool,
exchanges); seed ``003_74f4f98538e147e1.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from divaecon import dvt, ethereum
from divaecon.params import PeerParams

COLUMNS = [
    "name", "staker_apr", "operator_apr", "capital_eth", "faults_tolerated", "availability",
    "n_operators", "threshold", "permissionless", "note",
]


@dataclass(frozen=True)
class Setup:
    """One way of staking: the cluster, who puts up the ETH and who takes which cut."""

    name: str
    n_operators: int
    threshold: int
    operator_bond_eth: float
    """ETH the operators put up together (32 for solo, 8 for a LEB8, 0 for Lido curated)."""
    operators_sharing_bond: int
    staker_fee: float
    """Fraction of the stakers' rewards kept by operators and protocol."""
    operator_commission: float
    """Part of ``staker_fee`` that goes to the operator(s)."""
    operator_income_fee: float
    """Fraction of the operators' own income paid on (Obol's 1 %)."""
    permissionless: bool
    note: str
    validator_stake_eth: float = ethereum.VALIDATOR_STAKE_ETH


def peer_setups(peers: PeerParams) -> list[Setup]:
    """The peers of MODEL.md §4 from their parameters."""
    obol_t = dvt.obol_threshold(peers.obol_cluster_size)
    minipool_t = dvt.obol_threshold(peers.dvt_minipool_users)
    leb8 = peers.rocketpool_leb8_bond_eth
    mega = peers.rocketpool_megapool_bond_eth
    lido_fee = peers.lido_operator_fee + peers.lido_treasury_fee
    setups = [
        Setup("Solo (32 ETH)", 1, 1, 32.0, 1, 0.0, 0.0, 0.0, True, "one machine, no fee"),
        Setup(
            "Lido (curated)", 1, 1, 0.0, 1, lido_fee, peers.lido_operator_fee, 0.0, False,
            "operators post no ETH",
        ),
        Setup(
            f"Rocket Pool LEB8 ({leb8:g} + {32 - leb8:g})", 1, 1, leb8, 1,
            peers.rocketpool_leb8_commission, peers.rocketpool_leb8_commission, 0.0, True,
            "14 % commission on borrowed ETH",
        ),
        Setup(
            f"Rocket Pool megapool ({mega:g} + {32 - mega:g})", 1, 1, mega, 1,
            peers.rocketpool_megapool_operator_commission + peers.rocketpool_megapool_rpl_commission,
            peers.rocketpool_megapool_operator_commission, 0.0, True,
            "Saturn 1: 5 % operator + 9 % RPL stakers",
        ),
        Setup(
            f"DVT minipool ({peers.dvt_minipool_users} × {leb8 / peers.dvt_minipool_users:g} ETH, "
            f"{minipool_t}/{peers.dvt_minipool_users})",
            peers.dvt_minipool_users, minipool_t, leb8, peers.dvt_minipool_users,
            peers.rocketpool_leb8_commission, peers.rocketpool_leb8_commission, peers.obol_fee,
            True, "seed 003: a LEB8 run by an Obol cluster",
        ),
    ]
    for n in peers.ssv_cluster_sizes:
        t = n - (n - 1) // 3
        setups.append(
            Setup(
                f"SSV cluster {t}/{n}", n, t, 0.0, n, peers.ssv_fee, 0.0, 0.0, True,
                "staker's 32 ETH; operators paid fees in SSV",
            )
        )
    setups += [
        Setup(
            f"Obol squad {obol_t}/{peers.obol_cluster_size} ({peers.obol_cluster_size} × "
            f"{32 / peers.obol_cluster_size:g} ETH)",
            peers.obol_cluster_size, obol_t, 32.0, peers.obol_cluster_size, 0.0, 0.0,
            peers.obol_fee, True, "operators pool 32 ETH; 1 % to Obol",
        ),
        Setup("Coinbase", 1, 1, 0.0, 1, peers.coinbase_fee, 0.0, 0.0, False, "custodial"),
        Setup("Binance", 1, 1, 0.0, 1, peers.binance_fee, 0.0, 0.0, False, "custodial"),
    ]
    return setups


def setup_table(
    setups: list[Setup],
    total_staked_eth: float,
    el_reward_per_block_eth: float,
    node_uptime: float,
    failure_correlation: float = 0.0,
    network_participation: float = 1.0,
) -> pd.DataFrame:
    """Staker APR, operator APR, capital, faults tolerated and availability of each set-up.

    Vectorised over the set-ups. Rates are fractions per year.

    References
    ----------
    Module docstring; :func:`divaecon.dvt.availability`, :func:`divaecon.ethereum.gross_apr`.
    """
    n = np.array([s.n_operators for s in setups])
    t = np.array([s.threshold for s in setups])
    bond = np.array([s.operator_bond_eth for s in setups], dtype=float)
    stake = np.array([s.validator_stake_eth for s in setups], dtype=float)
    sharing = np.array([s.operators_sharing_bond for s in setups], dtype=float)
    staker_fee = np.array([s.staker_fee for s in setups])
    commission = np.array([s.operator_commission for s in setups])
    income_fee = np.array([s.operator_income_fee for s in setups])

    avail = np.asarray(dvt.availability(n, t, node_uptime, failure_correlation), dtype=float)
    r = np.asarray(
        ethereum.gross_apr(total_staked_eth, el_reward_per_block_eth, avail, network_participation),
        dtype=float,
    )
    borrowed = stake - bond
    with np.errstate(divide="ignore", invalid="ignore"):
        operator_apr = np.where(
            bond > 0,
            r * (1.0 - income_fee) * (bond + borrowed * commission) / np.where(bond > 0, bond, 1.0),
            np.nan,
        )
    return pd.DataFrame(
        {
            "name": [s.name for s in setups],
            "staker_apr": r * (1.0 - staker_fee),
            "operator_apr": operator_apr,
            "capital_eth": bond / sharing,
            "faults_tolerated": n - t,
            "availability": avail,
            "n_operators": n,
            "threshold": t,
            "permissionless": [s.permissionless for s in setups],
            "note": [s.note for s in setups],
        },
        columns=COLUMNS,
    )
