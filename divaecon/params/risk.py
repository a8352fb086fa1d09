"""The ``risk`` section: loss events collateral must absorb, their rates, the Monte Carlo settings."""

from __future__ import annotations

from divaecon.params._fields import _Params, param
from divaecon.params._spread import spread

X2 = spread("loguniform", "assumption", "assumption: ×/÷ 2 around the value (no record to count)", factor=2.0)
"""The spread of an assumed rate, share or length without a record: log-uniform from half to twice the value."""


def x2_beside_zero_count(event: str) -> dict[str, object]:
    """×/÷ 2 for a rate whose record counts no event (``event`` of data/history_events.csv): the
    record alone (Jeffreys' posterior of a zero count) allows rates far above the assumption, so
    the assumption is kept and said as such; ``divaecon.records.event_rates`` shows the record."""
    return spread(
        "loguniform",
        "assumption",
        f"assumption: ×/÷ 2 around the value; the record counts no such event ({event} in "
        "data/history_events.csv), and its Jeffreys posterior, which allows far higher rates, is listed beside it",
        factor=2.0,
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
        uncertainty=X2,
        ge=0,
        le=365,
    )
    regional_outage_duration_days: float = param(
        0.5,
        "days",
        "assumption, near the AWS us-east-1 outage of 2025-10-20 (03:00–16:00 ET)",
        "Mean duration of a regional outage (lognormal, shape outage_duration_sigma).",
        uncertainty=X2,
        gt=0,
        le=3_650,
    )
    regional_outage_operator_fraction: float = param(
        0.15,
        "fraction of operators",
        "assumption: operators hosted in the busiest region",
        "Share of Diva's operators a regional outage takes down.",
        uncertainty=X2,
        ge=0,
        le=1,
    )
    cloud_outage_rate_per_year: float = param(
        0.2,
        "1/year",
        "assumption: a provider-wide cloud outage once in five years",
        "Rate of outages of a whole cloud provider.",
        uncertainty=X2,
        ge=0,
        le=365,
    )
    cloud_outage_duration_days: float = param(
        0.25,
        "days",
        "assumption",
        "Mean duration of a cloud-wide outage.",
        uncertainty=X2,
        gt=0,
        le=3_650,
    )
    cloud_outage_operator_fraction: float = param(
        0.35,
        "fraction of operators",
        "ethernodes.org via ethnews.com (2023): AWS hosted about 35 % of Ethereum's nodes",
        "Share of Diva's operators on the largest cloud provider.",
        uncertainty=spread(
            "loguniform",
            "assumption",
            "assumption: ×/÷ 2 around the sourced share (AWS's share of Ethereum's nodes in 2023, not of "
            "Diva's operators), cut at 1",
            factor=2.0,
        ),
        ge=0,
        le=1,
    )
    client_bug_rate_per_year: float = param(
        1.0,
        "1/year",
        "mainnet client incidents 2023-05-11, 2023-05-12 (Offchain Labs "
        "post-mortem, 2023-05-18) and 2025-12-04 (Prysm, Fusaka): about one a year (3 in 3.25 years "
        "since the Merge, data/history_events.csv)",
        "Rate of consensus-client bugs that take their users offline.",
        uncertainty=spread("gamma", "record", "", record="client_outage"),
        ge=0,
        le=365,
    )
    client_bug_duration_days: float = param(
        0.2,
        "days",
        "Prysm post-mortem of 2025-12-04: epochs 411,439–411,480 (about 4.4 hours)",
        "Mean duration of a client-bug outage.",
        uncertainty=spread(
            "loguniform",
            "assumption",
            "assumption: ×/÷ 2 around the one incident measured (Prysm, 2025-12-04: about 4.4 hours); the "
            "2023-05-11/12 incidents lasted 4 and 9 epochs without finality (Offchain Labs, 2023-05-18)",
            factor=2.0,
        ),
        gt=0,
        le=3_650,
    )
    client_bug_operator_fraction: float = param(
        0.25,
        "fraction of operators",
        "Prysm ran 22.7 % of validators before the 2025-12-04 "
        "incident (beaconcha.in via Cointelegraph, 2025-12-05); assumption for Diva's operators",
        "Share of Diva's operators on the client with the bug.",
        uncertainty=X2,
        ge=0,
        le=1,
    )
    dvt_software_outage_rate_per_year: float = param(
        0.5,
        "1/year",
        "assumption: every Diva operator runs the same distributed-validator middleware; a release bug every two years",
        "Rate of outages of Diva's own node software (applies to DVT set-ups only).",
        uncertainty=X2,
        ge=0,
        le=365,
    )
    dvt_software_outage_duration_days: float = param(
        0.25,
        "days",
        "assumption",
        "Mean duration of a DVT-software outage.",
        uncertainty=X2,
        gt=0,
        le=3_650,
    )
    dvt_software_outage_operator_fraction: float = param(
        1.0,
        "fraction of operators",
        "assumption: one middleware, all operators",
        "Share of operators a DVT-software bug takes down.",
        uncertainty=X2,
        ge=0,
        le=1,
    )
    outage_duration_sigma: float = param(
        1.0,
        "-",
        "assumption (heavy right tail of outage lengths)",
        "Shape σ of the lognormal duration of outages, leaks and exit waits.",
        uncertainty=X2,
        gt=0,
        le=4,
    )
    outage_fraction_correlation: float = param(
        0.1,
        "correlation",
        "assumption (the share hit varies from event to event)",
        "Intra-class correlation ρ of operators hit by one event (beta-binomial; 0 = binomial); the model "
        "uses max(this, diva.failure_correlation): one meaning of correlated (divaecon.dvt.event_correlation).",
        uncertainty=X2,
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
        uncertainty=x2_beside_zero_count("long_leak"),
        ge=0,
        le=365,
    )
    leak_duration_days: float = param(
        3.0,
        "days",
        "assumption (Holesky, Feb–Mar 2025: about 14 days, a testnet)",
        "Mean length of a period without finality (lognormal, shape outage_duration_sigma).",
        uncertainty=X2,
        gt=0,
        le=3_650,
    )
    leak_operator_fraction: float = param(
        0.4,
        "fraction of operators",
        "a leak needs more than 1/3 of the stake offline "
        "(consensus-specs phase0 finality); assumption that Diva's operators mirror the network",
        "Share of Diva's operators offline while the chain does not finalise.",
        uncertainty=X2,
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
        uncertainty=spread("loguniform", "record", "", record="isolated_slashing"),
        ge=0,
        le=365,
    )
    client_slashing_rate_per_year: float = param(
        0.005,
        "1/year",
        "assumption: no client has made its users sign slashable messages on "
        "mainnet since 2020; largest correlated slashing 39 validators (SSV operators, 2025-09-10)",
        "Rate of a compromised or buggy client (signer, consensus client) making its users sign slashable messages.",
        uncertainty=x2_beside_zero_count("client_slashing"),
        ge=0,
        le=365,
    )
    client_slashing_operator_fraction: float = param(
        0.35,
        "fraction of operators",
        "assumption (a client near the 1/3 diversity target)",
        "Share of Diva's operators running the compromised client.",
        uncertainty=X2,
        ge=0,
        le=1,
    )
    client_slashing_network_fraction: float = param(
        0.2,
        "fraction of stake",
        "assumption",
        "Share of all staked ETH slashed in the same "
        "window (sets the Electra correlation penalty, 3 × this share of the balance).",
        uncertainty=X2,
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
        uncertainty=X2,
        ge=0,
        le=1,
    )
    seizable_key_shares_per_colluder: float = param(
        1.0,
        "key shares",
        "assumption: the sybil worst case, one key share per identity",
        "Collateral a colluder forfeits, in key shares' worth of collateral.",
        uncertainty=X2,
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
        uncertainty=X2,
        gt=0,
        le=4,
    )
    el_reward_cap_eth: float = param(
        1_000.0,
        "ETH",
        "assumption: largest MEV-Boost payment in the 30 days to 2026-02-26 was "
        "189 ETH (aubury.org, 'The Proposer Reward Lottery')",
        "Largest reward one block can carry (truncates the Pareto tail).",
        uncertainty=X2,
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
        uncertainty=X2,
        ge=0,
        le=365,
    )
    replacement_cost_eth: float = param(
        0.01,
        "ETH",
        "assumption: gas of resharing one key share to a new operator",
        "Cost of replacing an abandoned key share, charged to its collateral.",
        uncertainty=X2,
        ge=0,
        le=32,
    )
    mass_abandonment_rate_per_year: float = param(
        0.05,
        "1/year",
        "assumption (a hosting ban or a large sybil operator quitting at once)",
        "Rate of many operators abandoning their key shares together.",
        uncertainty=X2,
        ge=0,
        le=365,
    )
    mass_abandonment_operator_fraction: float = param(
        0.1,
        "fraction of operators",
        "assumption",
        "Share of operators that abandon together.",
        uncertainty=X2,
        ge=0,
        le=1,
    )
    exit_wait_days: float = param(
        30.0,
        "days",
        "assumption: detection plus the exit queue (2.5M ETH, > 46 days at the "
        "September 2025 peak, Figment 2025-09-12; a day in Feb 2026)",
        "Mean days a validator that can no longer sign stays offline before it exits (mass abandonment; lognormal).",
        uncertainty=X2,
        gt=0,
        le=3_650,
    )
