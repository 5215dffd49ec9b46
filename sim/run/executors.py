"""Where replications run: serially, on local processes, or on a Dask cluster.

Every replication is a pure function of (scenario, plan, replication number, handler build),
so all executors give the same numbers; they differ only in where and in what order the work is
done. Results are yielded as they finish.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from itertools import islice

from ..config.spec import Scenario
from ..plan import Plan
from .replication import ReplicationResult, run_replication

log = logging.getLogger(__name__)

EXECUTORS = ("serial", "processes", "dask")


def workers_for(requested: int) -> int:
    """``requested`` workers, or every core when 0."""
    return requested if requested > 0 else (os.cpu_count() or 1)


def run(
    sc: Scenario,
    plan: Plan,
    backend: str,
    reps: Sequence[int],
    executor: str,
    workers: int = 0,
    address: str | None = None,
) -> Iterator[ReplicationResult]:
    """Run replications ``reps``; yield each result when it finishes."""
    reps = list(reps)
    if not reps:
        return
    if executor == "serial" or (
        executor == "processes" and min(workers_for(workers), len(reps)) <= 1
    ):
        for rep in reps:
            yield run_replication(sc, plan, rep, backend)
    elif executor == "processes":
        n = min(workers_for(workers), len(reps))
        # A bounded window of work in flight: finished results are handed on and dropped, so
        # memory stays flat however many replications there are.
        todo = iter(reps)
        with ProcessPoolExecutor(max_workers=n) as pool:
            pending = {
                pool.submit(run_replication, sc, plan, rep, backend) for rep in islice(todo, 2 * n)
            }
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
                pending |= {
                    pool.submit(run_replication, sc, plan, rep, backend)
                    for rep in islice(todo, len(done))
                }
    elif executor == "dask":
        yield from _dask(sc, plan, backend, reps, workers, address)
    else:
        raise ValueError(f"executor={executor!r}: expected one of {', '.join(EXECUTORS)}")


def _dask(
    sc: Scenario, plan: Plan, backend: str, reps: list[int], workers: int, address: str | None
) -> Iterator[ReplicationResult]:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if address:
        client = Client(address)
    else:
        cluster = LocalCluster(
            n_workers=min(workers_for(workers), len(reps)),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        log.info("dask: %s", client)
        sc_f, plan_f = client.scatter(sc, broadcast=True), client.scatter(plan, broadcast=True)
        futures = [
            client.submit(run_replication, sc_f, plan_f, rep, backend, pure=False) for rep in reps
        ]
        for fut in dask_completed(futures):
            yield fut.result()
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
