"""Numbers as readers expect them (3.12 %, 1,234 ETH): the presentation edge only."""

from __future__ import annotations

import math
from typing import Any


def _bad(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def pct(x: Any, digits: int = 2) -> str:
    """A fraction as a percentage: ``0.03124 → '3.12 %'``; NaN → '–'."""
    if _bad(x):
        return "–"
    return f"{100.0 * float(x):,.{digits}f} %"


def pp(x: Any, digits: int = 2, signed: bool = True) -> str:
    """A difference of two rates in percentage points: ``0.0021 → '+0.21 pp'``; NaN → '–'."""
    if _bad(x):
        return "–"
    return f"{100.0 * float(x):{'+' if signed else ''},.{digits}f} pp"


def missing(x: Any) -> bool:
    """True for a value shown as '–': None or NaN."""
    return _bad(x)


def eth(x: Any, digits: int | None = None, unit: str = "ETH") -> str:
    """An amount of ETH with thousands separators: ``21504 → '21,504 ETH'``.

    ``digits`` defaults to 0 from 100 up, 2 from 1 up, else 4; ``unit="divETH"`` for divETH.
    """
    if _bad(x):
        return "–"
    v = float(x)
    if digits is None:
        digits = 0 if abs(v) >= 100 else (2 if abs(v) >= 1 else 4)
    return f"{v:,.{digits}f} {unit}"


def number(x: Any, digits: int = 0) -> str:
    """A plain number with thousands separators: ``1234.5 → '1,234.5'`` (``digits=1``)."""
    if _bad(x):
        return "–"
    return f"{float(x):,.{digits}f}"


def usd(x: Any) -> str:
    """Dollars, no cents: ``933.3 → '$933'``."""
    if _bad(x):
        return "–"
    v = float(x)
    return f"-${-v:,.0f}" if v < 0 else f"${v:,.0f}"


def count(x: Any) -> str:
    """A whole count with separators; inf → '∞'."""
    if _bad(x):
        return "–"
    v = float(x)
    if math.isinf(v):
        return "∞"
    return f"{v:,.0f}"


def prob(x: Any) -> str:
    """A probability near 1 with enough nines: ``0.99992 → '99.992 %'``."""
    if _bad(x):
        return "–"
    v = float(x)
    if v >= 1.0:
        return "100 %"
    nines = max(2, min(8, int(-math.log10(max(1.0 - v, 1e-12))) + 1))
    return f"{100.0 * v:.{max(nines - 2, 1)}f} %"


# --- text a reader typed (or a value) shown literally in Markdown, HTML and figures -------------

_ONE_LINE = str.maketrans({c: " " for c in "\r\n\t\v\f\x85\u2028\u2029"})


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` on one line (line breaks and tabs → spaces), shortened to ``limit`` characters
    with an ellipsis; control characters are dropped."""
    flat = "".join(c for c in str(text).translate(_ONE_LINE) if c.isprintable() or c == " ")
    if limit is not None and len(flat) > limit:
        return flat[: max(limit - 1, 0)].rstrip() + "…"
    return flat


def markdown_literal(text: str, limit: int | None = None) -> str:
    """``text`` for a Markdown cell or ``Markdown()`` output, shown exactly as typed.

    Every ASCII punctuation character becomes a numeric character reference, which Markdown
    (CommonMark, mistune) shows as that character and never reads as markup, and which HTML
    shows as text (so ``<script>`` is four characters and a word). The result is wrapped in
    ``<span class="tex2jax_ignore">``, the class MathJax 2 skips (its ``ignoreClass`` default), so
    ``$…$`` or ``\\(…\\)`` in the text is not typeset either. One line; see :func:`one_line`.
    """
    flat = one_line(text, limit)
    body = "".join(f"&#{ord(c)};" if (c.isascii() and not c.isalnum() and c != " ") else c for c in flat)
    return f'<span class="tex2jax_ignore">{body}</span>'


def mathtext_literal(text: str, limit: int | None = None) -> str:
    """``text`` for a matplotlib label that may be parsed as mathtext: every ``$`` escaped.

    Prefer ``parse_math=False`` on the Text itself (as :mod:`divaecon.plotting` does for titles
    and legends); this is for places that take a plain string only.
    """
    return one_line(text, limit).replace("$", r"\$")
