"""Executed notebooks and the comparison as print-ready HTML and PDF.

Route: nbconvert HTML without input cells → headless Chromium ``--print-to-pdf`` (found as
``$DIVAECON_CHROMIUM`` or ``chromium`` on PATH), MathJax served from the local
``jupyter-server-mathjax`` package (no CDN); weasyprint (extra ``pdf-fallback``) when there is
no browser (it runs no JavaScript, so equations stay TeX). A PDF is written to a temporary file
and renamed into place, so an interrupted export never leaves half a file.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from divaecon._io import temporary_name
from divaecon.errors import DivaeconError

CHROMIUM_ENV = "DIVAECON_CHROMIUM"
"""Environment variable naming the Chromium/Chrome to print with."""

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

_QUIET_LOG = logging.getLogger("divaecon.reports.nbconvert")
_QUIET_LOG.setLevel(logging.ERROR)


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome: ``$DIVAECON_CHROMIUM`` if set, else the first on PATH."""
    env = os.environ.get(CHROMIUM_ENV)
    if env:
        found = shutil.which(env) or (env if os.access(env, os.X_OK) and Path(env).is_file() else None)
        if not found:
            raise DivaeconError(f"{CHROMIUM_ENV}={env!r}: not an executable file; unset it or point it at chromium")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _have_weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # ImportError, or OSError when pango is missing
        return False
    return True


def pdf_engine() -> str:
    """``"chromium"``, else ``"weasyprint"``; a clear error when neither is there."""
    if find_chromium():
        return "chromium"
    if _have_weasyprint():
        return "weasyprint"
    raise DivaeconError(
        "no PDF engine: install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`, or run "
        f"`make report`), or set {CHROMIUM_ENV}=/path/to/chrome, or `pip install 'divaecon[pdf-fallback]'` "
        "for weasyprint; or ask for --format html"
    )


def mathjax_url() -> str:
    """``file://`` URL of the MathJax shipped by ``jupyter-server-mathjax`` (no CDN)."""
    import jupyter_server_mathjax

    path = Path(jupyter_server_mathjax.__file__).resolve().parent / "static" / "MathJax.js"
    return path.as_uri() + "?config=TeX-AMS-MML_HTMLorMML-full,Safe"


PRINT_CSS = """
@page { size: A4; margin: 13mm 12mm 14mm 12mm; }
@media print {
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .jp-OutputArea-output img, img { max-width: 100% !important; height: auto; }
  .jp-OutputArea-child, figure, .figure, tr { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
}
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.jp-Notebook { padding: 0 !important; }
.jp-RenderedHTMLCommon table, .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { font-size: 8.5pt; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 2px 6px; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon, .jp-RenderedHTML { overflow: visible !important; }
table.divaecon-table { margin: 4px 0 10px 0; width: 100%; table-layout: auto; font-size: 8pt !important; }
table.divaecon-table th, table.divaecon-table td { font-size: 8pt !important; padding: 2px 4px !important; }
table.divaecon-table tbody td:first-child, table.divaecon-table tbody th,
table.divaecon-table thead th:first-child { text-align: left !important; white-space: nowrap; font-weight: normal; }
table.divaecon-table thead th { vertical-align: bottom; }
"""


def notebook_to_html(notebook: Path | Any, title: str | None = None) -> str:
    """Executed notebook → standalone HTML without input cells, for print."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4) if isinstance(notebook, str | Path) else notebook
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        mathjax_url=mathjax_url(),
    )
    exporter.log = _QUIET_LOG  # "Alternative text is missing on N image(s)" is not for the user
    resources = {"metadata": {"name": title or (Path(notebook).stem if isinstance(notebook, str | Path) else "report")}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    # require.js from a CDN is not needed for static output and is unreachable offline
    body = re.sub(r'<script[^>]+src="https?://[^"]*require[^"]*"[^>]*>\s*</script>', "", body)
    return body.replace("</head>", f"<style>{PRINT_CSS}</style>\n</head>", 1)


def html_to_pdf(html_text: str, pdf_path: Path, engine: str | None = None, timeout_s: float = 180.0) -> str:
    """Print ``html_text`` to ``pdf_path`` atomically; returns the engine used."""
    engine = engine or pdf_engine()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_pdf = temporary_name(pdf_path, ".pdf")
    with tempfile.TemporaryDirectory(prefix="divaecon-pdf-") as work:
        src = Path(work) / "report.html"
        src.write_text(html_text, encoding="utf-8")
        try:
            if engine == "chromium":
                _chromium_print(src, tmp_pdf, Path(work) / "profile", timeout_s)
            elif engine == "weasyprint":
                import weasyprint

                weasyprint.HTML(filename=str(src)).write_pdf(str(tmp_pdf))
            else:
                raise DivaeconError(f"unknown PDF engine {engine!r}")
            with open(tmp_pdf, "rb") as fh:
                if fh.read(5) != b"%PDF-":
                    raise RuntimeError(f"{engine} wrote no PDF")
            os.replace(tmp_pdf, pdf_path)
        finally:
            tmp_pdf.unlink(missing_ok=True)
    return engine


def _chromium_print(src: Path, out: Path, profile: Path, timeout_s: float) -> None:
    chromium = find_chromium()
    if chromium is None:
        raise DivaeconError("Chromium not found")
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--no-pdf-header-footer",
        "--virtual-time-budget=5000", f"--print-to-pdf={out}", src.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
    if proc.returncode != 0 or not out.exists():
        tail = [ln for ln in proc.stderr.splitlines() if "dbus" not in ln][-5:]
        raise RuntimeError(f"chromium exited with {proc.returncode}: " + " | ".join(tail))
