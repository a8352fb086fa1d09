"""Which assumptions matter: global sensitivity (Morris, Sobol) and each answer's P5–P95 band.

Inputs are the scenario's uncertain inputs (:func:`divaecon.uncertainty.uncertain_inputs`: each a
distribution cut to its field's range). Points of the unit cube are sampled with SALib (Sobol:
Saltelli's scheme, ``N · (D + 2)`` points for first-order and total indices; Morris: ``r`` one-at-
a-time trajectories on a 4-level grid), mapped through each input's inverse CDF (``ppf``), and
every output is evaluated at each point:

- the closed forms of the required collateral, both targets (:mod:`divaecon.risk.batch`, all
  points in one vectorised call) and the risk-adjusted yields at the scenario's collateral
  (:func:`divaecon.risk.yields.yield_arrays`' formulas over the arrays, with the reward side of
  :func:`divaecon.quote.quote` for each distinct set of the inputs it reads);
- the simulated staker APY and cash drag (:func:`divaecon.simulate.simulate`, every point a row
  of one run, in this process) — only when asked for, as they need a Scenario per point.

Indices: Sobol first-order ``S1`` and total ``ST`` with bootstrap 95 % intervals (Saltelli et al.
2010, *Comput. Phys. Commun.* 181, "Variance based sensitivity analysis of model output"; Jansen's
estimator for ``ST``, as SALib implements them); Morris ``μ*`` (mean absolute elementary effect,
per unit of the input's probability scale), its bootstrap interval, and ``σ`` (Campolongo, Cariboni
and Saltelli 2007, *Environ. Model. Softw.* 22). The bands are the P5, P50 and P95 of each output
over a separate scrambled Sobol sample of the inputs (``band_samples`` points): the spread of the
answer over what is not known, not Monte Carlo noise (the closed forms carry none; the quantiles'
own sampling error shrinks with the band sample).

Same seed, same numbers: SALib's samplers and bootstrap and the band sample are seeded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from divaecon.errors import ParameterError
from divaecon.params import Scenario
from divaecon.uncertainty import UncertainInput, uncertain_inputs

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Output:
    """One output the analysis can explain: its label, unit and which evaluation gives it."""

    name: str
    label: str
    unit: str
    source: str
    """``risk`` (the batched closed forms), ``yield`` (closed forms and the quote), ``quote`` or
    ``simulation``."""


OUTPUTS: Final[dict[str, Output]] = {
    o.name: o
    for o in (
        Output("staker_apr_net", "divETH staker APR, net of expected shortfall", "fraction/year", "yield"),
        Output("operator_apr_net", "Operator APR net of expected losses", "fraction/year", "yield"),
        Output("operator_reward_per_key_share", "Operator reward per key share", "ETH/year", "quote"),
        Output("break_even_key_shares", "Break-even key shares per node", "key shares", "quote"),
        Output(
            "required_collateral_loss_probability",
            "Collateral per key share for the loss-probability target",
            "divETH",
            "risk",
        ),
        Output(
            "required_collateral_shortfall_apr",
            "Collateral per key share for the shortfall-APR target",
            "divETH",
            "risk",
        ),
        Output("simulated_staker_apy", "Simulated staker APY over the horizon", "fraction/year", "simulation"),
        Output("simulated_cash_drag", "Simulated cash drag (ETH not earning)", "fraction", "simulation"),
    )
}
"""The outputs, in the order reports show them."""

DEFAULT_OUTPUTS: Final[tuple[str, ...]] = tuple(n for n, o in OUTPUTS.items() if o.source != "simulation")
"""What runs when no output is named: every closed-form output (the simulated ones on request)."""

METHODS: Final[tuple[str, ...]] = ("sobol", "morris")

MIN_SAMPLES: Final[int] = 8
"""Fewest base samples (Sobol: N; Morris: trajectories) accepted."""

MAX_EVALUATIONS: Final[int] = 2_000_000
"""Most points one analysis evaluates, whatever the memory."""

BYTES_PER_POINT: Final[int] = 8_192
"""Memory one point takes while the batch runs (its classes' arrays, the sample, the outputs and
numpy's temporaries; measured ≈ 5 kB: 552 MB peak at 40,960 points, benchmarks/sensitivity.md)."""

MAX_SIMULATED_POINTS: Final[int] = 20_000
"""Most points the simulated outputs are evaluated at (a Scenario and a simulation row each)."""

BAND_QUANTILES: Final[tuple[float, float, float]] = (0.05, 0.50, 0.95)

_EPS: Final[float] = 1e-9
"""Unit-cube points are kept this far inside (0, 1): the inputs' ``ppf`` takes open intervals."""


@dataclass(frozen=True)
class SensitivityResult:
    """What :func:`sensitivity` returns.

    ``indices``: one row per output × input (Sobol: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``;
    Morris: ``mu_star``, ``mu_star_conf``, ``sigma``; ``*_conf`` the half-width of the 95 %
    bootstrap interval). ``bands``: one row per output (``base``: at the scenario's values;
    ``p5``, ``p50``, ``p95`` over the inputs' distributions; ``band_samples``).
    """

    scenario: str
    method: str
    samples: int
    seed: int
    evaluations: int
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    indices: pd.DataFrame
    bands: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def band(self, output: str) -> dict[str, float]:
        """``{"base", "p5", "p50", "p95"}`` of one output."""
        row = self.bands[self.bands["output"] == output].iloc[0]
        return {k: float(row[k]) for k in ("base", "p5", "p50", "p95")}

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (non-finite numbers become null)."""
        from divaecon.risk.api import _json_ready

        return _json_ready(
            {
                "scenario": self.scenario,
                "method": self.method,
                "samples": self.samples,
                "seed": self.seed,
                "evaluations": self.evaluations,
                "inputs": list(self.inputs),
                "outputs": {
                    name: {
                        "label": OUTPUTS[name].label,
                        "unit": OUTPUTS[name].unit,
                        "band": self.band(name) | {"band_samples": int(self.bands["band_samples"].iloc[0])},
                        "indices": self.indices[self.indices["output"] == name]
                        .drop(columns="output")
                        .to_dict("records"),
                    }
                    for name in self.outputs
                },
                "notes": list(self.notes),
            }
        )


# --- evaluation ------------------------------------------------------------------------------
def _check_outputs(outputs: Sequence[str] | None) -> tuple[str, ...]:
    names = tuple(DEFAULT_OUTPUTS if outputs is None else outputs)
    unknown = [n for n in names if n not in OUTPUTS]
    if unknown or not names:
        raise ParameterError([f"output = {(unknown or [''])[0]!r}: unknown; choose from " + ", ".join(OUTPUTS)])
    return tuple(dict.fromkeys(names))


def evaluate(
    scenario: Scenario,
    inputs: Sequence[UncertainInput],
    values: FloatArray,
    outputs: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
    client: Any = None,
) -> dict[str, FloatArray]:
    """Every output at each row of ``values`` (``[N, len(inputs)]``, the inputs' own units).

    ``progress(k)`` is called as rows are done (k rows at a time), for a progress bar. ``client``:
    where the simulated outputs' networks run (:func:`divaecon.simulate.simulate`: None in this
    process, ``"local"``, a scheduler address or a dask Client).
    """
    from divaecon.risk.batch import required_collateral_batch

    names = _check_outputs(outputs)
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] != len(inputs):
        raise ParameterError([f"values has shape {values.shape}: must be (points, {len(inputs)})"])
    n_rows = values.shape[0]
    cols = {inp.name: values[:, j] for j, inp in enumerate(inputs)}
    sources = {OUTPUTS[n].source for n in names}
    out: dict[str, FloatArray] = {}
    risk = None
    if sources & {"risk", "yield"}:
        want = tuple(
            w
            for w, needed in (
                ("loss_probability", "required_collateral_loss_probability" in names),
                ("shortfall_apr", "required_collateral_shortfall_apr" in names),
                ("figures", "yield" in sources),
            )
            if needed
        )
        risk = required_collateral_batch(scenario, cols, want=want)
        out["required_collateral_loss_probability"] = risk.required_loss_probability_eth
        out["required_collateral_shortfall_apr"] = risk.required_shortfall_apr_eth
    if progress is not None:
        progress(n_rows // 2 if sources & {"quote", "yield", "simulation"} else n_rows)
    if sources & {"quote", "yield"}:
        quoted = _quote_columns(scenario, inputs, values)
        out["operator_reward_per_key_share"] = quoted["reward"]
        out["break_even_key_shares"] = quoted["break_even"]
        if "yield" in sources:
            assert risk is not None
            out.update(_yields(scenario, cols, quoted, risk))
    if "simulation" in sources:
        out.update(_simulated(scenario, inputs, values, client))
    if progress is not None:
        progress(n_rows - (n_rows // 2 if sources & {"quote", "yield", "simulation"} else n_rows))
    return {n: np.asarray(out[n], dtype=float) for n in names}


_QUOTE_FIELDS: Final[tuple[str, ...]] = (
    "staker_apr",
    "operator_reward_per_key_share_eth_per_year",
    "collateral_penalty_per_key_share_eth_per_year",
    "gross_apr",
    "break_even_key_shares",
)


def _quote_columns(scenario: Scenario, inputs: Sequence[UncertainInput], values: FloatArray) -> dict[str, FloatArray]:
    """The reward side (:func:`divaecon.quote.quote`) at each row, computed once per distinct
    combination of the inputs outside the ``risk`` section (no risk field enters the quote)."""
    from divaecon.quote import quote

    idx = [j for j, inp in enumerate(inputs) if not inp.name.startswith("risk.")]
    keys = values[:, idx] if idx else np.zeros((values.shape[0], 0))
    uniq, inv = (
        np.unique(keys, axis=0, return_inverse=True)
        if idx
        else (np.zeros((1, 0)), np.zeros(values.shape[0], dtype=int))
    )
    inv = np.asarray(inv).ravel()
    table = np.empty((uniq.shape[0], len(_QUOTE_FIELDS)))
    for u, row in enumerate(uniq):
        s = scenario.override(**{inputs[j].name: float(v) for j, v in zip(idx, row, strict=True)}) if idx else scenario
        q = quote(s)
        table[u] = [float(getattr(q, f)) for f in _QUOTE_FIELDS]
    rows = table[inv]
    return {
        "staker": rows[:, 0],
        "reward": rows[:, 1],
        "penalty": rows[:, 2],
        "gross": rows[:, 3],
        "break_even": rows[:, 4],
    }


def _yields(
    scenario: Scenario, cols: dict[str, FloatArray], quoted: dict[str, FloatArray], risk: Any
) -> dict[str, FloatArray]:
    """:func:`divaecon.risk.yields.yield_arrays`' two net yields over the rows (same formulas:
    operator APR with the honest collateral loss and the fee on forgone rewards added to the
    penalty, less the shortfall APR; staker APR less the shortfall APR and the stakers' part of
    the forgone rewards)."""
    from divaecon import protocol

    diva = scenario.diva
    n = float(diva.key_shares_per_validator)

    def col(name: str) -> FloatArray:
        section, _, fld = name.partition(".")
        return cols.get(name, np.full(len(quoted["staker"]), float(getattr(getattr(scenario, section), fld))))

    fee = col("diva.operator_fee")
    fees = fee + col("diva.treasury_fee") + col("diva.insurance_fee")
    buffered = col("diva.buffered_fraction")
    c = risk.collateral_per_key_share_eth
    forgone = risk.forgone_eth_per_year_per_gross_apr * quoted["gross"]
    shortfall_apr = risk.shortfall_apr * (1.0 - buffered)
    penalty = quoted["penalty"] + risk.operator_collateral_loss_eth / n + forgone * fee / n
    operator = np.asarray(protocol.operator_apr_assigned(quoted["staker"], quoted["reward"], c, penalty), dtype=float)
    staker_eth = float(diva.validator_stake_eth)
    staker = quoted["staker"] - shortfall_apr - forgone * (1.0 - fees) / staker_eth * (1.0 - buffered)
    return {"operator_apr_net": operator - shortfall_apr, "staker_apr_net": staker}


def _simulated(
    scenario: Scenario, inputs: Sequence[UncertainInput], values: FloatArray, client: Any = None
) -> dict[str, FloatArray]:
    """The simulation's staker APY and cash drag, every row one network of one run (on ``client``
    through the simulation's dask backend when given: the same numbers as in this process)."""
    from divaecon.simulate import simulate

    if values.shape[0] > MAX_SIMULATED_POINTS:
        raise ParameterError(
            [
                f"samples: the simulated outputs would need {values.shape[0]:,} simulated networks; "
                f"at most {MAX_SIMULATED_POINTS:,} (use fewer --samples)"
            ]
        )
    scenarios = [
        scenario.override(**{inp.name: float(v) for inp, v in zip(inputs, row, strict=True)}) for row in values
    ]
    result = simulate(scenarios, record=(), rng=scenario.risk.mc_seed, client=client)
    summary = result.summary
    return {
        "simulated_staker_apy": summary["staker_apy"].to_numpy(dtype=float),
        "simulated_cash_drag": summary["cash_drag"].to_numpy(dtype=float),
    }


# --- sampling and analysis ---------------------------------------------------------------------
def _problem(inputs: Sequence[UncertainInput]) -> dict[str, Any]:
    return {"num_vars": len(inputs), "names": [i.name for i in inputs], "bounds": [[0.0, 1.0]] * len(inputs)}


def evaluations_needed(method: str, samples: int, n_inputs: int) -> int:
    """Points an analysis evaluates: Sobol ``N · (D + 2)`` (first-order and total only), Morris
    ``r · (D + 1)``."""
    return samples * (n_inputs + 2) if method == "sobol" else samples * (n_inputs + 1)


def check_request(method: str, samples: int, n_inputs: int, band_samples: int) -> None:
    """Refuse a method, sample size or input count that cannot run (one message, what is allowed)."""
    if method not in METHODS:
        raise ParameterError([f"method = {method!r}: must be one of {', '.join(METHODS)}"])
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < MIN_SAMPLES:
        raise ParameterError([f"samples = {samples!r}: must be a whole number of at least {MIN_SAMPLES}"])
    if method == "sobol" and samples & (samples - 1):
        raise ParameterError([f"samples = {samples!r}: Sobol's base sample must be a power of 2 (e.g. 256, 1024)"])
    if n_inputs < 2:
        raise ParameterError(["inputs: at least two uncertain inputs are needed"])
    from divaecon.sizing import memory_limit

    total = evaluations_needed(method, int(samples), n_inputs) + band_samples
    limit, where = memory_limit()
    most = min(MAX_EVALUATIONS, limit // BYTES_PER_POINT)
    if total > most:
        raise ParameterError(
            [
                f"samples = {samples!r}: {total:,} evaluations; at most {most:,} fit this machine "
                f"({BYTES_PER_POINT // 1024} kB each within {where}, or {MAX_EVALUATIONS:,})"
            ]
        )
    if band_samples < 16 or band_samples & (band_samples - 1):
        raise ParameterError([f"band_samples = {band_samples!r}: must be a power of 2, at least 16"])


def sensitivity(
    scenario: Scenario,
    outputs: Sequence[str] | None = None,
    method: str = "sobol",
    samples: int = 1024,
    seed: int = 2026,
    inputs: Sequence[str] | None = None,
    band_samples: int = 1024,
    num_resamples: int = 200,
    progress: bool = False,
    groups: Callable[[str], str] | None = None,
    client: Any = None,
) -> SensitivityResult:
    """Global sensitivity of ``outputs`` (default :data:`DEFAULT_OUTPUTS`) to the scenario's
    uncertain ``inputs`` (default all of :func:`divaecon.uncertainty.uncertain_inputs`), and each
    output's P5–P95 band.

    ``method``: ``"sobol"`` (``samples`` = N, a power of 2; ``N · (D + 2)`` evaluations) or
    ``"morris"`` (``samples`` = trajectories; ``r · (D + 1)``). ``num_resamples``: bootstrap
    resamples of the intervals. ``progress``: a tqdm bar on stderr. ``groups`` (Sobol only): a
    group name for each input name; the indices are then the groups' (each group's inputs move
    together in the Saltelli scheme: ``N · (G + 2)`` evaluations for G groups). ``client``: where
    the simulated outputs run (dask through :func:`divaecon.simulate.simulate`; None: here).
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample
    from scipy.stats import qmc

    names = _check_outputs(outputs)
    chosen = uncertain_inputs(scenario, list(inputs) if inputs is not None else None)
    n_factors = len(chosen) if groups is None else len({groups(i.name) for i in chosen})
    check_request(method, samples, max(n_factors, 2) if groups is not None else len(chosen), band_samples)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError([f"seed = {seed!r}: must be a whole number, at least 0"])
    problem = _problem(chosen)
    labels = [i.name for i in chosen]
    if groups is not None:
        if method != "sobol":
            raise ParameterError(["groups: only with method sobol"])
        problem["groups"] = [groups(i.name) for i in chosen]
        labels = [str(g) for g in pd.unique(np.array(problem["groups"]))]  # SALib's order
    if method == "sobol":
        unit = sobol_sample.sample(problem, int(samples), calc_second_order=False, scramble=True, seed=int(seed))
    else:
        unit = morris_sample.sample(problem, int(samples), num_levels=4, seed=int(seed))
    unit = np.clip(unit, _EPS, 1.0 - _EPS)
    band_unit = np.clip(qmc.Sobol(len(chosen), scramble=True, seed=int(seed)).random(band_samples), _EPS, 1.0 - _EPS)
    points = np.vstack([unit, band_unit])
    values = np.column_stack([inp.ppf(points[:, j]) for j, inp in enumerate(chosen)])

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(points), desc="sensitivity", unit="point", leave=False)
    try:
        tick: Callable[[int], None] | None = None
        if bar is not None:
            update = bar.update

            def tick(k: int) -> None:
                update(k)

        y = evaluate(scenario, chosen, values, names, tick, client)
        base = evaluate(scenario, chosen, np.array([[i.default for i in chosen]]), names)
    finally:
        if bar is not None:
            bar.close()

    notes: list[str] = []
    rows: list[dict[str, Any]] = []
    band_rows: list[dict[str, Any]] = []
    n_main = unit.shape[0]
    for name in names:
        main, band = y[name][:n_main], y[name][n_main:]
        finite = np.isfinite(main)
        if not finite.all():
            notes.append(
                f"{name}: {int((~finite).sum())} of {n_main} points infinite "
                "(32 divETH do not reach the target); set to 32 for the indices"
            )
            main = np.where(finite, main, 32.0)
        if np.ptp(main) == 0.0:
            rows.extend(_zero_row(method, name, label) for label in labels)
            notes.append(f"{name}: constant over the inputs; every index is 0")
        elif method == "sobol":
            res = sobol_analyze.analyze(
                problem, main, calc_second_order=False, num_resamples=num_resamples, conf_level=0.95, seed=int(seed)
            )
            for j, label in enumerate(labels):
                rows.append(
                    {
                        "output": name,
                        "input": label,
                        "S1": float(res["S1"][j]),
                        "S1_conf": float(res["S1_conf"][j]),
                        "ST": float(res["ST"][j]),
                        "ST_conf": float(res["ST_conf"][j]),
                    }
                )
        else:
            res = morris_analyze.analyze(
                problem, unit, main, num_resamples=num_resamples, conf_level=0.95, num_levels=4, seed=int(seed)
            )
            for j, inp in enumerate(chosen):
                rows.append(
                    {
                        "output": name,
                        "input": inp.name,
                        "mu_star": float(res["mu_star"][j]),
                        "mu_star_conf": float(res["mu_star_conf"][j]),
                        "sigma": float(res["sigma"][j]),
                    }
                )
        qs = np.quantile(band, BAND_QUANTILES)  # inf sorts last: a P95 of inf says "beyond 32"
        band_rows.append(
            {
                "output": name,
                "label": OUTPUTS[name].label,
                "unit": OUTPUTS[name].unit,
                "base": float(base[name][0]),
                "p5": float(qs[0]),
                "p50": float(qs[1]),
                "p95": float(qs[2]),
                "band_samples": int(band_samples),
            }
        )
    index_cols = [
        "output",
        "input",
        *(("S1", "S1_conf", "ST", "ST_conf") if method == "sobol" else ("mu_star", "mu_star_conf", "sigma")),
    ]
    return SensitivityResult(
        scenario=scenario.name,
        method=method,
        samples=int(samples),
        seed=int(seed),
        evaluations=int(len(points) + 1),
        inputs=tuple(labels),
        outputs=names,
        indices=pd.DataFrame(rows, columns=index_cols),
        bands=pd.DataFrame(band_rows, columns=["output", "label", "unit", "base", "p5", "p50", "p95", "band_samples"]),
        notes=tuple(notes),
    )


BOOK_OUTPUTS: Final[tuple[str, ...]] = ("required_collateral_loss_probability", "required_collateral_shortfall_apr")


def risk_inputs(scenario: Scenario) -> list[str]:
    """The uncertain inputs the risk model reads: the ``risk`` section and the stake (the others,
    costs and the execution reward the quote uses, leave the required collateral unmoved)."""
    from divaecon.uncertainty import input_names

    return [n for n in input_names(scenario) if n.startswith("risk.") or n == "ethereum.total_staked_eth"]


BOOK_BAND_SAMPLES: Final[int] = 128
"""Points of the books' band sample (the chapter, the summary and the comparison quote the same band)."""


RISK_GROUPS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("inactivity leaks", ("risk.leak_",)),
    ("client-wide slashing", ("risk.client_slashing_",)),
    ("isolated slashing", ("risk.isolated_slashing_",)),
    ("outage spread and correlation", ("risk.outage_", "diva.failure_correlation")),
    (
        "outages (regional, cloud, client bug, DVT software)",
        ("risk.regional_", "risk.cloud_", "risk.client_bug_", "risk.dvt_"),
    ),
    ("theft (adversary, block rewards)", ("risk.adversary_", "risk.seizable_", "risk.el_reward_")),
    ("abandonment and exit", ("risk.abandonment_", "risk.replacement_", "risk.mass_abandonment_", "risk.exit_wait")),
    ("ETH staked", ("ethereum.total_staked_eth",)),
)
"""The books' groups of the risk model's inputs, by the event they describe (first match)."""


def risk_group(name: str) -> str:
    """The :data:`RISK_GROUPS` group of an input name (``"other"`` if none)."""
    return next((g for g, prefixes in RISK_GROUPS if name.startswith(prefixes)), "other")


def book_sensitivity(
    scenario: Scenario, samples: int = 128, band_samples: int = BOOK_BAND_SAMPLES, seed: int = 2026
) -> SensitivityResult:
    """The books' small, seeded analysis of the loss-probability target's required collateral
    over the uncertain inputs the risk model reads, grouped by event (:data:`RISK_GROUPS`): the
    chapter's figure (the shortfall target's band from :func:`required_collateral_band`).
    ``divaecon sensitivity`` runs the full one, input by input. Its band is
    :func:`required_collateral_band`'s (same points)."""
    return sensitivity(
        scenario, BOOK_OUTPUTS[:1], "sobol", samples, seed, risk_inputs(scenario), band_samples, 100, groups=risk_group
    )


def required_collateral_band(
    scenario: Scenario, band_samples: int = BOOK_BAND_SAMPLES, seed: int = 2026, target: str = "loss_probability"
) -> dict[str, float]:
    """P5, P50, P95 of the collateral per key share meeting a target (``"loss_probability"`` or
    ``"shortfall_apr"``) over the
    uncertain inputs the risk model reads (the same band sample as :func:`sensitivity`, without
    the indices): what the executive summary and the comparison print beside the value."""
    from scipy.stats import qmc

    from divaecon.risk.batch import required_collateral_batch

    chosen = uncertain_inputs(scenario, risk_inputs(scenario))
    check_request("sobol", MIN_SAMPLES, len(chosen), band_samples)
    unit = np.clip(qmc.Sobol(len(chosen), scramble=True, seed=int(seed)).random(band_samples), _EPS, 1.0 - _EPS)
    cols = {inp.name: inp.ppf(unit[:, j]) for j, inp in enumerate(chosen)}
    if target not in ("loss_probability", "shortfall_apr"):
        raise ParameterError([f"target = {target!r}: must be loss_probability or shortfall_apr"])
    got = required_collateral_batch(scenario, cols, want=(target,))
    y = got.required_loss_probability_eth if target == "loss_probability" else got.required_shortfall_apr_eth
    qs = np.quantile(y, BAND_QUANTILES)
    return {"p5": float(qs[0]), "p50": float(qs[1]), "p95": float(qs[2]), "band_samples": float(band_samples)}


def _zero_row(method: str, output: str, name: str) -> dict[str, Any]:
    if method == "sobol":
        return {"output": output, "input": name, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
    return {"output": output, "input": name, "mu_star": 0.0, "mu_star_conf": 0.0, "sigma": 0.0}


def sobol_indices(
    func: Callable[[FloatArray], FloatArray],
    inputs: Sequence[UncertainInput],
    samples: int,
    seed: int = 2026,
    num_resamples: int = 200,
) -> pd.DataFrame:
    """Sobol ``S1`` and ``ST`` (with 95 % bootstrap half-widths) of any vectorised ``func`` of the
    inputs' values (``[N, D] → [N]``), by the same sampling and ``ppf`` mapping as
    :func:`sensitivity`: the code path the tests check on functions with known indices."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    check_request("sobol", samples, len(inputs), 16)
    problem = _problem(inputs)
    unit = np.clip(
        sobol_sample.sample(problem, int(samples), calc_second_order=False, scramble=True, seed=int(seed)),
        _EPS,
        1.0 - _EPS,
    )
    values = np.column_stack([inp.ppf(unit[:, j]) for j, inp in enumerate(inputs)])
    y = np.asarray(func(values), dtype=float)
    res = sobol_analyze.analyze(
        problem, y, calc_second_order=False, num_resamples=num_resamples, conf_level=0.95, seed=int(seed)
    )
    return pd.DataFrame(
        {
            "input": [i.name for i in inputs],
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )
