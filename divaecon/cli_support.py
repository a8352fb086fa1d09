"""What the commands of :mod:`divaecon.cli` share and do besides parsing: the scenario with the
options given, each command's checks and text, the report batch's run and summary. The commands
themselves (click's options and help) are in :mod:`divaecon.cli`.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from divaecon._io import temporary_name
from divaecon.errors import DivaeconError, ParameterError
from divaecon.formatting import one_line as shortened
from divaecon.params import Scenario, load_scenario

if TYPE_CHECKING:
    from divaecon.reports import BatchResult

# CLI option -> scenario field, so errors can name the option the user typed.
QUOTE_OPTIONS: dict[str, str] = {
    "total_staked_eth": "ethereum.total_staked_eth",
    "collateral_per_key_share": "diva.collateral_per_key_share_eth",
    "operator_uptime": "diva.operator_uptime",
    "failure_correlation": "diva.failure_correlation",
    "el_reward_per_block_eth": "ethereum.el_reward_per_block_eth",
    "network_validators": "diva.network_validators",
    "same_node_uptime": "peers.same_node_uptime_for_all",
}


RULE_OPTIONS: dict[str, str] = {
    "issuance_curve": "ethereum.issuance_curve",
    "execution_burn": "ethereum.execution_burn",
    "seconds_per_slot": "ethereum.seconds_per_slot",
    "exit_churn_rule": "ethereum.exit_churn_rule",
    "correlated_penalties": "ethereum.correlated_penalties",
    "issuance_fork_date": "ethereum.issuance_fork_date",
}
"""The flags of Ethereum's rules (:mod:`divaecon.rules`) on ``quote``, ``simulate``, ``risk`` and ``report``."""


def rules_options(command: Any) -> Any:
    """The rule flags of :data:`RULE_OPTIONS` as click options (a decorator), None when not given."""
    options = [
        click.option(
            "--issuance-curve",
            type=click.Choice(["current", "eip8363", "tempered", "capped"]),
            default=None,
            help="Consensus reward curve: today's, EIP-8363's tapered burn, Elowsson's tempered or capped "
            "(default: the scenario's ethereum.issuance_curve).",
        ),
        click.option(
            "--execution-burn",
            type=click.Choice(["none", "eip8375"]),
            default=None,
            help="Burn a third of execution rewards (eMBER, EIP-8375) or none (default: the scenario's).",
        ),
        click.option(
            "--seconds-per-slot",
            type=float,
            default=None,
            help="Slot time, 2-24 s: 12 today, 8 EIP-8198's constants, others PR #12217's ratio rule.",
        ),
        click.option(
            "--exit-churn-rule",
            type=click.Choice(["electra", "eip8061"]),
            default=None,
            help="Churn of today (Electra) or Glamsterdam's EIP-8061 (default: the scenario's).",
        ),
        click.option(
            "--correlated-penalties",
            type=click.Choice(["none", "eip7716"]),
            default=None,
            help="EIP-7716's anti-correlation attestation penalties, or none (default: the scenario's).",
        ),
        click.option(
            "--issuance-fork-date",
            type=float,
            default=None,
            metavar="DAYS",
            help="Day of the simulation the curve and the execution burn take effect (negative: before "
            "the start); simulate and report only (the quote shows the steady state).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def rule_overrides(options: dict[str, Any]) -> dict[str, Any]:
    """``{scenario field: value}`` of the rule flags that were given."""
    return {RULE_OPTIONS[k]: v for k, v in options.items() if k in RULE_OPTIONS and v is not None}


def _flagged(exc: ParameterError, mapping: dict[str, str]) -> ParameterError:
    """``exc`` with each problem's scenario field named by the flag the user typed."""
    problems = []
    for problem in exc.problems:
        for opt, field in mapping.items():
            if problem.startswith(field + " "):
                problem = _option_flag(opt) + problem[len(field) :]
        problems.append(problem)
    return ParameterError(problems)


def with_rule_options(
    scenario: Scenario, options: dict[str, Any], horizon_days: int | None = None, command: str = "quote"
) -> Scenario:
    """``scenario`` under the rule flags given, with the combinations that cannot be refused.

    - ``--issuance-fork-date`` on ``quote`` or ``risk``: refused (their figures are the steady state);
    - a fork date with neither a curve nor an execution burn other than today's: refused (nothing forks);
    - a fork date at or after the horizon's last day (``horizon_days``): refused (the fork would not
      happen within the run); a negative one means a fork before the start.
    Slot times outside 2-24 s and unknown values are refused by the parameters themselves.
    """
    given = rule_overrides(options)
    fork = options.get("issuance_fork_date")
    if fork is not None and command in ("quote", "risk"):
        raise DivaeconError(
            f"--issuance-fork-date {fork:g}: {command} shows the steady state of the rules, after any "
            "transition; the fork date applies to simulate and report"
        )
    if given:
        try:
            scenario = scenario.override(**given)
        except ParameterError as exc:
            raise _flagged(exc, RULE_OPTIONS) from None
    e = scenario.ethereum
    if fork is not None and e.issuance_curve == "current" and e.execution_burn == "none":
        raise DivaeconError(
            f"--issuance-fork-date {fork:g}: nothing forks under today's issuance curve and no execution "
            "burn; give --issuance-curve or --execution-burn too"
        )
    if fork is not None and horizon_days is not None and fork >= horizon_days - 1:
        raise DivaeconError(
            f"--issuance-fork-date {fork:g}: must fall within the horizon, before day {horizon_days - 1:,} "
            "(negative: a fork before the start)"
        )
    return scenario


def _option_flag(param_name: str) -> str:
    return "--" + param_name.replace("_", "-")


def scenario_with_options(scenario_path: str | None, options: dict[str, Any]) -> Scenario:
    """Load the scenario (or the embedded default) and apply the options that were given."""
    scenario = load_scenario(scenario_path) if scenario_path is not None else Scenario()
    given = {QUOTE_OPTIONS[k]: v for k, v in options.items() if k in QUOTE_OPTIONS and v is not None}
    if given:
        try:
            scenario = scenario.override(**given)
        except ParameterError as exc:
            raise _flagged(exc, QUOTE_OPTIONS) from None
    return with_rule_options(scenario, options, command="quote")


def quote_csv(scenario: Scenario) -> str:
    """``divaecon quote --csv``: the key figures (``Diva: <key>``, value, unit), then the peer table."""
    import pandas as pd

    from divaecon.figures import QUOTE_FIGURES
    from divaecon.quote import peer_table, quote

    q = quote(scenario)
    key = pd.DataFrame(
        {
            "name": ["Diva: " + f.key for f in QUOTE_FIGURES],
            "value": [getattr(q, f.key) for f in QUOTE_FIGURES],
            "unit": [f.unit for f in QUOTE_FIGURES],
        }
    )
    return "# key figures\n" + key.to_csv(index=False) + "# peers\n" + peer_table(scenario, q).to_csv(index=False)


def _backtest_with_flags(bt: Any, series: tuple[str, ...], start: str | None, end: str | None) -> Any:
    """Run the backtest; an error about ``start``/``end`` names the flag the user typed."""
    try:
        return bt.backtest(series or None, start, end)
    except DivaeconError as exc:
        message = str(exc)
        for field in ("start", "end"):
            if message.startswith(field + " = "):
                message = "--" + message
            message = message.replace(f" is after {field} = ", f" is after --{field} = ")
        raise DivaeconError(message) from None


def check_risk_options(
    collateral: float | None,
    target_shortfall_apr: float | None,
    target_loss_probability: float | None,
    validator_years: int | None,
    seed: int | None,
) -> None:
    """``divaecon risk``'s options, each checked with a message naming it (one line, exit 2)."""
    import math

    if target_shortfall_apr is not None and target_loss_probability is not None:
        raise DivaeconError("--target-shortfall-apr and --target-loss-probability: give at most one")
    if collateral is not None and not (math.isfinite(collateral) and 0.0 <= collateral <= 32.0):
        raise DivaeconError(f"--collateral-per-key-share = {collateral:g}: must be from 0 to 32 (divETH)")
    for flag, value in (
        ("--target-shortfall-apr", target_shortfall_apr),
        ("--target-loss-probability", target_loss_probability),
    ):
        if value is not None and not (math.isfinite(value) and 0.0 < value < 1.0):
            raise DivaeconError(f"{flag} = {value:g}: must be strictly between 0 and 1 (a fraction, not per cent)")
    if validator_years is not None and not 10_000 <= validator_years <= 1_000_000_000:
        raise DivaeconError(f"--validator-years = {validator_years}: must be from 10,000 to 1,000,000,000")
    if seed is not None and not 0 <= seed < 2**63:
        raise DivaeconError(f"--seed = {seed}: must be an integer from 0 to 2**63 - 1")


def shown(path: str | os.PathLike[str]) -> str:
    """A path as messages show it (one line, bounded)."""
    from divaecon.errors import shown_path

    return shown_path(path)


def explain_text(scenario: Scenario, days: int | None) -> str:
    """``simulate --explain``: the simulated staker APY and what each effect costs, as a table."""
    from divaecon import formatting as fmt
    from divaecon.simulate.explain import apy_decomposition

    table = apy_decomposition(scenario, days)
    horizon = days or scenario.simulation.horizon_days
    lines = [f"Staker APY of scenario {scenario.name} over {horizon:,} days, each effect switched off in turn:", ""]
    width = max(len(r) for r in table["run"])
    head = f"  {'run':<{width}}  {'staker APY':>10}  {'cash drag':>9}  {'refused [ETH]':>13}  {'effect':>9}"
    lines.append(head + "  switched off")
    for i, row in enumerate(table.to_dict("records")):
        if not row["in_sum"]:
            lines.append("")
        gain = float(row["effect"])
        effect = "" if i == 0 else f"{'+' if gain >= 0 else '−'}{100 * abs(gain):.2f} pp"
        lines.append(
            f"  {row['run']:<{width}}  {fmt.pct(row['staker_apy']):>10}  {fmt.pct(row['cash_drag'], 1):>9}  "
            f"{float(row['refused_deposits_eth']):>13,.0f}  {effect:>9}  {'' if i == 0 else row['switched_off']}"
        )
    cap = scenario.simulation.deposit_cap_eth
    capped = f"the buffer's cap of {fmt.eth(cap)}" if cap > 0 else "the buffer's cap (this scenario has none)"
    lines += [
        "",
        "Each effect is the APY gained by switching it off on top of the run above (the quote: its "
        "steady state, APR compounded daily); together they make up the quote's APY less the "
        f"simulated one. Refused: staker deposits turned away at {capped}; they never enter the pool.",
    ]
    return "\n".join(lines)


def parse_grid(items: Sequence[str], base: Scenario) -> dict[str, list[Any]]:
    """``["name=v1,v2", ...]`` → ``{name: [v1, v2]}`` typed by the field, or a one-line error."""
    from divaecon.params import SECTIONS, resolve_name

    out: dict[str, list[Any]] = {}
    given: dict[tuple[str, str], str] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name or not text.strip():
            raise DivaeconError(
                f"--grid {_excerpt(item)}: expected NAME=V1,V2,... (e.g. collateral_per_key_share_eth=0.5,1)"
            )
        try:
            section, field = resolve_name(name)
        except ParameterError as exc:
            raise ParameterError([f"--grid {p}" for p in exc.problems]) from None
        if (section, field) in given:
            raise DivaeconError(
                f"--grid {_excerpt(name)}: {section}.{field} is already swept by --grid "
                f"{_excerpt(given[section, field])}; give each parameter once, with all its values"
            )
        given[section, field] = name
        kind = SECTIONS[section].model_fields[field].annotation
        values: list[Any] = []
        for raw in text.split(","):
            raw = raw.strip()
            try:
                if kind is bool:
                    low = raw.lower()
                    if low not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(raw)
                    values.append(low in ("true", "1", "yes"))
                elif kind is int:
                    values.append(int(raw))
                elif kind is float:
                    values.append(float(raw))
                else:
                    values.append(raw)
            except ValueError:
                type_name = getattr(kind, "__name__", str(kind))
                raise DivaeconError(f"--grid {name} = {_excerpt(raw)}: not a valid {type_name}") from None
            if isinstance(values[-1], float) and not math.isfinite(values[-1]):
                raise DivaeconError(f"--grid {name} = {_excerpt(raw)}: must be a finite number")
            if values[-1] in values[:-1]:
                raise DivaeconError(f"--grid {name} = {_excerpt(raw)}: given twice; give each value once")
        out[name] = values
    return out


def _excerpt(value: object) -> str:
    from divaecon.safeyaml import excerpt

    return excerpt(value)


def write_table_atomic(df: Any, path: Path) -> None:
    """Write a DataFrame as .csv or .parquet, whole or not at all: streamed into the temporary file
    :func:`divaecon._io.write_atomic` would use, then renamed into place (never a second copy of
    the table in memory)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise DivaeconError(f"--out {shown(path)}: must end in .csv or .parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        if suffix == ".csv":
            df.to_csv(tmp, index=False, chunksize=100_000)
        else:
            df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _skip_iri_format_checker() -> None:
    """Spare this process the 1.2 s import of ``rfc3987_syntax``.

    nbformat validates notebooks with jsonschema, whose format checkers import every optional
    backend when first imported; ``rfc3987_syntax`` (an IRI grammar) compiles some 35 Earley
    parsers at import, 1.2 s of CPU before a batch can start its first kernel
    (https://github.com/python-jsonschema/jsonschema/issues/1428). No notebook schema uses the
    ``iri`` formats, so within the ``divaecon report`` process only, jsonschema finds no such
    backend and leaves the ``iri`` formats unchecked. A process that already imported jsonschema
    is left as it is.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def run_reports(
    scenario_paths: list[str],
    notebooks: list[str],
    out_dir: str,
    jobs: int | None,
    formats: str,
    quick: bool,
    paper: str = "a4",
    split: bool = False,
    rule_options: dict[str, Any] | None = None,
) -> None:
    """``divaecon report``: validate the inputs, run the batch, print a summary.

    ``rule_options`` (the rule flags given, :data:`RULE_OPTIONS`) override every scenario's
    ``ethereum`` rules: each book, and the comparison, under those rules.

    Bad input raises :class:`DivaeconError` (exit status 2); when any book fails the others
    (and the comparison of the scenarios that succeeded) are still delivered, a summary is
    printed and the command exits with status 1 (``SystemExit(1)``).
    """
    _skip_iri_format_checker()
    from divaecon.reports import load_scenario_inputs, parse_formats, resolve_notebooks, run_batch
    from divaecon.reports.batch import check_out_dir

    # SystemExit, not click's Exit: divaecon.cli.main runs click with standalone_mode=False and
    # would drop Exit's code.
    if jobs is not None and jobs < 1:
        raise DivaeconError(f"--jobs {jobs}: must be at least 1")
    fmts = parse_formats(formats)
    scenarios = load_scenario_inputs(scenario_paths)
    if rule_options and rule_overrides(rule_options):
        import dataclasses

        scenarios = [
            dataclasses.replace(
                s,
                scenario=with_rule_options(s.scenario, rule_options, s.scenario.simulation.horizon_days, "report"),
            )
            for s in scenarios
        ]
    nbs = resolve_notebooks(notebooks)
    check_out_dir(Path(out_dir).absolute())
    names = ", ".join(shortened(s.scenario.name, 40) for s in scenarios)
    click.echo(
        f"divaecon report: {len(scenarios)} book(s) of {len(nbs)} chapter(s) ({names}) and the comparison "
        f"→ {out_dir}" + (" [quick]" if quick else ""),
        err=True,
    )
    result = run_batch(
        scenarios,
        nbs,
        out_dir,
        jobs=jobs,
        formats=fmts,
        quick=quick,
        split=split,
        paper=paper,
        progress=sys.stderr.isatty() or bool(os.environ.get("DIVAECON_PROGRESS")),
    )
    click.echo(report_summary_text(result))
    if not result.ok:
        n_ok = len(result.books) - len(result.failed)
        comp = result.comparison
        comp_text = "" if comp is None or comp.status == "ok" else f", and the comparison ({comp.status})"
        click.echo(
            f"divaecon report: {len(result.failed)} of {len(result.books)} book(s) failed{comp_text}; "
            f"{n_ok} delivered. Logs beside each failed book; see {_shown(result.index)}",
            err=True,
        )
        raise SystemExit(1)


def _shown(path: Path | str | None) -> str:
    if not path:
        return ""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def report_summary_text(result: BatchResult) -> str:
    """A few lines: each book's status, time and file, the comparison, the index."""
    lines = []
    everything = [*result.books, *([result.comparison] if result.comparison else [])]
    for b in everything:
        mark = "ok    " if b.status == "ok" else b.status.upper()[:6].ljust(6)
        where = b.outputs.get("pdf") or b.outputs.get("html") or b.outputs.get("log") or ""
        lines.append(
            f"  {mark} {b.seconds:6.1f} s  {shortened(b.slug, 40)}  {_shown(where)}"
            + (f"\n         {shortened(b.error, 200)}" if b.error else "")
        )
    lines.append(f"  index: {_shown(result.index)}   total {result.seconds:.1f} s")
    return "\n".join(lines)
