"""The fitted block-reward distribution reproduces the published figures it was fitted to."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from divaecon.errors import DivaeconError
from divaecon.risk.el_rewards import fit_el_reward_distribution


@pytest.fixture(scope="module")
def el():
    return fit_el_reward_distribution()


def test_fit_reproduces_the_blockscholes_and_flashbots_figures(el):
    # Blockscholes, "Ethereum Staking Deep Dive: Analysing Execution Layer Rewards & MEV",
    # 2024-02-15: mean 0.112 ETH per block, 99.99th percentile 28.873 ETH.
    assert el.mean() == pytest.approx(0.112, rel=1e-9)
    assert el.ppf(0.9999) == pytest.approx(28.873, rel=1e-7)
    # Valdorff, rp-thoughts leb_safety/readme.md: 99.9th percentile ≈ 9 ETH (Flashbots data).
    assert el.ppf(0.999) == pytest.approx(9.0, rel=1e-7)
    # Blockscholes: 52 % of blocks had no MEV payment, and the MEV part of the mean is 0.038 ETH:
    # the mixture's weight, and the MEV blocks' extra mean times their share.
    assert el.no_mev_share == 0.52
    priority_mean = float(np.exp(el.priority_mu + el.priority_sigma**2 / 2))
    assert (el.mev_block_mean() - priority_mean) * (1 - 0.52) == pytest.approx(0.038, rel=1e-9)


def test_fit_lands_near_the_hot_week_percentiles_it_was_not_fitted_to(el):
    # Valdorff, leb_safety/readme.md: 99.7th percentile "just over 4 ETH", 99.83rd "just over
    # 6.8 ETH" in hot weeks. Not used by the fit: a check of its shape between 1 and 9 ETH.
    assert el.ppf(0.997) == pytest.approx(4.0, rel=0.15)
    assert el.ppf(0.9983) == pytest.approx(6.8, rel=0.1)


def test_mean_equals_the_integral_of_the_survival_function(el):
    # E[X] = ∫ S(x) dx for X ≥ 0, integrated here independently of the class's own integral.
    val, _ = integrate.quad(
        lambda u: float(el.sf(np.exp(u))) * np.exp(u),
        np.log(1e-12),
        np.log(1000.0),
        points=[np.log(9.0)],
        limit=500,
        epsrel=1e-10,
    )
    assert val == pytest.approx(el.mean(), rel=1e-6)


def test_cdf_and_sf_are_complements_and_monotone(el):
    x = np.geomspace(1e-6, 999.0, 400)
    assert np.allclose(el.cdf(x) + el.sf(x), 1.0, atol=1e-12)
    assert np.all(np.diff(el.cdf(x)) >= 0)
    assert el.sf(0.0) == 1.0 and el.sf(1000.0) == 0.0


def test_fast_inverse_matches_the_exact_quantile(el):
    for q in (0.3, 0.5, 0.9, 0.99, 0.999, 0.9999, 0.999999):
        exact = el.ppf(q)
        fast = float(el.isf_fast(np.array([1.0 - q]))[0])
        assert fast == pytest.approx(exact, rel=1e-4), q


def test_scale_multiplies_every_reward():
    hot = fit_el_reward_distribution(scale=3.0)
    base = fit_el_reward_distribution()
    assert hot.mean() == pytest.approx(3 * base.mean())
    assert hot.ppf(0.999) == pytest.approx(27.0, rel=1e-7)
    assert float(hot.sf(27.0)) == pytest.approx(float(base.sf(9.0)))


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"p999_eth": 30.0, "p9999_eth": 20.0}, "must be increasing"),
        ({"mev_mean_eth": 0.2}, "el_reward_mev_mean_eth"),
        ({"mean_eth": 0.02, "mev_mean_eth": 0.01}, "el_reward_mean_eth"),
    ],
)
def test_impossible_figures_are_named(kwargs, fragment):
    with pytest.raises(DivaeconError) as info:
        fit_el_reward_distribution(**kwargs)
    assert fragment in str(info.value) and "\n" not in str(info.value)
