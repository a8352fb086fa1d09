"""Loss events against hand computations from the consensus specs and plain probability."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from divaecon.risk import events
from divaecon.risk.el_rewards import fit_el_reward_distribution

S = 34_650_000.0  # ETH staked (the default scenario)
GWEI = 1e9


def base_reward_eth(stake_eth: float, total_eth: float) -> float:
    """Base reward per epoch [ETH]: increments · EFFECTIVE_BALANCE_INCREMENT · BASE_REWARD_FACTOR
    / sqrt(total gwei) (consensus-specs altair get_base_reward, without the floors)."""
    return stake_eth * (1e9 * 64 / math.sqrt(total_eth * GWEI)) / GWEI


def test_offline_penalty_per_day_by_hand():
    # Offline: missed source (14) and target (26) weights plus, on average, sync (2): 42/64 of a
    # base reward per epoch, 225 epochs a day (altair get_flag_index_deltas, process_sync_aggregate).
    # The spec floors the base reward to whole gwei (< 0.3 % here): hence rel=5e-3.
    expected = base_reward_eth(32.0, S) * 42 / 64 * 225
    assert events.offline_penalty_eth_per_day(S, 32.0) == pytest.approx(expected, rel=5e-3)


def spec_leak_path(leak_epochs: int, exit_delay: int = 5) -> np.ndarray:
    """Inactivity penalties of an offline 32 ETH validator after 0, 1, …, ``leak_epochs`` epochs
    of a leak, walked epoch by epoch [ETH] (a leak of L epochs is the first L of a longer one).

    consensus-specs altair process_inactivity_updates (score += INACTIVITY_SCORE_BIAS = 4 when not
    participating, no recovery during a leak), bellatrix get_inactivity_penalty_deltas
    (eb · score // (4 · 2**24)), electra process_registry_updates (ejected once its effective
    balance is at most EJECTION_BALANCE = 16 ETH; exit 1 + MAX_SEED_LOOKAHEAD = 5 epochs later,
    penalised until then), process_effective_balance_updates (the effective balance drops to the
    whole ETH below once the balance falls 0.25 ETH under it); integer gwei arithmetic.
    """
    balance = 32 * 10**9
    eb = 32 * 10**9
    score = 0
    lost = 0
    ejected = None
    path = [0.0]
    for epoch in range(leak_epochs):
        if ejected is None or epoch <= ejected + exit_delay:
            score += 4
            penalty = eb * score // (4 * 2**24)
            balance -= penalty
            lost += penalty
            if ejected is None and eb <= 16 * 10**9:
                ejected = epoch
            if balance + 10**9 // 4 < eb:
                eb = balance - balance % 10**9
        path.append(lost / 1e9)
    return np.array(path)


def spec_leak_walk(leak_epochs: int) -> float:
    return float(spec_leak_path(leak_epochs)[-1])


@pytest.mark.parametrize("epochs", [1, 10, 100, 225, 500, 1_000, 2_250, 4_500, 9_000, 20_000])
def test_leaks_match_the_spec_walk(epochs):
    # the ejection at 16 ETH stops a leak's losses near 15.3 ETH (a fixed-balance formula grows
    # without bound: 32 · L (L + 1) / 2 / 2**24 would pass 32 ETH by 5,800 epochs)
    walk = spec_leak_walk(epochs)
    assert float(events.leak_inactivity_loss_eth(epochs, 32.0)) == pytest.approx(walk, abs=1e-9)


def test_the_leak_table_interpolates_the_walk():
    for epochs in (3, 401, 1_499, 3_333, 4_321, 5_001, 7_777, 26_999):
        exact = spec_leak_walk(epochs)
        assert float(events.leak_loss_from_table(np.array([float(epochs)]), 32.0)[0]) == pytest.approx(exact, abs=5e-3)


def test_slashing_losses_by_hand():
    # Electra: initial eb/4096; correlation eb·min(3·window, total)/total; missed source and
    # target (40/64 base reward) for EPOCHS_PER_SLASHINGS_VECTOR = 8,192 epochs.
    missed = base_reward_eth(32.0, S) * 40 / 64 * 8192
    isolated = 32 / 4096 + 32 * 3 * 32 / S + missed
    assert events.slashing_loss_eth(32.0, 32.0, S) == pytest.approx(isolated, rel=5e-3)
    fifth = 32 / 4096 + 32 * 0.6 + missed
    assert events.slashing_loss_eth(32.0, 0.2 * S, S) == pytest.approx(fifth, rel=1e-4)
    # a third or more of the stake slashed together: everything is lost, never more
    assert events.slashing_loss_eth(32.0, 0.5 * S, S) == 32.0


def test_count_pmf_binomial_and_beta_binomial():
    pmf = events.count_pmf(16, 0.15, 0.0)
    tail = sum(math.comb(16, k) * 0.15**k * 0.85 ** (16 - k) for k in range(6, 17))
    assert pmf[6:].sum() == pytest.approx(tail, rel=1e-12)
    rho, f, n = 0.1, 0.3, 16
    bb = events.count_pmf(n, f, rho)
    k = np.arange(n + 1)
    mean = (k * bb).sum()
    var = ((k - mean) ** 2 * bb).sum()
    # beta-binomial moments: n f and n f (1 − f)(1 + (n − 1) ρ)
    assert mean == pytest.approx(n * f)
    assert var == pytest.approx(n * f * (1 - f) * (1 + (n - 1) * rho))
    assert events.count_pmf(16, 1.0, 0.1)[16] == 1.0 and events.count_pmf(16, 0.0, 0.1)[0] == 1.0
    # a vanishing correlation is the binomial, without scipy's beta-binomial losing digits
    binomial = events.count_pmf(16, 0.25, 0.0)
    for rho in (1e-12, 1e-10, 1e-8, 1e-6, 1e-5):
        pmf = events.count_pmf(16, 0.25, rho)
        assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
        assert np.abs(pmf - binomial).max() <= 16 * rho + 1e-12


def test_harmful_rate_is_thinned_to_offline_validators():
    cls = events.duration_class("x", "outage", 16, 11, 2.0, 0.15, 0.0, 0.5, 1.0, 0.01, 32.0)
    p_offline = sum(math.comb(16, k) * 0.15**k * 0.85 ** (16 - k) for k in range(6, 17))
    assert cls.rate_per_validator_year == pytest.approx(2.0 * p_offline)
    assert cls.responsible_pmf[:6].sum() == 0 and cls.responsible_pmf.sum() == pytest.approx(1.0)


def _lognormal_expect(fn, mean_days, sigma, kinks_days=()):
    """E[fn(D)] for D lognormal with this mean: quad over the normal z behind D, split at kinks."""
    mu = math.log(mean_days) - sigma**2 / 2
    pts = sorted((math.log(k) - mu) / sigma for k in kinks_days if k > 0 and abs(math.log(k) - mu) < 12 * sigma)
    val, _ = integrate.quad(
        lambda z: fn(math.exp(mu + sigma * z)) * stats.norm.pdf(z),
        -12,
        12,
        points=pts or None,
        limit=500,
        epsabs=1e-16,
        epsrel=1e-10,
    )
    return val


@pytest.mark.parametrize("b", [0.0, 0.001, 0.01, 0.1, 31.9])
def test_outage_closed_forms_against_quadrature(b):
    a, mean_days, sigma = 0.05, 2.0, 1.2  # 0.05 ETH/day, so long outages reach the 32 ETH cap
    cls = events.duration_class("x", "outage", 16, 11, 1.0, 0.5, 0.0, mean_days, sigma, a, 32.0)
    kinks = (b / a, 32.0 / a)
    assert float(cls.excess_eth(np.array([b]))[0]) == pytest.approx(
        _lognormal_expect(lambda d: max(min(a * d, 32.0) - b, 0.0), mean_days, sigma, kinks), rel=1e-6, abs=1e-15
    )
    assert float(cls.survival(np.array([b]))[0]) == pytest.approx(
        _lognormal_expect(lambda d: float(min(a * d, 32.0) > b), mean_days, sigma, kinks), rel=1e-6, abs=1e-15
    )


def test_leak_expectations_against_quadrature():
    a, mean_days, sigma = 0.002, 3.0, 1.0
    cls = events.duration_class("leak", "leak", 16, 11, 0.05, 0.4, 0.1, mean_days, sigma, a, 32.0, leak=True)
    path = spec_leak_path(6_000)  # a 32 ETH validator stops losing once ejected, before 6,000 epochs
    # E[g(D)] by a dense trapezoid over the normal z behind D (5× finer than the model's grid);
    # the loss has kinks at every effective-balance step, which adaptive quadrature handles badly
    mu = math.log(mean_days) - sigma**2 / 2
    z = np.linspace(-10, 10, 200_001)
    d = np.exp(mu + sigma * z)
    epochs = np.clip(d * 225 - 4, 0.0, 6_000.0)
    loss = np.minimum(32.0, a * d + np.interp(epochs, np.arange(path.size), path))
    w = stats.norm.pdf(z)
    assert cls.mean_loss_eth() == pytest.approx(integrate.trapezoid(loss * w, z), rel=1e-3)
    for b in (0.5, 2.0, 10.0):
        expected = integrate.trapezoid(np.maximum(loss - b, 0.0) * w, z)
        assert float(cls.excess_eth(np.array([b]))[0]) == pytest.approx(expected, rel=2e-3)
        assert float(cls.survival(np.array([b]))[0]) == pytest.approx(integrate.trapezoid((loss > b) * w, z), abs=1e-4)


def test_tail_mixture_weights_are_unbiased():
    rng = np.random.default_rng(7)
    u, log_w = events.tail_uniforms(rng, 400_000)
    w = np.exp(log_w)
    assert np.all((u > 0) & (u <= 1))
    for x in (0.5, 0.05, 5e-3, 5e-4, 5e-5):
        est = w * (u < x)
        se = est.std() / math.sqrt(est.size)
        assert abs(est.mean() - x) < 4 * se, x  # E_w[1{U < x}] = x under the uniform
    assert abs(w.mean() - 1.0) < 4 * w.std() / math.sqrt(w.size)


def test_theft_class_by_hand():
    el = fit_el_reward_distribution()
    lam = 2.29  # proposals a year
    cls = events.theft_class(16, 11, 0.2, 1.0, el, lam)
    p = sum(math.comb(16, k) * 0.2**k * 0.8 ** (16 - k) for k in range(11, 17))
    assert cls.rate_per_validator_year == pytest.approx(p, rel=1e-12)
    # largest of a Poisson number of blocks: P(M > x) = 1 − exp(−Λ S(x))
    assert float(cls.max_survival(np.array([11.0]))[0]) == pytest.approx(1 - math.exp(-lam * float(el.sf(11.0))))
    for b in (0.0, 1.0, 11.0, 100.0):
        quad, _ = integrate.quad(
            lambda v: (1 - math.exp(-lam * float(el.sf(math.exp(v))))) * math.exp(v),
            math.log(max(b, 1e-12)),
            math.log(1000.0),
            points=[math.log(9.0)] if b < 9 else None,
            limit=500,
            epsrel=1e-10,
        )
        assert float(cls.excess_eth(np.array([b]))[0]) == pytest.approx(quad, rel=1e-5, abs=1e-12)
