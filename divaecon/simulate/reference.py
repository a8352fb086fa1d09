"""The network simulation written plainly: one scenario, Python floats, one day at a time.

The independent twin the compiled engine is tested against (STYLE.md §8). It follows the model of
:mod:`divaecon.simulate` step by step with no numpy in the day loop and shares no code with the
engine: it calls only the maths layer (:mod:`divaecon.ethereum`, :mod:`divaecon.dvt`,
:mod:`divaecon.protocol`, :mod:`divaecon.rules` for the scenario's Ethereum rules: the rates of the
day's rule set, the fork on ``issuance_fork_date`` and EIP-8363's transition by the day's epoch),
computing the day's reward rates at the day's Ethereum stake, the
availability under an outage exactly (the engine interpolates a table), the queues' waits with
:func:`divaecon.ethereum.queue_wait_days`, and the collateral queue's waits exactly: it keeps every
day's collateral arrival as a lot, first in first out, and records the wait of every divETH served.

Monte Carlo draws are not made here: pass them in (``draws(day) -> dict``, e.g. captured from the
engine's ``on_step`` hook) so both see the same luck.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from divaecon import dvt, ethereum, protocol, rules
from divaecon.params import Scenario
from divaecon.units import DAYS_PER_YEAR, SLOTS_PER_YEAR

DrawFn = Callable[[int], Mapping[str, float]]

RECORDED = (
    "buffer_eth",
    "pending_eth",
    "active_validators",
    "active_eth",
    "exiting_validators",
    "withdrawing_eth",
    "withdrawals_owed_eth",
    "queued_collateral_eth",
    "assigned_collateral_eth",
    "collateral_locked_eth",
    "diveth_supply",
    "staker_diveth",
    "wdiveth_rate",
    "deposits_eth",
    "withdrawal_requests_eth",
    "withdrawn_eth",
    "rewards_eth",
    "staker_rewards_eth",
    "operator_rewards_eth",
    "treasury_rewards_eth",
    "paid_out_eth",
    "penalties_eth",
    "penalties_covered_eth",
    "staker_loss_eth",
    "validators_created",
    "exits_requested",
    "ejected_validators",
    "activation_wait_days",
    "entry_queue_eth",
    "total_staked_eth",
    "refused_deposits_eth",
    "refused_today_eth",
    "cash_drag",
    "burned_eth",
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


def _days(x: float) -> int:
    """A wait in whole days, to the nearest day."""
    return math.floor(x + 0.5)


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
    minted = diva.operator_rewards == "minted"
    kept = to_stakers + (to_operators if minted else 0.0)
    expected_availability = float(dvt.availability(n_keys, threshold, diva.operator_uptime, diva.failure_correlation))
    growth_mode = sim.deposit_mode == "growth"
    slot = eth.seconds_per_slot
    sweep = rules.slot_rules(slot).sweep_days(eth.withdrawal_sweep_days)  # 16 withdrawals a slot
    to_arrival = _days(float(ethereum.withdrawability_delay_days(slot)) + sweep)
    slashed_to_arrival = _days(ethereum.EPOCHS_PER_SLASHINGS_VECTOR / float(ethereum.epochs_per_day(slot)) + sweep)

    def stake_on(t: float) -> float:
        return eth.total_staked_eth + sim.ethereum_stake_growth_eth_per_day * t

    def entry_wait(t: float, pending: float) -> float:
        others = max(eth.entry_queue_eth + sim.entry_queue_change_eth_per_day * t, 0.0)
        churn = float(rules.activation_churn_eth_per_epoch(stake_on(t), eth))
        return float(ethereum.queue_wait_days(others + pending, churn, slot))

    def exit_wait(t: float, exiting: float) -> float:
        others = max(eth.exit_queue_eth + sim.exit_queue_change_eth_per_day * t, 0.0)
        churn = float(rules.exit_churn_eth_per_epoch(stake_on(t), eth))
        return float(ethereum.queue_wait_days(others + exiting * stake, churn, slot))

    # the rules before the fork: the slot time's (and churn's) only; from the fork on: all of them
    eth_before = eth.model_copy(update={"issuance_curve": "current", "execution_burn": "none"})
    epochs_a_day = rules.slot_rules(eth.seconds_per_slot).epochs_per_day

    buffer = sim.initial_staker_eth + sim.initial_collateral_eth
    pending = 0.0
    active = exiting = 0.0
    withdrawing = owed = 0.0
    assigned = 0.0
    supply = buffer
    rate = 1.0
    wait_now = 0.0
    lots: deque[list[float]] = deque()  # [arrival day, divETH] in arrival order
    if sim.initial_collateral_eth > 0:
        lots.append([0.0, sim.initial_collateral_eth])
    queued = sim.initial_collateral_eth
    activating: dict[int, float] = {}
    leaving: dict[int, float] = {}
    arriving: dict[int, float] = {}
    totals = dict.fromkeys(
        (
            "deposits_eth",
            "withdrawal_requests_eth",
            "withdrawn_eth",
            "rewards_eth",
            "penalties_eth",
            "penalties_covered_eth",
            "staker_loss_eth",
            "validators_created",
            "exits_requested",
            "ejected_validators",
            "refused_deposits_eth",
            "burned_eth",
        ),
        0.0,
    )
    totals["deposits_eth"] = buffer
    waits: dict[int, float] = {}
    idle_sum = supply_sum = 0.0
    log_queued = log_assigned = 0.0
    days_queued = days_assigned = 0
    peak = queued
    recorded_days = set(range(0, days, every)) | {days - 1}
    series: dict[str, list[float]] = {name: [] for name in RECORDED}
    out_days: list[int] = []

    def serve(t: int, amount: float) -> None:
        """Take ``amount`` divETH from the front of the collateral queue, noting each divETH's wait."""
        while amount > 1e-12 * per_validator_collateral and lots:
            lot = lots[0]
            take = min(lot[1], amount)
            waits[t - int(lot[0])] = waits.get(t - int(lot[0]), 0.0) + take
            lot[1] -= take
            amount -= take
            if lot[1] <= 1e-12 * per_validator_collateral:
                lots.popleft()

    def ask_to_exit(t: int, n: float) -> None:
        nonlocal exiting
        n = min(n, active - exiting)
        if n <= 0:
            return
        due = t + _days(exit_wait(t, exiting))
        leaving[due] = leaving.get(due, 0.0) + n
        exiting += n
        totals["exits_requested"] += n

    for t in range(days):
        d = dict(draws(t)) if draws is not None else {}
        total = stake_on(t)

        # 1. rewards and penalties of the validators active at the start of the day
        availability = expected_availability
        if "outage_fraction" in d and sim.outage_rate_per_operator_per_year > 0:
            uptime_today = diva.operator_uptime * (1.0 - d["outage_fraction"])
            availability = float(dvt.availability(n_keys, threshold, uptime_today, diva.failure_correlation))
        luck = 1.0
        if "blocks" in d:
            expected_blocks = active * stake * (SLOTS_PER_YEAR / DAYS_PER_YEAR) / total
            luck = d["blocks"] / expected_blocks if expected_blocks > 0 else 1.0
        participation = eth.network_participation
        ruled = eth if t >= eth.issuance_fork_date else eth_before
        epochs = math.floor((t - eth.issuance_fork_date) * epochs_a_day)
        penalty_rate = float(rules.offline_penalty_apr(total, participation, ruled, epochs)) * (1.0 - availability)
        burn_rate = float(rules.burn_apr(total, ruled, epochs)) * participation  # charged online or not
        consensus_net = float(rules.consensus_apr(total, availability, participation, ruled, epochs))
        consensus_gross = consensus_net + burn_rate + penalty_rate
        proposer = float(rules.consensus_apr_by_duty(total, availability, participation, ruled, epochs)["proposer"])
        execution = float(rules.execution_apr(total, availability, ruled))
        burned = active * stake / DAYS_PER_YEAR * burn_rate
        rewards = active * stake / DAYS_PER_YEAR * (consensus_gross - proposer + (proposer + execution) * luck)
        penalties = active * stake / DAYS_PER_YEAR * penalty_rate
        rewards -= burned
        if rewards < 0:  # the burn above the day's rewards (missed duties): charged as a penalty
            penalties -= rewards
            rewards = 0.0
        offline_penalties = penalties

        # 2. fee split: stakers' part stays; operators' stays too when minted
        staker_rewards = rewards * to_stakers

        # 3. collateral covers penalties; slashed validators leave, their colluders' collateral pays
        assigned_at_start = assigned
        covered = min(penalties, assigned)
        loss = penalties - covered
        slashed = min(float(d.get("slashings", 0.0)), active)
        if slashed > 0:
            each = min(float(ethereum.slashing_penalty_eth(stake, stake * slashed, total)["total"]), stake)
            slash_penalty = slashed * each
            validators_with_keys = active + pending / stake
            their_collateral = slashed * (assigned - covered) / validators_with_keys
            slash_covered = min(slash_penalty, their_collateral * threshold / n_keys)
            assigned -= their_collateral - slash_covered
            active -= slashed
            exiting = min(exiting, active)
            withdrawing += slashed * stake - slash_penalty
            due = t + slashed_to_arrival
            arriving[due] = arriving.get(due, 0.0) + slashed * stake - slash_penalty
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

        # 4b. ejection of operators below (1 − margin) of the required collateral
        validators_with_keys = active + pending / stake
        required = validators_with_keys * per_validator_collateral
        if validators_with_keys > 0 and assigned < (1.0 - diva.ejection_margin) * required:
            take = min(queued, required)
            queued -= take
            assigned = take
            serve(t, take)
            totals["ejected_validators"] += validators_with_keys
            ask_to_exit(t, math.ceil((required - take) / per_validator_collateral - 1e-9))

        # 5. flows; the buffer takes staker deposits while below its cap, refuses the rest
        # stakers' divETH after the day's rewards and penalties (assigned is net of what it covered)
        stakers = max(supply + rewards * kept - penalties - queued - assigned, 0.0)
        if growth_mode:
            headroom = max(1.0 - stakers / sim.target_staker_eth, 0.0)
            offered = sim.growth_rate_per_year / DAYS_PER_YEAR * stakers * headroom
        else:
            offered = sim.staker_deposit_eth_per_day
        request = stakers * sim.withdrawal_rate_per_year / DAYS_PER_YEAR
        arrived = arriving.pop(t, 0.0)
        withdrawing -= arrived
        buffer += rewards * kept - offline_penalties + arrived
        if sim.deposit_cap_eth > 0:
            taken = min(offered, max(sim.deposit_cap_eth - buffer, 0.0))
        else:
            taken = offered
        refused_today = offered - taken
        deposits = taken + sim.collateral_deposit_eth_per_day
        buffer += deposits
        owed += request
        paid = min(owed, max(buffer, 0.0))
        buffer -= paid
        owed -= paid
        queued += sim.collateral_deposit_eth_per_day
        if sim.collateral_deposit_eth_per_day > 0:
            lots.append([float(t), sim.collateral_deposit_eth_per_day])
        short = owed + max(-buffer, 0.0) - (withdrawing + exiting * stake)
        if short > 0:
            ask_to_exit(t, math.ceil(short / stake - 1e-9))

        # 6. validator creation; the collateral leaves the queue first in, first out
        new = float(math.floor(min(max(buffer, 0.0) / stake, queued / per_validator_collateral)))
        if new > 0:
            queued -= new * per_validator_collateral
            assigned += new * per_validator_collateral
            serve(t, new * per_validator_collateral)
            buffer -= new * stake
            wait_now = entry_wait(t, pending)
            if diva.two_step_deposit:
                wait_now += entry_wait(t + wait_now, pending)
            wait_now += sim.activation_delay_days
            pending += new * stake
            due = t + _days(wait_now)
            activating[due] = activating.get(due, 0.0) + new

        # 7. activation; 7b. exits
        now = activating.pop(t, 0.0)
        pending -= now * stake
        active += now
        out = min(leaving.pop(t, 0.0), exiting)
        if out > 0:
            assigned -= out * assigned / (active + pending / stake)
            active -= out
            exiting -= out
            withdrawing += out * stake
            arriving[t + to_arrival] = arriving.get(t + to_arrival, 0.0) + out * stake

        # 8. the supply and running sums
        supply = buffer + pending + active * stake + withdrawing - owed
        totals["deposits_eth"] += deposits
        totals["refused_deposits_eth"] += refused_today
        totals["withdrawal_requests_eth"] += request
        totals["withdrawn_eth"] += paid
        totals["rewards_eth"] += rewards
        totals["burned_eth"] += burned
        totals["penalties_eth"] += penalties
        totals["penalties_covered_eth"] += covered
        totals["staker_loss_eth"] += loss
        totals["validators_created"] += new
        idle = max(buffer + pending + withdrawing - owed, 0.0)
        idle_sum += idle
        supply_sum += supply
        peak = max(peak, queued + assigned)

        if t in recorded_days or on_step is not None:
            paid_out = totals["rewards_eth"] * (to_treasury + (0.0 if minted else to_operators))
            state = {
                "buffer_eth": buffer,
                "pending_eth": pending,
                "active_validators": active,
                "active_eth": active * stake,
                "exiting_validators": exiting,
                "withdrawing_eth": withdrawing,
                "withdrawals_owed_eth": owed,
                "queued_collateral_eth": queued,
                "assigned_collateral_eth": assigned,
                "collateral_locked_eth": queued + assigned,
                "diveth_supply": supply,
                "staker_diveth": supply - queued - assigned,
                "wdiveth_rate": rate,
                "staker_rewards_eth": totals["rewards_eth"] * to_stakers,
                "operator_rewards_eth": totals["rewards_eth"] * to_operators,
                "treasury_rewards_eth": totals["rewards_eth"] * to_treasury,
                "paid_out_eth": paid_out,
                "activation_wait_days": wait_now,
                "entry_queue_eth": max(eth.entry_queue_eth + sim.entry_queue_change_eth_per_day * t, 0.0),
                "total_staked_eth": total,
                "refused_today_eth": refused_today,
                "cash_drag": idle / supply if supply > 0 else 0.0,
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
        "refused_deposits_eth": totals["refused_deposits_eth"],
    }
    return {"days": out_days, "timeseries": series, "summary": summary}
