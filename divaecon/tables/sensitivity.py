"""Tables and text of the global sensitivity analysis (:mod:`divaecon.sensitivity`): the bands,
the indices, and the required collateral "with its band" that the books quote."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from divaecon import formatting as fmt


def format_value(value: float, unit: str) -> str:
    """One output's value as a reader expects it (3.12 %, 2.19 divETH, 79 key shares)."""
    if not np.isfinite(value):
        return "more than 32 divETH" if unit == "divETH" else "—"
    if unit.startswith("fraction"):
        return fmt.pct(value)
    if unit == "divETH":
        return fmt.eth(value, 2, unit="divETH")
    if unit == "ETH/year":
        return fmt.eth(value, 4) + "/year"
    return fmt.number(value) + (f" {unit}" if unit else "")


def band_text(band: dict[str, float], unit: str, ceiling: float | None = None) -> str:
    """``2.19 divETH (P5–P95 1.6–3.1 divETH over the assumptions)``; with ``ceiling`` (the most
    the answer can be, :func:`collateral_ceiling_note`) a P95 there is said to be the ceiling."""
    lo, hi = format_value(band["p5"], unit), format_value(band["p95"], unit)
    note = collateral_ceiling_note(band, ceiling) if ceiling is not None else ""
    return f"{format_value(band['base'], unit)} (P5–P95 {lo} – {hi} over the assumptions{note})"


def collateral_ceiling(scenario: Any) -> float:
    """The most collateral per key share a target can ask of Diva [divETH]: the validator's stake
    over the threshold's key shares (a loss is at most the stake, and the threshold's key shares
    are the fewest whose collateral a loss reaches; :mod:`divaecon.risk.events`)."""
    diva = scenario.diva
    return float(diva.validator_stake_eth) / float(diva.threshold)


def collateral_ceiling_note(band: dict[str, float], ceiling: float) -> str:
    """``"; its top is the ceiling, 32 ETH over 11 key shares"`` when the band's P95 reaches the
    ceiling (within a thousandth), else ``""``."""
    if not band["p95"] >= ceiling * (1.0 - 1e-3):
        return ""
    return "; the top is the ceiling: collateral that covers the validator's whole stake"


def bands_table(result: Any) -> pd.DataFrame:
    """One row per output: at the scenario's values, P5, P50, P95 over the inputs."""
    rows = []
    for _, r in result.bands.iterrows():
        rows.append(
            {
                "output": r["label"],
                "at the scenario's values": format_value(r["base"], r["unit"]),
                "P5": format_value(r["p5"], r["unit"]),
                "P50": format_value(r["p50"], r["unit"]),
                "P95": format_value(r["p95"], r["unit"]),
            }
        )
    return pd.DataFrame(rows)


def indices_table(result: Any, output: str, top: int | None = 10) -> pd.DataFrame:
    """The indices of one output, largest first (Sobol: by ``ST``; Morris: by ``μ*``), with the
    95 % bootstrap intervals as ``± half-width``."""
    df = result.indices[result.indices["output"] == output].copy()
    if result.method == "sobol":
        df = df.sort_values("ST", ascending=False, kind="stable")
        table = pd.DataFrame(
            {
                "input": df["input"],
                "total (ST)": [f"{v:.2f} ± {c:.2f}" for v, c in zip(df["ST"], df["ST_conf"], strict=True)],
                "first-order (S1)": [f"{v:.2f} ± {c:.2f}" for v, c in zip(df["S1"], df["S1_conf"], strict=True)],
            }
        )
    else:
        df = df.sort_values("mu_star", ascending=False, kind="stable")
        table = pd.DataFrame(
            {
                "input": df["input"],
                "μ*": [f"{v:.3g} ± {c:.2g}" for v, c in zip(df["mu_star"], df["mu_star_conf"], strict=True)],
                "σ": [f"{v:.3g}" for v in df["sigma"]],
            }
        )
    table = table.reset_index(drop=True)
    return table.head(top) if top is not None else table


def sensitivity_text(result: Any, top: int = 8) -> str:
    """What ``divaecon sensitivity`` prints: the bands, then each output's leading inputs."""
    from divaecon.sensitivity import OUTPUTS

    what = (
        f"Sobol indices, {result.samples:,} base samples"
        if result.method == "sobol"
        else f"Morris screening, {result.samples:,} trajectories (μ* per unit of the input's probability scale)"
    )
    lines = [
        f"Scenario: {result.scenario}",
        f"{what} over {len(result.inputs)} uncertain inputs; {result.evaluations:,} evaluations; seed {result.seed}",
        "",
        "Answers over the assumptions (P5 / P50 / P95 of a separate "
        f"{int(result.bands['band_samples'].iloc[0]):,}-point sample):",
        bands_table(result).to_string(index=False),
    ]
    for name in result.outputs:
        lines += ["", f"{OUTPUTS[name].label} [{OUTPUTS[name].unit}] — leading inputs:"]
        lines.append(indices_table(result, name, top).to_string(index=False))
    if result.notes:
        lines += ["", *(f"note: {n}" for n in result.notes)]
    return "\n".join(lines)
