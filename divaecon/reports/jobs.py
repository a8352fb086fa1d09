"""What a batch runs and what it produced: :class:`BookJob` and :class:`BatchResult`.

A module of their own so that both :mod:`divaecon.reports.batch`, which fills them, and
:mod:`divaecon.reports.index`, which writes them out, import them from here (one way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from divaecon.reports.inputs import ScenarioInput


@dataclass
class BookJob:
    """One book (a scenario's, or the comparison) and what became of it."""

    slug: str
    """Output name: ``<out>/<slug>.pdf`` and the folder ``<out>/<slug>/``."""
    title: str
    scenarios: list[ScenarioInput]
    comparison: bool = False
    status: str = "pending"
    """pending, running, printing, ok, failed, interrupted or skipped."""
    seconds: float = 0.0
    error: str = ""
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The scenario's name (the comparison: ``comparison``)."""
        return "comparison" if self.comparison else self.scenarios[0].scenario.name

    @property
    def scenario_names(self) -> list[str]:
        return [item.scenario.name for item in self.scenarios]


@dataclass
class BatchResult:
    """What a batch produced: the books, the comparison, the index."""

    books: list[BookJob]
    comparison: BookJob | None
    out_dir: Path
    index: Path | None = None
    seconds: float = 0.0
    interrupted: bool = False
    blocked_requests: list[str] = field(default_factory=list)
    """Requests the printed pages made and the printer refused (none, for the shipped notebooks)."""

    @property
    def failed(self) -> list[BookJob]:
        return [b for b in self.books if b.status != "ok"]

    @property
    def ok(self) -> bool:
        comp_ok = self.comparison is None or self.comparison.status == "ok"
        return not self.failed and comp_ok and not self.interrupted
