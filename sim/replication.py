"""One replication: build the model, run it, and reduce what it recorded to tidy tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import handlers, kpis, resilience
from .enums import Cause
from .model import build_model
from .plan import Plan
from .recorder import RunRecord
from .spec import Scenario


@dataclass(frozen=True)
class ReplicationResult:
    """KPIs, the daily series and the wait summary of one replication."""

    replication: int
    kpis: dict[str, float]
    daily: pd.DataFrame
    waits: pd.DataFrame
    events: int
    disruptions: pd.DataFrame


def simulate(sc: Scenario, plan: Plan, replication: int, backend: str | None = None,
             disrupted: bool = True) -> RunRecord:
    """Run replication ``replication`` and return its raw record (``disrupted=False``: the same
    replication without its disruptions)."""
    h = handlers.load(backend or handlers.default_backend())
    return build_model(sc, plan, replication, h, disrupted).run()


def daily_table(r: RunRecord, sc: Scenario, replication: int) -> pd.DataFrame:
    """Measured days, one row per (day, node): service level and demand for markets; on hand,
    in transit and backlog for warehouses; shipments queued or in service for gateways."""
    days = np.arange(int(r.warmup), int(r.end))
    rel = days - int(r.warmup)
    frames = []
    for j, mid in enumerate(r.market_ids):
        d = r.demand[days, j].astype(float)
        s = r.shipped[days, j].astype(float)
        frames.append(pd.DataFrame({"day": rel, "node": mid, "kind": "market", "demand": d,
                                    "shipped": s,
                                    "service_level": np.divide(s, d, out=np.full_like(d, np.nan),
                                                               where=d > 0)}))
    for j, wid in enumerate(r.warehouse_ids):
        frames.append(pd.DataFrame({"day": rel, "node": wid, "kind": "warehouse",
                                    "on_hand": r.on_hand[days, j].astype(float),
                                    "in_transit": r.inbound[days, j].astype(float),
                                    "backlog": r.backlog[days, j].astype(float)}))
    for j, gid in enumerate(r.gateway_ids):
        frames.append(pd.DataFrame({"day": rel, "node": gid,
                                    "kind": sc.network.node_by_id[gid].kind.value,
                                    "queue": r.queue[days, j].astype(float)}))
    out = pd.concat(frames, ignore_index=True)
    cols = ["day", "node", "kind", "service_level", "demand", "shipped", "on_hand",
            "in_transit", "backlog", "queue"]
    out = out.reindex(columns=cols)
    out.insert(0, "replication", replication)
    return out


def wait_table(r: RunRecord, sc: Scenario, replication: int) -> pd.DataFrame:
    """Own shipments' waits by node or lane and cause, after warm-up (days, unit-weighted)."""
    w = r.waits
    w = w[(w[:, 0] >= r.warmup) & (w[:, 4] > 0)]
    rows = []
    for cause in Cause:
        sel = w[w[:, 2] == cause]
        if sel.size == 0:
            continue
        lane_cause = cause in (Cause.SAILING_WAIT, Cause.TRANSIT)
        for idx in np.unique(sel[:, 1]).astype(int):
            s = sel[sel[:, 1] == idx]
            where = sc.network.lanes[idx].id if lane_cause else sc.network.nodes[idx].id
            rows.append({"replication": replication, "where": where, "cause": cause.name.lower(),
                         "shipments": len(s), "mean_days": float(s[:, 3].mean()),
                         "unit_days": float((s[:, 3] * s[:, 4]).sum())})
    return pd.DataFrame(rows, columns=["replication", "where", "cause", "shipments", "mean_days",
                                       "unit_days"])


def run_replication(sc: Scenario, plan: Plan, replication: int,
                    backend: str | None = None) -> ReplicationResult:
    """Run one replication and reduce it."""
    r = simulate(sc, plan, replication, backend)
    k = kpis.compute(r, sc)
    baseline = None
    base_cost = k["total_cost"]
    if any(d.end > r.warmup and d.start < r.end for d in r.disruptions):
        baseline = simulate(sc, plan, replication, backend, disrupted=False)
        base_cost = kpis.compute(baseline, sc)["total_cost"]
    k.update(resilience.compute(r, baseline, k["total_cost"], base_cost))
    daily = _with_baseline(daily_table(r, sc, replication), baseline or r)
    return ReplicationResult(replication, k, daily, wait_table(r, sc, replication), r.events,
                             disruption_table(r, replication))


def _with_baseline(daily: pd.DataFrame, b: RunRecord) -> pd.DataFrame:
    """Add the undisrupted service level per market and day (``baseline_service_level``; the
    actual one where no disruption touched the replication)."""
    days = np.arange(int(b.warmup), int(b.end))
    rows = []
    for j, mid in enumerate(b.market_ids):
        d = b.demand[days, j].astype(float)
        s = b.shipped[days, j].astype(float)
        rows.append(pd.DataFrame({"day": days - int(b.warmup), "node": mid,
                                  "baseline_service_level": np.divide(
                                      s, d, out=np.full_like(d, np.nan), where=d > 0)}))
    return daily.merge(pd.concat(rows), on=["day", "node"], how="left")


def disruption_table(r: RunRecord, replication: int) -> pd.DataFrame:
    """The disruption windows of a replication, in measured days."""
    return pd.DataFrame(
        [{"replication": replication, "kind": d.kind.value, "target": d.target,
          "start": d.start - r.warmup, "end": d.end - r.warmup, "label": d.label,
          "source": d.source} for d in r.disruptions],
        columns=["replication", "kind", "target", "start", "end", "label", "source"])
