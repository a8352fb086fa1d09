"""Files that ship with divaecon: data points, scenario files and the report notebooks.

One place that knows where they are, so the rest of the package never builds a path from
``__file__``. The repository keeps them at its top level (``data/``, ``data/scenarios/``,
``notebooks/``); the wheel carries the same folders as the packages ``divaecon._data`` and
``divaecon._notebooks`` (``setup.py`` maps them), and :mod:`importlib.resources` finds them in
either place: an editable install (``make dev``) reads the checkout, an installed wheel reads
``site-packages``.

:func:`init_workbook` copies the notebooks and scenarios into a folder the user owns
(``divaecon init DIR``), laid out like the repository: a notebook whose ``scenario_path``
parameter is ``"../data/scenarios/base.yaml"`` reads the user's copy there, as it reads the
repository's file in a checkout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from divaecon._io import write_atomic
from divaecon.errors import DivaeconError

_DATA_PACKAGE = "divaecon._data"
_NOTEBOOK_PACKAGE = "divaecon._notebooks"

WORKBOOK_NOTEBOOKS = "notebooks"
"""Where :func:`init_workbook` puts the notebooks, relative to the target folder."""

WORKBOOK_SCENARIOS = os.path.join("data", "scenarios")
"""Where :func:`init_workbook` puts the scenario files: ``../data/scenarios`` seen from the notebooks."""


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


FUTURES = "futures"
"""The sub-folder of the scenario folder that holds the futures: scenario files under rules Ethereum
has not adopted (chapter 08). The default batch makes no book of them (it reads the scenario
folder's own ``*.yaml``); the comparison sets them side by side, and ``divaecon report --scenario
data/scenarios/futures/<file>.yaml`` makes a book of any of them."""


def future_scenario_files() -> list[Path]:
    """The shipped future scenario files (``data/scenarios/futures/*.yaml``), by name."""
    return sorted((scenario_dir() / FUTURES).glob("*.yaml"))


def notebook_dir() -> Path:
    """The folder of the report and exploration notebooks."""
    return _package_dir(_NOTEBOOK_PACKAGE)


def notebook_files() -> list[Path]:
    """The shipped notebooks (``00_explore.ipynb``, then the report notebooks), by name."""
    return sorted(notebook_dir().glob("*.ipynb"))


@dataclass(frozen=True)
class Workbook:
    """What :func:`init_workbook` wrote: the target folder and each file, relative to it."""

    folder: Path
    """The target folder, absolute."""
    notebooks: tuple[Path, ...]
    """Notebooks written, relative to :attr:`folder` (``notebooks/01_staking_apr.ipynb``, ...)."""
    scenarios: tuple[Path, ...]
    """Scenario files written, relative to :attr:`folder` (``data/scenarios/base.yaml``, ...,
    then the futures, ``data/scenarios/futures/eip8363.yaml``, ...)."""
    overwritten: tuple[Path, ...]
    """Those of the files above that existed before (only with ``force=True``)."""


def init_workbook(target: str | os.PathLike[str], *, force: bool = False) -> Workbook:
    """Copy the shipped notebooks and scenario files into ``target``, to edit and run there.

    Layout: ``target/notebooks/*.ipynb``, ``target/data/scenarios/*.yaml`` and the futures in
    ``target/data/scenarios/futures/*.yaml``, as in the repository, so
    ``scenario_path = "../data/scenarios/base.yaml"`` in a notebook's parameters cell (run from
    its folder, as Jupyter and papermill do) reads the copy. ``target`` is created
    if missing. Files already there are never overwritten unless ``force``; other files in
    ``target`` are left alone. The copies are byte for byte the shipped files.

    Raises :class:`~divaecon.errors.DivaeconError` (naming the folder or file, and what to do)
    when ``target`` is not a folder, cannot be written, or would lose files; in that case
    nothing has been written. Each file is written atomically; if writing one fails, the files
    this call added are removed again.
    """
    folder = Path(target).expanduser().absolute()
    plan = [(nb, Path(WORKBOOK_NOTEBOOKS) / nb.name) for nb in notebook_files()]
    plan += [(sc, Path(WORKBOOK_SCENARIOS) / sc.name) for sc in scenario_files()]
    plan += [(sc, Path(WORKBOOK_SCENARIOS) / FUTURES / sc.name) for sc in future_scenario_files()]
    if not plan:  # a broken installation
        raise DivaeconError("init: this installation of divaecon ships no notebooks or scenarios")

    if folder.exists() and not folder.is_dir():
        raise DivaeconError(f"init: {target}: exists and is not a folder; give a folder to create or fill")
    for parent in folder.parents:  # the first existing ancestor must be a folder we can write into
        if parent.exists():
            if not parent.is_dir():
                raise DivaeconError(f"init: {target}: {parent} is a file, not a folder")
            break
    existing = [rel for _, rel in plan if (folder / rel).exists()]
    blocked = [rel for rel in existing if not (folder / rel).is_file()]
    if blocked:
        raise DivaeconError(f"init: {folder / blocked[0]}: exists and is not a file; move it away first")
    if existing and not force:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise DivaeconError(
            f"init: {folder / existing[0]} already exists{more}; use --force to overwrite, or another folder"
        )

    try:
        for sub in {rel.parent for _, rel in plan}:
            (folder / sub).mkdir(parents=True, exist_ok=True)
        probe = folder / ".divaecon-init-probe"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise DivaeconError(f"init: {target}: cannot write there ({exc.strerror or exc})") from None

    written: list[Path] = []
    for source, rel in plan:
        try:
            write_atomic(folder / rel, source.read_bytes())
        except OSError as exc:  # rare after the probe (a full disk): take back the files this call added
            for rel_done in written:
                if rel_done not in existing:
                    (folder / rel_done).unlink(missing_ok=True)
            raise DivaeconError(f"init: {folder / rel}: cannot write ({exc.strerror or exc})") from None
        written.append(rel)
    return Workbook(
        folder=folder,
        notebooks=tuple(rel for _, rel in plan if rel.parts[0] == WORKBOOK_NOTEBOOKS),
        scenarios=tuple(rel for _, rel in plan if rel.parts[0] != WORKBOOK_NOTEBOOKS),
        overwritten=tuple(existing),
    )
