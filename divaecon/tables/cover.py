"""The front of a report book: cover, inputs, the comparison's cover and the executive summary."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from divaecon import figures
from divaecon import formatting as fmt
from divaecon.params import Scenario
from divaecon.quote import Quote, quote
from divaecon.tables.history import history_result, history_summary_row
from divaecon.tables.network import simulation_note
from divaecon.tables.rules import rules_summary_row

# --- the front of a report book: cover and executive summary --------------------------------


def divaecon_version() -> str:
    """The installed divaecon's version ("unknown" when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("divaecon")
    except PackageNotFoundError:
        return "unknown"


def cover_markdown(
    scenario: Scenario,
    source: str = "",
    sha256: str = "",
    generated: str = "",
    version: str = "",
    title: str = "Diva Staking — scenario report",
) -> str:
    """The cover of a scenario's report book as Markdown: title, scenario name and description,
    date, divaecon version and the scenario file with its SHA-256.

    Every string from the scenario or the command line is shown literally
    (:func:`divaecon.formatting.markdown_literal`).
    """
    import datetime as dt

    lit = fmt.markdown_literal
    lines = [f"# {title}", "", f"## {lit(scenario.name)}", ""]
    if scenario.description:
        lines += [lit(scenario.description), ""]
    facts = [
        ("Generated", generated or dt.date.today().isoformat()),
        ("divaecon", version or divaecon_version()),
        ("Scenario file", source or "(none: the scenario was given as YAML text)"),
    ]
    if sha256:
        facts.append(("SHA-256 of the file", sha256))
    lines += ["| | |", "|---|---|"] + [f"| {k} | {lit(v)} |" for k, v in facts]
    return "\n".join(lines)


def scenario_inputs_markdown(scenario: Scenario) -> str:
    """One Markdown line of the inputs that move the summary's numbers most."""
    e, d = scenario.ethereum, scenario.diva
    text = (
        f"Inputs: {fmt.eth(e.total_staked_eth)} staked on Ethereum, {e.el_reward_per_block_eth:g} ETH "
        f"execution reward per block; Diva {d.threshold}-of-{d.key_shares_per_validator} key shares, "
        f"{d.collateral_per_key_share_eth:g} divETH collateral per key share, "
        f"{fmt.count(d.network_validators)} validators, operator fee {fmt.pct(d.operator_fee, 0)}, "
        f"node uptime {fmt.pct(d.operator_uptime, 1)}, failure correlation {d.failure_correlation:g}."
    )
    return fmt.markdown_literal(text)


def comparison_cover_markdown(
    scenarios: Sequence[Scenario],
    files: Sequence[tuple[str, str]] = (),
    left_out: Sequence[str] = (),
    generated: str = "",
    version: str = "",
) -> str:
    """The comparison's cover as Markdown: title, each scenario with its description and file
    (path and SHA-256), the scenarios left out, date and divaecon version; user text literal."""
    import datetime as dt

    lit = fmt.markdown_literal
    lines = [
        "# Diva Staking — scenario comparison",
        "",
        f"{len(scenarios)} scenario(s) side by side, one column or line each.",
        "",
        "| scenario | what it explores | file | SHA-256 |",
        "|---|---|---|---|",
    ]
    padded = list(files) + [("", "")] * (len(scenarios) - len(files))
    for s, (source, sha) in zip(scenarios, padded, strict=False):
        lines.append(
            f"| {lit(s.name)} | {lit(s.description or '–')} | {lit(source or '–')} | "
            f"{lit(sha[:16] + '…' if sha else '–')} |"
        )
    lines.append("")
    if left_out:
        lines += [
            f"Left out, because their reports failed: {', '.join(lit(n) for n in left_out)} "
            "(see the batch's index.html and the logs beside their reports).",
            "",
        ]
    lines += [
        "| | |",
        "|---|---|",
        f"| Generated | {lit(generated or dt.date.today().isoformat())} |",
        f"| divaecon | {lit(version or divaecon_version())} |",
    ]
    return "\n".join(lines)


def comparison_simulation_note(scenarios: Sequence[Scenario], seeds: int, days: int) -> str:
    """One Markdown paragraph on the comparison's simulation: seeds, horizon, what is random."""
    random = [s.name for s in scenarios if "Drawn at random" in simulation_note(s, 1, days)]
    text = (
        f"{seeds:,} Monte Carlo seed(s) per scenario over {days:,} days ({days / 365.25:.1f} years); "
        "median, with P5–P95 in brackets. "
    )
    if random:
        text += (
            f"Scenarios with random draws: {', '.join(random)} (their bands are narrow: over thousands of "
            "validators luck and outages average out)."
        )
    else:
        text += (
            "No scenario draws anything at random (proposer luck, outages and slashings are off), so the "
            "bands collapse to lines."
        )
    return fmt.markdown_literal(text)


SUMMARY_FIGURES: tuple[str, ...] = (
    "staker_apr",
    "operator_apr_queued",
    "operator_apr_assigned",
    "operator_reward_per_key_share_eth_per_year",
    "collateral_locked_eth",
    "validator_availability",
)
"""The key figures of a book's executive summary (keys of :data:`divaecon.figures.FIGURES`)."""

REQUIRED_COLLATERAL_FIGURE = "required_collateral_loss_probability_eth"
"""The risk model's figure the executive summary ends with: the collateral per key share the
scenario's loss-probability target needs (:func:`divaecon.risk.required_collateral_per_key_share`)."""


def _summary_sentences(scenario: Scenario, q: Quote) -> dict[str, str]:
    """One plain sentence per summary figure, its numbers taken from the scenario."""
    d = scenario.diva
    fees = [(d.operator_fee, "the operators"), (d.treasury_fee, "the treasury"), (d.insurance_fee, "insurance")]
    paid = ", ".join(f"{fmt.pct(f, 0)} to {who}" for f, who in fees if f > 0) or "no fees"
    avail = q.validator_availability
    hours = (1.0 - avail) * 365.25 * 24
    corr = (
        f", failing together with correlation {d.failure_correlation:g}"
        if d.failure_correlation > 0
        else ", failing independently"
    )
    return {
        "staker_apr": (
            f"What a divETH holder earns a year: the validators' gross {fmt.pct(q.gross_apr)} "
            f"less the rewards paid out ({paid})."
        ),
        "operator_apr_queued": (
            "What an operator's collateral earns while it waits for a validator: it is "
            "divETH, so it earns what stakers earn."
        ),
        "operator_apr_assigned": (
            f"What collateral earns once assigned to a validator: the staker rate plus the "
            f"operators' {fmt.pct(d.operator_fee, 0)} of the validator's rewards, shared by "
            f"{d.key_shares_per_validator} key shares of "
            f"{d.collateral_per_key_share_eth:g} divETH each."
        ),
        "operator_reward_per_key_share_eth_per_year": (
            f"ETH one key share earns its operator a year from the operator fee (before penalties), at any "
            f"network size; a node running {fmt.count(q.break_even_key_shares)} key shares covers its costs "
            f"of {fmt.usd(q.operator_cost_usd_per_year)} a year."
        ),
        "collateral_locked_eth": (
            f"divETH the operators of {fmt.count(d.network_validators)} validators lock: "
            f"{fmt.pct(q.collateral_ratio, 1)} of the ETH those validators stake."
        ),
        "validator_availability": (
            f"Share of the time a validator signs: at least {d.threshold} of its "
            f"{d.key_shares_per_validator} nodes up, each up {fmt.pct(d.operator_uptime, 1)} "
            f"of the time{corr}; about {hours:,.1f} hours of downtime a year."
        ),
    }


def _required_collateral_row(scenario: Scenario) -> tuple[str, str, str]:
    """The executive summary's last row: the collateral per key share the risk model requires."""
    from divaecon.risk import required_collateral_per_key_share
    from divaecon.sensitivity import required_collateral_band
    from divaecon.tables.sensitivity import collateral_ceiling, collateral_ceiling_note

    f = figures.get(REQUIRED_COLLATERAL_FIGURE)
    value = required_collateral_per_key_share(scenario)
    band = required_collateral_band(scenario)
    posted = scenario.diva.collateral_per_key_share_eth
    target = scenario.risk.target_loss_probability_per_year
    verdict = "less than" if posted < value else "at least"  # what is posted, against what is required
    return (
        f.label,
        f.text(value),
        f"Collateral per key share for stakers to bear a loss in at most one validator-year in "
        f"{1 / target:,.0f} (collateral risk model, its assumed event rates); the scenario posts "
        f"{posted:g} divETH, {verdict} that. P5–P95 over the assumptions: {f.text(band['p5'])} – "
        f"{f.text(band['p95'])} (every uncertain rate drawn from its spread; ASSUMPTIONS.md)"
        f"{collateral_ceiling_note(band, collateral_ceiling(scenario))}.",
    )


def executive_summary(scenario: Scenario) -> pd.DataFrame:
    """The handful of numbers that matter for a scenario, each with one plain sentence.

    Columns ``figure``, ``value``, ``what it means``; rows :data:`SUMMARY_FIGURES` (labels and
    formats from :mod:`divaecon.figures`), then the risk model's required collateral
    (:data:`REQUIRED_COLLATERAL_FIGURE`), the staker APR under EIP-8363
    (:func:`divaecon.tables.rules.rules_summary_row`, chapter 08) and the model's out-of-sample
    error against history
    (:func:`divaecon.tables.history.history_summary_row`; the backtest with the scenario's node
    uptimes, shared with chapter 07).
    """
    q = quote(scenario)
    sentences = _summary_sentences(scenario, q)
    rows = [(f.label, f.text(getattr(q, f.key)), sentences[f.key]) for f in figures.select(SUMMARY_FIGURES)]
    rows.append(_required_collateral_row(scenario))
    rows.append(rules_summary_row(scenario))
    rows.append(history_summary_row(history_result(scenario)))
    return pd.DataFrame(rows, columns=["figure", "value", "what it means"])
