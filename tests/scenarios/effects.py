"""Measure what each curated scenario's disruption does, against the same replications without
it (sim/analysis/resilience.py): the figures its note states in the ``effect`` block of its
front matter, and the ones ``test_effects.py`` checks.

    python -m tests.scenarios.effects                    # every scenario, 30 replications
    python -m tests.scenarios.effects suez_2021 --replications 10
    python -m tests.scenarios.effects --yaml             # also each note's ``effect`` block
    python -m tests.scenarios.effects --markdown         # the table of docs/disruptions.md

Each scenario runs with its own config and seed (replications 0 to N-1, on the processes
executor, as ``ripple run scenario=NAME experiment.replications=N`` does) and every figure is
the mean over replications with the 95% interval of the summaries (sim/analysis/stats.py:
Student t for ``disruption_cost`` and ``performance_loss``, which can be of either sign; a
percentile bootstrap for ``time_to_recover`` and ``fill_rate``, which are bounded).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

from sim.analysis.columns import KPI_UNITS
from sim.analysis.stats import interval, support
from sim.config.compose import load, scenarios
from sim.model import handlers
from sim.plan import make_plan
from sim.run.experiment import run_experiment

REPLICATIONS = 30
# The figures a note's ``effect`` block holds: its key -> the KPI measured.
FIGURES = {
    "disruption_cost_usd": "disruption_cost",
    "performance_loss": "performance_loss",
    "time_to_recover_days": "time_to_recover",
    "fill_rate": "fill_rate",
}
# The figures whose sign the notes state: a scenario hurts when both are above zero, with the
# lower ends of their 95% intervals above zero.
SIGNED = ("disruption_cost_usd", "performance_loss")


def kpis(
    name: str, replications: int, workers: int = 2, overrides: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Per-replication KPIs of scenario ``name`` (replications 0 .. n-1), with any further
    Hydra ``overrides`` (to try a change before writing it into a config)."""
    sc, _ = load([f"scenario={name}", *overrides])
    executor = "processes" if workers > 1 else "serial"
    return run_experiment(
        sc,
        make_plan(sc),
        handlers.default_backend(),
        executor=executor,
        workers=workers,
        replications=replications,
    ).kpis


def figures(table: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    """(mean, low, high) of each figure of :data:`FIGURES` over the replications of ``table``."""
    out = {}
    for key, kpi in FIGURES.items():
        x = table[kpi].to_numpy(dtype=float)
        out[key] = interval(x, support(kpi, KPI_UNITS[kpi]))
    return out


def hurts(fig: dict[str, tuple[float, float, float]]) -> bool:
    """Whether the disruption hurts: its cost and its performance loss both above zero, with
    the lower ends of their 95% intervals above zero."""
    return all(fig[key][1] > 0 for key in SIGNED)


def rounded(key: str, v: float) -> str:
    """A figure as a note writes it: USD whole, the others to four significant digits."""
    if not np.isfinite(v):
        return ".nan"
    return f"{v:.0f}" if key == "disruption_cost_usd" else f"{v:.4g}"


def effect_block(fig: dict[str, tuple[float, float, float]], replications: int) -> str:
    """The figures as the ``effect`` block of a note's front matter."""
    lines = ["effect:", f"  hurts: {str(hurts(fig)).lower()}", f"  replications: {replications}"]
    for key, (mean, lo, hi) in fig.items():
        m, a, b = (rounded(key, v) for v in (mean, lo, hi))
        lines.append(f"  {key}: {{mean: {m}, low: {a}, high: {b}}}")
    return "\n".join(lines)


def largest_parts(table: pd.DataFrame, n: int = 4) -> str:
    """The ``n`` parts of the disruption cost largest in size (``extra_<part>`` and
    ``lost_margin``), mean USD over the replications."""
    cols = [c for c in table.columns if c.startswith("extra_") and c not in ("extra_cost",)]
    cols = [c for c in cols if c != "extra_peak_backlog"] + ["lost_margin"]
    means = table[cols].mean().sort_values(key=abs, ascending=False).head(n)
    return ", ".join(f"{k} {v:,.0f}" for k, v in means.items())


def _cell(key: str, f: tuple[float, float, float]) -> str:
    mean, lo, hi = f
    if key == "fill_rate":
        return f"{100 * mean:.1f}% [{100 * lo:.1f}, {100 * hi:.1f}]"
    if key == "disruption_cost_usd":
        return f"{mean:,.0f} [{lo:,.0f}, {hi:,.0f}]"
    return f"{mean:.3g} [{lo:.3g}, {hi:.3g}]"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="*", help="scenarios (default: every one)")
    p.add_argument("--replications", type=int, default=REPLICATIONS)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--yaml", action="store_true", help="also each note's effect block")
    p.add_argument("--markdown", action="store_true", help="a markdown table")
    p.add_argument("--parts", action="store_true", help="also the largest parts of the cost")
    p.add_argument("--set", action="append", default=[], help="a Hydra override (repeatable)")
    a = p.parse_args(argv)
    names = a.names or list(scenarios())
    head = ["scenario", "disruption cost (USD)", "performance loss", "time to recover (days)"]
    head += ["fill rate", "hurts"]
    rows, blocks, parts = [], [], []
    for name in names:
        table = kpis(name, a.replications, a.workers, tuple(a.set))
        fig = figures(table)
        rows.append([name, *(_cell(k, f) for k, f in fig.items()), "yes" if hurts(fig) else "no"])
        blocks.append(f"# {name}\n{effect_block(fig, a.replications)}")
        parts.append(f"{name}: {largest_parts(table)}")
    if a.markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| `" + r[0] + "` | " + " | ".join(r[1:]) + " |" for r in rows]
    else:
        widths = [max(len(x) for x in col) for col in zip(head, *rows)]
        lines = ["  ".join(x.ljust(w) for x, w in zip(r, widths)) for r in [head, *rows]]
    print("\n".join(lines))
    if a.parts:
        print("\nlargest parts of the disruption cost (mean USD):\n" + "\n".join(parts))
    if a.yaml:
        print("\n" + "\n\n".join(blocks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
