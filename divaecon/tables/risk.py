"""Tables of notebook 06 and ``divaecon risk``: collateral risk (:mod:`divaecon.risk`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from divaecon import figures
from divaecon import formatting as fmt
from divaecon.figures import KeyFigure
from divaecon.params import Scenario
from divaecon.quote import quote

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
    table = pd.DataFrame(data, index=[f.label for f in chosen])
    return _with_band_row(table, scenarios, figures.get("required_collateral_loss_probability_eth"))


def _with_band_row(table: pd.DataFrame, scenarios: Sequence[Scenario], f: KeyFigure) -> pd.DataFrame:
    """``table`` with a row under the loss-probability target's required collateral: its P5–P95
    over the assumptions (:func:`divaecon.sensitivity.required_collateral_band`, closed forms)."""
    from divaecon.sensitivity import required_collateral_band

    bands = [required_collateral_band(s) for s in scenarios]
    row = pd.DataFrame(
        [[f"{f.text(b['p5'])} – {f.text(b['p95'])}" for b in bands]],
        columns=table.columns,
        index=["  P5–P95 over the assumptions"],
    )
    at = list(table.index).index(f.label) + 1
    return pd.concat([table.iloc[:at], row, table.iloc[at:]])
