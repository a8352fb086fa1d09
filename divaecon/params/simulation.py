"""The ``simulation`` section: drivers of the daily network simulation."""

from __future__ import annotations

from typing import Literal

from divaecon.params._fields import _Params, param
from divaecon.params._spread import spread


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
    deposit_cap_eth: float = param(
        18_000.0,
        "ETH",
        "Rocket Pool's deposit pool maximum (protocol DAO setting deposit.pool.maximum), set to 18,000 ETH by "
        "RPIP-16 (vote passed 2023-02-12; rpips.rocketpool.net/RPIPs/RPIP-16), the latest change of it found; its "
        "contract refuses a deposit that would take the pool above it (rocket-pool/rocketpool "
        "contracts/contract/deposit/RocketDepositPool.sol, deposit()). Not scaled to Diva: Rocket Pool sets an "
        "amount of ETH, not a share, and 18,000 ETH is 3.6 % of the base scenario's target of 500,000 staker ETH, "
        "inside the 2–5 % of unstaked ETH "
        "Rocket Pool's DAO weighed when raising it (dao.rocketpool.net/t/proposal-to-increase-the-deposit-pool-dp-"
        "limit/817); 0 = no cap (the buffer unbounded)",
        "Largest buffer of unstaked ETH that takes staker deposits: deposits beyond it are refused and never "
        "enter the pool (operators' collateral is always taken); 0 for no cap.",
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
        uncertainty=spread("uniform", "record", "", record="stake_growth_by_year"),
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
