"""Figures of a run, as matplotlib ``Figure`` objects (no pyplot state: safe headless and in
parallel). Data in, figure out; the report decides where they go."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .enums import Mode, NodeKind
from .plan import Plan
from .spec import Scenario

KIND_COLOURS = {
    NodeKind.FACTORY: "#6a4c93",
    NodeKind.PORT: "#1982c4",
    NodeKind.CUSTOMS: "#ff924c",
    NodeKind.WAREHOUSE: "#2a9d8f",
    NodeKind.MARKET: "#e63946",
}
MODE_COLOURS = {
    Mode.SEA: "#1d3557",
    Mode.AIR: "#e76f51",
    Mode.RAIL: "#6d597a",
    Mode.ROAD: "#8d99ae",
    Mode.PARCEL: "#e9c46a",
}


# Where a lane's named corridor bends on the map (lat, lon): drawn through these points.
VIA_POINTS = {
    "Suez": [(12.6, 43.3), (29.9, 32.6), (36.0, -5.6)],
    "Cape of Good Hope": [(-34.4, 18.5), (36.0, -5.6)],
    "Panama": [(9.1, -79.7)],
}


def _lon(lon: float, shift: bool) -> float:
    """Longitude in a frame centred on the Pacific when the network spans it."""
    return lon % 360.0 if shift else lon


def _spans_pacific(sc: Scenario) -> bool:
    lons = [n.lon for n in sc.network.nodes]
    return min(lons) < -60 and max(lons) > 60


def network_map(sc: Scenario, plan: Plan, highlight: set[str] | None = None) -> Figure:
    """Nodes by latitude and longitude, coloured by kind; lanes coloured by mode, the ones the
    plan uses drawn solid, the others faint. ``highlight``: node or lane ids drawn in red."""
    highlight = highlight or set()
    shift = _spans_pacific(sc)
    pos = {n.id: (_lon(n.lon, shift), n.lat) for n in sc.network.nodes}
    used = {lid for s in plan.supply for lid in s.route.lanes}
    used |= {lane for _, _, lane in plan.market_warehouse}
    fig = Figure(figsize=(11, 6), layout="constrained")
    ax = fig.subplots()
    for ln in sc.network.lanes:
        (x0, y0), (x1, y1) = pos[ln.src], pos[ln.dst]
        via = [(_lon(lon, shift), lat) for lat, lon in VIA_POINTS.get(ln.via, [])]
        xs = [x0, *(p[0] for p in via), x1]
        ys = [y0, *(p[1] for p in via), y1]
        on = ln.id in used
        colour = "#d00000" if ln.id in highlight else MODE_COLOURS[ln.mode]
        ax.plot(xs, ys, color=colour, lw=2.0 if on else 0.8,
                ls="-" if on else "--", alpha=0.9 if on else 0.35, zorder=1)
    for kind, colour in KIND_COLOURS.items():
        nodes = [n for n in sc.network.nodes if n.kind is kind]
        if not nodes:
            continue
        small = kind is NodeKind.CUSTOMS  # customs sit at their port: drawn small, beneath
        ax.scatter([pos[n.id][0] for n in nodes], [pos[n.id][1] for n in nodes],
                   s=25 if small else 60, color=colour, edgecolor="white", lw=0.8,
                   zorder=2 if small else 3, label=kind.value)
    hot = [n for n in sc.network.nodes if n.id in highlight]
    if hot:
        ax.scatter([pos[n.id][0] for n in hot], [pos[n.id][1] for n in hot], s=220,
                   facecolor="none", edgecolor="#d00000", lw=2.2, zorder=4, label="disrupted")
    # Labels: kind-specific offsets so that a port, its warehouse and its market do not
    # print on top of each other; a label is skipped when one of the same kind is too close.
    offsets = {NodeKind.FACTORY: (-6, 6, "right"), NodeKind.PORT: (6, -10, "left"),
               NodeKind.WAREHOUSE: (-6, -10, "right"), NodeKind.MARKET: (6, 5, "left")}
    placed: list[tuple[NodeKind, float, float]] = []
    for n in sc.network.nodes:
        if n.kind is NodeKind.CUSTOMS:
            continue
        x, y = pos[n.id]
        if any(k is n.kind and abs(px - x) < 2.5 and abs(py - y) < 1.2 for k, px, py in placed):
            continue
        placed.append((n.kind, x, y))
        dx, dy, ha = offsets[n.kind]
        label = n.name.split("(")[0].split(",")[0].strip()[:28]
        ax.annotate(label, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=7,
                    color="#333333", ha=ha, zorder=5)
    for mode, colour in MODE_COLOURS.items():
        if any(ln.mode is mode for ln in sc.network.lanes):
            ax.plot([], [], color=colour, lw=2, label=f"{mode.value} lane")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, framealpha=0.9)
    ticks = ax.get_xticks()
    ax.set_xticks(ticks)
    ax.set_xticklabels([_deg(t) for t in ticks], fontsize=8)
    ax.set_ylabel("latitude")
    ax.set_xlabel("longitude")
    ax.grid(color="#dddddd", lw=0.5)
    ax.set_title(f"{sc.network.name}: {sc.network.description}", fontsize=10)
    return fig


def _deg(x: float) -> str:
    lon = ((x + 180.0) % 360.0) - 180.0
    return f"{abs(lon):.0f}°{'E' if lon >= 0 else 'W'}"


def daily_service(daily: pd.DataFrame) -> Figure:
    """Daily service level per market: mean over replications, 10-90% band."""
    m = daily[daily["kind"] == "market"]
    markets = list(dict.fromkeys(m["node"]))
    fig = Figure(figsize=(11, 2.2 * max(len(markets), 1) + 0.5), layout="constrained")
    axes = np.atleast_1d(fig.subplots(len(markets), 1, sharex=True))
    for ax, node in zip(axes, markets):
        g = m[m["node"] == node].groupby("day")["service_level"]
        q = g.quantile([0.1, 0.9]).unstack()
        ax.fill_between(q.index, q[0.1], q[0.9], color="#8ecae6", alpha=0.5, lw=0)
        ax.plot(g.mean().index, g.mean().values, color="#023047", lw=1.0)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel(node, fontsize=8)
    axes[0].set_title("Daily service level (shipped from stock / demanded): mean and 10-90% "
                      "of replications", fontsize=10)
    axes[-1].set_xlabel("measured day")
    return fig


def daily_inventory(daily: pd.DataFrame) -> Figure:
    """Per warehouse: units on hand, in transit towards it and on backorder (replication
    mean)."""
    w = daily[daily["kind"] == "warehouse"]
    nodes = list(dict.fromkeys(w["node"]))
    fig = Figure(figsize=(11, 2.2 * max(len(nodes), 1) + 0.5), layout="constrained")
    axes = np.atleast_1d(fig.subplots(len(nodes), 1, sharex=True))
    colours = {"on_hand": "#219ebc", "in_transit": "#8d99ae", "backlog": "#d62828"}
    for ax, node in zip(axes, nodes):
        g = w[w["node"] == node].groupby("day")[list(colours)].mean()
        for col, colour in colours.items():
            ax.plot(g.index, g[col].values, color=colour, lw=1.1, label=col.replace("_", " "))
        ax.set_ylabel(f"{node}\nunits", fontsize=8)
    axes[0].legend(loc="upper right", fontsize=8, ncol=3)
    axes[0].set_title("Inventory by warehouse (mean of replications)", fontsize=10)
    axes[-1].set_xlabel("measured day")
    return fig


def waits_by_cause(waits: pd.DataFrame) -> Figure:
    """Where the time went: unit-days of waiting per cause (replication mean), with the mean
    days per shipment."""
    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.subplots()
    if waits.empty:
        ax.text(0.5, 0.5, "no waits recorded", ha="center", va="center")
        return fig
    reps = max(waits["replication"].nunique(), 1)
    by = waits.groupby("cause").agg(unit_days=("unit_days", "sum"),
                                    shipments=("shipments", "sum"))
    days = waits.assign(w=waits["mean_days"] * waits["shipments"]).groupby("cause")["w"].sum()
    by["mean_days"] = days / by["shipments"]
    by["unit_days"] /= reps
    by = by.sort_values("unit_days")
    ax.barh(by.index, by["unit_days"], color="#457b9d")
    for i, (u, d) in enumerate(zip(by["unit_days"], by["mean_days"])):
        ax.annotate(f"{d:.2f} d/shipment", (u, i), xytext=(3, -3), textcoords="offset points",
                    fontsize=8)
    ax.set_xlabel("unit-days per replication")
    ax.set_title("Where the time went, by cause", fontsize=10)
    ax.margins(x=0.25)
    return fig


def kpi_distributions(kpis: pd.DataFrame, names: list[str]) -> Figure:
    """Each KPI's values across replications (box and points)."""
    names = [n for n in names if n in kpis and kpis[n].notna().any()]
    fig = Figure(figsize=(3 * max(len(names), 1), 3.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, max(len(names), 1)))
    for ax, name in zip(axes, names):
        x = kpis[name].dropna().to_numpy()
        ax.boxplot(x, widths=0.5)
        ax.scatter(np.ones_like(x) + np.linspace(-0.08, 0.08, x.size), x, s=10,
                   color="#1d3557", zorder=3)
        ax.set_title(name, fontsize=9)
        ax.set_xticks([])
    return fig
