"""Per-row inputs of a simulation: one record of constants per scenario × Monte Carlo seed.

Every constant the day loop reads is derived here from the scenarios' parameters by the maths
layer (:mod:`divaecon.ethereum`, :mod:`divaecon.dvt`, :mod:`divaecon.protocol`) — the engine
adds no model maths of its own beyond the daily steps. Rows are scenario-major: the seeds of
scenario 0, then those of scenario 1, …
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from divaecon import dvt, ethereum, protocol, rules
from divaecon.errors import ParameterError
from divaecon.params import Scenario
from divaecon.simulate.state import F, Record
from divaecon.units import DAYS_PER_YEAR

FloatArray = NDArray[np.float64]

MIN_QUEUE_FLOW_ETH_PER_DAY: Final[float] = 1e-9
"""Collateral flows below this count as zero when dating queue arrivals [divETH/day]."""


class RowValues(Record):
    """The constants of one row (rates at Ethereum's day-0 stake; the steps scale them by day)."""

    validator_stake_eth = F("ETH staked per Diva validator [ETH].")
    one_over_validator_stake_eth = F("1 / the stake per validator [1/ETH].")
    stake_eth_years_per_day = F("Stake / 365.25: times a rate [1/year], ETH per day [ETH·year/day].")
    key_shares_per_validator = F("Key shares each validator's key is split into [key shares].")
    threshold_key_shares = F("Key shares that must sign for the validator to act [key shares].")
    collateral_per_validator_eth = F("Collateral per validator: key shares × collateral per key share [divETH].")
    one_over_collateral_per_validator_eth = F("1 / the collateral per validator [1/divETH].")
    staker_share = F("Fraction of rewards that stays with divETH holders (1 − fees) [fraction].")
    operator_share = F("Fraction of rewards paid to operators [fraction].")
    treasury_share = F("Fraction of rewards paid to treasury and insurance [fraction].")
    staker_deposit_eth_per_day = F("Constant staker deposits ('constant' mode; else 0) [ETH/day].")
    growth_rate_per_day = F("Logistic growth rate of staker divETH ('growth' mode; else 0) [1/day].")
    one_over_target_staker_eth = F("1 / the staker divETH the logistic growth tends to [1/ETH].")
    deposit_cap_eth = F("Largest buffer that takes staker deposits; inf for no cap (the scenario's 0) [ETH].")
    withdrawal_rate_per_day = F("Fraction of staker divETH withdrawn per day [1/day].")
    initial_staker_eth = F("Staker ETH deposited on day 0 [ETH].")
    initial_collateral_eth = F("Operator collateral queued on day 0 [divETH].")
    collateral_deposit_eth_per_day = F("Operator collateral arriving each day [divETH/day].")
    days_per_collateral_eth = F("1 / the collateral flow, 0 below 1e-9 divETH/day (dates queue arrivals) [day/divETH].")
    ethereum_stake_eth = F("Ethereum's total stake on day 0 [ETH].")
    ethereum_stake_growth_eth_per_day = F("Daily change of Ethereum's total stake [ETH/day].")
    activation_delay_days = F("Days from a validator's creation to its activation besides the entry queue [days].")
    two_step_deposit = F("1 when a validator is created in two deposits (1 + 31 ETH), each queueing; else 0 [-].")
    entry_queue_eth = F("Others' ETH in Ethereum's entry queue on day 0 [ETH].")
    entry_queue_change_eth_per_day = F("Daily change of the others' entry queue (never below 0) [ETH/day].")
    exit_queue_eth = F("Others' ETH in Ethereum's exit queue on day 0 [ETH].")
    exit_queue_change_eth_per_day = F("Daily change of the others' exit queue (never below 0) [ETH/day].")
    exit_churn_quotient = F(
        "Exit churn = max(min, stake / this) ETH/epoch: 65,536 (Electra) or 32,768 (EIP-8061) at 12 s [-]."
    )
    exit_churn_cap_eth = F("Cap of the exit churn: 256 (Electra) or inf (EIP-8061) at 12 s [ETH/epoch].")
    entry_churn_quotient = F(
        "Deposit churn = max(min, stake / this) ETH/epoch: 65,536 (Electra), 32,768 (Gloas) at 12 s [-]."
    )
    entry_churn_cap_eth = F("Cap of the deposit churn: 256 ETH/epoch at 12 s [ETH/epoch].")
    churn_min_eth = F(
        "Smallest churn per epoch: 128 ETH at 12 s, 85.33 at 8 s (divaecon.rules.slot_rules) [ETH/epoch]."
    )
    epochs_per_day = F("Epochs in a day at the scenario's slot time [epochs/day].")
    exit_to_arrival_days = F("Days from a validator's exit to its stake in the pool: withdrawability + sweep [days].")
    slashed_to_arrival_days = F("Days from a slashing to the rest of the stake in the pool [days].")
    operator_rewards_minted = F("1 when operators' fees are minted as divETH (the ETH stays), 0 when paid out [-].")
    ejection_level = F("An operator is ejected below this share of the required collateral: 1 − margin [fraction].")
    stake_path = F("Row of the run's stake-path table for this row, or −1 to compute the path itself [-].")
    availability = F("Expected availability of a validator: P(≥ threshold key shares up) [fraction].")
    operator_uptime = F("Uptime of each operator's node [fraction].")
    failure_correlation = F("Intra-class correlation of operators' outages (beta-binomial ρ) [-].")
    attestation_sync_apr_at_zero = F("Consensus rewards other than proposing at availability 0, per ETH [1/year].")
    attestation_sync_apr_per_availability = F("Their slope in availability [1/year].")
    proposer_apr_at_zero = F("Consensus proposer rewards at availability 0, per ETH [1/year].")
    proposer_apr_per_availability = F("Their slope in availability [1/year].")
    execution_apr_at_zero = F("Execution-layer rewards at availability 0, per ETH [1/year].")
    execution_apr_per_availability = F("Their slope in availability [1/year].")
    offline_penalty_apr_at_zero = F("Offline penalties at availability 0, per ETH [1/year].")
    offline_penalty_apr_per_availability = F("Their slope in availability [1/year].")
    outage_probability_per_day = F("Probability a key share's node has a whole-day outage (Monte Carlo) [1/day].")
    slashing_rate_per_validator_per_day = F("Rate of slashings per validator (Monte Carlo) [1/day].")
    proposer_luck = F("1 to draw block proposals as Poisson events (Monte Carlo), else 0 [-].")
    burn_basis_apr = F("EIP-8363's burn basis at day 0: ideal consensus APR x participation, today's rules [1/year].")
    rules_curve = F("issuance_curve as divaecon.rules.CURVE_CODES: 0 current, 1 eip8363, 2 tempered, 3 capped [-].")
    rules_fork_day = F("Day the curve and the execution burn take effect (ethereum.issuance_fork_date) [day].")
    slot_base_reward_factor = F("BASE_REWARD_FACTOR at the slot time for 64 today: 64, or 42 at 8 s (EIP-8198) [-].")
    reward_num = F("Numerator of the base reward's slot ratio (PR #12217; 1 otherwise) [-].")
    reward_den = F("Its denominator [-].")
    tempering_k_eth = F("Tempered curve's k (ethereum.issuance_tempering_k_eth) [ETH].")
    cap_stake_eth = F("Capped curve's D_c (ethereum.issuance_cap_stake_eth) [ETH].")
    execution_share_after_fork = F(
        "Share of execution rewards the proposer keeps from the fork on: 1, or 2/3 (EIP-8375) [fraction]."
    )


@dataclass(frozen=True)
class RowInputs:
    """The rows of a run: names and seeds for the output, constants for the day loop."""

    names: list[str]
    """Scenario name of each row."""
    seeds: NDArray[np.int64]
    """Monte Carlo seed of each row within its scenario (0, 1, …)."""
    scenario_index: NDArray[np.int64]
    """Index of each row's scenario in the list given."""
    values: np.ndarray
    """The rows' constants, a :class:`RowValues` record each."""
    first_row: int = 0
    """Global index of the first row: row ``i`` draws from random stream ``(first_row + i) // RNG_BLOCK``."""

    @property
    def n(self) -> int:
        """Number of rows."""
        return len(self.names)

    def take(self, lo: int, hi: int) -> RowInputs:
        """Rows ``lo … hi − 1`` (their random streams unchanged)."""
        return RowInputs(
            self.names[lo:hi], self.seeds[lo:hi], self.scenario_index[lo:hi], self.values[lo:hi], self.first_row + lo
        )


def _linear_in_availability(f: Callable[[Any], Any]) -> tuple[FloatArray, FloatArray]:
    """``(f(0), f(1) − f(0))`` of a function linear in availability."""
    at0 = np.asarray(f(0.0), dtype=float)
    at1 = np.asarray(f(1.0), dtype=float)
    return at0, at1 - at0


def reward_coefficients(
    total_staked_eth: Any, el_reward_per_block_eth: Any, network_participation: Any
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Reward and penalty rates per ETH per year at Ethereum stake ``total``, linear in availability α.

    Keys ``att`` (consensus rewards other than proposing, before penalties), ``prop`` (consensus
    proposer rewards), ``el`` (execution rewards), ``pen`` (offline penalties), each ``(value at
    α = 0, slope)``; ``att + prop + el − pen`` is :func:`divaecon.ethereum.gross_apr` at uptime
    ``α``. The consensus parts and ``pen`` scale as ``1/sqrt(total)``, ``el`` as ``1/total``
    (:func:`divaecon.ethereum.base_reward_per_increment`, :func:`divaecon.ethereum.execution_apr`),
    which is how the steps follow Ethereum's stake from day to day.

    References
    ----------
    :func:`divaecon.ethereum.consensus_apr`, :func:`divaecon.ethereum.offline_penalty_apr`,
    :func:`divaecon.ethereum.consensus_apr_by_duty` (the proposer's part, which luck scales).
    """
    p = np.asarray(network_participation, dtype=float)
    pen_full = np.asarray(ethereum.offline_penalty_apr(total_staked_eth, network_participation), dtype=float)

    def prop(a: Any) -> Any:
        return np.asarray(ethereum.consensus_apr_by_duty(total_staked_eth, a, p)["proposer"], dtype=float)

    def att(a: Any) -> Any:
        cl = np.asarray(ethereum.consensus_apr(total_staked_eth, a, network_participation), dtype=float)
        return cl + pen_full * (1.0 - a) - prop(a)

    return {
        "att": _linear_in_availability(att),
        "prop": _linear_in_availability(prop),
        "el": _linear_in_availability(lambda a: ethereum.execution_apr(el_reward_per_block_eth, total_staked_eth, a)),
        "pen": _linear_in_availability(lambda a: pen_full * (1.0 - a)),
    }


def _rules_table(scenarios: Sequence[Scenario]) -> dict[str, FloatArray]:
    """Per scenario, the constants of its Ethereum rules the day loop reads (:mod:`divaecon.rules`).

    Churn (Electra, or Gloas' EIP-8061 quotient 2^15 for deposits and exits, exits uncapped) at the
    slot time's constants (:func:`divaecon.rules.slot_rules`); the reward factors' constants
    (:func:`divaecon.rules.reward_factor_constants`). Distinct rule sets are few: each is worked
    out once.
    """
    cache: dict[Any, dict[str, float]] = {}
    rows = []
    for sc in scenarios:
        e = sc.ethereum
        key = (*(getattr(e, f) for f in rules.RULE_FIELDS), e.network_participation)
        if key not in cache:
            slot = rules.slot_rules(e.seconds_per_slot)
            gloas = e.exit_churn_rule == "eip8061"
            quotient = slot.churn_quotient / (2.0 if gloas else 1.0)
            consts = {
                "exit_churn_quotient": quotient,
                "exit_churn_cap_eth": np.inf if gloas else slot.churn_cap_eth,
                "entry_churn_quotient": quotient,
                "entry_churn_cap_eth": slot.churn_cap_eth,
                "churn_min_eth": slot.churn_min_eth,
            }
            f = rules.reward_factor_constants(e)
            consts.update(
                rules_curve=f["curve"],
                rules_fork_day=f["fork_day"],
                slot_base_reward_factor=f["slot_base_reward_factor"],
                reward_num=f["reward_num"],
                reward_den=f["reward_den"],
                tempering_k_eth=f["tempering_k_eth"],
                cap_stake_eth=f["cap_stake_eth"],
                execution_share_after_fork=f["execution_share_after_fork"],
            )
            cache[key] = consts
        rows.append(cache[key])
    names = list(rows[0]) if rows else []
    return {name: np.array([r[name] for r in rows], dtype=float) for name in names}


SCENARIO_FIELDS: Final[tuple[str, ...]] = (
    "diva.key_shares_per_validator",
    "diva.threshold",
    "diva.collateral_per_key_share_eth",
    "diva.operator_uptime",
    "diva.failure_correlation",
    "diva.operator_fee",
    "diva.treasury_fee",
    "diva.insurance_fee",
    "diva.validator_stake_eth",
    "ethereum.total_staked_eth",
    "ethereum.el_reward_per_block_eth",
    "ethereum.network_participation",
    "simulation.staker_deposit_eth_per_day",
    "simulation.growth_rate_per_year",
    "simulation.target_staker_eth",
    "simulation.withdrawal_rate_per_year",
    "simulation.initial_staker_eth",
    "simulation.initial_collateral_eth",
    "simulation.collateral_deposit_eth_per_day",
    "simulation.ethereum_stake_growth_eth_per_day",
    "simulation.activation_delay_days",
    "simulation.outage_rate_per_operator_per_year",
    "simulation.slashing_rate_per_validator_per_year",
    "simulation.proposer_luck",
    "diva.two_step_deposit",
    "ethereum.entry_queue_eth",
    "simulation.entry_queue_change_eth_per_day",
    "ethereum.exit_queue_eth",
    "simulation.exit_queue_change_eth_per_day",
    "ethereum.seconds_per_slot",
    "ethereum.withdrawal_sweep_days",
    "diva.ejection_margin",
    "simulation.deposit_cap_eth",
)
"""The numeric scenario fields the rows are built from (ints and bools are exact as float64)."""


def scenario_table(scenarios: Sequence[Scenario]) -> dict[str, FloatArray]:
    """``{field: value per scenario}`` for :data:`SCENARIO_FIELDS` (names without the section), in one pass."""
    get = attrgetter(*SCENARIO_FIELDS)
    table = np.array([get(s) for s in scenarios], dtype=float).reshape(len(scenarios), len(SCENARIO_FIELDS))
    return {name.partition(".")[2]: table[:, i] for i, name in enumerate(SCENARIO_FIELDS)}


def build_rows(scenarios: Sequence[Scenario], seeds: int, first_row: int = 0) -> RowInputs:
    """Row inputs for ``scenarios``, each repeated for ``seeds`` Monte Carlo seeds (scenario-major)."""
    n_s = len(scenarios)
    idx = np.repeat(np.arange(n_s, dtype=np.int64), seeds)
    per = scenario_table(scenarios)

    def col(name: str) -> FloatArray:
        return per[name][idx]

    out = RowValues.zeros(len(idx))
    k = col("key_shares_per_validator")
    out["validator_stake_eth"] = col("validator_stake_eth")
    out["one_over_validator_stake_eth"] = 1.0 / out["validator_stake_eth"]
    out["stake_eth_years_per_day"] = out["validator_stake_eth"] / DAYS_PER_YEAR
    out["key_shares_per_validator"] = k
    out["threshold_key_shares"] = col("threshold")
    out["collateral_per_validator_eth"] = k * col("collateral_per_key_share_eth")
    out["one_over_collateral_per_validator_eth"] = 1.0 / out["collateral_per_validator_eth"]
    split = protocol.fee_split(np.ones(len(idx)), col("operator_fee"), col("treasury_fee"), col("insurance_fee"))
    out["staker_share"] = split["stakers"]
    out["operator_share"] = split["operators"]
    out["treasury_share"] = np.asarray(split["treasury"], dtype=float) + np.asarray(split["insurance"], dtype=float)
    growth_mode = np.asarray([s.simulation.deposit_mode == "growth" for s in scenarios], dtype=bool)[idx]
    out["staker_deposit_eth_per_day"] = np.where(growth_mode, 0.0, col("staker_deposit_eth_per_day"))
    out["growth_rate_per_day"] = np.where(growth_mode, col("growth_rate_per_year") / DAYS_PER_YEAR, 0.0)
    out["one_over_target_staker_eth"] = 1.0 / col("target_staker_eth")
    cap = col("deposit_cap_eth")
    out["deposit_cap_eth"] = np.where(cap > 0, cap, np.inf)
    out["withdrawal_rate_per_day"] = col("withdrawal_rate_per_year") / DAYS_PER_YEAR
    out["initial_staker_eth"] = col("initial_staker_eth")
    out["initial_collateral_eth"] = col("initial_collateral_eth")
    out["collateral_deposit_eth_per_day"] = col("collateral_deposit_eth_per_day")
    flow = out["collateral_deposit_eth_per_day"]
    out["days_per_collateral_eth"] = np.where(
        flow > MIN_QUEUE_FLOW_ETH_PER_DAY, 1.0 / np.where(flow > MIN_QUEUE_FLOW_ETH_PER_DAY, flow, 1.0), 0.0
    )
    out["ethereum_stake_eth"] = col("total_staked_eth")
    out["ethereum_stake_growth_eth_per_day"] = col("ethereum_stake_growth_eth_per_day")
    out["activation_delay_days"] = col("activation_delay_days")
    out["two_step_deposit"] = col("two_step_deposit")
    out["entry_queue_eth"] = col("entry_queue_eth")
    out["entry_queue_change_eth_per_day"] = col("entry_queue_change_eth_per_day")
    out["exit_queue_eth"] = col("exit_queue_eth")
    out["exit_queue_change_eth_per_day"] = col("exit_queue_change_eth_per_day")
    # churn and reward constants of each scenario's rules (slot time, EIP-8061, curve, burns): divaecon.rules
    per_rules = _rules_table(scenarios)
    for name, column in per_rules.items():
        out[name] = column[idx]
    slot_time = col("seconds_per_slot")
    out["epochs_per_day"] = ethereum.epochs_per_day(slot_time)
    sweep = col("withdrawal_sweep_days") * slot_time / 12.0  # 16 withdrawals a slot (rules.SlotRules.sweep_days)
    out["exit_to_arrival_days"] = ethereum.withdrawability_delay_days(slot_time) + sweep
    out["slashed_to_arrival_days"] = ethereum.EPOCHS_PER_SLASHINGS_VECTOR / out["epochs_per_day"] + sweep
    minted = np.asarray([s.diva.operator_rewards == "minted" for s in scenarios], dtype=bool)[idx]
    out["operator_rewards_minted"] = minted
    out["ejection_level"] = 1.0 - col("ejection_margin")
    out["stake_path"] = -1.0  # the engine points rows at its table (engine.stake_paths)
    out["operator_uptime"] = col("operator_uptime")
    out["failure_correlation"] = col("failure_correlation")
    # availability once per distinct cluster (scipy is the slow part), then per row
    cluster = np.stack(
        [per[f] for f in ("key_shares_per_validator", "threshold", "operator_uptime", "failure_correlation")], axis=1
    )
    uniq, inverse = np.unique(cluster, axis=0, return_inverse=True)
    avail = np.asarray(
        dvt.availability(uniq[:, 0].astype(np.int64), uniq[:, 1].astype(np.int64), uniq[:, 2], uniq[:, 3]), dtype=float
    ).reshape(-1)
    out["availability"] = avail[inverse.reshape(-1)][idx]
    coef = reward_coefficients(col("total_staked_eth"), col("el_reward_per_block_eth"), col("network_participation"))
    for key, name in (
        ("att", "attestation_sync"),
        ("prop", "proposer"),
        ("el", "execution"),
        ("pen", "offline_penalty"),
    ):
        out[f"{name}_apr_at_zero"], out[f"{name}_apr_per_availability"] = coef[key]
    out["outage_probability_per_day"] = np.minimum(col("outage_rate_per_operator_per_year") / DAYS_PER_YEAR, 1.0)
    out["slashing_rate_per_validator_per_day"] = col("slashing_rate_per_validator_per_year") / DAYS_PER_YEAR
    out["proposer_luck"] = col("proposer_luck")
    out["burn_basis_apr"] = np.asarray(ethereum.ideal_consensus_apr(col("total_staked_eth")), dtype=float) * col(
        "network_participation"
    )
    names = [scenarios[i].name for i in idx.tolist()]
    seed_of_row = np.tile(np.arange(seeds, dtype=np.int64), n_s)
    return RowInputs(names, seed_of_row, idx, out, first_row)


def check_stake_path(scenarios: Sequence[Scenario], days: int) -> None:
    """Refuse a scenario whose Ethereum stake would fall to zero within the horizon."""
    get = attrgetter("ethereum.total_staked_eth", "simulation.ethereum_stake_growth_eth_per_day")
    start_growth = np.array([get(s) for s in scenarios], dtype=float).reshape(-1, 2)
    last_stake = start_growth[:, 0] + start_growth[:, 1] * (days - 1)
    problems = []
    for i in np.flatnonzero(last_stake <= 0).tolist():
        s = scenarios[i]
        problems.append(
            f"simulation.ethereum_stake_growth_eth_per_day = "
            f"{s.simulation.ethereum_stake_growth_eth_per_day:g}: Ethereum's stake would reach "
            f"{last_stake[i]:,.0f} ETH by day {days - 1} (scenario {s.name!r}); must stay positive"
        )
    if problems:
        raise ParameterError(problems)
