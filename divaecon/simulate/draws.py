"""Seeded random streams and the day's Monte Carlo draws.

Reproducible (QuantEcon's rule): every draw comes from a :class:`numpy.random.Generator` seeded
from one root :class:`numpy.random.SeedSequence`; never the global state. Rows are grouped in
blocks of :data:`RNG_BLOCK` by their *global* index, and block ``b`` draws from its own stream
``SeedSequence(root.entropy, spawn_key=(…, b))``, so a row's numbers do not depend on how the rows
are split into chunks (in process, over threads or over dask workers).

Three things are drawn, each day, for the rows whose scenario asks for them:

- **operator outages**: each key share's node is down for the whole day with probability
  ``outage_rate / 365.25``, drawn as a binomial over the row's key shares; the day's operator
  uptime ``uptime · (1 − fraction down)`` gives the validators' availability from
  :func:`divaecon.dvt.availability` (tabulated on :data:`AVAILABILITY_GRID` points);
- **proposer luck**: blocks proposed ~ Poisson(``V · stake · slots per day / Ethereum's stake``);
  proposer and execution rewards scale with blocks / expected blocks (consensus-specs
  ``specs/electra/beacon-chain.md``, ``compute_proposer_index``: selection ∝ effective balance);
- **slashings**: Poisson(``rate · V``) validators, each losing
  :func:`divaecon.ethereum.slashing_penalty_eth` with the day's slashings as the correlation window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import NDArray

from divaecon import dvt, ethereum
from divaecon.errors import DivaeconError
from divaecon.units import DAYS_PER_YEAR, SLOTS_PER_YEAR

FloatArray = NDArray[np.float64]

RNG_BLOCK: Final[int] = 256
"""Rows per random stream: row ``i`` (global index) draws from stream ``i // RNG_BLOCK``."""

AVAILABILITY_GRID: Final[int] = 8193
"""Points of the uptime → availability table used under Monte Carlo outages."""


def root_seed_sequence(rng: np.random.Generator | int | None) -> np.random.SeedSequence:
    """The root of all Monte Carlo streams: from an int, from a Generator (draws 4 words), or 0."""
    if rng is None:
        return np.random.SeedSequence(0)
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence([int(x) for x in rng.integers(0, 2**63, size=4)])
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return np.random.SeedSequence(int(rng))
    raise DivaeconError(f"rng = {rng!r}: must be a numpy.random.Generator, an int seed or None")


def block_generator(root: np.random.SeedSequence, block: int) -> np.random.Generator:
    """The generator of rows ``block · RNG_BLOCK … (block + 1) · RNG_BLOCK − 1`` (global index)."""
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, block)))
    )


_TABLES: dict[tuple[int, int, float], FloatArray] = {}


def availability_table(key_shares: int, threshold: int, correlation: float) -> FloatArray:
    """``dvt.availability(key_shares, threshold, u, correlation)`` on the uptime grid (cached)."""
    key = (key_shares, threshold, correlation)
    if key not in _TABLES:
        grid = np.linspace(0.0, 1.0, AVAILABILITY_GRID)
        _TABLES[key] = np.asarray(dvt.availability(key_shares, threshold, grid, correlation), dtype=float)
    return _TABLES[key]


class AvailabilityTables:
    """Uptime → availability per (key shares, threshold, correlation) group of rows.

    Read by linear interpolation: within ~1e-7 of :func:`divaecon.dvt.availability` (the scalar
    reference computes it exactly; the tests measure the difference).
    """

    def __init__(self, key_shares: FloatArray, threshold: FloatArray, correlation: FloatArray) -> None:
        self.grid = np.linspace(0.0, 1.0, AVAILABILITY_GRID)
        keys = np.stack([key_shares, threshold, correlation], axis=1)
        uniq, inv = np.unique(keys, axis=0, return_inverse=True)
        self.groups = [np.flatnonzero(inv.reshape(-1) == g) for g in range(len(uniq))]
        self.tables = [availability_table(int(u[0]), int(u[1]), float(u[2])) for u in uniq]

    def __call__(self, uptime: FloatArray) -> FloatArray:
        out = np.empty_like(uptime)
        for rows, table in zip(self.groups, self.tables, strict=True):
            out[rows] = np.interp(uptime[rows], self.grid, table)
        return out


@dataclass
class DayDraws:
    """What the steps of one day read per row: drawn, or the expected values when nothing is drawn."""

    availability: FloatArray
    """The validators' availability that day [fraction]."""
    luck: FloatArray
    """Blocks proposed / blocks expected [-] (1 without proposer luck)."""
    slashed: FloatArray
    """Validators slashed [validators]."""
    slashing_penalty_each_eth: FloatArray
    """Penalty of each slashed validator (Electra rules) [ETH]."""
    drawn: dict[str, FloatArray] = field(default_factory=dict)
    """The raw draws by name (``outage_fraction``, ``blocks``, ``slashings``), for tests and the reference."""


class MonteCarlo:
    """The day's draws for a set of rows (see the module docstring)."""

    def __init__(self, values: np.ndarray, first_row: int, root: np.random.SeedSequence) -> None:
        self.v = values
        n = len(values)
        self.n = n
        self.blocks: list[tuple[slice, np.random.Generator, tuple[bool, bool, bool]]] = []
        for b in range(first_row // RNG_BLOCK, (first_row + n - 1) // RNG_BLOCK + 1) if n else ():
            sl = slice(max(b * RNG_BLOCK - first_row, 0), min((b + 1) * RNG_BLOCK - first_row, n))
            flags = (
                bool(np.any(values["outage_probability_per_day"][sl] > 0)),
                bool(np.any(values["proposer_luck"][sl] != 0)),
                bool(np.any(values["slashing_rate_per_validator_per_day"][sl] > 0)),
            )
            if any(flags):
                self.blocks.append((sl, block_generator(root, b), flags))
        self.outages = any(f[0] for _, _, f in self.blocks)
        self.luck = any(f[1] for _, _, f in self.blocks)
        self.slashings = any(f[2] for _, _, f in self.blocks)
        self.active = bool(self.blocks)
        self.tables = (
            AvailabilityTables(
                values["key_shares_per_validator"], values["threshold_key_shares"], values["failure_correlation"]
            )
            if self.outages
            else None
        )
        self.expected = DayDraws(values["availability"].copy(), np.ones(n), np.zeros(n), np.zeros(n))

    def draw(self, day: int, active_validators: FloatArray) -> DayDraws:
        """Draw day ``day`` for every row, given its validators active at the start of the day."""
        if not self.active:
            return self.expected
        v = active_validators
        vals = self.v
        stake = vals["validator_stake_eth"]
        total = vals["ethereum_stake_growth_eth_per_day"] * float(day) + vals["ethereum_stake_eth"]
        out = DayDraws(
            self.expected.availability,
            self.expected.luck,
            self.expected.slashed,
            self.expected.slashing_penalty_each_eth,
        )
        if self.outages:
            fraction = np.zeros(self.n)
            for sl, gen, flags in self.blocks:
                if flags[0]:
                    shares = np.rint(v[sl] * vals["key_shares_per_validator"][sl]).astype(np.int64)
                    down = gen.binomial(shares, vals["outage_probability_per_day"][sl])
                    fraction[sl] = down / np.maximum(shares, 1)
            out.drawn["outage_fraction"] = fraction
            assert self.tables is not None
            out.availability = np.where(
                vals["outage_probability_per_day"] > 0,
                self.tables(vals["operator_uptime"] * (1.0 - fraction)),
                vals["availability"],
            )
        if self.luck:
            expected = v * stake * (SLOTS_PER_YEAR / DAYS_PER_YEAR) / total
            blocks = expected.copy()
            for sl, gen, flags in self.blocks:
                if flags[1]:
                    drawn = gen.poisson(expected[sl]).astype(float)
                    blocks[sl] = np.where(vals["proposer_luck"][sl] != 0, drawn, expected[sl])
            out.drawn["blocks"] = blocks
            out.luck = np.divide(blocks, expected, out=np.ones(self.n), where=expected > 0)
        if self.slashings:
            slashed = np.zeros(self.n)
            for sl, gen, flags in self.blocks:
                if flags[2]:
                    slashed[sl] = gen.poisson(vals["slashing_rate_per_validator_per_day"][sl] * v[sl])
            np.minimum(slashed, v, out=slashed)
            out.drawn["slashings"] = slashed
            out.slashed = slashed
            if slashed.any():
                out.slashing_penalty_each_eth = np.asarray(
                    ethereum.slashing_penalty_eth(stake, stake * slashed, total)["total"], dtype=float
                )
        return out


__all__ = [
    "AVAILABILITY_GRID",
    "RNG_BLOCK",
    "AvailabilityTables",
    "DayDraws",
    "MonteCarlo",
    "availability_table",
    "block_generator",
    "root_seed_sequence",
]
