"""Files that ship with divaecon: data points, scenario files and the report notebooks.

One place that knows where they are, so the rest of the package never builds a path from
``__file__``. The repository keeps them at its top level (``data/``, ``data/scenarios/``,
``notebooks/``); the wheel carries the same folders as the packages ``divaecon._data`` and
``divaecon._notebooks`` (``setup.py`` maps them), and :mod:`importlib.resources` finds them in
either place: an editable install (``make dev``) reads the checkout, an installed wheel reads
``site-packages``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from divaecon.errors import DivaeconError

_DATA_PACKAGE = "divaecon._data"
_NOTEBOOK_PACKAGE = "divaecon._notebooks"


def _package_dir(package: str) -> Path:
    """The folder of a shipped-files package on the file system.

    pip always unpacks wheels, so this is a real folder; an install that is not (a zip file on
    ``sys.path``) gets one clear error rather than a missing file later.
    """
    folder = files(package)
    if not isinstance(folder, Path):
        raise DivaeconError(
            f"divaecon's shipped files are not on the file system ({folder!r}); "
            "install divaecon with pip (an unpacked wheel), not as a zip file"
        )
    return folder


def data_dir() -> Path:
    """The folder of shipped data files (``staking_data_points.csv``, ``scenarios/``)."""
    return _package_dir(_DATA_PACKAGE)


def data_file(name: str) -> Path:
    """A shipped data file by name, e.g. ``data_file("staking_data_points.csv")``.

    Raises :class:`~divaecon.errors.DivaeconError` naming the file and the ones that exist.
    """
    path = data_dir() / name
    if not path.is_file():
        shipped = ", ".join(sorted(p.name for p in data_dir().glob("*.csv"))) or "(none)"
        raise DivaeconError(f"data file {name!r}: not shipped; shipped: {shipped}")
    return path


def scenario_dir() -> Path:
    """The folder of shipped scenario files."""
    return data_dir() / "scenarios"


def scenario_files() -> list[Path]:
    """The shipped scenario files, ``base.yaml`` first, then by name."""
    return sorted(scenario_dir().glob("*.yaml"), key=lambda p: (p.stem != "base", p.stem))


def notebook_dir() -> Path:
    """The folder of the report and exploration notebooks."""
    return _package_dir(_NOTEBOOK_PACKAGE)


def notebook_files() -> list[Path]:
    """The shipped notebooks (``00_explore.ipynb``, then the report notebooks), by name."""
    return sorted(notebook_dir().glob("*.ipynb"))
