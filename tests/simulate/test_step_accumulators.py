"""Step 8: the end-of-day supply, and running sums for the series and the summary."""

from __future__ import annotations

import pytest

from divaecon.simulate.steps import process_accumulators


def test_the_supply_is_the_pool_less_what_it_owes(row) -> None:
    row.set(buffer_eth=5.0, pending_eth=64.0, active_validators=4.0, withdrawing_eth=32.0, withdrawals_owed_eth=10.0)
    process_accumulators(row.s, row.acc, row.inp, 0)
    assert row["diveth_supply"] == 5 + 64 + 4 * 32 + 32 - 10
    # idle: buffer + entry queue + on its way back, less what is owed: 5 + 64 + 32 − 10
    assert row["idle_sum_eth"] == 91.0


def test_sums_and_the_peak(row) -> None:
    row.set(
        created_today=2.0,
        served_today_eth=32.0,
        deposits_today_eth=3.0,
        withdrawal_requests_today_eth=1.5,
        withdrawn_today_eth=1.0,
        rewards_today_eth=0.5,
        covered_today_eth=0.25,
        staker_loss_today_eth=0.125,
        buffer_eth=100.0,
        queued_collateral_eth=7.0,
        assigned_collateral_eth=32.0,
        peak_collateral_locked_eth=50.0,
    )
    process_accumulators(row.s, row.acc, row.inp, 9)
    process_accumulators(row.s, row.acc, row.inp, 10)
    assert row["validators_created"] == 4.0
    assert row["collateral_served_eth"] == 64.0 and row["served_day_sum"] == 32 * 9 + 32 * 10
    assert row["deposits_eth"] == 6.0 and row["withdrawn_eth"] == 2.0 and row["rewards_eth"] == 1.0
    assert row["withdrawal_requests_eth"] == 3.0
    assert row["penalties_covered_eth"] == 0.5 and row["staker_loss_eth"] == 0.25
    assert row["supply_sum_eth"] == pytest.approx(200.0)
    assert row["peak_collateral_locked_eth"] == 50.0  # 39 locked is below the earlier peak


def test_the_compiled_day_loop_is_cached_per_version_of_the_steps() -> None:
    # numba keys a cached function on its own bytecode only; the day loop inlines the steps of
    # another file, so the engine adds the steps' digest to the key: an edited step must never run
    # from a stale cache.
    import hashlib
    from pathlib import Path

    from divaecon.simulate import engine, inputs, state, steps

    digest = hashlib.sha256()
    for module in (steps, state, inputs):
        digest.update(Path(str(module.__file__)).read_bytes())
    parallel = engine._run_days._cache._index_key(None, engine._run_days.targetctx.codegen())
    serial = engine._run_days_serial._cache._index_key(None, engine._run_days_serial.targetctx.codegen())
    assert parallel[-1].startswith(digest.hexdigest()) and serial[-1].startswith(digest.hexdigest())
    # numba's own key leaves out ``parallel``; ours does not, so the two loops never share an entry
    assert "'parallel', True" in parallel[-1] and parallel[-1] != serial[-1]
