"""Distributed-validator availability: does a t-of-n cluster have enough operators up?

A distributed validator (DV) whose key is split among ``n`` operators signs while at least
``t`` of them are up. Three failure models:

- independent, one uptime ``a`` for all: ``P(Binomial(n, a) >= t)``;
- independent, an uptime per operator: the Poisson-binomial distribution;
- correlated (same cloud, region or client bug): a beta-binomial whose per-period uptime
  ``A ~ Beta`` has mean ``a`` and intra-class correlation ``rho`` (``rho = 0`` is the binomial,
  ``rho = 1`` means all operators fail together). ``alpha = a (1 - rho) / rho``,
  ``beta = (1 - a)(1 - rho) / rho``.

References
----------
Diva docs (github.com/staking-foundation/docs) ``docs/06-dvt.md`` (11 of 16 key shares sign);
docs.ssv.network and docs.obol.org (t-of-n clusters); DVStakers docs (github.com/DVStakers/docs,
``faq.md``); the beta-binomial as a model of correlated binary outcomes (Johnson, Kemp & Kotz,
*Univariate Discrete Distributions*, §6.7.2; ``scipy.stats.betabinom`` has the same parametrisation).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from divaecon._numeric import as_float_array, unwrap

_RHO_EPS = 1e-12


def faults_tolerated(n_operators: ArrayLike, threshold: ArrayLike) -> Any:
    """Operators that may be down with the validator still signing: ``n - t``."""
    out = np.asarray(n_operators) - np.asarray(threshold)
    return out.item() if np.ndim(out) == 0 else out


def obol_threshold(n_operators: int) -> int:
    """Obol's default threshold ``ceil(2n/3)`` (docs.obol.org, cluster configuration)."""
    return math.ceil(2 * n_operators / 3)


def availability_independent(n_operators: ArrayLike, threshold: ArrayLike, uptime: ArrayLike) -> Any:
    """P(at least ``threshold`` of ``n_operators`` are up), each up with prob. ``uptime``.

    ``P(Binomial(n, a) >= t)``. Diva's claim (16 nodes at 95 %, t = 11 → ~99.99 %) checks out.

    References
    ----------
    The binomial distribution of independent nodes; Diva docs ``docs/06-dvt.md`` and
    ``docs/13-rocketpool.md`` ("16 nodes with 95% uptime into a Distributed Validator with
    99.99% uptime").
    """
    n = np.asarray(n_operators)
    t = np.asarray(threshold)
    a = as_float_array(uptime)
    out = stats.binom.sf(t - 1, n, a)
    return unwrap(np.asarray(out, dtype=float), n_operators, threshold, uptime)


def availability_correlated(
    n_operators: ArrayLike, threshold: ArrayLike, uptime: ArrayLike, correlation: ArrayLike
) -> Any:
    """P(at least ``t`` of ``n`` up) when failures are correlated (beta-binomial model).

    ``uptime`` is each operator's mean uptime ``a``; ``correlation`` is the intra-class
    correlation ``rho`` of two operators' up/down states in [0, 1]. ``rho = 0`` gives
    :func:`availability_independent`; ``rho = 1`` gives ``a`` (all up or all down together).

    The beta-binomial probability of ``k`` up, with ``alpha = a (1 - rho) / rho`` and
    ``beta = (1 - a)(1 - rho) / rho``, is ``C(n, k) B(k + alpha, n - k + beta) / B(alpha, beta)``.
    Written as a ratio of rising factorials and divided through by ``alpha + beta``, with
    ``g = rho / (1 - rho)``, it is the Pólya urn form

        ``C(n, k) prod_{i<k} (a + i g) prod_{j<n-k} (1 - a + j g) / prod_{m<n} (1 + m g)``,

    which stays exact as ``rho`` → 0 (every factor tends to ``a``, ``1 - a`` or 1, giving the
    binomial), where the Beta functions' difference of huge logarithms loses digits
    (``scipy.stats.betabinom`` is off by 2e-5 at ``n = t = 13``, ``rho = 1e-10``).

    References
    ----------
    The beta-binomial distribution (Johnson, Kemp & Kotz, *Univariate Discrete Distributions*,
    3rd ed., §6.7.2, as the Pólya–Eggenberger urn); the tests check it against
    ``scipy.stats.betabinom`` (same parametrisation) where that is accurate.
    """
    n = np.asarray(n_operators)
    t = np.asarray(threshold)
    a = as_float_array(uptime)
    rho = as_float_array(correlation)
    n, t, a, rho = np.broadcast_arrays(n, t, a, rho)
    independent = np.asarray(stats.binom.sf(t - 1, n, a), dtype=float)
    n_max = int(np.max(n, initial=0))
    if n_max == 0:
        correlated = independent
    else:
        with np.errstate(all="ignore"):
            g = (rho / (1.0 - rho))[..., None]
            steps = np.arange(n_max)  # i, j, m = 0 .. n_max - 1
            # log prod_{i<k}: cumulative sums of the logs, with the empty product (k = 0) first
            up = _log_rising(a[..., None] + steps * g)
            down = _log_rising((1.0 - a)[..., None] + steps * g)
            total = _log_rising(1.0 + steps * g)
            k = np.arange(n_max + 1)
            nn = n[..., None]
            valid = k <= nn
            k_down = np.where(valid, nn - k, 0)
            log_pmf = (
                _log_choose(nn, np.minimum(k, nn))
                + up[..., : n_max + 1]
                + np.take_along_axis(down, k_down, axis=-1)
                - np.take_along_axis(total, nn.astype(np.intp), axis=-1)
            )
            pmf = np.where(valid & (k >= t[..., None]), np.exp(log_pmf), 0.0)
            correlated = np.minimum(np.sum(pmf, axis=-1), 1.0)
    out = np.where(rho <= _RHO_EPS, independent, correlated)
    out = np.where(rho >= 1.0 - _RHO_EPS, np.where(t <= n, a, 0.0), out)
    out = np.where(t <= 0, 1.0, out)
    out = np.where((a <= 0.0) | (a >= 1.0), independent, out)
    return unwrap(out, n_operators, threshold, uptime, correlation)


def _log_rising(factors: np.ndarray) -> np.ndarray:
    """``log prod_{i<k} factors[..., i]`` for k = 0 .. len, along the last axis (0 for k = 0)."""
    logs = np.log(factors)
    zero = np.zeros((*logs.shape[:-1], 1))
    return np.concatenate([zero, np.cumsum(logs, axis=-1)], axis=-1)


def _log_choose(n: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``log C(n, k)`` for ``0 <= k <= n`` (scipy.special.gammaln)."""
    from scipy.special import gammaln

    return np.asarray(gammaln(n + 1.0) - gammaln(k + 1.0) - gammaln(n - k + 1.0))


def availability_poisson_binomial(uptimes: ArrayLike, threshold: ArrayLike) -> Any:
    """P(at least ``threshold`` up) when operator ``i`` is up with its own prob. ``uptimes[..., i]``.

    The last axis of ``uptimes`` runs over operators; leading axes broadcast (many clusters at
    once). Exact, by the dynamic programme over the count of operators up.

    References
    ----------
    The Poisson-binomial distribution (sum of independent, non-identical Bernoulli variables).
    """
    p = as_float_array(uptimes)
    if p.ndim == 0:
        p = p[None]
    n = p.shape[-1]
    dist = np.zeros((*p.shape[:-1], n + 1))
    dist[..., 0] = 1.0
    for i in range(n):  # loop over the (few) operators of one cluster, vectorised over clusters
        pi = p[..., i : i + 1]
        shifted = np.concatenate([np.zeros((*dist.shape[:-1], 1)), dist[..., :-1]], axis=-1)
        dist = dist * (1.0 - pi) + shifted * pi
    t = np.asarray(threshold)
    counts = np.arange(n + 1)
    mask = counts >= t[..., None] if t.ndim else counts >= t
    out = np.sum(np.where(mask, dist, 0.0), axis=-1)
    return unwrap(out, threshold)


EVENT_CORRELATION_MAX = 0.999
"""Largest intra-class correlation the risk model's beta-binomial count takes (it needs ρ < 1):
``diva.failure_correlation = 1`` (all operators fail together) enters it as 0.999."""


def event_correlation(outage_fraction_correlation: ArrayLike, failure_correlation: ArrayLike) -> Any:
    """The one meaning of "correlated": ρ of the operators one loss event hits [-].

    ``diva.failure_correlation`` (this module's availability) and ``risk.outage_fraction_correlation``
    (the risk model's beta-binomial count of the operators an outage, leak or client slashing hits)
    are the same intra-class correlation of operators' down-states, seen over everyday operation
    and within one event. The rule: the operators an event hits are at least as correlated as their
    everyday outages, so the risk model uses ``max(outage_fraction_correlation,
    min(failure_correlation, EVENT_CORRELATION_MAX))``. A scenario raising the everyday correlation
    above the event's own (0.1 by default) moves the risk figures with it (the chance stakers bear a
    loss at a given collateral rises; ASSUMPTIONS.md says why the collateral for the
    loss-probability target can fall); the base scenario (``failure_correlation = 0``) keeps its figures.

    References
    ----------
    The rule is this model's (no source gives one); the beta-binomial ρ of both sides: Johnson,
    Kemp & Kotz, *Univariate Discrete Distributions*, §6.7.2.
    """
    event = as_float_array(outage_fraction_correlation)
    everyday = np.minimum(as_float_array(failure_correlation), EVENT_CORRELATION_MAX)
    return unwrap(np.maximum(event, everyday), outage_fraction_correlation, failure_correlation)


def availability(
    n_operators: ArrayLike,
    threshold: ArrayLike,
    uptime: ArrayLike,
    correlation: ArrayLike = 0.0,
) -> Any:
    """Validator availability for a t-of-n cluster: independent unless ``correlation > 0``.

    This is the validator's effective uptime: the fraction of duties it performs.
    """
    return availability_correlated(n_operators, threshold, uptime, correlation)


def share_of_downtime_penalty(
    n_operators: ArrayLike,
    threshold: ArrayLike,
    operator_uptime: ArrayLike,
    others_uptime: ArrayLike,
) -> Any:
    """Expected share of a DV's downtime one operator bears, when blame is split pro rata.

    When fewer than ``t`` operators are up the validator is offline; its penalty is charged to
    the operators that were down, in equal parts. For operator ``i`` (uptime ``u_i``) among
    ``n - 1`` others (uptime ``u``, independent), the expected fraction of a full year's offline
    penalty it bears is ``(1 - u_i) · Σ_k P(k others down) · 1{k + 1 > n - t} / (k + 1)``.
    With equal uptimes this is ``(1 - availability) / n``.

    References
    ----------
    Diva docs ``docs/40-staking-rewards.md`` ("Penalties may be applied to Operators who don't
    fulfil their duties to compensate Liquid Stakers"); the pro-rata attribution rule is this
    model's assumption (Diva publishes no formula).
    """
    n = np.asarray(n_operators)
    t = np.asarray(threshold)
    ui = as_float_array(operator_uptime)
    u = as_float_array(others_uptime)
    n, t, ui, u = np.broadcast_arrays(n, t, ui, u)
    k_max = int(np.max(n)) - 1
    k = np.arange(k_max + 1).reshape((k_max + 1,) + (1,) * n.ndim)
    pmf = stats.binom.pmf(k, n - 1, 1.0 - u)
    blame = np.where(k + 1 > n - t, 1.0 / (k + 1), 0.0)
    out = (1.0 - ui) * np.sum(pmf * blame, axis=0)
    return unwrap(out, n_operators, threshold, operator_uptime, others_uptime)
