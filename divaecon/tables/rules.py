"""Tables of chapter 08, "What Ethereum's next rules would do", and what the dashboard's rules
selector, the comparison's futures and the executive summary share.

Each rule set of :data:`divaecon.rules.RULE_SETS` is applied to the scenario alone
(:func:`rule_set_scenario`): only the ``ethereum`` fields that some rule set sets change, every
other input stays the scenario's, so each column is like for like with today's. The numbers come
from :func:`divaecon.quote.quote` and :func:`divaecon.quote.peer_table` (steady state: a curve
after its transition), the closed-form collateral solve of :mod:`divaecon.risk` and the curves
of :mod:`divaecon.rules`; this module only lays them out.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from divaecon import dvt, figures, protocol, rules
from divaecon import formatting as fmt
from divaecon.params import EthereumParams, Scenario
from divaecon.quote import Quote, peer_table, quote

# --- the rule sets ---------------------------------------------------------------------------

TODAY = next(iter(rules.RULE_SETS))
"""The rule set of today's Ethereum (the first of :data:`divaecon.rules.RULE_SETS`)."""

CURVES: tuple[str, ...] = ("current", "eip8363", "tempered", "capped")
"""The issuance curves, in the order of :data:`divaecon.rules.RULE_SETS`."""


def label_of(overrides: dict[str, Any]) -> str:
    """The label of the rule set of :data:`divaecon.rules.RULE_SETS` that sets exactly ``overrides``."""
    from divaecon.errors import DivaeconError

    for label, over in rules.RULE_SETS.items():
        if dict(over) == dict(overrides):
            return label
    raise DivaeconError(f"no rule set sets exactly {overrides!r}")


CURVE_LABELS: dict[str, str] = {
    "current": "Today's curve (cF / √D)",
    "eip8363": "EIP-8363 tapered burn",
    "tempered": "Tempered issuance (k = 2^25 ETH)",
    "capped": "Capped issuance (D_c = 2^24 ETH)",
}
"""How the issuance curves are named in figures and tables (as their rule sets are, with units)."""

# What each value of a rule field is, with its status and date as the parameters' sources
# (divaecon/params/ethereum.py, hence ASSUMPTIONS.md) give them: EIPS/eip-8363.md, eip-7716.md,
# eip-7773.md, EIP-8198; EIPs PRs #12130 (EIP-8375) and #12217 (slots); ethresear.ch t/18448,
# t/19171 and Elowsson's capped-curve note. Keyed by field and value, so any rule set is
# described from what it sets.
_RULE_NOTES: dict[tuple[str, Any], str] = {
    ("issuance_curve", "current"): "today's issuance: ideal yield cF/√D (consensus-specs altair)",
    ("issuance_curve", "eip8363"): (
        "EIP-8363 Tapered Issuance Burn (Draft, created 2026-07-14; proposed for Hegotá): burns "
        "min(1, (D / 60.25M ETH)^1.5) of consensus rewards, after an 18-month transition in which the "
        "base reward factor falls from 128 to 64"
    ),
    ("issuance_curve", "tempered"): (
        "Elowsson's tempered issuance (ethresear.ch t/18448 §5.5, t/19171 of 2024-04-01; research, not an EIP): "
        "yield cF / (√D (1 + D/k)), k = 2²⁵ ETH"
    ),
    ("issuance_curve", "capped"): (
        "Elowsson's capped issuance (notes.ethereum.org, research, not an EIP): today's curve up to "
        "D_c = 2²⁴ ETH, then constant total issuance"
    ),
    ("execution_burn", "none"): "execution rewards paid in full to the proposer",
    ("execution_burn", "eip8375"): (
        "EIP-8375 eMBER (EIPs PR #12130, open, 2026-08-07; proposed for Hegotá 2026-08-13): a third of priority "
        "fees and of builder payments burned"
    ),
    ("correlated_penalties", "none"): "attestation penalties as today",
    ("correlated_penalties", "eip7716"): (
        "EIP-7716 anti-correlation attestation penalties (Stagnant, created 2024-05-25; a Hegotá candidate): a missed "
        "attestation costs up to 4 × more when many miss together"
    ),
    ("exit_churn_rule", "electra"): "exit churn as today (Electra: ≤ 256 ETH an epoch)",
    ("exit_churn_rule", "eip8061"): (
        "EIP-8061 exit churn (Glamsterdam, EIPS/eip-7773.md, mainnet Q4 2026 with no date; in the Gloas "
        "draft specs): max(128 ETH, total / 32,768) an epoch, uncapped"
    ),
}
_SLOT_NOTES: dict[float, str] = {
    12.0: "12 s slots, as today",
    8.0: (
        "EIP-8198 Quick Slots (Draft, 2026-03-17; in no fork's list): 8 s slots with rescaled rewards "
        "(≈ 1.6 % less issuance a year), leak and churn"
    ),
    10.0: (
        "10 s slots (open EIPs PR #12217, 2026-08-20): rewards × 10/12 a slot, inactivity penalty × "
        "(10/12)², churn × 10/12"
    ),
}


def rule_fields() -> tuple[str, ...]:
    """The ``ethereum`` fields some rule set sets, in order of first appearance."""
    return tuple(dict.fromkeys(k for overrides in rules.RULE_SETS.values() for k in overrides))


def _rule_values(eth: EthereumParams) -> dict[str, Any]:
    return {k: getattr(eth, k) for k in rule_fields()}


@functools.lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    return _rule_values(EthereumParams())


def rule_set_overrides(label: str) -> dict[str, Any]:
    """Every rule field's value under the rule set ``label``: today's default, then the set's own.

    Applied to a scenario that already runs other rules (a future scenario file), "today" puts
    them back to today's. Unknown labels raise :class:`~divaecon.errors.DivaeconError`.
    """
    from divaecon.errors import DivaeconError

    if label not in rules.RULE_SETS:
        raise DivaeconError(f"rule set {label!r}: unknown; allowed: {', '.join(rules.RULE_SETS)}")
    return {**_defaults(), **rules.RULE_SETS[label]}


def rule_set_scenario(scenario: Scenario, label: str) -> Scenario:
    """``scenario`` under the rule set ``label`` (:func:`divaecon.rules.scenario_with_rules`: the
    other rule fields back to today's); every field no rule set touches is kept."""
    over = rule_set_overrides(label)
    if _rule_values(scenario.ethereum) == over:
        return scenario
    return rules.scenario_with_rules(scenario, label)


def scenario_rule_set(scenario: Scenario) -> str | None:
    """The label of the rule set ``scenario`` runs, or None when it matches none of them."""
    here = _rule_values(scenario.ethereum)
    return next((label for label in rules.RULE_SETS if rule_set_overrides(label) == here), None)


OWN_RULES = "this scenario's rules"
"""The column of a scenario whose rules match no rule set of :data:`divaecon.rules.RULE_SETS`."""


def rule_set_labels(scenario: Scenario) -> list[str]:
    """The columns of chapter 08: every rule set, and first the scenario's own rules when they
    are none of them."""
    labels = list(rules.RULE_SETS)
    return labels if scenario_rule_set(scenario) is not None else [OWN_RULES, *labels]


def _scenario_under(scenario: Scenario, label: str) -> Scenario:
    return scenario if label == OWN_RULES else rule_set_scenario(scenario, label)


def _pp(x: float, unit: bool = True) -> str:
    """A change in percentage points, two decimals; one that rounds to zero is shown as 0.00
    (never '-0.00')."""
    if fmt.missing(x):
        return "–"
    v = round(100.0 * float(x), 2)
    text = "0.00" if v == 0 else f"{v:+.2f}"
    return f"{text} pp" if unit else text


def _fmt_value(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


_SHORT: dict[tuple[tuple[str, Any], ...], str] = {
    (): "today",
    (("issuance_curve", "eip8363"),): "EIP-8363",
    (("issuance_curve", "tempered"),): "tempered",
    (("issuance_curve", "capped"),): "capped",
    (("seconds_per_slot", 8.0),): "8 s slots",
    (("seconds_per_slot", 10.0),): "10 s slots",
    (("execution_burn", "eip8375"),): "eMBER",
    (("execution_burn", "eip8375"), ("issuance_curve", "eip8363")): "EIP-8363 + eMBER",
    (("exit_churn_rule", "eip8061"),): "EIP-8061 exits",
    (("correlated_penalties", "eip7716"),): "EIP-7716",
}


def short_label(label: str) -> str:
    """A rule set named in a word or two, for the columns of a wide table (the label itself when
    no short name is known)."""
    if label == OWN_RULES:
        return "own rules"
    key = tuple(sorted(rules.RULE_SETS.get(label, {}).items()))
    return _SHORT.get(key, label)


def rule_note(field: str, value: Any) -> str:
    """What one rule field's value means, with its EIP, status and date."""
    if field == "seconds_per_slot":
        return _SLOT_NOTES.get(float(value), f"{float(value):g} s slots, rescaled as PR #12217's ratio rule")
    return _RULE_NOTES.get((field, value), f"{field} = {_fmt_value(value)}")


def rule_sets_table() -> pd.DataFrame:
    """Each rule set: what it sets (``ethereum`` fields) and what that is (EIP, status, date)."""
    rows = []
    for label, over in rules.RULE_SETS.items():
        sets = ", ".join(f"{k} = {_fmt_value(v)}" for k, v in over.items()) or "(the defaults)"
        notes = "; ".join(rule_note(k, v) for k, v in over.items()) or "Ethereum as it runs in 2026"
        rows.append({"rule set": label, "sets": sets, "what it is": notes})
    return pd.DataFrame(rows, columns=["rule set", "sets", "what it is"])


def like_for_like_markdown(scenario: Scenario) -> str:
    """What every rule set's column shares with today's, in a paragraph (numbers from the scenario)."""
    e, d = scenario.ethereum, scenario.diva
    basis = (
        f"every set-up on Diva's node uptime ({fmt.pct(d.operator_uptime, 1)})"
        if scenario.peers.same_node_uptime_for_all
        else "each peer on nodes of its kind"
    )
    own = scenario_rule_set(scenario)
    runs = f"runs the rule set “{own}”" if own is not None else "runs rules of its own (the first column)"
    text = (
        f"Like for like: each rule set changes Ethereum's rules only. Every column keeps this scenario's "
        f"{fmt.eth(e.total_staked_eth)} staked, its {e.el_reward_per_block_eth:g} ETH of execution reward per "
        f"block (before any burn), Diva's {d.threshold}-of-{d.key_shares_per_validator} key shares at "
        f"{d.collateral_per_key_share_eth:g} divETH each, its fees, costs and event rates, and {basis}. "
        f"The figures are steady states: a curve after its transition (the transition section below "
        f"walks EIP-8363's), at today's stake (where a curve would move the stake is the last section). "
        f"The scenario itself {runs}."
    )
    return fmt.markdown_literal(text)


# --- the figures under each rule set ---------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _required(scenario: Scenario) -> tuple[float, float]:
    """Collateral per key share each risk target needs (closed forms) [divETH]."""
    from divaecon.risk import closed_form, risk_model

    model = risk_model(scenario, quote(scenario))
    r = scenario.risk
    return (
        closed_form.required_collateral(model, target_loss_probability=r.target_loss_probability_per_year),
        closed_form.required_collateral(model, target_shortfall_apr=r.target_shortfall_apr),
    )


@functools.lru_cache(maxsize=64)
def _quoted(scenario: Scenario) -> tuple[Quote, pd.DataFrame]:
    q = quote(scenario)
    return q, peer_table(scenario, q)


def rule_set_results(scenario: Scenario) -> pd.DataFrame:
    """Diva's figures under each rule set (rows, in :func:`rule_set_labels` order), unformatted.

    Columns: ``rule_set`` and the :class:`~divaecon.quote.Quote` fields ``consensus_apr``,
    ``execution_apr``, ``gross_apr``, ``staker_apr``, ``operator_apr_queued``,
    ``operator_apr_assigned``, ``operator_reward_per_key_share_eth_per_year``,
    ``collateral_penalty_per_key_share_eth_per_year``, ``break_even_key_shares``,
    ``exit_wait_days``, then ``required_collateral_loss_probability_eth`` and
    ``required_collateral_shortfall_apr_eth`` (closed forms, :mod:`divaecon.risk`).
    """
    keys = (
        "consensus_apr",
        "execution_apr",
        "gross_apr",
        "staker_apr",
        "operator_apr_queued",
        "operator_apr_assigned",
        "operator_reward_per_key_share_eth_per_year",
        "collateral_penalty_per_key_share_eth_per_year",
        "break_even_key_shares",
        "exit_wait_days",
    )
    rows = []
    for label in rule_set_labels(scenario):
        s = _scenario_under(scenario, label)
        q, _ = _quoted(s)
        loss, shortfall = _required(s)
        rows.append(
            {
                "rule_set": label,
                **{k: getattr(q, k) for k in keys},
                "required_collateral_loss_probability_eth": loss,
                "required_collateral_shortfall_apr_eth": shortfall,
            }
        )
    return pd.DataFrame(rows)


def _header(label: str, scenario: Scenario) -> str:
    return f"{label} (this scenario)" if label == scenario_rule_set(scenario) else label


def diva_rules_table(scenario: Scenario) -> pd.DataFrame:
    """Diva under each rule set (rows): staker APR and its change against today's, operator APR
    on collateral (queued, assigned), operator reward per key share, break-even key shares."""
    r = rule_set_results(scenario)
    today = float(r.loc[r["rule_set"] == TODAY, "staker_apr"].iloc[0])
    f = figures.get
    return pd.DataFrame(
        {
            "rule set": [_header(x, scenario) for x in r["rule_set"]],
            "gross APR": r["gross_apr"].map(fmt.pct),
            "divETH staker APR": r["staker_apr"].map(fmt.pct),
            "against today": [_pp(x - today) for x in r["staker_apr"]],
            "operator APR, queued": r["operator_apr_queued"].map(fmt.pct),
            "operator APR, assigned": r["operator_apr_assigned"].map(fmt.pct),
            "reward per key share [ETH/year]": r["operator_reward_per_key_share_eth_per_year"].map(
                lambda x: fmt.number(x, 5)
            ),
            "break-even key shares per node": r["break_even_key_shares"].map(f("break_even_key_shares").text),
        }
    )


def collateral_rules_table(scenario: Scenario) -> pd.DataFrame:
    """Under each rule set (rows): the collateral per key share each risk target needs (closed
    forms, the scenario's event rates), the penalties a key share's collateral covers a year and
    the wait for an exit."""
    r = rule_set_results(scenario)
    rk = scenario.risk
    loss = figures.get("required_collateral_loss_probability_eth")
    short = figures.get("required_collateral_shortfall_apr_eth")
    return pd.DataFrame(
        {
            "rule set": [_header(x, scenario) for x in r["rule_set"]],
            f"collateral for P(loss) ≤ 1 in {1 / rk.target_loss_probability_per_year:,.0f}": r[
                "required_collateral_loss_probability_eth"
            ].map(loss.text),
            f"collateral for shortfall ≤ {fmt.pct(rk.target_shortfall_apr, 3)}/year": r[
                "required_collateral_shortfall_apr_eth"
            ].map(short.text),
            "penalties per key share [gwei/year]": r["collateral_penalty_per_key_share_eth_per_year"].map(
                lambda x: fmt.count(x * 1e9)  # 1 ETH = 1e9 gwei
            ),
            "exit wait [days]": r["exit_wait_days"].map(lambda x: fmt.number(x, 1)),
        }
    )


def eip7716_markdown(scenario: Scenario, fractions: Sequence[float] = (0.01, 0.1, 0.3)) -> str:
    """What EIP-7716 would do to an outage's penalties (:func:`divaecon.rules.correlated_penalty_multiplier`,
    a day-long outage of each share of the network's stake), and why the collateral figures above
    hardly move: the risk model (:func:`divaecon.rules.offline_loss_eth_per_day`) applies the factor
    to the attestation penalties of each outage outside a leak, where over an outage of days it is
    close to 1, and leaves the leak, which sets the required collateral, as it is."""
    eth = rule_set_scenario(scenario, label_of({"correlated_penalties": "eip7716"})).ethereum
    parts = [
        f"× {float(rules.correlated_penalty_multiplier(eth, f, 1.0)):.3f} when {fmt.pct(f, 0)} of the stake is offline"
        for f in fractions
    ]
    text = (
        "EIP-7716 hardly moves the figures above: the collateral risk model applies its penalty factor to "
        "the attestation penalties of each outage outside an inactivity leak (the event's share of operators "
        "taken as the share of the network offline), and over an outage of days the factor is close to 1; "
        "the leak that sets the required collateral is left as it is. The factor over a day-long outage "
        "(EIPS/eip-7716.md, per slot): "
        + ", ".join(parts)
        + " — small while the outage is a small share of the network, as an outage of Diva's validators alone is."
    )
    return fmt.markdown_literal(text)


def peers_rules_table(scenario: Scenario, column: str = "staker_apr") -> pd.DataFrame:
    """Every set-up (rows: Diva, then each peer of :func:`~divaecon.quote.peer_table`) under each
    rule set (columns): ``column`` is ``"staker_apr"`` or ``"operator_apr"`` (on the operator's own
    capital; set-ups whose operators put up none are left out). Today's column is the APR; every
    other column its change against today's in percentage points (``-1.10``); columns named by
    :func:`short_label`, so the table fits a page's width."""
    if column not in ("staker_apr", "operator_apr"):
        from divaecon.errors import DivaeconError

        raise DivaeconError(f"column {column!r}: allowed: staker_apr, operator_apr")
    values = {
        label: _quoted(_scenario_under(scenario, label))[1].set_index("name")[column]
        for label in rule_set_labels(scenario)
    }
    today = values[TODAY]
    keep = today.notna()
    cols: dict[str, pd.Series] = {}
    own = scenario_rule_set(scenario)
    for label, v in values.items():
        head = short_label(label) + (" (this scenario)" if label == own else "")
        if label == TODAY:
            cols[head] = v[keep].map(fmt.pct)
        else:
            cols[head + " [pp]"] = (v[keep] - today[keep]).map(lambda x: _pp(x, unit=False))
    return pd.DataFrame(cols).rename_axis("set-up").reset_index()


# --- curves: yield against stake, the transition, the stake at the alternative rate ---------


def curve_scenario(scenario: Scenario, curve: str) -> Scenario:
    """``scenario`` with issuance curve ``curve`` and every other rule as the scenario's."""
    if scenario.ethereum.issuance_curve == curve:
        return scenario
    return scenario.override(**{"ethereum.issuance_curve": curve})


def stake_at_alternative_table(scenario: Scenario) -> pd.DataFrame:
    """Under each issuance curve: the stake at which staking pays ``ethereum.staking_alternative_rate``
    (:func:`divaecon.rules.stake_at_yield`), against the scenario's stake, and the staking yield
    at the scenario's stake (consensus, net of any burn, plus execution)."""
    e = scenario.ethereum
    rate = e.staking_alternative_rate
    rows = []
    for curve in CURVES:
        eth = curve_scenario(scenario, curve).ethereum
        d = float(rules.stake_at_yield(rate, eth))
        y_now = staking_yield(e.total_staked_eth, eth)
        rows.append(
            {
                "issuance curve": CURVE_LABELS[curve],
                f"staking yield at {_m_eth(e.total_staked_eth)}": fmt.pct(float(y_now)),
                f"stake where it pays {fmt.pct(rate)}": "–" if not np.isfinite(d) else _m_eth(d),
                "against today's stake": "–" if not np.isfinite(d) else f"{(d - e.total_staked_eth) / 1e6:+,.1f}M ETH",
            }
        )
    return pd.DataFrame(rows)


def _m_eth(x: float) -> str:
    return f"{x / 1e6:,.1f}M ETH"


def alternative_rate_markdown(scenario: Scenario) -> str:
    """The paragraph beside :func:`stake_at_alternative_table`: the rate and its source, as the
    parameter states it (``ethereum.staking_alternative_rate``, ASSUMPTIONS.md)."""
    field = EthereumParams.model_fields["staking_alternative_rate"]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    rate = scenario.ethereum.staking_alternative_rate
    default = field.default
    whose = "the default" if rate == default else f"this scenario's (the default is {fmt.pct(float(default))})"
    text = (
        f"The alternative rate is {fmt.pct(rate)}, {whose}; its source: {extra.get('source', '–')}. "
        "The stake found is where the yield and the rate meet on each curve, not a forecast of when it gets there."
    )
    return fmt.markdown_literal(text)


def staking_yield(total_staked_eth: Any, eth: EthereumParams) -> Any:
    """What an ideal validator earns per ETH a year, steady state [fraction/year]:
    :func:`divaecon.rules.staking_yield` (consensus net of any burn, plus the execution reward it
    keeps)."""
    return rules.staking_yield(total_staked_eth, eth)


def transition_path(scenario: Scenario, months: int | None = None) -> pd.DataFrame:
    """EIP-8363's transition month by month at the scenario's stake (the other rules as the
    scenario's): :func:`divaecon.rules.transition_path` (``month`` since the fork,
    ``epochs_since_fork``, ``base_reward_factor``, ``consensus_yield`` net of the burn, ...), with
    ``staking_yield`` (plus :func:`divaecon.rules.execution_yield`) of an ideal validator and
    ``diva_staker_apr`` (a Diva validator at its availability, less the fees:
    :func:`divaecon.rules.consensus_apr`, :func:`divaecon.protocol.staker_apr`); ``months``
    defaults to the transition and six more."""
    from divaecon import ethereum

    eth = curve_scenario(scenario, "eip8363").ethereum
    per_month = float(ethereum.epochs_per_day(eth.seconds_per_slot)) * 365.25 / 12
    duration = 123_300  # TRANSITION_DURATION_EPOCHS, EIPS/eip-8363.md "Parameters"
    n = int(np.ceil(duration / per_month)) + 6 if months is None else int(months)
    path = pd.DataFrame(rules.transition_path(eth, months=n + 1))
    epochs = path["epochs_since_fork"].to_numpy()
    d = eth.total_staked_eth
    path["staking_yield"] = path["consensus_yield"] + float(rules.execution_yield(d, eth))
    # Diva's validator at each epoch: the quote's composition (divaecon.quote.quote) with the
    # consensus APR of that epoch of the transition
    dv = scenario.diva
    avail = dvt.availability(dv.key_shares_per_validator, dv.threshold, dv.operator_uptime, dv.failure_correlation)
    gross = np.asarray(rules.consensus_apr(d, avail, eth.network_participation, eth, epochs), dtype=float)
    gross = gross + float(rules.execution_apr(d, avail, eth))
    staker = protocol.staker_apr(gross, dv.operator_fee, dv.treasury_fee, dv.insurance_fee, dv.buffered_fraction)
    path["diva_staker_apr"] = np.asarray(staker, dtype=float)
    return path


def transition_table(scenario: Scenario, every: int = 3) -> pd.DataFrame:
    """:func:`transition_path` every ``every`` months (and its last), formatted: the ideal
    validator's yields and Diva's staker APR, each against today's rules."""
    path = transition_path(scenario)
    today = float(staking_yield(scenario.ethereum.total_staked_eth, rule_set_scenario(scenario, TODAY).ethereum))
    diva_today, _ = _quoted(rule_set_scenario(scenario, TODAY))
    rows = path[(path["month"] % every == 0) | (path["month"] == path["month"].max())]
    return pd.DataFrame(
        {
            "month since the fork": rows["month"].map(str),
            "epochs since the fork": rows["epochs_since_fork"].map(fmt.count),
            "base reward factor": rows["base_reward_factor"].map(lambda x: f"{x:g}"),
            "consensus, net of burn": rows["consensus_yield"].map(fmt.pct),
            "staking yield": rows["staking_yield"].map(fmt.pct),
            "staking yield against today's": [_pp(x - today) for x in rows["staking_yield"]],
            "divETH staker APR": rows["diva_staker_apr"].map(fmt.pct),
            "staker APR against today's": [_pp(x - diva_today.staker_apr) for x in rows["diva_staker_apr"]],
        }
    )


# --- one line for the executive summary; the futures for the comparison ---------------------

SUMMARY_RULES: dict[str, Any] = {"issuance_curve": "eip8363"}
"""What the rule set the executive summary's line is about sets: EIP-8363, Hegotá's proposed
issuance burn."""


def rules_summary_row(scenario: Scenario) -> tuple[str, str, str]:
    """The executive summary's line on Ethereum's next rules: the divETH staker APR under
    :data:`SUMMARY_RULES` (steady state) against today's rules."""
    label = label_of(SUMMARY_RULES)
    now, _ = _quoted(rule_set_scenario(scenario, TODAY))
    then, _ = _quoted(rule_set_scenario(scenario, label))
    f = figures.get("staker_apr")
    return (
        "divETH staker APR under EIP-8363",
        f.text(then.staker_apr),
        f"Hegotá's proposed issuance burn, after its transition, at {_m_eth(scenario.ethereum.total_staked_eth)} "
        f"staked: {_pp(then.staker_apr - now.staker_apr)} against today's rules. Chapter 08 has every rule set.",
    )


def futures_comparison(scenarios: Sequence[Scenario], base: Scenario | None = None) -> pd.DataFrame:
    """Diva's key figures in each future scenario (columns, after ``base`` under today's rules,
    the futures in the order of their rule sets in :data:`divaecon.rules.RULE_SETS`), a row per
    figure and last the rule set each runs; cheap: quotes and the closed-form collateral solve,
    no simulation or Monte Carlo."""
    order = list(rules.RULE_SETS)

    def rank(s: Scenario) -> tuple[int, str]:
        label = scenario_rule_set(s)
        return (order.index(label) if label in order else len(order), s.name)

    columns = ([rule_set_scenario(base, TODAY)] if base is not None else []) + sorted(scenarios, key=rank)
    keys = ("gross_apr", "staker_apr", "operator_apr_assigned", "operator_reward_per_key_share_eth_per_year")
    extra = (
        "break_even_key_shares",
        "required_collateral_loss_probability_eth",
        "required_collateral_shortfall_apr_eth",
    )
    labels = [figures.get(k).label for k in (*keys, *extra)] + ["Ethereum's rules (chapter 08's rule set)"]
    out: dict[str, list[str]] = {}
    for s in columns:
        q, _ = _quoted(s)
        loss, short = _required(s)
        values = [figures.get(k).text(getattr(q, k)) for k in keys]
        values += [
            figures.get(extra[0]).text(q.break_even_key_shares),
            figures.get(extra[1]).text(loss),
            figures.get(extra[2]).text(short),
            scenario_rule_set(s) or OWN_RULES,
        ]
        out[s.name] = values
    return pd.DataFrame(out, index=labels)
