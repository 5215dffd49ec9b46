"""A network written as tables Ripple reads back (:mod:`.tables`): ``nodes`` and ``lanes`` (and
a ``stock`` table of per-node policies) as CSV files in a folder, sheets of an ``.xlsx``
workbook with a ``columns`` sheet explaining them, or a GraphML file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from ..core.distributions import Deterministic, Distribution, Uniform
from ..core.errors import ConfigError
from .spec import NetworkSpec
from .table_columns import ALL_TABLES, ORDER, TABLES


def network_tables(net: NetworkSpec) -> dict[str, pd.DataFrame]:
    """The ``nodes`` and ``lanes`` tables of a network spec (every column; read back, they
    give the same spec)."""
    nodes = [
        {
            "id": n.id,
            "kind": n.kind.value,
            "name": n.name,
            "lat": n.lat,
            "lon": n.lon,
            "region": n.region,
            "capacity": n.capacity,
            **_duration_cells("service_time", n.service_time),
            "inspection_prob": n.inspection_prob,
            **_duration_cells("inspection_time", n.inspection_time),
            "background_utilisation": n.background_utilisation,
            "holding_cost": n.holding_cost,
            "handling_cost": n.handling_cost,
            "customs_fee": n.customs_fee,
            "duty_rate": n.duty_rate,
            "makes": ";".join(n.makes),
            "demand_scale": n.demand_scale,
            "promise_days": n.promise_days,
        }
        for n in net.nodes
    ]
    lanes = [
        {
            "id": ln.id,
            "src": ln.src,
            "dst": ln.dst,
            "mode": ln.mode.value,
            "carrier": ln.carrier,
            "via": ln.via,
            "via_at": ln.via_at,
            **_duration_cells("transit", ln.transit),
            "sailings_per_week": ln.sailings_per_week,
            "first_sailing": ln.first_sailing,
            "capacity": ln.capacity,
            "cost_per_kg": ln.cost_per_kg,
            "cost_per_shipment": ln.cost_per_shipment,
            "loss_prob": ln.loss_prob,
        }
        for ln in net.lanes
    ]
    return {
        "nodes": pd.DataFrame(nodes, columns=[c.name for c in TABLES["nodes"]]),
        "lanes": pd.DataFrame(lanes, columns=[c.name for c in TABLES["lanes"]]),
    }


def _duration_cells(prefix: str, d: Distribution) -> dict[str, Any]:
    """A distribution as its table cells (empty where it has no such parameter)."""
    cells: dict[str, Any] = {f"{prefix}_{k}": "" for k in ("dist", "mean", "cv", "low", "high")}
    cells[f"{prefix}_dist"] = d.name
    if isinstance(d, Uniform):
        cells[f"{prefix}_low"], cells[f"{prefix}_high"] = d.low, d.high
    elif isinstance(d, Deterministic):
        cells[f"{prefix}_mean"], cells[f"{prefix}_cv"] = d.value, 0.0
    else:
        cells[f"{prefix}_mean"] = d.mean
        cells[f"{prefix}_cv"] = getattr(d, "cv", 0.0)
    return cells


def stock_table(entries: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """The ``stock`` table of per-node policy entries (node id -> the fields it sets, as under
    ``policy.nodes``): a row per node, empty where the entry leaves the policy's default."""
    names = [c.name for c in ALL_TABLES["stock"]]
    rows = []
    for node, entry in entries.items():
        cells = {k: v for k, v in entry.items() if not (k == "initial_days" and v == -1)}
        rows.append({**{n: "" for n in names}, **cells, "node": node})
    return pd.DataFrame(rows, columns=names)


def columns_table() -> pd.DataFrame:
    """What every column of the tables means: its unit, its default (empty: required)."""
    return pd.DataFrame(
        [
            {
                "table": t,
                "column": c.name,
                "unit": c.unit,
                "default": "(required)" if c.default is None else c.default,
                "what": c.what,
            }
            for t, cols in ALL_TABLES.items()
            for c in cols
        ]
    )


def write_network(
    net: NetworkSpec | None, out: Path, stock: Mapping[str, Mapping[str, Any]] | None = None
) -> Path:
    """Write ``net``'s tables (None: an empty template, with an empty ``stock`` table) to
    ``out``: a folder of CSV files (a path without a suffix; a ``stock.csv`` left from before
    is removed when there is no stock table), an ``.xlsx`` workbook (with a ``columns`` sheet
    explaining them) or a ``.graphml`` file (no stock table). ``stock``: per-node policy
    entries (see :func:`stock_table`), written as the ``stock`` table when there are any.
    Returns ``out``."""
    frames = (
        network_tables(net)
        if net is not None
        else {t: pd.DataFrame(columns=[c.name for c in cols]) for t, cols in ALL_TABLES.items()}
    )
    if stock:
        frames["stock"] = stock_table(stock)
    return write_tables(frames, out)


def write_tables(frames: Mapping[str, pd.DataFrame], out: Path) -> Path:
    """Write the tables ``frames`` (``nodes``, ``lanes`` and maybe ``stock``, by name) to
    ``out`` as :func:`write_network` says; returns ``out``."""
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        with pd.ExcelWriter(out, engine="openpyxl") as xl:
            for t, df in frames.items():
                df.to_excel(xl, sheet_name=t, index=False)
            columns_table().to_excel(xl, sheet_name="columns", index=False)
    elif suffix == ".graphml":
        g = nx.MultiDiGraph()
        for row in frames["nodes"].to_dict("records"):
            g.add_node(row.pop("id"), **{k: v for k, v in row.items() if v != ""})
        for i, row in enumerate(frames["lanes"].to_dict("records")):
            attrs = {k: v for k, v in row.items() if k not in ("id", "src", "dst") and v != ""}
            g.add_edge(row["src"], row["dst"], key=row["id"], **{ORDER: i}, **attrs)
        nx.write_graphml(g, out)
    elif suffix == "":
        out.mkdir(parents=True, exist_ok=True)
        if "stock" not in frames:
            (out / "stock.csv").unlink(missing_ok=True)  # it would be read back with the rest
        for t, df in frames.items():
            df.to_csv(out / f"{t}.csv", index=False)
    else:
        raise ConfigError("--out", str(out), "a folder (CSV tables), an .xlsx or a .graphml file")
    return out
