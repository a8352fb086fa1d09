"""The network simulation written plainly: one scenario, Python floats, one day at a time.

The independent twin the compiled engine is tested against (STYLE.md §8). It follows the model of
:mod:`divaecon.simulate` step by step with no numpy in the day loop and shares no code with the
engine: it calls only the maths layer (:mod:`divaecon.ethereum`, :mod:`divaecon.dvt`,
:mod:`divaecon.protocol`), computing the day's reward rates at the day's Ethereum stake, the
availability under an outage exactly (the engine interpolates a table), and queue waits exactly:
it keeps every day's collateral arrival as a lot in a first-in-first-out queue and records the
wait of every divETH served, so the engine's histogram of waits is measured against the truth.

Monte Carlo draws are not made here: pass them in (``draws(day) -> dict``, e.g. captured from the
engine's ``on_step`` hook) so both see the same luck.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from divaecon import dvt, ethereum, protocol
from divaecon.params import Scenario
from divaecon.units import DAYS_PER_YEAR, SLOTS_PER_YEAR

DrawFn = Callable[[int], Mapping[str, float]]

RECORDED = (
    "buffer_eth", "pending_eth", "active_validators", "active_eth", "queued_collateral_eth",
    "assigned_collateral_eth", "collateral_locked_eth", "diveth_supply", "staker_diveth", "wdiveth_rate",
    "deposits_eth", "withdrawn_eth", "rewards_eth", "staker_rewards_eth", "operator_rewards_eth",
    "treasury_rewards_eth", "penalties_eth", "penalties_covered_eth", "staker_loss_eth", "validators_created",
    "total_staked_eth", "cash_drag",
)


def _apy(sum_log: float, n_days: int) -> float:
    """``exp(Σ log(1 + return) · 365.25 / n_days) − 1``; NaN with no day."""
    return math.exp(sum_log * DAYS_PER_YEAR / n_days) - 1.0 if n_days > 0 else float("nan")


def _log_growth(x: float) -> float:
    """``log(1 + x)``; −inf for a return of −100 % or worse (the collateral is gone)."""
    return math.log1p(x) if x > -1.0 else -math.inf


def _weighted_p95(waits: Mapping[int, float]) -> float:
    """The smallest wait below which 95 % of the amount served waited [days]."""
    total = sum(waits.values())
    if total <= 0:
        return float("nan")
    acc = 0.0
    for wait in sorted(waits):
        acc += waits[wait]
        if acc >= 0.95 * total * (1.0 - 1e-12):
            return float(wait)
    return float(max(waits))  # pragma: no cover - rounding only


def simulate_scalar(
    scenario: Scenario,
    days: int | None = None,
    record_every_days: int | None = None,
    draws: DrawFn | None = None,
    on_step: Callable[[int, dict[str, float]], None] | None = None,
) -> dict[str, Any]:
    """Simulate one scenario; returns ``{"days": [...], "timeseries": {var: [...]}, "summary": {...}}``.

    ``draws(day)`` may return ``outage_fraction`` (share of key shares down that day), ``blocks``
    (blocks proposed) and ``slashings`` (validators slashed); missing keys mean the expected
    values (no outage, the expected blocks, no slashing).
    """
    sim, diva, eth = scenario.simulation, scenario.diva, scenario.ethereum
    days = days if days is not None else sim.horizon_days
    every = record_every_days if record_every_days is not None else sim.record_every_days
    stake = diva.validator_stake_eth
    n_keys, threshold = diva.key_shares_per_validator, diva.threshold
    per_validator_collateral = n_keys * diva.collateral_per_key_share_eth
    fees = protocol.fee_split(1.0, diva.operator_fee, diva.treasury_fee, diva.insurance_fee)
    to_stakers, to_operators = float(fees["stakers"]), float(fees["operators"])
    to_treasury = float(fees["treasury"]) + float(fees["insurance"])
    expected_availability = float(dvt.availability(n_keys, threshold, diva.operator_uptime, diva.failure_correlation))
    growth_mode = sim.deposit_mode == "growth"

    buffer = sim.initial_staker_eth + sim.initial_collateral_eth
    pending = 0.0
    active = 0.0
    assigned = 0.0
    supply = buffer
    rate = 1.0
    lots: deque[list[float]] = deque()  # [arrival day, divETH] in arrival order
    if sim.initial_collateral_eth > 0:
        lots.append([0.0, sim.initial_collateral_eth])
    queued = sim.initial_collateral_eth
    activating: dict[int, float] = {}
    totals = dict.fromkeys(("deposits_eth", "withdrawn_eth", "rewards_eth", "penalties_eth",
                            "penalties_covered_eth", "staker_loss_eth", "validators_created"), 0.0)
    totals["deposits_eth"] = buffer
    waits: dict[int, float] = {}
    idle_sum = supply_sum = 0.0
    log_queued = log_assigned = 0.0
    days_queued = days_assigned = 0
    peak = queued
    recorded_days = set(range(0, days, every)) | {days - 1}
    series: dict[str, list[float]] = {name: [] for name in RECORDED}
    out_days: list[int] = []

    for t in range(days):
        d = dict(draws(t)) if draws is not None else {}
        total = eth.total_staked_eth + sim.ethereum_stake_growth_eth_per_day * t

        # 1. rewards and penalties of the validators active at the start of the day
        availability = expected_availability
        if "outage_fraction" in d and sim.outage_rate_per_operator_per_year > 0:
            uptime_today = diva.operator_uptime * (1.0 - d["outage_fraction"])
            availability = float(dvt.availability(n_keys, threshold, uptime_today, diva.failure_correlation))
        luck = 1.0
        if "blocks" in d:
            expected_blocks = active * stake * (SLOTS_PER_YEAR / DAYS_PER_YEAR) / total
            luck = d["blocks"] / expected_blocks if expected_blocks > 0 else 1.0
        penalty_rate = float(ethereum.offline_penalty_apr(total)) * (1.0 - availability)
        consensus_gross = float(ethereum.consensus_apr(total, availability, eth.network_participation)) + penalty_rate
        proposer = float(ethereum.ideal_consensus_apr(total)) * ethereum.PROPOSER_WEIGHT / ethereum.WEIGHT_DENOMINATOR \
            * availability * eth.network_participation
        execution = float(ethereum.execution_apr(eth.el_reward_per_block_eth, total, availability))
        rewards = active * stake / DAYS_PER_YEAR * (consensus_gross - proposer + (proposer + execution) * luck)
        penalties = active * stake / DAYS_PER_YEAR * penalty_rate

        # 2. fee split: fees leave the pool, the stakers' part stays
        staker_rewards = rewards * to_stakers

        # 3. collateral covers penalties; slashed validators exit, their colluders' collateral pays
        assigned_at_start = assigned
        covered = min(penalties, assigned)
        loss = penalties - covered
        slashed = min(float(d.get("slashings", 0.0)), active)
        if slashed > 0:
            each = float(ethereum.slashing_penalty_eth(stake, stake * slashed, total)["total"])
            slash_penalty = slashed * min(each, stake)
            their_collateral = slashed * ((assigned - covered) / active if active > 0 else 0.0)
            slash_covered = min(slash_penalty, their_collateral * threshold / n_keys)
            assigned -= their_collateral - slash_covered
            active -= slashed
            buffer += slashed * stake
            penalties += slash_penalty
            covered += slash_covered
            loss += slash_penalty - slash_covered

        # 4. rebase; time-weighted returns of queued and assigned collateral
        g = (staker_rewards - loss) / max(supply, 1e-300)
        rate *= 1.0 + g
        if queued > 0:
            log_queued += _log_growth(g)
            days_queued += 1
        if assigned_at_start > 0:
            log_assigned += _log_growth(g + (rewards * to_operators - covered) / assigned_at_start)
            days_assigned += 1
        assigned -= covered

        # 5. flows
        stakers = max(supply - queued - assigned, 0.0)
        if growth_mode:
            room = max(1.0 - stakers / sim.target_staker_eth, 0.0)
            growth = sim.growth_rate_per_year / DAYS_PER_YEAR * stakers * room
            deposits = growth + sim.collateral_deposit_eth_per_day
        else:
            deposits = sim.staker_deposit_eth_per_day + sim.collateral_deposit_eth_per_day
        buffer += staker_rewards - penalties + deposits
        withdrawn = min(stakers * sim.withdrawal_rate_per_year / DAYS_PER_YEAR, buffer + active * stake)
        buffer -= withdrawn
        if buffer < 0:
            exits = min(math.ceil(-buffer / stake), active)
            assigned -= exits * (assigned / active if active > 0 else 0.0)
            active -= exits
            buffer += exits * stake
        if sim.collateral_deposit_eth_per_day > 0:
            lots.append([float(t), sim.collateral_deposit_eth_per_day])
        queued += sim.collateral_deposit_eth_per_day

        # 6. validator creation; the collateral served leaves the queue first in, first out
        new = float(math.floor(min(buffer / stake, queued / per_validator_collateral)))
        to_serve = new * per_validator_collateral
        queued -= to_serve
        assigned += to_serve
        buffer -= new * stake
        pending += new * stake
        while to_serve > 1e-12 * per_validator_collateral and lots:
            lot = lots[0]
            take = min(lot[1], to_serve)
            wait = t - int(lot[0])
            waits[wait] = waits.get(wait, 0.0) + take
            lot[1] -= take
            to_serve -= take
            if lot[1] <= 1e-12 * per_validator_collateral:
                lots.popleft()
        due = t + sim.activation_delay_days
        activating[due] = activating.get(due, 0.0) + new

        # 7. activation
        now = activating.pop(t, 0.0)
        pending -= now * stake
        active += now
        supply = buffer + pending + active * stake

        totals["deposits_eth"] += deposits
        totals["withdrawn_eth"] += withdrawn
        totals["rewards_eth"] += rewards
        totals["penalties_eth"] += penalties
        totals["penalties_covered_eth"] += covered
        totals["staker_loss_eth"] += loss
        totals["validators_created"] += new
        idle_sum += buffer + pending
        supply_sum += supply
        peak = max(peak, queued + assigned)

        if t in recorded_days or on_step is not None:
            state = {
                "buffer_eth": buffer, "pending_eth": pending, "active_validators": active,
                "active_eth": active * stake, "queued_collateral_eth": queued,
                "assigned_collateral_eth": assigned, "collateral_locked_eth": queued + assigned,
                "diveth_supply": supply, "staker_diveth": supply - queued - assigned, "wdiveth_rate": rate,
                "staker_rewards_eth": totals["rewards_eth"] * to_stakers,
                "operator_rewards_eth": totals["rewards_eth"] * to_operators,
                "treasury_rewards_eth": totals["rewards_eth"] * to_treasury,
                "total_staked_eth": total, "cash_drag": (buffer + pending) / supply if supply > 0 else 0.0,
                **totals,
            }
            if t in recorded_days:
                out_days.append(t)
                for name in RECORDED:
                    series[name].append(state[name])
            if on_step is not None:
                on_step(t, state)

    served = sum(waits.values())
    summary = {
        "staker_apy": rate ** (DAYS_PER_YEAR / days) - 1.0,
        "operator_apy_queued": _apy(log_queued, days_queued),
        "operator_apy_assigned": _apy(log_assigned, days_assigned),
        "queue_wait_mean_days": sum(w * x for w, x in waits.items()) / served if served > 0 else float("nan"),
        "queue_wait_p95_days": _weighted_p95(waits),
        "peak_collateral_locked_eth": peak,
        "cash_drag": idle_sum / supply_sum if supply_sum > 0 else float("nan"),
        "final_active_validators": active,
        "final_diveth_supply": supply,
        "wdiveth_rate": rate,
    }
    return {"days": out_days, "timeseries": series, "summary": summary}
