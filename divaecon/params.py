"""Frozen, validated parameter objects and scenario files.

Every default of the model lives here once, with its unit and source (STYLE.md §2, §4).
Scenario files are YAML with one mapping per section (``ethereum``, ``diva``, ``costs``,
``peers``, ``simulation``), read by :func:`load_scenario`: regular UTF-8 files of at most 1 MB,
parsed by :mod:`divaecon.safeyaml` (YAML 1.2 core schema, each key once, bounded aliases and
nesting, line and column in its errors). Loading validates every field and reports *all*
invalid ones — name, value and what is allowed — in one :class:`~divaecon.errors.ParameterError`.
Unknown keys are errors; numbers must be finite and within :data:`SANE_LIMITS`. (Relations
between fields — threshold at most the key shares, fees at most 100 % — are checked once every
field is valid on its own.) Variants are made with
:meth:`Scenario.override`, never by mutation.

``python -m divaecon.params`` prints the table of assumptions that ``ASSUMPTIONS.md`` holds.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from divaecon.errors import ParameterError


def param(default: Any, unit: str, source: str, description: str, **constraints: Any) -> Any:
    """A documented parameter: default, unit, source, description and allowed range."""
    return Field(
        default,
        description=description,
        json_schema_extra={"unit": unit, "source": source},
        **constraints,
    )


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, validate_default=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _check_limits(self) -> Any:
        problems = limit_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


class EthereumParams(_Params):
    """The Ethereum network the protocols stake on."""

    total_staked_eth: float = param(
        39_200_000.0,
        "ETH",
        "ValidatorQueue.com data via Gate news, 2026-05-27 (39.2M ETH, "
        "32.19 % of supply; a secondary source, within 1 % of Token Terminal's 'nearly 39 "
        "million', 2026-06-02); the last primary-cited figure is 36.7M ETH, 974,959 validators "
        "(Cointelegraph citing ValidatorQueue.com, 2026-02-03); see data/staking_data_points.csv",
        "Total ETH staked on the beacon chain (active balance).",
        gt=0,
        le=1e9,
    )
    el_reward_per_block_eth: float = param(
        0.020,
        "ETH/block",
        "calibrated to Lido's late-May-2026 stETH APR of ~2.5 % (2.4–2.6 %, Web3Wagmi's Lido "
        "guide, verified 2026-05-27; secondary): gross 2.5 % / 0.9 = 2.778 %, minus the "
        "spec-exact consensus APR at 39.2M ETH and 99.7 % uptime (2.641 %) = 0.137 %/year, "
        "× 39.2M ETH / (2,629,800 slots × 0.997) = 0.0204 ETH/block; arithmetic in "
        "ASSUMPTIONS.md",
        "Execution-layer reward (priority fees + MEV) per proposed block.",
        ge=0,
    )
    network_participation: float = param(
        1.0,
        "fraction",
        "ideal network; lower it to model network-wide outages. Rules: "
        "consensus-specs altair get_flag_index_deltas, process_attestation, "
        "process_sync_aggregate; below 2/3 no finality (phase0 "
        "weigh_justification_and_finalization)",
        "Share of the network's stake online; the rest misses its attestations, block "
        "proposals and sync duties (2/3 to 1).",
        gt=0,
        le=1,
    )
    seconds_per_slot: float = param(
        12.0,
        "s",
        "consensus-specs configs/mainnet.yaml SECONDS_PER_SLOT; EIP-8198 (draft) proposes 8 s, "
        "keeping issuance per unit of time, so rewards per year stay and only the queues move",
        "Slot time: sets epochs per day, hence how much ETH the churn lets in or out per day.",
        ge=1,
        le=60,
    )
    entry_queue_eth: float = param(
        4_080_985.0,
        "ETH",
        "validatorqueue.com via Cointelegraph, 2026-02-03 (≈ 71 days at 256 ETH/epoch): "
        "the latest figure with a named primary source; late-May-2026 secondary reports give ≈ 3.3–3.6M ETH, "
        "so the default errs long by up to ~13 days",
        "ETH waiting in Ethereum's entry (pending deposit) queue ahead of a new deposit.",
        ge=0,
    )
    exit_queue_eth: float = param(
        32_581.0,
        "ETH",
        "validatorqueue.com via Cointelegraph, 2026-02-03 (it peaked at 2.5–2.65M ETH, "
        "> 46 days, in September 2025: Figment, 2025-09-12)",
        "ETH waiting in Ethereum's exit queue ahead of a new exit.",
        ge=0,
    )
    exit_churn_rule: Literal["electra", "eip8061"] = param(
        "electra",
        "-",
        "consensus-specs specs/electra/beacon-chain.md get_activation_exit_churn_limit "
        "(≤ 256 ETH/epoch); EIP-8061 (Glamsterdam draft): max(128, total / 32,768) ETH/epoch, uncapped",
        "Which rule limits the ETH that may exit per epoch.",
    )
    withdrawal_sweep_days: float = param(
        4.2,
        "days",
        "consensus-specs capella MAX_WITHDRAWALS_PER_PAYLOAD = 16: 974,959 validators "
        "(2026-02-03) / 16 per slot × 12 s ≈ 8.5 days a full sweep; a withdrawal waits half of it on average",
        "Average wait for the withdrawal sweep once a validator is withdrawable.",
        ge=0,
        le=365,
    )

    @model_validator(mode="after")
    def _check_finality(self) -> EthereumParams:
        if self.network_participation < 2 / 3 - 1e-12:
            raise ValueError(
                f"ethereum.network_participation = {self.network_participation!r}: must be at "
                "least 2/3; below 2/3 of the stake online the chain stops finalising and the "
                "inactivity leak applies (divaecon.ethereum.inactivity_leak_loss_eth)"
            )
        return self


class DivaParams(_Params):
    """Diva Staking's protocol parameters and the network's operator behaviour."""

    key_shares_per_validator: int = param(
        16,
        "key shares",
        "Diva docs docs/06-dvt.md (16 key shares per validator)",
        "Key shares each 32 ETH validator key is split into.",
        ge=1,
        le=64,
    )
    threshold: int = param(
        11,
        "key shares",
        "Diva docs docs/06-dvt.md (11 of 16 must sign)",
        "Key shares that must sign for the validator to act.",
        ge=1,
    )
    collateral_per_key_share_eth: float = param(
        1.0,
        "divETH/key share",
        "Diva docs docs/21-economics.md ('1 key share requires "
        "locking 1 divETH'); docs/15-solo-staking.md: '1 (div)ETH or less per key share'",
        "divETH collateral an operator locks per key share (the model's main slider).",
        gt=0,
        le=32,
    )
    operator_fee: float = param(
        0.10,
        "fraction of rewards",
        "Diva docs docs/40-staking-rewards.md (10 % to operators)",
        "Share of total rewards paid to operators, split by key shares operated correctly.",
        ge=0,
        le=1,
    )
    treasury_fee: float = param(
        0.0,
        "fraction of rewards",
        "Diva docs 40-staking-rewards.md: 0 % DAO fee",
        "Share of total rewards paid to the treasury / DAO.",
        ge=0,
        le=1,
    )
    insurance_fee: float = param(
        0.0,
        "fraction of rewards",
        "Diva docs docs/40-staking-rewards.md: none now (an earlier draft had one); a parameter to try one",
        "Share of total rewards set aside for insurance.",
        ge=0,
        le=1,
    )
    validator_stake_eth: float = param(
        32.0,
        "ETH",
        "consensus-specs MIN_ACTIVATION_BALANCE",
        "ETH staked per Diva validator.",
        ge=1,
        le=2048,
    )
    buffered_fraction: float = param(
        0.0,
        "fraction",
        "model assumption (steady state: buffer < 32 ETH per pending "
        "validator); the simulation computes the realised value",
        "Fraction of stakers' ETH waiting unstaked in the buffer (cash drag).",
        ge=0,
        lt=1,
    )
    operator_uptime: float = param(
        0.95,
        "fraction",
        "Diva docs docs/06-dvt.md and docs/13-rocketpool.md: 'a set of "
        "Operators with 5% downtime' — the docs' own planning figure, below the 97.8 % "
        "measured for Rocket Pool's home operators (13-rocketpool.md), so conservative for Diva",
        "Uptime of each Diva operator's node.",
        ge=0,
        le=1,
    )
    failure_correlation: float = param(
        0.0,
        "correlation",
        "independent failures unless set (beta-binomial ρ, dvt.py)",
        "Intra-class correlation of operators' outages.",
        ge=0,
        le=1,
    )
    network_validators: int = param(
        1_344,
        "validators",
        "21,504 ETH committed as Diva collateral before launch (Diva docs "
        "docs/70-validator_migrations.md) / 16 divETH per validator",
        "Number of Diva validators (network size).",
        ge=0,
        le=10_000_000,
    )

    two_step_deposit: bool = param(
        True,
        "-",
        "Diva docs (docs.divastaking.net, dvt/creation): a 1 ETH pre-deposit, then 31 ETH after a "
        "Merkle proof of it. Since Electra a deposit's validator exists only once the churn-limited "
        "pending-deposit queue reaches it (consensus-specs specs/electra/beacon-chain.md "
        "process_pending_deposits), so the 31 ETH waits the entry queue a second time",
        "Create validators in two deposits (1 + 31 ETH), each waiting in the entry queue.",
    )
    operator_rewards: Literal["minted", "paid_out"] = param(
        "minted",
        "-",
        'Diva docs 21-economics.md: operators "generate additional divETH"',
        "'minted': operators' fees are new divETH and the ETH stays in the pool; 'paid_out': ETH leaves it.",
    )
    ejection_margin: float = param(
        0.25,
        "fraction",
        "assumption: Diva's notes eject operators 'below the collateral level by a safety "
        "margin' without a figure (staking-foundation/docs notes.md)",
        "An operator whose collateral per key share falls below (1 − margin) × the required level is "
        "ejected and its key shares are reassigned from the queue.",
        gt=0,
        le=1,
    )
    pool_growth_rate_per_year: float = param(
        0.5,
        "1/year",
        "illustrative assumption (a pool growing by half a year)",
        "Growth of the pool's deposits the quote uses to show the cash drag of the entry queue.",
        ge=0,
        le=100,
    )

    @model_validator(mode="after")
    def _check_relations(self) -> DivaParams:
        problems = []
        if self.threshold > self.key_shares_per_validator:
            problems.append(
                f"diva.threshold = {self.threshold}: must be at most key_shares_per_validator "
                f"({self.key_shares_per_validator})"
            )
        fees = self.operator_fee + self.treasury_fee + self.insurance_fee
        if fees > 1.0 + 1e-12:
            problems.append(f"diva.operator_fee + treasury_fee + insurance_fee = {fees:g}: must be at most 1")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class OperatorCostParams(_Params):
    """An operator's costs and the ETH price they are paid in."""

    eth_price_usd: float = param(
        2_100.0,
        "USD/ETH",
        "Lido's TVL over its stake in late May 2026: $19.4B / 9.2M ETH = "
        "$2,109 (Web3Wagmi's Lido guide, verified 2026-05-27); a round figure, override",
        "ETH price used to compare rewards with USD costs.",
        gt=0,
    )
    hardware_cost_usd: float = param(
        1_000.0,
        "USD",
        "assumption: a machine of EIP-7870's attester class (4 TB NVMe, 64 GB "
        "RAM, 8 cores; EIP-7870, 2025-01-26), about four to five months of a validator's "
        "rewards (ethereum-magicians EIP-7870 thread, 2025-01-29)",
        "Cost of one node's hardware.",
        ge=0,
    )
    hardware_lifetime_years: float = param(
        3.0,
        "years",
        "model assumption (straight-line depreciation)",
        "Years over which hardware is written off.",
        gt=0,
    )
    running_cost_usd_per_month: float = param(
        50.0,
        "USD/month",
        "model assumption (power and internet for a home node)",
        "Running cost of one node.",
        ge=0,
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
        "14 % contract commission",
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


class SimulationParams(_Params):
    """Drivers of the daily network simulation (:mod:`divaecon.simulate`)."""

    horizon_days: int = param(
        3_650,
        "days",
        "model default (10 years)",
        "Days simulated.",
        ge=1,
        le=36_525,
    )
    record_every_days: int = param(
        30,
        "days",
        "model default",
        "Recording interval of the time series.",
        ge=1,
    )
    deposit_mode: Literal["constant", "growth"] = param(
        "growth",
        "-",
        "model choice",
        "'constant': a fixed daily staker deposit; 'growth': logistic growth towards target_staker_eth.",
    )
    staker_deposit_eth_per_day: float = param(
        500.0,
        "ETH/day",
        "illustrative assumption",
        "Staker deposits per day ('constant' mode).",
        ge=0,
    )
    target_staker_eth: float = param(
        500_000.0,
        "ETH",
        "illustrative assumption (≈1.3 % of the 39.2M ETH staked)",
        "Staker ETH the network grows towards ('growth' mode).",
        gt=0,
    )
    growth_rate_per_year: float = param(
        1.5,
        "1/year",
        "illustrative assumption",
        "Logistic growth rate ('growth' mode).",
        ge=0,
    )
    initial_staker_eth: float = param(
        1_000.0,
        "ETH",
        "illustrative assumption (logistic growth needs a seed)",
        "Staker ETH deposited on day 0.",
        ge=0,
    )
    withdrawal_rate_per_year: float = param(
        0.05,
        "1/year",
        "illustrative assumption",
        "Fraction of staker divETH withdrawn per year.",
        ge=0,
        le=1,
    )
    initial_collateral_eth: float = param(
        21_504.0,
        "divETH",
        "21,504 ETH committed as Diva collateral before launch (Diva docs docs/70-validator_migrations.md)",
        "Operator collateral queued on day 0.",
        ge=0,
    )
    collateral_deposit_eth_per_day: float = param(
        100.0,
        "divETH/day",
        "illustrative assumption",
        "Operator collateral arriving per day.",
        ge=0,
    )
    ethereum_stake_growth_eth_per_day: float = param(
        9_000.0,
        "ETH/day",
        "32,076,797 ETH (2024-03-28, coinspeaker.com) → 39.2M ETH "
        "(2026-05-27, ValidatorQueue.com via Gate news): 7.12M ETH in 790 days = 9,017 ETH/day "
        "(data/staking_data_points.csv); linear, so over ten years it reaches ~72M ETH",
        "Daily change of total ETH staked on Ethereum.",
    )
    activation_delay_days: int = param(
        0,
        "days",
        "consensus-specs electra: a processed deposit activates after finality (~2 epochs) and "
        "MAX_SEED_LOOKAHEAD + 1 = 5 epochs, about 45 minutes: under a day",
        "Days from validator creation to activation besides the entry queue's wait.",
        ge=0,
        le=365,
    )
    entry_queue_change_eth_per_day: float = param(
        0.0,
        "ETH/day",
        "assumption: the entry queue keeps its latest sourced length (set it to explore a queue that drains or grows)",
        "Daily change of the ETH other depositors keep in Ethereum's entry queue (never below 0).",
        ge=-10_000_000,
        le=10_000_000,
    )
    exit_queue_change_eth_per_day: float = param(
        0.0,
        "ETH/day",
        "assumption: the exit queue keeps its latest sourced length",
        "Daily change of the ETH others keep in Ethereum's exit queue (never below 0).",
        ge=-10_000_000,
        le=10_000_000,
    )
    outage_rate_per_operator_per_year: float = param(
        0.0,
        "1/year",
        "model assumption (0: uptime alone drives downtime)",
        "Rate of extra whole-day operator outages (Monte Carlo).",
        ge=0,
    )
    slashing_rate_per_validator_per_year: float = param(
        0.0,
        "1/year",
        "model assumption (needs ≥ 11 colluding key shares)",
        "Rate of slashing events per validator (Monte Carlo).",
        ge=0,
    )
    proposer_luck: bool = param(
        False,
        "-",
        "model choice",
        "Draw block proposals as Poisson events (Monte Carlo).",
    )


class RiskParams(_Params):
    """Loss events that collateral must absorb, their assumed rates, and the Monte Carlo settings.

    Rates without a source are **assumptions** (their ``source`` says so, with the reasoning);
    :func:`divaecon.risk.sensitivity.tornado` shows how the required collateral moves with each.
    An outage or leak class hits each of a validator's operators with its ``operator_fraction``
    (beta-binomial with ``outage_fraction_correlation``); "validator-year" is one validator over
    one year.
    """

    mc_validator_years: int = param(
        1_000_000,
        "validator-years",
        "model setting (the benchmark runs 10 million)",
        "Validator-years drawn by the Monte Carlo of `divaecon risk`.",
        ge=10_000,
        le=1_000_000_000,
    )
    mc_seed: int = param(
        2026,
        "-",
        "model setting",
        "Seed of the Monte Carlo's random streams (same seed, same numbers).",
        ge=0,
        le=2**63 - 1,
    )
    target_loss_probability_per_year: float = param(
        1e-4,
        "1/validator-year",
        "assumption: stakers of a validator bear a loss at most once in 10,000 validator-years",
        "Target for the required collateral: probability per validator-year that a loss exceeds "
        "the collateral of the operators responsible.",
        gt=0,
        lt=1,
    )
    target_shortfall_apr: float = param(
        1e-4,
        "1/year",
        "assumption: at most 0.01 % a year of divETH rewards lost to shortfalls",
        "Target for the required collateral: expected shortfall to stakers per ETH staked a year "
        "(the APR cost to divETH when nothing waits in the buffer).",
        gt=0,
        lt=1,
    )
    # --- correlated outages (common shocks) -------------------------------------------------
    regional_outage_rate_per_year: float = param(
        2.0,
        "1/year",
        "assumption: a data-centre region down about twice a year (e.g. AWS us-east-1, 2025-10-20, about 13 hours)",
        "Rate of regional outages (one region or data centre down).",
        ge=0,
        le=365,
    )
    regional_outage_duration_days: float = param(
        0.5,
        "days",
        "assumption, near the AWS us-east-1 outage of 2025-10-20 (03:00–16:00 ET)",
        "Mean duration of a regional outage (lognormal, shape outage_duration_sigma).",
        gt=0,
        le=3_650,
    )
    regional_outage_operator_fraction: float = param(
        0.15,
        "fraction of operators",
        "assumption: operators hosted in the busiest region",
        "Share of Diva's operators a regional outage takes down.",
        ge=0,
        le=1,
    )
    cloud_outage_rate_per_year: float = param(
        0.2,
        "1/year",
        "assumption: a provider-wide cloud outage once in five years",
        "Rate of outages of a whole cloud provider.",
        ge=0,
        le=365,
    )
    cloud_outage_duration_days: float = param(
        0.25,
        "days",
        "assumption",
        "Mean duration of a cloud-wide outage.",
        gt=0,
        le=3_650,
    )
    cloud_outage_operator_fraction: float = param(
        0.35,
        "fraction of operators",
        "ethernodes.org via ethnews.com (2023): AWS hosted about 35 % of Ethereum's nodes",
        "Share of Diva's operators on the largest cloud provider.",
        ge=0,
        le=1,
    )
    client_bug_rate_per_year: float = param(
        1.0,
        "1/year",
        "mainnet client incidents 2023-05-11, 2023-05-12 (Offchain Labs "
        "post-mortem, 2023-05-18) and 2025-12-04 (Prysm, Fusaka): about one a year",
        "Rate of consensus-client bugs that take their users offline.",
        ge=0,
        le=365,
    )
    client_bug_duration_days: float = param(
        0.2,
        "days",
        "Prysm post-mortem of 2025-12-04: epochs 411,439–411,480 (about 4.4 hours)",
        "Mean duration of a client-bug outage.",
        gt=0,
        le=3_650,
    )
    client_bug_operator_fraction: float = param(
        0.25,
        "fraction of operators",
        "Prysm ran 22.7 % of validators before the 2025-12-04 "
        "incident (beaconcha.in via Cointelegraph, 2025-12-05); assumption for Diva's operators",
        "Share of Diva's operators on the client with the bug.",
        ge=0,
        le=1,
    )
    dvt_software_outage_rate_per_year: float = param(
        0.5,
        "1/year",
        "assumption: every Diva operator runs the same distributed-validator middleware; a release bug every two years",
        "Rate of outages of Diva's own node software (applies to DVT set-ups only).",
        ge=0,
        le=365,
    )
    dvt_software_outage_duration_days: float = param(
        0.25,
        "days",
        "assumption",
        "Mean duration of a DVT-software outage.",
        gt=0,
        le=3_650,
    )
    dvt_software_outage_operator_fraction: float = param(
        1.0,
        "fraction of operators",
        "assumption: one middleware, all operators",
        "Share of operators a DVT-software bug takes down.",
        ge=0,
        le=1,
    )
    outage_duration_sigma: float = param(
        1.0,
        "-",
        "assumption (heavy right tail of outage lengths)",
        "Shape σ of the lognormal duration of outages, leaks and exit waits.",
        gt=0,
        le=4,
    )
    outage_fraction_correlation: float = param(
        0.1,
        "correlation",
        "assumption (the share hit varies from event to event)",
        "Intra-class correlation ρ of operators hit by one event (beta-binomial; 0 = binomial).",
        ge=0,
        lt=1,
    )
    # --- inactivity leak -------------------------------------------------------------------
    leak_rate_per_year: float = param(
        0.05,
        "1/year",
        "assumption: no mainnet leak beyond 9 epochs since the Merge (Offchain "
        "Labs post-mortem, 2023-05-18); Holesky went two weeks without finality in Feb–Mar 2025",
        "Rate of periods without finality long enough to leak (more than 4 epochs).",
        ge=0,
        le=365,
    )
    leak_duration_days: float = param(
        3.0,
        "days",
        "assumption (Holesky, Feb–Mar 2025: about 14 days, a testnet)",
        "Mean length of a period without finality (lognormal, shape outage_duration_sigma).",
        gt=0,
        le=3_650,
    )
    leak_operator_fraction: float = param(
        0.4,
        "fraction of operators",
        "a leak needs more than 1/3 of the stake offline "
        "(consensus-specs phase0 finality); assumption that Diva's operators mirror the network",
        "Share of Diva's operators offline while the chain does not finalise.",
        ge=0,
        le=1,
    )
    # --- slashing ---------------------------------------------------------------------------
    isolated_slashing_rate_per_validator_per_year: float = param(
        2e-5,
        "1/validator-year",
        "assumption: fewer than 500 of ~1.2 million validators slashed "
        "2020–2025 (beaconcha.in via crypto.news, 2025-09-11), ≈ 1e-4 a year for one key; a "
        "distributed validator needs a threshold of shares to sign",
        "Rate at which a threshold of one validator's key shares signs a slashable message "
        "(operator error, collusion).",
        ge=0,
        le=365,
    )
    client_slashing_rate_per_year: float = param(
        0.005,
        "1/year",
        "assumption: no client has made its users sign slashable messages on "
        "mainnet since 2020; largest correlated slashing 39 validators (SSV operators, 2025-09-10)",
        "Rate of a compromised or buggy client (signer, consensus client) making its users sign slashable messages.",
        ge=0,
        le=365,
    )
    client_slashing_operator_fraction: float = param(
        0.35,
        "fraction of operators",
        "assumption (a client near the 1/3 diversity target)",
        "Share of Diva's operators running the compromised client.",
        ge=0,
        le=1,
    )
    client_slashing_network_fraction: float = param(
        0.2,
        "fraction of stake",
        "assumption",
        "Share of all staked ETH slashed in the same "
        "window (sets the Electra correlation penalty, 3 × this share of the balance).",
        ge=0,
        le=1,
    )
    # --- theft of execution-layer rewards ----------------------------------------------------
    adversary_key_share_fraction: float = param(
        0.2,
        "fraction of key shares",
        "assumption: one adversary (or a cartel of sybil "
        "identities) holds this share of key shares; Diva assigns shares at random",
        "Share of key shares held by operators willing to collude to steal block rewards.",
        ge=0,
        le=1,
    )
    seizable_key_shares_per_colluder: float = param(
        1.0,
        "key shares",
        "assumption: the sybil worst case, one key share per identity",
        "Collateral a colluder forfeits, in key shares' worth of collateral.",
        gt=0,
        le=1_000_000,
    )
    el_reward_mean_eth: float = param(
        0.112,
        "ETH/block",
        "Blockscholes, 'Ethereum Staking Deep Dive: Analysing Execution "
        "Layer Rewards & MEV', 2024-02-15 (Merge to Feb 2024)",
        "Mean execution-layer reward per block of the heavy-tailed block-value distribution.",
        gt=0,
        le=1_000,
    )
    el_reward_mev_mean_eth: float = param(
        0.038,
        "ETH/block",
        "Blockscholes, 2024-02-15",
        "Mean MEV payment per block (part of the mean).",
        ge=0,
        le=1_000,
    )
    el_reward_no_mev_share: float = param(
        0.52,
        "fraction of blocks",
        "Blockscholes, 2024-02-15 (52 % of blocks had no MEV payment)",
        "Share of blocks without an MEV payment.",
        ge=0,
        lt=1,
    )
    el_reward_p999_eth: float = param(
        9.0,
        "ETH",
        "Valdorff, rp-thoughts leb_safety/readme.md (March 2023): 99.9th percentile "
        "≈ 9 ETH in hot weeks of Flashbots builder data",
        "99.9th percentile of the reward per block (start of the Pareto tail).",
        gt=0,
        le=100_000,
    )
    el_reward_p9999_eth: float = param(
        28.873,
        "ETH",
        "Blockscholes, 2024-02-15",
        "99.99th percentile of the reward per block.",
        gt=0,
        le=1_000_000,
    )
    el_reward_priority_sigma: float = param(
        1.0,
        "-",
        "assumption (spread of blocks without an MEV payment; hardly moves the tail)",
        "Lognormal shape σ of the reward of blocks without an MEV payment.",
        gt=0,
        le=4,
    )
    el_reward_cap_eth: float = param(
        1_000.0,
        "ETH",
        "assumption: largest MEV-Boost payment in the 30 days to 2026-02-26 was "
        "189 ETH (aubury.org, 'The Proposer Reward Lottery')",
        "Largest reward one block can carry (truncates the Pareto tail).",
        gt=0,
        le=10_000_000,
    )
    el_reward_multiplier: float = param(
        1.0,
        "-",
        "model setting (Valdorff's stress case: a market ≈ 3 × hotter)",
        "Scales every block's reward (a hotter or cooler MEV market).",
        gt=0,
        le=1_000,
    )
    # --- abandonment ------------------------------------------------------------------------
    abandonment_rate_per_operator_per_year: float = param(
        0.05,
        "1/operator-year",
        "assumption: one operator in twenty walks away each year",
        "Rate at which one operator abandons its key shares.",
        ge=0,
        le=365,
    )
    replacement_cost_eth: float = param(
        0.01,
        "ETH",
        "assumption: gas of resharing one key share to a new operator",
        "Cost of replacing an abandoned key share, charged to its collateral.",
        ge=0,
        le=32,
    )
    mass_abandonment_rate_per_year: float = param(
        0.05,
        "1/year",
        "assumption (a hosting ban or a large sybil operator quitting at once)",
        "Rate of many operators abandoning their key shares together.",
        ge=0,
        le=365,
    )
    mass_abandonment_operator_fraction: float = param(
        0.1,
        "fraction of operators",
        "assumption",
        "Share of operators that abandon together.",
        ge=0,
        le=1,
    )
    exit_wait_days: float = param(
        30.0,
        "days",
        "assumption: detection plus the exit queue (2.5M ETH, > 46 days at the "
        "September 2025 peak, Figment 2025-09-12; a day in Feb 2026)",
        "Mean days a validator that can no longer sign stays offline before it exits (mass abandonment; lognormal).",
        gt=0,
        le=3_650,
    )


class Scenario(_Params):
    """A named, complete set of parameters: what a scenario file holds."""

    name: str = param("base", "-", "-", "Scenario name shown on reports.", min_length=1)
    description: str = param("", "-", "-", "One line on what the scenario explores.")
    ethereum: EthereumParams = Field(default_factory=EthereumParams)
    diva: DivaParams = Field(default_factory=DivaParams)
    costs: OperatorCostParams = Field(default_factory=OperatorCostParams)
    peers: PeerParams = Field(default_factory=PeerParams)
    simulation: SimulationParams = Field(default_factory=SimulationParams)
    risk: RiskParams = Field(default_factory=RiskParams)

    @model_validator(mode="after")
    def _check_texts(self) -> Scenario:
        problems = []
        for field, limit in (("name", MAX_NAME_CHARS), ("description", MAX_DESCRIPTION_CHARS)):
            text = getattr(self, field)
            if len(text) > limit:
                problems.append(f"{field} = {_format_value(text)}: at most {limit:,} characters (has {len(text):,})")
        if not self.name.strip():
            problems.append(f"name = {_format_value(self.name)}: must contain a visible character")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def override(self, **values: Any) -> Scenario:
        """A copy with fields replaced, validated; names may be plain or ``section.field``."""
        return scenario_from_dict(apply_overrides(self.model_dump(), values), source="override")


SECTIONS: dict[str, type[_Params]] = {
    "ethereum": EthereumParams,
    "diva": DivaParams,
    "costs": OperatorCostParams,
    "peers": PeerParams,
    "simulation": SimulationParams,
    "risk": RiskParams,
}


# -- sanity limits ------------------------------------------------------------------------------
# Bounds beyond each field's own range that keep every figure finite and every input physically
# possible (found by property tests over the validated ranges: tests/test_hostile.py). They are
# checked by the validators above, after each field's own range.

ETH_IN_EXISTENCE_LIMIT = 200e6
"""Largest ETH amount accepted [ETH]: above all ETH in existence (120.8M ETH on 2025-06-08,
Cointelegraph citing ultrasound.money)."""

SANE_LIMITS: dict[str, tuple[float, float, str]] = {
    "ethereum.total_staked_eth": (32.0, ETH_IN_EXISTENCE_LIMIT, "one validator to all ETH in existence"),
    "ethereum.el_reward_per_block_eth": (0.0, 1_000.0, "ETH per block"),
    "ethereum.entry_queue_eth": (0.0, ETH_IN_EXISTENCE_LIMIT, "ETH"),
    "ethereum.exit_queue_eth": (0.0, ETH_IN_EXISTENCE_LIMIT, "ETH"),
    "diva.collateral_per_key_share_eth": (0.001, 32.0, "divETH per key share"),
    "costs.eth_price_usd": (0.01, 1e8, "USD per ETH"),
    "costs.hardware_cost_usd": (0.0, 1e9, "USD"),
    "costs.hardware_lifetime_years": (0.01, 100.0, "years"),
    "costs.running_cost_usd_per_month": (0.0, 1e9, "USD per month"),
    "peers.rocketpool_leb8_bond_eth": (0.01, 31.99, "ETH of a 32 ETH validator"),
    "peers.rocketpool_megapool_bond_eth": (0.01, 31.99, "ETH of a 32 ETH validator"),
    "simulation.record_every_days": (1, 36_525, "days"),
    "simulation.staker_deposit_eth_per_day": (0.0, 10e6, "ETH per day"),
    "simulation.target_staker_eth": (1.0, 1e15, "ETH; a ceiling far above all ETH means growth without one"),
    "simulation.growth_rate_per_year": (0.0, 100.0, "per year"),
    "simulation.initial_staker_eth": (0.0, ETH_IN_EXISTENCE_LIMIT, "ETH"),
    "simulation.initial_collateral_eth": (0.0, ETH_IN_EXISTENCE_LIMIT, "divETH"),
    "simulation.collateral_deposit_eth_per_day": (0.0, 10e6, "divETH per day"),
    "simulation.ethereum_stake_growth_eth_per_day": (-10e6, 10e6, "ETH per day"),
    "simulation.outage_rate_per_operator_per_year": (0.0, 365.0, "outages per operator per year"),
    "simulation.slashing_rate_per_validator_per_year": (0.0, 365.0, "slashings per validator per year"),
}
"""``section.field: (lowest, highest, unit)`` accepted, beyond the field's own range."""

PEER_FEE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("lido_operator_fee", "lido_treasury_fee"),
    ("lido_csm_operator_fee", "lido_csm_dao_fee"),
    ("rocketpool_megapool_operator_commission", "rocketpool_megapool_rpl_commission"),
)
"""Peer fees taken from the same rewards: each group must sum to at most 1 (100 %)."""

MAX_CLUSTER_SIZE = 64
"""Largest SSV cluster [operators] (the Obol cluster and Diva's key shares have the same bound)."""

MAX_SSV_CLUSTERS = 16
"""Most SSV cluster sizes compared."""

MAX_NAME_CHARS = 1_000
MAX_DESCRIPTION_CHARS = 10_000


def limit_problems(params: BaseModel) -> list[str]:
    """One message per field of ``params`` outside :data:`SANE_LIMITS`."""
    section = next((name for name, cls in SECTIONS.items() if isinstance(params, cls)), None)
    problems = []
    for name in type(params).model_fields:
        bounds = SANE_LIMITS.get(f"{section}.{name}")
        if bounds is None:
            continue
        lo, hi, unit = bounds
        value = getattr(params, name)
        if not lo <= value <= hi:
            problems.append(
                f"{section}.{name} = {_format_value(value)}: must be from {_bound(lo)} to {_bound(hi)} ({unit})"
            )
    return problems


def _bound(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:,.6g}"


def fee_group_problems(params: BaseModel, section: str, groups: Iterable[Sequence[str]]) -> list[str]:
    """One message per group of fees whose sum exceeds 1."""
    problems = []
    for group in groups:
        total = sum(getattr(params, name) for name in group)
        if total > 1.0 + 1e-12:
            problems.append(f"{section}.{' + '.join(group)} = {total:.6g}: must be at most 1 (100 % of the rewards)")
    return problems


def field_sections() -> dict[str, str]:
    """Map each parameter's plain name to its section (names are unique across sections)."""
    out: dict[str, str] = {}
    for section, cls in SECTIONS.items():
        for name in cls.model_fields:
            out[name] = section
    return out


def resolve_name(name: str) -> tuple[str, str]:
    """``("section", "field")`` for a plain or dotted parameter name, or a ParameterError."""
    sections = field_sections()
    if "." in name:
        section, _, field = name.partition(".")
        if section in SECTIONS and field in SECTIONS[section].model_fields:
            return section, field
    elif name in sections:
        return sections[name], name
    raise ParameterError([f"{name}: unknown parameter; allowed: " + ", ".join(sorted(sections))])


def apply_overrides(data: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A nested scenario dict with ``values`` (plain or dotted names) put in place."""
    out = {k: dict(v) if isinstance(v, Mapping) else v for k, v in data.items()}
    for name, value in values.items():
        if name in ("name", "description"):
            out[name] = value
            continue
        section, field = resolve_name(name)
        out.setdefault(section, {})[field] = value
    return out


def _format_value(value: Any) -> str:
    from divaecon.safeyaml import excerpt

    return excerpt(value)


def _problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) if len(str(p)) <= 60 else str(p)[:57] + "..." for p in err["loc"])
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            parent = err["loc"][:-1]
            cls: type[BaseModel] = Scenario
            for part in parent:
                cls = SECTIONS.get(str(part), cls)
            allowed = ", ".join(cls.model_fields)
            problems.append(f"{loc} = {_format_value(value)}: unknown parameter; allowed: {allowed}")
        elif err["type"] == "value_error":
            problems.append(str(err["msg"]).removeprefix("Value error, "))
        else:
            msg = str(err["msg"])
            problems.append(f"{loc} = {_format_value(value)}: {msg[:1].lower() + msg[1:]}")
    return problems


def scenario_from_dict(data: Mapping[str, Any], source: str | None = None) -> Scenario:
    """Validate a nested mapping into a :class:`Scenario`; every problem in one error."""
    if not isinstance(data, Mapping):
        raise ParameterError([f"scenario must be a mapping of sections, got {type(data).__name__}"], source)
    prepared = dict(data)
    peers = prepared.get("peers")
    if isinstance(peers, Mapping) and isinstance(peers.get("ssv_cluster_sizes"), list):
        prepared["peers"] = {**peers, "ssv_cluster_sizes": tuple(peers["ssv_cluster_sizes"])}
    try:
        return Scenario.model_validate(prepared)
    except ValidationError as exc:
        raise ParameterError(_problems(exc), source) from None


MAX_SCENARIO_BYTES = 1_000_000
"""Largest scenario file read (1 MB; the shipped ones are about 1.5 kB)."""


def decode_utf8(data: bytes, source: str | None = None) -> str:
    """``data`` as UTF-8 text (a leading byte-order mark dropped), or a ParameterError saying where not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParameterError(["UTF-16 text: save the file as UTF-8"], source)
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise ParameterError([f"byte {at:,} is NUL: a binary file, not UTF-8 YAML text"], source)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParameterError(
            [
                f"line {line}, column {column}: byte 0x{data[exc.start]:02x} is not UTF-8 (Latin-1 or "
                "Windows-1252 text?): save the file as UTF-8"
            ],
            source,
        ) from None


def scenario_from_yaml(text: str, source: str | None = None, default_name: str | None = None) -> Scenario:
    """Parse and validate scenario YAML text (:mod:`divaecon.safeyaml` rules), e.g. a notebook's
    ``scenario_yaml`` parameter; ``default_name`` is used when the text names no scenario."""
    from divaecon import safeyaml

    data = safeyaml.loads(text, source)
    if data is None:
        data = {}
    if isinstance(data, Mapping) and "name" not in data and default_name is not None:
        data = {"name": default_name, **data}
    return scenario_from_dict(data, source=source)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario YAML file; the name defaults to the file's stem.

    Refused with a :class:`~divaecon.errors.ParameterError` naming the file: anything but a
    regular file of at most :data:`MAX_SCENARIO_BYTES` (checked before reading, so a device or
    named pipe never blocks), text that is not UTF-8, and every refusal of
    :func:`divaecon.safeyaml.loads` (duplicate keys, YAML 1.1-only forms, alias bombs, with line
    and column); then every invalid field, as :func:`scenario_from_dict`.
    """
    from divaecon._io import read_limited

    if str(path) == "":
        raise ParameterError(["scenario file name is empty: give the path of a YAML file"])
    p = Path(path)
    data = read_limited(p, MAX_SCENARIO_BYTES, "scenario file")
    return scenario_from_yaml(decode_utf8(data, str(p)), source=str(p), default_name=p.stem)


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML, readable back by :func:`load_scenario` (and alike by YAML 1.1 readers:
    every string either version would read as something else is quoted)."""
    from divaecon.safeyaml import core_dumper

    data = scenario.model_dump(mode="json")
    return yaml.dump(data, Dumper=core_dumper(), sort_keys=False, allow_unicode=True)


def assumptions_table(sections: Iterable[str] = SECTIONS) -> str:
    """Markdown table of every parameter: name, default, unit, source, meaning."""
    rows = ["| parameter | default | unit | source | meaning |", "|---|---|---|---|---|"]
    for section in sections:
        cls = SECTIONS[section]
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            default = info.default
            is_number = isinstance(default, int | float) and not isinstance(default, bool)
            shown = f"{default:,}" if is_number else str(default)
            rows.append(
                f"| `{section}.{name}` | {shown} | {extra.get('unit', '')} | "
                f"{extra.get('source', '')} | {info.description or ''} |"
            )
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    print(assumptions_table())
