"""What every section of a scenario shares: :func:`param` (a field with unit and source), the
frozen base class :class:`_Params`, the registry :data:`SECTIONS`, and the sanity limits its
validator checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


def param(
    default: Any,
    unit: str,
    source: str,
    description: str,
    uncertainty: dict[str, Any] | None = None,
    **constraints: Any,
) -> Any:
    """A documented parameter: default, unit, source, description and allowed range; ``uncertainty``
    (a :func:`divaecon.params._spread.spread`) says how well the default is known."""
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if uncertainty is not None:
        extra["uncertainty"] = uncertainty
    return Field(
        default,
        description=description,
        json_schema_extra=extra,
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


SECTIONS: dict[str, type[_Params]] = {}
"""Each section of a scenario file and its class, in file order (``ethereum``, ``diva``, ``costs``,
``peers``, ``simulation``, ``risk``). Filled by :mod:`divaecon.params.scenario` once every
section's class is defined (the sections' modules import this one, so it cannot import them);
:func:`limit_problems` reads it when a section is validated, which is after the filling."""


# -- sanity limits ------------------------------------------------------------------------------
# Bounds beyond each field's own range that keep every figure finite and every input physically
# possible (found by property tests over the validated ranges: tests/test_hostile.py). They are
# checked by the validator of :class:`_Params`, after each field's own range.

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
    "simulation.deposit_cap_eth": (0.0, ETH_IN_EXISTENCE_LIMIT, "ETH; 0 for no cap"),
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


def _format_value(value: Any) -> str:
    from divaecon.safeyaml import excerpt

    return excerpt(value)
