"""Executed notebooks as print-ready HTML, and HTML as PDF books from one Chromium session.

Route: nbconvert's HTML (lab template, no input cells) with every output made safe
(:class:`SafeOutputs`), then a few print touches (:func:`print_html`: unique heading ids, a
table of contents, the print style sheet), then :class:`Printer` — one headless Chromium,
driven through Playwright (the Python package only, with the system's Chromium as
``executable_path``), printing every PDF of a batch.

A book is printed in three calls on one loaded page: the whole document once to learn on which
page each heading lands (the PDF's outline), the contents' page numbers filled in, then the
cover alone without running header and footer and the rest with them; :mod:`pypdf` joins the
two. Page numbers count from the cover, so the numbers in the contents, in the footer and in a
PDF viewer agree.

Cells say what they are by their tags (``cover``, ``summary``, ``chapter``,
``scenario-header``); the print style sheet turns them into pages: the cover alone on the first
page, the summary and each chapter from a new page. The contents are inserted before the first
chapter and list every chapter (``h1``) and section (``h2``) after it.

What a page may do while it prints: nothing beyond itself. It is served from an address that
does not exist (``http://divaecon.invalid/``) through Playwright's request routing, which answers
the report itself and the files of the local MathJax and aborts every other request; a page of
that origin cannot read ``file://`` URLs. Outputs of the notebooks (which show strings a user
typed) keep only plain HTML (:mod:`nh3`); scripts, frames and JavaScript outputs are dropped.
Every PDF is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import copy
import html
import io
import logging
import os
import re
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from divaecon._io import write_atomic
from divaecon.errors import DivaeconError
from divaecon.palette import CSS_COLOURS

CHROMIUM_ENV = "DIVAECON_CHROMIUM"
"""Environment variable naming the Chromium/Chrome to print with."""

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

ORIGIN = "http://divaecon.invalid"
"""Where a report appears to come from while it prints (``.invalid`` never resolves)."""

REPORT_URL = f"{ORIGIN}/report.html"
MATHJAX_PREFIX = f"{ORIGIN}/mathjax/"
MATHJAX_CONFIG = "?config=TeX-AMS-MML_HTMLorMML-full,Safe"

PAPERS: dict[str, dict[str, str]] = {
    "a4": {"format": "A4", "width": "210mm", "height": "297mm"},
    "letter": {"format": "Letter", "width": "8.5in", "height": "11in"},
}
"""Paper sizes a report can be printed on (``--paper``)."""

MARGINS = {"top": "17mm", "bottom": "15mm", "left": "15mm", "right": "15mm"}
"""Page margins; the running header and the page number sit inside the top and bottom ones."""

_EXPORTERS = threading.local()
_QUIET_LOG = logging.getLogger("divaecon.reports.nbconvert")
_QUIET_LOG.setLevel(logging.ERROR)


# --- which browser -----------------------------------------------------------------------------


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


def _have_playwright() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return True


def pdf_engine() -> str:
    """``"chromium"`` when a Chromium and the Playwright package are there; a clear error otherwise."""
    if find_chromium() and _have_playwright():
        return "chromium"
    raise DivaeconError(
        "no PDF engine: install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`, or run "
        f"`make report`), or set {CHROMIUM_ENV}=/path/to/chrome; the Python package playwright must be "
        "installed too (it is a dependency of divaecon); or ask for --format html"
    )


def mathjax_root() -> Path:
    """The folder of the MathJax shipped by ``jupyter-server-mathjax`` (no CDN)."""
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).resolve().parent / "static"


def mathjax_url() -> str:
    """``file://`` URL of the local MathJax, for HTML reports opened from disk."""
    return (mathjax_root() / "MathJax.js").as_uri() + MATHJAX_CONFIG


# --- outputs made safe -------------------------------------------------------------------------


SAFE_MIME_TYPES = ("text/html", "text/markdown", "text/plain", "image/svg+xml", "image/png", "image/jpeg")
"""Output types a report shows; any other (JavaScript, widgets, LaTeX, ...) is dropped."""

SAFE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "del",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
"""HTML elements an output keeps (:mod:`nh3`); no scripts, frames, images, forms or styles."""

SAFE_ATTRIBUTES = {"*": {"class", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "a": {"href"}}


def clean_html(fragment: str) -> str:
    """An HTML fragment with only :data:`SAFE_TAGS` and :data:`SAFE_ATTRIBUTES` (nh3)."""
    import nh3

    return nh3.clean(
        fragment,
        tags=set(SAFE_TAGS),
        attributes={k: set(v) for k, v in SAFE_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    )


def _safe_outputs_preprocessor() -> Any:
    from nbconvert.filters.markdown import markdown2html
    from nbconvert.preprocessors import Preprocessor

    class SafeOutputs(Preprocessor):
        """Outputs as plain, inert HTML: Markdown rendered and cleaned, HTML cleaned, anything
        that could run or load (JavaScript, widgets, raw LaTeX) dropped."""

        def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
            if cell.cell_type == "raw":
                cell.source = ""
            if cell.cell_type != "code":
                return cell, resources
            for out in cell.get("outputs", []):
                data = out.get("data")
                if not data:
                    continue
                for key in [k for k in data if k not in SAFE_MIME_TYPES]:
                    del data[key]
                if "text/markdown" in data:
                    data["text/html"] = clean_html(markdown2html(data.pop("text/markdown")))
                elif "text/html" in data:
                    data["text/html"] = clean_html(data["text/html"])
            return cell, resources

    return SafeOutputs()


# --- notebook → print HTML -----------------------------------------------------------------------

PRINT_CSS = Template("""
/* The whole style of a printed report: the template's JupyterLab style sheets (~250 kB) are
   dropped, which halves Chromium's time per PDF. */
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 9.6pt; }
ul, ol { margin: 0 0 5pt 0; padding-left: 16pt; }
li { margin: 1pt 0; }
code, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.3pt; }
:not(pre) > code { background: #f2f2f2; padding: 0 2pt; border-radius: 2pt; }
pre { margin: 0 0 5pt 0; }
blockquote { margin: 0 0 5pt 0; padding-left: 8pt; border-left: 2pt solid #ddd; color: #444; }
hr { border: none; border-top: 0.6pt solid #ccc; }
.jp-RenderedText pre { background: transparent; }
[data-mime-type="application/vnd.jupyter.stderr"] pre { color: #8a1c12; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222; margin: 0;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; background: white; }
.jp-Notebook, .jp-Cell, .jp-Cell-inputWrapper, .jp-Cell-outputWrapper, .jp-OutputArea-child,
.jp-InputArea, .jp-OutputArea { padding: 0 !important; margin: 0 !important; }
.jp-Cell-inputCollapser, .jp-Cell-outputCollapser, .jp-InputPrompt, .jp-OutputPrompt { display: none !important; }
.jp-RenderedHTMLCommon { font-size: 9.6pt; line-height: 1.4; padding: 0 !important; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon, .jp-RenderedHTML { overflow: visible !important; }
a.anchor-link { display: none !important; }
a { color: inherit; text-decoration: none; }
h1 { font-size: 17pt !important; color: $diva_dark; margin: 0 0 6pt 0 !important;
     padding-bottom: 3pt; border-bottom: 1.2pt solid $diva_rule; }
h2 { font-size: 12.5pt !important; color: $diva_dark; margin: 12pt 0 4pt 0 !important; }
h3 { font-size: 10.5pt !important; color: $diva_dark; margin: 8pt 0 3pt 0 !important; }
p { margin: 0 0 5pt 0 !important; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
/* a heading and its text stay with the figure or table that follows */
.jp-MarkdownCell { break-after: avoid; page-break-after: avoid; }
.jp-RenderedSVG, .jp-RenderedImage, img, svg, figure { break-inside: avoid; page-break-inside: avoid; }
.jp-RenderedSVG img, .jp-RenderedImage img { display: block; width: 100%; max-width: 100%; height: auto;
     max-height: 150mm; object-fit: contain; margin: 2pt auto 8pt auto; }
/* tables: rows never split, the header row repeats on every page */
table { border-collapse: collapse; margin: 3pt 0 9pt 0 !important; width: 100%; }
thead { display: table-header-group; }
tr, th, td { break-inside: avoid; page-break-inside: avoid; }
.jp-RenderedHTMLCommon table, .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { font-size: 8.2pt !important; }
.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { padding: 2pt 5pt !important; border: none;
     border-bottom: 0.6pt solid #e2e2e2 !important; text-align: right; vertical-align: top; }
.jp-RenderedHTMLCommon thead th { background: $diva_tint; vertical-align: bottom; }
.jp-RenderedHTMLCommon tbody tr:nth-child(odd) { background: transparent !important; }
table.divaecon-table tbody td:first-child, table.divaecon-table tbody th,
table.divaecon-table thead th:first-child { text-align: left !important; font-weight: normal; }
pre { white-space: pre-wrap; word-break: break-word; font-size: 8pt; }
/* the cover */
.celltag_cover { break-after: page; page-break-after: always; padding-top: 55mm !important; }
.celltag_cover h1 { font-size: 24pt !important; border: none; color: $diva_dark; }
.celltag_cover h2 { font-size: 18pt !important; margin-top: 10pt !important; color: #222; overflow-wrap: anywhere; }
.celltag_cover p { font-size: 11pt; margin: 10pt 0 24pt 0 !important; overflow-wrap: anywhere; }
.celltag_cover table { width: auto; margin-top: 16pt !important; }
.celltag_cover td { text-align: left !important; font-size: 9pt !important; overflow-wrap: anywhere; }
.celltag_cover thead { display: none; }
/* new pages */
.celltag_summary, .celltag_chapter { break-before: page; page-break-before: always; }
.divaecon-book .celltag_scenario-header { display: none; }
.jp-RenderedHTMLCommon td.txt, .jp-RenderedHTMLCommon th.txt { text-align: left !important; }
.jp-RenderedHTMLCommon td:not(.txt) { white-space: nowrap; }
/* wide tables (chapter 08: a column per rule set): tighter cells, smaller type, the row names
   given room; never wider than the page (Chromium would shrink every page of the book to fit) */
table.divaecon-wide { table-layout: fixed; }
table.divaecon-wide th:first-child { width: 22%; }
.jp-RenderedHTMLCommon table.divaecon-wide th,
.jp-RenderedHTMLCommon table.divaecon-wide td { padding: 2pt 3pt !important; font-size: 7.6pt !important; }
table.divaecon-summary { table-layout: fixed; }
table.divaecon-summary th, table.divaecon-summary td { text-align: left !important; font-size: 9pt !important;
     padding: 5pt 6pt !important; }
table.divaecon-summary th:nth-child(1) { width: 26%; }
table.divaecon-summary th:nth-child(2) { width: 21%; }
table.divaecon-summary th:nth-child(3) { width: 53%; }
table.divaecon-summary td:nth-child(2) { white-space: nowrap; font-weight: bold; }
/* contents */
nav.toc { break-before: page; page-break-before: always; break-after: page; page-break-after: always; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { break-inside: avoid; }
nav.toc a { display: flex; align-items: baseline; }
nav.toc .toc-title { flex: 0 1 auto; }
nav.toc .toc-dots { flex: 1 1 auto; border-bottom: 0.8pt dotted #999; margin: 0 4pt; min-width: 10pt; }
nav.toc .toc-page { flex: 0 0 auto; min-width: 18pt; text-align: right; font-variant-numeric: tabular-nums; }
nav.toc li.toc-1 { font-weight: bold; margin-top: 7pt; font-size: 10.5pt; }
nav.toc li.toc-2 { margin-left: 14pt; margin-top: 2pt; }
""").substitute(CSS_COLOURS)


@dataclass
class PrintDocument:
    """A report ready to print: its HTML, running header and the headings its contents list."""

    html: str
    title: str
    header: str
    toc: list[tuple[str, int, str]] = field(default_factory=list)
    """``(id, level, text)`` of each contents entry, in order."""
    has_cover: bool = False


def notebook_to_html(notebook: Any, title: str = "report") -> str:
    """Executed notebook → standalone HTML without input cells, outputs made safe.

    ``notebook`` is a path or a NotebookNode. MathJax is referenced at :data:`MATHJAX_PREFIX`
    (what :class:`Printer` serves); :func:`for_disk` makes a copy to open from disk.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4) if isinstance(notebook, str | Path) else notebook
    exporter = getattr(_EXPORTERS, "html", None)
    if exporter is None:  # one per thread: compiling the templates costs ~0.5 s
        exporter = HTMLExporter(
            template_name="lab",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            mathjax_url=MATHJAX_PREFIX + "MathJax.js" + MATHJAX_CONFIG,
        )
        exporter.register_preprocessor(_safe_outputs_preprocessor(), enabled=True)
        exporter.log = _QUIET_LOG  # "Alternative text is missing on N image(s)" is not for the user
        _EXPORTERS.html = exporter
    body, _ = exporter.from_notebook_node(copy.deepcopy(nb), resources={"metadata": {"name": title}})
    # require.js from a CDN is not needed for static output (and would be blocked)
    body = re.sub(r'<script[^>]+src="https?://[^"]*require[^"]*"[^>]*>\s*</script>', "", body)
    return body


def for_disk(print_html_text: str) -> str:
    """A print HTML that loads MathJax from the local package (to open the file in a browser)."""
    local = (mathjax_root()).as_uri() + "/"
    return print_html_text.replace(MATHJAX_PREFIX, local)


def print_html(notebook_html: str, title: str, header: str, contents: bool = True, book: bool = False) -> PrintDocument:
    """The print version of an exported notebook: unique heading ids, anchor marks removed,
    a table of contents before the first ``chapter`` cell, the print style sheet."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(notebook_html, "html.parser")
    for a in soup.select("a.anchor-link"):
        a.decompose()
    for el in soup.select('[class*="celltag_"]'):  # markdown cells carry their tags inside only
        cell = el if "jp-Cell" in _classes(el) else el.find_parent("div", class_="jp-Cell")
        if cell is not None and cell is not el:
            _add_class(cell, *[c for c in _classes(el) if c.startswith("celltag_")])
    seen: set[str] = set()
    headings = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    for i, h in enumerate(headings):
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", str(h.get("id") or "")).strip("-") or f"h{i}"
        hid, n = base, 1
        while hid in seen:
            n += 1
            hid = f"{base}-{n}"
        seen.add(hid)
        h["id"] = hid
    for table in soup.select("table"):
        _align_columns(table)
    toc: list[tuple[str, int, str]] = []
    first_chapter = soup.select_one("div.jp-Cell.celltag_chapter")
    if contents and first_chapter is not None:
        for h in first_chapter.find_all_next(["h1", "h2"]):
            toc.append((str(h["id"]), int(h.name[1]), " ".join(h.get_text(" ").split())))
        first_chapter.insert_before(_toc_nav(soup, toc))
    if book and soup.body is not None:
        _add_class(soup.body, "divaecon-book")
    for template_style in soup.find_all("style"):
        template_style.decompose()
    style = soup.new_tag("style")
    style.string = PRINT_CSS
    config = soup.new_tag("script", attrs={"type": "text/x-mathjax-config"})
    config.string = MATHJAX_FONTS
    head = soup.head or soup
    head.append(style)
    head.append(config)
    return PrintDocument(str(soup), title, header, toc, has_cover=soup.select_one(".celltag_cover") is not None)


_NUMERIC = re.compile(r"^(none|n/a|[–-]|[-+−]?\$?[\d.,]+(\s?(%|[A-Za-z/]+(/[a-z]+)?))?(\s*\[.*\])?)$")
"""A cell that holds a number (with its unit), or the dash of a missing one: right-aligned."""


def _classes(el: Any) -> list[str]:
    value = el.get("class") or []
    return [value] if isinstance(value, str) else list(value)


def _add_class(el: Any, *names: str) -> None:
    have = _classes(el)
    el["class"] = [*have, *[n for n in names if n not in have]]


def _align_columns(table: Any) -> None:
    """Words left, numbers right: a column whose body cells are not all numbers (with units)
    gets the class ``txt`` on every cell, its header included."""
    rows = table.select("tbody tr") or table.select("tr")
    text_columns: set[int] = set()
    for row in rows:
        for i, cell in enumerate(row.find_all(["td", "th"], recursive=False)):
            if not _NUMERIC.match(cell.get_text(" ").strip()):
                text_columns.add(i)
    for row in table.select("tr"):
        for i, cell in enumerate(row.find_all(["td", "th"], recursive=False)):
            if i in text_columns:
                _add_class(cell, "txt")


def _toc_nav(soup: Any, toc: Sequence[tuple[str, int, str]]) -> Any:
    """The contents: a link per entry, a dotted leader and a page number to fill in."""
    nav = soup.new_tag("nav", attrs={"class": "toc", "id": "contents"})
    heading = soup.new_tag("h1", attrs={"id": "contents-heading"})
    heading.string = "Contents"
    nav.append(heading)
    ol = soup.new_tag("ol")
    for hid, level, text in toc:
        li = soup.new_tag("li", attrs={"class": f"toc-{level}"})
        a = soup.new_tag("a", attrs={"href": f"#{hid}"})
        title = soup.new_tag("span", attrs={"class": "toc-title"})
        title.string = text
        page = soup.new_tag("span", attrs={"class": "toc-page", "data-for": hid})
        page.string = "00"
        a.extend([title, soup.new_tag("span", attrs={"class": "toc-dots"}), page])
        li.append(a)
        ol.append(li)
    nav.append(ol)
    return nav


MATHJAX_FONTS = """MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: ["STIX-Web"], preferredFont: "STIX-Web", webFont: "STIX-Web", imageFont: null},
  showMathMenu: false, messageStyle: "none"
});"""
"""jupyter-server-mathjax ships the STIX-Web fonts only: MathJax must not ask for its TeX fonts."""


# --- the running header and footer ---------------------------------------------------------------

_BAND = (
    "font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 7.5pt; color: #666; width: 100%; "
    "margin: 0 15mm; display: flex; justify-content: space-between;"
)


def header_template(left: str, right: str) -> str:
    """Running header: two pieces of text (escaped here: they may hold a scenario's name)."""
    return (
        f'<div style="{_BAND} border-bottom: 0.5pt solid #ccc; padding-bottom: 2pt;">'
        f"<span>{html.escape(left)}</span><span>{html.escape(right)}</span></div>"
    )


def footer_template(left: str) -> str:
    """Footer: a note on the left, "page N of M" on the right."""
    return (
        f'<div style="{_BAND}"><span>{html.escape(left)}</span>'
        "<span>page <span class=pageNumber></span> of <span class=totalPages></span></span></div>"
    )


# --- one Chromium for a batch --------------------------------------------------------------------


@dataclass
class PrintStats:
    """What a printer did: documents printed and requests it refused (for tests and logs)."""

    documents: int = 0
    blocked: list[str] = field(default_factory=list)


class Printer:
    """One headless Chromium printing every PDF of a batch, from any thread.

    Playwright's asynchronous API runs in a thread of its own; :meth:`print_pdf` hands it a
    document and waits. Each document gets a fresh browser context (no shared storage) whose
    requests are routed: the report itself and the local MathJax are answered, everything else
    is aborted and counted in :attr:`stats`. Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, paper: str = "a4", timeout_s: float = 120.0, footer_note: str = "") -> None:
        if paper not in PAPERS:
            raise DivaeconError(f"--paper {paper!r}: allowed: {', '.join(PAPERS)}")
        pdf_engine()  # a clear error when there is no Chromium or no Playwright
        chromium = find_chromium()
        assert chromium is not None
        self.paper = paper
        self.timeout_s = timeout_s
        self.footer_note = footer_note
        self.stats = PrintStats()
        self._chromium = chromium
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="divaecon-printer", daemon=True)
        self._thread.start()
        self._pw: Any = None
        self._browser: Any = None
        self._closed = False
        self._call(self._start(), timeout=60.0)

    def _call(self, coro: Any, timeout: float | None = None) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout if timeout is not None else self.timeout_s)
        except cf.TimeoutError:
            future.cancel()
            raise DivaeconError(f"Chromium did not finish printing within {timeout or self.timeout_s:.0f} s") from None

    async def _start(self) -> None:
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        self._browser = await self._pw.chromium.launch(
            executable_path=self._chromium,
            headless=True,
            chromium_sandbox=False,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
            ],
        )

    def close(self) -> None:
        """Close the browser and stop the printer's thread (idempotent)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._call(self._stop(), timeout=20.0)
        except Exception:
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10.0)

    async def _stop(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._pw is not None:
            await self._pw.stop()

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def print_pdf(self, doc: PrintDocument, pdf_path: Path) -> Path:
        """Print ``doc`` to ``pdf_path`` (atomically): cover alone, then the rest with running
        header, page numbers and the contents' page numbers filled in."""
        pdf_path = Path(pdf_path)
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        data = self._call(self._print(doc))
        if data[:5] != b"%PDF-":
            raise RuntimeError("Chromium wrote no PDF")
        write_atomic(pdf_path, data)
        self.stats.documents += 1
        return pdf_path

    async def _route(self, route: Any, doc_html: str) -> None:
        url = route.request.url
        if url == REPORT_URL:
            await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=doc_html)
            return
        if url.startswith(MATHJAX_PREFIX):
            local = _mathjax_file(url[len(MATHJAX_PREFIX) :])
            if local is not None:
                await route.fulfill(status=200, path=str(local))
                return
        self.stats.blocked.append(url[:200])
        await route.abort("blockedbyclient")

    async def _print(self, doc: PrintDocument) -> bytes:
        paper = PAPERS[self.paper]
        context = await self._browser.new_context(
            java_script_enabled=True,
            accept_downloads=False,
            service_workers="block",
            viewport={"width": 794, "height": 1123},
        )
        try:
            await context.route("**/*", lambda route: self._route(route, doc.html))
            page = await context.new_page()
            page.set_default_timeout(self.timeout_s * 1000)
            await page.goto(REPORT_URL, wait_until="load")
            await page.evaluate(_WAIT_FOR_MATHJAX)
            await page.emulate_media(media="print")
            common = {"format": paper["format"], "margin": MARGINS, "print_background": True}
            decorated = {
                **common,
                "display_header_footer": True,
                "header_template": header_template(doc.title, doc.header),
                "footer_template": footer_template(self.footer_note),
            }
            if doc.toc:
                first = await page.pdf(**decorated, outline=True, tagged=True)
                pages = _heading_pages(first, doc.toc)
                await page.evaluate(_FILL_TOC, {hid: str(n) for hid, n in pages.items()})
            if not doc.has_cover:
                return bytes(await page.pdf(**decorated, outline=True, tagged=True))
            cover = await page.pdf(**common, page_ranges="1", display_header_footer=False, tagged=True)
            try:
                body = await page.pdf(**decorated, page_ranges="2-", outline=True, tagged=True)
            except Exception as exc:  # a document of one page: there is no page 2
                if "range" not in str(exc).lower():
                    raise
                return bytes(cover)
            return _join_pdfs(bytes(cover), bytes(body))
        finally:
            await context.close()


_WAIT_FOR_MATHJAX = """
async () => {
  await document.fonts.ready;
  if (!window.MathJax || !window.MathJax.Hub) return false;
  await new Promise(resolve => window.MathJax.Hub.Queue(() => resolve(true)));
  await document.fonts.ready;
  return true;
}
"""

_FILL_TOC = """
(pages) => {
  for (const el of document.querySelectorAll('nav.toc .toc-page')) {
    const n = pages[el.dataset.for];
    if (n !== undefined) el.textContent = n;
  }
}
"""


def _mathjax_file(rel: str) -> Path | None:
    """The local MathJax file for a path below :data:`MATHJAX_PREFIX` (query dropped), or None
    when it is not a file inside the MathJax folder."""
    from urllib.parse import unquote, urlsplit

    path = unquote(urlsplit(rel).path)
    root = mathjax_root().resolve()
    candidate = (root / path).resolve()
    if root not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def _outline_pages(pdf: bytes) -> list[tuple[str, int]]:
    """``(title, page number from 1)`` of every outline entry of a PDF, in document order."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    out: list[tuple[str, int]] = []

    def walk(items: Sequence[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item)
                if page is not None and page >= 0:
                    out.append((" ".join(str(item.title).split()), page + 1))

    walk(reader.outline)
    return out


def _heading_pages(pdf: bytes, toc: Sequence[tuple[str, int, str]]) -> dict[str, int]:
    """Page of each contents entry: its heading's outline entry, matched by title in order.

    Titles are compared without their white space: where a heading wraps, Chromium's outline
    entry joins the two lines without a space ("key share" → "keyshare")."""
    outline = [("".join(title.split()), page) for title, page in _outline_pages(pdf)]
    pages: dict[str, int] = {}
    pos = 0
    for hid, _level, text in toc:
        wanted = "".join(text.split())
        for j in range(pos, len(outline)):
            if outline[j][0] == wanted:
                pages[hid] = outline[j][1]
                pos = j + 1
                break
    return pages


def _join_pdfs(*parts: bytes) -> bytes:
    """PDFs joined in order, keeping each part's outline and links (pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- single documents -----------------------------------------------------------------------------


def html_to_pdf(
    html_text: str,
    pdf_path: Path,
    title: str = "divaecon report",
    header: str = "",
    printer: Printer | None = None,
    paper: str = "a4",
) -> Path:
    """Print one HTML document (no cover, no contents) to ``pdf_path`` atomically.

    Uses ``printer`` when given, else a Chromium started for this one document.
    """
    doc = PrintDocument(html_text, title, header)
    if printer is not None:
        return printer.print_pdf(doc, pdf_path)
    with Printer(paper=paper) as own:
        return own.print_pdf(doc, pdf_path)
