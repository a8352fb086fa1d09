"""The required collateral of many parameter sets at once: the vectorised twin of
:func:`divaecon.risk.models.risk_model` → :func:`divaecon.risk.closed_form.required_collateral`.

:func:`required_collateral_batch` takes a scenario and arrays of values for some of its fields
(``"risk.leak_rate_per_year": array([...])``, N values each) and returns, for each of the N
parameter sets, the collateral per key share each risk target needs and the closed-form figures
at the scenario's collateral. It builds the same event classes as :mod:`divaecon.risk.models`
(same names, order, rates and losses; :mod:`divaecon.risk.events` for each formula) as arrays
over the N sets, and :mod:`divaecon.risk.batch_kernel` solves them row by row in compiled code.
The scalar path stays the reference: tests compare the two on random parameter sets, under
today's rules and under every rule set of :data:`divaecon.rules.RULE_SETS`.

Ethereum's rules (:mod:`divaecon.rules`) enter as the scalar path takes them: each class's loss
per day offline from :func:`divaecon.rules.offline_loss_eth_per_day` (slot time, curve, EIP-7716's
factor on the outage's share and length, EIP-8363's burn), the leak's walk at the slot time's
constants and a slashing's loss from :func:`divaecon.rules.slashing_loss_eth`. Under today's rules
these are the vectorised formulas of :mod:`divaecon.ethereum`; under another rule set they are the
scalar functions evaluated once per distinct input (once per batch unless EIP-7716 makes an
outage's loss depend on its share and length, then once per row: slower, not approximated).

Fields that do not enter the risk model (costs, fees, the execution reward the quote uses) are
accepted and have no effect here. The cluster's shape (``diva.key_shares_per_validator``,
``diva.threshold``), the validator's stake and Ethereum's rules (:data:`divaecon.rules.RULE_FIELDS`)
are structural and cannot vary within one batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from divaecon import dvt, ethereum, rules
from divaecon.errors import ParameterError
from divaecon.params import EthereumParams, Scenario
from divaecon.risk import batch_kernel as kernel
from divaecon.risk.el_rewards import fit_el_reward_distribution
from divaecon.risk.events import _RHO_BINOMIAL, LEAK_TABLE_DAYS, _leak_table
from divaecon.units import DAYS_PER_YEAR, EPOCHS_PER_DAY

FloatArray = NDArray[np.float64]

THEFT_TABLE_POINTS: Final[int] = 4_001
"""Nodes of the block-reward survival table the theft class interpolates (10 decades below the
cap; :class:`divaecon.risk.events.TheftClass` uses 20,001 on the same span)."""

MAX_EL_FITS: Final[int] = 64
"""Distinct block-reward fits made exactly in one batch; beyond, a grid of fits is interpolated."""

EL_GRID_RATIO: Final[float] = 2.0**0.5
"""Step between the grid values of a varying input of the block-reward fit when the fits are
interpolated (powers of √2: 0.5, 0.71, 1, 1.41, 2 …)."""

EL_GRID_NODES: Final[int] = 5
"""Grid values per varying input when the lattice would need more than :data:`MAX_GRID_FITS` fits."""

MAX_GRID_FITS: Final[int] = 216

MAX_COLLATERAL_ETH: Final[float] = 32.0
"""The largest collateral per key share the solve tries (as the scalar solve)."""

BATCH_RTOL: Final[float] = 1e-6
"""Default relative precision of the batch's answers: a millionth, far below what a sensitivity
index or a P5–P95 band shows (the scalar solve quotes to 1e-9)."""

STRUCTURAL: Final[tuple[str, ...]] = (
    "diva.key_shares_per_validator",
    "diva.threshold",
    "diva.validator_stake_eth",
    *(f"ethereum.{f}" for f in rules.RULE_FIELDS),
)

EL_SHAPE: Final[tuple[str, ...]] = (
    "el_reward_mean_eth",
    "el_reward_mev_mean_eth",
    "el_reward_no_mev_share",
    "el_reward_p999_eth",
    "el_reward_p9999_eth",
    "el_reward_priority_sigma",
    "el_reward_cap_eth",
)
"""The block-reward fit's inputs other than its multiplier: one fit per distinct tuple (cached)."""

OUTAGES: Final[tuple[tuple[str, str, str, str], ...]] = (
    (
        "regional outage",
        "regional_outage_rate_per_year",
        "regional_outage_operator_fraction",
        "regional_outage_duration_days",
    ),
    ("cloud outage", "cloud_outage_rate_per_year", "cloud_outage_operator_fraction", "cloud_outage_duration_days"),
    ("client bug", "client_bug_rate_per_year", "client_bug_operator_fraction", "client_bug_duration_days"),
    (
        "DVT software outage",
        "dvt_software_outage_rate_per_year",
        "dvt_software_outage_operator_fraction",
        "dvt_software_outage_duration_days",
    ),
    ("mass abandonment", "mass_abandonment_rate_per_year", "mass_abandonment_operator_fraction", "exit_wait_days"),
)
"""Diva's common-shock outages, in :func:`divaecon.risk.models._classes`' order: name, and the
``risk`` fields of its rate, operator fraction and mean duration."""


@dataclass(frozen=True)
class BatchFigures:
    """What :func:`required_collateral_batch` returns: arrays over the N parameter sets.

    ``required_*``: collateral per key share meeting each target [divETH] (``inf``: 32 do not);
    the rest are per validator-year at ``collateral_per_key_share_eth`` (the scenario's, or the
    array given), as :class:`divaecon.risk.closed_form.ModelFigures` names them.
    """

    required_loss_probability_eth: FloatArray
    required_shortfall_apr_eth: FloatArray
    collateral_per_key_share_eth: FloatArray
    shortfall_probability: FloatArray
    expected_shortfall_eth: FloatArray
    mean_loss_eth: FloatArray
    operator_collateral_loss_eth: FloatArray
    shortfall_apr: FloatArray
    forgone_eth_per_year_per_gross_apr: FloatArray
    """Rewards the validator forgoes to the events a year, per unit of gross APR [ETH/year]
    (as :attr:`divaecon.risk.events.RiskModel.forgone_eth_per_year` / gross APR)."""


def _columns(scenario: Scenario, values: Mapping[str, ArrayLike]) -> tuple[int, dict[str, FloatArray]]:
    """Every varied field as a float array of one length N; checks names, shapes and ranges."""
    from divaecon.risk.sensitivity import _bounds

    sections = {"risk": scenario.risk, "diva": scenario.diva, "ethereum": scenario.ethereum, "costs": scenario.costs}
    out: dict[str, FloatArray] = {}
    sizes = set()
    for name, raw in values.items():
        section, _, field = name.partition(".")
        if section not in sections and section not in type(scenario).model_fields:
            raise ParameterError([f"{name}: not a field of a scenario (write 'section.field')"])
        obj = sections.get(section, getattr(scenario, section, None))
        if obj is None or field not in type(obj).model_fields:
            raise ParameterError([f"{name}: not a field of the scenario's {section!r} section"])
        arr = np.atleast_1d(np.asarray(raw, dtype=float))
        if arr.ndim != 1 or not np.all(np.isfinite(arr)):
            raise ParameterError([f"{name}: must be a 1-d array of finite numbers"])
        if name in STRUCTURAL and np.any(arr != float(getattr(obj, field))):
            raise ParameterError(
                [f"{name}: the cluster's shape and stake and Ethereum's rules cannot vary within one batch"]
            )
        if section == "risk":
            lo, hi = _bounds(field)
            bad = arr[(arr < lo) | (arr > hi)]
            if bad.size:
                raise ParameterError([f"{name} = {float(bad[0])!r}: must be between {lo!r} and {hi!r}"])
        out[name] = arr
        sizes.add(arr.size)
    if len(sizes) > 1:
        raise ParameterError([f"values: every array needs the same length (got {sorted(sizes)})"])
    return (sizes.pop() if sizes else 1), out


def _count_pmf(n: int, fraction: FloatArray, correlation: FloatArray) -> FloatArray:
    """:func:`divaecon.risk.events.count_pmf` over arrays: ``[N, n + 1]``."""
    k = np.arange(n + 1)[None, :]
    f = np.clip(fraction, 0.0, 1.0)[:, None]
    rho = np.asarray(correlation, dtype=float)[:, None] * np.ones_like(f)
    inner = (f > 0.0) & (f < 1.0)
    fi = np.where(inner, f, 0.5)
    binom = stats.binom.pmf(k, n, fi)
    beta = rho >= _RHO_BINOMIAL
    r = np.where(beta, rho, 0.5)
    a = fi * (1.0 - r) / r
    b = (1.0 - fi) * (1.0 - r) / r
    with np.errstate(all="ignore"):
        bb = stats.betabinom.pmf(k, n, a, b)
        bb = bb / bb.sum(axis=1, keepdims=True)
    pmf = np.where(beta, bb, binom)
    pmf = np.where(inner, pmf, np.where(f <= 0.0, (k == 0) * 1.0, (k == n) * 1.0))
    return np.asarray(pmf, dtype=float)


def _conditional(pmf: FloatArray, k_min: int) -> tuple[FloatArray, FloatArray]:
    """P(K ≥ k_min) per row and the pmf given K ≥ k_min (rows ``[N, n + 1]``)."""
    mask = np.arange(pmf.shape[1])[None, :] >= k_min
    cond = np.where(mask, pmf, 0.0)
    p = cond.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cond = np.where(p[:, None] > 0, cond / np.where(p > 0, p, 1.0)[:, None], cond)
    return p, cond


@lru_cache(maxsize=256)
def _log_block_sf(shape: tuple[float, ...]) -> FloatArray:
    """log P(block reward > u) of the fit with these :data:`EL_SHAPE` values (multiplier 1), on
    :func:`_block_grid`'s nodes (10 decades below the cap, geometric)."""
    el = fit_el_reward_distribution(*shape, 1.0)
    u = _block_grid(shape[-1])
    out = np.log(np.maximum(np.asarray(el.sf(u), dtype=float), 1e-300))
    out.setflags(write=False)
    return out


def _block_grid(cap_eth: float) -> FloatArray:
    return np.geomspace(cap_eth * 1e-10, cap_eth, THEFT_TABLE_POINTS)


def _axis(lo: float, hi: float, lattice: bool = True) -> FloatArray:
    """Grid values of one varying input of the block-reward fit covering [lo, hi]: powers of
    :data:`EL_GRID_RATIO` (a fixed lattice, so later batches reuse the cached fits), geometric
    between lo and hi without the lattice, linear when lo ≤ 0."""
    if lo <= 0.0:
        return np.linspace(lo, hi, EL_GRID_NODES)
    if not lattice:
        return np.geomspace(lo, hi, EL_GRID_NODES)
    step = np.log(EL_GRID_RATIO)
    k = np.arange(np.floor(np.log(lo) / step + 1e-9), np.ceil(np.log(hi) / step - 1e-9) + 1)
    if k.size < 2:
        k = np.array([k[0], k[0] + 1])
    return np.asarray(EL_GRID_RATIO**k, dtype=float)


def _block_tables(shapes: FloatArray) -> tuple[FloatArray, NDArray[np.int64], FloatArray]:
    """The block-reward survival tables of each row's fit: ``(log_sf[F, G], corner[N, C], weight[N, C])``.

    At most :data:`MAX_EL_FITS` distinct :data:`EL_SHAPE` tuples: one exact fit each (cached).
    More (a sample that varies the fit's inputs): fits on a grid of each varying input's values
    (:func:`_axis`), and each row interpolates the log survival multilinearly (in the log of the
    input) between its grid cell's corners, at the same position relative to the cap. Tested
    against exact fits (the theft class's share of either figure is small, and its survival
    changes smoothly with these inputs).
    """
    uniq, inv = np.unique(shapes, axis=0, return_inverse=True)
    inv = np.asarray(inv).ravel()
    if uniq.shape[0] <= MAX_EL_FITS:
        exact = np.stack([_log_block_sf(tuple(float(v) for v in row)) for row in uniq])
        return exact, inv[:, None].astype(np.int64), np.ones((inv.size, 1))
    varying = [j for j in range(shapes.shape[1]) if np.ptp(shapes[:, j]) > 0]
    if len(varying) > 3:
        raise ParameterError(
            [
                f"{', '.join('risk.' + EL_SHAPE[j] for j in varying)}: "
                "at most three of the block-reward fit's inputs can vary at once"
            ]
        )
    axes = [_axis(float(shapes[:, j].min()), float(shapes[:, j].max())) for j in varying]
    if np.prod([ax.size for ax in axes]) > MAX_GRID_FITS:  # a very wide range: fewer, sample-bound nodes
        axes = [_axis(float(shapes[:, j].min()), float(shapes[:, j].max()), lattice=False) for j in varying]
    base = shapes[0].copy()
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(varying))
    tables: list[FloatArray] = []
    for point in mesh:
        row = base.copy()
        row[varying] = point
        tables.append(_log_block_sf(tuple(float(v) for v in row)))
    strides = [EL_GRID_NODES ** (len(varying) - 1 - d) for d in range(len(varying))]
    n_rows = shapes.shape[0]
    corner = np.zeros((n_rows, 2 ** len(varying)), dtype=np.int64)
    weight = np.ones((n_rows, 2 ** len(varying)))
    cells = []
    for d, j in enumerate(varying):
        x = shapes[:, j]
        ax = axes[d]
        pos = np.log(x / ax[0]) / np.log(ax[1] / ax[0]) if ax[0] > 0 else (x - ax[0]) / (ax[1] - ax[0])
        cell = np.clip(np.floor(pos).astype(np.int64), 0, EL_GRID_NODES - 2)
        cells.append((cell, np.clip(pos - cell, 0.0, 1.0)))
    for q in range(2 ** len(varying)):
        for d in range(len(varying)):
            up = (q >> d) & 1
            cell, frac = cells[d]
            corner[:, q] += (cell + up) * strides[d]
            weight[:, q] *= frac if up else 1.0 - frac
    return np.stack(tables), corner, weight


@lru_cache(maxsize=8)
def _leak_nodes(validator_stake_eth: float, seconds_per_slot: float = 12.0) -> tuple[FloatArray, FloatArray]:
    """The leak walk's nodes in days (``d = (epochs + 4) / epochs a day``: 225 at 12 s, and 0) and
    its loss there [ETH], at the slot time's constants (:func:`divaecon.risk.events._leak_table`)."""
    epochs, table = _leak_table(validator_stake_eth, seconds_per_slot)
    start = ethereum.MIN_EPOCHS_TO_INACTIVITY_PENALTY
    days = np.concatenate([[0.0], (epochs + start) / (EPOCHS_PER_DAY * 12.0 / seconds_per_slot)])
    walk = np.concatenate([[0.0], table])
    assert days[-1] >= LEAK_TABLE_DAYS - 1
    return days, walk


def _offline_loss_per_day(
    eth: EthereumParams,
    total: FloatArray,
    stake: float,
    today: FloatArray,
    fraction: FloatArray,
    days: FloatArray,
    in_leak: bool = False,
) -> FloatArray:
    """Each row's loss per day offline [ETH/day], as :func:`divaecon.risk.models._classes` takes it:
    ``today`` under today's rules, else :func:`divaecon.rules.offline_loss_eth_per_day` once per
    distinct input (the share and length matter only through EIP-7716, outside a leak)."""
    if rules.is_today(eth):
        return today
    by_outage = eth.correlated_penalties == "eip7716" and not in_leak
    keys = np.column_stack([total, fraction, days] if by_outage else [total])
    unique, back = np.unique(keys, axis=0, return_inverse=True)
    losses = np.array(
        [
            rules.offline_loss_eth_per_day(
                float(k[0]), stake, eth, float(k[1]) if by_outage else 0.0, float(k[2]) if by_outage else 1.0, in_leak
            )
            for k in unique
        ]
    )
    return np.asarray(losses[np.ravel(back)], dtype=float)


def _slashing_loss(eth: EthereumParams, stake: float, window: FloatArray, total: FloatArray) -> FloatArray:
    """One slashed validator's loss per row [ETH, at most its stake], as the scalar path takes it."""
    if rules.is_today(eth):
        return np.minimum(np.asarray(ethereum.slashing_penalty_eth(stake, window, total)["total"], dtype=float), stake)
    unique, back = np.unique(np.column_stack([window, total]), axis=0, return_inverse=True)
    losses = np.array([rules.slashing_loss_eth(stake, float(w), float(d), eth) for w, d in unique])
    return np.asarray(losses[np.ravel(back)], dtype=float)


def required_collateral_batch(
    scenario: Scenario,
    values: Mapping[str, ArrayLike],
    collateral_per_key_share_eth: ArrayLike | None = None,
    rtol: float = BATCH_RTOL,
    want: tuple[str, ...] = ("loss_probability", "shortfall_apr", "figures"),
) -> BatchFigures:
    """Required collateral per key share (both targets) and the closed-form figures, per set.

    ``values``: ``{"section.field": array of N values}``; every other field keeps the scenario's
    value. ``collateral_per_key_share_eth``: where the figures are taken (default the scenario's
    ``diva.collateral_per_key_share_eth``). Targets are the ``risk`` section's (they may vary too).
    ``want``: what to compute (the required collateral of ``"loss_probability"``, of
    ``"shortfall_apr"``, the ``"figures"`` at the collateral); the rest comes back NaN.

    References
    ----------
    :mod:`divaecon.risk.events` (the classes), :mod:`divaecon.risk.closed_form` (the figures and
    the solve), :mod:`divaecon.risk.batch_kernel` (their compiled form).
    """
    if not 0.0 < rtol < 1.0:
        raise ParameterError([f"rtol = {rtol!r}: must be strictly between 0 and 1"])
    kinds_wanted = ("loss_probability", "shortfall_apr", "figures")
    if not want or any(w not in kinds_wanted for w in want):
        raise ParameterError([f"want = {want!r}: choose from {', '.join(kinds_wanted)}"])
    n_rows, cols = _columns(scenario, values)
    diva = scenario.diva

    def col(name: str) -> FloatArray:
        section, _, field = name.partition(".")
        if name in cols:
            return cols[name]
        return np.full(n_rows, float(getattr(getattr(scenario, section), field)))

    def r(field: str) -> FloatArray:
        return col("risk." + field)

    n, t, stake = diva.key_shares_per_validator, diva.threshold, float(diva.validator_stake_eth)
    total = col("ethereum.total_staked_eth")
    eth = scenario.ethereum
    per_day = np.asarray(ethereum.offline_penalty_apr(total), dtype=float) * stake / DAYS_PER_YEAR
    sigma_all = r("outage_duration_sigma")
    # one meaning of "correlated": the events' ρ as risk.models.event_risk takes it
    rho = np.asarray(
        dvt.event_correlation(r("outage_fraction_correlation"), col("diva.failure_correlation")), dtype=float
    )

    kinds: list[int] = []
    rates: list[FloatArray] = []
    pmfs: list[FloatArray] = []
    seize: list[FloatArray] = []
    loss: list[FloatArray] = []
    mus: list[FloatArray] = []
    sigmas: list[FloatArray] = []
    durations: list[FloatArray] = []  # mean days offline of duration classes, for the forgone rewards
    zero = np.zeros(n_rows)

    def duration(
        rate: FloatArray,
        frac: FloatArray,
        corr: FloatArray,
        mean_days: FloatArray,
        kind: int,
        offline_share: FloatArray | None = None,
    ) -> None:
        p, pmf = _conditional(_count_pmf(n, frac, corr), n - t + 1)
        kinds.append(kind)
        rates.append(rate * p)
        pmfs.append(pmf)
        seize.append(np.ones(n_rows))
        share = frac if offline_share is None else offline_share
        loss.append(_offline_loss_per_day(eth, total, stake, per_day, share, mean_days, in_leak=kind == kernel.LEAK))
        mus.append(np.log(mean_days) - sigma_all**2 / 2.0)
        sigmas.append(sigma_all)
        durations.append(rate * p * mean_days)

    def fixed(rate: FloatArray, pmf: FloatArray, amount: FloatArray) -> None:
        kinds.append(kernel.FIXED)
        rates.append(rate)
        pmfs.append(pmf)
        seize.append(np.ones(n_rows))
        loss.append(amount)
        mus.append(zero)
        sigmas.append(np.ones(n_rows))

    for _, rate_f, frac_f, days_f in OUTAGES:
        duration(r(rate_f), r(frac_f), rho, r(days_f), kernel.OUTAGE)
    leak_j = len(kinds)
    duration(r("leak_rate_per_year"), r("leak_operator_fraction"), rho, r("leak_duration_days"), kernel.LEAK)
    only = np.zeros((n_rows, n + 1))
    only[:, t] = 1.0
    isolated = _slashing_loss(eth, stake, np.full(n_rows, stake), total)
    fixed(r("isolated_slashing_rate_per_validator_per_year"), only, isolated)
    window = np.maximum(r("client_slashing_network_fraction") * total, stake)
    client = _slashing_loss(eth, stake, window, total)
    p, pmf = _conditional(_count_pmf(n, r("client_slashing_operator_fraction"), rho), t)
    fixed(r("client_slashing_rate_per_year") * p, pmf, client)
    slashed = rates[-1] + rates[-2]
    if n - 1 >= t:  # the cluster reshares an abandoned key share
        one = np.zeros((n_rows, n + 1))
        one[:, 1] = 1.0
        fixed(n * r("abandonment_rate_per_operator_per_year"), one, r("replacement_cost_eth"))
    else:
        duration(
            r("abandonment_rate_per_operator_per_year"),
            np.ones(n_rows),
            zero,
            r("exit_wait_days"),
            kernel.OUTAGE,
            offline_share=stake / total,  # one validator's own outage, as risk.models takes it
        )
    # theft: a colluding threshold among the adversary's key shares (binomial)
    p, pmf = _conditional(_count_pmf(n, r("adversary_key_share_fraction"), zero), t)
    kinds.append(kernel.THEFT)
    rates.append(p)
    pmfs.append(pmf)
    seize.append(r("seizable_key_shares_per_colluder"))
    loss.append(zero)
    mus.append(zero)
    sigmas.append(np.ones(n_rows))

    log_sf, corner, weight = _block_tables(np.column_stack([r(f) for f in EL_SHAPE]))
    log_u0 = np.log(r("el_reward_cap_eth") * 1e-10)  # each table starts 10 decades below its cap
    lam = np.asarray(ethereum.proposals_per_year(stake, total), dtype=float)

    days, walk = _leak_nodes(stake, float(eth.seconds_per_slot))
    c_at = (
        np.full(n_rows, float(diva.collateral_per_key_share_eth))
        if collateral_per_key_share_eth is None
        else np.broadcast_to(np.asarray(collateral_per_key_share_eth, dtype=float), (n_rows,)).copy()
    )
    if np.any(~np.isfinite(c_at)) or np.any(c_at < 0) or np.any(c_at > MAX_COLLATERAL_ETH):
        raise ParameterError(["collateral_per_key_share_eth: must be between 0 and 32"])
    res = kernel.solve_rows(
        np.asarray(kinds, dtype=np.int64),
        np.ascontiguousarray(np.column_stack(rates)),
        np.ascontiguousarray(np.stack(pmfs, axis=1)),
        np.ascontiguousarray(np.column_stack(seize)),
        np.ascontiguousarray(np.column_stack(loss)),
        np.ascontiguousarray(np.column_stack(mus)),
        np.ascontiguousarray(np.column_stack(sigmas)),
        np.ascontiguousarray(loss[leak_j]),  # the leak's loss per day offline (the walk adds the leak)
        stake,
        stake,  # Diva: the validator's 32 ETH of divETH bear a shortfall
        days,
        walk,
        leak_j,
        lam,
        np.ascontiguousarray(r("el_reward_multiplier")),
        np.ascontiguousarray(log_u0),
        float(np.log(1e10) / (THEFT_TABLE_POINTS - 1)),
        np.ascontiguousarray(log_sf),
        corner,
        weight,
        np.ascontiguousarray(r("target_loss_probability_per_year")),
        np.ascontiguousarray(r("target_shortfall_apr")),
        c_at,
        MAX_COLLATERAL_ETH,
        float(rtol),
        np.array([w in want for w in kinds_wanted]),
    )
    offline_days = np.sum(durations, axis=0)
    exit_days = ethereum.EPOCHS_PER_SLASHINGS_VECTOR / EPOCHS_PER_DAY
    forgone = (offline_days + slashed * exit_days) / DAYS_PER_YEAR * stake
    return BatchFigures(
        required_loss_probability_eth=res[:, 0],
        required_shortfall_apr_eth=res[:, 1],
        collateral_per_key_share_eth=c_at,
        shortfall_probability=res[:, 2],
        expected_shortfall_eth=res[:, 3],
        mean_loss_eth=res[:, 4],
        operator_collateral_loss_eth=res[:, 5],
        shortfall_apr=res[:, 3] / stake,
        forgone_eth_per_year_per_gross_apr=forgone,
    )


def warm_up() -> None:
    """Compile (or load from numba's cache) the batch's compiled solve on a one-row batch: ``make
    setup`` and the report batch's parent call it, so no first book or sensitivity run pays for
    compiling it (about 10 s of CPU, once per install)."""
    required_collateral_batch(Scenario(), {})
