"""Step 8: running sums for the series and the summary."""

from __future__ import annotations

from divaecon.simulate.steps import process_accumulators


def test_sums_and_the_peak(row) -> None:
    row.set(created_today=2.0, deposits_today_eth=3.0, withdrawn_today_eth=1.0, rewards_today_eth=0.5,
            covered_today_eth=0.25, staker_loss_today_eth=0.125, diveth_supply=100.0, active_validators=2.0,
            queued_collateral_eth=7.0, assigned_collateral_eth=32.0, peak_collateral_locked_eth=50.0)
    process_accumulators(row.s, row.acc, 9)
    process_accumulators(row.s, row.acc, 10)
    assert row["validators_created"] == 4.0
    assert row["creation_day_sum"] == 2 * 9 + 2 * 10
    assert row["deposits_eth"] == 6.0 and row["withdrawn_eth"] == 2.0 and row["rewards_eth"] == 1.0
    assert row["penalties_covered_eth"] == 0.5 and row["staker_loss_eth"] == 0.25
    assert row["supply_sum_eth"] == 200.0 and row["active_validator_days"] == 4.0
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
    key = engine._run_days._cache._index_key(None, engine._run_days.targetctx.codegen())
    assert key[-1] == digest.hexdigest()
