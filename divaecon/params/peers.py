"""The ``peers`` section: fees, bonds and node performance of the set-ups Diva is compared with."""

from __future__ import annotations

from pydantic import model_validator

from divaecon.params._fields import (
    MAX_CLUSTER_SIZE,
    MAX_SSV_CLUSTERS,
    PEER_FEE_GROUPS,
    _format_value,
    _Params,
    fee_group_problems,
    param,
)

_DIVA_RP = (
    "Diva docs docs/13-rocketpool.md ('Rocketpool's operators are missing ~2.2% of their "
    "attestations, compared to only 0.3% for the average Ethereum operator')"
)


class PeerParams(_Params):
    """Fees, bonds and node performance of the set-ups Diva is compared with.

    Node uptime: each set-up runs on nodes of its kind (home, Rocket Pool, professional, DVT
    cluster, exchange), each with a sourced default; ``same_node_uptime_for_all`` puts every
    set-up on Diva's node uptime instead (the like-for-like comparison).
    """

    solo_node_uptime: float = param(
        0.978,
        "fraction",
        _DIVA_RP + "; assumption: a solo home staker misses as many "
        "attestations as Rocket Pool's home operators (no published figure for solo stakers)",
        "Uptime of a solo home staker's node (also a Lido CSM node).",
        ge=0,
        le=1,
    )
    professional_node_uptime: float = param(
        0.997,
        "fraction",
        _DIVA_RP + "; Diva docs docs/15-solo-staking.md: mean validator "
        "downtime 0.4 %; professional operators are benchmarked at or above the network "
        "average (Rated's RAVER methodology, Liquid Collective × Rated, 2023)",
        "Uptime of a professional curated operator's node (Lido curated).",
        ge=0,
        le=1,
    )
    rocketpool_node_uptime: float = param(
        0.978,
        "fraction",
        _DIVA_RP,
        "Uptime of a Rocket Pool node.",
        ge=0,
        le=1,
    )
    dvt_node_uptime: float = param(
        0.978,
        "fraction",
        "assumption: SSV and Obol publish no figure; home-class nodes as Rocket Pool's (" + _DIVA_RP + ")",
        "Uptime of each node of an SSV or Obol cluster.",
        ge=0,
        le=1,
    )
    exchange_node_uptime: float = param(
        0.997,
        "fraction",
        "assumption: professional infrastructure, as professional_node_uptime",
        "Uptime of an exchange's validator node.",
        ge=0,
        le=1,
    )
    same_node_uptime_for_all: bool = param(
        False,
        "-",
        "model choice: the like-for-like switch",
        "Run every set-up on Diva's node uptime (diva.operator_uptime) instead of its own.",
    )
    lido_operator_fee: float = param(
        0.05,
        "fraction of rewards",
        "docs.lido.fi contracts/staking-router ('a 5% module fee "
        "split between node operators ... and a 5% treasury fee'; curated module v1). Curated "
        "module v2 (phase 1 live 2026) adds a bond and 2.5–4 % reward shares: "
        "docs.lido.fi run-on-lido/cm-v2/node-operator-types (2026-07-24)",
        "Lido curated module: node-operator fee.",
        ge=0,
        le=1,
    )
    lido_treasury_fee: float = param(
        0.05,
        "fraction of rewards",
        "docs.lido.fi contracts/staking-router (5 % treasury fee)",
        "Lido curated module: treasury fee.",
        ge=0,
        le=1,
    )
    lido_csm_bond_eth: float = param(
        2.4,
        "ETH",
        "docs.lido.fi run-on-lido/csm/context-and-background (2026-07-24, CSM v3 "
        "mainnet configuration): Default profile, first key 2.4 ETH, subsequent 1.3 ETH; "
        "verified independent community stakers (ICS): first key 1.5 ETH",
        "Lido Community Staking Module: bond for an operator's first key (held as stETH).",
        gt=0,
        lt=32,
    )
    lido_csm_operator_fee: float = param(
        0.035,
        "fraction of rewards",
        "docs.lido.fi run-on-lido/csm/context-and-background "
        "(2026-07-24): Default profile 3.5 % to operators, 6.5 % DAO fee (ICS: 6 % / 4 % for "
        "the first 16 keys)",
        "Lido CSM: module fee to the operator, on the validator's whole effective balance.",
        ge=0,
        le=1,
    )
    lido_csm_dao_fee: float = param(
        0.065,
        "fraction of rewards",
        "docs.lido.fi run-on-lido/csm/context-and-background (2026-07-24)",
        "Lido CSM: DAO (treasury) fee.",
        ge=0,
        le=1,
    )
    rocketpool_leb8_bond_eth: float = param(
        8.0,
        "ETH",
        "Rocket Pool Atlas (2023): 8 ETH minipools; no longer creatable (RPIP-74 "
        "closed the minipool queue, 2025-12-08; Saturn 1 disabled minipool deposits)",
        "Operator bond of a legacy LEB8 minipool.",
        gt=0,
        lt=32,
    )
    rocketpool_leb8_commission: float = param(
        0.05,
        "fraction of borrowed ETH's rewards",
        "RPIP-62: contract commission 5 % for "
        "minipools made since Saturn 0 (Oct 2024); its 10–14 % dynamic boost ended four reward "
        "snapshots after Saturn 1 (live 2026-02-18). LEB8s made Apr 2023–Oct 2024 keep their "
        "14 % contract commission. RPIP-46 spec. 5.2: legacy minipools keep their earlier "
        "distribution, so their rETH holders pay this commission only (no voter share)",
        "Commission a legacy LEB8's operator earns on the borrowed ETH's rewards.",
        ge=0,
        le=1,
    )
    rocketpool_megapool_bond_eth: float = param(
        4.0,
        "ETH",
        "RPIP-42 (reduced_bond 4 ETH; base_bond_array [4, 8]); live with Saturn 1 "
        "on 2026-02-18 (Crypto Briefing, 2026-02-18)",
        "Operator bond of a Saturn 1 megapool validator.",
        gt=0,
        lt=32,
    )
    rocketpool_megapool_operator_commission: float = param(
        0.05,
        "fraction of borrowed ETH's rewards",
        "RPIP-46: node_operator_commission_share 5 %",
        "Commission the megapool operator earns on the borrowed ETH's rewards.",
        ge=0,
        le=1,
    )
    rocketpool_megapool_rpl_commission: float = param(
        0.09,
        "fraction of borrowed ETH's rewards",
        "RPIP-46: voter_share 9 % (to staked RPL)",
        "Share of the borrowed ETH's rewards paid to RPL stakers (voter share).",
        ge=0,
        le=1,
    )
    rocketpool_council_adder: float = param(
        0.0,
        "fraction of borrowed ETH's rewards",
        "RPIP-46: "
        "node_operator_commission_share_council_adder, initially 0, at most 1 %, taken from "
        "the voter share (rETH's commission stays operator share + voter share)",
        "Security council's adder: moves this much of the voter share to the operator.",
        ge=0,
        le=1,
    )
    coinbase_fee: float = param(
        0.25,
        "fraction of rewards",
        "third-party figure: Coinbase publishes no retail rate "
        "(its developer platform's dedicated staking charges 8 %)",
        "Coinbase's cut.",
        ge=0,
        le=1,
    )
    binance_fee: float = param(
        0.10,
        "fraction of rewards",
        "third-party figure: Binance publishes a variable rate, not its cut",
        "Binance's cut.",
        ge=0,
        le=1,
    )
    obol_fee: float = param(
        0.01,
        "fraction of rewards",
        "Obol Collective (github.com/ObolNetwork): 1 % of staking "
        "rewards from distributed validators to retroactive funding",
        "Share of an Obol cluster's rewards paid to Obol.",
        ge=0,
        le=1,
    )
    obol_cluster_size: int = param(
        4,
        "operators",
        "docs.obol.org: clusters of at least 4 operators, threshold ceil(2n/3)",
        "Operators in the Obol cluster.",
        ge=4,
        le=64,
    )
    ssv_cluster_sizes: tuple[int, ...] = param(
        (4, 7, 10, 13),
        "operators",
        "docs.ssv.network: clusters of 4, 7, 10 or 13 operators tolerate 1–4 faults; threshold n − (n−1)/3",
        "SSV cluster sizes compared.",
        min_length=1,
    )
    ssv_network_fee: float = param(
        0.01,
        "fraction of rewards",
        "docs.ssv.network learn/tokenomics/fees (2026-05-27): "
        "network fee per 32 ETH of effective balance set by the DAO at 1 % of Ethereum APR, "
        "paid in ETH",
        "SSV network fee as a share of a validator's rewards.",
        ge=0,
        le=1,
    )
    ssv_operator_fee_eth_per_year: float = param(
        0.0028,
        "ETH/year per operator per 32 ETH",
        "ssv.network DAO fee floor for public "
        "operators in ETH clusters (~0.0028 ETH a year per 32 ETH; DAO proposal under DIP-50); "
        "operators set their own fees above it (docs.ssv.network learn/tokenomics/fees)",
        "Fee each SSV operator charges, in ETH per 32 ETH of effective balance per year.",
        ge=0,
        le=32,
    )
    dvt_minipool_users: int = param(
        4,
        "users",
        "DVStakers docs (github.com/DVStakers/docs, faq.md): 'Four DVT users could "
        "form Rocketpool mini node by depositing 2ETH each'",
        "DVT users sharing one Rocket Pool bond (the legacy LEB8 and its megapool analogue).",
        ge=1,
        le=64,
    )

    @model_validator(mode="after")
    def _check_sizes(self) -> PeerParams:
        sizes = self.ssv_cluster_sizes
        shown = _format_value(list(sizes))
        problems = []
        if len(sizes) > MAX_SSV_CLUSTERS:
            problems.append(f"peers.ssv_cluster_sizes = {shown}: at most {MAX_SSV_CLUSTERS} sizes")
        elif any((n - 1) % 3 != 0 or not 4 <= n <= MAX_CLUSTER_SIZE for n in sizes):
            problems.append(
                f"peers.ssv_cluster_sizes = {shown}: each size must be 3f + 1 with f >= 1 and at "
                f"most {MAX_CLUSTER_SIZE} (4, 7, 10, 13, ...)"
            )
        elif len(set(sizes)) != len(sizes):
            problems.append(f"peers.ssv_cluster_sizes = {shown}: each size at most once")
        if self.rocketpool_council_adder > self.rocketpool_megapool_rpl_commission + 1e-12:
            problems.append(
                f"peers.rocketpool_council_adder = {self.rocketpool_council_adder:g}: must be at "
                f"most rocketpool_megapool_rpl_commission ({self.rocketpool_megapool_rpl_commission:g})"
            )
        problems += fee_group_problems(self, "peers", PEER_FEE_GROUPS)
        if problems:
            raise ValueError("; ".join(problems))
        return self
