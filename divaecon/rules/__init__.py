"""Ethereum's next rules: the reward curves, burns, slot times and penalties under debate.

The package: :mod:`~divaecon.rules.slots` (slot time), :mod:`~divaecon.rules.issuance` (curves,
burns, yields), :mod:`~divaecon.rules.penalties` (leak, churn, EIP-7716), :mod:`~divaecon.rules.rates`
(a validator's rates), :mod:`~divaecon.rules.sets` (labelled rule sets), all re-exported here.

Each rule is a field of :class:`~divaecon.params.EthereumParams` (``issuance_curve``,
``execution_burn``, ``seconds_per_slot``, ``exit_churn_rule``, ``correlated_penalties``); this
package turns them into the numbers the rest of the package needs. Today's rules
(``issuance_curve = "current"``, 12 s slots, no burn) give exactly :mod:`divaecon.ethereum`'s
figures: every function here reduces to today's spec when the rules are today's.

What each rule changes (sources in each function's docstring):

- **EIP-8363** (``eip8363``): a burn of ``b = min(1, (D / 60.25M ETH)^(3/2))`` of every duty's
  idealised reward, charged whether or not the duty was done (so penalties and the incentive to be
  online are unchanged), the attestation part skipped during an inactivity leak; an 18-month
  transition in which the base reward factor falls from 128 to 64.
- **Tempered** / **capped** curves (Elowsson): the base reward itself is scaled, so rewards and
  penalties scale together: ``1 / (1 + D / k)`` (tempered), ``min(1, sqrt(D_c / D))`` (capped).
- **Slot time**: EIP-8198's 8 s constants, or PR #12217's ratio rule for any other slot time.
- **EIP-8375** (eMBER): proposers keep 2/3 of execution rewards.
- **EIP-8061** exits and **EIP-7716** anti-correlation penalties: churn and penalty helpers.

Rates are fractions per year; ``D`` is the total ETH staked (the active balance), in ETH.

References
----------
``EIPS/eip-8363.md``, ``EIPS/eip-8198.md``, ``EIPS/eip-7716.md``, ``EIPS/eip-8061.md`` (ethereum/EIPs);
EIPs PR #12217 (EIP-8198 at 10 s), PR #12130 (EIP-8375); consensus-specs ``specs/altair/beacon-chain.md``,
``specs/gloas/beacon-chain.md``; ethresear.ch t/19171 (tempered issuance); Elowsson's capped-issuance note.
"""

from __future__ import annotations

from divaecon.rules.issuance import (
    CURVE_CODES,
    CURVES,
    EXECUTION_BURN_DENOMINATOR,
    EXECUTION_BURNS,
    SATURATION_BALANCE,
    TRANSITION_BASE_REWARD_FACTOR,
    TRANSITION_DURATION_EPOCHS,
    base_reward_factor_at,
    burn_apr,
    burn_apr_by_duty,
    burn_fraction,
    consensus_yield,
    curve_factor,
    effective_base_reward_factor,
    epochs_since_fork_at_day,
    execution_reward_per_block_eth,
    execution_share,
    execution_yield,
    ideal_consensus_apr,
    issuance_burn_gwei,
    issuance_eth_per_year,
    reward_factor_constants,
    reward_factors_of,
    reward_scale,
    stake_at_yield,
    staking_yield,
    transition_days,
    transition_path,
)
from divaecon.rules.penalties import (
    MAX_PENALTY_FACTOR,
    PENALTY_ADJUSTMENT_FACTOR,
    activation_churn_eth_per_epoch,
    churn_eth_per_day,
    correlated_penalty_multiplier,
    eip7716_outage_penalty_multiplier,
    eip7716_penalty_factors,
    eip7716_steady_net_excess,
    exit_churn_eth_per_epoch,
    inactivity_leak_loss_eth,
    leak_epochs_for_days,
    offline_loss_eth_per_day,
    slashing_loss_eth,
)
from divaecon.rules.rates import (
    consensus_apr,
    consensus_apr_by_duty,
    execution_apr,
    gross_apr,
    offline_penalty_apr,
    rewards_lost_eth_per_year,
)
from divaecon.rules.sets import (
    RULE_FIELDS,
    RULE_SETS,
    describe_rules,
    is_today,
    scenario_with_rules,
    with_rules,
)
from divaecon.rules.slots import SlotRules, slot_rules

__all__ = [
    "CURVES",
    "CURVE_CODES",
    "EXECUTION_BURNS",
    "EXECUTION_BURN_DENOMINATOR",
    "MAX_PENALTY_FACTOR",
    "PENALTY_ADJUSTMENT_FACTOR",
    "RULE_FIELDS",
    "RULE_SETS",
    "SATURATION_BALANCE",
    "TRANSITION_BASE_REWARD_FACTOR",
    "TRANSITION_DURATION_EPOCHS",
    "SlotRules",
    "activation_churn_eth_per_epoch",
    "base_reward_factor_at",
    "burn_apr",
    "burn_apr_by_duty",
    "burn_fraction",
    "churn_eth_per_day",
    "consensus_apr",
    "consensus_apr_by_duty",
    "consensus_yield",
    "correlated_penalty_multiplier",
    "curve_factor",
    "describe_rules",
    "effective_base_reward_factor",
    "eip7716_outage_penalty_multiplier",
    "eip7716_penalty_factors",
    "eip7716_steady_net_excess",
    "epochs_since_fork_at_day",
    "execution_apr",
    "execution_reward_per_block_eth",
    "execution_share",
    "execution_yield",
    "exit_churn_eth_per_epoch",
    "gross_apr",
    "ideal_consensus_apr",
    "inactivity_leak_loss_eth",
    "is_today",
    "issuance_burn_gwei",
    "issuance_eth_per_year",
    "leak_epochs_for_days",
    "offline_loss_eth_per_day",
    "offline_penalty_apr",
    "reward_factor_constants",
    "reward_factors_of",
    "reward_scale",
    "rewards_lost_eth_per_year",
    "scenario_with_rules",
    "slashing_loss_eth",
    "slot_rules",
    "stake_at_yield",
    "staking_yield",
    "transition_days",
    "transition_path",
    "with_rules",
]
