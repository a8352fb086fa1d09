"""The ``ethereum`` section: the network the protocols stake on."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from divaecon.params._fields import _Params, param
from divaecon.params._spread import spread


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
        0.029,
        "ETH/block",
        "EIP-8363 (draft, created 2026-07-14), 'Issuance and MEV': MEV-Boost relays paid "
        "proposers about 72,600 ETH over 2.42M blocks in the year to 2026-07-31 (0.0300 ETH a "
        "relay block); with the 190,000 locally built blocks at 0 that is 72,600 / 2.61M = 0.0278, "
        "at the relay mean 0.0300 (the EIP's upper bound); midpoint 0.029. Independent of every "
        "staker APR the product compares with (no rate is fitted); arithmetic in ASSUMPTIONS.md",
        "Execution-layer reward (priority fees + MEV) per proposed block, a year's mean.",
        uncertainty=spread("lognormal", "record", "", record="el_reward_year_on_year"),
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
        uncertainty=spread(
            "uniform",
            "range",
            "the sources' own range: ≈ 3.3M ETH (late-May-2026 secondary reports) to 4,080,985 ETH "
            "(validatorqueue.com via Cointelegraph, 2026-02-03)",
            low=3_300_000.0,
            high=4_080_985.0,
        ),
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
