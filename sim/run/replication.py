"""One replication: build the model, run it, and reduce what it recorded to tidy tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ..analysis import kpis, resilience
from ..config.spec import Scenario
from ..core.enums import LANE_CAUSES, Cause
from ..model import build_model, handlers
from ..model.recorder import RunRecord
from ..plan import Plan
from .arrow_build import numbers, text

if TYPE_CHECKING:  # a worker running replications does without pandas
    import pandas as pd

TABLES = ("daily", "waits", "disruptions")


@dataclass(frozen=True)
class ReplicationResult:
    """KPIs, the daily series, the wait summary and the disruptions of one replication.

    The tables travel as Arrow tables (``tables``: compact to pickle, cheap to unpickle and
    written to Parquet as they are, so the process gathering replications does little per
    replication); ``daily``, ``waits`` and ``disruptions`` give them as pandas frames."""

    replication: int
    kpis: dict[str, float]
    events: int
    tables: dict[str, pa.Table]

    @property
    def daily(self) -> pd.DataFrame:
        return self.tables["daily"].to_pandas()

    @property
    def waits(self) -> pd.DataFrame:
        return self.tables["waits"].to_pandas()

    @property
    def disruptions(self) -> pd.DataFrame:
        return self.tables["disruptions"].to_pandas()


def records(rows: list[dict[str, Any]], columns: list[str], texts: tuple[str, ...]) -> pa.Table:
    """``rows`` as an Arrow table of ``columns`` (the ``texts`` ones large strings, numbers as
    numpy infers them; no rows: columns of nulls): the table pandas would have made."""
    if not rows:
        return pa.table({c: pa.nulls(0) for c in columns})
    return pa.table(
        {
            c: text([row[c] for row in rows], large=True)
            if c in texts
            else numbers(np.asarray([row[c] for row in rows]))
            for c in columns
        }
    )


def simulate(
    sc: Scenario,
    plan: Plan,
    replication: int,
    backend: str | None = None,
    disrupted: bool = True,
    drain: bool = False,
) -> RunRecord:
    """Run replication ``replication`` and return its raw record (``disrupted=False``: the same
    replication without its disruptions; ``drain``: on past the horizon by
    ``experiment.drain_days``)."""
    h = handlers.load(backend or handlers.default_backend())
    return build_model(sc, plan, replication, h, disrupted, drain).run()


def _service(demand: np.ndarray, shipped: np.ndarray) -> np.ndarray:
    d = demand.astype(float)
    return np.divide(shipped.astype(float), d, out=np.full_like(d, np.nan), where=d > 0)


def daily_arrow(
    r: RunRecord, sc: Scenario, replication: int, baseline: RunRecord | None = None
) -> pa.Table:
    """The daily table of measured days, one row per (day, node): service level and demand for
    markets; on hand, in transit and backlog for warehouses; shipments queued or in service for
    gateways. With ``baseline`` (the same replication undisrupted, or the run itself when
    nothing disrupted it), markets also get ``baseline_service_level``.

    Built column by column in node blocks (markets, warehouses, gateways; days within each
    node), with NaN where a column does not apply to the node's kind, straight into Arrow
    without pandas (NaN as null, as Parquet has always stored it here).
    """
    days = np.arange(int(r.warmup), int(r.end))
    rel = days - int(r.warmup)
    n = days.size
    blocks = [(r.market_ids, "market"), (r.warehouse_ids, "warehouse")]
    kinds = [k for ids, k in blocks for _ in ids]
    kinds += [sc.network.node_by_id[g].kind.value for g in r.gateway_ids]
    nodes = [*r.market_ids, *r.warehouse_ids, *r.gateway_ids]
    n_m, n_w, n_g = len(r.market_ids), len(r.warehouse_ids), len(r.gateway_ids)
    rows = n * (n_m + n_w + n_g)
    nan = np.full(rows, np.nan)

    def column(values: np.ndarray | None, block: int) -> np.ndarray:
        """``values`` (days, nodes of the block) in the block's rows, NaN elsewhere."""
        out = nan.copy()
        if values is not None and values.shape[1]:
            start = n * (0, n_m, n_m + n_w)[block]
            out[start : start + values.size] = values.T.reshape(-1)
        return out

    dem, shp = r.demand[days], r.shipped[days]
    out: dict[str, np.ndarray] = {
        "replication": np.full(rows, replication, dtype=np.int64),
        "day": np.tile(rel, n_m + n_w + n_g),
        "node": np.repeat(np.array(nodes, dtype=object), n),
        "kind": np.repeat(np.array(kinds, dtype=object), n),
        "service_level": column(_service(dem, shp), 0),
        "demand": column(dem.astype(float), 0),
        "shipped": column(shp.astype(float), 0),
        "on_hand": column(r.on_hand[days].astype(float), 1),
        "in_transit": column(r.inbound[days].astype(float), 1),
        "backlog": column(r.backlog[days].astype(float), 1),
        "queue": column(r.queue[days].astype(float), 2),
    }
    if baseline is not None:
        out["baseline_service_level"] = column(
            _service(baseline.demand[days], baseline.shipped[days]), 0
        )
    return pa.table(
        {k: text(v.tolist()) if v.dtype == object else numbers(v) for k, v in out.items()}
    )


def wait_table(r: RunRecord, sc: Scenario, replication: int) -> pa.Table:
    """Own shipments' waits by node or lane and cause, after warm-up (days, unit-weighted)."""
    w = r.waits
    w = w[(w[:, 0] >= r.warmup) & (w[:, 0] < r.end) & (w[:, 4] > 0)]
    rows = []
    for cause in Cause:
        sel = w[w[:, 2] == cause]
        if sel.size == 0:
            continue
        lane_cause = cause in LANE_CAUSES
        for idx in np.unique(sel[:, 1]).astype(int):
            s = sel[sel[:, 1] == idx]
            where = sc.network.lanes[idx].id if lane_cause else sc.network.nodes[idx].id
            rows.append(
                {
                    "replication": replication,
                    "where": where,
                    "cause": cause.name.lower(),
                    "shipments": len(s),
                    "mean_days": float(s[:, 3].mean()),
                    "unit_days": float((s[:, 3] * s[:, 4]).sum()),
                }
            )
    return records(
        rows,
        ["replication", "where", "cause", "shipments", "mean_days", "unit_days"],
        ("where", "cause"),
    )


def run_replication(
    sc: Scenario, plan: Plan, replication: int, backend: str | None = None
) -> ReplicationResult:
    """Run one replication and reduce it. A scenario with disruptions runs on past the horizon
    (the drain), and when one falls in the window its twin without them runs alike."""
    drain = not sc.disruptions.empty and sc.experiment.drain_days > 0
    r = simulate(sc, plan, replication, backend, drain=drain)
    k = kpis.compute(r, sc)
    baseline = None
    if any(d.end > r.warmup and d.start < r.end for d in r.disruptions):
        baseline = simulate(sc, plan, replication, backend, disrupted=False, drain=drain)
    k.update(resilience.compute(r, baseline, sc))
    tables = {
        "daily": daily_arrow(r, sc, replication, baseline or r),
        "waits": wait_table(r, sc, replication),
        "disruptions": disruption_table(r, replication),
    }
    return ReplicationResult(replication, k, r.events, tables)


def disruption_table(r: RunRecord, replication: int) -> pa.Table:
    """The disruption windows of a replication, in measured days."""
    return records(
        [
            {
                "replication": replication,
                "kind": d.kind.value,
                "target": d.target,
                "start": d.start - r.warmup,
                "end": d.end - r.warmup,
                "label": d.label,
                "source": d.source,
            }
            for d in r.disruptions
        ],
        ["replication", "kind", "target", "start", "end", "label", "source"],
        ("kind", "target", "label", "source"),
    )
