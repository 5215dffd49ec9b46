"""Benchmark the default scenario: seconds per replication, simulated events per second and
peak memory, for the compiled handlers and the pure-Python twin, beside a bare-SimPy reference.

    python bench/bench_default.py [--reps 5] [--csv bench/results.csv]

Each measurement runs in a fresh subprocess (so peak memory is its own); backends are
interleaved run by run so that machine drift hits both alike. Prints a table; figures are
medians with min and max over the runs.
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
from sim.config.compose import load
from sim.plan import make_plan
from sim.replication import simulate
sc, _ = load(sys.argv[2:])
plan = make_plan(sc)
reps = int(sys.argv[1])
simulate(sc, plan, 999, BACKEND)  # warm-up: imports, first-call costs
t0 = time.perf_counter(); events = 0
for r in range(reps):
    events += simulate(sc, plan, r, BACKEND).events
dt = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(json.dumps({"sec_per_rep": dt / reps, "events_per_sec": events / dt,
                  "events_per_rep": events / reps, "peak_mib": peak}))
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


def _child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="runs per backend (median reported)")
    ap.add_argument("--replications", type=int, default=5, help="replications per run")
    ap.add_argument("--csv", default="", help="also write the table as CSV here")
    ap.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario")
    a = ap.parse_args()
    samples: dict[str, list[dict]] = {"compiled": [], "pure": [], "bare_simpy": []}
    for _ in range(a.reps):
        for backend in ("compiled", "pure"):
            code = CHILD.replace("BACKEND", repr(backend))
            samples[backend].append(_child(code, str(a.replications), *a.overrides))
        samples["bare_simpy"].append(_child(BARE))
    bare = statistics.median(s["events_per_sec"] for s in samples["bare_simpy"])
    rows = []
    for backend in ("compiled", "pure"):
        s = samples[backend]
        row = {"scenario": "default " + " ".join(a.overrides), "backend": backend, "runs": a.reps}
        for key in ("sec_per_rep", "events_per_sec", "events_per_rep", "peak_mib"):
            vals = [x[key] for x in s]
            row[key] = statistics.median(vals)
            row[key + "_min"], row[key + "_max"] = min(vals), max(vals)
        row["ratio_to_bare_simpy"] = row["events_per_sec"] / bare
        rows.append(row)
    speedup = rows[1]["sec_per_rep"] / rows[0]["sec_per_rep"]
    hdr = f"{'backend':9} {'s/rep (min-max)':>24} {'events/s':>10} {'events/rep':>10} " \
          f"{'peak MiB':>9} {'x bare':>7}"
    lines = [time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) +
             f"  bare SimPy timeouts: {bare:,.0f} events/s", hdr]
    for r in rows:
        lines.append(f"{r['backend']:9} {r['sec_per_rep']:8.3f} ({r['sec_per_rep_min']:.3f}-"
                     f"{r['sec_per_rep_max']:.3f}) {r['events_per_sec']:10,.0f} "
                     f"{r['events_per_rep']:10,.0f} {r['peak_mib']:9.0f} "
                     f"{r['ratio_to_bare_simpy']:7.2f}")
    lines.append(f"compiled speed-up over pure Python: {speedup:.2f}x")
    sys.stdout.write("\n".join(lines) + "\n")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)


if __name__ == "__main__":
    main()
