"""Rule sets: the labelled ``ethereum`` overrides shown side by side, and their one-line description."""

from __future__ import annotations

from typing import Final

from pydantic import ValidationError

from divaecon.errors import ParameterError
from divaecon.params.ethereum import EthereumParams
from divaecon.params.scenario import Scenario, _problems
from divaecon.rules.slots import slot_rules

# ================================================================================================
# Rule sets and their description
# ================================================================================================
RULE_SETS: dict[str, dict[str, object]] = {
    "Today's rules": {},
    "EIP-8363 tapered burn": {"issuance_curve": "eip8363"},
    "Tempered issuance (k = 2^25)": {"issuance_curve": "tempered"},
    "Capped issuance (D_c = 2^24)": {"issuance_curve": "capped"},
    "8 s slots (EIP-8198)": {"seconds_per_slot": 8.0},
    "10 s slots (PR #12217)": {"seconds_per_slot": 10.0},
    "eMBER (EIP-8375)": {"execution_burn": "eip8375"},
    "EIP-8363 + eMBER (Hegotá)": {"issuance_curve": "eip8363", "execution_burn": "eip8375"},
    "EIP-8061 exits (Glamsterdam)": {"exit_churn_rule": "eip8061"},
    "EIP-7716 correlated penalties": {"correlated_penalties": "eip7716"},
}
"""Label → overrides of the ``ethereum`` section, in display order (today's rules first)."""

RULE_FIELDS: Final[tuple[str, ...]] = (
    "issuance_curve",
    "issuance_fork_date",
    "issuance_tempering_k_eth",
    "issuance_cap_stake_eth",
    "execution_burn",
    "seconds_per_slot",
    "exit_churn_rule",
    "correlated_penalties",
)
"""The ``ethereum`` fields that make up a rule set."""


def with_rules(eth: EthereumParams, overrides: dict[str, object]) -> EthereumParams:
    """``eth`` with a rule set's overrides, validated (a ParameterError names a bad one)."""
    unknown = sorted(set(overrides) - set(RULE_FIELDS))
    if unknown:
        raise ParameterError([f"rule override {unknown[0]!r}: must be one of {', '.join(RULE_FIELDS)}"])
    data = eth.model_dump()
    data.update(overrides)
    try:
        return EthereumParams.model_validate(data)
    except ValidationError as exc:
        raise ParameterError([p if p.startswith("ethereum.") else "ethereum." + p for p in _problems(exc)]) from None


def scenario_with_rules(scenario: Scenario, rule_set: str | dict[str, object]) -> Scenario:
    """``scenario`` under a rule set: a label of :data:`RULE_SETS` or a dict of ``ethereum`` overrides.

    The scenario's other rule fields are reset to today's first, so a label means exactly that
    rule set (its fork date and curve constants kept from ``scenario``).
    """
    if isinstance(rule_set, str):
        if rule_set not in RULE_SETS:
            raise ParameterError([f"rule set {rule_set!r}: must be one of {', '.join(RULE_SETS)}"])
        overrides = dict(RULE_SETS[rule_set])
    else:
        overrides = dict(rule_set)
    today = EthereumParams()
    base = {f: getattr(today, f) for f in ("issuance_curve", "execution_burn", "seconds_per_slot",
                                           "exit_churn_rule", "correlated_penalties")}  # fmt: skip
    values = {f"ethereum.{k}": v for k, v in {**base, **overrides}.items()}
    unknown = sorted(set(overrides) - set(RULE_FIELDS))
    if unknown:
        raise ParameterError([f"rule override {unknown[0]!r}: must be one of {', '.join(RULE_FIELDS)}"])
    return scenario.override(**values)


def is_today(eth: EthereumParams) -> bool:
    """Whether ``eth`` runs today's rules (current curve, 12 s, no burns, Electra churn, no EIP-7716)."""
    return (
        eth.issuance_curve == "current"
        and eth.execution_burn == "none"
        and slot_rules(eth.seconds_per_slot).rule == "today"
        and eth.exit_churn_rule == "electra"
        and eth.correlated_penalties == "none"
    )


def describe_rules(eth: EthereumParams) -> str:
    """One short line naming ``eth``'s rules, e.g. ``"EIP-8363 burn, eMBER, 12 s slots"``."""
    parts: list[str] = []
    curve = {
        "current": "today's issuance",
        "eip8363": "EIP-8363 burn",
        "tempered": f"tempered issuance (k = {eth.issuance_tempering_k_eth / 1e6:.1f}M ETH)",
        "capped": f"capped issuance (D_c = {eth.issuance_cap_stake_eth / 1e6:.1f}M ETH)",
    }[eth.issuance_curve]
    parts.append(curve)
    if eth.execution_burn == "eip8375":
        parts.append("eMBER (1/3 of execution rewards burned)")
    slot = slot_rules(eth.seconds_per_slot)
    tag = {"today": "", "eip8198": " (EIP-8198)", "pr12217": " (PR #12217)"}[slot.rule]
    parts.append(f"{slot.slot_ms / 1000:g} s slots{tag}")
    parts.append("EIP-8061 exits" if eth.exit_churn_rule == "eip8061" else "Electra churn")
    if eth.correlated_penalties == "eip7716":
        parts.append("EIP-7716 penalties")
    if eth.issuance_curve != "current" or eth.execution_burn != "none":
        if eth.issuance_fork_date != 0:
            parts.append(f"fork on day {eth.issuance_fork_date:g}")
    return ", ".join(parts)
