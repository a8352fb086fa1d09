"""Formatted tables and the lines of text beside them: one module for every view.

Notebooks, the reports (:mod:`divaecon.reports`), the CLI and the dashboard build their tables
here. Numbers come from the model (:mod:`divaecon.quote` and the pure functions), labels and
formats of key figures from the registry :mod:`divaecon.figures`, other formats from
:mod:`divaecon.formatting`; every cell is a string as a reader expects it (3.12 %, 21,504 ETH).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from divaecon import dvt, ethereum, figures, protocol
from divaecon import formatting as fmt
from divaecon.figures import KeyFigure
from divaecon.params import Scenario
from divaecon.quote import Quote, operator_apr_assigned_at, peer_table, quote

# --- key figures of a quote -------------------------------------------------------------------

REPORT_KEY_FIGURES: tuple[str, ...] = (
    "total_staked_eth",
    "ideal_consensus_apr",
    "consensus_apr",
    "execution_apr",
    "gross_apr",
    "staker_apr",
    "staker_apr_growing",
    "operator_apr_queued",
    "operator_apr_assigned",
    "operator_reward_per_key_share_eth_per_year",
    "validator_availability",
    "network_validators",
    "collateral_locked_eth",
    "collateral_ratio",
    "activation_wait_days",
    "exit_wait_days",
    "operator_cost_usd_per_year",
    "break_even_key_shares",
)
"""The key figures the reports show by default (keys of :data:`divaecon.figures.FIGURES`)."""

CLI_KEY_FIGURES: tuple[str, ...] = (
    "consensus_apr",
    "execution_apr",
    "gross_apr",
    "staker_apr",
    "staker_apr_growing",
    "operator_apr_queued",
    "operator_apr_assigned",
    "operator_reward_per_key_share_eth_per_year",
    "validator_availability",
    "collateral_locked_eth",
    "collateral_ratio",
    "entry_queue_wait_days",
    "activation_wait_days",
    "exit_wait_days",
    "operator_cost_usd_per_year",
    "break_even_key_shares",
)
"""The key figures of ``divaecon quote``'s table (the scenario's inputs head it)."""


def quote_rows(q: Quote, keys: Iterable[str]) -> list[tuple[KeyFigure, str]]:
    """Each figure of ``keys`` with its value in ``q`` formatted; unknown keys are refused."""
    return [(f, f.text(getattr(q, f.key))) for f in figures.select(keys)]


def key_figures_table(scenario: Scenario, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Key figures of one scenario as a two-column table (``figure``, ``value``) of formatted values."""
    table = key_figures_comparison([scenario], keys)
    return table.rename(columns={scenario.name: "value"}).rename_axis("figure").reset_index()


def key_figures_comparison(scenarios: Sequence[Scenario], keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Key figures (rows, labelled) of each scenario (columns), formatted for readers.

    ``keys`` (default :data:`REPORT_KEY_FIGURES`) in the order given.
    """
    chosen = figures.select(REPORT_KEY_FIGURES if keys is None else keys)
    data = {}
    for s in scenarios:
        q = quote(s)
        data[s.name] = [f.text(getattr(q, f.key)) for f in chosen]
    return pd.DataFrame(data, index=[f.label for f in chosen])


def quote_text(scenario: Scenario) -> str:
    """The readable quote of ``divaecon quote``: the inputs, key figures, then Diva beside its peers."""
    q = quote(scenario)
    table = peer_table(scenario, q)
    d = scenario.diva
    lines = [
        f"Scenario: {scenario.name}" + (f" — {scenario.description}" if scenario.description else ""),
        f"Ethereum: {fmt.eth(scenario.ethereum.total_staked_eth)} staked, "
        f"{scenario.ethereum.el_reward_per_block_eth:g} ETH execution reward per block",
        f"Diva: {d.threshold}/{d.key_shares_per_validator} key shares, "
        f"{d.collateral_per_key_share_eth:g} divETH collateral per key share, "
        f"{fmt.count(d.network_validators)} validators, operator uptime {fmt.pct(d.operator_uptime, 1)}, "
        f"failure correlation {d.failure_correlation:g}",
        f"Queues: {fmt.eth(scenario.ethereum.entry_queue_eth)} in Ethereum's entry queue, "
        f"{fmt.eth(scenario.ethereum.exit_queue_eth)} in its exit queue; "
        f"{'two deposits (1 + 31 ETH)' if d.two_step_deposit else 'one deposit'} per validator; "
        f"the growing pool grows {fmt.pct(d.pool_growth_rate_per_year, 0)} a year",
        "",
    ]
    rows = quote_rows(q, CLI_KEY_FIGURES)
    width = max(len(f.label) for f, _ in rows)
    lines += [f"  {f.label:<{width}}  {value:>18}" for f, value in rows]
    lines += ["", "Diva and its peers (" + node_uptime_basis(scenario) + "):"]
    width = max(32, *(len(str(n)) for n in table["name"]))
    header = (
        f"  {'set-up':<{width}} {'staker APR':>10} {'operator APR':>12} {'capital':>10} {'faults':>6} "
        f"{'node uptime':>11} {'availability':>12}"
    )
    lines.append(header)
    for row in table.itertuples():
        lines.append(
            f"  {row.name:<{width}} {fmt.pct(row.staker_apr):>10} {fmt.pct(row.operator_apr):>12} "
            f"{fmt.eth(row.capital_eth, 2):>10} {row.faults_tolerated:>6} {fmt.pct(row.node_uptime, 1):>11} "
            f"{fmt.prob(row.availability):>12}"
        )
    notes = published_notes(table)
    if notes:
        lines += ["", "Staker APR against the published figure:"]
        lines += [f"  {name}: {note}" for name, note in notes]
    lines.append("")
    lines.append("Rates are simple APRs. Sources and defaults: ASSUMPTIONS.md.")
    return "\n".join(lines)


# --- scenarios side by side -------------------------------------------------------------------


def _flatten(scenario: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, values in scenario.model_dump(mode="json").items():
        if isinstance(values, dict):
            for k, v in values.items():
                out[f"{section}.{k}"] = v
    return out


def _fmt_param(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"
    if isinstance(v, list | tuple):
        return ", ".join(_fmt_param(x) for x in v)
    return str(v)


def parameter_differences(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """The parameters whose values differ between scenarios (rows), a column per scenario."""
    flat = [_flatten(s) for s in scenarios]
    names = [k for k in flat[0] if len({repr(f.get(k)) for f in flat}) > 1] if len(flat) > 1 else []
    return pd.DataFrame(
        {s.name: [_fmt_param(f.get(k)) for k in names] for s, f in zip(scenarios, flat, strict=True)}, index=names
    )


def node_uptime_basis(scenario: Scenario) -> str:
    """Which node uptime the peer comparison of ``scenario`` runs on, in words."""
    if scenario.peers.same_node_uptime_for_all:
        return f"like for like: every set-up on Diva's node uptime, {fmt.pct(scenario.diva.operator_uptime, 1)}"
    return "each set-up on nodes of its kind; --same-node-uptime for like for like"


def published_notes(table: pd.DataFrame) -> list[tuple[str, str]]:
    """``(set-up, note)`` for each peer whose protocol published a staker APR (``vs_published``)."""
    return [
        (str(n), str(v))
        for n, v in zip(table["name"], table["vs_published"], strict=True)
        if v and not str(n).startswith("Diva")
    ]


def peer_notes_markdown(scenarios: Sequence[Scenario]) -> str:
    """Markdown list: which node uptime each scenario's peers run on, and each peer's staker APR
    against the one its protocol published (scenario names shown literally)."""
    lit = fmt.markdown_literal
    items = []
    for s in scenarios:
        items.append(f"- {lit(s.name)}: {lit(node_uptime_basis(s))}.")
        for name, note in published_notes(peer_table(s)):
            items.append(f"- {lit(s.name)}, {lit(name)}: {lit(note)}.")
    return "Node uptime and published figures:\n\n" + "\n".join(items)


def like_for_like_table(scenario: Scenario) -> pd.DataFrame:
    """Each set-up's staker APR on nodes of its kind and on Diva's node uptime (like for like).

    Columns: ``set-up``, ``node uptime`` (of its kind), ``staker APR``, ``staker APR, like for
    like`` (every set-up at ``diva.operator_uptime``), ``difference`` [percentage points].
    """
    own = peer_table(scenario.override(same_node_uptime_for_all=False))
    same = peer_table(scenario.override(same_node_uptime_for_all=True))
    diff = (same["staker_apr"] - own["staker_apr"]) * 100
    return pd.DataFrame(
        {
            "set-up": own["name"],
            "node uptime": own["node_uptime"].map(lambda x: fmt.pct(x, 1)),
            "staker APR": own["staker_apr"].map(fmt.pct),
            f"staker APR, all at {fmt.pct(scenario.diva.operator_uptime, 1)}": same["staker_apr"].map(fmt.pct),
            "difference": [f"{d:+.2f} pp" for d in diff],
        }
    )


def peer_comparison(scenarios: Sequence[Scenario]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Staker APR and operator APR of each set-up (rows) in each scenario (columns)."""
    staker: dict[str, pd.Series] = {}
    operator: dict[str, pd.Series] = {}
    for s in scenarios:
        t = peer_table(s).set_index("name")
        staker[s.name] = t["staker_apr"].map(fmt.pct)
        operator[s.name] = t["operator_apr"].map(fmt.pct)
    return (pd.DataFrame(staker).fillna("–").rename_axis(None), pd.DataFrame(operator).fillna("–").rename_axis(None))


def peer_table_formatted(scenario: Scenario) -> pd.DataFrame:
    """Diva and its peers with formatted columns, as a reader expects them.

    ``node uptime`` is each set-up's own (or Diva's for all, like for like). The comparison with
    published staker APRs is :func:`published_table`, shown beside this one.
    """
    t = peer_table(scenario)
    return pd.DataFrame(
        {
            "set-up": t["name"],
            "staker APR": t["staker_apr"].map(fmt.pct),
            "operator APR (own capital)": t["operator_apr"].map(fmt.pct),
            "capital to start": t["capital_eth"].map(lambda x: fmt.eth(x, 2) if x > 0 else "none"),
            "faults tolerated": t["faults_tolerated"].map(fmt.count),
            "node uptime": t["node_uptime"].map(lambda x: fmt.pct(x, 1)),
            "availability": t["availability"].map(fmt.prob),
            "note": t["note"],
        }
    )


def published_table(scenario: Scenario) -> pd.DataFrame:
    """Each peer whose protocol published a staker APR: the model's, and how the two compare.

    Columns ``set-up``, ``staker APR`` (the model's), ``against the published figure`` (the note
    of :func:`divaecon.peers.published_note`: agrees within 0.1 pp, or why not).
    """
    t = peer_table(scenario)
    t = t[[bool(v) and not str(n).startswith("Diva") for n, v in zip(t["name"], t["vs_published"], strict=True)]]
    return pd.DataFrame(
        {
            "set-up": t["name"],
            "staker APR": t["staker_apr"].map(fmt.pct),
            "against the published figure": t["vs_published"],
        }
    )


# --- tables of the report notebooks -----------------------------------------------------------


def staking_data_table(scenario: Scenario) -> pd.DataFrame:
    """The dated stakes of ``data/`` with the ideal consensus APR and the gross APR they imply."""
    from divaecon.data import staking_data_points

    d = staking_data_points()
    e = scenario.ethereum
    cl = ethereum.ideal_consensus_apr(d["total_staked_eth"].to_numpy(dtype=float))
    gross = ethereum.gross_apr(d["total_staked_eth"].to_numpy(dtype=float), e.el_reward_per_block_eth)
    return pd.DataFrame(
        {
            "date": d["date"].dt.strftime("%Y-%m-%d"),
            "ETH staked": d["total_staked_eth"].map(fmt.eth),
            "validators": d["validators"].map(fmt.count),
            "ideal consensus APR": [fmt.pct(x) for x in cl],
            "+ execution (scenario's ETH/block)": [fmt.pct(x) for x in gross],
            "source": d["source"],
        }
    )


def reward_split_table(scenario: Scenario) -> pd.DataFrame:
    """An ideal 32 ETH validator's yearly reward by duty at the scenario's total stake."""
    e = scenario.ethereum
    split = ethereum.ideal_reward_split_eth_per_year(e.total_staked_eth)
    stake = ethereum.VALIDATOR_STAKE_ETH
    el = float(ethereum.execution_apr(e.el_reward_per_block_eth, e.total_staked_eth)) * stake
    parts = {
        "attestation (54/64)": split["attestation"],
        "sync committee (2/64)": split["sync"],
        "proposer (8/64)": split["proposer"],
        "execution (fees + MEV)": el,
    }
    total = sum(float(v) for v in parts.values())
    rows = [(k, float(v)) for k, v in parts.items()] + [("total", total)]
    return pd.DataFrame(
        {
            "reward": [k for k, _v in rows],
            "ETH per year per 32 ETH": [f"{v:.4f}" for _k, v in rows],
            "APR": [fmt.pct(v / stake, 3) for _k, v in rows],
            "share": [fmt.pct(v / total, 1) for _k, v in rows],
        }
    )


def uptime_table(scenario: Scenario, uptimes: Sequence[float] = (0.90, 0.95, 0.98, 0.99, 1.0)) -> pd.DataFrame:
    """Gross APR of one node and of a Diva validator of such nodes at a few uptimes."""
    e, d = scenario.ethereum, scenario.diva
    u = np.unique(np.append(np.asarray(uptimes, dtype=float), d.operator_uptime))
    avail = dvt.availability(d.key_shares_per_validator, d.threshold, u, d.failure_correlation)
    solo = ethereum.gross_apr(e.total_staked_eth, e.el_reward_per_block_eth, u, e.network_participation)
    diva = ethereum.gross_apr(e.total_staked_eth, e.el_reward_per_block_eth, avail, e.network_participation)
    return pd.DataFrame(
        {
            "node uptime": [fmt.pct(x, 1) + (" (scenario)" if x == d.operator_uptime else "") for x in u],
            "one node: gross APR": [fmt.pct(x, 3) for x in solo],
            f"Diva {d.threshold}/{d.key_shares_per_validator}: availability": [fmt.prob(x) for x in avail],
            f"Diva {d.threshold}/{d.key_shares_per_validator}: gross APR": [fmt.pct(x, 3) for x in diva],
        }
    )


def collateral_table(scenario: Scenario, collaterals: Sequence[float] = (0.1, 0.25, 0.5, 1.0, 2.0)) -> pd.DataFrame:
    """Operator APR (queued, assigned) and collateral ratio at a few collateral levels."""
    q = quote(scenario)
    d = scenario.diva
    c = np.unique(np.append(np.asarray(collaterals, dtype=float), d.collateral_per_key_share_eth))
    assigned = operator_apr_assigned_at(q, c)
    ratio = protocol.collateral_ratio(c, d.key_shares_per_validator, d.validator_stake_eth)
    locked = protocol.collateral_locked_eth(d.network_validators, c, d.key_shares_per_validator)
    return pd.DataFrame(
        {
            "collateral per key share": [
                f"{x:g} divETH" + (" (scenario)" if x == d.collateral_per_key_share_eth else "") for x in c
            ],
            "of the validator's stake": [fmt.pct(x, 1) for x in ratio],
            "operator APR, queued": [figures.text("operator_apr_queued", q.operator_apr_queued)] * len(c),
            "operator APR, assigned": [fmt.pct(x) for x in assigned],
            f"locked by {d.network_validators:,} validators": [fmt.eth(x, unit="divETH") for x in locked],
        }
    )


def break_even_table(
    scenario: Scenario,
    prices_usd: Sequence[float] = (1_000.0, 2_500.0, 5_000.0),
    running_usd_per_month: Sequence[float] = (20.0, 50.0, 100.0, 200.0),
) -> pd.DataFrame:
    """Break-even key shares per node: rows running cost, columns ETH price."""
    q = quote(scenario)
    c = scenario.costs
    net = q.operator_net_reward_per_key_share_eth_per_year
    prices = sorted(set(prices_usd) | {c.eth_price_usd})
    out = {}
    for p in prices:
        out[f"at {fmt.usd(p)}/ETH"] = [
            fmt.count(
                protocol.break_even_key_shares(
                    net, p, protocol.operator_cost_usd_per_year(c.hardware_cost_usd, c.hardware_lifetime_years, r)
                )
            )
            for r in running_usd_per_month
        ]
    index = [f"{fmt.usd(r)}/month + {fmt.usd(c.hardware_cost_usd)} hardware" for r in running_usd_per_month]
    return pd.DataFrame(out, index=pd.Index(index, name="node costs")).reset_index()


def availability_table(scenario: Scenario, correlation: float | None = None) -> pd.DataFrame:
    """Each cluster at the scenario's node uptime: faults tolerated, availability with
    independent and correlated failures, downtime and rewards lost per validator."""
    from divaecon.plotting import cluster_setups
    from divaecon.units import DAYS_PER_YEAR

    e, d = scenario.ethereum, scenario.diva
    rho = d.failure_correlation if correlation is None else correlation
    rho = rho if rho > 0 else 0.2
    setups = cluster_setups(scenario)
    ind = dvt.availability(setups["n"].to_numpy(), setups["t"].to_numpy(), d.operator_uptime, 0.0)
    cor = dvt.availability(setups["n"].to_numpy(), setups["t"].to_numpy(), d.operator_uptime, rho)
    lost, lost_c = (
        ethereum.rewards_lost_eth_per_year(e.total_staked_eth, e.el_reward_per_block_eth, a, e.network_participation)
        for a in (ind, cor)
    )
    hours = DAYS_PER_YEAR * 24
    return pd.DataFrame(
        {
            "cluster": setups["name"],
            "faults tolerated": (setups["n"] - setups["t"]).map(fmt.count),
            "availability, independent": [fmt.prob(x) for x in ind],
            f"availability, ρ = {rho:g}": [fmt.prob(x) for x in cor],
            "downtime [h/year], indep.": [f"{(1 - x) * hours:,.2f}" for x in ind],
            f"downtime [h/year], ρ = {rho:g}": [f"{(1 - x) * hours:,.2f}" for x in cor],
            "rewards lost [ETH/year], indep.": [f"{x:.5f}" for x in lost],
            f"rewards lost [ETH/year], ρ = {rho:g}": [f"{x:.5f}" for x in lost_c],
        }
    )


# --- the simulation ---------------------------------------------------------------------------


def simulation_note(scenario: Scenario, seeds: int, days: int) -> str:
    """One line on the simulation run: seeds, horizon and what (if anything) is drawn at random."""
    sim = scenario.simulation
    draws = [
        name
        for name, on in (
            ("proposer luck", sim.proposer_luck),
            ("operator outages", sim.outage_rate_per_operator_per_year > 0),
            ("slashings", sim.slashing_rate_per_validator_per_year > 0),
        )
        if on
    ]
    text = f"{seeds:,} Monte Carlo seed(s) over {days:,} days ({days / 365.25:.1f} years). "
    if draws:
        return text + (
            "Drawn at random: " + ", ".join(draws) + "; bands are P5–P95 over seeds. They are "
            "narrow once the network runs thousands of validators: luck and outages average out "
            "across validators, so the spread shows mostly in the first months."
        )
    return text + (
        "This scenario draws nothing at random (no proposer luck, outages or slashings), "
        "so every seed follows the same path and the P5–P95 band is a line."
    )


def simulation_summary_table(summary: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Median [P5–P95] of each summary metric over seeds, a column per scenario.

    Rows are the :data:`divaecon.figures.SIMULATION_FIGURES` that ``summary`` holds, labelled
    and formatted as registered.
    """
    names = list(order) if order is not None else list(pd.unique(summary["scenario"]))
    rows = [f for f in figures.SIMULATION_FIGURES if f.key in summary.columns]
    data: dict[str, list[str]] = {}
    for name in names:
        sub = summary[summary["scenario"] == name]
        col = []
        for f in rows:
            v = pd.to_numeric(sub[f.key], errors="coerce").dropna()
            if v.empty:
                col.append("–")
            elif len(v) == 1:
                col.append(f.text(v.iloc[0]))
            else:
                lo, mid, hi = f.text(v.quantile(0.05)), f.text(v.median()), f.text(v.quantile(0.95))
                col.append(mid if lo == hi else f"{mid} [{lo} – {hi}]")
        data[name] = col
    return pd.DataFrame(data, index=[f.label for f in rows])


# --- notebook display -------------------------------------------------------------------------


def scenario_header(scenario: Scenario) -> str:
    """Markdown header line for a notebook: the scenario's name and description, shown literally
    (:func:`divaecon.formatting.markdown_literal`: no markup, HTML or ``$math$`` in them runs)."""
    desc = f" — {fmt.markdown_literal(scenario.description)}" if scenario.description else ""
    return f"**Scenario: {fmt.markdown_literal(scenario.name)}**{desc}"


def show(df: pd.DataFrame, index: bool = False, empty: str = "", kind: str = "") -> Any:
    """A formatted table for notebook display (HTML, no index unless asked).

    Cells are HTML-escaped; the ``tex2jax_ignore`` class keeps MathJax from typesetting a
    ``$…$`` in a cell (a scenario name, a USD amount). A table without rows shows ``empty``
    (as text) instead, when given. ``kind`` adds the class ``divaecon-<kind>`` (the reports'
    style sheet lays out ``divaecon-summary``, the executive summary, as prose columns).
    """
    from IPython.display import HTML, Markdown

    if df.empty and empty:
        return Markdown(fmt.markdown_literal(empty))
    return HTML(
        df.to_html(
            index=index,
            escape=True,
            border=0,
            na_rep="–",
            classes="divaecon-table tex2jax_ignore" + (f" divaecon-{kind}" if kind else ""),
        )
    )


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

    f = figures.get(REQUIRED_COLLATERAL_FIGURE)
    value = required_collateral_per_key_share(scenario)
    posted = scenario.diva.collateral_per_key_share_eth
    target = scenario.risk.target_loss_probability_per_year
    verdict = "more than" if value > posted else "no more than"
    return (
        f.label,
        f.text(value),
        f"Collateral per key share for stakers to bear a loss in at most one validator-year in "
        f"{1 / target:,.0f} (collateral risk model, its assumed event rates); the scenario posts "
        f"{posted:g} divETH, {verdict} that.",
    )


def executive_summary(scenario: Scenario) -> pd.DataFrame:
    """The handful of numbers that matter for a scenario, each with one plain sentence.

    Columns ``figure``, ``value``, ``what it means``; rows :data:`SUMMARY_FIGURES` (labels and
    formats from :mod:`divaecon.figures`), then the risk model's required collateral
    (:data:`REQUIRED_COLLATERAL_FIGURE`).
    """
    q = quote(scenario)
    sentences = _summary_sentences(scenario, q)
    rows = [(f.label, f.text(getattr(q, f.key)), sentences[f.key]) for f in figures.select(SUMMARY_FIGURES)]
    rows.append(_required_collateral_row(scenario))
    return pd.DataFrame(rows, columns=["figure", "value", "what it means"])


# --- collateral risk (divaecon.risk) ----------------------------------------------------------

RISK_KEY_FIGURES: tuple[str, ...] = tuple(f.key for f in figures.RISK_FIGURES)
"""The collateral-risk figures the CLI, notebook and dashboard show, in reading order."""


def _interval(f: KeyFigure, v: dict[str, float]) -> str:
    value = f.text(v["value"])
    if "low" in v and "high" in v and not (fmt.missing(v["low"]) or fmt.missing(v["high"])):
        lo, hi = f.text(v["low"]), f.text(v["high"])
        if (lo, hi) != (value, value):
            return f"{value} [{lo} – {hi}]"
    return value


def risk_figures_table(report: Any) -> pd.DataFrame:
    """A :class:`divaecon.risk.RiskReport`'s figures: label, Monte Carlo value [95 % interval],
    and the closed form where one exists."""
    values = report.figure_values()
    rows = []
    for f in figures.select(k for k in RISK_KEY_FIGURES if k in values):
        v = values[f.key]
        rows.append(
            {
                "figure": f.label,
                "Monte Carlo [95 % interval]": _interval(f, v),
                "exact (closed form)": f.text(v["exact"]) if "exact" in v else "–",
            }
        )
    return pd.DataFrame(rows, columns=["figure", "Monte Carlo [95 % interval]", "exact (closed form)"])


def risk_text(report: Any) -> str:
    """``divaecon risk``'s printed report: inputs, the figures table, the events by class."""
    s = report
    lines = [
        f"Scenario: {s.scenario} — collateral {s.collateral_per_key_share_eth:g} divETH per key share; "
        f"Monte Carlo of {fmt.count(s.sample.validator_years)} validator-years (seed {s.sample.seed})",
        "",
    ]
    table = risk_figures_table(report)
    w0 = max(len(x) for x in table["figure"])
    w1 = max(len(x) for x in table["Monte Carlo [95 % interval]"])
    lines.append(f"{'':<{w0}}  {'Monte Carlo [95 % interval]':<{w1}}  exact")
    for _, row in table.iterrows():
        lines.append(f"{row['figure']:<{w0}}  {row['Monte Carlo [95 % interval]']:<{w1}}  {row['exact (closed form)']}")
    for kind, req in report.required_collateral.items():
        target = (
            figures.text("shortfall_probability_per_validator_year", req["target"])
            if kind == "loss_probability"
            else figures.text("shortfall_apr", req["target"])
        )
        lines.append(f"  target: {_TARGET_NAMES[kind]} ≤ {target}")
    lines += ["", "Events (harmful ones: the validator cannot sign, or a threshold signs)"]
    events = risk_by_class_table(report)
    widths = [max(len(str(x)) for x in [c, *events[c]]) for c in events.columns]
    lines.append("  ".join(f"{c:<{w}}" for c, w in zip(events.columns, widths, strict=True)))
    for _, row in events.iterrows():
        lines.append("  ".join(f"{v!s:<{w}}" for v, w in zip(row, widths, strict=True)))
    lines += [
        "",
        "Losses are charged pro rata to the key shares responsible, each up to its collateral; "
        "the rest is the stakers' shortfall. Rates are assumptions named in ASSUMPTIONS.md (risk section).",
    ]
    return "\n".join(lines)


def risk_by_class_table(report: Any) -> pd.DataFrame:
    """Each event class: harmful events per validator-year, mean loss, expected shortfall and
    P(shortfall) at the report's collateral (closed forms)."""
    rows = []
    for r in report.by_class:
        rate = r["harmful_rate_per_validator_year"]
        rows.append(
            {
                "event": r["event"],
                "harmful per validator-year": "0" if rate <= 0 else f"{rate:.3g} (1 in {1 / rate:,.0f})",
                "mean loss [ETH/validator-year]": _tiny(r["mean_loss_eth"]),
                "shortfall [ETH/validator-year]": _tiny(r["expected_shortfall_eth"]),
                "P(shortfall)": _tiny(r["shortfall_probability"]),
            }
        )
    return pd.DataFrame(rows)


def _tiny(x: float) -> str:
    """Three significant digits; below 1e-12 (far under any Monte Carlo's reach) '< 1e-12'."""
    return "0" if x == 0 else ("< 1e-12" if abs(x) < 1e-12 else f"{x:.3g}")


_TARGET_NAMES = {
    "loss_probability": "P(stakers bear a loss) per validator-year",
    "shortfall_apr": "expected shortfall, APR cost to divETH",
}


def required_collateral_table(report: Any) -> pd.DataFrame:
    """Collateral per key share for each target: Monte Carlo [95 % interval] and closed form."""
    rows = []
    for kind, req in report.required_collateral.items():
        key = f"required_collateral_{kind}_eth"
        f = figures.get(key)
        target = (
            figures.text("shortfall_probability_per_validator_year", req["target"])
            if kind == "loss_probability"
            else figures.text("shortfall_apr", req["target"])
        )
        rows.append(
            {
                "target": f"{_TARGET_NAMES[kind]} ≤ {target}",
                "Monte Carlo [95 % interval]": _interval(
                    f, {"value": req["monte_carlo"], "low": req["monte_carlo_low"], "high": req["monte_carlo_high"]}
                ),
                "exact (closed form)": f.text(req["exact"]),
            }
        )
    return pd.DataFrame(rows)


def tornado_table(table: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """:func:`divaecon.risk.tornado` formatted: each assumption, its low/base/high values and
    the collateral per key share required at each [divETH]."""
    t = table if top is None else table.head(top)
    out = pd.DataFrame(
        {
            "assumption": t["parameter"],
            "unit": t["unit"],
            "low / base / high": [
                f"{lo:g} / {b:g} / {hi:g}" for lo, b, hi in zip(t["low"], t["base"], t["high"], strict=True)
            ],
            "required at low": [figures.text("required_collateral_shortfall_apr_eth", v) for v in t["required_at_low"]],
            "required at high": [
                figures.text("required_collateral_shortfall_apr_eth", v) for v in t["required_at_high"]
            ],
            "swing [divETH]": [f"{v:.3f}" if np.isfinite(v) else "∞" for v in t["swing"]],
        }
    )
    return out.reset_index(drop=True)


def risk_frontier_table(
    scenario: Scenario, collaterals: Sequence[float] = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0)
) -> pd.DataFrame:
    """Both sides of the collateral per key share: operator APR (before and net of expected
    losses), stakers' APR net of the expected shortfall, the shortfall and its probability."""
    from divaecon.risk import frontier

    t = frontier(scenario, list(collaterals))
    return pd.DataFrame(
        {
            "collateral [divETH per key share]": [f"{c:g}" for c in t["collateral_per_key_share_eth"]],
            "operator APR": [fmt.pct(v) for v in t["operator_apr"]],
            figures.label("operator_apr_net"): [figures.text("operator_apr_net", v) for v in t["operator_apr_net"]],
            figures.label("staker_apr_net"): [figures.text("staker_apr_net", v) for v in t["staker_apr_net"]],
            figures.label("shortfall_apr"): [figures.text("shortfall_apr", v) for v in t["shortfall_apr"]],
            figures.label("shortfall_probability_per_validator_year"): [
                figures.text("shortfall_probability_per_validator_year", v) for v in t["shortfall_probability"]
            ],
        }
    )


def peer_risk_table(scenario: Scenario) -> pd.DataFrame:
    """The peers at the same event rates (:func:`divaecon.risk.peer_frontier`), formatted."""
    from divaecon.risk import peer_frontier

    t = peer_frontier(scenario)
    return pd.DataFrame(
        {
            "set-up": t["name"],
            "bond per operator": [fmt.eth(v) if v > 0 else "none" for v in t["bond_per_operator_eth"]],
            "operator APR on bond": [fmt.pct(v) for v in t["operator_apr"]],
            "net of expected losses": [fmt.pct(v, 3) for v in t["operator_apr_net"]],
            "stakers' shortfall (APR)": [figures.text("shortfall_apr", v) for v in t["shortfall_apr"]],
            "P(stakers bear a loss) per validator-year": [
                figures.text("shortfall_probability_per_validator_year", v) for v in t["shortfall_probability"]
            ],
        }
    )


def risk_comparison(scenarios: Sequence[Scenario], validator_years: int | None = 200_000) -> pd.DataFrame:
    """The collateral-risk figures of several scenarios side by side (rows: figures, columns:
    scenarios), for the comparative report.

    Closed forms for the shortfall, its probability, the yields and the required collateral
    (exact, no Monte Carlo noise); the loss quantiles from a Monte Carlo of ``validator_years``
    per scenario at its ``risk.mc_seed`` (``None`` leaves them out).
    """
    from divaecon.risk import closed_form, risk_model, simulate_losses
    from divaecon.risk.yields import risk_adjusted_yields

    keys = [
        "shortfall_probability_per_validator_year",
        "shortfall_apr",
        "staker_apr_net",
        "operator_apr_net",
        "required_collateral_loss_probability_eth",
        "required_collateral_shortfall_apr_eth",
        "mean_loss_eth_per_validator_year",
    ]
    if validator_years:
        keys += ["loss_p99_eth", "loss_p999_eth"]
    chosen = figures.select(keys)
    data: dict[str, list[str]] = {}
    for s in scenarios:
        q = quote(s)
        model = risk_model(s, q)
        c = s.diva.collateral_per_key_share_eth
        ex = closed_form.figures_at(model, c)
        y = risk_adjusted_yields(s, model, c, q)
        values: dict[str, float] = {
            "shortfall_probability_per_validator_year": ex["shortfall_probability_per_validator_year"],
            "shortfall_apr": ex["shortfall_apr"],
            "staker_apr_net": y["staker_apr_net"],
            "operator_apr_net": y["operator_apr_net"],
            "required_collateral_loss_probability_eth": closed_form.required_collateral(
                model, target_loss_probability=s.risk.target_loss_probability_per_year
            ),
            "required_collateral_shortfall_apr_eth": closed_form.required_collateral(
                model, target_shortfall_apr=s.risk.target_shortfall_apr
            ),
            "mean_loss_eth_per_validator_year": ex["mean_loss_eth_per_validator_year"],
        }
        if validator_years:
            sample = simulate_losses(model, validator_years, s.risk.mc_seed)
            p99, p999 = sample.quantiles(sample.validator_loss_eth(c), (0.99, 0.999))
            values["loss_p99_eth"], values["loss_p999_eth"] = p99.value, p999.value
        data[s.name] = [f.text(values[f.key]) for f in chosen]
    return pd.DataFrame(data, index=[f.label for f in chosen])
