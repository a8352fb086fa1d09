"""What every panel of the dashboard shares: matplotlib without pyplot, blitted, encoded to PNG
bytes (:class:`_Panel`), and the axis helpers.
"""

from __future__ import annotations

import io
import math
from typing import Any

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter
from PIL import Image

from divaecon.palette import NOTE_GREY

DPI = 100
"""Resolution of the dashboard's figures [dots per inch]."""


# ---------------------------------------------------------------------------------------------
# Figures: matplotlib without pyplot, blitted, encoded to PNG bytes
# ---------------------------------------------------------------------------------------------

_NICE = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
SOURCE_STYLE: dict[str, Any] = {"fontsize": 7, "color": NOTE_GREY}
PNG_COMPRESS_LEVEL = 1
"""zlib level of the figures' PNGs: 1 is the fastest that still compresses these mostly white
figures to about 40 KB (level 6, Pillow's default, costs more time for a few per cent)."""


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k that is ≥ ``x`` (axis-limit buckets)."""
    if not math.isfinite(x) or x <= 0:
        return 1.0
    exp = math.floor(math.log10(x))
    for m in _NICE:
        top = m * 10.0**exp
        if top >= x * (1 - 1e-12):
            return top
    return 10.0 ** (exp + 1)  # pragma: no cover - _NICE ends at 10


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as an RGB PNG, encoded by Pillow at :data:`PNG_COMPRESS_LEVEL`."""
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombytes("RGB", (width, height), canvas.buffer_rgba(), "raw", "RGBX")  # drops alpha
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()


class _Panel:
    """A figure with static artists (cached as a bitmap per layout) and moving ones."""

    figsize: tuple[float, float] = (5.6, 3.6)

    def __init__(self) -> None:
        self.fig = Figure(figsize=self.figsize, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.moving: list[Artist] = []
        self._backgrounds: dict[Any, Any] = {}
        self._layout: Any = None
        self.full_draws = 0
        self.png = b""

    def set_layout(self, layout: Any) -> None:
        """Apply a layout key (axis limits); subclasses set limits from it."""

    def render(self, layout: Any) -> bytes:
        """Draw the figure (blitting when the layout is unchanged) and return PNG bytes."""
        if layout != self._layout:
            self.set_layout(layout)
            self._layout = layout
        background = self._backgrounds.get(layout)
        if background is None:
            for artist in self.moving:
                artist.set_visible(False)
            self.canvas.draw()
            self.full_draws += 1
            background = self.canvas.copy_from_bbox(self.fig.bbox)
            if len(self._backgrounds) >= 12:
                self._backgrounds.pop(next(iter(self._backgrounds)))
            self._backgrounds[layout] = background
            for artist in self.moving:
                artist.set_visible(True)
        else:
            self.canvas.restore_region(background)
        renderer = self.canvas.get_renderer()
        for artist in sorted(self.moving, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                artist.draw(renderer)
        self.png = png_bytes(self.canvas)
        return self.png

    def invalidate(self) -> None:
        """Forget the cached backgrounds (after a static artist changed)."""
        self._backgrounds.clear()
        self._layout = None


def _pct_axis(ax: Any, axis: str = "y") -> None:
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0, decimals=None))
