"""The ``divaecon`` command line: ``quote``, ``simulate``, ``report``, ``app``.

Presentation only: every number comes from the package. Bad input exits with status 2 and one
line on stderr naming the option (or scenario field), the value and what is allowed.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from divaecon import formatting as fmt
from divaecon.errors import DivaeconError, ParameterError
from divaecon.params import Scenario, load_scenario

# CLI option -> scenario field, so errors can name the option the user typed.
QUOTE_OPTIONS: dict[str, str] = {
    "total_staked_eth": "ethereum.total_staked_eth",
    "collateral_per_key_share": "diva.collateral_per_key_share_eth",
    "operator_uptime": "diva.operator_uptime",
    "failure_correlation": "diva.failure_correlation",
    "el_reward_per_block_eth": "ethereum.el_reward_per_block_eth",
    "network_validators": "diva.network_validators",
}


def _option_flag(param_name: str) -> str:
    return "--" + param_name.replace("_", "-")


def scenario_with_options(scenario_path: str | None, options: dict[str, Any]) -> Scenario:
    """Load the scenario (or the embedded default) and apply the options that were given."""
    scenario = load_scenario(scenario_path) if scenario_path else Scenario()
    given = {QUOTE_OPTIONS[k]: v for k, v in options.items() if k in QUOTE_OPTIONS and v is not None}
    if not given:
        return scenario
    try:
        return scenario.override(**given)
    except ParameterError as exc:
        problems = []
        for problem in exc.problems:
            for opt, field in QUOTE_OPTIONS.items():
                if problem.startswith(field + " "):
                    problem = _option_flag(opt) + problem[len(field):]
            problems.append(problem)
        raise ParameterError(problems) from None


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def quote_text(scenario: Scenario) -> str:
    """The readable quote: key figures, then Diva beside its peers."""
    from divaecon.quote import peer_table, quote

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
        "",
    ]
    rows = [
        ("Consensus APR (Diva validator)", fmt.pct(q.consensus_apr)),
        ("Execution APR", fmt.pct(q.execution_apr)),
        ("Gross APR", fmt.pct(q.gross_apr)),
        ("divETH staker APR", fmt.pct(q.staker_apr)),
        ("Operator APR on collateral, queued", fmt.pct(q.operator_apr_queued)),
        ("Operator APR on collateral, assigned", fmt.pct(q.operator_apr_assigned)),
        ("Operator reward per key share", fmt.eth(q.operator_reward_per_key_share_eth_per_year, 5) + "/year"),
        ("Validator availability", fmt.prob(q.validator_availability)),
        ("Collateral locked", fmt.eth(q.collateral_locked_eth).replace("ETH", "divETH")),
        ("Collateral ratio (of stake)", fmt.pct(q.collateral_ratio, 1)),
        ("Operator cost per node", fmt.usd(q.operator_cost_usd_per_year) + "/year"),
        ("Break-even key shares", fmt.count(q.break_even_key_shares)),
    ]
    width = max(len(k) for k, _ in rows)
    lines += [f"  {k:<{width}}  {v:>18}" for k, v in rows]
    lines += ["", "Diva and its peers (same node uptime for every set-up):"]
    header = (
        f"  {'set-up':<32} {'staker APR':>10} {'operator APR':>12} {'capital':>10} {'faults':>6} "
        f"{'availability':>12}"
    )
    lines.append(header)
    for row in table.itertuples():
        lines.append(
            f"  {row.name:<32} {fmt.pct(row.staker_apr):>10} {fmt.pct(row.operator_apr):>12} "
            f"{fmt.eth(row.capital_eth, 2):>10} {row.faults_tolerated:>6} {fmt.prob(row.availability):>12}"
        )
    lines.append("")
    lines.append("Rates are simple APRs. Sources and defaults: ASSUMPTIONS.md.")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="divaecon")
def cli() -> None:
    """divaecon — economics of Diva Staking against its peers."""


_scenario_option = click.option(
    "--scenario", "scenario_path", type=click.Path(dir_okay=False), default=None,
    help="Scenario YAML file (default: the embedded base scenario).",
)


@cli.command()
@_scenario_option
@click.option("--total-staked-eth", type=float, default=None, help="Total ETH staked on Ethereum [ETH].")
@click.option("--collateral-per-key-share", type=float, default=None, help="divETH collateral per key share.")
@click.option("--operator-uptime", type=float, default=None, help="Uptime of each operator node [0-1].")
@click.option("--failure-correlation", type=float, default=None,
              help="Correlation of operator outages [0-1] (default: independent).")
@click.option("--el-reward-per-block-eth", type=float, default=None, help="Execution reward per block [ETH].")
@click.option("--network-validators", type=int, default=None, help="Diva validators (network size).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the key figures and the peer table as CSV here.")
def quote(scenario_path: str | None, as_json: bool, csv_path: str | None, **options: Any) -> None:
    """Key figures of Diva and its peers for one scenario."""
    from divaecon.quote import peer_table, quote_json
    from divaecon.quote import quote as quote_figures

    scenario = scenario_with_options(scenario_path, options)
    if csv_path:
        import pandas as pd

        q = quote_figures(scenario)
        table = peer_table(scenario, q)
        values = {k: v for k, v in q.as_dict().items() if k != "scenario_name"}
        key = pd.DataFrame({"name": ["Diva: " + k for k in values], "value": list(values.values())})
        text = "# key figures\n" + key.to_csv(index=False) + "# peers\n" + table.to_csv(index=False)
        write_text_atomic(Path(csv_path), text)
    if as_json:
        click.echo(json.dumps(quote_json(scenario), indent=2, allow_nan=False))
    else:
        click.echo(quote_text(scenario))
        if csv_path:
            click.echo(f"Wrote {csv_path}")


@cli.command()
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False), default=None,
              help="Scenario YAML file (default: the embedded base scenario).")
@click.option("--grid", "grids", multiple=True, metavar="NAME=V1,V2,...",
              help="Sweep a parameter over values (repeatable; cartesian product).")
@click.option("--seeds", type=int, default=1, show_default=True, help="Monte Carlo draws per grid point.")
@click.option("--days", type=int, default=None, help="Horizon in days (default: the scenario's).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Write the recorded time series as .csv or .parquet.")
@click.option("--scheduler", default=None,
              help="dask.distributed scheduler address, or 'local' for a LocalCluster.")
def simulate(scenario_path: str | None, grids: Sequence[str], seeds: int, days: int | None,
             out_path: str | None, scheduler: str | None) -> None:
    """Simulate the Diva network day by day; sweep drivers and Monte Carlo seeds."""
    from divaecon.simulate import run_cli

    run_cli(scenario_path, list(grids), seeds, days, out_path, scheduler)


@cli.command()
@click.option("--scenario", "scenario_paths", multiple=True, type=click.Path(dir_okay=False),
              help="Scenario YAML file (repeatable; default: the shipped scenarios).")
@click.option("--notebook", "notebooks", multiple=True, help="Notebook name (repeatable; default: all).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports", show_default=True)
@click.option("--jobs", type=int, default=None, help="Parallel notebook runs (default: CPU count).")
@click.option("--format", "formats", default="pdf,html", show_default=True, help="Output formats.")
@click.option("--quick", is_flag=True, help="Small parameters (fewer draws, shorter horizon).")
def report(scenario_paths: Sequence[str], notebooks: Sequence[str], out_dir: str, jobs: int | None,
           formats: str, quick: bool) -> None:
    """Run the notebooks for each scenario and build PDF reports and a comparison."""
    from divaecon.reports import run_cli

    run_cli(list(scenario_paths), list(notebooks), out_dir, jobs, formats, quick)


@cli.command()
@click.option("--port", type=int, default=8866, show_default=True)
@click.option("--token", default=None, help="Access token (default: a random one).")
@click.option("--scenario", "scenario_path", default=None, help="Scenario YAML file the sliders start from.")
def app(port: int, token: str | None, scenario_path: str | None) -> None:
    """Serve the interactive dashboard with Voilà on 127.0.0.1."""
    from divaecon.widgets import serve_app

    serve_app(port=port, token=token, scenario_path=scenario_path)


_NO_ARGS_IS_HELP: type[click.UsageError] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("_Never", (click.UsageError,), {})
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: one-line errors with exit status 2, no tracebacks for bad input."""
    prog = "divaecon"
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name=prog, standalone_mode=False)
    except _NO_ARGS_IS_HELP as exc:
        click.echo(exc.format_message())
        return 0
    except click.UsageError as exc:
        message = exc.format_message().replace("\n", " ")
        click.echo(f"{prog}: error: {message}", err=True)
        return 2
    except DivaeconError as exc:
        click.echo(f"{prog}: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo(f"{prog}: interrupted", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"{prog}: error: {exc.format_message()}", err=True)
        return 2
    except BrokenPipeError:  # pragma: no cover
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
