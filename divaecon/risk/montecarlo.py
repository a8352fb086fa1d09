"""A vectorised Monte Carlo of one validator's losses over many validator-years.

Every validator-year draws the harmful events of each class of its
:class:`~divaecon.risk.events.RiskModel`: how many (Poisson; theft: yes or no), how many of its
key shares are responsible for each, the loss, and whether one given key share (the
"key share followed") is among the responsible. The result, a :class:`LossSample`, keeps only the
events; a validator-year without events has no loss. From it, at any collateral ``c`` per key
share: the loss distribution per validator and per key share (mean, P95, P99, P99.9), the
probability that a loss exceeds the collateral, the expected shortfall to stakers, and the
collateral that meets a target.

**Rare events.** Plain sampling would need billions of draws to see a 1e-5 event enough times.
Two unbiased changes of measure, undone by likelihood-ratio weights:

- *counts*: a class with fewer than ``importance_floor`` harmful events per validator-year is
  drawn at ``importance_floor`` instead (Poisson: weight ``(μ/μ')ⁿ e^{μ' − μ}``; theft:
  ``p/p'`` or ``(1 − p)/(1 − p')``);
- *marks* (durations, the largest block of a year): a defensive mixture draws 60 % of them from
  beyond their 90th, 99th, 99.9th and 99.99th percentiles
  (:func:`divaecon.risk.events.tail_uniforms`).

Harmless events are never drawn: each class's rate is already thinned to the harmful ones (a
conditional, analytic step), and the responsible count is drawn from its conditional pmf.

**Errors.** Every figure comes with its Monte Carlo standard error: for a mean
``m̂ = (1/N) Σ wᵢ Yᵢ`` it is ``sqrt((mean(w²Y²) − m̂²)/N)``; probabilities likewise; quantiles and
the required collateral get a 95 % interval by inverting the interval of the exceedance
probability at the estimate.

**Reproducibility.** Validator-years are grouped in blocks of :data:`BLOCK_SIZE`; block ``b``
draws from ``numpy.random.Generator(PCG64(SeedSequence(seed, spawn_key=(b,))))``, so a run's
numbers depend only on the seed and the number of validator-years, not on threads or dask chunks.

References
----------
Importance sampling and likelihood ratios: Asmussen and Glynn (2007), *Stochastic Simulation*,
ch. V; defensive mixtures: Hesterberg (1995), Technometrics 37(2). The loss model:
:mod:`divaecon.risk.events`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from divaecon.errors import DivaeconError, ParameterError
from divaecon.risk.events import RiskModel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

BLOCK_SIZE: Final[int] = 2**18
"""Validator-years per random stream (262,144)."""

Z95: Final[float] = 1.959963984540054
"""Two-sided 95 % normal quantile."""


def _seed_entropy(seed: int | np.random.Generator | None) -> int:
    if seed is None:
        return 0
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63))
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0:
        return int(seed)
    raise ParameterError([f"seed = {seed!r}: must be an int >= 0, a numpy.random.Generator or None"])


def block_generator(entropy: int, block: int) -> np.random.Generator:
    """The generator of validator-years ``block · BLOCK_SIZE …`` (see module docstring)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(block,))))


@dataclass(frozen=True)
class _Events:
    """Events of a range of validator-years: compact sample ids and per-event marks."""

    sample: IntArray  # compact id of the validator-year (0 .. samples − 1)
    cls: NDArray[np.int16]
    loss_eth: FloatArray
    responsible: NDArray[np.int16]
    key_share_hit: NDArray[np.bool_]
    log_weight: FloatArray  # per compact sample
    samples: int  # validator-years with at least one event


def _draw_block(model: RiskModel, entropy: int, block: int, size: int, floor: float) -> tuple[_Events, float]:
    """Draw ``size`` validator-years of block ``block``; returns events and the zero-event log weight."""
    rng = block_generator(entropy, block)
    idx_parts, cls_parts, loss_parts, k_parts, hit_parts, logw_parts = [], [], [], [], [], []
    const = 0.0
    n = model.n_operators
    for j, cls in enumerate(model.classes):
        rate = cls.rate_per_validator_year
        if rate <= 0:
            continue
        if cls.bernoulli:
            p = min(rate, 1.0)
            p_draw = max(p, floor) if p < 1.0 else 1.0
            count = int(rng.binomial(size, p_draw))
            idx = np.sort(rng.choice(size, count, replace=False)) if count else np.zeros(0, np.int64)
            if p_draw > p:
                absent = np.log1p(-p) - np.log1p(-p_draw)
                const += absent
                log_event = np.log(p / p_draw) - absent
            else:
                log_event = 0.0
        else:
            rate_draw = max(rate, floor)
            count = int(rng.poisson(size * rate_draw))
            idx = rng.integers(0, size, count)
            const += rate_draw - rate
            log_event = float(np.log(rate / rate_draw))
        support = np.nonzero(cls.responsible_pmf > 0)[0]
        if support.size == 1:
            k = np.full(count, support[0], dtype=np.int16)
        else:
            cdf = np.cumsum(cls.responsible_pmf[support])
            pos = np.searchsorted(cdf, rng.random(count) * cdf[-1], side="right")
            k = support[np.minimum(pos, support.size - 1)].astype(np.int16)
        loss, log_marks = cls.sample_losses(rng, count)
        hit = rng.random(count) * n < k
        idx_parts.append(np.asarray(idx, dtype=np.int64))
        cls_parts.append(np.full(count, j, dtype=np.int16))
        loss_parts.append(loss)
        k_parts.append(k)
        hit_parts.append(hit)
        logw_parts.append(log_event + log_marks)
    idx_all = np.concatenate(idx_parts) if idx_parts else np.zeros(0, np.int64)
    present = np.zeros(size, dtype=bool)
    present[idx_all] = True
    compact = np.cumsum(present) - 1
    sample = compact[idx_all]
    samples = int(present.sum())
    logw_events = np.concatenate(logw_parts) if logw_parts else np.zeros(0)
    log_weight = const + np.bincount(sample, weights=logw_events, minlength=samples)
    return _Events(
        sample=sample.astype(np.int64),
        cls=np.concatenate(cls_parts) if cls_parts else np.zeros(0, np.int16),
        loss_eth=np.concatenate(loss_parts) if loss_parts else np.zeros(0),
        responsible=np.concatenate(k_parts) if k_parts else np.zeros(0, np.int16),
        key_share_hit=np.concatenate(hit_parts) if hit_parts else np.zeros(0, bool),
        log_weight=np.asarray(log_weight, dtype=np.float64),
        samples=samples,
    ), const


def _draw_blocks(
    model: RiskModel, entropy: int, blocks: list[tuple[int, int]], floor: float
) -> list[tuple[_Events, float]]:
    return [_draw_block(model, entropy, b, size, floor) for b, size in blocks]


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo figure with its standard error and 95 % interval (same unit as ``value``).

    For means and probabilities the interval is ``value ± 1.96 · standard_error``; for quantiles
    and the required collateral it inverts the interval of a probability, may be asymmetric, and
    ``standard_error`` is its half-width over 1.96.
    """

    value: float
    standard_error: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "standard_error": self.standard_error, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class LossSample:
    """The events of ``validator_years`` simulated validator-years and their weights.

    Use :meth:`summary`, :meth:`required_collateral` and the estimators; ``model`` is what was
    simulated. Validator-years without events (weight ``zero_weight``) are not stored.
    """

    model: RiskModel
    validator_years: int
    seed: int
    sample: IntArray
    cls: NDArray[np.int16]
    loss_eth: FloatArray
    responsible: NDArray[np.int16]
    key_share_hit: NDArray[np.bool_]
    weight: FloatArray
    zero_weight: float

    # --- per-event and per-validator-year values at a collateral ------------------------------
    @cached_property
    def _theft(self) -> NDArray[np.bool_]:
        kinds = np.array([c.bernoulli for c in self.model.classes] + [False])
        return np.asarray(kinds[self.cls])

    @cached_property
    def _any_theft(self) -> bool:
        return bool(self._theft.any())

    @cached_property
    def _seizable(self) -> FloatArray:
        per = np.array([c.seizable_per_responsible for c in self.model.classes] + [1.0])
        return np.asarray(self.responsible * per[self.cls])

    def event_loss_eth(self, c: float) -> FloatArray:
        """Loss of each event [ETH] at collateral ``c``: thieves steal only blocks worth more than
        the collateral they forfeit."""
        if not self._any_theft:
            return self.loss_eth
        return np.where(self._theft & (self.loss_eth <= self._seizable * c), 0.0, self.loss_eth)

    def _per_sample(self, values: FloatArray) -> FloatArray:
        return np.asarray(np.bincount(self.sample, weights=values, minlength=self.weight.size), dtype=np.float64)

    def validator_loss_eth(self, c: float, event_loss: FloatArray | None = None) -> FloatArray:
        """Loss per validator-year with events [ETH]."""
        return self._per_sample(self.event_loss_eth(c) if event_loss is None else event_loss)

    def shortfall_eth(self, c: float, event_loss: FloatArray | None = None) -> FloatArray:
        """Stakers' shortfall per validator-year with events [ETH]."""
        loss = self.event_loss_eth(c) if event_loss is None else event_loss
        return self._per_sample(np.maximum(loss - self._seizable * c, 0.0))

    def key_share_loss_eth(self, c: float, event_loss: FloatArray | None = None) -> FloatArray:
        """Loss charged to the key share followed, per validator-year with events [ETH] (its
        pro-rata part ``loss / K`` of each event it is responsible for)."""
        loss = self.event_loss_eth(c) if event_loss is None else event_loss
        return self._per_sample(np.where(self.key_share_hit, loss / np.maximum(self.responsible, 1), 0.0))

    def collateral_loss_eth(self, c: float, event_loss: FloatArray | None = None) -> FloatArray:
        """Collateral honest operators lose per validator-year with events [ETH] (theft excluded)."""
        loss = self.event_loss_eth(c) if event_loss is None else event_loss
        covered = np.minimum(loss, self._seizable * c)
        return self._per_sample(np.where(self._theft, 0.0, covered) if self._any_theft else covered)

    # --- estimators ---------------------------------------------------------------------------
    def mean(self, values: FloatArray) -> Estimate:
        """Mean over all validator-years of a per-sample value (0 where no event)."""
        n = self.validator_years
        wy = self.weight * values
        m = float(wy.sum() / n)
        second = float((wy * wy).sum() / n)
        se = float(np.sqrt(max(second - m * m, 0.0) / n))
        return Estimate(m, se, m - Z95 * se, m + Z95 * se)

    def probability(self, mask: NDArray[np.bool_]) -> Estimate:
        """P(event) over all validator-years, for a condition false where no event occurred."""
        est = self.mean(mask.astype(float))
        return Estimate(est.value, est.standard_error, max(est.low, 0.0), min(est.high, 1.0))

    def quantiles(self, values: FloatArray, qs: tuple[float, ...]) -> list[Estimate]:
        """Weighted quantiles of a per-validator-year value (non-negative, 0 without events).

        Each interval inverts the 95 % interval of the exceedance probability at the estimate
        (:class:`_TailIndex`: no full sort).
        """
        index = _TailIndex(values, self.weight, self.validator_years)
        out = []
        for q in qs:
            value, p, second = index.upper_quantile(1.0 - q)
            se = float(np.sqrt(max(second - p * p, 0.0) / self.validator_years))
            low = index.upper_quantile(min(1.0 - q + Z95 * se, 1.0))[0]
            high = index.upper_quantile(max(1.0 - q - Z95 * se, 0.0))[0]
            out.append(Estimate(value, (high - low) / (2 * Z95), low, high))
        return out

    def exceedance(self, values: FloatArray, x: Any) -> FloatArray:
        """P(value > x) per validator-year for each ``x`` (a per-sample value; 0 where no event)."""
        order = np.argsort(values)
        v = values[order]
        tail = np.concatenate([np.cumsum((self.weight[order] / self.validator_years)[::-1])[::-1], [0.0]])
        return np.asarray(tail[np.searchsorted(v, np.asarray(x, dtype=float), side="right")])

    # --- figures ------------------------------------------------------------------------------
    def summary(self, collateral_per_key_share_eth: float) -> MonteCarloSummary:
        """Every figure of the issue at collateral ``c`` per key share, with Monte Carlo errors."""
        c = float(collateral_per_key_share_eth)
        if not (np.isfinite(c) and c >= 0):
            raise ParameterError([f"collateral_per_key_share_eth = {c!r}: must be finite and at least 0"])
        events = self.event_loss_eth(c)
        loss = self.validator_loss_eth(c, events)
        short = self.shortfall_eth(c, events)
        key = self.key_share_loss_eth(c, events)
        stake = self.model.validator_stake_eth
        levels = (0.95, 0.99, 0.999)
        names = ("p95", "p99", "p99.9")
        return MonteCarloSummary(
            collateral_per_key_share_eth=c,
            validator_years=self.validator_years,
            mean_loss_eth=self.mean(loss),
            loss_quantiles_eth=dict(zip(names, self.quantiles(loss, levels), strict=True)),
            mean_loss_per_eth_staked=_scale(self.mean(loss), 1.0 / stake),
            key_share_mean_loss_eth=self.mean(key),
            key_share_loss_quantiles_eth=dict(zip(names, self.quantiles(key, levels), strict=True)),
            key_share_loss_exceeds_collateral_probability=self.probability(key > c),
            shortfall_probability=self.probability(short > 0),
            expected_shortfall_eth=self.mean(short),
            shortfall_apr=_scale(self.mean(short), 1.0 / self.model.staker_eth),
            operator_collateral_loss_eth=self.mean(self.collateral_loss_eth(c, events)),
        )

    def shortfall_probability(self, c: float) -> Estimate:
        """P(stakers bear a loss in a validator-year) at collateral ``c``."""
        return self.probability(self.shortfall_eth(c) > 0)

    def shortfall_apr(self, c: float) -> Estimate:
        """Expected shortfall per ETH of stakers per year at collateral ``c`` [1/year]."""
        return _scale(self.mean(self.shortfall_eth(c)), 1.0 / self.model.staker_eth)

    def required_collateral(
        self,
        target_loss_probability: float | None = None,
        target_shortfall_apr: float | None = None,
    ) -> Estimate:
        """Smallest collateral per key share that meets one target [ETH per key share].

        ``target_loss_probability``: P(a shortfall in a validator-year) at most this. A
        validator-year has a shortfall iff ``c < c*`` with ``c* = max over its events of
        loss / seizable collateral``, so the answer is a weighted upper quantile of ``c*``.
        ``target_shortfall_apr``: the expected shortfall is piecewise linear and decreasing in
        ``c``; solved exactly between its breakpoints. The interval comes from the 95 % interval
        of the targeted figure at the answer. ``inf`` when no collateral up to the loss itself
        meets the target.
        """
        if (target_loss_probability is None) == (target_shortfall_apr is None):
            raise ParameterError(["give exactly one of target_loss_probability and target_shortfall_apr"])
        if target_loss_probability is not None:
            p = float(target_loss_probability)
            if not 0.0 < p < 1.0:
                raise ParameterError([f"target_loss_probability = {p!r}: must be strictly between 0 and 1"])
            index = self._c_star_index

            def exceed_at(target: float) -> float:
                return index.upper_quantile(target)[0]

            value = exceed_at(p)
            se = self.shortfall_probability(value).standard_error if np.isfinite(value) else float("nan")
            low = exceed_at(p + Z95 * se) if np.isfinite(se) else value
            high = exceed_at(max(p - Z95 * se, 1e-300)) if np.isfinite(se) else value
            return Estimate(value, (high - low) / (2 * Z95), low, high)
        x = float(target_shortfall_apr)  # type: ignore[arg-type]
        if not 0.0 < x < 1.0:
            raise ParameterError([f"target_shortfall_apr = {x!r}: must be strictly between 0 and 1"])
        curve = self._shortfall_curve
        value = curve.solve(x)
        se = self.shortfall_apr(value).standard_error if np.isfinite(value) else float("nan")
        low = curve.solve(x + Z95 * se) if np.isfinite(se) else value
        high = curve.solve(max(x - Z95 * se, 1e-300)) if np.isfinite(se) else value
        return Estimate(value, (high - low) / (2 * Z95), low, high)

    # --- cached structures for the required collateral ---------------------------------------
    @cached_property
    def _c_event(self) -> FloatArray:
        """Collateral per key share below which each event leaves a shortfall (``inf``: nobody's
        collateral covers it; 0: no loss)."""
        seizable = self._seizable
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(seizable > 0, self.loss_eth / np.where(seizable > 0, seizable, 1.0), np.inf)
        return np.asarray(np.where(self.loss_eth > 0, c, 0.0))

    @cached_property
    def _c_star_index(self) -> _TailIndex:
        """Per validator-year ``c*``, the largest of its events' (``np.maximum.at``), indexed for
        weighted exceedance queries."""
        c_star = np.zeros(self.weight.size)
        np.maximum.at(c_star, self.sample, self._c_event)
        return _TailIndex(c_star, self.weight, self.validator_years)

    @cached_property
    def _shortfall_curve(self) -> _ExcessCurve:
        w = self.weight[self.sample] / self.validator_years / self.model.staker_eth
        return _ExcessCurve(self._c_event, self._seizable, self.loss_eth, w)


def _scale(e: Estimate, k: float) -> Estimate:
    return Estimate(e.value * k, e.standard_error * k, e.low * k, e.high * k)


_BINS: Final[int] = 4096
"""Logarithmic bins of the tail indexes: a query sorts one bin, never the whole sample."""


def _log_bins(values: FloatArray) -> tuple[NDArray[np.int64], FloatArray]:
    """Bin index of each positive finite value on ``_BINS`` log-spaced bins, and the lower edges.

    The bin of a larger value is never lower (floor of a monotone map)."""
    lv = np.log(values)
    lo, hi = float(lv.min()), float(lv.max())
    width = (hi - lo) / _BINS if hi > lo else 1e-9
    b = np.minimum(((lv - lo) / width).astype(np.int64), _BINS - 1)
    edges = np.exp(lo + width * np.arange(_BINS + 1))
    return b, edges


class _TailIndex:
    """Weighted exceedance of non-negative per-sample values (``inf`` allowed), O(n) to build.

    ``upper_quantile(t)``: the smallest ``x ≥ 0`` with ``Σ ω[values > x] ≤ t`` (``ω = w / N``),
    with that exceedance mass and its second moment ``Σ w² [values > x] / N`` (for standard
    errors). Values are binned on a log scale; a query sorts only the bin that holds the answer.
    """

    def __init__(self, values: FloatArray, weight: FloatArray, n: int) -> None:
        omega = weight / n
        finite = np.isfinite(values)
        self.inf_mass = float(omega[~finite].sum())
        self.inf_second = float((omega * weight)[~finite].sum())
        pos = finite & (values > 0)
        self.v = values[pos]
        self.w = omega[pos]
        self.w2 = (omega * weight)[pos]
        if self.v.size:
            self.bin, _ = _log_bins(self.v)
            self.tail = self.inf_mass + np.concatenate(
                [np.cumsum(np.bincount(self.bin, self.w, _BINS)[::-1])[::-1], [0.0]]
            )
            self.tail2 = self.inf_second + np.concatenate(
                [np.cumsum(np.bincount(self.bin, self.w2, _BINS)[::-1])[::-1], [0.0]]
            )

    def upper_quantile(self, target: float) -> tuple[float, float, float]:
        if self.inf_mass > target:
            return float("inf"), self.inf_mass, self.inf_second
        if self.v.size == 0 or self.tail[0] <= target:
            return (
                0.0,
                (self.tail[0] if self.v.size else self.inf_mass),
                (self.tail2[0] if self.v.size else self.inf_second),
            )
        j = int(np.count_nonzero(self.tail > target)) - 1  # tail[j] > target >= tail[j + 1]
        in_bin = self.bin == j
        vb, wb, w2b = self.v[in_bin], self.w[in_bin], self.w2[in_bin]
        order = np.argsort(-vb, kind="stable")
        vb, cum, cum2 = vb[order], self.tail[j + 1] + np.cumsum(wb[order]), self.tail2[j + 1] + np.cumsum(w2b[order])
        k = int(np.searchsorted(cum, target, side="right"))  # < vb.size, since cum[-1] = tail[j]
        x = float(vb[k])
        above = int(np.searchsorted(-vb, -x, side="left"))  # values in the bin strictly above x
        if above:
            return x, float(cum[above - 1]), float(cum2[above - 1])
        return x, float(self.tail[j + 1]), float(self.tail2[j + 1])


class _ExcessCurve:
    """``S(c) = fixed + Σ Aₑ · (c*ₑ − c)⁺`` (``Aₑ = wₑ · seizableₑ``), piecewise linear and
    decreasing; inverted exactly in O(events).

    Events nobody's collateral covers (``seizable = 0``) make the constant ``fixed``. The rest
    are binned by ``c*ₑ`` on a log scale: ``S`` at every bin edge comes from per-bin sums of
    ``A`` and ``A · c*``, and only the bin holding the answer is sorted.
    """

    def __init__(self, c_event: FloatArray, seizable: FloatArray, loss: FloatArray, w: FloatArray) -> None:
        uncovered = seizable <= 0
        self.fixed = float(np.sum(w[uncovered] * loss[uncovered]))
        keep = ~uncovered & (c_event > 0)
        self.cs = c_event[keep]
        self.a = (w * seizable)[keep]
        if self.cs.size:
            self.bin, self.edges = _log_bins(self.cs)
            sa = np.bincount(self.bin, self.a, _BINS)
            sac = np.bincount(self.bin, self.a * self.cs, _BINS)
            # sums over the bins from j up: events whose c* ≥ edges[j]
            self.tail_a = np.concatenate([np.cumsum(sa[::-1])[::-1], [0.0]])
            self.tail_ac = np.concatenate([np.cumsum(sac[::-1])[::-1], [0.0]])

    def value(self, c: float) -> float:
        """S(c), exactly (for tests)."""
        return self.fixed + float(np.sum(self.a * np.maximum(self.cs - c, 0.0)))

    def solve(self, target: float) -> float:
        """Smallest ``c ≥ 0`` with ``S(c) ≤ target``; ``inf`` if none."""
        if self.fixed > target:
            return float("inf")
        if self.cs.size == 0 or self.fixed + self.tail_ac[0] <= target:  # S(0) within the target
            return 0.0
        # S at the lower edges (all of a bin's events are at or above its lower edge)
        s_edges = self.fixed + self.tail_ac[:_BINS] - self.tail_a[:_BINS] * self.edges[:_BINS]
        over = np.nonzero(s_edges > target)[0]
        j = int(over[-1]) if over.size else 0  # the answer lies in bin j: S(edge_j) > target
        in_bin = self.bin == j
        order = np.argsort(-self.cs[in_bin], kind="stable")
        cs, a = self.cs[in_bin][order], self.a[in_bin][order]
        base_a, base_ac = self.tail_a[j + 1], self.tail_ac[j + 1]  # the bins above: c* above any c here
        if cs.size == 0:  # an empty bin: S is linear across it
            return float((self.fixed + base_ac - target) / base_a)
        cum_a = base_a + np.cumsum(a)
        cum_ac = base_ac + np.cumsum(a * cs)
        # S at the bin's breakpoints (rising as c falls): S(cs[0]) from the bins above alone, then
        # S(cs[i]) = fixed + cum_ac[i-1] − cum_a[i-1] · cs[i]
        s_at = self.fixed + np.concatenate([[base_ac - base_a * cs[0]], cum_ac[:-1] - cum_a[:-1] * cs[1:]])
        i = int(np.searchsorted(s_at, target, side="right"))  # first breakpoint with S > target
        if i == 0:  # above the bin's largest c*: only the bins above count
            return float((self.fixed + base_ac - target) / base_a) if base_a > 0 else float(cs[0])
        return float(max((self.fixed + cum_ac[i - 1] - target) / cum_a[i - 1], 0.0))


@dataclass(frozen=True)
class MonteCarloSummary:
    """The Monte Carlo's figures at one collateral; amounts per validator-year [ETH]."""

    collateral_per_key_share_eth: float
    validator_years: int
    mean_loss_eth: Estimate
    loss_quantiles_eth: dict[str, Estimate]
    mean_loss_per_eth_staked: Estimate
    key_share_mean_loss_eth: Estimate
    key_share_loss_quantiles_eth: dict[str, Estimate]
    key_share_loss_exceeds_collateral_probability: Estimate
    shortfall_probability: Estimate
    expected_shortfall_eth: Estimate
    shortfall_apr: Estimate
    operator_collateral_loss_eth: Estimate

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (estimates as ``{value, standard_error, low, high}``)."""
        out: dict[str, Any] = {}
        for name, val in self.__dict__.items():
            if isinstance(val, Estimate):
                out[name] = val.as_dict()
            elif isinstance(val, dict):
                out[name] = {k: v.as_dict() for k, v in val.items()}
            else:
                out[name] = val
        return out


BYTES_PER_EVENT: Final[float] = 120.0
"""Peak memory per drawn event, the figures' temporaries included (benchmarks/risk.md: 10 M
validator-years, 21.3 M events, 2.4–2.5 GB peak) [bytes]; errs high."""

BYTES_PER_VALIDATOR_YEAR: Final[float] = 48.0
"""Per validator-year with an event (weights, per-sample sums) [bytes]."""

EVENTS_PER_SECOND: Final[float] = 3e6
"""Draw and figures, pessimistic (1.5–6.8 s for 21 M events on a loaded 2-core machine) [1/s]."""

SIZE_HINTS: tuple[str, ...] = (
    "fewer validator-years (--validator-years, risk.mc_validator_years)",
    "a dask cluster holds the drawing, not the events gathered",
)
"""How to make a risk run smaller, for the refusal of :func:`check_risk_size`."""


def expected_events(model: RiskModel, validator_years: int, importance_floor: float = 0.05) -> float:
    """Events the Monte Carlo draws on average: each class at its (tilted) rate."""
    per_year = 0.0
    for cls in model.classes:
        rate = cls.rate_per_validator_year
        if rate > 0:
            per_year += min(max(rate, importance_floor), 1.0) if cls.bernoulli else max(rate, importance_floor)
    return per_year * validator_years


def risk_estimate(model: RiskModel, validator_years: int, importance_floor: float = 0.05) -> Any:
    """Memory and time of a Monte Carlo run (:class:`divaecon.sizing.WorkEstimate`)."""
    from divaecon import sizing

    events = expected_events(model, validator_years, importance_floor)
    memory = sizing.BASE_BYTES + events * BYTES_PER_EVENT + min(events, validator_years) * BYTES_PER_VALIDATOR_YEAR
    shape = f"{validator_years:,} validator-years, about {events:,.0f} events"
    return sizing.WorkEstimate("risk Monte Carlo", shape, int(memory), events / EVENTS_PER_SECOND)


def check_risk_size(
    model: RiskModel, validator_years: int, importance_floor: float = 0.05, max_memory: str | int | float | None = None
) -> Any:
    """Estimate a run and refuse it above the memory limit (:func:`divaecon.sizing.check_work`),
    before anything is drawn."""
    from divaecon import sizing

    estimate = risk_estimate(model, validator_years, importance_floor)
    sizing.check_work(estimate, max_memory, SIZE_HINTS)
    return estimate


def simulate_losses(
    model: RiskModel,
    validator_years: int = 1_000_000,
    seed: int | np.random.Generator | None = 0,
    *,
    importance_floor: float = 0.05,
    threads: int | None = None,
    client: Any = None,
    chunk_blocks: int = 8,
    max_memory: str | int | float | None = None,
) -> LossSample:
    """Draw ``validator_years`` validator-years of ``model``'s events (see module docstring).

    ``threads``: blocks drawn by a thread pool in this process (default: the machine's cores,
    at most 2 when they are shared); ``client``: run chunks of ``chunk_blocks`` blocks as dask
    tasks instead ("local", a scheduler address or a ``dask.distributed.Client``, via
    :func:`divaecon.simulate.backends.client_for`). Same seed and size, same numbers, either way.
    A run whose estimate (:func:`risk_estimate`) exceeds the memory limit (``max_memory``, else
    :func:`divaecon.sizing.memory_limit`) is refused before anything is drawn.
    """
    if not isinstance(validator_years, int | np.integer) or isinstance(validator_years, bool) or validator_years < 1:
        raise ParameterError([f"validator_years = {validator_years!r}: must be a whole number >= 1"])
    if not 0.0 < importance_floor < 1.0:
        raise ParameterError([f"importance_floor = {importance_floor!r}: must be strictly between 0 and 1"])
    entropy = _seed_entropy(seed)
    n = int(validator_years)
    check_risk_size(model, n, importance_floor, max_memory)
    blocks = [(b, min(BLOCK_SIZE, n - b * BLOCK_SIZE)) for b in range((n + BLOCK_SIZE - 1) // BLOCK_SIZE)]
    if client is not None:
        from divaecon.simulate.backends import client_for

        c, close = client_for(client)
        try:
            chunks = [blocks[i : i + chunk_blocks] for i in range(0, len(blocks), chunk_blocks)]
            futures = [c.submit(_draw_blocks, model, entropy, chunk, importance_floor, pure=False) for chunk in chunks]
            results = [r for part in c.gather(futures) for r in part]
        finally:
            close()
    else:
        workers = threads if threads is not None else min(2, len(blocks))

        def draw(bs: tuple[int, int]) -> tuple[_Events, float]:
            return _draw_block(model, entropy, bs[0], bs[1], importance_floor)

        if workers > 1 and len(blocks) > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(draw, blocks))
        else:
            results = [draw(b) for b in blocks]
    return _assemble(model, n, entropy, results)


def _assemble(model: RiskModel, n: int, entropy: int, results: list[tuple[_Events, float]]) -> LossSample:
    consts = {round(c, 12) for _, c in results}
    if len(consts) > 1:  # pragma: no cover - every block uses the same rates
        raise DivaeconError("blocks disagree on their zero-event weight")
    const = results[0][1] if results else 0.0
    offsets = np.cumsum([0] + [e.samples for e, _ in results[:-1]])
    return LossSample(
        model=model,
        validator_years=n,
        seed=entropy,
        sample=np.concatenate([e.sample + off for (e, _), off in zip(results, offsets, strict=True)]),
        cls=np.concatenate([e.cls for e, _ in results]),
        loss_eth=np.concatenate([e.loss_eth for e, _ in results]),
        responsible=np.concatenate([e.responsible for e, _ in results]),
        key_share_hit=np.concatenate([e.key_share_hit for e, _ in results]),
        weight=np.exp(np.concatenate([e.log_weight for e, _ in results])),
        zero_weight=float(np.exp(const)),
    )
