"""How the cost of a replication grows with the network: seconds per replication against
nodes x SKUs x days over more than a decade of sizes, with a fitted power-law exponent.

    python bench/scaling.py [--reps 3] [--out bench/scaling.png] [--csv bench/scaling.csv]

Sizes come from sim/config/synthetic.py; each point is the median of ``--reps`` replications timed
in one process after a warm-up replication (compiled handlers unless ``--build pure``). The fit is
least squares of log(seconds) on log(nodes x SKUs x days).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time

import numpy as np
from matplotlib.figure import Figure

from sim.config.synthetic import network_config
from sim.config.validate import scenario_from_mapping
from sim.plan import make_plan
from sim.run.replication import simulate

# (factories, dest_ports, warehouses, markets, SKUs, horizon days)
GRID = [
    (2, 2, 2, 3, 10, 180),
    (2, 2, 3, 4, 20, 365),
    (4, 4, 6, 8, 40, 365),
    (6, 6, 9, 12, 100, 365),
    (8, 8, 12, 20, 200, 365),
    (16, 12, 24, 36, 400, 365),
    (30, 20, 40, 60, 1000, 365),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--build", default="compiled")
    ap.add_argument("--out", default="bench/scaling.png")
    ap.add_argument("--csv", default="")
    a = ap.parse_args()
    rows = []
    for f, p, w, m, skus, days in GRID:
        sc = scenario_from_mapping(network_config(f, p, w, m, skus, horizon_days=days))
        plan = make_plan(sc)
        simulate(sc, plan, 999, a.build)
        times, events = [], 0
        for rep in range(a.reps):
            t0 = time.perf_counter()
            events = simulate(sc, plan, rep, a.build).events
            times.append(time.perf_counter() - t0)
        n = len(sc.network.nodes)
        total_days = sc.experiment.warmup_days + sc.experiment.horizon_days
        rows.append(
            {
                "nodes": n,
                "skus": skus,
                "days": total_days,
                "size": n * skus * total_days,
                "sec_per_rep": statistics.median(times),
                "events": events,
            }
        )
        sys.stdout.write(
            f"{n:4d} nodes {skus:5d} SKUs {total_days:4d} days: "
            f"{rows[-1]['sec_per_rep']:.3f} s/rep, {events:,} events\n"
        )
    x = np.log([r["size"] for r in rows])
    y = np.log([r["sec_per_rep"] for r in rows])
    slope, icpt = np.polyfit(x, y, 1)
    sys.stdout.write(
        f"fitted exponent: seconds ~ (nodes x SKUs x days)^{slope:.3f} over "
        f"{rows[0]['size']:,} to {rows[-1]['size']:,}\n"
    )
    fig = Figure(figsize=(7, 4.5), layout="constrained")
    ax = fig.subplots()
    sizes = np.array([r["size"] for r in rows], dtype=float)
    ax.loglog(sizes, [r["sec_per_rep"] for r in rows], "o", color="#1d3557", label="measured")
    ax.loglog(
        sizes, np.exp(icpt) * sizes**slope, "-", color="#e76f51", label=f"fit: exponent {slope:.2f}"
    )
    ax.loglog(sizes, np.exp(y[0]) * sizes / sizes[0], ":", color="#888888", label="linear")
    ax.set_xlabel("nodes x SKUs x days")
    ax.set_ylabel(f"seconds per replication ({a.build})")
    ax.legend()
    fig.savefig(a.out, dpi=100)
    if a.csv:
        with open(a.csv, "w", newline="") as fh:
            wr = csv.DictWriter(fh, fieldnames=list(rows[0]))
            wr.writeheader()
            wr.writerows(rows)


if __name__ == "__main__":
    main()
