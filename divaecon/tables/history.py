"""Tables of the backtest: the model's staker APR against published history.

``divaecon backtest``'s text (:func:`backtest_text`) and chapter 07's tables and text: the error
table per series (out-of-sample points only), the point table, what the errors contain, the
sources; the executive summary's line and the comparison's MAE per scenario. Every number is
read from a :class:`divaecon.backtest.BacktestResult`, so the text follows the data.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import pandas as pd

from divaecon import backtest
from divaecon import formatting as fmt
from divaecon.params import PeerParams, Scenario

SERIES_LABELS: dict[str, str] = {
    "network": "Network (ETH.STORE)",
    "lido": "Lido stETH",
    "rocketpool": "Rocket Pool rETH",
    "all": "All series",
}
"""How the backtest's series are named in tables and figures."""

SERIES_SHORT: dict[str, str] = {"network": "ETH.STORE", "lido": "stETH", "rocketpool": "rETH"}
"""The series in a word, for the point table's narrow column."""

ERROR_THRESHOLD = 0.002
"""Out-of-sample mean absolute error [fraction/year] above which a series' known causes are
stated beside its number (0.2 percentage points; issue 18)."""

IN_SAMPLE_TEXT = "in-sample"
OUT_OF_SAMPLE_TEXT = "out-of-sample"

_SHORT_SOURCES: tuple[tuple[str, str], ...] = (
    ("beaconcha.in ETH.STORE", "beaconcha.in ETH.STORE"),
    ("DefiLlama", "DefiLlama (Lido's API)"),
    ("Lido, Flipside", "Lido via Flipside"),
    ("Lido API via Flipside", "Lido via Flipside"),
    ("Web3Wagmi's", "Web3Wagmi's guide"),
    ("rETH protocol rate", "rETH rate, on-chain"),
    ("Blockscholes", "Blockscholes (2024-02-15)"),
    ("Rated", "Rated via HashKey Cloud (2024-07-25)"),
    ("EIP-8363", "EIP-8363 (relay payments, draft)"),
)

# what each series' published rate holds that the model leaves out (backtest.py's docstring,
# data/README.md and the notes of data/history_rates.csv and history_rules.csv)
_CAUSES: dict[str, tuple[str, ...]] = {
    "network": (
        "ETH.STORE's method (github.com/gobitfly/eth.store): the rewards of validators active all day, "
        "with their real missed duties, per ETH of their effective balance, where the model takes the "
        "spec's rewards at one assumed uptime for the average operator; whether its execution part "
        "counts every MEV-Boost payment to a proposer was not checked",
    ),
    "lido": (
        "Lido's deposit buffer: stETH's APR is over all pooled ETH, including the ETH waiting to be "
        "deposited (cash drag, left out of the model)",
        "rebase timing, and DefiLlama's rounding of Lido's APR to 0.1 % before February 2024",
    ),
    "rocketpool": (
        "rETH's deposit pool and the ETH the rETH contract holds earn nothing (cash drag, left out of the model)",
        "the commission mix: the model charges every rETH the LEB8's 14 %; 16-ETH minipools charge 15 %, "
        "minipools made after Saturn 0 10–14 % (no published mix of minipool kinds was found)",
        "the rates are 30-day changes of two on-chain rETH exchange rates (smoothing-pool and "
        "rebalance timing within the window), and 2026-05's is the midpoint of a quoted range",
    ),
}
_CAUSE_EL = (
    "the execution reward per block: the model interpolates between independent figures, each a mean "
    "over a long window (Blockscholes' mean from the Merge to February 2024, lottery blocks included, "
    "stands for 2023; EIP-8363's MEV-Boost relay mean for the year to July 2026 for 2025–26), while a "
    "7- or 30-day published rate seldom holds one of the rare large blocks that lift a long mean"
)


def short_source(text: str) -> str:
    """A source named in a few words (the point table, the figure's source line)."""
    text = " ".join(str(text).split())
    for prefix, short in _SHORT_SOURCES:
        if text.startswith(prefix):
            return short
    head = text.split(" (")[0].split("; ")[0]
    return head if len(head) <= 40 else head[:39] + "…"


@functools.lru_cache(maxsize=8)
def _backtest_of(peer_params: PeerParams) -> backtest.BacktestResult:
    return backtest.backtest(scenario=Scenario(peers=peer_params))


def history_result(scenario: Scenario | None = None) -> backtest.BacktestResult:
    """The backtest with ``scenario``'s node uptimes (its ``peers``), computed once a process for
    each set of peer parameters: a book's executive summary and chapter 07 share it, and so do
    scenarios whose peers agree (the comparison). The data files ship with the package and are
    read once a process too (:mod:`divaecon.backtest`)."""
    return _backtest_of(scenario.peers if scenario is not None else PeerParams())


def _out_of_sample(points: pd.DataFrame) -> pd.DataFrame:
    return points[points["sample"] == backtest.OUT_OF_SAMPLE]


def _month_span(points: pd.DataFrame) -> str:
    out = _out_of_sample(points)
    if out.empty:
        return "–"
    return f"{out['date'].min():%Y-%m} to {out['date'].max():%Y-%m}"


def history_error_table(result: backtest.BacktestResult) -> pd.DataFrame:
    """Chapter 07's error table: per series and for all, out-of-sample points only.

    Columns ``series``, ``out-of-sample points``, ``in-sample (left out)``, ``bias``,
    ``MAE`` (percentage points; bias = mean of predicted − published) and ``worst point``.
    """
    rows = []
    for r in result.summary.to_dict("records"):
        worst = (
            f"{r['worst_date']:%Y-%m-%d} ({fmt.pp(r['worst_error'])})"
            if r["n_out_of_sample"] and not pd.isna(r["worst_date"])
            else "–"
        )
        rows.append(
            (
                SERIES_LABELS.get(str(r["series"]), str(r["series"])),
                f"{r['n_out_of_sample']:,}",
                f"{r['n_in_sample']:,}",
                fmt.pp(r["bias"]),
                fmt.pp(r["mae"], signed=False),
                worst,
            )
        )
    return pd.DataFrame(
        rows, columns=["series", "out-of-sample points", "in-sample (left out)", "bias", "MAE", "worst point"]
    )


def history_points_table(result: backtest.BacktestResult) -> pd.DataFrame:
    """Every reference point: date, series, predicted, published, error, sample, source (each
    series and source in a few words, so a row fits on one line)."""
    p = result.points
    return pd.DataFrame(
        {
            "date": [f"{d:%Y-%m-%d}" for d in p["date"]],
            "series": [SERIES_SHORT.get(s, s) for s in p["series"]],
            "predicted": [fmt.pct(x) for x in p["predicted"]],
            "published": [fmt.pct(x) for x in p["published"]],
            "error": [fmt.pp(x) for x in p["error"]],
            "sample": [IN_SAMPLE_TEXT if s == "in_sample" else OUT_OF_SAMPLE_TEXT for s in p["sample"]],
            "source": [short_source(s) for s in p["source"]],
        }
    )


def history_sources(result: backtest.BacktestResult, short: bool = False) -> str:
    """The sources of the published rates and of the inputs (stake, execution reward), as one line."""
    rates = list(dict.fromkeys(result.points["source"]))
    el_sources = list(dict.fromkeys(backtest.independent_el_rows()["source"]))
    name = short_source if short else (lambda s: " ".join(str(s).split()))
    rate_text = "; ".join(dict.fromkeys(name(s) for s in rates))
    el_text = "; ".join(dict.fromkeys(name(s) for s in el_sources))
    stake = "beaconcha.in's staked-ETH chart" if short else "beaconcha.in's Staked ETH chart (data/history_stake.csv)"
    return f"published rates: {rate_text}; execution reward per block: {el_text}; stake: {stake}"


def history_sources_markdown(result: backtest.BacktestResult) -> str:
    """The full sources of the chapter, as a Markdown list (literal text)."""
    el_sources = backtest.independent_el_rows()["source"]
    lines = ["Sources of the published rates:", ""]
    lines += [f"- {fmt.markdown_literal(s)}" for s in dict.fromkeys(result.points["source"])]
    lines += ["", "Sources of the execution reward per block (independent of the rates compared):", ""]
    lines += [f"- {fmt.markdown_literal(s)}" for s in dict.fromkeys(el_sources)]
    lines += ["", "Stake: beaconcha.in's Staked ETH chart, the sum of effective balances (`data/history_stake.csv`)."]
    return "\n".join(lines)


def history_errors_markdown(result: backtest.BacktestResult, threshold: float = ERROR_THRESHOLD) -> str:
    """What the errors contain (the chapter's section of that name), as Markdown: each series'
    out-of-sample MAE and bias, and where the MAE exceeds ``threshold`` [fraction/year] the
    known causes beside the number."""
    summary = result.summary.set_index("series")
    points = result.points
    lines = []
    for name in [s for s in summary.index if s != "all"]:
        s = summary.loc[name]
        label = SERIES_LABELS.get(name, name)
        if not s["n_out_of_sample"]:
            lines.append(f"- **{label}**: no out-of-sample point.")
            continue
        side = "above" if s["bias"] > 0 else "below"
        worst = points[(points["series"] == name) & (points["date"] == s["worst_date"])].iloc[0]
        head = (
            f"- **{label}**: MAE {fmt.pp(s['mae'], signed=False)}, bias {fmt.pp(s['bias'])} (the model "
            f"{side} the published rate on average) over {int(s['n_out_of_sample'])} out-of-sample points; "
            f"worst {s['worst_date']:%Y-%m-%d} ({fmt.pp(s['worst_error'])}, at "
            f"{worst['el_reward_per_block_eth']:.3f} ETH of execution reward per block)."
        )
        if s["mae"] <= threshold:
            lines.append(f"{head} Within {fmt.pp(threshold, signed=False)}.")
            continue
        causes = [*_CAUSES.get(name, ()), _CAUSE_EL]
        lines.append(f"{head} Above {fmt.pp(threshold, signed=False)}; what the model leaves out here:")
        lines += [f"    - {c};" for c in causes[:-1]] + [f"    - {causes[-1]}."]
    lines += [
        "",
        "Cash drag and a higher commission lower the published rate, so they show as a positive error "
        "(the model above). Node uptimes are the model's defaults, not fitted to these rates.",
    ]
    return "\n".join(lines)


def _summary_facts(result: backtest.BacktestResult) -> str:
    s = result.summary.set_index("series").loc["all"]
    if not s["n_out_of_sample"]:
        return "no out-of-sample point"
    n_series = int((result.summary["series"].ne("all") & result.summary["n_out_of_sample"].gt(0)).sum())
    return (
        f"mean absolute error {fmt.pp(s['mae'], signed=False)} over {int(s['n_out_of_sample'])} "
        f"out-of-sample points ({n_series} series, {_month_span(result.points)})"
    )


def history_summary_line(result: backtest.BacktestResult) -> str:
    """One line: the out-of-sample MAE, its points, series and span ("Model against history: …")."""
    return f"Model against history: {_summary_facts(result)}"


def history_summary_row(result: backtest.BacktestResult) -> tuple[str, str, str]:
    """The executive summary's row on the backtest: label, the out-of-sample MAE, its sentence."""
    s = result.summary.set_index("series").loc["all"]
    return (
        "Model against history (out-of-sample MAE)",
        fmt.pp(s["mae"], signed=False),
        f"The model's staker APR against published rates, each predicted from that date's inputs only: "
        f"{_summary_facts(result)}; bias {fmt.pp(s['bias'])}. "
        + (
            f"{int(s['n_in_sample'])} point(s) a default was calibrated to are left out (chapter 07)."
            if s["n_in_sample"]
            else "No default was calibrated to any of these points (chapter 07)."
        ),
    )


def history_comparison(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Out-of-sample MAE per series (rows) of each scenario's backtest (columns, its node uptimes)."""
    data = {}
    index: list[str] = []
    for sc in scenarios:
        summary = history_result(sc).summary
        index = [SERIES_LABELS.get(s, s) for s in summary["series"]]
        data[sc.name] = [fmt.pp(x, signed=False) for x in summary["mae"]]
    return pd.DataFrame(data, index=index)


def history_comparison_markdown(scenarios: Sequence[Scenario]) -> str:
    """The comparison's line on the backtest: one line when every scenario's out-of-sample MAE is
    the same (their peers' node uptimes agree), else that line and a table of them (Markdown)."""
    table = history_comparison(scenarios)
    lit = fmt.markdown_literal
    first = history_result(scenarios[0]) if scenarios else history_result()
    per_series = ", ".join(
        f"{SERIES_LABELS.get(str(r['series']), str(r['series']))} {fmt.pp(r['mae'], signed=False)}"
        for r in first.summary.to_dict("records")
        if r["series"] != "all"
    )
    if table.shape[1] <= 1 or (table.nunique(axis=1) == 1).all():
        return lit(
            f"{history_summary_line(first)}: the same in every scenario (the backtest is model-wide and "
            f"their peers' node uptimes agree); by series {per_series}. Each book's chapter 07 has the points."
        )
    lines = [
        lit(
            "Out-of-sample mean absolute error of the model against history, by scenario: the backtest is "
            "model-wide, but the scenarios' peers run on different node uptimes. Each book's chapter 07 has the points."
        ),
        "",
        "| series | " + " | ".join(lit(c) for c in table.columns) + " |",
        "|---|" + "---:|" * table.shape[1],
    ]
    for label, row in table.iterrows():
        lines.append(f"| {lit(str(label))} | " + " | ".join(row) + " |")
    return "\n".join(lines)


def backtest_text(result: Any) -> str:
    """``divaecon backtest``'s table: each point, then bias, MAE and worst point per series."""
    lines = [
        "Predicted (model, from that date's stake, execution reward, rules and node uptime) against",
        "published staker APR. Error = predicted - published. In-sample points (used to calibrate a",
        "default) are shown but left out of the summary.",
        "",
        f"{'date':<10}  {'series':<10}  {'predicted':>9}  {'published':>9}  {'error':>8}  sample",
    ]
    for r in result.points.itertuples(index=False):
        sample = "in-sample (" + r.calibration + ")" if r.sample == "in_sample" else "out-of-sample"
        lines.append(
            f"{r.date.date().isoformat():<10}  {r.series:<10}  {fmt.pct(r.predicted):>9}  "
            f"{fmt.pct(r.published):>9}  {fmt.pp(r.error):>8}  {sample}"
        )
    lines += ["", "Out-of-sample error by series (percentage points):", ""]
    lines.append(f"{'series':<10}  {'n':>3}  {'in-sample':>9}  {'bias':>8}  {'MAE':>8}  worst point")
    for r in result.summary.itertuples(index=False):
        worst = f"{r.worst_date.date().isoformat()} ({fmt.pp(r.worst_error)})" if r.n_out_of_sample else "–"
        lines.append(
            f"{r.series:<10}  {r.n_out_of_sample:>3}  {r.n_in_sample:>9}  {fmt.pp(r.bias):>8}  "
            f"{fmt.pp(r.mae, signed=False):>8}  {worst}"
        )
    summary = result.summary.set_index("series")
    above = [n for n in summary.index if n != "all" and summary.loc[n, "mae"] > ERROR_THRESHOLD]
    for name in above:
        lines += ["", f"{name}: MAE above {fmt.pp(ERROR_THRESHOLD, signed=False)}; what the model leaves out here:"]
        lines += [f"  - {cause}" for cause in (*_CAUSES.get(name, ()), _CAUSE_EL)]
    return "\n".join(lines)
