"""The network simulation: against the scalar twin, by hand, against the quote, conservation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from divaecon import ethereum
from divaecon.errors import DivaeconError, ParameterError
from divaecon.params import Scenario, load_scenario
from divaecon.quote import quote
from divaecon.simulate import (
    DEFAULT_RECORD,
    RECORDABLE,
    RNG_BLOCK,
    reward_coefficients,
    simulate,
    sweep,
)
from divaecon.simulate.reference import simulate_scalar
from divaecon.units import apr_to_apy

REL = 1e-9
SUMMARY_KEYS = (
    "staker_apy",
    "operator_apy_queued",
    "operator_apy_assigned",
    "queue_wait_mean_days",
    "queue_wait_p95_days",
    "peak_collateral_locked_eth",
    "cash_drag",
    "final_active_validators",
    "final_diveth_supply",
    "wdiveth_rate",
    "refused_deposits_eth",
)


def close(a: Any, b: Any, rel: float = REL, abs_: float = 1e-9) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both_nan = np.isnan(a) & np.isnan(b)
    ok = np.isclose(a, b, rtol=rel, atol=abs_) | both_nan
    return bool(np.all(ok))


MAX_DAYS = 400  # the longest horizon the hypothesis tests below draw


def scenario_strategy() -> st.SearchStrategy[Scenario]:
    values = st.fixed_dictionaries(
        {
            "collateral_per_key_share_eth": st.sampled_from([0.1, 0.25, 0.5, 1.0, 2.0, 1.3]),
            "key_shares_per_validator": st.sampled_from([16, 8, 4]),
            "operator_uptime": st.floats(0.5, 1.0),
            "failure_correlation": st.sampled_from([0.0, 0.1, 0.5]),
            "operator_fee": st.floats(0.0, 0.3),
            "treasury_fee": st.floats(0.0, 0.1),
            "insurance_fee": st.floats(0.0, 0.05),
            "deposit_mode": st.sampled_from(["constant", "growth"]),
            "staker_deposit_eth_per_day": st.floats(0.0, 2_000.0),
            "target_staker_eth": st.floats(1_000.0, 2_000_000.0),
            "growth_rate_per_year": st.floats(0.0, 5.0),
            "initial_staker_eth": st.floats(0.0, 200_000.0),
            "withdrawal_rate_per_year": st.sampled_from([0.0, 0.05, 0.5, 1.0]),
            "initial_collateral_eth": st.floats(0.0, 50_000.0),
            "collateral_deposit_eth_per_day": st.floats(0.0, 500.0),
            "ethereum_stake_growth_eth_per_day": st.floats(-5_000.0, 20_000.0),
            "activation_delay_days": st.integers(0, 12),
            "total_staked_eth": st.floats(1e6, 1e8),
            "el_reward_per_block_eth": st.floats(0.0, 0.2),
            # Ethereum's queues: from none to a month's churn, draining or growing
            "entry_queue_eth": st.sampled_from([0.0, 57_600.0, 400_000.0, 2_000_000.0]),
            "entry_queue_change_eth_per_day": st.sampled_from([0.0, -20_000.0, 5_000.0]),
            "exit_queue_eth": st.sampled_from([0.0, 32_581.0, 1_000_000.0]),
            "exit_queue_change_eth_per_day": st.sampled_from([0.0, -10_000.0]),
            "exit_churn_rule": st.sampled_from(["electra", "eip8061"]),
            "seconds_per_slot": st.sampled_from([12.0, 8.0, 10.0]),
            # Ethereum's next rules (divaecon.rules): the curves, eMBER, a fork before, at or inside the horizon
            "issuance_curve": st.sampled_from(["current", "eip8363", "tempered", "capped"]),
            "execution_burn": st.sampled_from(["none", "eip8375"]),
            "issuance_fork_date": st.sampled_from([0.0, -600.0, -100.0, 30.0, 250.0]),
            "withdrawal_sweep_days": st.floats(0.0, 10.0),
            "two_step_deposit": st.booleans(),
            "operator_rewards": st.sampled_from(["minted", "paid_out"]),
            "ejection_margin": st.sampled_from([0.25, 0.9, 1.0]),
            # the buffer's cap: none, binding within days, binding later, Rocket Pool's setting
            "deposit_cap_eth": st.sampled_from([0.0, 100.0, 2_000.0, 18_000.0]),
        }
    )

    def build(v: dict[str, Any]) -> Scenario:
        k = v["key_shares_per_validator"]
        # A falling Ethereum stake is valid only while it stays positive (the engine refuses the
        # rest with a ParameterError, tested below); keep it above half its start over MAX_DAYS.
        v["ethereum_stake_growth_eth_per_day"] = max(
            v["ethereum_stake_growth_eth_per_day"], -0.5 * v["total_staked_eth"] / MAX_DAYS
        )
        return Scenario().override(threshold=max(1, (11 * k) // 16), **v)

    return values.map(build)


def p95_within_tolerance(engine: float, exact: float) -> bool:
    """The engine's P95 queue wait against the twin's exact one: equal below 127 days (1-day bins),
    from there the upper end of a bin about 3 % wide: ``exact <= engine <= 1.03 · exact`` (metrics.py)."""
    if math.isnan(exact) or math.isnan(engine):
        return math.isnan(exact) and math.isnan(engine)
    if exact < 127:
        return engine == exact
    return exact <= engine <= 1.03 * exact


def compare_with_reference(
    res: Any,
    scenarios: list[Scenario],
    days: int,
    every: int,
    draws: dict[int, list[dict[str, float]]] | None = None,
    seeds: int = 1,
    rel: float = REL,
) -> None:
    ts = res.timeseries
    for i, sc in enumerate(scenarios):
        for seed in range(seeds):
            row = i * seeds + seed
            fn = None
            if draws is not None:
                by_day = draws[row]

                def fn(t: int, by_day: list[dict[str, float]] = by_day) -> dict[str, float]:
                    return by_day[t]

            ref = simulate_scalar(sc, days=days, record_every_days=every, draws=fn)
            mask = (ts["scenario"] == res.summary["scenario"].iloc[row]) & (ts["seed"] == seed)
            got = ts[mask]
            assert list(got["day"]) == ref["days"]
            for var in ts.columns.drop(["scenario", "seed", "day"]):
                want = np.asarray(ref["timeseries"][var], dtype=float)
                # Amounts that are small differences of large ones (the buffer) are compared on
                # the scale of the pool.
                scale = 1e-9 * max(1.0, float(np.max(np.asarray(ref["timeseries"]["diveth_supply"]))))
                assert close(got[var].to_numpy(), want, rel=rel, abs_=scale), (var, row)
            for key in SUMMARY_KEYS:
                if key == "queue_wait_p95_days":
                    assert p95_within_tolerance(res.summary[key].iloc[row], ref["summary"][key]), (key, row)
                else:
                    assert close(res.summary[key].iloc[row], ref["summary"][key], rel=rel), (key, row)


@given(st.lists(scenario_strategy(), min_size=1, max_size=4), st.integers(20, MAX_DAYS))
def test_vectorised_engine_equals_scalar_reference(scenarios: list[Scenario], days: int) -> None:
    named = [s.override(name=f"s{i}") for i, s in enumerate(scenarios)]
    res = simulate(named, days=days, record=list(RECORDABLE), record_every_days=7)
    compare_with_reference(res, named, days, 7)


CAPPED = [
    # 900 ETH a day offered; 50 divETH of collateral a day stakes 3.125 validators (100 ETH, half
    # of it the collateral's own ETH): the buffer reaches its 5,000 ETH cap within days and then
    # refuses most of what is offered, as withdrawals (50 %/year) and exits move the room
    Scenario(name="constant, collateral short").override(
        deposit_mode="constant",
        staker_deposit_eth_per_day=900.0,
        initial_collateral_eth=0.0,
        collateral_deposit_eth_per_day=50.0,
        withdrawal_rate_per_year=0.5,
        deposit_cap_eth=5_000.0,
    ),
    # logistic growth from 20,000 ETH against 20 divETH of collateral a day and a 3,000 ETH cap,
    # behind a queue of 57,600 ETH (a day of churn), two deposits, minted fees
    Scenario(name="growth, capped").override(
        initial_staker_eth=20_000.0,
        initial_collateral_eth=320.0,
        collateral_deposit_eth_per_day=20.0,
        deposit_cap_eth=3_000.0,
        entry_queue_eth=57_600.0,
        operator_rewards="minted",
    ),
    # the base scenario (Rocket Pool's 18,000 ETH) with a buffer above the cap on day 0 and
    # collateral short of it from then on
    Scenario(name="base, day-0 buffer above the cap").override(initial_staker_eth=60_000.0),
]


def test_engine_equals_scalar_reference_with_the_cap_binding() -> None:
    res = simulate(CAPPED, days=400, record=list(RECORDABLE), record_every_days=5)
    refusing = res.timeseries[res.timeseries["refused_today_eth"] > 0].groupby("scenario", observed=True).size()
    # the cap binds on most of the 81 recorded days of each (collateral is short in all three)
    assert (refusing.reindex([s.name for s in CAPPED]) > 60).all()
    compare_with_reference(res, CAPPED, 400, 5)


MC = Scenario().override(
    entry_queue_eth=0.0,  # validators earn from the first days
    two_step_deposit=False,
    outage_rate_per_operator_per_year=20.0,
    slashing_rate_per_validator_per_year=0.02,
    proposer_luck=True,
    initial_staker_eth=200_000.0,
    initial_collateral_eth=60_000.0,
    collateral_per_key_share_eth=0.25,
    activation_delay_days=0,
)


def _capture_draws(store: dict[int, list[dict[str, float]]]) -> Any:
    def hook(t: int, state: Any) -> None:
        d = state["draws"]
        n = len(state["buffer_eth"])
        for row in range(n):
            store.setdefault(row, []).append({k: float(v[row]) for k, v in d.items()})

    return hook


def test_monte_carlo_engine_equals_scalar_reference_given_the_same_draws() -> None:
    scenarios = [
        MC.override(name="a"),
        MC.override(name="b", collateral_per_key_share_eth=1.0, failure_correlation=0.2),
    ]
    store: dict[int, list[dict[str, float]]] = {}
    res = simulate(
        scenarios,
        seeds=2,
        days=200,
        record=list(RECORDABLE),
        record_every_days=10,
        rng=7,
        on_step=_capture_draws(store),
    )
    # the draws did something
    assert res.summary["wdiveth_rate"].nunique() == 4
    assert any(d["slashings"] > 0 for row in store.values() for d in row)
    # Under outages the engine reads availability from a table (linear interpolation on 8,193
    # points, within ~1e-7 of dvt.availability) where the twin computes it exactly: the measured
    # tolerance of that approximation.
    compare_with_reference(res, scenarios, 200, 10, draws=store, seeds=2, rel=1e-6)


def test_without_monte_carlo_rates_the_seeds_agree_and_draw_nothing() -> None:
    store: dict[int, list[dict[str, float]]] = {}
    res = simulate(Scenario(), seeds=3, days=50, on_step=_capture_draws(store))
    assert all(d == {} for row in store.values() for d in row)
    s = res.summary.drop(columns="seed")
    assert (s.nunique() <= 1).all()


def test_monte_carlo_is_reproducible_and_seeded() -> None:
    a = simulate(MC, seeds=3, days=120, rng=1).summary
    b = simulate(MC, seeds=3, days=120, rng=np.random.default_rng(5)).summary
    c = simulate(MC, seeds=3, days=120, rng=1).summary
    pd.testing.assert_frame_equal(a, c)
    assert not a["wdiveth_rate"].equals(b["wdiveth_rate"])
    assert a["wdiveth_rate"].nunique() == 3


# --- conservation -----------------------------------------------------------------------------


def conservation_hook(errors: list[str], stake: float = 32.0, caps: Any = None) -> Any:
    """Check, after every day: no ETH appears or vanishes, divETH is the pool less what it owes,
    rewards and penalties are all accounted for, nothing is negative that cannot be.

    Staker deposits refused at the buffer's cap (``caps``: each row's ``deposit_cap_eth``, 0 for
    none) are ETH offered that stays outside the pool: it is counted in and out, and may be
    refused only on a day the buffer, after the day's deposits, stood at the cap."""

    active_at_start: list[Any] = [0.0]

    def hook(t: int, s: Any) -> None:
        refused = s["refused_deposits_eth"]
        # all ETH offered to the pool, and earned: rewards net of EIP-8363's burn plus the ETH burned
        inflow = s["deposits_eth"] + refused + s["rewards_eth"] + s["burned_eth"]
        accounted = (
            refused  # outside the pool
            + s["buffer_eth"]
            + s["pending_eth"]
            + s["active_eth"]
            + s["withdrawing_eth"]
            + s["withdrawn_eth"]
            + s["paid_out_eth"]
            + s["penalties_eth"]
            + s["burned_eth"]  # destroyed by the protocol: accounted as burned
        )
        if not close(inflow, accounted, rel=REL, abs_=1e-9 * max(1.0, float(np.max(inflow)))):
            errors.append(f"day {t}: ETH in {inflow} != accounted {accounted}")
        split = s["staker_rewards_eth"] + s["operator_rewards_eth"] + s["treasury_rewards_eth"]
        if not close(split, s["rewards_eth"], rel=REL):
            errors.append(f"day {t}: reward split {split} != rewards {s['rewards_eth']}")
        if np.any(s["staker_rewards_today"] > s["rewards_today"] * (1 + 1e-12) + 1e-12):
            errors.append(f"day {t}: stakers got more than was earned")
        pool = s["buffer_eth"] + s["pending_eth"] + s["active_eth"] + s["withdrawing_eth"]
        if not close(s["diveth_supply"], pool - s["withdrawals_owed_eth"], abs_=1e-9 * max(1.0, float(np.max(pool)))):
            errors.append(f"day {t}: divETH supply is not the pool's ETH less what it owes")
        if not close(s["penalties_eth"], s["penalties_covered_eth"] + s["staker_loss_eth"]):
            errors.append(f"day {t}: penalties not all covered or lost")
        if not close(
            s["withdrawal_requests_eth"],
            s["withdrawn_eth"] + s["withdrawals_owed_eth"],
            abs_=1e-9 * max(1.0, float(np.max(s["withdrawal_requests_eth"]))),
        ):
            errors.append(f"day {t}: a withdrawal request neither paid nor owed")
        tol = 1e-9 * np.maximum(1.0, pool)
        for name in (
            "pending_eth",
            "queued_collateral_eth",
            "assigned_collateral_eth",
            "withdrawing_eth",
            "withdrawals_owed_eth",
            "exiting_validators",
        ):
            if np.any(s[name] < -tol):
                errors.append(f"day {t}: {name} negative")
        if np.any(s["exiting_validators"] > s["active_validators"] + 1e-9):
            errors.append(f"day {t}: more validators exiting than active")
        # what the pool owes (withdrawals, and balances below their stake) is on its way back,
        # unless no validator active since the start of the day is left to exit
        due = np.maximum(-s["buffer_eth"], 0.0) + s["withdrawals_owed_eth"]
        coming = s["withdrawing_eth"] + s["exiting_validators"] * stake
        left = np.minimum(active_at_start[0], s["active_validators"]) - s["exiting_validators"]
        if np.any((due > coming + stake + tol) & (left >= 1)):
            errors.append(f"day {t}: ETH owed that no exit covers")
        active_at_start[0] = np.array(s["active_validators"], copy=True)
        if np.any(s["collateral_locked_eth"] > s["diveth_supply"] + tol):
            errors.append(f"day {t}: more collateral locked than divETH exists")
        if np.any(s["refused_today_eth"] < 0.0) or np.any(refused < 0.0):
            errors.append(f"day {t}: a negative refusal")
        # the buffer right after the day's deposits: what is left, plus what was paid out and staked
        after_deposits = s["buffer_eth"] + s["withdrawn_today"] + s["validators_created_today"] * stake
        cap = np.zeros_like(refused) if caps is None else np.asarray(caps, dtype=float)
        refusing = s["refused_today_eth"] > 0.0
        if np.any(refusing & ((cap <= 0.0) | (after_deposits < cap * (1 - 1e-9) - 1e-9))):
            errors.append(f"day {t}: deposits refused below the cap")

    return hook


@given(st.lists(scenario_strategy(), min_size=1, max_size=3), st.integers(10, 300))
def test_eth_is_conserved_at_every_step(scenarios: list[Scenario], days: int) -> None:
    errors: list[str] = []
    caps = [s.simulation.deposit_cap_eth for s in scenarios]
    simulate(
        [s.override(name=f"s{i}") for i, s in enumerate(scenarios)],
        days=days,
        on_step=conservation_hook(errors, caps=caps),
    )
    assert errors == []


def test_eth_is_conserved_under_monte_carlo_draws_and_slashings() -> None:
    errors: list[str] = []
    heavy = MC.override(
        slashing_rate_per_validator_per_year=0.2, collateral_per_key_share_eth=0.001, withdrawal_rate_per_year=1.0
    )
    res = simulate(
        [MC, heavy.override(name="heavy")],
        seeds=2,
        days=365,
        rng=3,
        on_step=conservation_hook(errors, caps=[MC.simulation.deposit_cap_eth] * 4),
        record=list(RECORDABLE),
    )
    assert errors == []
    last = res.timeseries.groupby("scenario", observed=True).last()
    # day 0's buffer (200,000 + 60,000 ETH) is above the 18,000 ETH cap: that day's deposits are refused
    assert (last["refused_deposits_eth"] > 0).all()
    assert last.loc["heavy", "penalties_eth"] > 0
    assert last.loc["heavy", "staker_loss_eth"] > 0  # 0.011 divETH of colluders' collateral cannot cover ~0.05 ETH


def test_conservation_check_catches_a_leak() -> None:
    # The check must be able to fail: drop a millionth of the buffer and it does. (No collateral,
    # so the stakers' 1,000 ETH stay in the buffer.)
    errors: list[str] = []
    hook = conservation_hook(errors)

    def leaky(t: int, s: Any) -> None:
        hook(t, {**s, "buffer_eth": s["buffer_eth"] * (1 - 1e-6)})

    simulate(
        Scenario().override(initial_collateral_eth=0.0, collateral_deposit_eth_per_day=0.0), days=40, on_step=leaky
    )
    assert errors and all("ETH in" in e or "supply" in e for e in errors)


def test_conservation_check_catches_a_refusal_the_cap_does_not_explain() -> None:
    # Told there is no cap (caps not given), a run that refuses deposits (60,000 ETH on day 0,
    # above its 18,000 ETH cap) fails the check, and only that part of it.
    errors: list[str] = []
    simulate(Scenario().override(initial_staker_eth=60_000.0), days=5, on_step=conservation_hook(errors))
    assert errors and all("refused below the cap" in e for e in errors)


# --- reference values -------------------------------------------------------------------------

TINY = Scenario(name="tiny").override(
    deposit_mode="constant",
    staker_deposit_eth_per_day=10.0,
    initial_staker_eth=0.0,
    initial_collateral_eth=0.0,
    collateral_deposit_eth_per_day=4.0,
    collateral_per_key_share_eth=1.0,
    withdrawal_rate_per_year=0.0,
    ethereum_stake_growth_eth_per_day=0.0,
    activation_delay_days=2,
    operator_uptime=1.0,
    entry_queue_eth=0.0,  # no queue ahead: the wait is the delay alone (64 ETH of ours / 57,600 a day ≈ 0)
    two_step_deposit=False,
)


def test_first_validator_by_hand() -> None:
    # By hand: the buffer gains 10 + 4 = 14 ETH a day and the queue 4 divETH a day. 32 ETH are
    # there at the end of day 2 (42 ETH) but 16 divETH of collateral only at the end of day 3
    # (4 days x 4): the first validator is created on day 3 and, 2 days later, active on day 5.
    res = simulate(
        TINY,
        days=8,
        record_every_days=1,
        record=[
            "validators_created",
            "active_validators",
            "buffer_eth",
            "queued_collateral_eth",
            "pending_eth",
            "assigned_collateral_eth",
        ],
    )
    ts = res.timeseries.set_index("day")
    assert list(ts["validators_created"]) == [0, 0, 0, 1, 1, 1, 1, 2]
    assert list(ts["active_validators"]) == [0, 0, 0, 0, 0, 1, 1, 1]
    assert ts.loc[3, "buffer_eth"] == 4 * 14 - 32
    assert ts.loc[3, "queued_collateral_eth"] == 0.0
    assert ts.loc[3, "pending_eth"] == 32.0
    assert ts.loc[7, "assigned_collateral_eth"] == 32.0
    # The first validator's 16 divETH came 4 a day on days 0..3 and were served on day 3:
    # waits 3, 2, 1, 0 days -> mean 1.5.
    four = simulate(TINY, days=4).summary.iloc[0]
    assert four["queue_wait_mean_days"] == 1.5
    # P95, amount-weighted and exact: 4 divETH each waited 0, 1, 2 and 3 days, so 75 % waited
    # at most 2 days and the 95th percentile is 3. (The engine before the sub-package counted a
    # week's creations at the wait of their middle divETH and said 2.)
    assert four["queue_wait_p95_days"] == 3.0
    # No validator active: nothing earned, divETH rate unchanged, all of it is cash drag.
    assert four["wdiveth_rate"] == 1.0
    assert four["cash_drag"] == 1.0


def _steady(**kw: Any) -> Scenario:
    return Scenario(name="steady").override(
        deposit_mode="constant",
        staker_deposit_eth_per_day=0.0,
        initial_staker_eth=1_600_000.0,
        initial_collateral_eth=1_600_000.0,
        collateral_deposit_eth_per_day=600.0,
        withdrawal_rate_per_year=0.0,
        ethereum_stake_growth_eth_per_day=0.0,
        activation_delay_days=0,
        entry_queue_eth=0.0,
        two_step_deposit=False,
        operator_rewards="paid_out",
        **kw,
    )


def _apy_after_first_day(apr: float, days: int) -> float:
    # Validators created on day 0 earn from day 1: days - 1 days of daily compounding,
    # annualised over the whole horizon.
    return float((1 + apr / 365.25) ** ((days - 1) * 365.25 / days) - 1)


def test_large_steady_network_reproduces_the_quote() -> None:
    # Uptime 1: no penalties, so the quote's staker APR is exactly what divETH earns, less the
    # (tiny) cash drag of less than 32 ETH waiting out of millions.
    sc = _steady(operator_uptime=1.0)
    q = quote(sc)
    days = 730
    res = simulate(sc, days=days, record_every_days=1, record=["queued_collateral_eth"])
    s = res.summary.iloc[0]
    assert s["cash_drag"] < 1e-5
    assert s["staker_apy"] == pytest.approx(_apy_after_first_day(q.staker_apr, days), rel=1e-5)
    assert s["operator_apy_assigned"] == pytest.approx(apr_to_apy(q.operator_apr_assigned), rel=1e-5)
    # Collateral is queued at the start of every day (Q0 on day 0, then what creation leaves),
    # so one divETH of it earns exactly what one divETH of a staker does: the same product.
    queued = res.timeseries["queued_collateral_eth"].to_numpy()
    assert sc.simulation.initial_collateral_eth > 0 and np.all(queued > 0)
    assert s["operator_apy_queued"] == s["staker_apy"]
    assert s["operator_apy_assigned"] > s["operator_apy_queued"]


# --- time-weighted operator returns -----------------------------------------------------------


def _daily_returns(scenarios: list[Scenario], days: int, **kw: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Run and rebuild, from the daily states alone, each day's divETH rebase ``g``, operator
    fee and penalties covered, and the queued / assigned collateral at the start of the day
    (arrays ``[day, row]``)."""
    keep = (
        "wdiveth_rate",
        "queued_collateral_eth",
        "assigned_collateral_eth",
        "operator_rewards_eth",
        "penalties_covered_eth",
    )
    states: list[dict[str, Any]] = []

    def hook(t: int, st_: Any) -> None:
        states.append({k: np.array(st_[k], dtype=float, copy=True) for k in keep})

    res = simulate(scenarios, days=days, on_step=hook, **kw)
    end = {k: np.stack([d[k] for d in states]) for k in keep}
    n = end["wdiveth_rate"].shape[1]
    q0 = np.array([sc.simulation.initial_collateral_eth for sc in scenarios for _ in range(kw.get("seeds", 1))])

    def start(x: Any, first: Any) -> Any:
        return np.vstack([np.broadcast_to(first, (1, n)), x[:-1]])

    daily = {
        "g": end["wdiveth_rate"] / start(end["wdiveth_rate"], 1.0) - 1.0,
        "q": start(end["queued_collateral_eth"], q0),
        "a": start(end["assigned_collateral_eth"], 0.0),
        "fee": np.diff(end["operator_rewards_eth"], axis=0, prepend=0.0),
        "covered": np.diff(end["penalties_covered_eth"], axis=0, prepend=0.0),
    }
    return res.summary, daily


def _twr(returns: Any, on: Any) -> Any:
    """``exp(Σ log1p(return) · 365.25 / days) − 1`` per row over the days where ``on``."""
    logs = np.where(on, np.log1p(np.maximum(returns, -1.0)), 0.0)
    n_days = on.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n_days > 0, np.expm1(logs.sum(axis=0) * 365.25 / np.maximum(n_days, 1)), np.nan)


def test_operator_apys_are_the_time_weighted_returns_of_one_divETH_of_collateral() -> None:
    # Rebuilt from the published daily states (also under Monte Carlo draws and slashings).
    scenarios = [load_scenario("data/scenarios/base.yaml"), MC.override(name="mc")]
    summary, d = _daily_returns(scenarios, 400, seeds=2, rng=5)
    on_a = d["a"] > 0
    ret_a = d["g"] + (d["fee"] - d["covered"]) / np.where(on_a, d["a"], 1.0)
    assert close(summary["operator_apy_queued"], _twr(d["g"], d["q"] > 0), rel=1e-8)
    assert close(summary["operator_apy_assigned"], _twr(ret_a, on_a), rel=1e-8)


def test_base_scenario_assigned_collateral_out_earns_queued_collateral() -> None:
    s = simulate(load_scenario("data/scenarios/base.yaml")).summary.iloc[0]
    assert s["operator_apy_assigned"] > s["operator_apy_queued"] > 0


@given(st.lists(scenario_strategy(), min_size=1, max_size=3), st.integers(20, MAX_DAYS))
def test_assigned_collateral_earns_at_least_queued_when_fees_exceed_penalties(
    scenarios: list[Scenario], days: int
) -> None:
    # No Monte Carlo. On a day when the operator fee covers the penalties, one divETH assigned
    # earns g + (fee − covered) / assigned >= g, what one divETH queued earns. So:
    # (1) compounded over the days with assigned collateral, assigned >= the rebase alone;
    # (2) if also collateral is queued on every day that has assigned collateral or a rebase,
    #     and no day loses, assigned >= queued (the same growth over no more days);
    # (3) queued collateral every day: queued APY is the staker APY exactly.
    # (Over *different* days it need not hold: a queue that empties early, while rewards are
    # high, can out-earn collateral assigned for the low-reward years that follow.)
    named = [sc.override(name=f"s{i}") for i, sc in enumerate(scenarios)]
    summary, d = _daily_returns(named, days)
    on_a = d["a"] > 0
    on_q = d["q"] > 0
    fees_cover = np.all((d["fee"] >= d["covered"]) | ~on_a, axis=0)
    assigned = summary["operator_apy_assigned"].to_numpy()
    queued = summary["operator_apy_queued"].to_numpy()
    rebase_on_a = _twr(d["g"], on_a)
    tol = 1e-12
    for row in range(len(named)):
        if not fees_cover[row] or not on_a[:, row].any():
            continue
        assert assigned[row] >= rebase_on_a[row] - tol * (1 + abs(rebase_on_a[row]))
        g = d["g"][:, row]
        if np.all(on_q[:, row] | ~(on_a[:, row] | (g != 0))) and np.all(g >= 0):
            assert assigned[row] >= queued[row] - tol
    every_day = on_q.all(axis=0)
    assert np.array_equal(queued[every_day], summary["staker_apy"].to_numpy()[every_day])


def test_steady_network_with_penalties_is_within_the_penalty_of_the_quote() -> None:
    # At 95 % uptime collateral bears the offline penalties; the quote also charges stakers
    # their 90 % share of them, so the simulated staker APY is a hair above the quote's.
    sc = _steady()
    q = quote(sc)
    days = 365
    s = simulate(sc, days=days).summary.iloc[0]
    pen = ethereum.offline_penalty_apr(sc.ethereum.total_staked_eth) * (1 - q.validator_availability)
    assert pen > 0
    assert s["staker_apy"] == pytest.approx(_apy_after_first_day(q.staker_apr + 0.9 * pen, days), rel=1e-5)
    # ... and the operator fee is 10 % of rewards before penalties: 0.1 · 32 / 16 = 0.2 pen more.
    expected = apr_to_apy(q.operator_apr_assigned + (0.9 + 0.2) * pen)
    assert s["operator_apy_assigned"] == pytest.approx(expected, rel=1e-5)


def test_reward_coefficients_scale_like_the_package_functions() -> None:
    total0, el, p = 34_650_000.0, 0.04, 0.98
    coef = reward_coefficients(total0, el, p)
    for total in (20e6, 50e6, 120e6):
        ratio = total0 / total
        # consensus parts scale as the spec's floored base reward (altair
        # get_base_reward_per_increment), computed here with Python's integer square root
        scale = (64 * 10**9 // math.isqrt(int(total) * 10**9)) / (64 * 10**9 // math.isqrt(int(total0) * 10**9))
        for alpha in (0.0, 0.9, 1.0):
            att, prop, el_, pen = (c0 + alpha * c1 for c0, c1 in (coef[k] for k in ("att", "prop", "el", "pen")))
            net = (att + prop) * scale + el_ * ratio - pen * scale
            assert net == pytest.approx(ethereum.gross_apr(total, el, alpha, p), rel=1e-12)


def test_shipped_scenarios_run_and_make_sense() -> None:
    base = load_scenario("data/scenarios/base.yaml")
    res = simulate(base, days=730)
    s = res.summary.iloc[0]
    q = quote(base)
    assert 0 < s["staker_apy"] < apr_to_apy(q.staker_apr)  # cash drag only lowers it
    assert 0 < s["cash_drag"] < 1
    assert s["queue_wait_mean_days"] >= 0
    assert s["queue_wait_p95_days"] >= s["queue_wait_mean_days"] * 0.5
    assert s["peak_collateral_locked_eth"] >= base.simulation.initial_collateral_eth


# --- outputs ----------------------------------------------------------------------------------


def test_timeseries_is_tidy_and_records_only_what_is_asked() -> None:
    res = simulate(
        [Scenario(name="x"), Scenario(name="y")],
        seeds=2,
        days=100,
        record_every_days=30,
        record=["buffer_eth", "wdiveth_rate"],
    )
    ts = res.timeseries
    assert list(ts.columns) == ["scenario", "seed", "day", "buffer_eth", "wdiveth_rate"]
    assert len(ts) == 2 * 2 * 5  # days 0, 30, 60, 90 and the last, 99
    assert list(ts["day"].iloc[:5]) == [0, 30, 60, 90, 99]
    assert list(res.summary.columns[:3]) == ["scenario", "seed", "days"]
    assert len(res.summary) == 4
    default = simulate(Scenario(), days=10).timeseries
    assert set(DEFAULT_RECORD) <= set(default.columns)
    bands = default.groupby(["scenario", "day"], observed=True)["buffer_eth"].quantile([0.05, 0.95])
    assert len(bands) == 2 * default["day"].nunique()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"record": ["nope"]}, "record = 'nope': unknown variable"),
        ({"days": 0}, "days = 0"),
        ({"seeds": 0}, "seeds = 0"),
        ({"record_every_days": -1}, "record_every_days = -1"),
        ({"rng": "x"}, "rng = 'x'"),
    ],
)
def test_bad_arguments_name_what_is_wrong(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(DivaeconError, match=message.replace("(", r"\(").replace("[", r"\[")):
        simulate(Scenario(), **kwargs)


def test_a_stake_path_below_zero_is_refused() -> None:
    with pytest.raises(ParameterError, match="ethereum_stake_growth_eth_per_day"):
        simulate(Scenario().override(ethereum_stake_growth_eth_per_day=-1e6), days=100)


def test_sweep_is_the_cartesian_product_with_grid_columns() -> None:
    res = sweep(
        Scenario(),
        {"collateral_per_key_share_eth": [0.5, 1.0], "diva.operator_fee": [0.05, 0.1, 0.2]},
        seeds=2,
        days=60,
    )
    s = res.summary
    assert len(s) == 2 * 3 * 2
    assert {"collateral_per_key_share_eth", "diva.operator_fee"} <= set(s.columns)
    assert s["scenario"].nunique() == 6
    one = simulate(Scenario().override(collateral_per_key_share_eth=0.5, operator_fee=0.2), days=60).summary
    row = s[(s["collateral_per_key_share_eth"] == 0.5) & (s["diva.operator_fee"] == 0.2)].iloc[0]
    assert row["staker_apy"] == one["staker_apy"].iloc[0]


def test_sweep_rejects_bad_names_and_values() -> None:
    with pytest.raises(ParameterError, match="nope: unknown parameter"):
        sweep(Scenario(), {"nope": [1]}, days=10)
    with pytest.raises(ParameterError, match="collateral_per_key_share_eth"):
        sweep(Scenario(), {"collateral_per_key_share_eth": [-1.0]}, days=10)


def test_rows_do_not_depend_on_their_neighbours() -> None:
    # Chunking must not change numbers: a row alone equals the same row among others.
    rows = [MC.override(name=f"r{i}", collateral_per_key_share_eth=c) for i, c in enumerate([0.25, 1.0, 2.0])]
    together = simulate(rows, seeds=1, days=90, rng=11)
    assert len(together.summary) == 3
    assert RNG_BLOCK >= 3
    no_mc = [
        r.override(outage_rate_per_operator_per_year=0.0, proposer_luck=False, slashing_rate_per_validator_per_year=0.0)
        for r in rows
    ]
    alone = simulate(no_mc[1], days=90).summary
    mixed = simulate([rows[0], no_mc[1], rows[2]], days=90, rng=11).summary
    pd.testing.assert_series_equal(
        alone.drop(columns=["scenario"]).iloc[0], mixed.drop(columns=["scenario"]).iloc[1], check_names=False
    )


def test_thread_count_does_not_change_a_bit() -> None:
    # The compiled loop shares rows among threads; nothing may change with their number, draws included.
    import numba

    sc = [
        MC.override(name=f"p{i}", collateral_per_key_share_eth=c, activation_delay_days=d)
        for i, (c, d) in enumerate([(0.25, 0), (1.0, 2), (2.0, 1)])
    ]
    kw: dict[str, Any] = {"seeds": 200, "days": 60, "rng": 5, "record": list(RECORDABLE), "record_every_days": 9}
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = simulate(sc, **kw)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = simulate(sc, **kw)
    finally:
        numba.set_num_threads(before)
    pd.testing.assert_frame_equal(one.summary, many.summary, check_exact=True)
    pd.testing.assert_frame_equal(one.timeseries, many.timeseries, check_exact=True)
    assert one.summary["wdiveth_rate"].nunique() > 3  # the draws differ by seed
