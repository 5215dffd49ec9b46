"""Replications of one scenario on an executor, gathered in memory or streamed to a store.

Each replication depends only on (scenario, seed, replication number), so the numbers are the
same whichever executor ran them and in whatever order they finished. With a store, each
finished replication goes to its journal as it arrives (so an interrupted or killed run keeps
it), and the journal becomes a part at the end.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..analysis.columns import KPI_COLUMNS
from ..config.spec import Scenario
from ..plan import Plan
from . import executors
from .parts import concat
from .replication import TABLES, ReplicationResult
from .store import PartStore

log = logging.getLogger(__name__)

REPORT_SAMPLE = 100  # replications whose daily series the report draws

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExperimentResult:
    """Tidy tables of an experiment: ``kpis`` has a row per replication; with a store, the
    other tables hold the first :data:`REPORT_SAMPLE` replications (the store has them all)."""

    kpis: pd.DataFrame
    daily: pd.DataFrame
    waits: pd.DataFrame
    disruptions: pd.DataFrame
    backend: str


def _kpi_frame(rows: list[dict], seed: int) -> pd.DataFrame:
    df = pd.DataFrame(rows).sort_values("replication", kind="stable")
    df.insert(1, "seed", seed)
    return df.reindex(columns=["replication", "seed", *KPI_COLUMNS, "events"]).reset_index(
        drop=True
    )


def run_experiment(
    sc: Scenario,
    plan: Plan,
    backend: str,
    executor: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    replications: int | None = None,
    store: PartStore | None = None,
    address: str | None = None,
) -> ExperimentResult:
    """Run the replications of ``sc`` not yet in ``store`` and gather the tables."""
    ex = sc.experiment
    n = replications if replications is not None else ex.replications
    done = store.done() if store is not None else set()
    todo = [rep for rep in range(n) if rep not in done]
    if done:
        log.info("resuming: %d of %d replications already done", n - len(todo), n)
    results: list[ReplicationResult] = []
    args = (
        sc,
        plan,
        backend,
        todo,
        executor or ex.executor,
        ex.workers if workers is None else workers,
        address if address is not None else (ex.address or None),
    )
    if store is None:
        for r in executors.run(*args):
            results.append(r)
            if progress:
                progress(1)
    else:  # each result is in the store's journal before anything else happens to it
        for blob in executors.run_pickled(*args):
            store.write(pickle.loads(blob), blob)
            if progress:
                progress(1)
        store.flush()
    log.info("%d replications of %s done (%s handlers)", n, sc.name, backend)
    if store is None:
        results.sort(key=lambda r: r.replication)
        daily, waits, dis = (concat([r.tables[t] for r in results]).to_pandas() for t in TABLES)
        return ExperimentResult(
            _kpi_frame(
                [{"replication": r.replication, **r.kpis, "events": r.events} for r in results],
                sc.seed,
            ),
            daily,
            waits,
            dis,
            backend,
        )
    kp = store.kpis()
    kp = _kpi_frame(kp[kp["replication"] < n].to_dict("records"), sc.seed)
    sample = list(range(min(n, REPORT_SAMPLE)))
    return ExperimentResult(
        kp,
        store.read("daily", sample),
        store.read("waits", sample),
        store.read("disruptions", sample),
        backend,
    )
