"""Exact expectations of the loss model, class by class, and the collateral they require.

Harmful events of a class arrive as a Poisson process at ``μ`` per validator-year (theft: a
Bernoulli ``p``), each with a loss ``L`` and ``K`` responsible key shares (``K ~
responsible_pmf``) whose collateral covers ``a_K = K · s · c`` of it (``s`` = seizable key
shares per responsible share). Every event meets full collateral (it is topped up between
events), so per validator-year, by Poisson thinning:

- mean loss ``μ · E[L]``; mean shortfall ``μ · Σ_k P(K = k) · E[(L − a_k)⁺]``;
- P(some event leaves a shortfall) ``= 1 − exp(−μ · Σ_k P(K = k) · P(L > a_k))``;
- classes are independent: means add, ``P(no shortfall) = Π_classes P(no shortfall from it)``.

Theft (the colluders steal the year's largest block ``M`` when ``M > a_K``): loss
``p · Σ_k P(k) · E[M · 1{M > a_k}]``, shortfall ``p · Σ_k P(k) · E[(M − a_k)⁺]``, P(shortfall)
``p · Σ_k P(k) · P(M > a_k)``.

``E[(L − b)⁺]`` and ``P(L > b)`` are closed forms for outages (lognormal partial expectations),
numeric integrals over the lognormal duration for leaks, exact for fixed losses, and an integral
of ``P(M > x)`` for theft (:mod:`divaecon.risk.events`). The Monte Carlo
(:mod:`divaecon.risk.montecarlo`) is tested against these.

References
----------
Poisson thinning and superposition: Kingman (1993), *Poisson Processes*, ch. 2 and 5. The loss
model: :mod:`divaecon.risk.events`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from divaecon.errors import ParameterError
from divaecon.risk.events import EventClass, RiskModel

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ClassFigures:
    """Expectations of one event class per validator-year, at each collateral in ``c`` [ETH]."""

    name: str
    mean_loss_eth: FloatArray
    expected_shortfall_eth: FloatArray
    shortfall_probability: FloatArray
    collateral_loss_eth: FloatArray
    """Loss the responsible operators' collateral covers (theft: the colluders' confiscated part)."""


def class_figures(cls: EventClass, collateral_per_key_share_eth: ArrayLike) -> ClassFigures:
    """:class:`ClassFigures` of ``cls`` at collateral ``c`` per key share (scalar or 1-d array).

    References
    ----------
    Module docstring (Poisson thinning).
    """
    c = np.atleast_1d(np.asarray(collateral_per_key_share_eth, dtype=float))
    if np.any(c < 0) or not np.all(np.isfinite(c)):
        raise ParameterError([f"collateral_per_key_share_eth = {c.tolist()!r}: must be finite and at least 0"])
    pmf = cls.responsible_pmf
    ks = np.nonzero(pmf > 0)[0]
    rate = cls.rate_per_validator_year
    zeros = np.zeros_like(c)
    if rate <= 0 or ks.size == 0:
        return ClassFigures(cls.name, zeros, zeros, zeros, zeros)
    b = np.outer(ks * cls.seizable_per_responsible, c)  # [k, c]: collateral that covers the loss
    flat = b.ravel()
    excess = cls.excess_eth(flat).reshape(b.shape)
    survival = cls.survival(flat).reshape(b.shape)
    w = pmf[ks][:, None]
    shortfall = rate * np.sum(w * excess, axis=0)
    if cls.bernoulli:
        stolen = np.sum(w * (b * survival + excess), axis=0)
        mean_loss = rate * stolen
        probability = rate * np.sum(w * survival, axis=0)
        covered = rate * np.sum(w * b * survival, axis=0)
    else:
        mean_loss = np.full_like(c, rate * cls.mean_loss_eth())
        probability = -np.expm1(-rate * np.sum(w * survival, axis=0))
        covered = mean_loss - shortfall
    return ClassFigures(cls.name, mean_loss, shortfall, probability, covered)


@dataclass(frozen=True)
class ModelFigures:
    """Exact expectations of a whole :class:`~divaecon.risk.events.RiskModel` per validator-year.

    Arrays run over the collateral values asked for. Amounts in ETH per validator-year;
    ``shortfall_apr`` is the expected shortfall per ETH of the stakers who bear it [1/year].
    """

    collateral_per_key_share_eth: FloatArray
    mean_loss_eth: FloatArray
    expected_shortfall_eth: FloatArray
    shortfall_probability: FloatArray
    operator_collateral_loss_eth: FloatArray
    """Collateral lost by honest operators (every class but theft), per validator-year."""
    confiscated_eth: FloatArray
    """Colluders' collateral confiscated after thefts, per validator-year."""
    shortfall_apr: FloatArray
    by_class: tuple[ClassFigures, ...]


def model_figures(model: RiskModel, collateral_per_key_share_eth: ArrayLike) -> ModelFigures:
    """:class:`ModelFigures` of ``model`` at each collateral (classes independent; see module)."""
    c = np.atleast_1d(np.asarray(collateral_per_key_share_eth, dtype=float))
    parts = tuple(class_figures(cls, c) for cls in model.classes)
    total = np.zeros_like(c)
    none = np.ones_like(c)
    honest = np.zeros_like(c)
    confiscated = np.zeros_like(c)
    shortfall = np.zeros_like(c)
    for cls, part in zip(model.classes, parts, strict=True):
        total = total + part.mean_loss_eth
        shortfall = shortfall + part.expected_shortfall_eth
        none = none * (1.0 - part.shortfall_probability)
        if cls.bernoulli:
            confiscated = confiscated + part.collateral_loss_eth
        else:
            honest = honest + part.collateral_loss_eth
    return ModelFigures(
        collateral_per_key_share_eth=c,
        mean_loss_eth=total,
        expected_shortfall_eth=shortfall,
        shortfall_probability=1.0 - none,
        operator_collateral_loss_eth=honest,
        confiscated_eth=confiscated,
        shortfall_apr=shortfall / model.staker_eth,
        by_class=parts,
    )


DISPLAY_RTOL = 1e-6
"""Relative precision of a required-collateral solve drawn or slid rather than quoted (the
tornado, the rate curves, the dashboard): a millionth of the answer, far below what a bar, a
line or three significant digits show. Quoted figures keep the default, 1e-9."""


def required_collateral(
    model: RiskModel,
    target_loss_probability: float | None = None,
    target_shortfall_apr: float | None = None,
    max_collateral_eth: float = 32.0,
    rtol: float = 1e-9,
) -> float:
    """Smallest collateral per key share meeting one target [ETH]; ``inf`` if none up to the max.

    ``target_loss_probability``: P(a shortfall in a validator-year) at most this;
    ``target_shortfall_apr``: expected shortfall per ETH of stakers at most this [1/year].
    Both figures fall as the collateral grows, so the answer is where they cross the target,
    found by narrowing grids (the figures are vectorised over ``c``). The answer meets the
    target and lies within ``rtol`` (relative) above the crossing; curves and sensitivities,
    which solve it many times, ask for less than the default.
    """
    if not 0.0 < rtol < 1.0:
        raise ParameterError([f"rtol = {rtol!r}: must be strictly between 0 and 1"])
    if (target_loss_probability is None) == (target_shortfall_apr is None):
        raise ParameterError(["give exactly one of target_loss_probability and target_shortfall_apr"])
    if target_loss_probability is not None:
        target, name = float(target_loss_probability), "target_loss_probability"
    else:
        target, name = float(target_shortfall_apr), "target_shortfall_apr"  # type: ignore[arg-type]

    if not 0.0 < target < 1.0:
        raise ParameterError([f"{name} = {target!r}: must be strictly between 0 and 1"])

    # Both figures fall with c (stepwise where a whole loss comes within reach of the
    # collateral): bracket the answer on a geometric grid from 0 to the maximum in one
    # vectorised call (its ends say whether no collateral is needed, or none suffices), then
    # narrow the bracket on linear grids of 64 points until it is within rtol of its upper end;
    # the answer is that upper end (it meets the target). Each call costs ≈ 1.5 ms plus ≈ 10 µs
    # a point, so a few small grids beat fewer large ones.
    def figure(c: FloatArray) -> FloatArray:
        f = model_figures(model, c)
        return f.shortfall_probability if target_loss_probability is not None else f.shortfall_apr

    grid = np.concatenate([[0.0], np.geomspace(1e-6, max_collateral_eth, 128)])
    values = figure(grid)
    if values[0] <= target:
        return 0.0
    if values[-1] > target:
        return float("inf")
    while True:
        above = np.nonzero(values > target)[0]
        i = int(above[-1])
        lo, hi = float(grid[i]), float(grid[i + 1])
        if hi - lo <= rtol * hi:
            return hi
        grid = np.linspace(lo, hi, 64)
        values = figure(grid)


def figures_at(model: RiskModel, collateral_per_key_share_eth: float) -> dict[str, Any]:
    """The expectations at one collateral as plain floats (for tables and JSON)."""
    f = model_figures(model, collateral_per_key_share_eth)
    return {
        "mean_loss_eth_per_validator_year": float(f.mean_loss_eth[0]),
        "expected_shortfall_eth_per_validator_year": float(f.expected_shortfall_eth[0]),
        "shortfall_probability_per_validator_year": float(f.shortfall_probability[0]),
        "shortfall_apr": float(f.shortfall_apr[0]),
        "operator_collateral_loss_eth_per_validator_year": float(f.operator_collateral_loss_eth[0]),
        "confiscated_eth_per_validator_year": float(f.confiscated_eth[0]),
    }
