"""The compiled loop of :mod:`divaecon.risk.batch`: the closed forms of
:mod:`divaecon.risk.closed_form` and the required-collateral solve, one parameter set per row.

Each row holds one validator's event classes as numbers (kind, rate, pmf of responsible key
shares, loss parameters). Per row and class, at collateral ``c``, with ``b_k = k · s · c``:

- P(a shortfall) ``= 1 − Π_classes (1 − p_j)``, ``p_j = 1 − exp(−μ_j Σ_k P(K = k) · P(L > b_k))``
  (theft, a Bernoulli: ``p_j = μ_j Σ_k P(K = k) · P(M > b_k)``);
- expected shortfall ``= Σ_j μ_j Σ_k P(K = k) · E[(L − b_k)⁺]`` — Poisson thinning and
  superposition, as :mod:`divaecon.risk.closed_form` states them (Kingman 1993, ch. 2 and 5).

Losses per kind (:mod:`divaecon.risk.events`):

- *fixed* (slashings, resharing): ``P(L > b) = 1{L > b}``, ``E[(L − b)⁺] = (L − b)⁺``;
- *outage* (``L = min(S, a·D)``, ``D`` lognormal(μ, σ)): ``P(L > b) = Φ((μ − log(b/a))/σ)`` below
  the stake ``S``; ``E[(L − b)⁺] = C(b) − C(max(b, S))`` with ``C(b) = E[(aD − b)⁺] = a e^{μ+σ²/2}
  Φ(d₁) − b Φ(d₂)`` (the lognormal partial expectation, Black–Scholes' ``d₁``, ``d₂``);
- *leak* (``L(D) = min(S, a·D + leak(D · 225 − 4))``, the spec's leak walk tabulated in epochs
  and interpolated linearly, so ``L`` is piecewise linear in ``D`` between the table's nodes):
  ``P(L > b) = P(D > L⁻¹(b))`` exactly, and ``E[(L − b)⁺] = ∫_{L⁻¹(b)}^{L⁻¹(S)} L'(d) P(D > d) dd``,
  integrated segment by segment with ``∫₀^y P(D > d) dd = E[min(D, y)] = y·P(D > y) +
  e^{μ+σ²/2} Φ((log y − μ − σ²)/σ)`` (the lognormal's limited expectation), so exact on the
  table (:mod:`divaecon.risk.events` integrates the same loss on a grid of 36,001 normal points);
- *theft* (the year's largest block ``M``: ``P(M > x) = 1 − exp(−Λ · S_block(x / m))``):
  ``S_block`` by log–log interpolation of a table of the fitted block-reward survival, and
  ``E[(M − b)⁺] = ∫_b P(M > x) dx`` by the trapezoid rule in ``log x`` on that table, as
  :class:`divaecon.risk.events.TheftClass` does on its own grid.

The solve: both figures fall with ``c``; the answer is the smallest ``c`` in ``[0, c_max]`` that
meets the target, found by bisection to ``rtol`` of the answer (``inf`` if ``c_max`` does not meet
it), as :func:`divaecon.risk.closed_form.required_collateral` finds it on narrowing grids.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

FIXED, OUTAGE, LEAK, THEFT = 0, 1, 2, 3
"""Kinds of loss, in the kernel's numbering."""

_SQRT2 = math.sqrt(2.0)


@njit(cache=True, inline="always")
def _ndtr(x: float) -> float:
    return 0.5 * math.erfc(-x / _SQRT2)


@njit(cache=True, inline="always")
def _lognormal_sf(d: float, mu: float, sigma: float) -> float:
    if d <= 0.0:
        return 1.0
    return _ndtr((mu - math.log(d)) / sigma)


@njit(cache=True, inline="always")
def _limited_mean(y: float, mu: float, sigma: float) -> float:
    """E[min(D, y)] for D lognormal(mu, sigma)."""
    if y <= 0.0:
        return 0.0
    ly = math.log(y)
    return y * _ndtr((mu - ly) / sigma) + math.exp(mu + 0.5 * sigma * sigma) * _ndtr((ly - mu - sigma * sigma) / sigma)


@njit(cache=True, inline="always")
def _call(a: float, mu: float, sigma: float, b: float) -> float:
    """E[(a·D − b)⁺] for D lognormal(mu, sigma)."""
    mean = a * math.exp(mu + 0.5 * sigma * sigma)
    if b <= 0.0:
        return mean - b
    d1 = (mu + sigma * sigma - math.log(b / a)) / sigma
    return mean * _ndtr(d1) - b * _ndtr(d1 - sigma)


# --- the leak: L(d) piecewise linear on the table's nodes in days -------------------------------
@njit(cache=True, inline="always")
def _leak_loss(g: int, a: float, days: np.ndarray, walk: np.ndarray) -> float:
    """Uncapped loss at node g: a · d_g + walk_g."""
    return a * days[g] + walk[g]


@njit(cache=True)
def _leak_inverse(b: float, a: float, stake: float, days: np.ndarray, walk: np.ndarray) -> float:
    """The duration d* with L(d*) = b; inf when b ≥ stake (the loss never exceeds the stake)."""
    if b >= stake:
        return math.inf
    return _uncapped_inverse(b, a, days, walk)


@njit(cache=True)
def _uncapped_inverse(b: float, a: float, days: np.ndarray, walk: np.ndarray) -> float:
    """The duration d* with a · d* + walk(d*) = b (increasing in d)."""
    if b <= 0.0:
        return 0.0
    last = days.size - 1
    top = _leak_loss(last, a, days, walk)
    if b >= top:  # beyond the table, the walk stays at its last value
        return days[last] + (b - top) / a if a > 0.0 else math.inf
    lo, hi = 0, last  # L(lo) <= b < L(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _leak_loss(mid, a, days, walk) <= b:
            lo = mid
        else:
            hi = mid
    l0 = _leak_loss(lo, a, days, walk)
    l1 = _leak_loss(hi, a, days, walk)
    return days[lo] + (b - l0) / (l1 - l0) * (days[hi] - days[lo])


@njit(cache=True)
def _leak_tail(
    a: float, mu: float, sigma: float, stake: float, days: np.ndarray, walk: np.ndarray, out: np.ndarray
) -> float:
    """``out[g] = ∫_{d_g}^{d_cap} L'(d) P(D > d) dd`` per node (0 beyond the cap), ``out[-1] = d_cap``
    (the duration at which the loss reaches the stake)."""
    d_cap = _uncapped_inverse(stake, a, days, walk)
    out[days.size] = d_cap
    last = days.size - 1
    # beyond the last node: slope a up to d_cap
    tail = 0.0
    if days[last] < d_cap and a > 0.0:
        tail = a * (_limited_mean(d_cap, mu, sigma) - _limited_mean(days[last], mu, sigma))
    out[last] = tail
    a_hi = _limited_mean(min(days[last], d_cap), mu, sigma)
    for g in range(last - 1, -1, -1):
        d0, d1 = days[g], days[g + 1]
        if d0 >= d_cap:
            out[g] = 0.0
            continue
        a_lo = _limited_mean(d0, mu, sigma)
        if d1 > d_cap:  # the segment the cap falls in
            a_hi = _limited_mean(d_cap, mu, sigma)
        slope = (_leak_loss(g + 1, a, days, walk) - _leak_loss(g, a, days, walk)) / (d1 - d0)
        out[g] = slope * (a_hi - a_lo) + (out[g + 1] if d1 < d_cap else 0.0)
        a_hi = a_lo
    return d_cap


@njit(cache=True)
def _leak_excess(
    b: float, a: float, mu: float, sigma: float, stake: float, days: np.ndarray, walk: np.ndarray, tail: np.ndarray
) -> float:
    """E[(L − b)⁺] from the per-node tail integrals."""
    if b >= stake:
        return 0.0
    d = _leak_inverse(b, a, stake, days, walk)
    last = days.size - 1
    d_cap = tail[days.size]
    if d >= days[last]:
        return a * (_limited_mean(d_cap, mu, sigma) - _limited_mean(d, mu, sigma))
    # node above d
    lo, hi = 0, last
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if days[mid] <= d:
            lo = mid
        else:
            hi = mid
    slope = (_leak_loss(hi, a, days, walk) - _leak_loss(lo, a, days, walk)) / (days[hi] - days[lo])
    top = min(days[hi], d_cap)
    part = slope * (_limited_mean(top, mu, sigma) - _limited_mean(d, mu, sigma))
    return part + (tail[hi] if days[hi] < d_cap else 0.0)


# --- theft: the year's largest block -----------------------------------------------------------
@njit(cache=True, inline="always")
def _max_survival_at(x: float, lam: float, scale: float, log_u0: float, dlog: float, log_sf: np.ndarray) -> float:
    """P(M > x) = 1 − exp(−Λ S_block(x / scale)), S_block by log–log interpolation."""
    if x <= 0.0:
        return -math.expm1(-lam)
    pos = (math.log(x / scale) - log_u0) / dlog
    n = log_sf.size
    if pos <= 0.0:
        s = math.exp(log_sf[0])
    elif pos >= n - 1:
        return 0.0
    else:
        j = int(pos)
        w = pos - j
        s = math.exp(log_sf[j] * (1.0 - w) + log_sf[j + 1] * w)
    return -math.expm1(-lam * s)


@njit(cache=True)
def _theft_tail(lam: float, scale: float, log_u0: float, dlog: float, log_sf: np.ndarray, out: np.ndarray) -> None:
    """``out[j] = ∫_{x_j}^{top} P(M > x) dx``, trapezoid in log x on the table's nodes."""
    n = log_sf.size
    out[n - 1] = 0.0
    prev = -math.expm1(-lam * math.exp(log_sf[n - 1])) * scale * math.exp(log_u0 + (n - 1) * dlog)
    for j in range(n - 2, -1, -1):
        x = scale * math.exp(log_u0 + j * dlog)
        f = -math.expm1(-lam * math.exp(log_sf[j])) * x
        out[j] = out[j + 1] + 0.5 * (f + prev) * dlog
        prev = f


@njit(cache=True)
def _theft_excess(
    b: float, lam: float, scale: float, log_u0: float, dlog: float, log_sf: np.ndarray, tail: np.ndarray
) -> float:
    n = log_sf.size
    x0 = scale * math.exp(log_u0)
    if b <= x0:
        return tail[0] + (x0 - b) * -math.expm1(-lam)
    pos = (math.log(b / scale) - log_u0) / dlog
    if pos >= n - 1:
        return 0.0
    j = int(pos)
    w = (b - scale * math.exp(log_u0 + j * dlog)) / (
        scale * (math.exp(log_u0 + (j + 1) * dlog) - math.exp(log_u0 + j * dlog))
    )
    return tail[j] * (1.0 - w) + tail[j + 1] * w


# --- one row's figures at one collateral ---------------------------------------------------------
@njit(cache=True)
def _figures(
    c: float,
    want_excess: bool,
    i: int,
    kind: np.ndarray,
    rate: np.ndarray,
    pmf: np.ndarray,
    seize: np.ndarray,
    loss: np.ndarray,
    mu: np.ndarray,
    sigma: np.ndarray,
    a: float,
    stake: float,
    days: np.ndarray,
    walk: np.ndarray,
    leak_tail: np.ndarray,
    lam: float,
    scale: float,
    log_u0: float,
    dlog: float,
    log_sf: np.ndarray,
    theft_tail: np.ndarray,
    out: np.ndarray,
) -> None:
    """``out = [P(shortfall), expected shortfall, mean loss, honest collateral loss]`` at c [ETH]."""
    none = 1.0
    shortfall = 0.0
    mean_loss = 0.0
    honest = 0.0
    n_k = pmf.shape[2]
    for j in range(kind.size):
        r = rate[i, j]
        if r <= 0.0:
            continue
        kd = kind[j]
        m, s = mu[i, j], sigma[i, j]
        surv = 0.0
        exc = 0.0
        covered = 0.0
        for k in range(n_k):
            w = pmf[i, j, k]
            if w <= 0.0:
                continue
            b = k * seize[i, j] * c
            if kd == FIXED:
                sv = 1.0 if loss[i, j] > b else 0.0
                ex = max(loss[i, j] - b, 0.0) if want_excess else 0.0
            elif kd == OUTAGE:
                sv = 0.0 if b >= stake else _lognormal_sf(b / loss[i, j], m, s)
                ex = (_call(loss[i, j], m, s, b) - _call(loss[i, j], m, s, max(b, stake))) if want_excess else 0.0
            elif kd == LEAK:
                sv = _lognormal_sf(_leak_inverse(b, a, stake, days, walk), m, s)
                ex = _leak_excess(b, a, m, s, stake, days, walk, leak_tail) if want_excess else 0.0
            else:
                sv = _max_survival_at(b, lam, scale, log_u0, dlog, log_sf)
                ex = _theft_excess(b, lam, scale, log_u0, dlog, log_sf, theft_tail) if want_excess else 0.0
                covered += w * b * sv
            surv += w * sv
            exc += w * ex
        shortfall += r * exc
        if kd == THEFT:
            none *= 1.0 - r * surv
            if want_excess:
                mean_loss += r * (covered + exc)
        else:
            none *= math.exp(-r * surv)
            if want_excess:
                if kd == FIXED:
                    mean = loss[i, j]
                elif kd == OUTAGE:
                    mean = _call(loss[i, j], m, s, 0.0) - _call(loss[i, j], m, s, stake)
                else:
                    mean = _leak_excess(0.0, a, m, s, stake, days, walk, leak_tail)
                mean_loss += r * mean
                honest += r * mean - r * exc
    out[0] = 1.0 - none
    out[1] = shortfall
    out[2] = mean_loss
    out[3] = honest


@njit(cache=True, parallel=True)
def solve_rows(
    kind: np.ndarray,
    rate: np.ndarray,
    pmf: np.ndarray,
    seize: np.ndarray,
    loss: np.ndarray,
    mu: np.ndarray,
    sigma: np.ndarray,
    a: np.ndarray,
    stake: float,
    staker_eth: float,
    days: np.ndarray,
    walk: np.ndarray,
    leak_j: int,
    lam: np.ndarray,
    scale: np.ndarray,
    log_u0: np.ndarray,
    dlog: float,
    log_sf: np.ndarray,
    corner: np.ndarray,
    weight: np.ndarray,
    target_p: np.ndarray,
    target_s: np.ndarray,
    c_at: np.ndarray,
    c_max: float,
    rtol: float,
    wanted: np.ndarray,
) -> np.ndarray:
    """Per row: ``[required (loss probability), required (shortfall APR), then at c_at: P(shortfall),
    expected shortfall, mean loss, honest collateral loss]`` (columns 0–5).

    ``wanted[q]`` (q = 0, 1, 2: the loss-probability answer, the shortfall answer, the figures at
    ``c_at``): what to compute; the rest is NaN (the tail tables are built only for 1 and 2).

    The row's log block-reward survival table is ``Σ_q weight[i, q] · log_sf[corner[i, q]]`` on nodes
    ``exp(log_u0[i] + j · dlog)`` (one fit: one corner of weight 1)."""
    n_rows = rate.shape[0]
    res = np.empty((n_rows, 6))
    for i in prange(n_rows):
        leak_tail = np.zeros(days.size + 1)
        theft_tail = np.zeros(log_sf.shape[1])
        sf = np.zeros(log_sf.shape[1])  # this row's block-reward table: the fits' blend
        for q in range(corner.shape[1]):
            if weight[i, q] != 0.0:
                sf += weight[i, q] * log_sf[corner[i, q]]
        u0 = log_u0[i]
        if wanted[1] or wanted[2]:  # expected shortfalls need the tail integrals
            if leak_j >= 0:
                _leak_tail(a[i], mu[i, leak_j], sigma[i, leak_j], stake, days, walk, leak_tail)
            _theft_tail(lam[i], scale[i], u0, dlog, sf, theft_tail)
        out = np.empty(4)
        for q in range(6):
            res[i, q] = math.nan
        for col in range(2):
            if not wanted[col]:
                continue
            excess = col == 1
            target = target_p[i] if col == 0 else target_s[i] * staker_eth
            lo, hi = 0.0, c_max
            _figures(
                lo,
                excess,
                i,
                kind,
                rate,
                pmf,
                seize,
                loss,
                mu,
                sigma,
                a[i],
                stake,
                days,
                walk,
                leak_tail,
                lam[i],
                scale[i],
                u0,
                dlog,
                sf,
                theft_tail,
                out,
            )
            if out[col] <= target:
                res[i, col] = 0.0
                continue
            f_lo = out[col]
            _figures(
                hi,
                excess,
                i,
                kind,
                rate,
                pmf,
                seize,
                loss,
                mu,
                sigma,
                a[i],
                stake,
                days,
                walk,
                leak_tail,
                lam[i],
                scale[i],
                u0,
                dlog,
                sf,
                theft_tail,
                out,
            )
            if out[col] > target:
                res[i, col] = math.inf
                continue
            # Illinois (regula falsi) on log(figure / target): the figure is above the target at
            # lo and within it at hi; the bracket shrinks until within rtol of hi
            g_lo = math.log(f_lo / target)
            g_hi = math.log(max(out[col], 1e-300) / target)
            side = 0
            while hi - lo > rtol * hi:
                mid = hi - g_hi * (hi - lo) / (g_hi - g_lo) if lo > 0.0 else 0.5 * (lo + hi)
                if not (lo < mid < hi) or mid - lo < 0.25 * rtol * hi or hi - mid < 0.25 * rtol * hi:
                    mid = 0.5 * (lo + hi)
                _figures(
                    mid,
                    excess,
                    i,
                    kind,
                    rate,
                    pmf,
                    seize,
                    loss,
                    mu,
                    sigma,
                    a[i],
                    stake,
                    days,
                    walk,
                    leak_tail,
                    lam[i],
                    scale[i],
                    u0,
                    dlog,
                    sf,
                    theft_tail,
                    out,
                )
                g_mid = math.log(max(out[col], 1e-300) / target)
                if g_mid > 0.0:
                    lo, g_lo = mid, g_mid
                    if side == -1:
                        g_hi *= 0.5
                    side = -1
                else:
                    hi, g_hi = mid, g_mid
                    if side == 1:
                        g_lo *= 0.5
                    side = 1
            res[i, col] = hi
        _figures(
            c_at[i],
            True,
            i,
            kind,
            rate,
            pmf,
            seize,
            loss,
            mu,
            sigma,
            a[i],
            stake,
            days,
            walk,
            leak_tail,
            lam[i],
            scale[i],
            u0,
            dlog,
            sf,
            theft_tail,
            out,
        )
        for q in range(4):
            res[i, 2 + q] = out[q]
    return res
