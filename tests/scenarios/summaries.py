"""Key figures of every curated scenario, and the saved copy the tests compare them with.

Each scenario runs with its own config and seed, over :data:`REPLICATIONS` replications on the
serial executor (the overrides in :data:`OVERRIDES`; the horizon is the scenario's own, so the
figures are those ``ripple run scenario=NAME experiment.replications=2`` reports). The model is
deterministic, so the saved figures must be met to :data:`REL_TOL`: any change of the model
that moves them shows. Regenerating ``summary.json`` is a deliberate act (after checking that
the change in the figures is intended): ``python -m tests.scenarios.regen [NAME ...]``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from sim.config.compose import load
from sim.model import handlers
from sim.plan import make_plan
from sim.run.experiment import run_experiment

SUMMARY_PATH = Path(__file__).with_name("summary.json")
REPLICATIONS = 2
OVERRIDES = [
    f"experiment.replications={REPLICATIONS}",
    "experiment.executor=serial",
    "experiment.workers=1",
]
REL_TOL = 1e-9

# KPI means over the replications (see sim.analysis.kpis and sim.analysis.resilience for their
# definitions).
KPIS = (
    "fill_rate",
    "otif",
    "lead_time_p95",
    "backorder_units",
    "lost_sales",
    "backlog_end",
    "total_cost",
    "avg_on_hand",
    "avg_in_transit",
    "disrupted_days",
    "time_to_survive",
    "time_to_recover",
    "performance_loss",
    "peak_backlog",
    "extra_cost",
)


def summarise(name: str) -> dict[str, float]:
    """The key figures of scenario ``name``: KPI means, and unit-days of own shipments' waits
    per cause (``waits.<cause>``, mean per replication)."""
    sc, _ = load([f"scenario={name}", *OVERRIDES])
    result = run_experiment(sc, make_plan(sc), handlers.default_backend())
    out = {k: float(result.kpis[k].mean()) for k in KPIS}
    waits = result.waits.groupby("cause")["unit_days"].sum() / REPLICATIONS
    out.update({f"waits.{c}": float(v) for c, v in sorted(waits.items())})
    return out


def saved() -> dict[str, dict[str, float]]:
    """The saved summary (empty if none was saved yet)."""
    if not SUMMARY_PATH.exists():
        return {}
    return json.loads(SUMMARY_PATH.read_text())


def same(a: float, b: float) -> bool:
    """Equal to :data:`REL_TOL` (NaN equals NaN: a figure that is undefined in both)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-9)
