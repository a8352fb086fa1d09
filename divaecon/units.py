"""Units and time conversions: the one place where seconds, slots, epochs and years meet.

Ethereum's timing constants are written as the consensus specs write them; the year is the
Julian year of 365.25 days (the IAU's unit of a year), so 82,181.25 epochs per year.

References
----------
consensus-specs ``configs/mainnet.yaml`` (``SECONDS_PER_SLOT``) and
``specs/phase0/beacon-chain.md`` (``SLOTS_PER_EPOCH``).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike

GWEI_PER_ETH: Final[int] = 10**9
SECONDS_PER_SLOT: Final[int] = 12  # configs/mainnet.yaml
SLOTS_PER_EPOCH: Final[int] = 2**5  # phase0 beacon-chain.md, "Time parameters"

DAYS_PER_YEAR: Final[float] = 365.25  # Julian year (IAU)
SECONDS_PER_DAY: Final[int] = 86_400
SECONDS_PER_YEAR: Final[float] = DAYS_PER_YEAR * SECONDS_PER_DAY
SLOTS_PER_YEAR: Final[float] = SECONDS_PER_YEAR / SECONDS_PER_SLOT  # 2,629,800
EPOCHS_PER_YEAR: Final[float] = SLOTS_PER_YEAR / SLOTS_PER_EPOCH  # 82,181.25
EPOCHS_PER_DAY: Final[float] = EPOCHS_PER_YEAR / DAYS_PER_YEAR  # 225
SLOTS_PER_DAY: Final[float] = SLOTS_PER_YEAR / DAYS_PER_YEAR  # 7,200


def apr_to_apy(apr: ArrayLike, periods_per_year: float = DAYS_PER_YEAR) -> Any:
    """Compound a simple annual rate ``apr`` [1/year] ``periods_per_year`` times a year.

    APR and APY are different names on purpose (STYLE.md §4): divETH rebases daily, so the
    default compounding is daily.
    """
    return (1.0 + np.asarray(apr, dtype=float)[()] / periods_per_year) ** periods_per_year - 1.0
