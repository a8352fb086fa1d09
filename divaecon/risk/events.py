"""Loss events of one validator run by a t-of-n cluster, and who pays for them.

Each *event class* is a documented model: a rate, how many of the validator's key shares it
touches, the ETH it costs the validator (its *loss*), and whose collateral covers it. Five
kinds, built from :class:`divaecon.params.RiskParams` by :func:`divaecon.risk.api.risk_model`:

**Correlated outages** (regional, cloud, client bug, the DVT software itself; and a mass
abandonment, which lasts until the validator exits). A common shock at ``rate_per_year`` takes
down each of the validator's ``n`` operators with probability ``operator_fraction``; the number
down ``K`` is beta-binomial with intra-class correlation ``fraction_correlation`` (random share
assignment makes each validator's operators a random sample of all operators). When
``K ≥ n − t + 1`` the validator cannot sign for the outage's lognormal duration ``D`` and pays
the offline penalty (:func:`divaecon.ethereum.offline_penalty_apr`): loss ``= offline rate ·
stake · D``. The ``K`` operators that were down pay it pro rata.

**Inactivity leak**: a period of ``D`` days without finality; the validator is offline if ``K ≥
n − t + 1`` of its operators are (same beta-binomial). Loss = the inactivity penalties of the
leak's epochs (``D · 225 − 4``: the leak starts after ``MIN_EPOCHS_TO_INACTIVITY_PENALTY``), from
:func:`leak_inactivity_loss_eth`, plus the missed-attestation penalties of the offline days.

**Slashing**: (a) *isolated*: a threshold of one validator's shares signs a slashable message
(rate per validator-year); the ``t`` signers pay; (b) *client*: a compromised or buggy client
run by ``operator_fraction`` of operators makes every validator with ``K ≥ t`` of its shares on
it sign a slashable message, while ``network_fraction`` of all stake is slashed in the same
window. Loss = Electra's initial and correlation penalties plus missed duties until
withdrawable (:func:`divaecon.ethereum.slashing_penalty_eth`); the ``K`` signers pay.

**Theft of execution rewards**: an adversary holds ``adversary_fraction`` of the key shares, so
a validator has a colluding threshold with probability ``P(Binomial(n, m) ≥ t)``; the
colluders (``K ≥ t``) take one block's reward before they are ejected: the year's largest block
(a prophet's choice, an upper bound on one theft), and only if it is worth more than the
collateral they forfeit, ``K · seizable_key_shares_per_colluder · c``. Loss = the block's reward.

**Abandonment** of one key share: the cluster reshares it to a new operator if ``n − 1 ≥ t``
(cost ``replacement_cost_eth``, charged to the one who left); otherwise the validator is offline
until it exits (an outage lasting the exit wait).

Rocket Pool's community sized single-operator bonds against two of these (Valdorff,
``bond_curves.md``, Nov 2023): a grief slashing at ≈ 1.79 ETH (the pre-Electra initial penalty of
1 ETH plus missed duties) and an abandonment at ≈ 1.05 ETH per validator (rETH holders' rewards
for six months at 4 %, with a 1.645 margin). Under Electra the initial penalty is 1/4096 of the
balance (0.0078 ETH for 32 ETH), so a lone slashing costs ≈ 0.06 ETH here with its missed duties;
and this model charges collateral with penalties only (rewards a validator forgoes are reported
apart, :attr:`RiskModel.forgone_eth_per_year`), so its abandonment of a single-operator validator
(offline until it exits, ``exit_wait_days``) is far below 1.05 ETH by construction, not by
disagreement.

Who pays: the collateral of the operators responsible, each up to its ``c``; a loss beyond
``K · c`` (theft: ``K · s · c``) is the stakers' **shortfall**. Collateral is topped up (or the
operator ejected and replaced) after each event, so every event meets full collateral.

References
----------
Diva docs (``staking-foundation/docs``): ``docs/06-dvt.md`` (11 of 16 shares sign),
``docs/21-economics.md`` (collateral covers losses first; colluders' collateral is confiscated);
consensus-specs ``specs/altair/beacon-chain.md`` (``process_inactivity_updates``,
``get_flag_index_deltas``), ``specs/bellatrix/beacon-chain.md`` (inactivity quotient),
``specs/electra/beacon-chain.md`` (``slash_validator``, ``process_slashings``); Valdorff,
``rp-thoughts`` ``leb_safety/readme.md`` (theft of large blocks when they exceed the penalty) and
``2023_11_rapid_research_incubator/bond_curves.md`` (grief slashing, abandonment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats

from divaecon import ethereum
from divaecon.risk.el_rewards import ElRewardDistribution
from divaecon.units import DAYS_PER_YEAR, EPOCHS_PER_DAY

FloatArray = NDArray[np.float64]

LEAK_TABLE_DAYS: Final[float] = 120.0
"""Leaks are tabulated up to this length; a longer one costs what the table's end costs."""

TAIL_LEVELS: Final[tuple[float, ...]] = (1e-1, 1e-2, 1e-3, 1e-4)
TAIL_SHARE: Final[float] = 0.15
"""Defensive importance sampling of a mark's tail: with probability ``TAIL_SHARE`` each, the mark
is drawn beyond its survival level ``TAIL_LEVELS[i]``; otherwise (40 %) as usual."""


# --- spec-derived losses --------------------------------------------------------------------------
def leak_inactivity_loss_eth(
    leak_epochs: Any, validator_stake_eth: float = 32.0, seconds_per_slot: float = 12.0
) -> Any:
    """Inactivity penalties of a validator offline for ``leak_epochs`` epochs of a leak [ETH].

    The one place the risk model asks :mod:`divaecon.ethereum` for the leak walk
    (:func:`divaecon.ethereum.inactivity_leak_loss_eth`: the spec's epoch-by-epoch walk with
    effective-balance hysteresis and ejection at 16 ETH; the validator is back online when
    finality returns). ``leak_epochs`` are whole epochs. Never more than the stake. Another slot
    time's leak constants (EIP-8198, PR #12217) come from :func:`divaecon.rules.inactivity_leak_loss_eth`.

    References
    ----------
    consensus-specs ``specs/altair/beacon-chain.md`` (``process_inactivity_updates``),
    ``specs/bellatrix/beacon-chain.md`` (``get_inactivity_penalty_deltas``).
    """
    if seconds_per_slot == 12.0:
        loss = np.asarray(ethereum.inactivity_leak_loss_eth(validator_stake_eth, leak_epochs), dtype=float)
    else:
        from divaecon import rules  # the slot time's quotient and ratio
        from divaecon.params import EthereumParams

        at = EthereumParams(seconds_per_slot=float(seconds_per_slot))
        loss = np.asarray(rules.inactivity_leak_loss_eth(validator_stake_eth, leak_epochs, at), dtype=float)
    return np.minimum(loss, validator_stake_eth)


LEAK_TABLE_STEP_EPOCHS: Final[int] = 4
"""The leak walk is tabulated every 4 epochs up to 8,000 epochs (35.6 days; a 32 ETH validator is
ejected and stops losing by ≈ 5,000), every 64 beyond, and interpolated: within 0.005 ETH of the
walk itself (tested), the price of one vectorised call to it instead of one per epoch."""


@lru_cache(maxsize=32)
def _leak_table(validator_stake_eth: float, seconds_per_slot: float = 12.0) -> tuple[FloatArray, FloatArray]:
    last = float(int(LEAK_TABLE_DAYS * EPOCHS_PER_DAY * 12.0 / seconds_per_slot))
    epochs = np.unique(
        np.concatenate([np.arange(0.0, 8_000.0, LEAK_TABLE_STEP_EPOCHS), np.arange(8_000.0, last, 64.0), [last]])
    )
    out = np.asarray(leak_inactivity_loss_eth(epochs, validator_stake_eth, seconds_per_slot), dtype=float)
    epochs.setflags(write=False)
    out.setflags(write=False)
    return epochs, out


def leak_loss_from_table(
    leak_epochs: FloatArray, validator_stake_eth: float, seconds_per_slot: float = 12.0
) -> FloatArray:
    """:func:`leak_inactivity_loss_eth` at any (fractional) number of epochs, interpolated on a
    table of whole epochs [ETH]; beyond the table, its last value."""
    epochs, table = _leak_table(float(validator_stake_eth), float(seconds_per_slot))
    return np.interp(leak_epochs, epochs, table)


def offline_penalty_eth_per_day(total_staked_eth: float, validator_stake_eth: float) -> float:
    """Penalty of an offline validator per day outside a leak [ETH/day] (42/64 of a base reward
    per epoch: missed source, target and sync duties), :func:`divaecon.ethereum.offline_penalty_apr`."""
    return float(ethereum.offline_penalty_apr(total_staked_eth)) * validator_stake_eth / DAYS_PER_YEAR


def slashing_loss_eth(validator_stake_eth: float, slashed_in_window_eth: float, total_staked_eth: float) -> float:
    """Electra initial + correlation penalties + missed duties of one slashed validator [ETH]
    (:func:`divaecon.ethereum.slashing_penalty_eth`); the window holds at least this validator."""
    window = max(slashed_in_window_eth, validator_stake_eth)
    out = ethereum.slashing_penalty_eth(validator_stake_eth, window, total_staked_eth)["total"]
    return float(min(out, validator_stake_eth))


# --- counts of operators hit -------------------------------------------------------------------
def count_pmf(n: int, fraction: float, correlation: float) -> FloatArray:
    """P(K = k), k = 0..n: operators of one validator hit by an event [fraction].

    Binomial(n, fraction) when ``correlation`` is (below 1e-6, numerically) 0, else beta-binomial with mean ``fraction``
    and intra-class correlation ``correlation`` (``alpha = f (1 − ρ)/ρ``, ``beta = (1 − f)(1 − ρ)/ρ``,
    the parametrisation of :func:`divaecon.dvt.availability_correlated`).

    References
    ----------
    ``scipy.stats.betabinom``; Diva docs ``docs/06-dvt.md``.
    """
    k = np.arange(n + 1)
    if fraction <= 0.0:
        return np.where(k == 0, 1.0, 0.0)
    if fraction >= 1.0:
        return np.where(k == n, 1.0, 0.0)
    if correlation < _RHO_BINOMIAL:
        return np.asarray(stats.binom.pmf(k, n, fraction), dtype=float)
    a = fraction * (1.0 - correlation) / correlation
    b = (1.0 - fraction) * (1.0 - correlation) / correlation
    pmf = np.asarray(stats.betabinom.pmf(k, n, a, b), dtype=float)
    return pmf / pmf.sum()


_RHO_BINOMIAL: Final[float] = 1e-6
"""Below this correlation the beta-binomial is the binomial to within n·ρ, while scipy's
beta-binomial loses digits (its parameters pass 1e6; at ρ = 1e-10 its pmf sums to 0.999995)."""


def _conditional(pmf: FloatArray, k_min: int) -> tuple[float, FloatArray]:
    """P(K ≥ k_min) and the pmf of K given K ≥ k_min."""
    mask = np.arange(pmf.size) >= k_min
    p = float(pmf[mask].sum())
    cond = np.where(mask, pmf, 0.0)
    return p, (cond / p if p > 0 else cond)


# --- tail-mixture sampling of marks --------------------------------------------------------------
def tail_uniforms(rng: np.random.Generator, size: int) -> tuple[FloatArray, FloatArray]:
    """Survival levels ``u`` in (0, 1) for inverse-survival sampling, tilted to the tail.

    A defensive mixture: with probability ``TAIL_SHARE`` each, ``u`` is uniform on
    ``(0, TAIL_LEVELS[i])``; otherwise on (0, 1). Returns ``u`` and the log likelihood ratio
    ``log(1 / (β₀ + Σ β_i 1{u < s_i} / s_i))`` that makes weighted sums unbiased.

    References
    ----------
    Hesterberg (1995), "Weighted average importance sampling and defensive mixture
    distributions", Technometrics 37(2).
    """
    beta0 = 1.0 - TAIL_SHARE * len(TAIL_LEVELS)
    pick = rng.random(size)
    top = np.ones(size)
    for i, level in enumerate(TAIL_LEVELS):  # component i + 1 when pick ≥ β₀ + i · share
        top = np.where(pick >= beta0 + i * TAIL_SHARE, level, top)
    u = top * (1.0 - rng.random(size))  # uniform on (0, top]
    return u, -np.log(tail_density(u))


def tail_density(u: FloatArray) -> FloatArray:
    """The density of :func:`tail_uniforms`' mixture at ``u`` (relative to the uniform).

    ``β₀ + TAIL_SHARE · Σ_{i: u < s_i} 1/s_i``.
    """
    beta0 = 1.0 - TAIL_SHARE * len(TAIL_LEVELS)
    density = np.full(np.shape(u), beta0)
    for level in TAIL_LEVELS:
        density += (TAIL_SHARE / level) * (u < level)
    return density


# --- the event classes -------------------------------------------------------------------------
Kind = Literal["outage", "leak", "slashing", "theft", "abandonment"]


@dataclass(frozen=True)
class EventClass:
    """A class of harmful events of one validator, after thinning out the harmless ones.

    ``rate_per_validator_year``: Poisson rate of harmful events (for theft: the probability that
    the validator has a colluding threshold that year). ``responsible_pmf[k]``: P(k key shares
    responsible | harmful). ``seizable_per_responsible``: key shares' worth of collateral each
    responsible share forfeits (1; theft: ``seizable_key_shares_per_colluder``).
    """

    name: str
    kind: Kind
    rate_per_validator_year: float
    responsible_pmf: FloatArray
    seizable_per_responsible: float = 1.0

    @property
    def bernoulli(self) -> bool:
        """Theft is a yes/no per validator-year (a colluding threshold exists or not)."""
        return self.kind == "theft"

    # subclasses: sample_losses, mean_loss, excess, survival
    def sample_losses(self, rng: np.random.Generator, size: int) -> tuple[FloatArray, FloatArray]:
        """``size`` losses [ETH] of harmful events and their log importance weights."""
        raise NotImplementedError

    def mean_loss_eth(self) -> float:
        """E[loss | harmful event] [ETH]."""
        raise NotImplementedError

    def excess_eth(self, b: FloatArray) -> FloatArray:
        """E[(loss − b)⁺ | harmful event] for each ``b`` [ETH]."""
        raise NotImplementedError

    def survival(self, b: FloatArray) -> FloatArray:
        """P(loss > b | harmful event) for each ``b``."""
        raise NotImplementedError


@dataclass(frozen=True)
class DurationClass(EventClass):
    """Outages, leaks, exits after abandonment: loss ``min(stake, a · D + leak(D))``, D lognormal."""

    duration_mean_days: float = 1.0
    duration_sigma: float = 1.0
    penalty_eth_per_day: float = 0.0
    leak: bool = False
    validator_stake_eth: float = 32.0
    seconds_per_slot: float = 12.0
    """Slot time of the leak's epochs (``divaecon.rules``: EIP-8198, PR #12217); 12 s today."""
    _grid: tuple[FloatArray, FloatArray, FloatArray, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Expectations over D (leaks): the loss on a fine grid of the standard normal z behind D,
        # trapezoid weights times the normal density (|z| ≤ 9; the rest is < 1e-18). The loss
        # rises with z, so tail sums answer E[(L − b)⁺] and P(L > b) by one binary search.
        if not self.leak:  # outages have closed forms
            empty = np.zeros(0)
            object.__setattr__(self, "_grid", (empty, empty, empty, float(self.excess_eth(np.array([0.0]))[0])))
            return
        z = np.linspace(-9.0, 9.0, 36_001)
        w = stats.norm.pdf(z) * (z[1] - z[0])
        w[0] *= 0.5
        w[-1] *= 0.5
        loss = np.maximum.accumulate(self._loss(self._duration_at_z(z)))
        tail_w = np.concatenate([np.cumsum(w[::-1])[::-1], [0.0]])
        tail_wl = np.concatenate([np.cumsum((w * loss)[::-1])[::-1], [0.0]])
        object.__setattr__(self, "_grid", (loss, tail_w, tail_wl, float(tail_wl[0])))

    @property
    def mu_log(self) -> float:
        return float(np.log(self.duration_mean_days) - self.duration_sigma**2 / 2.0)

    def _duration_at_z(self, z: FloatArray) -> FloatArray:
        return np.asarray(np.exp(self.mu_log + self.duration_sigma * z))

    def _loss(self, days: FloatArray) -> FloatArray:
        loss = self.penalty_eth_per_day * days
        if self.leak:
            per_day = EPOCHS_PER_DAY * 12.0 / self.seconds_per_slot
            epochs = np.maximum(days * per_day - ethereum.MIN_EPOCHS_TO_INACTIVITY_PENALTY, 0.0)
            loss = loss + leak_loss_from_table(epochs, self.validator_stake_eth, self.seconds_per_slot)
        return np.minimum(loss, self.validator_stake_eth)

    def sample_losses(self, rng: np.random.Generator, size: int) -> tuple[FloatArray, FloatArray]:
        u, log_w = tail_uniforms(rng, size)
        days = np.exp(self.mu_log - self.duration_sigma * special.ndtri(u))
        return self._loss(days), log_w

    def mean_loss_eth(self) -> float:
        return self._grid[3]

    def excess_eth(self, b: FloatArray) -> FloatArray:
        b = np.atleast_1d(np.asarray(b, dtype=float))
        if not self.leak:
            # E[(min(aD, S) − b)⁺] = E[(aD − b)⁺] − E[(aD − S)⁺], lognormal partial expectations
            return np.asarray(
                _lognormal_call(self.penalty_eth_per_day, self.mu_log, self.duration_sigma, b)
                - _lognormal_call(
                    self.penalty_eth_per_day, self.mu_log, self.duration_sigma, np.maximum(b, self.validator_stake_eth)
                )
            )
        loss, tail_w, tail_wl, _ = self._grid
        i = np.searchsorted(loss, b, side="right")  # first grid point with loss > b
        return np.asarray(tail_wl[i] - b * tail_w[i])

    def survival(self, b: FloatArray) -> FloatArray:
        b = np.atleast_1d(np.asarray(b, dtype=float))
        if not self.leak:
            with np.errstate(divide="ignore"):
                d = np.log(np.maximum(b, 1e-300) / self.penalty_eth_per_day)
            s = special.ndtr((self.mu_log - d) / self.duration_sigma)  # P(D > b / a), normal tail
            return np.asarray(np.where(b >= self.validator_stake_eth, 0.0, np.where(b < 0, 1.0, s)))
        loss, tail_w, _, _ = self._grid
        return np.asarray(tail_w[np.searchsorted(loss, b, side="right")])


def _lognormal_call(a: float, mu: float, sigma: float, b: FloatArray) -> FloatArray:
    """E[(a·D − b)⁺] for D ~ lognormal(mu, sigma), b ≥ 0 (the Black–Scholes partial expectation)."""
    mean = a * np.exp(mu + sigma**2 / 2.0)
    with np.errstate(divide="ignore"):
        d1 = (mu + sigma**2 - np.log(np.maximum(b, 1e-300) / a)) / sigma
    d2 = d1 - sigma
    out = mean * special.ndtr(d1) - b * special.ndtr(d2)
    return np.asarray(np.where(b <= 0, mean - b, out))


@dataclass(frozen=True)
class FixedClass(EventClass):
    """Slashing and resharing: a fixed loss per harmful event [ETH]."""

    loss_eth: float = 0.0

    def sample_losses(self, rng: np.random.Generator, size: int) -> tuple[FloatArray, FloatArray]:
        return np.full(size, self.loss_eth), np.zeros(size)

    def mean_loss_eth(self) -> float:
        return self.loss_eth

    def excess_eth(self, b: FloatArray) -> FloatArray:
        return np.maximum(self.loss_eth - np.atleast_1d(np.asarray(b, dtype=float)), 0.0)

    def survival(self, b: FloatArray) -> FloatArray:
        return (self.loss_eth > np.atleast_1d(np.asarray(b, dtype=float))).astype(float)


@dataclass(frozen=True)
class TheftClass(EventClass):
    """Theft of the year's largest block by a colluding threshold (a Bernoulli per validator-year).

    The *mark* is the year's largest block reward ``M`` (0 when the validator proposes none):
    ``P(M > x) = 1 − exp(−Λ · S(x))`` for ``Λ`` proposals a year (Poisson) and block-reward
    survival ``S``. Whether the colluders steal depends on the collateral (they do when ``M``
    exceeds what they forfeit), so :meth:`excess_eth` and :meth:`survival` describe ``M``, and
    the theft's loss and shortfall follow in :mod:`divaecon.risk.closed_form`.
    """

    el: ElRewardDistribution | None = None
    proposals_per_year: float = 0.0
    _excess: tuple[FloatArray, FloatArray] = field(init=False, repr=False, compare=False)
    _log_survival: tuple[FloatArray, FloatArray] = field(init=False, repr=False, compare=False)

    def max_survival(self, x: FloatArray) -> FloatArray:
        """P(M > x): the year's largest block reward exceeds ``x`` [fraction]."""
        assert self.el is not None
        x = np.atleast_1d(np.asarray(x, dtype=float))
        s = np.asarray(self.el.sf(np.maximum(x, 0.0)), dtype=float)
        return np.asarray(np.where(x < 0, 1.0, -np.expm1(-self.proposals_per_year * s)))

    def sample_losses(self, rng: np.random.Generator, size: int) -> tuple[FloatArray, FloatArray]:
        assert self.el is not None
        u, log_w = tail_uniforms(rng, size)
        none = u >= -np.expm1(-self.proposals_per_year)  # no block at all, or a 0-reward one
        s = -np.log1p(-np.minimum(u, 1.0 - 1e-16)) / self.proposals_per_year
        out = np.where(none, 0.0, self.el.isf_fast(np.minimum(s, 1.0)))
        return np.asarray(out), log_w

    def __post_init__(self) -> None:
        # E[(M − b)⁺] = ∫_b^top P(M > x) dx on a log grid, integrated once from the top down
        # (trapezoid in log x, 20,000 points over 10 decades; the tests check it against quad).
        if self.el is None:
            return
        top = self.el.scale * self.el.cap_eth
        x = np.geomspace(top * 1e-10, top, 20_001)
        f = self.max_survival(x) * x  # integrand in d(log x)
        dlog = np.diff(np.log(x))
        pieces = 0.5 * (f[1:] + f[:-1]) * dlog
        tail_integral = np.concatenate([np.cumsum(pieces[::-1])[::-1], [0.0]])
        object.__setattr__(self, "_excess", (x, tail_integral))
        object.__setattr__(self, "_log_survival", (np.log(x), np.log(np.maximum(f / x, 1e-300))))

    def excess_eth(self, b: FloatArray) -> FloatArray:
        """E[(M − b)⁺] [ETH], from a table of ``∫_b^top P(M > x) dx`` (see ``__post_init__``)."""
        x, integral = self._excess
        b = np.atleast_1d(np.asarray(b, dtype=float))
        inside = np.interp(np.clip(b, x[0], x[-1]), x, integral)
        below = np.maximum(x[0] - b, 0.0) * float(self.max_survival(np.array([0.0]))[0])
        return np.asarray(np.where(b >= x[-1], 0.0, inside + below))

    def survival(self, b: FloatArray) -> FloatArray:
        """P(M > b), by log–log interpolation of :meth:`max_survival` on the table's grid."""
        log_x, log_s = self._log_survival
        b = np.atleast_1d(np.asarray(b, dtype=float))
        inside = np.exp(np.interp(np.log(np.maximum(b, np.exp(log_x[0]))), log_x, log_s))
        below = float(self.max_survival(np.array([0.0]))[0])
        return np.asarray(np.where(b >= np.exp(log_x[-1]), 0.0, np.where(b < np.exp(log_x[0]), below, inside)))

    def mean_loss_eth(self) -> float:
        """E[M] [ETH]: what the colluders would take with no collateral at stake."""
        return float(self.excess_eth(np.array([0.0]))[0])


# --- the validator's exposure ------------------------------------------------------------------
@dataclass(frozen=True)
class RiskModel:
    """One validator's exposure: its cluster, stake, who bears a shortfall, and its event classes.

    ``staker_eth``: the ETH whose holders share a shortfall (Diva: the validator's 32 ETH of
    divETH, collateral included; a Rocket Pool megapool: the 28 borrowed ETH).
    ``gross_apr``: the validator's reward rate (for rewards forgone while it is offline).
    """

    name: str
    n_operators: int
    threshold: int
    validator_stake_eth: float
    staker_eth: float
    total_staked_eth: float
    gross_apr: float
    classes: tuple[EventClass, ...]
    forgone_eth_per_year: float = 0.0
    """Expected rewards the validator forgoes a year to these events (not charged to collateral)."""

    def with_classes(self, classes: tuple[EventClass, ...]) -> RiskModel:
        """The same validator with other event classes (e.g. one class alone, for closed forms)."""
        from dataclasses import replace

        return replace(self, classes=classes)


def duration_class(
    name: str,
    kind: Kind,
    n: int,
    t: int,
    rate_per_year: float,
    operator_fraction: float,
    correlation: float,
    duration_mean_days: float,
    duration_sigma: float,
    penalty_eth_per_day: float,
    validator_stake_eth: float,
    leak: bool = False,
    seconds_per_slot: float = 12.0,
) -> DurationClass:
    """A common shock that takes operators offline: harmful when ``K ≥ n − t + 1``."""
    p_harm, pmf = _conditional(count_pmf(n, operator_fraction, correlation), n - t + 1)
    return DurationClass(
        name=name,
        kind=kind,
        rate_per_validator_year=rate_per_year * p_harm,
        responsible_pmf=pmf,
        duration_mean_days=duration_mean_days,
        duration_sigma=duration_sigma,
        penalty_eth_per_day=penalty_eth_per_day,
        leak=leak,
        validator_stake_eth=validator_stake_eth,
        seconds_per_slot=seconds_per_slot,
    )


def client_slashing_class(
    name: str,
    n: int,
    t: int,
    rate_per_year: float,
    operator_fraction: float,
    correlation: float,
    loss_eth: float,
) -> FixedClass:
    """A client that signs slashable messages: harmful when ``K ≥ t`` of the shares run it."""
    p_harm, pmf = _conditional(count_pmf(n, operator_fraction, correlation), t)
    return FixedClass(
        name=name,
        kind="slashing",
        rate_per_validator_year=rate_per_year * p_harm,
        responsible_pmf=pmf,
        loss_eth=loss_eth,
    )


def isolated_class(name: str, kind: Kind, n: int, responsible: int, rate: float, loss_eth: float) -> FixedClass:
    """Events of one validator with a fixed loss paid by ``responsible`` key shares."""
    pmf = np.where(np.arange(n + 1) == responsible, 1.0, 0.0)
    return FixedClass(name=name, kind=kind, rate_per_validator_year=rate, responsible_pmf=pmf, loss_eth=loss_eth)


def theft_class(
    n: int,
    t: int,
    adversary_fraction: float,
    seizable_per_colluder: float,
    el: ElRewardDistribution,
    proposals_per_year: float,
) -> TheftClass:
    """A colluding threshold (``K ≥ t`` of ``n`` shares held by the adversary, binomial)."""
    p, pmf = _conditional(count_pmf(n, adversary_fraction, 0.0), t)
    return TheftClass(
        name="theft",
        kind="theft",
        rate_per_validator_year=p,
        responsible_pmf=pmf,
        seizable_per_responsible=seizable_per_colluder,
        el=el,
        proposals_per_year=proposals_per_year,
    )
