"""Reading PDFs back as a reader sees them: text per page (pdftotext), page images (pdftoppm),
fonts (pdffonts), images (pdfimages) and the outline (pypdf). Shared by the report tests."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MM_PER_INCH = 25.4


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


def page_size_pt(pdf: Path) -> tuple[float, float]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
    assert m, out
    return float(m.group(1)), float(m.group(2))


def page_text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    cmd = ["pdftotext", *(["-layout"] if layout else [])]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*cmd, str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def flat(text: str) -> str:
    """Text with every run of white space made one space (pdftotext breaks lines anywhere)."""
    return " ".join(text.split())


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """``(depth, title, page from 1)`` of every outline entry, in order (pypdf)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    out: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, " ".join(str(item.title).split()), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


@dataclass
class PageInk:
    page: int
    fill: float
    """Share of the text block's height from its top down to the lowest ink on the page."""


def page_fill(pdf: Path, workdir: Path, dpi: int = 30, margins_mm: tuple[float, float] = (17.0, 15.0)) -> list[PageInk]:
    """How far down each page's text block is inked (rendered with pdftoppm, grey levels < 200)."""
    from PIL import Image

    prefix = workdir / "ink"
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    result = []
    for png in sorted(workdir.glob("ink-*.pgm")):
        page = int(png.stem.rsplit("-", 1)[1])
        img = Image.open(png)
        w, h = img.size
        top = int(margins_mm[0] / MM_PER_INCH * dpi) + 1
        bottom = h - int(margins_mm[1] / MM_PER_INCH * dpi) - 1
        px = img.load()
        last = top
        for y in range(top, bottom):
            if any(px[x, y] < 200 for x in range(0, w, 1)):  # type: ignore[index]
                last = y
        result.append(PageInk(page, (last - top) / max(bottom - top, 1)))
        png.unlink()
    return result


def fonts(pdf: Path) -> list[dict[str, str]]:
    """Rows of ``pdffonts``: name, type and whether each font is embedded."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the flags are the 5th to 3rd last fields
        rows.append({"name": parts[0], "emb": parts[-5], "line": line})
    return rows


def images(pdf: Path) -> list[dict[str, float]]:
    """Each raster image with its resolution on the page (``pdfimages -list``)."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 14 and parts[2] == "image":
            rows.append({"page": float(parts[0]), "x_ppi": float(parts[12]), "y_ppi": float(parts[13])})
    return rows


def text_lines(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """``(text, top, bottom)`` of every text line on a page, in points from the page's top
    (``pdftotext -bbox-layout``; figure text counts: the figures are SVG with real text)."""
    import html

    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = []
    for m in re.finditer(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', out, re.S):
        words = re.findall(r"<word[^>]*>(.*?)</word>", m.group(3), re.S)
        lines.append((html.unescape(" ".join(words)), float(m.group(1)), float(m.group(2))))
    return lines
