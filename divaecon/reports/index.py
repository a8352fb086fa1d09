"""``index.html``: every output of a batch with its scenario, status, run time and links."""

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
    from divaecon.reports.batch import BatchResult


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


def write_index(result: BatchResult) -> Path:
    """Write ``index.html``: every output with its scenario, status, run time and links."""
    base = result.out_dir
    rows = []
    for j in result.jobs:
        links = " · ".join(filter(None, (
            _link(j.outputs.get(k), base, k) for k in ("pdf", "html", "ipynb", "failed_ipynb", "log"))))
        status = f'<span class="{"ok" if j.status == "ok" else "failed"}">{html.escape(j.status)}</span>'
        if j.error:
            status += f'<div class="err">{html.escape(j.error)}</div>'
        rows.append(f"<tr><td>{html.escape(j.scenario.name)}</td><td>{html.escape(j.name)}</td>"
                    f"<td>{status}</td><td class=num>{j.seconds:.1f} s</td><td>{links}</td></tr>")
    comp_links = " · ".join(filter(None, (_link(result.comparison_outputs.get(k), base, k)
                                          for k in ("pdf", "html", "log"))))
    comp_status = (f'<span class="{"ok" if result.comparison_status == "ok" else "failed"}">'
                   f"{html.escape(result.comparison_status)}</span>")
    if result.comparison_error:
        comp_status += f'<div class="err">{html.escape(result.comparison_error)}</div>'
    names = ", ".join(dict.fromkeys(html.escape(j.scenario.name) for j in result.jobs))
    n_ok = sum(j.status == "ok" for j in result.jobs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>divaecon reports</title><style>{INDEX_CSS}</style></head>
<body>
<h1>divaecon reports</h1>
<p>Generated {dt.datetime.now().strftime("%Y-%m-%d %H:%M")} by <code>divaecon report</code>
({generator()}) in {result.seconds:.1f} s: {n_ok} of {len(result.jobs)} notebook report(s) ok.</p>
<h2>Comparison of all scenarios</h2>
<table><tr><th>scenarios</th><th>status</th><th>run time</th><th>outputs</th></tr>
<tr><td>{names}</td><td>{comp_status}</td><td class=num>{result.comparison_seconds:.1f} s</td>
<td>{comp_links}</td></tr></table>
<h2>Reports per scenario</h2>
<table><tr><th>scenario</th><th>notebook</th><th>status</th><th>run time</th><th>outputs</th></tr>
{"".join(rows)}
</table>
</body></html>
"""
    path = base / "index.html"
    write_atomic(path, page)
    return path


def generator() -> str:
    try:
        from importlib.metadata import version

        return f"divaecon {version('divaecon')}"
    except Exception:
        return "divaecon"
