"""The network simulation written plainly: one scenario, Python floats, one day at a time.

This is the reference :mod:`divaecon.simulate` is tested against (STYLE.md §8: "a slow
vectorised path checked against a plain scalar implementation"). It follows the model of that
module's docstring step by step, with no numpy in the per-day loop. Per-scenario constants
(availability, fee fractions, reward rates at the starting Ethereum stake) come from the
package functions before the loop; the daily rates scale them with the day's stake.

Monte Carlo draws are not made here: pass them in (``draws(day) -> dict``, e.g. captured from
the vectorised engine's ``on_step`` hook) so both engines see the same luck.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from divaecon import dvt, ethereum, protocol
from divaecon.params import Scenario
from divaecon.simulate import (
    AVAILABILITY_GRID,
    RECORDABLE,
    WAIT_BATCH_DAYS,
    availability_table,
    inverse_flow,
    record_days,
    reward_coefficients,
    wait_bin_table,
)
from divaecon.units import DAYS_PER_YEAR, SLOTS_PER_YEAR

DrawFn = Callable[[int], Mapping[str, float]]


def _interp(x: float, table: list[float]) -> float:
    """Linear interpolation on the uniform uptime grid of :func:`availability_table`."""
    step = 1.0 / (AVAILABILITY_GRID - 1)
    if x <= 0.0:
        return table[0]
    if x >= 1.0:
        return table[-1]
    i = min(int(x / step), AVAILABILITY_GRID - 2)
    x0 = i * step
    x1 = (i + 1) * step
    return table[i] + (x - x0) * (table[i + 1] - table[i]) / (x1 - x0)


def _f(x: Any) -> float:
    return float(x)


def _log1p(x: float) -> float:
    """``log(1 + x)``, −inf for a return of −100 % or worse (the collateral is gone)."""
    return math.log1p(x) if x > -1.0 else -math.inf


def _twr_apy(sum_log: float, n_days: int) -> float:
    """``exp(Σ log1p(return) · 365.25 / n_days) − 1``; NaN with no day."""
    return math.exp(sum_log * DAYS_PER_YEAR / n_days) - 1.0 if n_days > 0 else float("nan")


def simulate_scalar(
    scenario: Scenario,
    days: int | None = None,
    record_every_days: int | None = None,
    draws: DrawFn | None = None,
    on_step: Callable[[int, dict[str, float]], None] | None = None,
) -> dict[str, Any]:
    """Simulate one scenario; returns ``{"timeseries": {var: [..]}, "days": [..], "summary": {..}}``.

    ``draws(day)`` may return ``outage_fraction`` (share of key shares down that day),
    ``blocks`` (blocks proposed) and ``slashings`` (validators slashed); missing keys mean the
    expected values (no outage, expected blocks, no slashing).
    """
    sim, diva, eth = scenario.simulation, scenario.diva, scenario.ethereum
    days = days if days is not None else sim.horizon_days
    every = record_every_days if record_every_days is not None else sim.record_every_days

    # per-scenario constants, from the package functions (before the loop)
    stake = float(diva.validator_stake_eth)
    k = float(diva.key_shares_per_validator)
    thr = float(diva.threshold)
    kc = k * diva.collateral_per_key_share_eth
    alpha = _f(dvt.availability(diva.key_shares_per_validator, diva.threshold, diva.operator_uptime,
                                diva.failure_correlation))
    split = protocol.fee_split(1.0, diva.operator_fee, diva.treasury_fee, diva.insurance_fee)
    f_s, f_o = _f(split["stakers"]), _f(split["operators"])
    f_t = _f(split["treasury"]) + _f(split["insurance"])
    coef = {key: (_f(v0), _f(v1)) for key, (v0, v1) in
            reward_coefficients(eth.total_staked_eth, eth.el_reward_per_block_eth,
                                eth.network_participation).items()}
    total0, growth = eth.total_staked_eth, sim.ethereum_stake_growth_eth_per_day
    growth_mode = sim.deposit_mode == "growth"
    dep_c = 0.0 if growth_mode else sim.staker_deposit_eth_per_day
    gr = sim.growth_rate_per_year / DAYS_PER_YEAR if growth_mode else 0.0
    inv_target = 1.0 / sim.target_staker_eth
    wd = sim.withdrawal_rate_per_year / DAYS_PER_YEAR
    e, q0 = sim.collateral_deposit_eth_per_day, sim.initial_collateral_eth
    inv_e = float(inverse_flow(e))
    kce, q0e = kc * inv_e, q0 * inv_e
    delay = sim.activation_delay_days
    spy = stake / DAYS_PER_YEAR
    outage_on = sim.outage_rate_per_operator_per_year > 0
    table = list(availability_table(diva.key_shares_per_validator, diva.threshold,
                                    diva.failure_correlation)) if outage_on else []
    bin_of_arr, edges_arr = wait_bin_table(days)
    bin_of = [int(b) for b in bin_of_arr]
    edges = [int(x) for x in edges_arr]

    buf = sim.initial_staker_eth + q0
    pend = 0.0
    v = 0.0
    q = q0
    a = 0.0
    supply = buf
    rate = 1.0
    cum = dict.fromkeys(("deposits_eth", "withdrawn_eth", "rewards_eth", "staker_rewards_eth", "fees_eth",
                         "penalties_eth", "penalties_covered_eth", "staker_loss_eth",
                         "validators_created"), 0.0)
    cum["deposits_eth"] = buf
    activations: dict[int, float] = {}
    served_cum = t_served = 0.0
    batch_new = batch_t = 0.0  # validators created in the current wait batch, Σ t · new
    hist = [0.0] * len(edges)
    sum_idle = sum_supply = 0.0
    log_q = log_a = 0.0  # Σ log1p(daily return) of queued / assigned collateral
    n_q = n_a = 0  # days compounded
    peak = q
    rec = {int(d) for d in record_days(days, every)}
    series: dict[str, list[float]] = {name: [] for name in RECORDABLE}
    rec_list: list[int] = []

    for t in range(days):
        d = dict(draws(t)) if draws is not None else {}
        tot = total0 + growth * t
        ratio = total0 / tot
        sq = math.sqrt(ratio)
        a_t = alpha
        if outage_on and "outage_fraction" in d:
            a_t = _interp(diva.operator_uptime * (1.0 - d["outage_fraction"]), table)
        lf = 1.0
        if "blocks" in d:
            lam = v * stake * (SLOTS_PER_YEAR / DAYS_PER_YEAR) / tot
            lf = d["blocks"] / lam if lam > 0 else 1.0
        att = coef["att"][0] + a_t * coef["att"][1]
        prop = coef["prop"][0] + a_t * coef["prop"][1]
        el = coef["el"][0] + a_t * coef["el"][1]
        pen_rate = coef["pen"][0] + a_t * coef["pen"][1]
        r = v * ((att + prop * lf) * spy * sq + el * lf * spy * ratio)
        pen = v * (pen_rate * spy * sq)

        r_s = r * f_s
        cov = min(pen, a)
        loss = pen - cov
        ret_a = r * f_o - cov
        a_start = a
        a -= cov

        n_sl = min(float(d.get("slashings", 0.0)), v)
        if n_sl > 0:
            # the slashed validators exit; colluders' collateral covers the penalty
            each = _f(ethereum.slashing_penalty_eth(stake, stake * n_sl, tot)["total"])
            sl_pen = n_sl * min(each, stake)
            coll = n_sl * (a / v if v > 0 else 0.0)
            sl_cov = min(sl_pen, coll * thr / k)
            a -= coll
            v -= n_sl
            buf += n_sl * stake
            pen += sl_pen
            cov += sl_cov
            loss += sl_pen - sl_cov
            ret_a -= sl_cov

        g = (r_s - loss) / max(supply, 1e-300)
        rate *= 1.0 + g
        if q > 0:
            log_q += _log1p(g)
            n_q += 1
        if a_start > 0:
            log_a += _log1p(g + ret_a / a_start)
            n_a += 1

        s_div = max(supply - q - a, 0.0)
        dep = dep_c + gr * s_div * max(1.0 - s_div * inv_target, 0.0)
        inflow = dep + e
        buf += r_s - pen + inflow
        w = min(s_div * wd, buf + v * stake)
        buf -= w
        if buf < 0:
            n_exit = min(math.ceil(-buf / stake), v)
            per_val = a / v if v > 0 else 0.0
            a -= n_exit * per_val
            v -= n_exit
            buf += n_exit * stake
        q += e

        new = float(math.floor(min(buf / stake, q / kc)))
        served = new * kc
        q -= served
        a += served
        buf -= new * stake
        pend += new * stake
        if new > 0:
            activations[t + delay] = activations.get(t + delay, 0.0) + new
        act = activations.pop(t, 0.0)
        pend -= act * stake
        v += act
        supply = buf + pend + v * stake

        served_cum += served
        t_served += t * served
        batch_new += new
        batch_t += t * new
        if (t + 1) % WAIT_BATCH_DAYS == 0 or t == days - 1:
            if batch_new > 0:
                # the batch counts at its mean creation day minus its middle unit's arrival day
                first = cum["validators_created"] + new - batch_new  # validators before the batch
                arrival = max(math.ceil((first + 0.5 * batch_new) * kce - q0e) - 1.0, 0.0)
                wait = max(batch_t / batch_new - arrival, 0.0)
                hist[bin_of[int(wait)]] += batch_new
            batch_new = batch_t = 0.0

        cum["deposits_eth"] += inflow
        cum["withdrawn_eth"] += w
        cum["rewards_eth"] += r
        cum["staker_rewards_eth"] += r_s
        cum["fees_eth"] += r - r_s
        cum["penalties_eth"] += pen
        cum["penalties_covered_eth"] += cov
        cum["staker_loss_eth"] += loss
        cum["validators_created"] += new
        idle = buf + pend
        sum_idle += idle
        sum_supply += supply
        peak = max(peak, q + a)

        if t in rec or on_step is not None:
            state = {
                "buffer_eth": buf, "pending_eth": pend, "active_validators": v,
                "active_eth": v * stake, "queued_collateral_eth": q,
                "assigned_collateral_eth": a, "collateral_locked_eth": q + a,
                "diveth_supply": supply, "staker_diveth": supply - q - a, "wdiveth_rate": rate,
                "operator_rewards_eth": cum["rewards_eth"] * f_o,
                "treasury_rewards_eth": cum["rewards_eth"] * f_t,
                "total_staked_eth": tot, "cash_drag": idle / supply if supply > 0 else 0.0,
                **cum,
            }
            if t in rec:
                rec_list.append(t)
                for name in RECORDABLE:
                    series[name].append(state[name])
            if on_step is not None:
                on_step(t, state)

    nan = float("nan")
    if served_cum > 0:
        z = (served_cum - q0) * inv_e
        nz = math.floor(z)
        integral = e * (nz * (nz - 1.0) / 2.0 + nz * (z - nz)) if z > 1.0 else 0.0
        mean_wait = (t_served - integral) / served_cum
        total_h = sum(hist)
        acc = 0.0
        p95 = nan
        for i, h in enumerate(hist):
            acc += h
            if acc >= 0.95 * total_h * (1.0 - 1e-12):
                p95 = float(edges[i + 1] - 1) if i + 1 < len(edges) else float(edges[i])
                break
    else:
        mean_wait = p95 = nan
    summary = {
        "staker_apy": rate ** (DAYS_PER_YEAR / days) - 1.0,
        "operator_apy_queued": _twr_apy(log_q, n_q),
        "operator_apy_assigned": _twr_apy(log_a, n_a),
        "queue_wait_mean_days": mean_wait,
        "queue_wait_p95_days": p95,
        "peak_collateral_locked_eth": peak,
        "cash_drag": sum_idle / sum_supply if sum_supply > 0 else nan,
        "final_active_validators": v,
        "final_diveth_supply": supply,
        "wdiveth_rate": rate,
    }
    return {"days": rec_list, "timeseries": series, "summary": summary}
