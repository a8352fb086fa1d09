"""The package's one exception type for bad input (STYLE.md §11)."""

from __future__ import annotations


class DivaeconError(ValueError):
    """Bad input to divaecon: the message names the field, the value and what is allowed."""


class ParameterError(DivaeconError):
    """One or more invalid parameters; ``problems`` lists one message per field."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(self.problems))
