"""The Monte Carlo against the closed forms, within its own confidence interval; reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from divaecon.errors import DivaeconError
from divaecon.params import Scenario
from divaecon.risk import closed_form
from divaecon.risk.api import risk_model
from divaecon.risk.montecarlo import BLOCK_SIZE, _ExcessCurve, _TailIndex, simulate_losses

Z = 4.0  # |MC − exact| ≤ 4 standard errors: a fixed seed, so this never flakes, yet it can fail


@pytest.fixture(scope="module")
def model():
    return risk_model(Scenario())


def only(model, name):
    return model.with_classes(tuple(c for c in model.classes if c.name == name))


def assert_within(est, exact, what):
    assert est.standard_error > 0, what  # the test must have something to measure
    assert abs(est.value - exact) <= Z * est.standard_error + 1e-15, (what, est, exact)


@pytest.mark.parametrize(
    ("name", "c"),
    [
        ("inactivity leak", 0.5),  # lognormal length, the leak walk, a heavy tail
        ("client slashing", 1.5),  # a fixed loss, beta-binomial count of signers
        ("theft", 0.1),  # Bernoulli per validator-year, the largest block of the year
        ("regional outage", 1e-4),  # a common outage whose share per operator is tiny
        ("abandonment", 0.005),  # resharing cost above the collateral
    ],
)
def test_one_class_matches_its_closed_form(model, name, c):
    single = only(model, name)
    s = simulate_losses(single, 300_000, seed=11).summary(c)
    exact = closed_form.model_figures(single, c)
    assert_within(s.mean_loss_eth, exact.mean_loss_eth[0], "mean loss")
    assert_within(s.expected_shortfall_eth, exact.expected_shortfall_eth[0], "shortfall")
    assert_within(s.shortfall_probability, exact.shortfall_probability[0], "P(shortfall)")


def test_independent_operators_binomial_case_matches():
    # correlation 0: the count of operators down is Binomial(16, f), the textbook closed form
    scenario = Scenario().override(**{"risk.outage_fraction_correlation": 0.0})
    single = only(risk_model(scenario), "inactivity leak")
    s = simulate_losses(single, 300_000, seed=5).summary(0.3)
    exact = closed_form.model_figures(single, 0.3)
    assert_within(s.expected_shortfall_eth, exact.expected_shortfall_eth[0], "shortfall")
    assert_within(s.shortfall_probability, exact.shortfall_probability[0], "P(shortfall)")


def test_whole_model_matches_and_per_key_share_is_a_sixteenth(model):
    s = simulate_losses(model, 600_000, seed=3).summary(1.0)
    exact = closed_form.model_figures(model, 1.0)
    assert_within(s.mean_loss_eth, exact.mean_loss_eth[0], "mean loss")
    assert_within(s.expected_shortfall_eth, exact.expected_shortfall_eth[0], "shortfall")
    assert_within(s.shortfall_probability, exact.shortfall_probability[0], "P(shortfall)")
    assert_within(s.operator_collateral_loss_eth, exact.operator_collateral_loss_eth[0], "collateral loss")
    # losses are charged pro rata to the K responsible of 16: a key share's mean is 1/16th
    assert_within(s.key_share_mean_loss_eth, exact.mean_loss_eth[0] / 16, "key share mean")
    assert s.shortfall_apr.value == pytest.approx(s.expected_shortfall_eth.value / 32)
    q = s.loss_quantiles_eth
    assert q["p95"].value <= q["p99"].value <= q["p99.9"].value
    for est in q.values():
        assert est.low <= est.value <= est.high


def test_rare_events_are_resolved_by_importance_sampling(model):
    # 2e-5 per validator-year: 200,000 plain draws would see about 4 such events
    single = only(model, "isolated slashing")
    s = simulate_losses(single, 200_000, seed=2).summary(0.001)
    exact = closed_form.model_figures(single, 0.001)
    assert exact.shortfall_probability[0] == pytest.approx(-np.expm1(-2e-5))
    assert s.shortfall_probability.standard_error < 0.02 * exact.shortfall_probability[0]
    assert_within(s.shortfall_probability, exact.shortfall_probability[0], "P(shortfall)")


def test_required_collateral_interval_holds_the_exact_value(model):
    sample = simulate_losses(model, 600_000, seed=8)
    for kwargs in ({"target_loss_probability": 1e-4}, {"target_shortfall_apr": 1e-4}):
        est = sample.required_collateral(**kwargs)
        exact = closed_form.required_collateral(model, **kwargs)
        assert est.low <= exact <= est.high, (kwargs, est, exact)
        assert est.low <= est.value <= est.high
    # the answer meets its target: at it, the Monte Carlo's own shortfall figures are on target
    c = sample.required_collateral(target_shortfall_apr=1e-4).value
    assert sample.shortfall_apr(c).value == pytest.approx(1e-4, rel=1e-9)
    c = sample.required_collateral(target_loss_probability=1e-4).value
    assert sample.shortfall_probability(c).value <= 1e-4 < sample.shortfall_probability(c * 0.999).value


def test_same_seed_same_numbers_whatever_the_threads(model):
    n = 2 * BLOCK_SIZE + 12_345  # a partial last block
    a = simulate_losses(model, n, seed=42, threads=1)
    b = simulate_losses(model, n, seed=42, threads=2)
    c = simulate_losses(model, n, seed=43, threads=2)
    for field in ("sample", "cls", "loss_eth", "responsible", "key_share_hit", "weight"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    assert a.summary(1.0).as_dict() == b.summary(1.0).as_dict()
    assert not np.array_equal(a.loss_eth[:1000], c.loss_eth[:1000])
    gen = simulate_losses(model, 1_000, seed=np.random.default_rng(1))
    assert gen.seed == simulate_losses(model, 1_000, seed=np.random.default_rng(1)).seed


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda m: simulate_losses(m, 0), "validator_years = 0"),
        (lambda m: simulate_losses(m, 10, seed=-1), "seed = -1"),
        (lambda m: simulate_losses(m, 10, importance_floor=0.0), "importance_floor"),
        (lambda m: simulate_losses(m, 1_000).summary(-1.0), "collateral_per_key_share_eth = -1.0"),
        (lambda m: simulate_losses(m, 1_000).required_collateral(), "exactly one"),
        (
            lambda m: simulate_losses(m, 1_000).required_collateral(target_loss_probability=2.0),
            "target_loss_probability = 2.0",
        ),
        (lambda m: closed_form.required_collateral(m, target_shortfall_apr=0.0), "target_shortfall_apr = 0.0"),
    ],
)
def test_bad_input_gets_one_line_errors(model, call, fragment):
    with pytest.raises(DivaeconError) as info:
        call(model)
    assert fragment in str(info.value) and "\n" not in str(info.value)


@pytest.mark.slow
def test_dask_gives_the_same_numbers(model):
    n = 3 * BLOCK_SIZE + 7
    local = simulate_losses(model, n, seed=9)
    remote = simulate_losses(model, n, seed=9, client="local", chunk_blocks=2)
    for field in ("sample", "loss_eth", "weight"):
        assert np.array_equal(getattr(local, field), getattr(remote, field)), field


def test_tail_structures_agree_with_brute_force():
    # the binned inversions (no full sort) against plain sums over every value
    rng = np.random.default_rng(0)
    for _ in range(60):
        n = int(rng.integers(1, 3_000))
        c_star = np.exp(rng.normal(0, 3, n))
        c_star[rng.random(n) < 0.1] = 0.0
        seizable = rng.integers(0, 5, n).astype(float)
        loss = c_star * np.where(seizable > 0, seizable, 1.0)
        c_event = np.where(seizable > 0, c_star, np.inf)
        w = rng.random(n) * 1e-3
        curve = _ExcessCurve(c_event, seizable, loss, w)

        def shortfall(c, w=w, seizable=seizable, loss=loss, c_event=c_event):
            covered = seizable > 0
            return np.sum(w[~covered] * loss[~covered]) + np.sum(
                (w * seizable)[covered] * np.maximum(c_event[covered] - c, 0.0)
            )

        for target in (1e-6, 1e-4, 1e-2, 1.0):
            c = curve.solve(target)
            if np.isinf(c):
                assert shortfall(1e12) > target
                continue
            assert shortfall(c) <= target * (1 + 1e-9) + 1e-15
            if c > 0:
                assert shortfall(c * (1 - 1e-7)) > target * (1 - 1e-9)
        values = np.where(rng.random(n) < 0.2, 0.0, np.exp(rng.normal(0, 2, n)))
        values[rng.random(n) < 0.01] = np.inf
        weight = rng.random(n)
        index = _TailIndex(values, weight, 3 * n)
        for target in (1e-4, 1e-2, 0.2, 0.9):
            x, mass, second = index.upper_quantile(target)
            if np.isinf(x):
                assert np.sum(weight[np.isinf(values)]) / (3 * n) > target
                continue
            assert mass == pytest.approx(np.sum(weight[values > x]) / (3 * n), abs=1e-12) and mass <= target
            assert second == pytest.approx(np.sum(weight[values > x] ** 2) / (3 * n), abs=1e-12)
            if x > 0:  # and x is the smallest such value
                assert np.sum(weight[values >= x]) / (3 * n) > target
