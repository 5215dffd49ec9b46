"""Throughput of a long run (issue 19): the default scenario's replications on a pool of two
worker processes against twice the single-replication rate, measured in the same run.

    python bench/throughput.py [--replications 10000] [--single 40] [--csv FILE]

1. The single-replication rate: ``--single`` replications of the default scenario (numbers 0,
   1, ...) timed one after the other in a child process after five as a warm-up, through
   ``sim.run.replication.run_replication`` (no pickling, no store); measured before the long
   run and again after it, the ideal rate being twice their mean.
2. The long run: ``sim.api.run`` of ``experiment.replications=N experiment.executor=processes
   experiment.workers=2`` into a fresh temporary ``out_dir`` (what ``ripple run`` does): its
   wall seconds; the seconds from the start of the replications to the first finished one (the
   wait for the pool: start-up and imports of the workers, plus one replication); the seconds
   of the replications (start to last finished); the rate achieved as a share of the ideal (and
   the same leaving out the start-up wait); the peak memory of the process tree (this process
   and its workers, resident set sizes summed, sampled every 0.1 s by a thread); and the CPU
   seconds of this process during the run (what it takes from the workers; also during the
   replications alone, and the sampling thread's own) and of the workers.

Prints a table and the verdict against the targets (>= 85% of the ideal rate, < 512 MiB);
``--csv`` appends the figures as a row.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

TARGET_SHARE = 0.85
TARGET_MIB = 512


def _cpu(who: int) -> float:
    ru = resource.getrusage(who)
    return ru.ru_utime + ru.ru_stime


class TreeMemory(threading.Thread):
    """Samples the summed resident memory of this process and its descendants."""

    def __init__(self, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.peak = 0  # bytes, whole tree
        self.peak_main = 0
        self.peak_workers = 0
        self.peak_at = 0.0  # perf_counter of the tree's peak
        self.cpu = 0.0  # CPU seconds of this thread (part of this process's CPU seconds)
        self._halt = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self._halt.is_set():
            try:
                main = me.memory_info().rss
                kids = 0
                for p in me.children(recursive=True):
                    try:
                        kids += p.memory_info().rss
                    except psutil.Error:  # gone meanwhile
                        pass
            except psutil.Error:
                continue
            if main + kids > self.peak:
                self.peak, self.peak_at = main + kids, time.perf_counter()
            self.peak_main = max(self.peak_main, main)
            self.peak_workers = max(self.peak_workers, kids)
            self.cpu = time.thread_time()
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()


SINGLE = """
import sys, time
from sim.api.scenario import loaded, pick_backend
from sim.run.replication import run_replication
ld, backend, n = loaded([]), pick_backend(None), int(sys.argv[1])
for rep in range(5):  # warm-up
    run_replication(ld.scenario, ld.plan, rep, backend)
t0 = time.perf_counter()
for rep in range(n):
    run_replication(ld.scenario, ld.plan, rep, backend)
print(n / (time.perf_counter() - t0))
"""


def single_rate(n: int) -> float:
    """Replications per second, one after another in a child process (after a warm-up): this
    process stays what ``ripple run`` is, its memory measured as such."""
    out = subprocess.run(
        [sys.executable, "-c", SINGLE, str(n)], check=True, capture_output=True, text=True
    )
    return float(out.stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=10000)
    ap.add_argument("--single", type=int, default=40, help="replications timed one by one")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--csv", default="", help="append the figures to this CSV file")
    a = ap.parse_args()

    from sim import api
    from sim.api.progress import Progress

    class Clock(Progress):
        started = first = last = 0.0
        cpu_started = cpu_last = 0.0  # this process's CPU seconds then
        count = 0

        def start(self, total: int, done: int = 0) -> None:
            self.started = time.perf_counter()
            self.cpu_started = _cpu(resource.RUSAGE_SELF)

        def advance(self, n: int = 1) -> None:
            self.last = time.perf_counter()
            self.cpu_last = _cpu(resource.RUSAGE_SELF)
            if not self.count:
                self.first = self.last
            self.count += n

    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load0 = os.getloadavg()[0]
    before = single_rate(a.single)

    n = a.replications
    overrides = [
        f"experiment.replications={n}",
        "experiment.executor=processes",
        f"experiment.workers={a.workers}",
    ]
    mem = TreeMemory()
    clock = Clock()
    with tempfile.TemporaryDirectory(prefix="ripple-throughput-") as out:
        mem.start()
        cpu0, kids0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = api.run([*overrides, f"out_dir={out}"], progress=clock)
        wall = time.perf_counter() - t0
        cpu_main = _cpu(resource.RUSAGE_SELF) - cpu0
        cpu_workers = _cpu(resource.RUSAGE_CHILDREN) - kids0
        mem.stop()
        folder_mib = sum(f.stat().st_size for f in Path(r.folder).rglob("*") if f.is_file()) / 2**20
    after = single_rate(a.single)

    single = statistics.fmean([before, after])
    ideal = a.workers * single
    reps_s = clock.last - clock.started
    startup = clock.first - clock.started
    steady_s = clock.last - clock.first
    rate = n / reps_s
    steady = (n - 1) / steady_s if n > 1 and steady_s > 0 else rate
    share, steady_share = rate / ideal, steady / ideal
    peak_mib = mem.peak / 2**20
    peak_when = (
        "while writing the run folder"
        if mem.peak_at > clock.last
        else f"{mem.peak_at - clock.started:.1f} s into the replications"
    )
    rows = [
        ("single-replication rate (before / after)", f"{before:.1f} / {after:.1f} rep/s"),
        (f"ideal rate ({a.workers} x mean single)", f"{ideal:.1f} rep/s"),
        ("wall, whole api.run", f"{wall:.1f} s"),
        ("  loading the config", f"{clock.started - t0:.2f} s"),
        ("  start to first finished replication", f"{startup:.2f} s"),
        ("  replications (start to last finished)", f"{reps_s:.1f} s"),
        ("  writing the run folder", f"{t0 + wall - clock.last:.1f} s"),
        ("achieved rate", f"{rate:.1f} rep/s = {share:.1%} of ideal"),
        ("  leaving out the start-up wait", f"{steady:.1f} rep/s = {steady_share:.1%} of ideal"),
        ("peak memory, process tree (RSS summed)", f"{peak_mib:.0f} MiB ({peak_when})"),
        (
            "  peak main / peak workers (summed)",
            f"{mem.peak_main / 2**20:.0f} / {mem.peak_workers / 2**20:.0f} MiB",
        ),
        (
            "CPU s, main process during the run",
            f"{cpu_main:.1f} s ({cpu_main / wall:.0%} of a core)",
        ),
        (
            "  of which during the replications",
            f"{clock.cpu_last - clock.cpu_started:.1f} s "
            f"({(clock.cpu_last - clock.cpu_started) / reps_s:.0%} of a core, "
            f"{(clock.cpu_last - clock.cpu_started) / n * 1000:.1f} ms a replication)",
        ),
        ("  of which the memory sampler", f"{mem.cpu:.1f} s"),
        ("CPU s, workers", f"{cpu_workers:.1f} s ({cpu_workers / n * 1000:.1f} ms a replication)"),
        ("run folder on disk", f"{folder_mib:.0f} MiB"),
    ]
    lines = [
        f"{when}: {n} replications of the default scenario, {a.workers} worker processes, "
        f"{r.backend} handlers, {os.cpu_count()} cores, load average {load0:.2f} at the start",
    ]
    width = max(len(k) for k, _ in rows)
    lines += [f"{k:<{width}}  {v}" for k, v in rows]
    ok_rate, ok_mem = share >= TARGET_SHARE, peak_mib < TARGET_MIB
    lines.append(
        f"verdict: rate {share:.1%} {'>=' if ok_rate else '<'} {TARGET_SHARE:.0%} "
        f"({'met' if ok_rate else 'NOT met'}); peak {peak_mib:.0f} MiB "
        f"{'<' if ok_mem else '>='} {TARGET_MIB} MiB ({'met' if ok_mem else 'NOT met'})"
    )
    sys.stdout.write("\n".join(lines) + "\n")
    if a.csv:
        fields = {
            "when": when,
            "replications": n,
            "workers": a.workers,
            "load0": round(load0, 2),
            "single_before": round(before, 2),
            "single_after": round(after, 2),
            "ideal": round(ideal, 2),
            "wall_s": round(wall, 2),
            "startup_s": round(startup, 3),
            "replications_s": round(reps_s, 2),
            "rate": round(rate, 2),
            "share": round(share, 4),
            "steady_share": round(steady_share, 4),
            "peak_mib": round(peak_mib, 1),
            "peak_main_mib": round(mem.peak_main / 2**20, 1),
            "cpu_main_s": round(cpu_main, 2),
            "cpu_main_reps_s": round(clock.cpu_last - clock.cpu_started, 2),
            "cpu_sampler_s": round(mem.cpu, 2),
            "cpu_workers_s": round(cpu_workers, 2),
        }
        path = Path(a.csv)
        new = not path.exists() or path.stat().st_size == 0
        if not new and path.read_text().splitlines()[0] != ",".join(fields):
            sys.exit(f"{path}: its columns are not this script's; give another --csv file")
        with path.open("a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(fields))
            if new:
                w.writeheader()
            w.writerow(fields)


if __name__ == "__main__":
    main()
