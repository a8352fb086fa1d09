"""Waiting for an event, never for a time: a bounded poll that fails with what it waited for.

A test that sleeps and then looks passes or fails with the machine's speed. These helpers look
again and again until the thing the test needs has happened (a file written, a process seen, a
log line printed, a thread queued), and fail with a clear message if it has not happened by a
generous deadline — which only a broken program, never a slow machine, should reach.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 300.0
"""Generous: a 2-core CI machine with both cores busy is far slower than a quiet one."""


def wait_until(
    condition: Callable[[], T],
    what: str | Callable[[], str],
    timeout_s: float = DEFAULT_TIMEOUT_S,
    interval_s: float = 0.05,
    give_up: Callable[[], bool] | None = None,
) -> T:
    """Return ``condition()``'s first truthy value; fail naming ``what`` after ``timeout_s``.

    ``give_up`` (e.g. "the process has exited") ends the wait early with the same failure: the
    event can no longer happen. ``what`` may be a callable, evaluated only on failure (to show
    the state the test saw).
    """
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        stop = give_up() if give_up is not None else False
        if stop or time.monotonic() > deadline:
            reason = "it can no longer happen" if stop else f"not within {timeout_s:.0f} s"
            pytest.fail(f"waited for {what() if callable(what) else what}: {reason}")
        time.sleep(interval_s)
