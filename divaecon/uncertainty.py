"""What we do not know, as data: each uncertain input of a scenario as a distribution with its basis.

Every uncertain default carries its spread beside it, in the parameter objects
(``param(..., uncertainty=spread(...))``, :mod:`divaecon.params._spread`); a scenario file may
replace any of them in a top-level ``uncertainty:`` section::

    uncertainty:
      risk.leak_rate_per_year: {kind: gamma, shape: 0.5, rate: 3.56, basis: "no leak in 3.56 years"}
      diva.operator_uptime: {kind: uniform, low: 0.97, high: 0.995}
      risk.regional_outage_rate_per_year: {kind: loguniform, factor: 3}   # ×/÷ 3 around the value
      costs.hardware_cost_usd: {kind: fixed}                                # held at the value

:func:`uncertain_inputs` gives the inputs of a scenario as :class:`UncertainInput` objects
(name, kind, basis, the scenario's value, a vectorised inverse CDF cut to the field's allowed
range, an interval, the scipy distribution), in a stable order: the sections' order in a
scenario file (``ethereum``, ``diva``, ``costs``, ``peers``, ``simulation``, ``risk``), then the
fields' order in each section. Sampling methods (Morris, Sobol, plain Monte Carlo) map their
points on the unit cube through :meth:`UncertainInput.ppf`.

References
----------
The Gamma posterior of a Poisson rate (``shape = events + a₀``, ``rate = exposure + b₀`` from a
Gamma(a₀, b₀) prior; Jeffreys' prior a₀ = ½, b₀ = 0): Gelman et al., *Bayesian Data Analysis*,
3rd ed., §2.6. Distributions: ``scipy.stats`` (gamma with ``scale = 1 / rate``, loguniform,
uniform, triang, norm, lognorm with ``scale = median``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from divaecon.errors import ParameterError
from divaecon.params import SECTIONS, Scenario, resolve_name
from divaecon.params._spread import BASES, RELATIVE_KEYS, default_spread, field_range, uncertain_fields
from divaecon.records import record_spread


@dataclass(frozen=True, eq=False)
class UncertainInput:
    """One uncertain input of a scenario: its distribution, cut to the field's allowed range."""

    name: str
    """``section.field``."""
    kind: str
    """``loguniform``, ``uniform``, ``triangular``, ``normal``, ``lognormal`` or ``gamma``."""
    basis: str
    """What the spread rests on: ``range`` (the source's own range), ``record`` (counts over an
    exposure, or a dated record's spread), ``assumption`` (said as such; mostly ×/÷ 2) or
    ``override`` (the scenario file's ``uncertainty:`` section)."""
    source: str
    """Where the spread comes from, in words."""
    default: float
    """The scenario's value of the field (the centre of a relative spread)."""
    parameters: Mapping[str, float]
    """The distribution's parameters, absolute (a relative spread resolved around ``default``)."""
    dist: Any
    """The frozen ``scipy.stats`` distribution before the cut to [``low``, ``high``]."""
    low: float
    """Lowest value a sample takes: the field's lowest allowed value or the distribution's, the higher."""
    high: float
    """Highest value a sample takes."""
    unit: str = ""
    _cdf_lo: float = field(default=0.0, repr=False)
    _cdf_hi: float = field(default=1.0, repr=False)

    def ppf(self, u: ArrayLike) -> np.ndarray:
        """Inverse CDF of the cut distribution at ``u`` in (0, 1), vectorised; inside [low, high].

        ``dist.ppf(F(low) + u · (F(high) − F(low)))``, F the uncut CDF: the distribution
        conditioned on the field's allowed range.
        """
        q = np.asarray(u, dtype=float)
        if np.any(~np.isfinite(q)) or np.any((q <= 0.0) | (q >= 1.0)):
            raise ParameterError([f"{self.name}: probabilities must lie strictly between 0 and 1"])
        x = np.asarray(self.dist.ppf(self._cdf_lo + q * (self._cdf_hi - self._cdf_lo)), dtype=float)
        return np.clip(x, self.low, self.high)

    def interval(self, p: float = 0.90) -> tuple[float, float]:
        """Central interval holding probability ``p`` of the cut distribution: (P(1−p)/2, P(1+p)/2)."""
        if not 0.0 < p < 1.0:
            raise ParameterError([f"p = {p!r}: must be between 0 and 1"])
        lo, hi = self.ppf(np.array([(1.0 - p) / 2.0, (1.0 + p) / 2.0]))
        return float(lo), float(hi)

    @property
    def median(self) -> float:
        """Median of the cut distribution."""
        return float(self.ppf(np.array([0.5]))[0])

    def describe(self) -> str:
        """The distribution in words, e.g. ``log-uniform 0.025–0.1``."""
        p = self.parameters
        if self.kind in ("loguniform", "uniform"):
            name = "log-uniform" if self.kind == "loguniform" else "uniform"
            text = f"{name} {_number(p['low'])}–{_number(p['high'])}"
        elif self.kind == "triangular":
            text = f"triangular {_number(p['low'])}–{_number(p['mode'])}–{_number(p['high'])}"
        elif self.kind == "normal":
            text = f"normal mean {_number(p['mean'])}, sd {_number(p['sd'])}"
        elif self.kind == "lognormal":
            text = f"lognormal median {_number(p['median'])}, σ {p['sigma']:.3g}"
        else:
            text = f"gamma shape {_number(p['shape'])}, rate {_number(p['rate'])}"
        if self._cdf_lo > 1e-9 or self._cdf_hi < 1.0 - 1e-9:
            text += f", cut to {_number(self.low)}–{_number(self.high)}"
        return text


def _number(x: float) -> str:
    """``x`` to four significant figures, thousands separated (1,234; 0.02679; 3.3e-05)."""
    if x != 0 and (abs(x) >= 1e4 or abs(x) < 1e-3):
        return f"{x:,.0f}" if abs(x) >= 1e4 else f"{x:.3g}"
    return f"{x:,.4g}"


def _distribution(kind: str, p: Mapping[str, float]) -> Any:
    if kind == "loguniform":
        return stats.loguniform(p["low"], p["high"])
    if kind == "uniform":
        return stats.uniform(loc=p["low"], scale=p["high"] - p["low"])
    if kind == "triangular":
        width = p["high"] - p["low"]
        return stats.triang((p["mode"] - p["low"]) / width, loc=p["low"], scale=width)
    if kind == "normal":
        return stats.norm(loc=p["mean"], scale=p["sd"])
    if kind == "lognormal":
        return stats.lognorm(p["sigma"], scale=p["median"])
    if kind == "gamma":
        return stats.gamma(p["shape"], scale=1.0 / p["rate"])
    raise ParameterError([f"kind {kind!r}: no distribution"])  # pragma: no cover - checked on load


def _absolute(kind: str, p: Mapping[str, float], value: float) -> dict[str, float]:
    """A relative spread's parameters around ``value``; absolute ones unchanged."""
    if (kind, tuple(sorted(p))) not in RELATIVE_KEYS:
        return dict(p)
    if kind == "loguniform":
        return {"low": value / p["factor"], "high": value * p["factor"]}
    return {"median": value, "sigma": p["sigma"]}


def make_input(
    name: str, kind: str, parameters: Mapping[str, float], basis: str, source: str, value: float
) -> UncertainInput:
    """An :class:`UncertainInput` for ``section.field`` ``name``: the distribution ``kind`` with
    ``parameters`` (relative ones around ``value``), cut to the field's allowed range."""
    section, _, field_name = name.partition(".")
    if basis not in BASES:
        raise ParameterError([f"{name}: basis {basis!r}; allowed: {', '.join(BASES)}"])
    p = _absolute(kind, parameters, value)
    dist = _distribution(kind, p)
    f_lo, f_hi, lo_open, hi_open = field_range(section, field_name)
    d_lo, d_hi = (float(v) for v in dist.support())
    lo, hi = max(f_lo, d_lo), min(f_hi, d_hi)
    if lo_open and lo == f_lo:
        lo = float(np.nextafter(lo, np.inf))
    if hi_open and hi == f_hi:
        hi = float(np.nextafter(hi, -np.inf))
    c_lo, c_hi = float(dist.cdf(lo)), float(dist.cdf(hi))
    if not c_hi - c_lo > 1e-9:
        raise ParameterError(
            [f"{name} ({kind}): almost none of the distribution lies in the allowed range {f_lo:g} to {f_hi:g}"]
        )
    unit = str((SECTIONS[section].model_fields[field_name].json_schema_extra or {}).get("unit", ""))  # type: ignore[union-attr]
    return UncertainInput(name, kind, basis, source, float(value), p, dist, lo, hi, unit, c_lo, c_hi)


def _spec(scenario: Scenario, name: str) -> tuple[str, dict[str, float], str, str] | None:
    """``(kind, parameters, basis, source)`` of ``name`` in ``scenario``: its file's override, or
    the spread beside the default (a record resolved); ``None`` when not uncertain or fixed."""
    for key, kind, text, params in scenario.uncertainty:
        if key == name:
            return None if kind == "fixed" else (kind, dict(params), "override", text)
    section, _, field_name = name.partition(".")
    spec = default_spread(section, field_name)
    if spec is None or spec["kind"] == "fixed":
        return None
    if "record" in spec:
        rec = record_spread(spec["record"])
        return rec.kind, dict(rec.parameters), rec.basis, rec.text
    return spec["kind"], dict(spec["parameters"]), spec["basis"], spec["text"]


def uncertain_inputs(scenario: Scenario | None = None, names: Sequence[str] | None = None) -> list[UncertainInput]:
    """The uncertain inputs of ``scenario`` (default: the base scenario), in file order.

    Without ``names``: every field with a spread beside its default or in the scenario's
    ``uncertainty:`` section (minus those it sets ``fixed``). With ``names`` (``section.field``
    or plain field names): those, in the order given; one not uncertain in the scenario is a
    :class:`~divaecon.errors.ParameterError`.
    """
    scenario = scenario if scenario is not None else Scenario()
    if names is None:
        chosen = uncertain_fields()
    else:
        chosen = []
        for n in names:
            section, field_name = resolve_name(n)
            chosen.append(f"{section}.{field_name}")
        if len(set(chosen)) != len(chosen):
            raise ParameterError([f"names = {list(names)!r}: each input at most once"])
    allowed = set(uncertain_fields())
    out = []
    for name in chosen:
        spec = _spec(scenario, name) if name in allowed else None
        if spec is None:
            if names is not None:
                raise ParameterError(
                    [f"{name}: not uncertain in this scenario; uncertain: " + ", ".join(input_names(scenario))]
                )
            continue
        section, _, field_name = name.partition(".")
        value = float(getattr(getattr(scenario, section), field_name))
        out.append(make_input(name, *spec, value=value))
    return out


def input_names(scenario: Scenario | None = None) -> list[str]:
    """``section.field`` of every uncertain input of ``scenario``, in :func:`uncertain_inputs`' order."""
    scenario = scenario if scenario is not None else Scenario()
    return [n for n in uncertain_fields() if _spec(scenario, n) is not None]


def sample_values(inputs: Sequence[UncertainInput], u: ArrayLike) -> np.ndarray:
    """Map points ``u`` of the unit cube (shape ``(N, len(inputs))``) to input values, column by column."""
    q = np.asarray(u, dtype=float)
    if q.ndim != 2 or q.shape[1] != len(inputs):
        raise ParameterError([f"u has shape {q.shape}: must be (samples, {len(inputs)})"])
    return np.column_stack([inp.ppf(q[:, j]) for j, inp in enumerate(inputs)]) if inputs else q.copy()


def scenario_at(scenario: Scenario, inputs: Sequence[UncertainInput], values: ArrayLike) -> Scenario:
    """``scenario`` with each input set to its value in ``values`` (one row of :func:`sample_values`)."""
    row = np.asarray(values, dtype=float)
    if row.shape != (len(inputs),):
        raise ParameterError([f"values has shape {row.shape}: must be ({len(inputs)},)"])
    return scenario.override(**{inp.name: float(v) for inp, v in zip(inputs, row, strict=True)})


def uncertainty_table(scenario: Scenario | None = None) -> str:
    """Markdown table of every uncertain input: default, distribution, 90 % interval, basis, source."""
    rows = [
        "| parameter | default | distribution | 90 % interval | basis | where the spread comes from |",
        "|---|---|---|---|---|---|",
    ]
    for inp in uncertain_inputs(scenario):
        lo, hi = inp.interval(0.90)
        rows.append(
            f"| `{inp.name}` | {_number(inp.default)} | {inp.describe()} | {_number(lo)} – {_number(hi)} {inp.unit} | "
            f"{inp.basis} | {inp.source} |"
        )
    return "\n".join(rows)
