"""Print how busy every factory, port and customs office is (sim/analysis/utilisation.py), over
a few replications of each curated network's default scenario, or of the given overrides.

    python tools/utilisation.py                          # the three networks, 8 replications
    python tools/utilisation.py --replications 4 scenario=shanghai_lockdown_2022
    python tools/utilisation.py --markdown --hide-idle   # the table of docs/capacity.md

Shares are of the measured window (``busy``) and of its busiest 28 days (``peak``), in percent:
the mean over replications and, after ``±``, the half-width of its 95% interval (Student t).
``own`` and ``other`` split the window's busy share into own shipments and other carriers' ships.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from scipy import stats

NETWORKS: dict[str, list[str]] = {
    "transpacific": [],
    "asia_europe": ["network=asia_europe", "policy=base_stock_long"],
    "india_us_east": ["network=india_us_east", "policy=base_stock_long"],
}


def measure(job: tuple[list[str], int]) -> dict[str, tuple]:
    """{node: (kind, servers, own, other, share, peak)} of one replication."""
    from sim.analysis.utilisation import utilisation
    from sim.config.compose import load
    from sim.plan import make_plan
    from sim.run.replication import simulate

    overrides, rep = job
    sc, _ = load(overrides)
    r = simulate(sc, make_plan(sc), rep)
    days = r.end - r.warmup
    return {
        u.node: (
            u.kind.value,
            u.servers,
            u.own / (u.servers * days),
            u.other / (u.servers * days),
            u.share,
            u.peak,
        )
        for u in utilisation(r, sc).values()
    }


def interval(values: list[float]) -> tuple[float, float]:
    v = np.asarray(values, dtype=float) * 100.0
    if v.size < 2:
        return float(v.mean()), 0.0
    half = stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
    return float(v.mean()), float(half)


def table(name: str, runs: list[dict[str, tuple]], markdown: bool, idle: bool) -> list[str]:
    head = ("node", "kind", "servers", "own %", "other %", "busy %", "peak 28 d %")
    rows = []
    for node, (kind, servers, *_) in runs[0].items():
        own, other, share, peak = (interval([r[node][i] for r in runs]) for i in range(2, 6))
        if share[0] == 0.0 and not idle:
            continue
        cells = [f"{own[0]:.0f}", f"{other[0]:.0f}", f"{share[0]:.0f} ± {share[1]:.1f}"]
        cells.append(f"{peak[0]:.0f} ± {peak[1]:.1f}")
        rows.append((node, kind, str(servers), *cells))
    if markdown:
        out = [f"**{name}**", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return [*out, ""]
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    fmt = "  ".join(f"{{:{'<' if i < 2 else '>'}{w}}}" for i, w in enumerate(widths))
    return [name, fmt.format(*head), *(fmt.format(*r) for r in rows), ""]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replications", type=int, default=8)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--markdown", action="store_true", help="markdown tables")
    p.add_argument("--hide-idle", action="store_true", help="leave out nodes with no traffic")
    p.add_argument("overrides", nargs="*", help="Hydra overrides (default: the three networks)")
    a = p.parse_args(argv)
    sets = {" ".join(a.overrides): a.overrides} if a.overrides else NETWORKS
    jobs = [(ovs, rep) for ovs in sets.values() for rep in range(a.replications)]
    with ProcessPoolExecutor(a.workers) as ex:
        done = list(ex.map(measure, jobs))
    lines = []
    for i, name in enumerate(sets):
        runs = done[i * a.replications : (i + 1) * a.replications]
        lines += table(name, runs, a.markdown, not a.hide_idle)
    sys.stdout.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
