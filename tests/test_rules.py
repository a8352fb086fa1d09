"""Ethereum's next rules (divaecon.rules) against the EIPs' own figures, computed by hand.

Every expected value below comes from the EIP text or from arithmetic written out in the comment
next to it, never from the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from divaecon import ethereum, rules
from divaecon.errors import ParameterError
from divaecon.params import EthereumParams

TODAY = EthereumParams()


def _with(**overrides: object) -> EthereumParams:
    return rules.with_rules(TODAY, overrides)


# --- today's rules are today's numbers ----------------------------------------------------------
@pytest.mark.parametrize("stake", [32.0, 1e6, 17_972_763.0, 34_650_000.0, 39_200_000.0, 120e6])
def test_current_rules_are_exactly_todays(stake):
    assert rules.consensus_yield(stake, TODAY) == ethereum.ideal_consensus_apr(stake)
    assert rules.reward_scale(stake, TODAY) == 1.0
    assert rules.execution_yield(stake, TODAY) == ethereum.execution_apr(TODAY.el_reward_per_block_eth, stake)
    assert rules.activation_churn_eth_per_epoch(stake, TODAY) == ethereum.activation_churn_eth_per_epoch(stake)
    assert rules.exit_churn_eth_per_epoch(stake, TODAY) == ethereum.exit_churn_eth_per_epoch(stake)
    assert rules.burn_apr(stake, TODAY) == 0.0


def test_current_rules_today_vectorised():
    stake = np.linspace(1e6, 1.2e8, 101)
    np.testing.assert_array_equal(rules.consensus_yield(stake, TODAY), ethereum.ideal_consensus_apr(stake))
    assert rules.is_today(TODAY)
    assert rules.describe_rules(TODAY) == "today's issuance, 12 s slots, Electra churn"


# --- EIP-8363 -----------------------------------------------------------------------------------
EIP8363 = _with(issuance_curve="eip8363")
D_SAT = 60_250_000.0  # EIP-8363, Constants: SATURATION_BALANCE
SUPPLY = 2 * D_SAT  # EIP-8363: D_sat set at "approximately half the ETH supply", f_sat = 50 %


def test_eip8363_issuance_peaks_near_19_8_percent_of_supply():
    # EIP-8363, Rationale "Deriving the burn fraction": issuance i(f) = f y (1 - b) "rises, peaks at
    # f* = 2^(-7/3) ≈ 19.8 %, and is fully cancelled by the burn at f_sat" (= 50 %).
    stake = np.linspace(1e6, 60e6, 59_001)
    issuance = rules.issuance_eth_per_year(stake, EIP8363)
    f_peak = stake[np.argmax(issuance)] / SUPPLY
    assert f_peak == pytest.approx(2 ** (-7 / 3), abs=0.002)
    assert 0.196 < f_peak < 0.200


def test_eip8363_issuance_is_zero_at_50_percent_and_above():
    # b = min(1, (D / D_sat)^(3/2)) = 1 at D = D_sat (50 % of supply): the burn cancels issuance.
    assert rules.burn_fraction(D_SAT) == 1.0
    assert rules.issuance_eth_per_year(D_SAT, EIP8363) == 0.0
    assert rules.issuance_eth_per_year(80e6, EIP8363) == 0.0
    assert rules.issuance_eth_per_year(D_SAT * 0.99, EIP8363) > 0.0


def test_eip8363_burn_fraction_matches_the_eip_discussion():
    # EIPs PR #12081 (review, 2026-08-10): "3.8x corresponds to b = 0.5437, i.e. D ≈ 40.14M ETH" and
    # at 41,840,390 ETH "b = 0.5787"; by hand (40.14 / 60.25)^1.5 = 0.54379, (41.84039 / 60.25)^1.5 = 0.57870.
    assert rules.burn_fraction(40.14e6) == pytest.approx(0.5437, abs=5e-4)
    assert rules.burn_fraction(41_840_390.0) == pytest.approx(0.5787, abs=5e-4)
    assert rules.burn_fraction(40.14e6) == pytest.approx((40.14 / 60.25) ** 1.5, rel=1e-6)


def test_eip8363_net_yield_at_todays_ratio():
    # EIP-8363, "The transition period": in full at f ≈ 33 % the burn cuts the net yield "from about
    # 2.6 % to 1.2 %"; D = 0.33 · 120.5M = 39.8M ETH: 166.3 / sqrt(39.8e6) = 2.64 %,
    # times 1 - (39.8 / 60.25)^1.5 = 1 - 0.537 = 0.463: 1.22 %.
    d = 0.33 * SUPPLY
    assert rules.consensus_yield(d, TODAY) == pytest.approx(0.026, abs=0.001)
    assert rules.consensus_yield(d, EIP8363) == pytest.approx(0.012, abs=0.0005)


def test_eip8363_issuance_at_40m_matches_the_eip():
    # EIP-8363, "Issuance and MEV": "64 sqrt(D) Gwei per epoch: about 1,054,000 ETH a year at that staked
    # base, or 2.62 %" (D ≈ 40M ETH): 64 · sqrt(40e6 · 1e9) = 1.28e10 gwei = 12.8 ETH an epoch,
    # x 82,181.25 epochs = 1,051,920 ETH (2.63 %).
    assert rules.issuance_eth_per_year(40e6, TODAY) == pytest.approx(1_054_000, rel=0.005)
    assert rules.consensus_yield(40e6, TODAY) == pytest.approx(0.0262, abs=0.0002)


def test_eip8363_transition_staircase():
    # EIP-8363, "The base reward factor transition" and its test-case list: 128 at the start and one
    # epoch later; at the midpoint 64 + (64 · 61,650 + 61,650) // 123,300 = 64 + 4,007,250 // 123,300
    # = 64 + 32 = 96; one epoch before the end 64 + (64 + 61,650) // 123,300 = 64; 64 at and after it.
    assert rules.base_reward_factor_at(0) == 128
    assert rules.base_reward_factor_at(1) == 128
    assert rules.base_reward_factor_at(61_650) == 96
    assert rules.base_reward_factor_at(123_299) == 64
    assert rules.base_reward_factor_at(123_300) == 64
    assert rules.base_reward_factor_at(500_000) == 64
    steps = rules.base_reward_factor_at(np.arange(-10, 130_000))
    # "a staircase of 65 steps": the values 64..128, never above 128 nor below 64, never rising
    assert set(np.unique(steps)) == set(range(64, 129))
    assert np.all(np.diff(steps) <= 0)


def test_eip8363_transition_starts_near_todays_yield():
    # EIP-8363, "The transition period": doubling the factor "lifts the net yield curve to cross the
    # current one at f ≈ 31 %": 2 (1 - b) = 1 at b = 1/2, D = D_sat · 2^(-2/3) = 37.955M ETH, f = 31.5 %.
    d = D_SAT * 2 ** (-2 / 3)
    at_fork = rules.consensus_yield(d, EIP8363, epochs_since_fork=0)
    assert at_fork == pytest.approx(float(rules.consensus_yield(d, TODAY)), rel=2e-3)
    # and the steady state (None) is the end of the transition
    assert rules.consensus_yield(d, EIP8363) == rules.consensus_yield(d, EIP8363, epochs_since_fork=123_300)


def test_issuance_burn_helper_is_the_spec_integer_helper():
    # EIP-8363 get_issuance_burn, by hand: reward 1,000,000 gwei, sqrt_active 6, sqrt_sat 10:
    # 1,000,000 · 6 // 10 = 600,000; · 6 // 10 = 360,000; · 6 // 10 = 216,000.
    assert rules.issuance_burn_gwei(1_000_000, 6, 10) == 216_000
    # floors at each step: 7 · 6 // 10 = 4; 4 · 6 // 10 = 2; 2 · 6 // 10 = 1
    assert rules.issuance_burn_gwei(7, 6, 10) == 1
    np.testing.assert_array_equal(rules.issuance_burn_gwei(np.array([1_000_000, 7]), 6, 10), [216_000, 1])


def test_eip8363_burn_split_leaves_proposer_and_sync_in_a_leak():
    # EIP-8363: the attestation pass (54/64 of the basis) is suspended during a leak; proposer (8/64)
    # and sync (2/64) burns go on: 10/64 of the total.
    parts = rules.burn_apr_by_duty(39.2e6, EIP8363)
    assert parts["leak"] == pytest.approx(parts["total"] * 10 / 64, rel=1e-12)
    assert parts["total"] == pytest.approx(float(rules.burn_apr(39.2e6, EIP8363)), rel=1e-12)


# --- slot times ---------------------------------------------------------------------------------
def test_eip8198_8s_constants_keep_yearly_issuance_within_1_6_percent():
    # EIP-8198, "Constant scaling": "Integer truncation (42 vs. ideal 42.667) under-issues by ~1.6 %":
    # 42 · (12 / 8) / 64 = 0.984375, 1.5625 % under today's. At the EIPs' stakes (39.2M ETH today,
    # 40M in EIP-8363) with the spec's floors, by hand: 64e9 // isqrt(39.2e15) = 323 and
    # 42e9 // isqrt(39.2e15) = 212 gwei, 212 · 1.5 / 323 = 0.98452 (1.55 % under).
    e8 = _with(seconds_per_slot=8.0)
    for d in (39.2e6, 40e6):
        ratio = rules.issuance_eth_per_year(d, e8) / rules.issuance_eth_per_year(d, TODAY)
        assert abs(1 - ratio) < 0.016
    assert rules.issuance_eth_per_year(39.2e6, e8) / rules.issuance_eth_per_year(39.2e6, TODAY) == pytest.approx(
        212 * 1.5 / 323, rel=1e-12
    )
    # elsewhere the floors of a ~150-450 gwei base reward move it by up to ~0.3 % around 0.984375
    for d in (10e6, 20e6, 80e6):
        ratio = rules.issuance_eth_per_year(d, e8) / rules.issuance_eth_per_year(d, TODAY)
        assert ratio == pytest.approx(0.984375, abs=3e-3)


def test_eip8198_8s_table():
    # EIP-8198, "Parameters" table.
    s = rules.slot_rules(8.0)
    assert (s.base_reward_factor, s.inactivity_quotient, s.churn_quotient) == (42, 37_748_736, 98_304)
    assert s.churn_min_eth == pytest.approx(85.333333333)
    assert s.churn_cap_eth == pytest.approx(170.666666666)
    # 37,748,736 = 2^24 · (12 / 8)^2
    assert 2**24 * 9 // 4 == 37_748_736
    assert s.epochs_per_day == 337.5  # 86,400 / (32 · 8)


def test_pr12217_ratio_rule_at_10s_keeps_issuance():
    # PR #12217: base reward × r with the division deferred: 64 · 10,000 // 12,000 = 53.33.. per
    # increment inside the floor, 1.2x the epochs a year: issuance per year = today's to the floors.
    e10 = _with(seconds_per_slot=10.0)
    for d in (20e6, 39.2e6):
        ratio = rules.issuance_eth_per_year(d, e10) / rules.issuance_eth_per_year(d, TODAY)
        assert ratio == pytest.approx(1.0, abs=5e-3)
    s = rules.slot_rules(10.0)
    assert s.epochs_per_day == 270.0  # 86,400 / (32 · 10)
    assert s.churn_cap_eth == pytest.approx(256 * 10 / 12, abs=1e-9)  # 213.33 ETH
    assert s.churn_min_eth == pytest.approx(128 * 10 / 12, abs=1e-9)  # 106.67 ETH
    # inactivity × r^2 = 25/36 as a reduced fraction (gcd(10,000, 12,000) = 2,000)
    assert (s.inactivity_num, s.inactivity_den) == (25, 36)


def test_churn_per_day_is_kept_across_slot_times():
    # EIP-8198, "Churn limits": per-epoch limits scale to keep the wall-clock churn:
    # 256 · 225 = 57,600 ETH/day today; 170.666666666 · 337.5 = 57,599.99999 at 8 s; 213.333 · 270 = 57,600 at 10 s.
    for slot in (8.0, 10.0):
        per_day = rules.churn_eth_per_day(39.2e6, _with(seconds_per_slot=slot))
        assert per_day == pytest.approx(57_600.0, abs=0.01)
    assert rules.churn_eth_per_day(39.2e6, TODAY) == 57_600.0


def test_leak_after_a_given_time_is_about_todays_at_8s():
    # EIP-8198, "Inactivity leak": the quotient scales by the square of the epoch ratio so the
    # cumulative penalty (quadratic in epochs) is kept in time. Closed form by hand: 10 days is 2,250
    # epochs at 12 s, 32 · 2250 · 2251 / 2 / 2^24 = 4.8301 ETH; 3,375 epochs at 8 s,
    # 32 · 3375 · 3376 / 2 / 37,748,736 = 4.8293 ETH.
    today = 32 * 2250 * 2251 / 2 / 2**24
    quick = 32 * 3375 * 3376 / 2 / 37_748_736
    assert quick / today == pytest.approx(1.0, abs=5e-4)
    walked_today = rules.inactivity_leak_loss_eth(32.0, 2250, TODAY)
    walked_8s = rules.inactivity_leak_loss_eth(32.0, 3375, _with(seconds_per_slot=8.0))
    assert walked_8s / walked_today == pytest.approx(quick / today, abs=2e-3)
    assert walked_today == ethereum.inactivity_leak_loss_eth(32.0, 2250)


@pytest.mark.parametrize("slot", [1.0, 1.999, 24.5, 60.0])
def test_slot_times_outside_the_range_are_refused(slot):
    with pytest.raises(ParameterError, match="seconds_per_slot"):
        rules.slot_rules(slot)
    with pytest.raises(ParameterError):
        _with(seconds_per_slot=slot)


# --- tempered and capped curves -----------------------------------------------------------------
def test_tempered_issuance_at_k_is_half_of_todays():
    # ethresear.ch t/19171: y = cF / (sqrt(D) (1 + D / k)), k = 2^25: at D = k, 1 / (1 + 1) = 1/2.
    tempered = _with(issuance_curve="tempered")
    k = 2.0**25
    assert rules.issuance_eth_per_year(k, tempered) == pytest.approx(0.5 * rules.issuance_eth_per_year(k, TODAY))
    assert TODAY.issuance_tempering_k_eth == 33_554_432.0


def test_capped_issuance_is_constant_above_the_cap():
    # Elowsson's capped curve: y = cF sqrt(D_c) / D above D_c, so D y = cF sqrt(D_c), a constant;
    # today's curve below it. 2^24 = 16,777,216 ETH.
    capped = _with(issuance_curve="capped")
    dc = 2.0**24
    assert rules.consensus_yield(dc / 2, capped) == rules.consensus_yield(dc / 2, TODAY)
    at_cap = rules.issuance_eth_per_year(dc, capped)
    for d in (2 * dc, 4 * dc):
        # the spec's floored base reward moves it by < 1 gwei in ~300: tolerance 1e-3
        assert rules.issuance_eth_per_year(d, capped) == pytest.approx(at_cap, rel=1e-3)


# --- eMBER --------------------------------------------------------------------------------------
def test_ember_leaves_proposers_two_thirds():
    # EIP-8375 (PR #12130): floor(T / 3) of priority fees and a third of builder bids burned: 2/3 kept.
    ember = _with(execution_burn="eip8375")
    assert rules.execution_share(ember) == pytest.approx(2 / 3)
    assert rules.execution_share(TODAY) == 1.0
    # by hand at the defaults: 0.029 ETH/block · 2,629,800 blocks/year / 39.2M ETH = 0.19455 %, x 2/3 = 0.12970 %
    assert rules.execution_yield(39.2e6, ember) == pytest.approx(0.029 * 2_629_800 / 39.2e6 * 2 / 3, rel=1e-12)
    assert rules.execution_reward_per_block_eth(ember) == pytest.approx(0.029 * 2 / 3)
    # EIP-8198: gas per second kept, so an 8 s block carries 8/12 of a 12 s block's fees
    assert rules.execution_reward_per_block_eth(_with(seconds_per_slot=8.0)) == pytest.approx(0.029 * 8 / 12)


# --- EIP-8061 (Gloas) ---------------------------------------------------------------------------
def test_eip8061_churn_against_the_gloas_spec():
    # consensus-specs specs/gloas/beacon-chain.md: get_exit_churn_limit = floor_ETH(max(128, D // 32,768)),
    # uncapped; get_activation_churn_limit = min(256, floor_ETH(max(128, D // 32,768))).
    gloas = _with(exit_churn_rule="eip8061")
    # 39.2e6 / 32,768 = 1,196.29 -> 1,196 ETH/epoch; x 225 = 269,100 ETH/day
    assert rules.exit_churn_eth_per_epoch(39.2e6, gloas) == 1196.0
    assert rules.churn_eth_per_day(39.2e6, gloas, "exit") == 269_100.0
    # at 10M ETH deposits: Gloas 10e6 / 32,768 = 305.2 -> min(256, 305) = 256; Electra 10e6 / 65,536 = 152.6 -> 152
    assert rules.activation_churn_eth_per_epoch(10e6, gloas) == 256.0
    assert rules.activation_churn_eth_per_epoch(10e6, TODAY) == 152.0
    # the floor of 128 ETH below 4.19M ETH
    assert rules.exit_churn_eth_per_epoch(3e6, gloas) == 128.0


# --- EIP-7716 -----------------------------------------------------------------------------------
def test_eip7716_penalty_factor_walk_by_hand():
    # EIP-7716: factor = min(nonatt · 4096 // (NEP · total + 1), 4); NEP = max(1, NEP + factor) - 1.
    # 1 % of the stake misses from NEP = 0: 0.01 · 4096 = 40.96 per unit of NEP.
    # NEP 0 -> 4 (NEP 3) -> 40.96/3 -> 4 (6) -> 40.96/6 -> 4 (9) -> 40.96/9 = 4.55 -> 4 (12)
    # -> 40.96/12 = 3.41 -> 3 (14) -> 2.93 -> 2 (15) -> 2.73 -> 2 (16) -> 2.56 -> 2 (17) -> 2.41 -> 2 (18)
    # -> 2.28 -> 2 (19)
    factors = rules.eip7716_penalty_factors(np.full(10, 0.01))
    np.testing.assert_array_equal(factors, [4, 4, 4, 4, 3, 2, 2, 2, 2, 2])
    assert rules.eip7716_outage_penalty_multiplier(0.01, 10) == pytest.approx(29 / 10)
    # "Given stable participation, the penalty_factor is one": a long steady outage averages near 1
    long = rules.eip7716_outage_penalty_multiplier(0.01, 100_000)
    assert 1.0 < long < 1.01
    # no one missing: factor 0, the counter stays at 0
    np.testing.assert_array_equal(rules.eip7716_penalty_factors(np.zeros(3)), [0, 0, 0])


def test_correlated_multiplier_is_one_without_eip7716():
    assert rules.correlated_penalty_multiplier(TODAY, 0.1, 1.0) == 1.0
    assert rules.correlated_penalty_multiplier(_with(correlated_penalties="eip7716"), 0.1, 1.0 / 24) > 1.0


# --- stake at a yield ---------------------------------------------------------------------------
def test_stake_at_yield_inverts_the_staking_yield():
    for overrides in rules.RULE_SETS.values():
        eth = _with(**overrides)
        d = rules.stake_at_yield(0.02, eth)
        assert math.isfinite(d)
        # the floored base reward makes the yield a staircase: it steps across 0.02 at d
        assert rules.staking_yield(d * (1 - 1e-6), eth) > 0.02 >= rules.staking_yield(d * (1 + 1e-6), eth)
        assert rules.staking_yield(d, eth) == pytest.approx(0.02, rel=4e-3)
    # by hand, today's curve without execution rewards: 166.3 / sqrt(D) = 0.02 at D = (166.3 / 0.02)^2 = 69.16M
    # ETH; the spec's floor of a ~244 gwei base reward lowers the yield by up to 1/244, D by up to 0.8 %
    no_el = TODAY.model_copy(update={"el_reward_per_block_eth": 0.0})
    smooth = (64 * 82_181.25 / math.sqrt(1e9) / 0.02) ** 2
    assert smooth * 0.99 < rules.stake_at_yield(0.02, no_el) <= smooth
    assert math.isnan(rules.stake_at_yield(100.0, TODAY))  # above the yield of 2^15 ETH staked
    np.testing.assert_allclose(
        rules.stake_at_yield(np.array([0.02, 0.03]), TODAY),
        [rules.stake_at_yield(0.02, TODAY), rules.stake_at_yield(0.03, TODAY)],
    )


# --- rule sets ----------------------------------------------------------------------------------
def test_rule_sets_are_valid_and_in_display_order():
    labels = list(rules.RULE_SETS)
    assert labels[0] == "Today's rules" and rules.RULE_SETS[labels[0]] == {}
    assert len(labels) == 10
    for overrides in rules.RULE_SETS.values():
        eth = _with(**overrides)
        line = rules.describe_rules(eth)
        assert line and "\n" not in line and len(line) < 120
    with pytest.raises(ParameterError, match="rule override"):
        rules.with_rules(TODAY, {"total_staked_eth": 1.0})
    with pytest.raises(ParameterError, match=r"ethereum\.issuance_curve"):
        rules.with_rules(TODAY, {"issuance_curve": "flat"})


def test_scenario_with_rules():
    from divaecon.params import Scenario

    base = Scenario().override(**{"ethereum.seconds_per_slot": 8.0})
    hegota = rules.scenario_with_rules(base, "EIP-8363 + eMBER (Hegotá)")
    assert hegota.ethereum.issuance_curve == "eip8363" and hegota.ethereum.execution_burn == "eip8375"
    assert hegota.ethereum.seconds_per_slot == 12.0  # a label means that rule set only
    assert rules.scenario_with_rules(hegota, "Today's rules").ethereum == Scenario().ethereum
    with pytest.raises(ParameterError, match="rule set"):
        rules.scenario_with_rules(base, "no such rules")


# --- a validator's rates under a rule set ---------------------------------------------------------
@pytest.mark.parametrize("uptime", [0.0, 0.5, 0.996, 1.0])
@pytest.mark.parametrize("participation", [2 / 3, 0.95, 1.0])
def test_rates_under_todays_rules_are_ethereums_exactly(uptime, participation):
    d, el = 39.2e6, TODAY.el_reward_per_block_eth
    assert rules.consensus_apr(d, uptime, participation, TODAY) == ethereum.consensus_apr(d, uptime, participation)
    assert rules.execution_apr(d, uptime, TODAY) == ethereum.execution_apr(el, d, uptime)
    assert rules.gross_apr(d, uptime, participation, TODAY) == ethereum.gross_apr(d, el, uptime, participation)
    assert rules.offline_penalty_apr(d, participation, TODAY) == ethereum.offline_penalty_apr(d, participation)


def test_eip8363_burn_is_charged_online_or_not():
    # EIP-8363, Security Considerations, "Cost of downtime": "an offline validator pays it alongside
    # the usual penalties"; "the balance difference between performing a duty and missing it is
    # exactly what it is today": gross(u=1) - gross(u=0) is unchanged, both are lower by b · y.
    d = 39.2e6
    today_gap = ethereum.consensus_apr(d, 1.0) - ethereum.consensus_apr(d, 0.0)
    gap = rules.consensus_apr(d, 1.0, 1.0, EIP8363) - rules.consensus_apr(d, 0.0, 1.0, EIP8363)
    assert gap == pytest.approx(today_gap, rel=1e-12)
    b_y = float(rules.burn_fraction(d)) * float(ethereum.ideal_consensus_apr(d))
    assert rules.consensus_apr(d, 0.0, 1.0, EIP8363) == pytest.approx(float(ethereum.consensus_apr(d, 0.0)) - b_y)
    # "at 99 % uptime a validator retains 96 % of a flawless validator's net yield under this proposal,
    # against 98 % today" (at f ≈ 33 %, D ≈ 40M ETH)
    d = 40e6
    today_share = ethereum.consensus_apr(d, 0.99) / ethereum.consensus_apr(d, 1.0)
    eip_share = rules.consensus_apr(d, 0.99, 1.0, EIP8363) / rules.consensus_apr(d, 1.0, 1.0, EIP8363)
    assert today_share == pytest.approx(0.98, abs=0.006)
    assert eip_share == pytest.approx(0.96, abs=0.006)


# --- the quote and the peers follow the rules ------------------------------------------------------
def test_quote_and_peers_under_a_rule_set():
    from divaecon import dvt
    from divaecon.params import Scenario
    from divaecon.quote import peer_table, quote

    base = Scenario()
    hegota = rules.scenario_with_rules(base, "EIP-8363 + eMBER (Hegotá)")
    q0, q1 = quote(base), quote(hegota)
    e, d = hegota.ethereum, hegota.diva
    avail = dvt.availability(d.key_shares_per_validator, d.threshold, d.operator_uptime, d.failure_correlation)
    # by the rules' own pieces: consensus net of b · y, execution x 2/3
    b_y = float(rules.burn_fraction(e.total_staked_eth)) * float(ethereum.ideal_consensus_apr(e.total_staked_eth))
    assert q1.consensus_apr == pytest.approx(float(ethereum.consensus_apr(e.total_staked_eth, avail)) - b_y)
    assert q1.execution_apr == pytest.approx(q0.execution_apr * 2 / 3)
    assert q1.ideal_consensus_apr == pytest.approx(float(rules.consensus_yield(e.total_staked_eth, e)))
    assert q1.staker_apr < q0.staker_apr
    # the penalties a key share's collateral covers are today's (EIP-8363 scales no penalty)
    assert q1.collateral_penalty_per_key_share_eth_per_year == q0.collateral_penalty_per_key_share_eth_per_year
    t0, t1 = peer_table(base), peer_table(hegota)
    assert (t1["staker_apr"].to_numpy() < t0["staker_apr"].to_numpy()).all()
    assert all("modelled under EIP-8363 burn" in note for note in t1["vs_published"].iloc[1:])
    # 8 s slots: the penalties scale with the base reward (x 0.984), the queues by the churn per day
    quick = quote(rules.scenario_with_rules(base, "8 s slots (EIP-8198)"))
    assert quick.collateral_penalty_per_key_share_eth_per_year == pytest.approx(
        q0.collateral_penalty_per_key_share_eth_per_year * 212 * 1.5 / 323, rel=1e-12
    )
    assert quick.entry_queue_wait_days == pytest.approx(q0.entry_queue_wait_days, rel=1e-6)
    # the exit: queue / churn a day, 256 epochs (337.5 a day at 8 s), the sweep at 16 a slot (x 8/12):
    # 32,581 / 57,600 + 256 / 337.5 + 4.2 x 2/3 against 32,581 / 57,600 + 256 / 225 + 4.2
    assert quick.exit_wait_days == pytest.approx(32_581 / 57_600 + 256 / 337.5 + 4.2 * 2 / 3, rel=1e-6)
    assert q0.exit_wait_days == pytest.approx(32_581 / 57_600 + 256 / 225 + 4.2, rel=1e-12)


# --- the risk model under a rule set ---------------------------------------------------------------
def test_offline_loss_per_day_under_the_rules():
    d, stake = 39.2e6, 32.0
    today = rules.offline_loss_eth_per_day(d, stake, TODAY, 0.1, 0.5)
    # today: 42/64 of a base reward an epoch (40 missed source and target, 2 sync), by hand
    # 42/64 · 323 gwei · 82,181.25 / 1e9 · 32 / 365.25
    assert today == pytest.approx(42 / 64 * 323 * 82_181.25 / 1e9 * 32 / 365.25, rel=1e-12)
    # EIP-8363: the whole burn b · y outside a leak, its proposer and sync part (10/64) in one
    b_y = float(rules.burn_fraction(d)) * 323 * 82_181.25 / 1e9
    out = rules.offline_loss_eth_per_day(d, stake, EIP8363, 0.1, 0.5)
    assert out == pytest.approx(today + b_y * 32 / 365.25, rel=1e-12)
    leak = rules.offline_loss_eth_per_day(d, stake, EIP8363, 0.1, 0.5, in_leak=True)
    assert leak == pytest.approx(today + b_y * 10 / 64 * 32 / 365.25, rel=1e-12)
    # EIP-7716: a short outage of 10 % of the stake pays more on its attestation part
    e7716 = _with(correlated_penalties="eip7716")
    m = float(rules.eip7716_outage_penalty_multiplier(0.1, 3600))
    assert m > 1.0
    assert rules.offline_loss_eth_per_day(d, stake, e7716, 0.1, 0.5) == pytest.approx(
        (40 * m + 2) / 64 * 323 * 82_181.25 / 1e9 * 32 / 365.25, rel=1e-12
    )


def test_risk_model_under_the_rules():
    from divaecon.params import Scenario
    from divaecon.risk.models import risk_model

    base = Scenario()
    m0 = risk_model(base)
    quick = risk_model(rules.scenario_with_rules(base, "8 s slots (EIP-8198)"))
    leak0 = next(c for c in m0.classes if c.kind == "leak")
    leak8 = next(c for c in quick.classes if c.kind == "leak")
    assert leak8.seconds_per_slot == 8.0
    # EIP-8198 keeps the leak in wall-clock time (quotient x 1.5^2): within 0.5 % over a mean leak
    assert leak8.mean_loss_eth() == pytest.approx(leak0.mean_loss_eth(), rel=5e-3)
    burn = risk_model(rules.scenario_with_rules(base, "EIP-8363 tapered burn"))
    for c0, c1 in zip(m0.classes, burn.classes, strict=True):
        if c0.kind in ("outage", "leak"):
            assert c1.mean_loss_eth() > c0.mean_loss_eth(), c0.name
    assert burn.forgone_eth_per_year > 0


def test_transition_path_month_by_month():
    # month 0: BRF 128. A month is 365.25 / 12 = 30.44 days of 225 epochs: month 9 is epoch 61,635,
    # remaining 61,665: 64 + (64 x 61,665 + 61,650) // 123,300 = 64 + 4,008,210 // 123,300 = 96;
    # month 18 is epoch 123,271, remaining 29: 64 + (1,856 + 61,650) // 123,300 = 64.
    path = rules.transition_path(EIP8363)
    assert path["base_reward_factor"][0] == 128 and path["base_reward_factor"][18] == 64
    assert path["base_reward_factor"][9] == 96
    assert np.all(np.diff(path["consensus_yield"]) <= 0)  # a falling staircase at a fixed stake
    assert path["consensus_yield"][18] == pytest.approx(float(rules.consensus_yield(39.2e6, EIP8363)), rel=2e-3)
    flat = rules.transition_path(TODAY)
    assert np.all(flat["base_reward_factor"] == 64) and np.all(flat["burn_fraction"] == 0)


def test_slashing_loss_under_the_rules():
    from divaecon.risk import events

    d = 39.2e6
    assert rules.slashing_loss_eth(32.0, 32.0, d, TODAY) == events.slashing_loss_eth(32.0, 32.0, d)
    # 8 s: missed duties 40/64 x 212 gwei x 32 x 8,192 epochs (EIP-8198 keeps EPOCHS_PER_SLASHINGS_VECTOR);
    # initial 32 / 4096; correlation 32 x 3 x 32 / 39.2e6 (by hand)
    want = 32 / 4096 + 32 * 96 / d + 40 / 64 * 212e-9 * 32 * 8_192
    assert rules.slashing_loss_eth(32.0, 32.0, d, _with(seconds_per_slot=8.0)) == pytest.approx(want, rel=1e-9)
