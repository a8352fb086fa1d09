"""Where a run's rows are computed: in this process (all cores), or in chunks on a dask cluster.

Either way every row draws from its own block's random stream and its arithmetic does not
depend on the other rows, so the results are identical (tested bit for bit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from divaecon.errors import DivaeconError
from divaecon.simulate.draws import RNG_BLOCK
from divaecon.simulate.engine import RawOutput, RunPlan, StepHook, run
from divaecon.simulate.inputs import RowInputs


def in_process(rows: RowInputs, plan: RunPlan, on_step: StepHook | None = None, progress: bool = False) -> RawOutput:
    """Every row in this process, the compiled day loop spreading rows over the machine's cores."""
    return run(rows, plan, on_step, progress)


def _run_chunk(rows: RowInputs, plan: RunPlan) -> RawOutput:
    """One chunk on a dask worker: one thread (the workers already share the machine's cores)."""
    import numba

    numba.set_num_threads(1)
    return run(rows, plan)


def client_for(client: Any) -> tuple[Any, Callable[[], None]]:
    """A dask Client for ``client`` ("local", a scheduler address or a Client) and how to close it."""
    from dask.distributed import Client, LocalCluster

    if isinstance(client, Client):
        return client, lambda: None
    if client == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        c = Client(cluster)

        def close() -> None:
            c.close()
            cluster.close()

        return c, close
    if isinstance(client, str):
        try:
            c = Client(client, timeout=10)
        except (OSError, TimeoutError, ValueError) as exc:
            raise DivaeconError(f"scheduler = {client!r}: cannot connect ({exc})") from None
        return c, c.close
    raise DivaeconError(f"client = {client!r}: must be None, 'local', a scheduler address or a Client")


def on_dask(rows: RowInputs, plan: RunPlan, client: Any, chunk_size: int, progress: bool = False) -> RawOutput:
    """Rows in chunks of ``chunk_size`` (rounded up to a multiple of RNG_BLOCK) as dask tasks."""
    chunk = -(-chunk_size // RNG_BLOCK) * RNG_BLOCK
    c, close = client_for(client)
    try:
        futures = [
            c.submit(_run_chunk, rows.take(lo, min(lo + chunk, rows.n)), plan, pure=False)
            for lo in range(0, rows.n, chunk)
        ]
        if progress:
            from dask.distributed import progress as dask_progress

            dask_progress(futures)
        parts = c.gather(futures)
    finally:
        close()
    recorded = {v: np.concatenate([p.recorded[v] for p in parts]) for v in plan.record}
    summary = {k: np.concatenate([p.summary[k] for p in parts]) for k in parts[0].summary}
    return RawOutput(recorded, summary)
