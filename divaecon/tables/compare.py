"""Scenarios side by side: the parameters that differ between them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from divaecon.params import Scenario

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
