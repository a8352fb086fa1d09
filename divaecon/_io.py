"""Files in and out: bounded reads of what users give, atomic writes of what the package makes.

Reading (:func:`read_limited`): only regular files, checked with ``os.stat`` before opening and
opened non-blocking, so ``/dev/zero``, a named pipe or a folder is refused at once instead of
filling memory or hanging; at most ``max_bytes`` are read.

Writing (:func:`write_atomic`): the one atomic-write helper of the package (CLI outputs,
simulation tables, reports). Temporary files are named ``.<name>.<pid>-<thread>.tmp<suffix>``
beside the target, so a run that was killed leaves only names :func:`remove_stale_temporaries`
recognises. :func:`check_writable` tries the same temporary file before the work that produces
the output starts, so a read-only, missing or impossible place is reported up front.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from divaecon.errors import DivaeconError, shown_path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_limited(path: str | os.PathLike[str], max_bytes: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, refusing anything else or anything larger.

    ``os.stat`` decides before the file is opened (a FIFO or device is never opened); the file
    is opened with ``O_NONBLOCK`` and checked again with ``fstat`` (it may have been swapped in
    between), and at most ``max_bytes + 1`` bytes are read (``/proc`` files report size 0).
    Raises :class:`~divaecon.errors.DivaeconError` ``"<path>: cannot read <what>: <reason>"``.
    """
    shown = shown_path(path)
    if str(path) == "":
        raise DivaeconError(f"{what} name is empty: give the path of a file")

    def refuse(reason: str) -> DivaeconError:
        return DivaeconError(f"{shown}: cannot read {what}: {reason}")

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise refuse(f"{_kind(st.st_mode)}, not a regular file")
        if st.st_size > max_bytes:
            raise refuse(f"{st.st_size:,} bytes; at most {max_bytes:,} are read")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise refuse(f"{_kind(st.st_mode)}, not a regular file")
            chunks: list[bytes] = []
            left = max_bytes + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
    except DivaeconError:
        raise
    except OSError as exc:
        raise refuse(exc.strerror or type(exc).__name__) from None
    except ValueError as exc:  # e.g. a NUL character in the name
        raise refuse(str(exc)) from None
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise refuse(f"more than {max_bytes:,} bytes")
    return data


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


def check_writable(path: str | os.PathLike[str], option: str = "output") -> Path:
    """Check, before any work, that :func:`write_atomic` will be able to write ``path``.

    Creates and removes the temporary file :func:`write_atomic` will use when the folder exists;
    when it does not, creates and removes the first missing folder (so nothing is left behind).
    A folder in the way, a read-only file or folder, a missing or impossible place, a name too
    long or with a NUL raise
    :class:`~divaecon.errors.DivaeconError` ``"<option> <path>: cannot write: <reason>"``.
    """
    shown = shown_path(path) or "''"

    def refuse(reason: str) -> DivaeconError:
        return DivaeconError(f"{option} {shown}: cannot write: {reason}")

    if str(path) == "":
        raise refuse("the file name is empty")
    target = Path(path)
    try:
        if target.is_dir():
            raise refuse("it is a folder; give a file name")
        if target.exists() and not os.access(target, os.W_OK):
            raise refuse("the file is read-only")
        parent = target.parent
        if parent.is_dir():
            tmp = temporary_name(target)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
            os.close(fd)
            os.unlink(tmp)
            return target
        if parent.exists():
            raise refuse(f"{shown_path(parent)} is not a folder")
        first_missing = parent
        while not first_missing.parent.exists() and first_missing.parent != first_missing:
            first_missing = first_missing.parent
        if not first_missing.parent.is_dir():
            raise refuse(f"{shown_path(first_missing.parent)} is not a folder")
        os.mkdir(first_missing)  # the folders write_atomic would create can be: try the first, leave none
        os.rmdir(first_missing)
    except DivaeconError:
        raise
    except OSError as exc:
        raise refuse(exc.strerror or type(exc).__name__) from None
    except ValueError as exc:
        raise refuse(str(exc)) from None
    return target


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> int:
    """Remove temporaries an interrupted run left under ``folder``; returns how many."""
    removed = 0
    for tmp in Path(folder).rglob(f".*{TMP_MARK}*"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed
