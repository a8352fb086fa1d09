"""The simulation under Ethereum's next rules: a fork inside the horizon, EIP-8363's transition walked
day by day, the burn accounted as burned; engine against its scalar twin and against hand values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from divaecon import ethereum, rules
from divaecon.params import Scenario
from divaecon.simulate import RECORDABLE, engine, simulate
from divaecon.simulate.reference import simulate_scalar
from tests.test_simulate import compare_with_reference, conservation_hook

STEADY = dict(  # a pool of 1,000 validators from day 0, no flows, Ethereum's stake held
    initial_staker_eth=32_000.0,
    initial_collateral_eth=16_000.0,
    collateral_deposit_eth_per_day=0.0,
    staker_deposit_eth_per_day=0.0,
    deposit_mode="constant",
    withdrawal_rate_per_year=0.0,
    entry_queue_eth=0.0,
    exit_queue_eth=0.0,
    activation_delay_days=0,
    two_step_deposit=False,
    ethereum_stake_growth_eth_per_day=0.0,
    operator_uptime=1.0,
)

RULED = [
    Scenario(name="EIP-8363, fork on day 30").override(issuance_curve="eip8363", issuance_fork_date=30.0),
    Scenario(name="Hegota at 10 s, fork on day 45").override(
        issuance_curve="eip8363", execution_burn="eip8375", seconds_per_slot=10.0, issuance_fork_date=45.0
    ),
    Scenario(name="tempered, growing stake").override(
        issuance_curve="tempered", ethereum_stake_growth_eth_per_day=20_000.0
    ),
    Scenario(name="capped at 8 s, Glamsterdam exits").override(
        issuance_curve="capped", seconds_per_slot=8.0, exit_churn_rule="eip8061", withdrawal_rate_per_year=0.5
    ),
    Scenario(name="EIP-8363 after its transition, low uptime").override(
        issuance_curve="eip8363", issuance_fork_date=-600.0, operator_uptime=0.8, total_staked_eth=58e6
    ),
]


def test_engine_equals_scalar_reference_under_the_rules():
    days = 150
    res = simulate(RULED, days=days, record=list(RECORDABLE), record_every_days=1)
    compare_with_reference(res, RULED, days, 1)


def test_compiled_path_equals_the_table_under_the_rules(monkeypatch):
    # rows computing their own stake path (no table) run rules.reward_factors_of compiled
    days = 120
    table = simulate(RULED, days=days, record=list(RECORDABLE), record_every_days=5)
    monkeypatch.setattr(engine, "MAX_PATH_TABLE_ENTRIES", 0)
    own = simulate(RULED, days=days, record=list(RECORDABLE), record_every_days=5)
    cols = table.timeseries.columns.drop(["scenario", "seed", "day"])
    for col in cols:
        np.testing.assert_allclose(own.timeseries[col], table.timeseries[col], rtol=1e-12, atol=1e-9, err_msg=col)


def test_eth_is_conserved_with_the_burn_accounted():
    errors: list[str] = []
    simulate(RULED, days=200, on_step=conservation_hook(errors, caps=[s.simulation.deposit_cap_eth for s in RULED]))
    assert errors == []


def test_burn_by_hand_through_the_transition():
    # 1,000 validators active from day 0 at 39.2M ETH, fork on day 10, everyone online.
    # EIP-8363 by hand: b = (isqrt(39.2e15) / isqrt(60.25e15))^3 = (197,989,898 / 245,458,754)^3;
    # the base reward of epoch e: BRF(e) x 1e9 // 197,989,898 gwei (EIP-8363's modified
    # get_base_reward_per_increment; 323 gwei at 64), BRF(e) = 128 on the fork day, then
    # 64 + (64 x rem + 61,650) // 123,300 (get_base_reward_factor), e = (t - 10) x 225; the day's
    # burn = 1,000 x 32 x b x base x 82,181.25 / 1e9 / 365.25.
    sc = Scenario(name="by hand").override(issuance_curve="eip8363", issuance_fork_date=10.0, **STEADY)
    ref = simulate_scalar(sc, days=700, record_every_days=1)
    burned = np.diff(np.asarray(ref["timeseries"]["burned_eth"]), prepend=0.0)
    b = (math.isqrt(39_200_000 * 10**9) / math.isqrt(60_250_000 * 10**9)) ** 3
    ideal = (64 * 10**9 // math.isqrt(39_200_000 * 10**9)) * 82_181.25 / 1e9
    assert ideal == pytest.approx(float(ethereum.ideal_consensus_apr(39.2e6)))

    def brf(e: int) -> int:
        if e <= 0:
            return 128
        if e >= 123_300:
            return 64
        return 64 + (64 * (123_300 - e) + 61_650) // 123_300

    assert np.all(burned[:10] == 0.0)  # before the fork
    for t in (10, 11, 100, 300, 557, 558, 600, 699):
        base = brf((t - 10) * 225) * 10**9 // math.isqrt(39_200_000 * 10**9)
        want = 1_000 * 32 * b * base * 82_181.25 / 1e9 / 365.25
        assert burned[t] == pytest.approx(want, rel=1e-9), t
    # the engine walks it the same way
    res = simulate(sc, days=700, record=["burned_eth", "rewards_eth"], record_every_days=1)
    np.testing.assert_allclose(res.timeseries["burned_eth"], ref["timeseries"]["burned_eth"], rtol=1e-12)


def test_a_fork_inside_the_horizon_changes_the_rewards_from_that_day():
    days = 60
    today = Scenario(name="today").override(**STEADY)
    hegota = Scenario(name="hegota").override(
        issuance_curve="eip8363", execution_burn="eip8375", issuance_fork_date=20.0, **STEADY
    )
    res = simulate([today, hegota], days=days, record=["rewards_eth"], record_every_days=1)
    r = {name: np.diff(g["rewards_eth"].to_numpy(), prepend=0.0) for name, g in res.timeseries.groupby("scenario")}
    np.testing.assert_array_equal(r["hegota"][:20], r["today"][:20])
    # on the fork day the base reward factor doubles (128) while b = 0.539 and a third of execution
    # rewards is burned: by hand 2 (1 - b) y + (2/3) el against y + el, y = 2.6545 %, el = 0.19455 %
    b = (math.isqrt(39_200_000 * 10**9) / math.isqrt(60_250_000 * 10**9)) ** 3
    y = float(ethereum.ideal_consensus_apr(39.2e6))
    el = float(ethereum.execution_apr(0.029, 39.2e6))
    assert r["hegota"][20] / r["today"][20] == pytest.approx((2 * (1 - b) * y + 2 / 3 * el) / (y + el), rel=1e-9)


def test_todays_rules_leave_the_paths_table_as_it_was():
    # the rules' columns are 1, 0, 1 and the reward scale the floored base reward's ratio alone

    from divaecon.simulate.inputs import build_rows

    rows = build_rows([Scenario().override(ethereum_stake_growth_eth_per_day=0.0)], 1)
    _, paths = engine.stake_paths(rows.values, 50)
    assert np.all(paths[..., 5] == 0.0) and np.all(paths[..., 6] == 1.0)
    assert np.all(paths[..., 2] == 1.0)  # constant stake: b(S_t) / b(S_0) = 1 exactly
    assert rules.is_today(Scenario().ethereum)
