"""The ``diva`` section: Diva Staking's protocol parameters and the operators' behaviour."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from divaecon.params._fields import _Params, param
from divaecon.params._spread import spread


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
        uncertainty=spread(
            "uniform",
            "range",
            "the sources' own range: 95 % (Diva docs 06-dvt.md, the planning figure) to 99.6 % "
            "(Ethereum's mean validator downtime 0.4 %, Diva docs 15-solo-staking.md); Rocket Pool's "
            "home operators 97.8 % (13-rocketpool.md) lie between",
            low=0.95,
            high=0.996,
        ),
        ge=0,
        le=1,
    )
    failure_correlation: float = param(
        0.0,
        "correlation",
        "independent failures unless set (beta-binomial ρ, dvt.py)",
        "Intra-class correlation of operators' outages; the risk model's events use at least this "
        "(max with risk.outage_fraction_correlation: divaecon.dvt.event_correlation).",
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
