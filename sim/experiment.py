"""Replications of one scenario, run serially or on local processes, with a progress bar.

Each replication depends only on (scenario, seed, replication number), so the numbers are the
same whichever executor ran them and in whatever order they finished.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import pandas as pd

from . import kpis as kpi_mod
from . import resilience
from .plan import Plan
from .replication import ReplicationResult, run_replication
from .spec import Scenario

log = logging.getLogger(__name__)

KPI_COLUMNS = (*kpi_mod.KPI_NAMES, *resilience.NAMES)
KPI_UNITS = {**kpi_mod.UNITS, **resilience.UNITS}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExperimentResult:
    """Tidy tables of an experiment (a row per replication in ``kpis``)."""

    kpis: pd.DataFrame
    daily: pd.DataFrame
    waits: pd.DataFrame
    disruptions: pd.DataFrame
    backend: str


def workers_for(requested: int) -> int:
    """``requested`` workers, or every core when 0."""
    return requested if requested > 0 else (os.cpu_count() or 1)


def run_experiment(sc: Scenario, plan: Plan, backend: str, executor: str | None = None,
                   workers: int | None = None, progress: Progress | None = None,
                   replications: int | None = None) -> ExperimentResult:
    """Run every replication of ``sc`` and gather the tables, ordered by replication."""
    ex = sc.experiment
    n = replications if replications is not None else ex.replications
    executor = executor or ex.executor
    n_workers = min(workers_for(workers if workers is not None else ex.workers), n)
    results: list[ReplicationResult] = []
    if executor == "serial" or n_workers <= 1:
        for rep in range(n):
            results.append(run_replication(sc, plan, rep, backend))
            if progress:
                progress(1)
    else:
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            futures = [pool.submit(run_replication, sc, plan, rep, backend) for rep in range(n)]
            for fut in as_completed(futures):
                results.append(fut.result())
                if progress:
                    progress(1)
    results.sort(key=lambda r: r.replication)
    rows = [{"replication": r.replication, "seed": sc.seed, **r.kpis, "events": r.events}
            for r in results]
    kpis = pd.DataFrame(rows, columns=["replication", "seed", *KPI_COLUMNS, "events"])
    daily = pd.concat([r.daily for r in results], ignore_index=True)
    waits = pd.concat([r.waits for r in results], ignore_index=True)
    disruptions = pd.concat([r.disruptions for r in results], ignore_index=True)
    log.info("%d replications of %s done (%s handlers)", n, sc.name, backend)
    return ExperimentResult(kpis, daily, waits, disruptions, backend)
