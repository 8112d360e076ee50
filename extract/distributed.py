"""The Dask engine: the same extraction on a dask.distributed cluster.

Workers run :func:`planx.batch.extract_job` on each file and send its rows back; the
client writes them, so the dataset is written exactly as a local run writes it. Workers
read the input files themselves: on a real cluster, the paths must be readable on every
worker (a shared filesystem), and every worker needs the same planx and rules (checked).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

from .errors import ExtractError
from .extras import require


@contextmanager
def dask_executor(scheduler: str | None = None, workers: int = 1) -> Iterator[Executor]:
    """An executor that runs tasks on a Dask cluster.

    Args:
        scheduler: The scheduler's address (``tcp://host:8786``); None starts a local
            cluster of ``workers`` single-threaded worker processes for this run.
        workers: Worker processes of the local cluster.

    Yields:
        A :class:`concurrent.futures.Executor`; every task runs afresh (``pure=False``), so
        a forced re-run really extracts again.

    Raises:
        MissingExtraError: the dask extra (dask.distributed) is not installed.
        ExtractError: the scheduler cannot be reached.
    """
    require("dask", "the dask engine")
    from distributed import Client, LocalCluster

    if scheduler is None:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client.get_executor(pure=False)
        return
    try:
        client = Client(scheduler, timeout="30s")
    except OSError as err:
        raise ExtractError(f"cannot reach the Dask scheduler at {scheduler} ({err}); check the address "
                           "and that the scheduler is running") from None
    with client:
        yield client.get_executor(pure=False)
