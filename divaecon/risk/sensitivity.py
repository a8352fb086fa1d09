"""How much the required collateral moves with each assumed rate: the tornado table.

Each assumption of the ``risk`` section (a parameter whose source says "assumption") is set,
one at a time, to a low and a high value (half and twice its default, kept inside its allowed
range), and the collateral per key share that meets the target is solved again by the closed
forms (:func:`divaecon.risk.closed_form.required_collateral`: exact, so the bars carry no Monte
Carlo noise). Rows are sorted by the width of their bar.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from divaecon.errors import ParameterError
from divaecon.params import RiskParams, Scenario
from divaecon.risk import closed_form

TORNADO_COLUMNS = [
    "parameter",
    "unit",
    "base",
    "low",
    "high",
    "required_at_low",
    "required_at_high",
    "required_at_base",
    "swing",
]


def assumed_parameters() -> list[str]:
    """Names of the ``risk`` parameters whose source is an assumption (rates, shares, lengths)."""
    out = []
    for name, info in RiskParams.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        source = str(extra.get("source", ""))
        if "assumption" in source and not name.startswith(("target_", "mc_")):
            out.append(name)
    return out


def _bounds(name: str) -> tuple[float, float]:
    """Allowed (inclusive-ish) range of a ``risk`` parameter from its constraints."""
    lo, hi = -float("inf"), float("inf")
    for meta in RiskParams.model_fields[name].metadata:
        for attr, kind in (("ge", "lo"), ("gt", "lo"), ("le", "hi"), ("lt", "hi")):
            val = getattr(meta, attr, None)
            if val is None:
                continue
            eps = 1e-9 if attr in ("gt", "lt") else 0.0
            if kind == "lo":
                lo = max(lo, float(val) + eps)
            else:
                hi = min(hi, float(val) - eps)
    return lo, hi


def tornado(
    scenario: Scenario,
    target_loss_probability: float | None = None,
    target_shortfall_apr: float | None = None,
    parameters: list[str] | None = None,
    factor: float = 2.0,
) -> pd.DataFrame:
    """Required collateral per key share at each assumption's low and high value.

    One target: ``target_loss_probability`` or ``target_shortfall_apr`` (default: the scenario's
    ``risk.target_loss_probability_per_year``). Low and high are the default divided and
    multiplied by ``factor``, clipped to the parameter's range. Columns :data:`TORNADO_COLUMNS`;
    ``swing`` = |required at high − required at low| [ETH per key share].
    """
    from divaecon.quote import quote
    from divaecon.risk.api import risk_model

    if target_loss_probability is not None and target_shortfall_apr is not None:
        raise ParameterError(["give at most one of target_loss_probability and target_shortfall_apr"])
    if not factor > 1.0:
        raise ParameterError([f"factor = {factor!r}: must be greater than 1"])
    names = assumed_parameters() if parameters is None else list(parameters)
    unknown = [n for n in names if n not in RiskParams.model_fields]
    if unknown:
        raise ParameterError(
            [f"parameters = {unknown!r}: not in the risk section; allowed: " + ", ".join(assumed_parameters())]
        )
    if target_loss_probability is None and target_shortfall_apr is None:
        target_loss_probability = scenario.risk.target_loss_probability_per_year
    target: dict[str, Any] = (
        {"target_loss_probability": target_loss_probability}
        if target_loss_probability is not None
        else {"target_shortfall_apr": target_shortfall_apr}
    )

    q = quote(scenario)  # the reward side: no risk parameter moves it

    def required(s: Scenario) -> float:
        return closed_form.required_collateral(risk_model(s, q), **target, rtol=closed_form.DISPLAY_RTOL)

    base_value = required(scenario)
    rows = []
    for name in names:
        base = float(getattr(scenario.risk, name))
        lo_bound, hi_bound = _bounds(name)
        low = min(max(base / factor, lo_bound), hi_bound)
        high = min(max(base * factor, lo_bound), hi_bound)
        kind = type(getattr(scenario.risk, name))
        at_low = required(scenario.override(**{f"risk.{name}": kind(low)}))
        at_high = required(scenario.override(**{f"risk.{name}": kind(high)}))
        extra = RiskParams.model_fields[name].json_schema_extra
        unit = str(extra.get("unit", "")) if isinstance(extra, dict) else ""
        rows.append(
            {
                "parameter": name,
                "unit": unit,
                "base": base,
                "low": low,
                "high": high,
                "required_at_low": at_low,
                "required_at_high": at_high,
                "required_at_base": base_value,
                "swing": abs(at_high - at_low),
            }
        )
    table = pd.DataFrame(rows, columns=TORNADO_COLUMNS)
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


RATE_GROUPS: dict[str, tuple[str, ...]] = {
    "inactivity leaks": ("leak_rate_per_year",),
    "client-wide slashing": ("client_slashing_rate_per_year",),
    "outages (regional, cloud, client, DVT software)": (
        "regional_outage_rate_per_year",
        "cloud_outage_rate_per_year",
        "client_bug_rate_per_year",
        "dvt_software_outage_rate_per_year",
    ),
    "abandonment (single and mass)": ("abandonment_rate_per_operator_per_year", "mass_abandonment_rate_per_year"),
    "every event rate": tuple(n for n in RiskParams.model_fields if "_rate_per_" in n),
}
"""Groups of event rates scaled together by :func:`required_collateral_curves`."""


CURVE_COLUMNS = ["group", "multiplier", "target", "required_collateral_eth"]


def required_collateral_curves(
    scenario: Scenario,
    multipliers: Any = None,
    groups: dict[str, tuple[str, ...]] | None = None,
    target_loss_probability: float | None = None,
    target_shortfall_apr: float | None = None,
) -> pd.DataFrame:
    """Required collateral per key share as groups of event rates are scaled [divETH].

    Each group's rates are multiplied by each of ``multipliers`` (default 0.1–10, 13 points,
    log-spaced) with every other parameter at the scenario's value; closed forms. The targets
    given (one or both; default: the scenario's loss-probability target) are solved on the same
    model, built once per group and multiplier (the reward side, :func:`~divaecon.quote.quote`,
    does not depend on event rates and is computed once). Columns :data:`CURVE_COLUMNS`;
    ``target`` is ``"target_loss_probability"`` or ``"target_shortfall_apr"``.
    """
    import numpy as np

    from divaecon.quote import quote
    from divaecon.risk.api import risk_model

    targets: dict[str, float] = {}
    if target_loss_probability is not None:
        targets["target_loss_probability"] = target_loss_probability
    if target_shortfall_apr is not None:
        targets["target_shortfall_apr"] = target_shortfall_apr
    if not targets:
        targets["target_loss_probability"] = scenario.risk.target_loss_probability_per_year
    mult = np.geomspace(0.1, 10.0, 13) if multipliers is None else np.asarray(multipliers, dtype=float)
    if mult.ndim != 1 or mult.size == 0 or np.any(~np.isfinite(mult)) or np.any(mult < 0):
        raise ParameterError([f"multipliers = {mult.tolist()!r}: must be finite and at least 0"])
    q = quote(scenario)
    rows = []
    for group, names in (RATE_GROUPS if groups is None else groups).items():
        for m in mult:
            s = scenario.override(**{f"risk.{n}": float(getattr(scenario.risk, n)) * float(m) for n in names})
            model = risk_model(s, q)
            for name, value in targets.items():
                required = closed_form.required_collateral(model, **{name: value}, rtol=closed_form.DISPLAY_RTOL)
                rows.append(
                    {"group": group, "multiplier": float(m), "target": name, "required_collateral_eth": required}
                )
    return pd.DataFrame(rows, columns=CURVE_COLUMNS)
