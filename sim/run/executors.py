"""Where replications run: serially, on local processes, or on a Dask cluster.

Every replication is a pure function of (scenario, plan, replication number, handler build),
so all executors give the same numbers; they differ only in where and in what order the work is
done. Results are yielded as they finish: as :class:`ReplicationResult` (:func:`run`) or as the
bytes the worker pickled it into (:func:`run_pickled`, what the replication store journals).

No worker outlives the process that started it, however that process ends (SIGKILL included):
a process pool's workers ask Linux for SIGKILL when their parent dies (``PR_SET_PDEATHSIG``;
elsewhere a thread watches the parent); a Dask ``LocalCluster``'s worker processes exit when
their pipe to the parent closes (``distributed``'s own guard); a scheduler given by address is
someone else's and is left alone.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

from ..config.spec import Scenario
from ..core.errors import ConfigError
from ..plan import Plan
from .replication import ReplicationResult, run_replication

log = logging.getLogger(__name__)

EXECUTORS = ("serial", "processes", "dask")
CONNECT_SECONDS = 5  # to reach a Dask scheduler given by address before giving up
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

WORKER_LOST = (
    "a worker process ended before its replication was done: it was killed (out of memory?), "
    'or a script calls sim.api outside `if __name__ == "__main__":` (workers are spawned: '
    "each imports the script that started them, which must not run again)"
)


class WorkerLost(RuntimeError):
    """A process pool's worker died under a replication."""


T = TypeVar("T")
Task = Callable[[Scenario, Plan, int, str], T]


def pickled_replication(sc: Scenario, plan: Plan, replication: int, backend: str) -> bytes:
    """:func:`run_replication`, pickled where it ran: the bytes are what the store journals."""
    return pickle.dumps(run_replication(sc, plan, replication, backend), pickle.HIGHEST_PROTOCOL)


def exit_with_parent(parent: int | None) -> None:
    """Worker initializer: end this process when the one that started it (``parent``, when
    it is the direct parent) dies, however it dies, instead of leaving it orphaned."""
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before we got here
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if parent is not None and os.getppid() != parent:
                os._exit(1)  # it died between the check and the prctl
            return
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


def _watch_parent(ppid: int) -> None:
    while os.getppid() == ppid:  # a process's children are handed to another when it dies
        time.sleep(0.5)
    os._exit(1)


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
    return _map(run_replication, sc, plan, backend, reps, executor, workers, address)


def run_pickled(
    sc: Scenario,
    plan: Plan,
    backend: str,
    reps: Sequence[int],
    executor: str,
    workers: int = 0,
    address: str | None = None,
) -> Iterator[bytes]:
    """:func:`run`, each result as the bytes its worker pickled it into."""
    return _map(pickled_replication, sc, plan, backend, reps, executor, workers, address)


def _map(
    task: Task[T],
    sc: Scenario,
    plan: Plan,
    backend: str,
    reps: Sequence[int],
    executor: str,
    workers: int,
    address: str | None,
) -> Iterator[T]:
    reps = list(reps)
    if executor not in EXECUTORS:
        raise ValueError(f"executor={executor!r}: expected one of {', '.join(EXECUTORS)}")
    if not reps:
        return
    if executor == "serial" or (
        executor == "processes" and min(workers_for(workers), len(reps)) <= 1
    ):
        for rep in reps:
            yield task(sc, plan, rep, backend)
    elif executor == "processes":
        yield from _processes(task, sc, plan, backend, reps, min(workers_for(workers), len(reps)))
    else:
        yield from _dask(task, sc, plan, backend, reps, workers, address)


def _processes(
    task: Task[T], sc: Scenario, plan: Plan, backend: str, reps: list[int], n: int
) -> Iterator[T]:
    # A bounded window of work in flight: finished results are handed on and dropped, so
    # memory stays flat however many replications there are.
    # Spawned, not forked: a worker imports what a replication needs and no more (numpy, Arrow,
    # SimPy, the model; not pandas, matplotlib or Hydra), some 100-150 MiB, where a fork
    # would start as a copy of this process.
    ctx = multiprocessing.get_context("spawn")
    # With fork and spawn the workers' parent is this process (with forkserver, the server).
    parent = os.getpid() if ctx.get_start_method() in ("fork", "spawn") else None
    pool = ProcessPoolExecutor(
        max_workers=n, mp_context=ctx, initializer=exit_with_parent, initargs=(parent,)
    )
    todo = iter(reps)
    try:
        pending = {pool.submit(task, sc, plan, rep, backend) for rep in islice(todo, 2 * n)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
            pending |= {
                pool.submit(task, sc, plan, rep, backend) for rep in islice(todo, len(done))
            }
    except BrokenProcessPool as exc:
        raise WorkerLost(WORKER_LOST) from exc
    finally:  # stopped early (an error, Ctrl-C): what has not started is not started
        pool.shutdown(wait=True, cancel_futures=True)


CHUNK_MAX = 8  # replications per Dask task, at most
CHUNKS_PER_WORKER = 16  # at least this many tasks per worker, so that the work stays balanced


def chunks(reps: list[int], workers: int) -> list[list[int]]:
    """``reps`` in consecutive runs, one Dask task each: up to :data:`CHUNK_MAX`, fewer when
    there are not :data:`CHUNKS_PER_WORKER` per worker. A task costs the scheduler and client
    a few milliseconds of this process's CPU, the same as a short replication's work on a
    worker: runs of replications keep it out of the workers' way."""
    size = max(1, min(CHUNK_MAX, len(reps) // (workers * CHUNKS_PER_WORKER)))
    return [reps[i : i + size] for i in range(0, len(reps), size)]


def _chunk(task: Task[T], sc: Scenario, plan: Plan, reps: list[int], backend: str) -> list[T]:
    """``task`` for each of ``reps`` in turn (one Dask task)."""
    return [task(sc, plan, rep, backend) for rep in reps]


def _dask(
    task: Task[T],
    sc: Scenario,
    plan: Plan,
    backend: str,
    reps: list[int],
    workers: int,
    address: str | None,
) -> Iterator[T]:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if address:
        try:
            client = Client(address, timeout=CONNECT_SECONDS)
        except Exception as exc:  # refused, timed out, a malformed address
            raise ConfigError(
                "experiment.address",
                address,
                f"the address of a running Dask scheduler ({' '.join(str(exc).split())[:200]})",
            ) from None
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
        n = max(1, len(client.scheduler_info().get("workers", {})))
        futures = [
            client.submit(_chunk, task, sc_f, plan_f, part, backend, pure=False)
            for part in chunks(reps, n)
        ]
        for fut in dask_completed(futures):
            yield from fut.result()
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
