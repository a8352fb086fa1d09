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
        "consensus-specs configs/mainnet.yaml SLOT_DURATION_MS = 12000 (today). 8 s: EIP-8198 "
        "'Quick Slots' (Draft, created 2026-03-17), Parameters: BASE_REWARD_FACTOR 42, "
        "INACTIVITY_PENALTY_QUOTIENT_BELLATRIX 37,748,736, CHURN_LIMIT_QUOTIENT 98,304, churn "
        "minimum 85.33 and activation/exit cap 170.67 ETH/epoch. Any other slot time: EIPs PR "
        "#12217 (open, 2026-08-20, retargets EIP-8198 to 10 s): r = slot_ms / 12,000, base reward "
        "x r, inactivity penalty x r^2, churn x r (divaecon.rules.slot_rules). Range: 2 s (the "
        "shortest preset a client ships for EIP-8198) to 24 s",
        "Slot time; rewards per epoch, the inactivity leak and the churn rescale with it as the "
        "spec says, so rewards per year stay (about) today's while epochs per day change.",
        ge=2,
        le=24,
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
        "electra: consensus-specs specs/electra/beacon-chain.md get_activation_exit_churn_limit "
        "(deposits and exits share min(256, max(128, total / 65,536)) ETH/epoch). eip8061: EIP-8061 "
        "(Glamsterdam, in the Gloas draft specs: specs/gloas/beacon-chain.md get_exit_churn_limit "
        "and get_activation_churn_limit, configs/mainnet.yaml CHURN_LIMIT_QUOTIENT_GLOAS = 32,768, "
        "MAX_PER_EPOCH_ACTIVATION_CHURN_LIMIT_GLOAS = 256 ETH; read 2026-08-07): exits "
        "max(128, total / 32,768) ETH/epoch uncapped, deposits min(256, max(128, total / 32,768))",
        "Which fork's rule limits the ETH that may enter and exit per epoch.",
    )
    issuance_curve: Literal["current", "eip8363", "tempered", "capped"] = param(
        "current",
        "-",
        "current: consensus-specs specs/altair/beacon-chain.md get_base_reward_per_increment. "
        "eip8363: EIPS/eip-8363.md 'Tapered Issuance Burn' (Draft, created 2026-07-14; proposed "
        "for Hegota), Specification. tempered: Elowsson, ethresear.ch t/19171 (2024-04-01), "
        "y = cF / (sqrt(D) (1 + D / k)) (research, not an EIP). capped: Elowsson, "
        "notes.ethereum.org/@anderselowsson/Reward-curve-with-capped-issuance: today's curve up "
        "to D_c, constant total issuance above (research, not an EIP)",
        "Which consensus reward curve pays the validators (formulas in divaecon.rules).",
    )
    issuance_fork_date: float = param(
        0.0,
        "days after the simulation's start",
        "a scenario choice: Hegota (the fork EIP-8363 and EIP-8375 are proposed for, EIP-8081 "
        "meta) has no date; 0 = the rules hold from the first day. Negative: the fork lies before "
        "the start (-548 days or earlier: EIP-8363's 123,300-epoch transition is over)",
        "When the issuance curve and the execution burn take effect, in days from the "
        "simulation's start; EIP-8363's transition runs from this day. The quote always shows "
        "the steady state (after the transition).",
        ge=-3_652.5,
        le=36_525,
    )
    issuance_tempering_k_eth: float = param(
        2.0**25,
        "ETH",
        "Elowsson, ethresear.ch t/18448 section 5.5 and t/19171 (2024-04-01): k = 2^25 ETH "
        "(33,554,432), where issuance is half of today's",
        "Tempering constant k of the tempered curve (used only with issuance_curve = tempered).",
        gt=0,
        le=2e8,
    )
    issuance_cap_stake_eth: float = param(
        2.0**24,
        "ETH",
        "Elowsson, notes.ethereum.org/@anderselowsson/Reward-curve-with-capped-issuance: "
        "D_c = 2^24 ETH (16,777,216) proposed",
        "Stake D_c above which total issuance stays constant (used only with issuance_curve = capped).",
        gt=0,
        le=2e8,
    )
    execution_burn: Literal["none", "eip8375"] = param(
        "none",
        "-",
        "eip8375: EIP-8375 'eMBER', ePBS Mandatory Burn of Execution Rewards (EIPs PR #12130, "
        "open, 2026-08-07; proposed for Hegota 2026-08-13): burns floor(T/3) of each payload's "
        "priority fees T and a third of an external builder's bid",
        "Whether part of the execution-layer rewards (priority fees + MEV) is burned.",
    )
    correlated_penalties: Literal["none", "eip7716"] = param(
        "none",
        "-",
        "eip7716: EIPS/eip-7716.md 'Anti-correlation attestation penalties' (Stagnant, created "
        "2024-05-25; a Hegota candidate), Specification: penalty_factor = min(non_attesting "
        "x 4096 // (NET_EXCESS_PENALTIES x total + 1), 4) per slot",
        "Whether missed attestations cost more when many validators miss in the same slot.",
    )
    staking_alternative_rate: float = param(
        0.02,
        "fraction/year",
        "an assumption, not an observation: the return a holder asks of staked ETH over "
        "holding it (EIP-8363, Motivation: stake flows in while the yield exceeds the premium "
        "the marginal staker demands). No dated primary figure for an ETH lending rate was "
        "found in the sources read (Aave V3 Ethereum's wstETH supply APR was 0.00-0.02 % "
        "through Jan-Mar 2026, aavescan.com, a rate on staked ETH, not an alternative to it); "
        "2 % sits between the 1.5 % yield floor EIP-8363 names and today's ~2.9 % staking yield",
        "Rate a holder could earn instead of staking: the chapter shows the stake at which the "
        "staking yield equals it under each curve (divaecon.rules.stake_at_yield).",
        ge=0,
        le=0.2,
    )
    withdrawal_sweep_days: float = param(
        4.2,
        "days",
        "consensus-specs capella MAX_WITHDRAWALS_PER_PAYLOAD = 16: 974,959 validators "
        "(2026-02-03) / 16 per slot × 12 s ≈ 8.5 days a full sweep; a withdrawal waits half of it on average",
        "Average wait for the withdrawal sweep once a validator is withdrawable, at 12 s slots "
        "(another slot time scales it: a payload a slot).",
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
