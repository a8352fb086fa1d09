"""The ``divaecon`` command line: ``quote``, ``risk``, ``sensitivity``, ``backtest``, ``simulate``, ``report``, ``app``,
``init``.

Presentation only: every number comes from the package. Bad input exits with status 2 and one
line on stderr naming the option (or scenario field), the value and what is allowed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from divaecon._io import check_writable, write_atomic
from divaecon.cli_support import (
    _backtest_with_flags,
    check_risk_options,
    explain_text,
    parse_grid,
    quote_csv,
    rules_options,
    run_reports,
    scenario_with_options,
    shown,
    with_rule_options,
    write_table_atomic,
)
from divaecon.errors import DivaeconError, one_line
from divaecon.params import Scenario, load_scenario


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="divaecon")
def cli() -> None:
    """divaecon — economics of Diva Staking against its peers."""


_scenario_option = click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Scenario YAML file (default: the embedded base scenario).",
)


@cli.command()
@_scenario_option
@click.option("--total-staked-eth", type=float, default=None, help="Total ETH staked on Ethereum [ETH].")
@click.option("--collateral-per-key-share", type=float, default=None, help="divETH collateral per key share.")
@click.option("--operator-uptime", type=float, default=None, help="Uptime of each operator node [0-1].")
@click.option(
    "--failure-correlation",
    type=float,
    default=None,
    help="Correlation of operator outages [0-1] (default: independent).",
)
@click.option("--el-reward-per-block-eth", type=float, default=None, help="Execution reward per block [ETH].")
@click.option("--network-validators", type=int, default=None, help="Diva validators (network size).")
@click.option(
    "--same-node-uptime/--own-node-uptime",
    "same_node_uptime",
    default=None,
    help="Run every peer on Diva's node uptime (like for like) / on nodes of its own kind "
    "(default: the scenario's peers.same_node_uptime_for_all).",
)
@rules_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the key figures and the peer table as CSV here.",
)
def quote(scenario_path: str | None, as_json: bool, csv_path: str | None, **options: Any) -> None:
    """Key figures of Diva and its peers for one scenario."""
    from divaecon.quote import quote_json
    from divaecon.tables import quote_text

    scenario = scenario_with_options(scenario_path, options)
    if csv_path is not None:
        check_writable(csv_path, "--csv")
        write_atomic(csv_path, quote_csv(scenario))
    if as_json:
        click.echo(json.dumps(quote_json(scenario), indent=2, allow_nan=False))
    else:
        click.echo(quote_text(scenario))
        if csv_path:
            click.echo(f"Wrote {csv_path}")


@cli.command()
@_scenario_option
@click.option(
    "--collateral-per-key-share",
    "collateral",
    type=float,
    default=None,
    help="divETH collateral per key share (default: the scenario's).",
)
@click.option(
    "--target-shortfall-apr",
    type=float,
    default=None,
    help="Solve the collateral for this expected shortfall, as an APR cost to divETH (0.0001 = 0.01 %).",
)
@click.option(
    "--target-loss-probability",
    type=float,
    default=None,
    help="Solve the collateral for this probability per validator-year that stakers bear a loss.",
)
@click.option(
    "--validator-years",
    type=int,
    default=None,
    help="Monte Carlo validator-years (default: the scenario's risk.mc_validator_years).",
)
@click.option("--seed", type=int, default=None, help="Monte Carlo seed (default: the scenario's risk.mc_seed).")
@click.option(
    "--max-memory",
    "max_memory",
    default=None,
    metavar="SIZE",
    help="Refuse a Monte Carlo estimated above this (8GB, 512MiB, 50%%; default: half the memory).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the report.")
@rules_options
def risk(
    scenario_path: str | None,
    collateral: float | None,
    target_shortfall_apr: float | None,
    target_loss_probability: float | None,
    validator_years: int | None,
    seed: int | None,
    max_memory: str | None,
    as_json: bool,
    **rule_options: Any,
) -> None:
    """Collateral risk: losses, stakers' shortfall, required collateral, risk-adjusted yields."""
    from divaecon.risk import risk_report
    from divaecon.tables import risk_text

    check_risk_options(collateral, target_shortfall_apr, target_loss_probability, validator_years, seed)
    if max_memory is not None:
        from divaecon import sizing

        sizing.parse_size(max_memory)
    scenario = load_scenario(scenario_path) if scenario_path is not None else Scenario()
    scenario = with_rule_options(scenario, rule_options, command="risk")
    report = risk_report(
        scenario, collateral, target_loss_probability, target_shortfall_apr, validator_years, seed, max_memory
    )
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, allow_nan=False))
    else:
        click.echo(risk_text(report))


@cli.command()
@_scenario_option
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="NAME",
    help="An output to explain (repeat; default: every closed-form output). 'list' lists them.",
)
@click.option("--method", type=click.Choice(["sobol", "morris"]), default="sobol", show_default=True)
@click.option(
    "--samples",
    type=int,
    default=None,
    help="Sobol: base samples N, a power of 2 (default 1024); Morris: trajectories (default 64).",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of every sample and bootstrap.")
@click.option(
    "--scheduler",
    default=None,
    help="Run the simulated outputs' networks on dask: a scheduler address, or 'local' for a LocalCluster.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the tables.")
def sensitivity(
    scenario_path: str | None,
    outputs: tuple[str, ...],
    method: str,
    samples: int | None,
    seed: int,
    scheduler: str | None,
    as_json: bool,
) -> None:
    """Which assumptions matter: Sobol or Morris indices of each output, and its P5–P95 band."""
    from divaecon.sensitivity import OUTPUTS
    from divaecon.sensitivity import sensitivity as run
    from divaecon.tables.sensitivity import sensitivity_text

    if outputs == ("list",):
        click.echo("\n".join(f"{name}: {o.label} [{o.unit}]" for name, o in OUTPUTS.items()))
        return
    if scheduler is not None and not any(OUTPUTS[o].source == "simulation" for o in outputs if o in OUTPUTS):
        raise DivaeconError(
            f"--scheduler {scheduler}: only the simulated outputs run on dask; give --output "
            "simulated_staker_apy or simulated_cash_drag with it, or no --scheduler"
        )
    scenario = load_scenario(scenario_path) if scenario_path is not None else Scenario()
    n = samples if samples is not None else (1024 if method == "sobol" else 64)
    result = run(scenario, list(outputs) or None, method, n, seed, progress=sys.stderr.isatty(), client=scheduler)
    click.echo(json.dumps(result.as_dict(), indent=2, allow_nan=False) if as_json else sensitivity_text(result))


@cli.command()
@click.option(
    "--series",
    "series",
    multiple=True,
    metavar="NAME",
    help="Compare only this series (network, lido, rocketpool); repeat for several (default: all).",
)
@click.option("--start", default=None, metavar="DATE", help="First date (YYYY-MM-DD) of the points compared.")
@click.option("--end", default=None, metavar="DATE", help="Last date (YYYY-MM-DD) of the points compared.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object (points and summary) instead of the table."
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write every point (with the inputs used) as CSV here.",
)
def backtest(series: tuple[str, ...], start: str | None, end: str | None, as_json: bool, csv_path: str | None) -> None:
    """How well the model tracks history: predicted against published staker APR, point by point."""
    from divaecon import backtest as bt

    bt.check_series(series, "--series")
    result = _backtest_with_flags(bt, series, start, end)
    if csv_path is not None:
        check_writable(csv_path, "--csv")
        write_atomic(csv_path, result.points.to_csv(index=False, date_format="%Y-%m-%d"))
    if as_json:
        click.echo(json.dumps(bt.as_json(result), indent=2, allow_nan=False))
    else:
        from divaecon.tables.history import backtest_text

        click.echo(backtest_text(result))
        if csv_path:
            click.echo(f"Wrote {csv_path}")


@cli.command()
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Scenario YAML file (default: the embedded base scenario).",
)
@click.option(
    "--grid",
    "grids",
    multiple=True,
    metavar="NAME=V1,V2,...",
    help="Sweep a parameter over values (repeatable; cartesian product).",
)
@click.option("--seeds", type=int, default=1, show_default=True, help="Monte Carlo draws per grid point.")
@click.option("--days", type=int, default=None, help="Horizon in days (default: the scenario's).")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the recorded time series as .csv or .parquet.",
)
@click.option(
    "--record-every",
    "record_every",
    type=int,
    default=None,
    help="Record the time series every N days (default: the scenario's record_every_days).",
)
@click.option("--scheduler", default=None, help="dask.distributed scheduler address, or 'local' for a LocalCluster.")
@click.option(
    "--max-memory",
    "max_memory",
    default=None,
    metavar="SIZE",
    help="Refuse runs estimated above this (e.g. 8GB, 50%; default: half of this machine's "
    "memory, or $DIVAECON_MAX_MEMORY).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Instead: what stake growth, the entry queue and collateral each cost the staker APY; "
    "beside it, the run without the deposit cap.",
)
@rules_options
def simulate(
    scenario_path: str | None,
    grids: Sequence[str],
    seeds: int,
    days: int | None,
    out_path: str | None,
    record_every: int | None,
    scheduler: str | None,
    max_memory: str | None,
    explain: bool,
    **rule_options: Any,
) -> None:
    """Simulate the Diva network day by day; sweep drivers and Monte Carlo seeds."""
    from divaecon import sizing
    from divaecon.simulate import DEFAULT_RECORD, sweep
    from divaecon.simulate.api import MAX_DAYS, MAX_SEEDS, check_size, grid_size

    base = load_scenario(scenario_path) if scenario_path is not None else Scenario()
    horizon_days = days if days is not None and 1 <= days <= MAX_DAYS else base.simulation.horizon_days
    base = with_rule_options(base, rule_options, horizon_days, command="simulate")
    if explain:
        if grids or out_path or scheduler or seeds != 1:
            raise DivaeconError("--explain: runs the scenario alone; leave out --grid, --seeds, --out, --scheduler")
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise DivaeconError(f"--days = {days}: must be from 1 to {MAX_DAYS:,}")
        click.echo(explain_text(base, days))
        return
    grid = parse_grid(list(grids), base)
    if isinstance(seeds, bool) or not 1 <= seeds <= MAX_SEEDS:
        raise DivaeconError(f"--seeds = {seeds}: must be an integer from 1 to {MAX_SEEDS:,}")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise DivaeconError(f"--days = {days}: must be from 1 to {MAX_DAYS:,}")
    if record_every is not None and not 1 <= record_every <= MAX_DAYS:
        raise DivaeconError(f"--record-every = {record_every}: must be from 1 to {MAX_DAYS:,} days")
    if max_memory is not None:
        sizing.parse_size(max_memory)
    if out_path is not None:
        if Path(out_path).suffix.lower() not in (".csv", ".parquet"):
            raise DivaeconError(f"--out {shown(out_path)}: must end in .csv or .parquet")
        check_writable(out_path, "--out")
    points = grid_size(grid)
    horizon = days if days is not None else base.simulation.horizon_days
    every = record_every if record_every is not None else base.simulation.record_every_days
    estimate = check_size(points * seeds, points, horizon, every, len(DEFAULT_RECORD), scheduler, max_memory)
    if estimate.seconds > 30:
        click.echo(f"divaecon simulate: {estimate.text()} (estimated); Ctrl-C stops", err=True)
    res = sweep(
        base,
        grid,
        seeds=seeds,
        client=scheduler,
        days=days,
        record_every_days=record_every,
        progress=True,
        max_memory=max_memory,
    )
    from divaecon.tables.network import simulation_summary_text

    click.echo(simulation_summary_text(res, base))
    if out_path is not None:
        write_table_atomic(res.timeseries, Path(out_path))
        click.echo(f"Wrote {len(res.timeseries):,} rows to {shown(out_path)}")


@cli.command()
@click.option(
    "--scenario",
    "scenario_paths",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Scenario YAML file (repeatable; default: the shipped scenarios).",
)
@click.option(
    "--notebook",
    "notebooks",
    multiple=True,
    help="Topic notebook a book holds (repeatable; default: all report notebooks).",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports", show_default=True)
@click.option("--jobs", type=int, default=None, help="Books run in parallel (default: CPU count).")
@click.option("--format", "formats", default="pdf,html", show_default=True, help="Output formats.")
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper size of the PDFs.",
)
@click.option("--split", is_flag=True, help="Also one PDF per topic notebook, beside each book.")
@click.option("--quick", is_flag=True, help="Small parameters (fewer draws, shorter horizon).")
@rules_options
def report(
    scenario_paths: Sequence[str],
    notebooks: Sequence[str],
    out_dir: str,
    jobs: int | None,
    formats: str,
    paper: str,
    split: bool,
    quick: bool,
    **rule_options: Any,
) -> None:
    """One PDF book per scenario (cover, executive summary, contents, a chapter per notebook) and
    the comparison of all scenarios, with index.html. Rule flags apply to every scenario."""
    run_reports(
        list(scenario_paths),
        list(notebooks),
        out_dir,
        jobs,
        formats,
        quick,
        paper=paper.lower(),
        split=split,
        rule_options=rule_options,
    )


@cli.command()
@click.option("--port", type=int, default=8866, show_default=True)
@click.option(
    "--token",
    default=None,
    envvar="DIVAECON_APP_TOKEN",
    show_envvar=True,
    help="Access token (default: a random one). On the command line it is visible to other "
    "local users (ps); prefer the environment variable.",
)
@click.option("--scenario", "scenario_path", default=None, help="Scenario YAML file the sliders start from.")
def app(port: int, token: str | None, scenario_path: str | None) -> None:
    """Serve the interactive dashboard with Voilà on 127.0.0.1."""
    from divaecon.app import serve_app

    if scenario_path is not None and scenario_path == "":
        raise DivaeconError("--scenario '': give the path of a scenario file, or leave the option out")
    notes = []
    if (
        token is not None
        and click.get_current_context().get_parameter_source("token") is click.core.ParameterSource.COMMANDLINE
    ):
        notes.append(
            "divaecon app: note: a --token on the command line is visible to other local users (ps); "
            "set DIVAECON_APP_TOKEN instead"
        )
    serve_app(port=port, token=token, scenario_path=scenario_path, notes=notes)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite notebooks and scenario files already in FOLDER.")
def init(folder: Path, force: bool) -> None:
    """Copy the notebooks and scenario files into FOLDER, to edit and run there.

    FOLDER gets notebooks/ and data/scenarios/, laid out as in divaecon's repository: with
    scenario_path = "../data/scenarios/base.yaml" in its parameters cell, a notebook runs on your
    copy. Existing files are kept unless --force.
    """
    import shlex

    from divaecon.resources import init_workbook

    book = init_workbook(folder, force=force)
    replaced = f", replacing {len(book.overwritten)}" if book.overwritten else ""
    click.echo(
        f"Wrote {len(book.notebooks)} notebooks and {len(book.scenarios)} scenario files to {book.folder}{replaced}:"
    )
    for rel in (*book.notebooks, *book.scenarios):
        click.echo(f"  {rel.as_posix()}")
    report_nb = next((rel for rel in book.notebooks if rel.name != "00_explore.ipynb"), book.notebooks[0])
    click.echo("\nNext:")
    click.echo(f"  cd {shlex.quote(str(folder))}")
    click.echo("  jupyter lab        # open notebooks/; to run one on your scenario file, set in its parameters")
    click.echo('                     # cell: scenario_path = "../data/scenarios/base.yaml"')
    click.echo(f"  divaecon report --scenario {book.scenarios[0].as_posix()} --notebook {report_nb.as_posix()}")


_NO_ARGS_IS_HELP: type[click.UsageError] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("_Never", (click.UsageError,), {})
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: one-line errors with exit status 2, no tracebacks for bad input."""
    prog = "divaecon"
    args = list(argv) if argv is not None else None
    for i, arg in enumerate(args or []):
        if "\x00" in str(arg):  # impossible on a real command line; os functions raise ValueError on it
            click.echo(f"{prog}: error: argument {i + 1} contains a NUL character", err=True)
            return 2
    try:
        cli.main(args=args, prog_name=prog, standalone_mode=False)
    except _NO_ARGS_IS_HELP as exc:
        click.echo(exc.format_message())
        return 0
    except click.UsageError as exc:
        message = one_line(" ".join(exc.format_message().split("\n")))
        message = message if len(message) <= 300 else message[:297] + "..."  # click quotes the value
        click.echo(f"{prog}: error: {message}", err=True)
        return 2
    except DivaeconError as exc:
        click.echo(f"{prog}: error: {one_line(str(exc)) or type(exc).__name__}", err=True)
        return 2
    except OSError as exc:  # the machine, not the input: a full disk, a file gone mid-run
        if isinstance(exc, BrokenPipeError):
            return 0
        where = f": {shown(exc.filename)}" if exc.filename else ""
        click.echo(f"{prog}: error: {exc.strerror or type(exc).__name__}{where}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo(f"{prog}: interrupted", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"{prog}: error: {one_line(exc.format_message())}", err=True)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
