"""Files that ship with divaecon: data points, scenario files and the report notebooks.

One place that knows where they are, so the rest of the package never builds a path from
``__file__``. (First version: the files are read from the checkout's top-level ``data/`` and
``notebooks/``; the packaging work makes the same functions read them from the installed
package with :mod:`importlib.resources`.)
"""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder of shipped data files (``staking_data_points.csv``, ``scenarios/``)."""
    return _ROOT / "data"


def data_file(name: str) -> Path:
    """A shipped data file by name, e.g. ``data_file("staking_data_points.csv")``."""
    return data_dir() / name


def scenario_dir() -> Path:
    """The folder of shipped scenario files."""
    return data_dir() / "scenarios"


def scenario_files() -> list[Path]:
    """The shipped scenario files, ``base.yaml`` first, then by name."""
    return sorted(scenario_dir().glob("*.yaml"), key=lambda p: (p.stem != "base", p.stem))


def notebook_dir() -> Path:
    """The folder of the report and exploration notebooks."""
    return _ROOT / "notebooks"
