"""The package's one exception type for bad input (STYLE.md §11)."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL and the characters str.splitlines() breaks on: shown escaped, so an
# error message is one line and cannot move a terminal's cursor or change its colours.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    r"""``text`` with control and line-break characters escaped (``\n``, ``\x1b``, ``\u2028``)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def shown_path(path: object, limit: int = 200) -> str:
    """A file name as an error message shows it: one line, at most ``limit`` characters."""
    text = one_line(str(path))
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return text[:half] + "..." + text[-half:]


class DivaeconError(ValueError):
    """Bad input to divaecon: the message names the field, the value and what is allowed."""


MAX_PROBLEMS_SHOWN = 20
"""Problems a :class:`ParameterError` message lists; the rest are counted (all are in ``problems``)."""


class ParameterError(DivaeconError):
    """One or more invalid parameters; ``problems`` lists one message per field."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.problems = [one_line(p) for p in problems]
        self.source = shown_path(source) if source is not None else None
        where = f"{self.source}: " if self.source else ""
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        more = len(self.problems) - len(shown)
        super().__init__(where + "; ".join(shown) + (f"; and {more:,} more problem(s)" if more > 0 else ""))
