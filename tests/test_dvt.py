"""DVT availability against hand-computed probabilities and properties."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from divaecon import dvt

uptime = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_diva_claim_16_nodes_at_95_percent():
    # Diva docs 06-dvt.md: 16 nodes at 95 % uptime give ~99.99 % (11 of 16 must sign).
    # By hand: 1 - [C(16,10) .95^10 .05^6 + C(16,9) .95^9 .05^7 + ...] = 1 - 8.09e-5.
    assert dvt.availability_independent(16, 11, 0.95) == pytest.approx(0.999919, abs=1e-6)


def test_ssv_4_operators_by_hand():
    # P(at least 3 of 4 up) = .95^4 + 4 * .95^3 * .05 = 0.98598125.
    assert dvt.availability_independent(4, 3, 0.95) == pytest.approx(0.98598125, rel=1e-12)


def test_faults_tolerated_and_obol_threshold():
    assert dvt.faults_tolerated(16, 11) == 5
    assert [dvt.obol_threshold(n) for n in (4, 7, 10)] == [3, 5, 7]  # ceil(2n/3), docs.obol.org


def test_beta_binomial_two_operators_by_hand():
    # Two operators both needed: P(both up) = a^2 + rho * a (1 - a) (covariance of the pair).
    assert dvt.availability_correlated(2, 2, 0.9, 0.3) == pytest.approx(0.81 + 0.3 * 0.09, rel=1e-9)
    # One of two needed: 1 - P(both down) = 1 - [(1-a)^2 + rho a (1-a)].
    assert dvt.availability_correlated(2, 1, 0.9, 0.3) == pytest.approx(1 - (0.01 + 0.3 * 0.09), rel=1e-9)


def test_correlation_limits():
    assert dvt.availability(16, 11, 0.95, 0.0) == pytest.approx(dvt.availability_independent(16, 11, 0.95))
    assert dvt.availability(16, 11, 0.95, 1e-9) == pytest.approx(dvt.availability_independent(16, 11, 0.95), rel=1e-6)
    assert dvt.availability(16, 11, 0.95, 1.0) == pytest.approx(0.95)  # all fail together


@pytest.mark.parametrize("rho", [1e-3, 0.05, 0.2, 0.5, 0.9])
@pytest.mark.parametrize(("n", "t", "a"), [(16, 11, 0.95), (4, 3, 0.99), (7, 5, 0.9), (13, 13, 0.97)])
def test_beta_binomial_matches_scipy_where_scipy_is_accurate(n, t, a, rho):
    # scipy.stats.betabinom, an independent implementation (Beta functions), same parametrisation
    alpha, beta = a * (1 - rho) / rho, (1 - a) * (1 - rho) / rho
    assert dvt.availability_correlated(n, t, a, rho) == pytest.approx(
        stats.betabinom.sf(t - 1, n, alpha, beta), rel=1e-10
    )
    many = dvt.availability_correlated(np.array([n, 1, 2]), np.array([t, 1, 2]), a, rho)
    assert many[0] == pytest.approx(dvt.availability_correlated(n, t, a, rho), rel=1e-12)
    assert many[1] == pytest.approx(a, rel=1e-12)  # one operator: up with its mean uptime
    assert many[2] == pytest.approx(a * a + rho * a * (1 - a), rel=1e-10)  # the pair, by hand (above)


@pytest.mark.parametrize("rho", [1e-14, 1e-12, 1e-10, 1e-8])
def test_beta_binomial_tends_to_the_binomial(rho):
    # as rho -> 0 the beta-binomial tends to the binomial; the difference is first order in rho
    # (for n = t: P = prod_{i<n} (a + i g) / (1 + i g), g = rho / (1 - rho), so dP/drho is O(n^2))
    for n, t in ((13, 13), (16, 11)):
        assert dvt.availability_correlated(n, t, 0.95, rho) == pytest.approx(
            dvt.availability_independent(n, t, 0.95), abs=1e3 * rho + 1e-14
        )


def test_beta_binomial_edges():
    assert dvt.availability_correlated(4, 0, 0.9, 0.2) == 1.0  # no signer needed
    assert dvt.availability_correlated(4, 5, 0.9, 0.2) == 0.0  # more signers than operators


def test_correlation_hurts_a_redundant_cluster():
    ind = dvt.availability(16, 11, 0.95)
    corr = dvt.availability(16, 11, 0.95, 0.2)
    assert corr < ind
    assert corr > 0.95  # still better than one node


def test_poisson_binomial_by_hand():
    assert dvt.availability_poisson_binomial([0.9, 0.8], 2) == pytest.approx(0.72)
    assert dvt.availability_poisson_binomial([0.9, 0.8], 1) == pytest.approx(1 - 0.1 * 0.2)
    # Three operators, two needed: .9*.8*.7 + .9*.8*.3 + .9*.2*.7 + .1*.8*.7 = 0.902.
    assert dvt.availability_poisson_binomial([0.9, 0.8, 0.7], 2) == pytest.approx(0.902)


def test_poisson_binomial_vectorised_over_clusters():
    ups = np.array([[0.9, 0.8], [0.5, 0.5]])
    out = dvt.availability_poisson_binomial(ups, 2)
    assert out == pytest.approx([0.72, 0.25])


@given(st.integers(1, 20), st.integers(1, 20), uptime)
def test_poisson_binomial_equals_binomial_for_equal_uptimes(n, t, a):
    t = min(t, n)
    assert dvt.availability_poisson_binomial([a] * n, t) == pytest.approx(
        dvt.availability_independent(n, t, a), abs=1e-12
    )


@given(st.integers(1, 20), st.integers(1, 20), uptime, uptime, st.floats(0.0, 0.9))
def test_availability_rises_with_uptime(n, t, a, b, rho):
    t = min(t, n)
    lo, hi = sorted((a, b))
    assert dvt.availability(n, t, lo, rho) <= dvt.availability(n, t, hi, rho) + 1e-9


@given(st.integers(2, 20), uptime, st.floats(0.0, 0.9))
def test_availability_falls_with_threshold(n, a, rho):
    values = [dvt.availability(n, t, a, rho) for t in range(1, n + 1)]
    assert all(x >= y - 1e-9 for x, y in itertools.pairwise(values))


def test_share_of_downtime_penalty_by_hand():
    # n=2, t=2: the validator is down whenever operator i (uptime .5) is; the other (uptime .8)
    # is also down 20 % of those times and then takes half: 0.5 * (0.8 * 1 + 0.2 * 0.5) = 0.45.
    assert dvt.share_of_downtime_penalty(2, 2, 0.5, 0.8) == pytest.approx(0.45)


@given(st.integers(2, 16), st.integers(1, 16), st.floats(0.5, 1.0))
def test_symmetric_blame_sums_to_downtime(n, t, a):
    t = min(t, n)
    share = dvt.share_of_downtime_penalty(n, t, a, a)
    assert n * share == pytest.approx(1 - dvt.availability_independent(n, t, a), abs=1e-12)
