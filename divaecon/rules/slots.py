"""Slot time: the reward, leak and churn constants a slot time implies (EIP-8198, PR #12217)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from divaecon import ethereum
from divaecon.errors import ParameterError
from divaecon.units import GWEI_PER_ETH, SECONDS_PER_DAY, SECONDS_PER_YEAR, SLOTS_PER_EPOCH

# --- EIP-8198, "Parameters" (8 s slots) ---------------------------------------------------------
REFERENCE_SLOT_DURATION_MS: Final[int] = 12_000  # configs/mainnet.yaml SLOT_DURATION_MS
QUICK_SLOT_DURATION_MS: Final[int] = 8_000
BASE_REWARD_FACTOR_8S: Final[int] = 42
INACTIVITY_PENALTY_QUOTIENT_8S: Final[int] = 37_748_736
CHURN_LIMIT_QUOTIENT_8S: Final[int] = 98_304
MIN_PER_EPOCH_CHURN_LIMIT_8S: Final[int] = 85_333_333_333  # gwei
MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT_8S: Final[int] = 170_666_666_666  # gwei


# ================================================================================================
# Slot time
# ================================================================================================
@dataclass(frozen=True, slots=True)
class SlotRules:
    """The constants a slot time implies (what :func:`slot_rules` returns).

    Integer ratios are kept as numerator/denominator so that the spec's deferred division can be
    reproduced: ``base reward = EBI · BRF · num // den // isqrt(D)``.
    """

    slot_ms: int
    """Slot duration [ms]."""
    base_reward_factor: int
    """Base reward factor before the ratio: 64 (today and PR #12217), 42 (EIP-8198 at 8 s)."""
    reward_num: int
    """Numerator of the base reward's slot ratio (``slot_ms`` under PR #12217, else 1)."""
    reward_den: int
    """Its denominator (12,000 under PR #12217, else 1)."""
    inactivity_quotient: int
    """``INACTIVITY_PENALTY_QUOTIENT_BELLATRIX`` in force (2^24 today, 37,748,736 at 8 s)."""
    inactivity_num: int
    """Numerator of the leak's r^2 (PR #12217: (slot_ms/g)^2, else 1)."""
    inactivity_den: int
    """Its denominator (PR #12217: (12,000/g)^2, else 1), g = gcd(slot_ms, 12,000)."""
    churn_quotient: float
    """``CHURN_LIMIT_QUOTIENT`` in force (65,536 today, 98,304 at 8 s; 65,536 / r under PR #12217)."""
    churn_min_eth: float
    """``MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA`` in force [ETH/epoch]."""
    churn_cap_eth: float
    """``MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT`` in force [ETH/epoch]."""
    rule: str
    """``"today"``, ``"eip8198"`` or ``"pr12217"``."""

    @property
    def ratio(self) -> float:
        """r = slot_ms / 12,000."""
        return self.slot_ms / REFERENCE_SLOT_DURATION_MS

    @property
    def epochs_per_year(self) -> float:
        """Epochs in a Julian year at this slot time (82,181.25 at 12 s)."""
        return SECONDS_PER_YEAR * 1000.0 / (SLOTS_PER_EPOCH * self.slot_ms)

    def sweep_days(self, withdrawal_sweep_days_at_12s: float) -> float:
        """The withdrawal sweep's wait at this slot time: the 12 s figure × r (16 withdrawals a
        payload, consensus-specs capella ``MAX_WITHDRAWALS_PER_PAYLOAD``, one payload a slot) [days]."""
        return withdrawal_sweep_days_at_12s * self.ratio

    @property
    def epochs_per_day(self) -> float:
        """Epochs in a day (225 at 12 s, 337.5 at 8 s, 270 at 10 s)."""
        return SECONDS_PER_DAY * 1000.0 / (SLOTS_PER_EPOCH * self.slot_ms)


def slot_rules(seconds_per_slot: float) -> SlotRules:
    """The reward, leak and churn constants at a slot time.

    - 12 s: today's constants exactly (consensus-specs ``configs/mainnet.yaml``, ``specs/altair``,
      ``specs/bellatrix``, ``specs/electra``);
    - 8 s: EIP-8198's table (``EIPS/eip-8198.md``, "Parameters"): ``BASE_REWARD_FACTOR`` 42,
      ``INACTIVITY_PENALTY_QUOTIENT_BELLATRIX`` 37,748,736, ``CHURN_LIMIT_QUOTIENT`` 98,304,
      ``MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA`` 85,333,333,333 gwei,
      ``MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT`` 170,666,666,666 gwei;
    - any other: EIPs PR #12217 (2026-08-20, EIP-8198 retargeted to 10 s) and its reference spec
      (consensus-specs PR #5592, ``specs/_features/eip8198``): ``r = slot_ms / 12,000``, base
      reward × r, inactivity penalty × r², churn × r, with the division deferred so no constant is
      re-rounded (``BRF · slot_ms // 12,000`` inside the base reward).

    Slot times are whole milliseconds (PR #5592 asks for whole seconds; fractions are accepted).
    """
    slot_ms = round(float(seconds_per_slot) * 1000)
    if not 2_000 <= slot_ms <= 24_000:
        raise ParameterError([f"ethereum.seconds_per_slot = {seconds_per_slot!r}: must be between 2 and 24 seconds"])
    if slot_ms == REFERENCE_SLOT_DURATION_MS:
        return SlotRules(
            slot_ms, ethereum.BASE_REWARD_FACTOR, 1, 1, ethereum.INACTIVITY_PENALTY_QUOTIENT_BELLATRIX, 1, 1,
            float(ethereum.CHURN_LIMIT_QUOTIENT), ethereum.MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA / GWEI_PER_ETH,
            ethereum.MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT / GWEI_PER_ETH, "today",
        )  # fmt: skip
    if slot_ms == QUICK_SLOT_DURATION_MS:
        return SlotRules(
            slot_ms, BASE_REWARD_FACTOR_8S, 1, 1, INACTIVITY_PENALTY_QUOTIENT_8S, 1, 1,
            float(CHURN_LIMIT_QUOTIENT_8S), MIN_PER_EPOCH_CHURN_LIMIT_8S / GWEI_PER_ETH,
            MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT_8S / GWEI_PER_ETH, "eip8198",
        )  # fmt: skip
    g = math.gcd(slot_ms, REFERENCE_SLOT_DURATION_MS)
    num, den = slot_ms // g, REFERENCE_SLOT_DURATION_MS // g
    r = slot_ms / REFERENCE_SLOT_DURATION_MS
    return SlotRules(
        slot_ms, ethereum.BASE_REWARD_FACTOR, slot_ms, REFERENCE_SLOT_DURATION_MS,
        ethereum.INACTIVITY_PENALTY_QUOTIENT_BELLATRIX, num * num, den * den,
        ethereum.CHURN_LIMIT_QUOTIENT / r,
        math.floor(ethereum.MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA * slot_ms / REFERENCE_SLOT_DURATION_MS) / GWEI_PER_ETH,
        math.floor(ethereum.MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT * slot_ms / REFERENCE_SLOT_DURATION_MS)
        / GWEI_PER_ETH,
        "pr12217",
    )  # fmt: skip
