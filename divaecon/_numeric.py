"""Helpers for "numeric" inputs (STYLE.md §5): scalar in gives scalar out, arrays broadcast."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def as_float_array(x: ArrayLike) -> np.ndarray:
    """``x`` as a float ndarray (0-d for a scalar); pandas Series keep their values."""
    return np.asarray(x, dtype=float)


def unwrap(x: np.ndarray, *like: Any) -> Any:
    """Return ``x`` as a Python float when every input was scalar, else as an array.

    A pandas Series among the inputs gives a Series back with that input's index.
    """
    import pandas as pd

    for item in like:
        if isinstance(item, pd.Series):
            return pd.Series(np.broadcast_to(x, item.shape), index=item.index, name=item.name)
    if np.ndim(x) == 0:
        return float(x)
    return x
