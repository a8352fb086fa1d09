"""One registry of the key figures the workbook shows: key, label, unit and format of each.

"Figure" here is a number a reader looks up (a key figure such as the staker APR), not a
chart; charts are in :mod:`divaecon.plotting`. Every place that shows a figure — the CLI's
quote table and ``--json`` keys, the dashboard's key-figures table, the reports' and notebooks'
tables (:mod:`divaecon.tables`), the simulation summary — takes its label and format from
here, so a label is written once and every view agrees.

Three groups:

- :data:`QUOTE_FIGURES`: one entry per number of :class:`divaecon.quote.Quote` (the key is
  the field's name, the unit the one its docstring gives);
- :data:`SIMULATION_FIGURES`: the per-run metrics of the simulation summary
  (``SimulationResult.summary`` columns);
- :data:`RISK_FIGURES`: the collateral-risk figures of :func:`divaecon.risk.risk_report`
  (loss distribution, shortfall, risk-adjusted yields, required collateral).

Units: ``unit`` is the unit of the raw number (as a quote field, a JSON value or a summary
column holds it; rates are fractions per year). What a reader sees keeps the unit visible:
either the formatted text carries it (``3.12 %``, ``21,504 divETH``, ``$933/year``) or the
label does, in brackets (``Queue wait, mean [days]``) or in words (``… key shares per node``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from divaecon import formatting as fmt
from divaecon.errors import DivaeconError


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """One figure: how it is named, in what unit it is held and how it is shown."""

    key: str
    """Field of :class:`~divaecon.quote.Quote`, column of the simulation summary, JSON key."""

    label: str
    """What a reader sees beside the value; carries the unit in brackets when the formatted
    value does not show it."""

    unit: str
    """Unit of the raw value, e.g. ``fraction/year``, ``ETH/year``, ``divETH``, ``days``."""

    format: Callable[[Any], str]
    """Raw value → text as readers expect it (``0.03124 → '3.12 %'``)."""

    def text(self, value: Any) -> str:
        """The formatted value; '–' when it is missing (None or NaN)."""
        return "–" if fmt.missing(value) else self.format(value)


def _pct(digits: int = 2) -> Callable[[Any], str]:
    return lambda x: fmt.pct(x, digits)


def _eth_per_year(x: Any) -> str:
    return fmt.eth(x, 5) + "/year"


def _diveth(x: Any) -> str:
    return fmt.eth(x, unit="divETH")


def _usd_per_year(x: Any) -> str:
    return fmt.usd(x) + "/year"


def _number(digits: int) -> Callable[[Any], str]:
    return lambda x: fmt.number(x, digits)


QUOTE_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("total_staked_eth", "Total ETH staked", "ETH", fmt.eth),
    KeyFigure("ideal_consensus_apr", "Ideal consensus APR (spec; ≈ 166.3 / √staked)", "fraction/year", _pct()),
    KeyFigure("consensus_apr", "Consensus APR (Diva validator)", "fraction/year", _pct()),
    KeyFigure("execution_apr", "Execution APR (fees + MEV)", "fraction/year", _pct()),
    KeyFigure("gross_apr", "Gross APR (Diva validator)", "fraction/year", _pct()),
    KeyFigure("staker_apr", "divETH staker APR", "fraction/year", _pct()),
    KeyFigure("operator_apr_queued", "Operator APR on collateral, queued", "fraction/year", _pct()),
    KeyFigure("operator_apr_assigned", "Operator APR on collateral, assigned", "fraction/year", _pct()),
    KeyFigure("operator_reward_per_key_share_eth_per_year", "Operator reward per key share", "ETH/year", _eth_per_year),
    KeyFigure(
        "collateral_penalty_per_key_share_eth_per_year", "Expected penalty per key share", "ETH/year", _eth_per_year
    ),
    KeyFigure(
        "operator_net_reward_per_key_share_eth_per_year", "Operator net reward per key share", "ETH/year", _eth_per_year
    ),
    KeyFigure("validator_availability", "Validator availability", "fraction", fmt.prob),
    KeyFigure("collateral_locked_eth", "Collateral locked", "divETH", _diveth),
    KeyFigure("collateral_ratio", "Collateral ratio (of stake)", "fraction", _pct(1)),
    KeyFigure("network_validators", "Network size [validators]", "validators", fmt.count),
    KeyFigure("operator_cost_usd_per_year", "Operator cost per node", "USD/year", _usd_per_year),
    KeyFigure("break_even_key_shares", "Break-even key shares per node", "key shares", fmt.count),
    KeyFigure("entry_queue_wait_days", "Ethereum entry queue, wait [days]", "days", _number(1)),
    KeyFigure("activation_wait_days", "New Diva validator, wait to activate [days]", "days", _number(1)),
    KeyFigure("exit_wait_days", "Exit, wait until the ETH is back [days]", "days", _number(1)),
    KeyFigure("staker_apr_growing", "divETH staker APR, pool growing (entry-queue drag)", "fraction/year", _pct()),
)
"""Every number of a :class:`~divaecon.quote.Quote`, in reading order."""

SIMULATION_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("staker_apy", "divETH staker APY (realised)", "fraction/year", _pct()),
    KeyFigure("operator_apy_queued", "Operator APY on collateral, queued (time-weighted)", "fraction/year", _pct()),
    KeyFigure("operator_apy_assigned", "Operator APY on collateral, assigned (time-weighted)", "fraction/year", _pct()),
    KeyFigure("cash_drag", "Cash drag (share of divETH not staked)", "fraction", _pct(3)),
    KeyFigure("queue_wait_mean_days", "Queue wait, mean [days]", "days", _number(1)),
    KeyFigure("queue_wait_p95_days", "Queue wait, P95 [days]", "days", _number(1)),
    # Plain numbers, unit in the label: with P5–P95 brackets a unit would repeat three times.
    KeyFigure("peak_collateral_locked_eth", "Peak collateral locked [divETH]", "divETH", _number(0)),
    KeyFigure("final_active_validators", "Active validators at the end", "validators", fmt.count),
    KeyFigure("final_diveth_supply", "divETH supply at the end [divETH]", "divETH", _number(0)),
    KeyFigure("wdiveth_rate", "wdivETH rate at the end [divETH per wdivETH]", "divETH/wdivETH", _number(4)),
    KeyFigure("refused_deposits_eth", "Staker deposits refused at the buffer's cap, in all [ETH]", "ETH", _number(0)),
)
"""The simulation summary's metrics (one value per scenario and seed), in reading order."""


def _rare(x: Any) -> str:
    """A small probability per validator-year: ``0.001067 → '0.107 % (1 in 937)'``."""
    v = float(x)
    if v <= 0:
        return "0 %"
    return f"{100.0 * v:.3g} % (1 in {1.0 / v:,.0f})"


def _small_pct(x: Any) -> str:
    """A small rate with three significant digits: ``0.000286 → '0.0286 %'``."""
    return f"{100.0 * float(x):.3g} %"


def _eth_small(x: Any) -> str:
    return fmt.eth(x, 4)


def _divething(x: Any) -> str:
    return "∞" if float(x) == float("inf") else f"{float(x):,.3f} divETH"


RISK_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("mean_loss_eth_per_validator_year", "Mean loss per validator-year", "ETH", _eth_small),
    KeyFigure("loss_p99_eth", "Loss per validator-year, P99", "ETH", _eth_small),
    KeyFigure("loss_p999_eth", "Loss per validator-year, P99.9", "ETH", _eth_small),
    KeyFigure("key_share_loss_p999_eth", "Loss charged to one key share, P99.9", "ETH", _eth_small),
    KeyFigure(
        "key_share_loss_exceeds_collateral_probability",
        "P(a key share's yearly charge exceeds its collateral)",
        "fraction",
        _rare,
    ),
    KeyFigure(
        "shortfall_probability_per_validator_year", "P(stakers bear a loss) per validator-year", "fraction", _rare
    ),
    KeyFigure(
        "expected_shortfall_eth_per_validator_year",
        "Expected shortfall to stakers per validator-year",
        "ETH",
        _eth_small,
    ),
    KeyFigure(
        "shortfall_eth_per_eth_staked",
        "Expected shortfall per ETH staked [ETH/year per ETH]",
        "ETH/year per ETH",
        lambda x: f"{float(x):.3g}",
    ),
    KeyFigure("shortfall_apr", "Expected shortfall, APR cost to divETH", "fraction/year", _small_pct),
    KeyFigure("staker_apr_net", "divETH staker APR net of expected shortfall", "fraction/year", _pct(3)),
    KeyFigure("operator_apr_net", "Operator APR on collateral net of expected losses", "fraction/year", _pct(3)),
    KeyFigure(
        "required_collateral_loss_probability_eth",
        "Collateral per key share for the loss-probability target",
        "divETH",
        _divething,
    ),
    KeyFigure(
        "required_collateral_shortfall_apr_eth",
        "Collateral per key share for the shortfall target",
        "divETH",
        _divething,
    ),
)
"""The collateral-risk figures (:mod:`divaecon.risk`), per validator-year unless the label says."""

FIGURES: Mapping[str, KeyFigure] = MappingProxyType(
    {f.key: f for f in QUOTE_FIGURES + SIMULATION_FIGURES + RISK_FIGURES}
)
"""Every registered figure by key."""


def get(key: str) -> KeyFigure:
    """The figure registered under ``key``; an unknown key raises :class:`DivaeconError`."""
    try:
        return FIGURES[key]
    except KeyError:
        raise DivaeconError(f"key figure {key!r}: unknown; known: {', '.join(FIGURES)}") from None


def select(keys: Iterable[str]) -> tuple[KeyFigure, ...]:
    """The figures for ``keys``, in the order given (each key checked)."""
    return tuple(get(k) for k in keys)


def label(key: str) -> str:
    """The label of the figure ``key``."""
    return get(key).label


def text(key: str, value: Any) -> str:
    """``value`` formatted as the figure ``key`` is shown."""
    return get(key).text(value)
