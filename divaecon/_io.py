"""Writing files so that a reader never sees half of one: temporary file, then rename.

The one atomic-write helper of the package (CLI outputs, simulation tables, reports).
Temporary files are named ``.<name>.<pid>-<thread>.tmp<suffix>`` beside the target, so a run
that was killed leaves only names :func:`remove_stale_temporaries` recognises.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

TMP_MARK = ".tmp"


def temporary_name(path: Path, suffix: str = "") -> Path:
    """The temporary file :func:`write_atomic` uses for ``path`` in this process and thread."""
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}{TMP_MARK}{suffix}")


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to a temporary file beside ``path``, then rename it in place.

    Creates missing parent folders. On any error, or an interrupt, the temporary file is removed
    and ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(target)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> int:
    """Remove temporaries an interrupted run left under ``folder``; returns how many."""
    removed = 0
    for tmp in Path(folder).rglob(f".*{TMP_MARK}*"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed
