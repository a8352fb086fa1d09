"""The staking set-ups Diva is compared with, all behind one interface.

Each set-up is a :class:`Setup`: one validator of ``validator_stake_eth`` run by a t-of-n
cluster of nodes of one kind (a home node, a Rocket Pool node, a professional operator's, a
DVT cluster's, an exchange's), with ``operator_bond_eth`` of it put up by the operator(s) and
the rest belonging to stakers. Its gross rate ``r`` follows from the cluster's availability at
its nodes' uptime (the validator's effective uptime, :func:`divaecon.dvt.availability` and
:func:`divaecon.ethereum.gross_apr`); a set-up whose rewards are pooled with another's
(Lido's Community Staking Module with the Lido pool) earns that pool's rate. Then:

- ``staker_apr = r · (1 − staker_fee) − fixed_fee_eth_per_year / stake``: ``staker_fee`` is
  the share of the stakers' rewards kept by operators and protocol (Lido 10 %, Rocket Pool
  megapool 5 % + 9 %, Coinbase 25 % …), the fixed fee what is charged in ETH whatever the
  rewards (SSV's operator fees);
- ``operator_apr = (1 − operator_income_fee) · (B · y + c · r · base) / B`` for a bond ``B``:
  the bond earns ``y = r`` when it is part of the validator (Rocket Pool, solo) or the
  staker APR when it is held as the pool's token (Lido CSM's stETH bond); the commission
  ``c`` is paid on the borrowed ETH ``base = stake − B`` (Rocket Pool: ``r (4 + 28 · 0.05) / 4
  = 1.35 r`` for a megapool) or on the whole stake (CSM's module fee:
  ``(2.4 · 0.9 r + 0.035 · 32 r) / 2.4``). Undefined (NaN) when operators put up no ETH;
- ``capital_eth``: the own ETH one operator needs to start (the bond divided among the
  operators sharing it; 0 where operators post none).

Node uptime: each set-up runs on nodes of its kind (:class:`divaecon.params.PeerParams`), or
all of them on one uptime when :func:`setup_table` is given one (the like-for-like
comparison). A set-up's published staker APR, where one exists, is compared with the model's
by :func:`published_note`, which says why the two differ.

Diva's row comes from :mod:`divaecon.protocol`; see :func:`divaecon.quote.peer_table`.

References
----------
Lido: docs.lido.fi ``contracts/staking-router`` (curated 5 % + 5 %),
``run-on-lido/csm/context-and-background`` and ``staking-modules/csm/rewards`` (CSM bond, fees,
``totalRewards = nodeOperatorRewards + bond · shareRateChange``). Rocket Pool: RPIP-42 (4 ETH
bond), RPIP-46 (5 % operator + 9 % voter share, the council adder; spec. 5.2: legacy minipools
keep their earlier distribution, so a LEB8's rETH side pays its contract commission only), RPIP-62
(legacy minipool commission), RPIP-74 (minipool queue closed). SSV: docs.ssv.network ``learn/tokenomics/fees``
(ETH fees per 32 ETH, network fee 1 % of Ethereum APR). Obol: 1 % of rewards
(github.com/ObolNetwork). The 4 × 2 ETH minipool: DVStakers docs (github.com/DVStakers/docs,
``faq.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from divaecon import dvt, ethereum, rules
from divaecon import formatting as fmt
from divaecon.params import EthereumParams, PeerParams

COLUMNS = [
    "name",
    "staker_apr",
    "operator_apr",
    "capital_eth",
    "faults_tolerated",
    "availability",
    "n_operators",
    "threshold",
    "node_uptime",
    "permissionless",
    "note",
    "vs_published",
]

LIDO_NAME = "Lido (curated)"
"""Name of Lido's curated set-up, the pool Lido CSM's rewards are pooled with."""

PUBLISHED_TOLERANCE = 0.001
"""A modelled staker APR within 0.1 percentage point of the published one agrees with it."""


@dataclass(frozen=True)
class Setup:
    """One way of staking: the cluster, who puts up the ETH and who takes which cut."""

    name: str
    n_operators: int
    threshold: int
    operator_bond_eth: float
    """ETH the operators put up together (32 for solo, 4 for a megapool, 0 for Lido curated)."""
    operators_sharing_bond: int
    staker_fee: float
    """Fraction of the stakers' rewards kept by operators and protocol."""
    operator_commission: float
    """Part of ``staker_fee`` that goes to the operator(s)."""
    operator_income_fee: float
    """Fraction of the operators' own income paid on (Obol's 1 %)."""
    permissionless: bool
    note: str
    node_uptime: float
    """Uptime of each of the set-up's nodes (its kind's default) [fraction]."""
    node_kind: str
    """What kind of node the uptime is of (``home``, ``Rocket Pool``, ``professional`` …)."""
    validator_stake_eth: float = ethereum.VALIDATOR_STAKE_ETH
    fixed_fee_eth_per_year: float = 0.0
    """Fees the stakers pay in ETH per validator per year, whatever the rewards (SSV)."""
    bond_in_pool_token: bool = False
    """The bond is held as the pool's token and earns the staker APR (Lido CSM's stETH)."""
    commission_on_whole_stake: bool = False
    """The operator's commission is on the whole stake, not only the borrowed ETH (CSM)."""
    pooled_with: str | None = None
    """Name of the set-up whose pool this one's rewards are shared with (CSM: Lido's)."""


def peer_setups(peers: PeerParams) -> list[Setup]:
    """The set-ups of 2026 from their parameters (defaults and sources in ``ASSUMPTIONS.md``).

    Solo; Lido curated and Lido CSM; Rocket Pool's Saturn 1 megapool, the legacy LEB8 and the
    DVStakers docs' 4 × 2 ETH DVT minipool (both no longer creatable) and that minipool's megapool
    analogue (four users sharing a megapool validator's bond); SSV clusters; an Obol squad;
    exchanges.
    """
    obol_t = dvt.obol_threshold(peers.obol_cluster_size)
    users = peers.dvt_minipool_users
    users_t = dvt.obol_threshold(users)
    leb8 = peers.rocketpool_leb8_bond_eth
    mega = peers.rocketpool_megapool_bond_eth
    mega_fee = peers.rocketpool_megapool_operator_commission + peers.rocketpool_megapool_rpl_commission
    mega_operator = peers.rocketpool_megapool_operator_commission + peers.rocketpool_council_adder
    lido_fee = peers.lido_operator_fee + peers.lido_treasury_fee
    csm_fee = peers.lido_csm_operator_fee + peers.lido_csm_dao_fee
    rp_up, dvt_up = peers.rocketpool_node_uptime, peers.dvt_node_uptime
    setups = [
        Setup(
            "Solo (32 ETH)",
            1,
            1,
            32.0,
            1,
            0.0,
            0.0,
            0.0,
            True,
            "one home machine, no fee",
            peers.solo_node_uptime,
            "home",
        ),
        Setup(
            LIDO_NAME,
            1,
            1,
            0.0,
            1,
            lido_fee,
            peers.lido_operator_fee,
            0.0,
            False,
            "curated module v1: operators post no ETH",
            peers.professional_node_uptime,
            "professional",
        ),
        Setup(
            f"Lido CSM ({peers.lido_csm_bond_eth:g} ETH bond)",
            1,
            1,
            peers.lido_csm_bond_eth,
            1,
            csm_fee,
            peers.lido_csm_operator_fee,
            0.0,
            True,
            f"stETH bond; {fmt.pct(peers.lido_csm_operator_fee, 1)} of the whole stake's rewards; "
            "rewards pooled with Lido's",
            peers.solo_node_uptime,
            "home",
            bond_in_pool_token=True,
            commission_on_whole_stake=True,
            pooled_with=LIDO_NAME,
        ),
        Setup(
            f"Rocket Pool megapool ({mega:g} + {32 - mega:g})",
            1,
            1,
            mega,
            1,
            mega_fee,
            mega_operator,
            0.0,
            True,
            f"Saturn 1: {fmt.pct(mega_operator, 1)} operator + {fmt.pct(mega_fee - mega_operator, 1)} RPL stakers",
            rp_up,
            "Rocket Pool",
        ),
        Setup(
            f"Rocket Pool LEB8 ({leb8:g} + {32 - leb8:g}), legacy",
            1,
            1,
            leb8,
            1,
            peers.rocketpool_leb8_commission,
            peers.rocketpool_leb8_commission,
            0.0,
            True,
            f"no longer creatable (RPIP-74); {fmt.pct(peers.rocketpool_leb8_commission, 1)} commission after Saturn 1",
            rp_up,
            "Rocket Pool",
        ),
        Setup(
            f"DVT minipool ({users} × {leb8 / users:g} ETH, {users_t}/{users}), legacy",
            users,
            users_t,
            leb8,
            users,
            peers.rocketpool_leb8_commission,
            peers.rocketpool_leb8_commission,
            peers.obol_fee,
            True,
            "no longer creatable (RPIP-74): a LEB8 run by an Obol cluster",
            dvt_up,
            "DVT cluster",
        ),
        Setup(
            f"DVT megapool ({users} × {mega / users:g} ETH, {users_t}/{users})",
            users,
            users_t,
            mega,
            users,
            mega_fee,
            mega_operator,
            peers.obol_fee,
            True,
            "four users sharing a megapool validator's bond, on an Obol cluster",
            dvt_up,
            "DVT cluster",
        ),
    ]
    for n in peers.ssv_cluster_sizes:
        t = n - (n - 1) // 3
        setups.append(
            Setup(
                f"SSV cluster {t}/{n}",
                n,
                t,
                0.0,
                n,
                peers.ssv_network_fee,
                0.0,
                0.0,
                True,
                f"staker's 32 ETH; fees in ETH: {n} × {peers.ssv_operator_fee_eth_per_year:g} ETH/year "
                f"+ {fmt.pct(peers.ssv_network_fee, 0)} network fee",
                dvt_up,
                "DVT cluster",
                fixed_fee_eth_per_year=n * peers.ssv_operator_fee_eth_per_year,
            )
        )
    setups += [
        Setup(
            f"Obol squad {obol_t}/{peers.obol_cluster_size} ({peers.obol_cluster_size} × "
            f"{32 / peers.obol_cluster_size:g} ETH)",
            peers.obol_cluster_size,
            obol_t,
            32.0,
            peers.obol_cluster_size,
            # the squad's operators are its stakers: what they stake earns after Obol's cut
            peers.obol_fee,
            0.0,
            peers.obol_fee,
            True,
            f"operators pool 32 ETH and are its stakers; {fmt.pct(peers.obol_fee, 0)} to Obol",
            dvt_up,
            "DVT cluster",
        ),
        Setup(
            "Coinbase",
            1,
            1,
            0.0,
            1,
            peers.coinbase_fee,
            0.0,
            0.0,
            False,
            f"custodial; {fmt.pct(peers.coinbase_fee, 0)} is a third-party figure",
            peers.exchange_node_uptime,
            "exchange",
        ),
        Setup(
            "Binance",
            1,
            1,
            0.0,
            1,
            peers.binance_fee,
            0.0,
            0.0,
            False,
            f"custodial; {fmt.pct(peers.binance_fee, 0)} is a third-party figure",
            peers.exchange_node_uptime,
            "exchange",
        ),
    ]
    return setups


def setup_table(
    setups: list[Setup],
    total_staked_eth: float,
    el_reward_per_block_eth: float,
    node_uptime: float | None = None,
    failure_correlation: float = 0.0,
    network_participation: float = 1.0,
    rules_eth: EthereumParams | None = None,
) -> pd.DataFrame:
    """Staker APR, operator APR, capital, faults tolerated and availability of each set-up.

    ``node_uptime`` None runs each set-up on its own nodes' uptime (:attr:`Setup.node_uptime`);
    a number runs all of them on that uptime (like for like). Vectorised over the set-ups;
    rates are fractions per year. The ``vs_published`` column is left empty here (see
    :func:`published_note`). ``rules_eth`` runs every set-up under that ``ethereum`` section's
    rules (curve, burns, slot time: :func:`divaecon.rules.gross_apr`; its stake, execution
    reward and participation are the arguments'); None: today's rules.

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
    fixed = np.array([s.fixed_fee_eth_per_year for s in setups], dtype=float)
    in_token = np.array([s.bond_in_pool_token for s in setups])
    whole = np.array([s.commission_on_whole_stake for s in setups])
    uptime = np.array([s.node_uptime if node_uptime is None else node_uptime for s in setups], dtype=float)

    avail = np.asarray(dvt.availability(n, t, uptime, failure_correlation), dtype=float)
    if rules_eth is None:
        r = np.asarray(
            ethereum.gross_apr(total_staked_eth, el_reward_per_block_eth, avail, network_participation),
            dtype=float,
        )
    else:
        eth = rules_eth.model_copy(update={"el_reward_per_block_eth": float(el_reward_per_block_eth)})
        r = np.asarray(rules.gross_apr(total_staked_eth, avail, network_participation, eth), dtype=float)
    index = {s.name: i for i, s in enumerate(setups)}
    pool = np.array([index.get(s.pooled_with, i) if s.pooled_with else i for i, s in enumerate(setups)])
    r = r[pool]  # pooled set-ups earn their pool's rate
    staker = r * (1.0 - staker_fee) - fixed / stake
    base = np.where(whole, stake, stake - bond)
    bond_yield = np.where(in_token, staker, r)
    with np.errstate(divide="ignore", invalid="ignore"):
        operator_apr = np.where(
            bond > 0,
            (1.0 - income_fee) * (bond * bond_yield + commission * r * base) / np.where(bond > 0, bond, 1.0),
            np.nan,
        )
    return pd.DataFrame(
        {
            "name": [s.name for s in setups],
            "staker_apr": staker,
            "operator_apr": operator_apr,
            "capital_eth": bond / sharing,
            "faults_tolerated": n - t,
            "availability": avail,
            "n_operators": n,
            "threshold": t,
            "node_uptime": uptime,
            "permissionless": [s.permissionless for s in setups],
            "note": [s.note for s in setups],
            "vs_published": "",
        },
        columns=COLUMNS,
    )


@dataclass(frozen=True)
class Published:
    """A staker APR a protocol published, and the world it was earned in."""

    setup: str
    """Name (prefix) of the set-up it belongs to, e.g. ``Lido (curated)``."""
    date: str
    staker_apr: float
    """The published staker APR [fraction/year]."""
    total_staked_eth: float
    """ETH staked on Ethereum then [ETH]."""
    el_reward_per_block_eth: float
    """Execution reward per block then, from figures independent of this one [ETH]."""
    source: str
    calibration: str = ""
    """The default this figure was used to calibrate (e.g. ``ethereum.el_reward_per_block_eth``),
    or empty. A figure a default was fitted to agrees by construction: it is *in-sample*, and
    :func:`published_note` never presents it as agreement."""


def published_note(
    published: Sequence[Published],
    setup: Setup,
    staker_apr: float,
    total_staked_eth: float,
    el_reward_per_block_eth: float,
    node_uptime: float,
    network_participation: float = 1.0,
) -> str:
    """How the modelled staker APR of ``setup`` compares with what its protocol published.

    Of ``published`` (the protocol's figures), the one of the closest total stake is compared.
    A figure some default was calibrated from (:attr:`Published.calibration`) is *in-sample*:
    the note says so and draws no verdict, whatever the gap. Otherwise, within
    :data:`PUBLISHED_TOLERANCE` (0.1 percentage point) the note says they agree, out of sample;
    beyond it, it names what differs from the world the figure was earned in: the ETH staked,
    the execution reward per block, the node uptime (the like-for-like switch, or an uptime
    set by hand) or the network's participation. Empty when nothing was published.
    """
    mine = [p for p in published if setup.name.startswith(p.setup)]
    if not mine:
        return ""
    p = min(mine, key=lambda x: abs(x.total_staked_eth - total_staked_eth))
    head = f"published {fmt.pct(p.staker_apr, 3)} ({p.source}, {p.date})"
    gap = staker_apr - p.staker_apr
    if p.calibration:
        return f"{head}: in-sample ({p.calibration} was calibrated from it), so not a check; {gap * 100:+.2f} pp here"
    if abs(gap) <= PUBLISHED_TOLERANCE:
        return f"{head}: agrees within 0.1 pp (out of sample: no default was fitted to it)"
    reasons = []
    if abs(total_staked_eth / p.total_staked_eth - 1.0) > 0.01:
        reasons.append(f"{fmt.eth(total_staked_eth)} staked here, {fmt.eth(p.total_staked_eth)} then")
    if abs(el_reward_per_block_eth - p.el_reward_per_block_eth) > 0.1 * max(p.el_reward_per_block_eth, 1e-9):
        reasons.append(f"{el_reward_per_block_eth:g} ETH per block here, ≈{p.el_reward_per_block_eth:g} then")
    if abs(node_uptime - setup.node_uptime) > 1e-9:
        reasons.append(
            f"nodes at {fmt.pct(node_uptime, 1)} uptime here (its {setup.node_kind} "
            f"nodes: {fmt.pct(setup.node_uptime, 1)})"
        )
    if network_participation < 1.0:
        reasons.append(f"network participation {fmt.pct(network_participation, 1)}")
    why = "; ".join(reasons) if reasons else "not explained by this model's inputs"
    return f"{head}: {gap * 100:+.2f} pp here because {why}"
