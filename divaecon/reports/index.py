"""``index.html``: every book of a batch (and the comparison) with its status, run time and links."""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from divaecon._io import write_atomic
from divaecon.palette import CSS_COLOURS

if TYPE_CHECKING:
    from divaecon.reports.jobs import BatchResult, BookJob


INDEX_CSS = Template("""
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 10pt; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: $diva_tint; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: $ok_green; font-weight: bold; } .failed { color: $failed_red; font-weight: bold; }
.err { color: $failed_red; font-size: 9pt; font-family: monospace; }
""").substitute(CSS_COLOURS)


def _link(path: Path | None, base: Path, label: str) -> str:
    if path is None:
        return ""
    rel = os.path.relpath(path, base)
    return f'<a href="{html.escape(Path(rel).as_posix())}">{html.escape(label)}</a>'


_LINKS = (("pdf", "PDF"), ("html", "HTML"), ("ipynb", "notebook"), ("failed_ipynb", "failed notebook"), ("log", "log"))

_STATUS_TEXT = {
    "ok": "ok",
    "failed": "failed",
    "interrupted": "interrupted: not made",
    "skipped": "skipped",
    "pending": "not run",
}


def _row(book: BookJob, base: Path) -> str:
    links = [_link(book.outputs.get(k), base, label) for k, label in _LINKS]
    links += [_link(p, base, k.split(":", 1)[1]) for k, p in book.outputs.items() if k.startswith("pdf:")]
    status_class = "ok" if book.status == "ok" else "failed"
    status = f'<span class="{status_class}">{html.escape(_STATUS_TEXT.get(book.status, book.status))}</span>'
    if book.error:
        status += f'<div class="err">{html.escape(book.error)}</div>'
    what = ", ".join(html.escape(n) for n in book.scenario_names) if book.comparison else html.escape(book.name)
    title = "comparison" if book.comparison else "book"
    return (
        f"<tr><td>{title}</td><td>{what}</td><td>{status}</td><td class=num>{book.seconds:.1f} s</td>"
        f"<td>{' · '.join(filter(None, links))}</td></tr>"
    )


def write_index(result: BatchResult) -> Path:
    """Write ``index.html``: every book and the comparison with status, run time and links.

    Every name shown is HTML-escaped (scenario names are user text).
    """
    base = result.out_dir
    everything = [*result.books, *([result.comparison] if result.comparison else [])]
    rows = "".join(_row(b, base) for b in everything)
    n_ok = sum(b.status == "ok" for b in result.books)
    state = " The batch was interrupted: only the books marked ok were made." if result.interrupted else ""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>divaecon reports</title><style>{INDEX_CSS}</style></head>
<body>
<h1>divaecon reports</h1>
<p>Generated {dt.datetime.now().strftime("%Y-%m-%d %H:%M")} by <code>divaecon report</code>
({html.escape(generator())}) in {result.seconds:.1f} s: {n_ok} of {len(result.books)} scenario book(s) ok.{state}</p>
<table><tr><th>report</th><th>scenario(s)</th><th>status</th><th>run time</th><th>outputs</th></tr>
{rows}
</table>
</body></html>
"""
    path = base / "index.html"
    write_atomic(path, page)
    return path


def generator() -> str:
    """``divaecon <version>``."""
    from divaecon.tables import divaecon_version

    return f"divaecon {divaecon_version()}"
