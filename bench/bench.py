"""Benchmark Ripple at three sizes, compiled and pure Python, beside bare SimPy.

    python bench/bench.py [--reps 5] [--sizes default,medium,large] [--csv bench/results.csv]

Sizes: ``default`` (the default scenario), ``medium`` (about 3x its nodes, 100 SKUs) and ``large``
(about 200 nodes, 1,000 SKUs), each one year after a 120-day warm-up (see sim/config/synthetic.py);
on request (not in the default ``--sizes``) ``catalogue``, the large network selling the same units
per day over 10,000 long-tail SKUs (about 18 s a compiled and 50 s a pure replication, 3 GiB).
Every measurement is one replication in a fresh subprocess (so peak memory is its own), after a
warm-up replication in that process; sizes and builds are interleaved run by run so that machine
drift hits all alike. In the same run, bare SimPy processes doing nothing but timeouts give the
reference event rate. Prints a table of medians with min-max; ``--csv`` also writes it.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import time

CHILD = r"""
import json, resource, sys, time
from sim.plan import make_plan
from sim.run.replication import simulate
size, backend = sys.argv[1], sys.argv[2]
if size == "default":
    from sim.config.compose import load
    sc, _ = load([])
else:
    from sim.config.synthetic import SIZES, network_config
    from sim.config.validate import scenario_from_mapping
    sc = scenario_from_mapping(network_config(**SIZES[size]))
plan = make_plan(sc)
simulate(sc, plan, 999, backend)
t0 = time.perf_counter()
r = simulate(sc, plan, 0, backend)
dt = time.perf_counter() - t0
orders = int((r.waits[:, 2] == 1).sum())  # Cause.PRODUCTION: one row per shipment made
days = sc.experiment.warmup_days + sc.experiment.horizon_days
print(json.dumps({"sec_per_rep": dt, "events_per_sec": r.events / dt, "events": r.events,
                  "events_per_shipment": r.events / max(orders, 1),
                  "events_per_day": r.events / days, "nodes": len(sc.network.nodes),
                  "skus": len(sc.demand.skus), "days": days,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}))
"""

BARE = r"""
import json, time, simpy
def p(env):
    while True:
        yield env.timeout(1.0)
env = simpy.Environment()
for _ in range(100):
    env.process(p(env))
t0 = time.perf_counter(); env.run(until=5000); dt = time.perf_counter() - t0
print(json.dumps({"events_per_sec": 100 * 5000 / dt}))
"""

KEYS = ("sec_per_rep", "events_per_sec", "peak_mib")


def _child(code: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="runs per size and build (median)")
    ap.add_argument("--sizes", default="default,medium,large")
    ap.add_argument("--builds", default="compiled,pure")
    ap.add_argument("--csv", default="")
    a = ap.parse_args()
    sizes = [s for s in a.sizes.split(",") if s]
    builds = [b for b in a.builds.split(",") if b]
    samples: dict[tuple[str, str], list[dict]] = {(s, b): [] for s in sizes for b in builds}
    bare: list[float] = []
    for _ in range(a.reps):
        for s in sizes:
            for b in builds:
                samples[(s, b)].append(_child(CHILD, s, b))
        bare.append(_child(BARE)["events_per_sec"])
    bare_rate = statistics.median(bare)
    rows = []
    for (s, b), runs in samples.items():
        first = runs[0]
        row = {
            "size": s,
            "build": b,
            "runs": len(runs),
            "nodes": first["nodes"],
            "skus": first["skus"],
            "days": first["days"],
            "events": first["events"],
            "events_per_shipment": first["events_per_shipment"],
            "events_per_day": first["events_per_day"],
        }
        for k in KEYS:
            vals = [r[k] for r in runs]
            row[k], row[k + "_min"], row[k + "_max"] = _median(runs, k), min(vals), max(vals)
        row["ratio_to_bare_simpy"] = row["events_per_sec"] / bare_rate
        row["bare_simpy_events_per_sec"] = bare_rate
        rows.append(row)
    wid = max(8, *(len(s) for s in sizes))
    out = [
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        + f"  bare SimPy timeouts: {bare_rate:,.0f} events/s (median of {len(bare)})",
        f"{'size':{wid}} {'build':8} {'nodes':>5} {'SKUs':>5} {'s/rep (min-max)':>24} "
        f"{'events/s':>9} {'x bare':>6} {'ev/shipment':>11} {'ev/day':>7} {'peak MiB':>8}",
    ]
    for r in rows:
        out.append(
            f"{r['size']:{wid}} {r['build']:8} {r['nodes']:5d} {r['skus']:5d} "
            f"{r['sec_per_rep']:8.3f} ({r['sec_per_rep_min']:.3f}-"
            f"{r['sec_per_rep_max']:.3f}) {r['events_per_sec']:9,.0f} "
            f"{r['ratio_to_bare_simpy']:6.2f} {r['events_per_shipment']:11.1f} "
            f"{r['events_per_day']:7.1f} {r['peak_mib']:8.0f}"
        )
    if {"compiled", "pure"} <= set(builds):
        for s in sizes:
            x = _median(samples[(s, "pure")], "sec_per_rep") / _median(
                samples[(s, "compiled")], "sec_per_rep"
            )
            out.append(f"{s}: compiled is {x:.2f}x faster per replication than pure Python")
    sys.stdout.write("\n".join(out) + "\n")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)


if __name__ == "__main__":
    main()
