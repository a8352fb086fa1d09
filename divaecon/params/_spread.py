"""How uncertain a default is, written beside it: :func:`spread`, the kinds of distribution, and the
checks of a scenario file's ``uncertainty:`` section.

A parameter's ``param(..., uncertainty=spread(...))`` stores a plain mapping in the field's
``json_schema_extra["uncertainty"]``: ``kind`` (one of :data:`KINDS`), its numeric
``parameters``, the ``basis`` (one of :data:`BASES`) and the ``text`` saying where the spread comes
from. :mod:`divaecon.uncertainty` turns these into distributions (scipy) and samples; this module
holds only the data and the validation, so the parameter objects need neither scipy nor the
shipped data.

Kinds and their parameters (each distribution is cut to the field's allowed range, so a sample is
always a valid value; "relative" means the scenario's own value is the centre):

- ``loguniform``: ``low``, ``high`` (absolute, ``0 < low < high``) or ``factor`` (relative:
  from value ÷ factor to value × factor, ``factor > 1``);
- ``uniform``: ``low``, ``high``;
- ``triangular``: ``low``, ``mode``, ``high``;
- ``normal``: ``mean``, ``sd``;
- ``lognormal``: ``sigma`` (relative: median = the value) or ``median`` and ``sigma``;
- ``gamma``: ``shape``, ``rate`` (a Poisson rate's posterior: shape = events + ½, rate = exposure);
- ``fixed``: none (the input is held at the scenario's value: not uncertain in this scenario).

A spread whose basis is ``record`` may name a ``record`` (a key that :mod:`divaecon.uncertainty`
derives the parameters from, with the shipped data) instead of giving numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

KINDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "loguniform": (("low", "high"), ("factor",)),
    "uniform": (("low", "high"),),
    "triangular": (("low", "mode", "high"),),
    "normal": (("mean", "sd"),),
    "lognormal": (("sigma",), ("median", "sigma")),
    "gamma": (("shape", "rate"),),
    "fixed": ((),),
}
"""Each kind's accepted sets of parameter names (one of the sets, exactly)."""

RELATIVE_KEYS: frozenset[tuple[str, tuple[str, ...]]] = frozenset(
    {("loguniform", ("factor",)), ("lognormal", ("sigma",))}
)
"""Kinds and parameter sets centred on the scenario's value."""

BASES: dict[str, str] = {
    "range": "the source's own range of the figure",
    "record": "a count of events over an exposure, or the spread of a dated record",
    "assumption": "an assumption, said as such (most often ×/÷ 2 around the value: no record)",
    "override": "set by the scenario file",
}
"""What a spread rests on."""

NOT_UNCERTAIN: dict[str, str] = {
    "diva.collateral_per_key_share_eth": "the decision the model prices (the required collateral is solved for it)",
    "risk.target_loss_probability_per_year": "a target the user chooses",
    "risk.target_shortfall_apr": "a target the user chooses",
}
"""Real-valued fields that are choices, not uncertain quantities: an ``uncertainty:`` entry for one is refused."""


def spread(kind: str, basis: str, text: str, record: str | None = None, **parameters: float) -> dict[str, Any]:
    """The uncertainty of a default, for ``param(..., uncertainty=...)``: a plain mapping.

    ``kind`` one of :data:`KINDS`, ``basis`` one of :data:`BASES`, ``text`` where it comes from;
    ``record`` names a record of :data:`divaecon.records.RECORDS` that derives the kind, the
    parameters, the text and the basis (``assumption`` where the record only bounds the spread);
    then ``basis`` is ``record``, ``text`` may be empty and no ``parameters`` are given. Checked
    when the class is defined.
    """
    if kind not in KINDS:
        raise ValueError(f"spread kind {kind!r}: allowed: {', '.join(KINDS)}")
    if basis not in BASES:
        raise ValueError(f"spread basis {basis!r}: allowed: {', '.join(BASES)}")
    if record is None:
        problem = parameter_problem(kind, {k: float(v) for k, v in parameters.items()})
        if problem:
            raise ValueError(f"spread {kind}: {problem}")
    elif basis != "record" or parameters:
        raise ValueError("a spread from a record has basis 'record' and no parameters")
    out: dict[str, Any] = {"kind": kind, "basis": basis, "text": text, "parameters": dict(parameters)}
    if record is not None:
        out["record"] = record
    return out


def field_range(section: str, name: str) -> tuple[float, float, bool, bool]:
    """``(lowest, highest, lowest_excluded, highest_excluded)`` a field accepts: its own ``ge``/``gt``/
    ``le``/``lt`` and :data:`~divaecon.params._fields.SANE_LIMITS` (the tighter of each)."""
    from divaecon.params._fields import SANE_LIMITS, SECTIONS

    lo, hi, lo_open, hi_open = -math.inf, math.inf, False, False
    for meta in SECTIONS[section].model_fields[name].metadata:
        for attr in ("ge", "gt", "le", "lt"):
            val = getattr(meta, attr, None)
            if val is None:
                continue
            v = float(val)
            if attr in ("ge", "gt") and (v > lo or (v == lo and attr == "gt")):
                lo, lo_open = v, attr == "gt"
            elif attr in ("le", "lt") and (v < hi or (v == hi and attr == "lt")):
                hi, hi_open = v, attr == "lt"
    sane = SANE_LIMITS.get(f"{section}.{name}")
    if sane is not None:
        if sane[0] > lo:
            lo, lo_open = float(sane[0]), False
        if sane[1] < hi:
            hi, hi_open = float(sane[1]), False
    return lo, hi, lo_open, hi_open


def uncertain_fields() -> list[str]:
    """``section.field`` of every real-valued field an ``uncertainty:`` entry may name, in file order."""
    from divaecon.params._fields import SECTIONS

    return [
        f"{section}.{name}"
        for section, cls in SECTIONS.items()
        for name, info in cls.model_fields.items()
        if info.annotation is float and f"{section}.{name}" not in NOT_UNCERTAIN
    ]


def default_spread(section: str, name: str) -> dict[str, Any] | None:
    """The spread written beside a field's default, or ``None``."""
    from divaecon.params._fields import SECTIONS

    extra = SECTIONS[section].model_fields[name].json_schema_extra
    found = extra.get("uncertainty") if isinstance(extra, dict) else None
    return dict(found) if isinstance(found, dict) else None


def parameter_problem(kind: str, p: Mapping[str, float]) -> str | None:
    """What is wrong with ``kind``'s parameters ``p`` on their own, or ``None``."""
    names = tuple(sorted(p))
    allowed = KINDS[kind]
    if names not in {tuple(sorted(s)) for s in allowed}:
        wanted = " or ".join("(" + ", ".join(s) + ")" if s else "no parameters" for s in allowed)
        return f"parameters ({', '.join(p) or 'none'}) do not fit; {kind} takes {wanted}"
    bad = [k for k, v in p.items() if not math.isfinite(v)]
    if bad:
        return f"{bad[0]} = {p[bad[0]]!r}: must be a finite number"
    if "low" in p and not p["low"] < p["high"]:
        return f"low = {p['low']!r}, high = {p['high']!r}: low must be below high"
    if kind == "loguniform" and "low" in p and not p["low"] > 0:
        return f"low = {p['low']!r}: a log-uniform range must start above 0"
    if "mode" in p and not p["low"] <= p["mode"] <= p["high"]:
        return f"mode = {p['mode']!r}: must be from low ({p['low']!r}) to high ({p['high']!r})"
    for key in ("factor",):
        if key in p and not p[key] > 1:
            return f"factor = {p[key]!r}: must be greater than 1"
    for key in ("sd", "sigma", "shape", "rate", "median"):
        if key in p and not p[key] > 0:
            return f"{key} = {p[key]!r}: must be greater than 0"
    if "sigma" in p and p["sigma"] > 10:
        return f"sigma = {p['sigma']!r}: at most 10 (a factor of e^10 for one standard deviation)"
    return None


def support_problem(section: str, name: str, kind: str, p: Mapping[str, float], value: float) -> str | None:
    """What makes a valid spread impossible for the field (its allowed range), or ``None``.

    A bounded kind's range (``low``..``high``) must lie inside the field's range; an unbounded kind
    (normal, lognormal, gamma) is cut to the field's range, so its centre (mean, median) must lie
    inside it; a relative kind needs a value above 0.
    """
    lo, hi, _, _ = field_range(section, name)
    rng = f"the field's allowed range {lo:g} to {hi:g}"
    if kind == "fixed":
        return None
    if (kind, tuple(sorted(p))) in RELATIVE_KEYS and not value > 0:
        return f"{kind} around the scenario's value {value!r}: needs a value above 0"
    if "low" in p and not (lo <= p["low"] and p["high"] <= hi):
        return f"support {p['low']:g} to {p['high']:g} is outside {rng}"
    centre = {"normal": p.get("mean"), "lognormal": p.get("median")}.get(kind)
    if kind == "gamma":
        centre = p["shape"] / p["rate"]  # the mean
    if centre is not None and not lo <= centre <= hi:
        return f"centre {centre:g} is outside {rng}"
    return None


def override_problems(raw: Any) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Parse a scenario file's ``uncertainty:`` section into ``{section.field: spread}`` and the
    problems found (one line each). Support checks that need the scenario's value are left to
    :func:`support_problem`."""
    from divaecon.params._fields import _format_value

    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, [f"uncertainty = {_format_value(raw)}: must be a mapping of section.field to a distribution"]
    allowed = uncertain_fields()
    out: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for key, entry in raw.items():
        where = f"uncertainty.{_format_value(key)[1:-1] if isinstance(key, str) else _format_value(key)}"
        if not isinstance(key, str) or key not in allowed:
            problems.append(_unknown(where, key, allowed))
            continue
        if not isinstance(entry, Mapping):
            problems.append(f"{where} = {_format_value(entry)}: must be a mapping with kind, its parameters and basis")
            continue
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in KINDS:
            problems.append(f"{where}.kind = {_format_value(kind)}: unknown kind; allowed: {', '.join(KINDS)}")
            continue
        basis = entry.get("basis", "set in the scenario file")
        if not isinstance(basis, str):
            problems.append(f"{where}.basis = {_format_value(basis)}: must be text")
            continue
        params: dict[str, float] = {}
        bad = None
        for k, v in entry.items():
            if k in ("kind", "basis"):
                continue
            if not isinstance(k, str) or isinstance(v, bool) or not isinstance(v, int | float):
                bad = f"{where}.{k} = {_format_value(v)}: must be a number"
                break
            if isinstance(v, int) and abs(v) > 1e300:
                bad = f"{where}.{k} = {_format_value(v)}: must be a finite number"
                break
            params[k] = float(v)
        if bad is None:
            problem = parameter_problem(kind, params)
            bad = f"{where} ({kind}): {problem}" if problem else None
        if bad is not None:
            problems.append(bad)
            continue
        out[key] = {"kind": kind, "basis": "override", "text": basis, "parameters": params}
    return out, problems


def _unknown(where: str, key: Any, allowed: list[str]) -> str:
    from divaecon.params._fields import SECTIONS

    if isinstance(key, str) and "." in key:
        section, _, name = key.partition(".")
        cls = SECTIONS.get(section)
        if cls is not None and name in cls.model_fields:
            why = NOT_UNCERTAIN.get(key, "not a real-valued quantity")
            return f"{where}: {key} cannot be uncertain ({why})"
    return (
        f"{where}: unknown or not an uncertain field; allowed: section.field of a real-valued parameter "
        f"(e.g. {allowed[0]})"
    )
