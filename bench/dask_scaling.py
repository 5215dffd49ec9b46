"""Dask scale-out: the same run of the default scenario on a local Dask cluster of one worker,
then of two, each reached by its scheduler's address as a user's own cluster would be.

    python bench/dask_scaling.py [--replications 1000] [--rounds 1] [--workers 1,2]
                                 [--sweep KEY=V1,V2,...]

Each run is ``sim.api.run`` with ``experiment.executor=dask experiment.address=<scheduler>``
(what ``ripple run experiment.executor=dask experiment.address=...`` does) into a fresh
temporary folder, so nothing is resumed. Workers are processes of one thread each. Prints, per
run, the wall seconds of the whole call and the seconds until its last replication arrived
(the rest is writing the run folder), the speed-up of each cluster against the first, and
whether every run gave the same KPI table, bit for bit. With ``--rounds`` > 1 the clusters take
turns round by round and the medians are compared. With ``--sweep`` each run is instead the
sweep ``ripple sweep KEY=V1,V2,... experiment.executor=dask experiment.address=...`` does
(``sim.api.sweep``: a job per value, ``--replications`` each, one after another on the same
cluster), and its gathered table is compared.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import psutil


def _same_bits(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """The same columns, dtypes and values, bit for bit (NaN where NaN, -0.0 as -0.0)."""
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for c in a.columns:
        x, y = a[c].to_numpy(), b[c].to_numpy()
        if x.dtype != y.dtype:
            return False
        if x.dtype.kind in "biufc":
            if np.ascontiguousarray(x).tobytes() != np.ascontiguousarray(y).tobytes():
                return False
        elif not a[c].equals(b[c]):
            return False
    return True


def _cpu_self() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _cpu(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
        except psutil.Error:  # gone
            continue
        total += t.user + t.system
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=1, help="runs per cluster size (median)")
    ap.add_argument("--workers", default="1,2", help="cluster sizes, the first the reference")
    ap.add_argument("--scenario", default="", help="e.g. la_lb_strike (default: the default)")
    ap.add_argument("--sweep", default="", help="KEY=V1,V2,...: time a sweep instead of a run")
    a = ap.parse_args()
    from dask.distributed import LocalCluster

    from sim import api
    from sim.api.progress import Progress

    class Clock(Progress):
        last = 0.0

        def advance(self, n: int = 1) -> None:
            self.last = time.perf_counter()

    sizes = [int(s) for s in a.workers.split(",") if s]
    scenario = [f"scenario={a.scenario}"] if a.scenario else []
    base = [*scenario, f"experiment.replications={a.replications}", "experiment.executor=dask"]
    walls: dict[int, list[float]] = {n: [] for n in sizes}
    reps: dict[int, list[float]] = {n: [] for n in sizes}
    tables: list[tuple[str, pd.DataFrame]] = []
    # Warm-up: this process imports what a run needs (the workers' imports are in the timing).
    with tempfile.TemporaryDirectory(prefix="ripple-dask-") as out:
        api.run(
            [*scenario, "experiment.replications=2", "experiment.executor=serial", f"out_dir={out}"]
        )
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load0 = os.getloadavg()[0]
    for rnd in range(a.rounds):
        for n in sizes:
            with (
                LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                ) as cluster,
                tempfile.TemporaryDirectory(prefix="ripple-dask-") as out,
            ):
                overrides = [*base, f"experiment.address={cluster.scheduler_address}"]
                shown = [*overrides, a.sweep] if a.sweep else overrides
                clock = Clock()
                kids = psutil.Process().children(recursive=True)
                cpu0, wcpu0 = _cpu_self(), _cpu(kids)
                t0 = time.perf_counter()
                if a.sweep:
                    sw = api.sweep([*overrides, a.sweep, f"hydra.sweep.dir={out}/sweep"])
                    clock.last = time.perf_counter()
                    kpis = sw.table.sort_values(["job", "replication"], kind="stable")
                else:
                    r = api.run([*overrides, f"out_dir={out}"], progress=clock)
                    kpis = r.kpis.sort_values("replication", kind="stable")
                wall = time.perf_counter() - t0
                cpu, wcpu = _cpu_self() - cpu0, _cpu(kids) - wcpu0
                kpis = kpis.reset_index(drop=True)
            walls[n].append(wall)
            reps[n].append(clock.last - t0)
            tables.append((f"round {rnd + 1}, {n} worker(s)", kpis))
            sys.stdout.write(
                f"round {rnd + 1}: {n} worker(s) x 1 thread: {wall:7.1f} s wall, last "
                f"replication at {clock.last - t0:7.1f} s, {len(kpis)} replications; CPU s: "
                f"this process (client, scheduler, store) {cpu:.1f}, nannies and workers "
                f"{wcpu:.1f}; load average {os.getloadavg()[0]:.1f} "
                f"({' '.join(shown)})\n"
            )
            sys.stdout.flush()
    ref = sizes[0]
    out_lines = [
        f"{started}  {a.replications} replications"
        + (f" per job of a sweep over {a.sweep}" if a.sweep else "")
        + f" of the {a.scenario or 'default'} scenario, median of {a.rounds} run(s) per cluster, "
        f"{os.cpu_count()} cores, load average {load0:.1f} at the start",
    ]
    for n in sizes:
        w, q = statistics.median(walls[n]), statistics.median(reps[n])
        out_lines.append(
            f"{n} worker(s): {w:7.1f} s wall ({min(walls[n]):.1f}-{max(walls[n]):.1f}), "
            f"replications done at {q:7.1f} s; speed-up over {ref}: "
            f"{statistics.median(walls[ref]) / w:.2f}x wall, "
            f"{statistics.median(reps[ref]) / q:.2f}x replications"
        )
    first_name, first = tables[0]
    differ = [name for name, t in tables[1:] if not _same_bits(first, t)]
    out_lines.append(
        f"KPI tables ({len(first)} rows x {first.shape[1]} columns): "
        + (
            f"identical bit for bit in all {len(tables)} runs"
            if not differ
            else f"DIFFER from {first_name} in: {', '.join(differ)}"
        )
    )
    sys.stdout.write("\n".join(out_lines) + "\n")
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
