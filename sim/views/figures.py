"""Figures of a run, as matplotlib ``Figure`` objects on the Agg canvas (no pyplot state: safe
headless and in parallel). Data in, figure out; the report decides where they go."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MultipleLocator, PercentFormatter
from matplotlib.transforms import Bbox

from ..analysis.columns import KPI_UNITS
from ..config.spec import NetworkSpec, NodeSpec, Scenario
from ..config.targets import affected
from ..core.enums import Mode, NodeKind
from ..plan import Plan
from .geo import coastline_polylines

log = logging.getLogger(__name__)

KIND_COLOURS = {
    NodeKind.FACTORY: "#6a4c93",
    NodeKind.PORT: "#1982c4",
    NodeKind.CUSTOMS: "#ff924c",
    NodeKind.WAREHOUSE: "#2a9d8f",
    NodeKind.MARKET: "#e63946",
    NodeKind.HUB: "#8338ec",
    NodeKind.FC: "#52b788",
}
KIND_MARKERS = {
    NodeKind.FACTORY: "s",
    NodeKind.PORT: "o",
    NodeKind.CUSTOMS: "D",
    NodeKind.WAREHOUSE: "^",
    NodeKind.MARKET: "*",
    NodeKind.HUB: "p",
    NodeKind.FC: "v",
}
KIND_SIZES = {NodeKind.FACTORY: 55, NodeKind.PORT: 55, NodeKind.CUSTOMS: 16,
              NodeKind.WAREHOUSE: 70, NodeKind.MARKET: 150, NodeKind.HUB: 70, NodeKind.FC: 50}
MODE_COLOURS = {
    Mode.SEA: "#1d3557",
    Mode.AIR: "#e76f51",
    Mode.RAIL: "#6d597a",
    Mode.ROAD: "#2a9d8f",
    Mode.PARCEL: "#e9a23b",
}
HIGHLIGHT = "#d00000"
COAST = "#c3c9d1"
METRIC_COLOURS = {"on_hand": "#219ebc", "in_transit": "#8d99ae", "backlog": "#d62828"}

# Where a lane's named corridor bends on the map (lat, lon): drawn through these points.
VIA_POINTS = {
    "Suez": [(12.6, 43.3), (29.9, 32.6), (36.0, -5.6)],
    "Cape of Good Hope": [(-34.4, 18.5), (36.0, -5.6)],
    "Panama": [(9.1, -79.7)],
}

# Id prefixes that name a node's kind (FAC_SHENZHEN -> "Shenzhen").
_ID_PREFIXES = ("FAC_", "PORT_", "AIR_", "CUS_", "WH_", "DC_", "MKT_")
_MAX_LABELS = 40

Mark = tuple[str, float, float]  # (label, first day, end day) shaded on the daily figures


def new_figure(width: float, height: float) -> Figure:
    """A constrained-layout figure drawn by the non-interactive Agg canvas."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


# -- map ------------------------------------------------------------------------------------


def pacific_centred(lons: Iterable[float]) -> bool:
    """Whether longitudes in 0..360 (Pacific in the middle) span less than in -180..180."""
    a = np.asarray(list(lons), dtype=float)
    return a.size > 0 and float(np.ptp(a % 360.0)) < float(np.ptp(a))


def _unwrap(xs: Sequence[float]) -> list[float]:
    """Each longitude moved by whole turns to within 180 degrees of the previous one."""
    out = [float(xs[0])]
    for x in xs[1:]:
        out.append(float(x) + 360.0 * round((out[-1] - float(x)) / 360.0))
    return out


def lon_label(x: float, _pos: object = None) -> str:
    """A (possibly shifted) longitude as real degrees east or west."""
    lon = ((x + 180.0) % 360.0) - 180.0
    if abs(lon) < 1e-9 or abs(abs(lon) - 180.0) < 1e-9:
        return f"{abs(lon):.0f}°"
    return f"{abs(lon):.0f}°{'E' if lon > 0 else 'W'}"


def lat_label(y: float, _pos: object = None) -> str:
    """A latitude as degrees north or south."""
    return "0°" if abs(y) < 1e-9 else f"{abs(y):.0f}°{'N' if y > 0 else 'S'}"


def short_name(node: NodeSpec) -> str:
    """A compact label: a market's name when short, else the id without its kind prefix
    (WH_INLAND_EMPIRE -> Inland Empire, AIR_LAX -> LAX), else the name up to its first comma
    or parenthesis."""
    base = node.name.split("(")[0].split(",")[0].strip()
    if node.kind is NodeKind.MARKET and 0 < len(base) <= 16:
        return base
    for p in _ID_PREFIXES:
        if node.id.upper().startswith(p) and len(node.id) > len(p):
            rest = node.id[len(p):]
            code = len(rest) <= 4 and node.kind is NodeKind.PORT
            return rest.upper() if code else rest.replace("_", " ").title()
    return base if 0 < len(base) <= 18 else node.id


def plan_lanes(plan: Plan) -> set[str]:
    """Lanes the plan uses: supply (primary, second-source, expedite), transfers, last mile."""
    used = {lid for s in (*plan.supply, *plan.secondary, *plan.expedite) for lid in s.route.lanes}
    used |= {lid for _, _, r in plan.transfers for lid in r.lanes}
    used |= {lane for o in plan.outlets for lane in o.route.lanes}
    used |= {lane for f in plan.feeds for lane in f.route.lanes}
    return used


def _step(span: float) -> float:
    for s in (1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0):
        if span / s <= 12:
            return s
    return 45.0


@dataclass
class MapArtists:
    """What :func:`draw_network` put on an axes, so a caller (the animation) can restyle it."""

    ax: Axes
    pos: dict[str, tuple[float, float]]  # node id -> (x, y) in the map's frame
    lanes: dict[str, tuple[Line2D, dict]]  # lane id -> its line and normal style
    rings: PathCollection  # highlight rings around disrupted nodes
    pacific: bool

    def highlight(self, ids: Collection[str]) -> None:
        """Draw the nodes and lanes in ``ids`` in the highlight colour, the others normally."""
        for lid, (line, style) in self.lanes.items():
            if lid in ids:
                line.set(color=HIGHLIGHT, lw=max(1.6 * style["lw"], 3.0), ls="-", alpha=1.0,
                         zorder=2.5)
            else:
                line.set(**style)
        hot = [xy for nid, xy in self.pos.items() if nid in ids]
        self.rings.set_offsets(np.asarray(hot, dtype=float).reshape(-1, 2))


def draw_network(ax: Axes, sc: Scenario, plan: Plan, highlight: Collection[str] = ()
                 ) -> MapArtists:
    """The network on ``ax`` over a light coastline: nodes by kind at (longitude, latitude),
    lanes by mode (the plan's solid and thick, the others thin and dashed), ``highlight``
    (node and lane ids) in red. Longitudes run 0..360 when that puts the Pacific in the
    middle; ticks read in real degrees."""
    net = sc.network
    shift = pacific_centred(n.lon for n in net.nodes)
    pos = {n.id: ((n.lon % 360.0) if shift else n.lon, n.lat) for n in net.nodes}
    used = plan_lanes(plan)
    drawn: list[tuple[list[float], list[float]]] = []
    lanes: dict[str, tuple[Line2D, dict]] = {}
    for ln in sorted(net.lanes, key=lambda ln: ln.id in used):  # used lanes on top
        (x0, y0), (x1, y1) = pos[ln.src], pos[ln.dst]
        via = VIA_POINTS.get(ln.via, [])
        xs = _unwrap([x0, *(lon for _, lon in via), x1])
        ys = [y0, *(lat for lat, _ in via), y1]
        drawn.append((xs, ys))
        on = ln.id in used
        style = dict(color=MODE_COLOURS[ln.mode], lw=2.2 if on else 0.8,
                     ls="-" if on else (0, (4, 3)), alpha=0.9 if on else 0.4,
                     zorder=2 if on else 1)
        (line,) = ax.plot(xs, ys, solid_capstyle="round", **style)
        lanes[ln.id] = (line, style)
    for kind in NodeKind:
        nodes = [n for n in net.nodes if n.kind is kind]
        if nodes:
            ax.scatter([pos[n.id][0] for n in nodes], [pos[n.id][1] for n in nodes],
                       s=KIND_SIZES[kind], marker=KIND_MARKERS[kind], color=KIND_COLOURS[kind],
                       edgecolor="white", lw=0.7, zorder=3 if kind is NodeKind.CUSTOMS else 4)
    rings = ax.scatter(np.empty(0), np.empty(0), s=260, facecolor="none", edgecolor=HIGHLIGHT,
                       lw=2.2, zorder=5)
    xs = [*(p[0] for p in pos.values()), *(x for d in drawn for x in d[0])]
    ys = [*(p[1] for p in pos.values()), *(y for d in drawn for y in d[1])]
    padx, pady = max(np.ptp(xs) * 0.06, 2.0), max(np.ptp(ys) * 0.12, 2.0)
    bbox = (min(xs) - padx, min(ys) - pady, max(xs) + padx, max(ys) + pady)
    ax.add_collection(LineCollection(
        [np.asarray(c) for c in coastline_polylines(bbox, pacific=shift)],
        colors=COAST, linewidths=0.7, zorder=0.5))
    ax.set_xlim(bbox[0], bbox[2])
    ax.set_ylim(bbox[1], bbox[3])
    ax.xaxis.set_major_locator(MultipleLocator(_step(np.ptp(xs) + 2 * padx)))
    ax.yaxis.set_major_locator(MultipleLocator(_step(np.ptp(ys) + 2 * pady)))
    ax.xaxis.set_major_formatter(FuncFormatter(lon_label))
    ax.yaxis.set_major_formatter(FuncFormatter(lat_label))
    ax.tick_params(labelsize=8)
    ax.grid(color="#e3e3e3", lw=0.6, zorder=0)
    ax.set_facecolor("#fbfcfd")
    ax.set_xlabel("longitude" + (" (Pacific-centred)" if shift else ""), fontsize=9)
    ax.set_ylabel("latitude", fontsize=9)
    art = MapArtists(ax, pos, lanes, rings, shift)
    art.highlight(set(highlight))
    return art


def network_map(sc: Scenario, plan: Plan, highlight: Collection[str] | None = None,
                title: str | None = None) -> Figure:
    """The network over a light coastline (see :func:`draw_network`), with a legend and node
    labels. ``highlight``: node or lane ids drawn in red (see :func:`disrupted_on` for those of
    one day); ``title``: replaces the network's name and description."""
    highlight = set(highlight or ())
    net = sc.network
    fig = new_figure(12, 6.4)
    ax = fig.subplots()
    art = draw_network(ax, sc, plan, highlight)
    ax.set_title(title or textwrap.fill(f"{net.name}: {net.description}", 110), fontsize=10)
    ax.legend(handles=map_legend(sc, bool(highlight)), loc="upper left",
              bbox_to_anchor=(1.01, 1.0), fontsize=8, framealpha=0.95, borderaxespad=0.0)
    fig.canvas.draw()  # settle the layout, then freeze it so labels can be placed in pixels
    fig.set_layout_engine("none")
    label_nodes(fig, ax, sc, plan, art.pos)
    return fig


def disrupted_on(net: NetworkSpec, windows: pd.DataFrame, day: float) -> set[str]:
    """Ids of the nodes and lanes under a disruption during measured day ``day`` (the
    windows of ``disruptions.parquet``: kind, target, start, end; a window is on during a day
    it overlaps)."""
    if windows is None or windows.empty:
        return set()
    on = windows[(windows["start"] < day + 1) & (windows["end"] > day)]
    out: set[str] = set()
    for kind, target in zip(on["kind"], on["target"]):
        nodes, lanes = affected(net, str(kind), str(target))
        out |= nodes | lanes
    return out


def map_legend(sc: Scenario, hot: bool) -> list:
    """Legend handles of the map: node kinds, lane modes, plan use, and disrupted if ``hot``."""
    handles: list = [Line2D([], [], ls="none", marker=KIND_MARKERS[k], color=KIND_COLOURS[k],
                            markersize=9 if k is NodeKind.MARKET else 6, label=k.value)
                     for k in NodeKind if sc.network.of_kind(k)]
    handles += [Line2D([], [], color=MODE_COLOURS[m], lw=2.2, label=f"{m.value} lane")
                for m in Mode if any(ln.mode is m for ln in sc.network.lanes)]
    handles += [Line2D([], [], color="#555555", lw=2.2, label="used by the plan"),
                Line2D([], [], color="#555555", lw=0.8, ls=(0, (4, 3)), alpha=0.6,
                       label="not used")]
    if hot:
        handles.append(Line2D([], [], ls="none", marker="o", markersize=11, mfc="none",
                              mec=HIGHLIGHT, mew=2, label="disrupted"))
    return handles


def label_nodes(fig: Figure, ax: Axes, sc: Scenario, plan: Plan,
                 pos: dict[str, tuple[float, float]]) -> None:
    """Short labels beside the nodes, placed greedily where they overlap no other label or
    marker and stay inside the axes; a node without room is left unlabelled."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    inside = ax.get_window_extent(renderer)
    on_plan = ({n for s in (*plan.supply, *plan.secondary, *plan.expedite)
                for n in s.route.nodes} | set(plan.warehouses) | set(plan.markets)
               | {n for o in plan.outlets for n in o.route.nodes})
    rank = {NodeKind.MARKET: 0, NodeKind.WAREHOUSE: 1, NodeKind.FACTORY: 2, NodeKind.PORT: 3}
    nodes = sorted((n for n in sc.network.nodes if n.kind is not NodeKind.CUSTOMS),
                   key=lambda n: (n.id not in on_plan, rank.get(n.kind, 9)))[:_MAX_LABELS]
    taken: list[Bbox] = []
    for n in sc.network.nodes:  # markers are obstacles too
        px, py = ax.transData.transform(pos[n.id])
        r = 0.5 * np.sqrt(KIND_SIZES[n.kind]) * fig.dpi / 72.0
        taken.append(Bbox.from_extents(px - r, py - r, px + r, py + r))
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    skipped = []
    for n in nodes:
        important = n.id in on_plan
        for dx, dy in _candidates():
            ha = "left" if dx > 1 else "right" if dx < -1 else "center"
            va = "bottom" if dy > 1 else "top" if dy < -1 else "center"
            far = abs(dx) + abs(dy) > 20
            t = ax.annotate(short_name(n), pos[n.id], xytext=(dx, dy), textcoords="offset points",
                            ha=ha, va=va, fontsize=7.5 if important else 6.5,
                            color="#1d2433" if important else "#6c757d", zorder=6,
                            path_effects=halo,
                            arrowprops=dict(arrowstyle="-", color="#999999", lw=0.5,
                                            shrinkA=0, shrinkB=3) if far else None)
            t.update_positions(renderer)
            bb = Text.get_window_extent(t, renderer).padded(1.5)  # the text, not its leader
            if (inside.contains(bb.x0, bb.y0) and inside.contains(bb.x1, bb.y1)
                    and not any(bb.overlaps(o) for o in taken)):
                taken.append(bb)
                break
            t.remove()
        else:
            skipped.append(n.id)
    if skipped:
        log.debug("map: no room to label %s", ", ".join(skipped))


def _candidates() -> list[tuple[float, float]]:
    """Label offsets in points: close to the marker first, then further out in more directions
    (those get a leader line)."""
    out: list[tuple[float, float]] = []
    for r in (7.0, 16.0):
        out += [(r, r * 0.5), (r, -r * 0.5), (-r, r * 0.5), (-r, -r * 0.5), (0.0, r),
                (0.0, -r), (r * 1.3, 0.0), (-r * 1.3, 0.0)]
    for r in (30.0, 45.0, 65.0):
        out += [(r * float(np.cos(a)), r * float(np.sin(a)))
                for a in np.deg2rad(np.arange(0.0, 360.0, 22.5))]
    return out


# -- daily series ---------------------------------------------------------------------------


def _shade(axes: Sequence[Axes], marks: Sequence[Mark]) -> int:
    """Shade the marked windows on every axis and name them on the first; how many fell
    inside the plotted days."""
    lo, hi = axes[0].get_xlim()
    shown = 0
    for label, start, end in marks:
        end = max(end, start + 1.0)
        if end < lo or start > hi:
            continue
        shown += 1
        for ax in axes:
            ax.axvspan(start, end, color="#f4a261", alpha=0.22, lw=0, zorder=0)
        right = start > lo + 0.7 * (hi - lo)  # name it leftwards near the right edge
        axes[0].annotate(label, xy=(end if right else start, 1.0),
                         xycoords=("data", "axes fraction"), xytext=(-2 if right else 2, 2),
                         textcoords="offset points", fontsize=7, color="#9c4a00",
                         ha="right" if right else "left", va="bottom", annotation_clip=False)
    return shown


def _nodes(daily: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, list[str]]:
    d = daily[daily["kind"] == kind]
    return d, list(dict.fromkeys(d["node"]))


def _empty(fig: Figure, text: str) -> Figure:
    ax = fig.subplots()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, color="#555555")
    ax.set_axis_off()
    return fig


def daily_service(daily: pd.DataFrame, marks: Sequence[Mark] = ()) -> Figure:
    """Per market: daily service level (units shipped from stock / demanded), mean over
    replications with the band between their 10th and 90th percentiles. ``marks``: windows
    to shade, such as promotions."""
    m, markets = _nodes(daily, "market")
    fig = new_figure(11, 1.9 * max(len(markets), 1) + 1.1)
    if not markets:
        return _empty(fig, "no market series recorded")
    axes = np.atleast_1d(fig.subplots(len(markets), 1, sharex=True, sharey=True))
    reps = m["replication"].nunique()
    for ax, node in zip(axes, markets):
        g = m[m["node"] == node].groupby("day")["service_level"]
        q = g.quantile([0.1, 0.9]).unstack()
        mean = g.mean()
        ax.fill_between(q.index, q[0.1], q[0.9], color="#8ecae6", alpha=0.6, lw=0,
                        label="10th-90th percentile of replications", zorder=1)
        ax.plot(mean.index, mean.values, color="#023047", lw=1.0, label="mean", zorder=2)
        ax.set_ylim(0, 1.04)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.yaxis.set_major_locator(MultipleLocator(0.25))
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
        ax.tick_params(labelsize=8)
        sub = m[m["node"] == node]
        fill = sub["shipped"].sum() / sub["demand"].sum() if sub["demand"].sum() > 0 else np.nan
        ax.text(0.005, 0.04, f"{node}  (fill rate {fill:.1%} of units)",
                transform=ax.transAxes, fontsize=8.5, fontweight="bold", color="#023047",
                va="bottom", path_effects=[patheffects.withStroke(linewidth=3,
                                                                  foreground="white")])
    shaded = _shade(list(axes), marks)
    axes[-1].set_xlabel("measured day", fontsize=9)
    fig.supylabel("fill rate (shipped from stock / demanded)", fontsize=9)
    handles, labels = axes[0].get_legend_handles_labels()
    if shaded:
        handles.append(Patch(color="#f4a261", alpha=0.35, lw=0))
        labels.append("promotion")
    fig.legend(handles, labels, loc="outside upper right", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(f"Daily service level by market ({reps} replication{'s' * (reps != 1)})",
                 fontsize=10, x=0.02, ha="left")
    return fig


def daily_inventory(daily: pd.DataFrame, marks: Sequence[Mark] = ()) -> Figure:
    """Per warehouse: units on hand, in transit towards it and on backorder by day, each the
    mean over replications."""
    w, nodes = _nodes(daily, "warehouse")
    fig = new_figure(11, 1.9 * max(len(nodes), 1) + 1.1)
    if not nodes:
        return _empty(fig, "no warehouse series recorded")
    axes = np.atleast_1d(fig.subplots(len(nodes), 1, sharex=True))
    reps = w["replication"].nunique()
    for ax, node in zip(axes, nodes):
        g = w[w["node"] == node].groupby("day")[list(METRIC_COLOURS)].mean()
        for col, colour in METRIC_COLOURS.items():
            ax.plot(g.index, g[col].values, color=colour, lw=1.1, label=col.replace("_", " "))
        top = float(np.nanmax(g.values)) if g.size else 1.0
        ax.set_ylim(0, max(top, 1.0) * 1.22)  # head room for the node name
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
        ax.tick_params(labelsize=8)
        ax.text(0.005, 0.97, node, transform=ax.transAxes, fontsize=8.5, fontweight="bold",
                color="#1d2433", va="top")
    _shade(list(axes), marks)
    axes[-1].set_xlabel("measured day", fontsize=9)
    fig.supylabel("units (mean of replications)", fontsize=9)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper right", ncol=3,
               fontsize=8, frameon=False)
    fig.suptitle(f"Inventory by warehouse ({reps} replication{'s' * (reps != 1)})",
                 fontsize=10, x=0.02, ha="left")
    return fig


# -- waits and KPIs -------------------------------------------------------------------------


def wait_summary(waits: pd.DataFrame) -> pd.DataFrame:
    """Per cause: unit-days per replication (mean over replications), shipments delayed by it
    per replication and the mean days per such shipment; largest first."""
    reps = max(waits["replication"].nunique(), 1)
    by = (waits.assign(days=waits["mean_days"] * waits["shipments"])
          .groupby("cause")[["unit_days", "shipments", "days"]].sum())
    out = pd.DataFrame({"unit_days": by["unit_days"] / reps,
                        "shipments": by["shipments"] / reps,
                        "mean_days": by["days"] / by["shipments"].where(by["shipments"] > 0)})
    return out.sort_values("unit_days", ascending=False)


def waits_by_cause(waits: pd.DataFrame) -> Figure:
    """Where the time went: unit-days per cause (mean over replications, left) and mean days
    per shipment at each stop with that cause (right)."""
    fig = new_figure(11, 4.6)
    if waits.empty:
        return _empty(fig, "no waits recorded")
    s = wait_summary(waits).iloc[::-1]  # largest on top
    labels = [c.replace("_", " ") for c in s.index]
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[1.6, 1])
    y = np.arange(len(s))
    total = float(s["unit_days"].sum())
    left.barh(y, s["unit_days"], color="#457b9d")
    for i, u in enumerate(s["unit_days"]):
        left.annotate(f"{u:,.0f}  ({u / total:.0%})" if total > 0 else f"{u:,.0f}", (u, i),
                      xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    left.set_yticks(y, labels, fontsize=9)
    left.xaxis.set_major_formatter(FuncFormatter(_thousands))
    left.set_xlabel("unit-days per replication (share of all waiting)", fontsize=9)
    left.margins(x=0.28)
    right.barh(y, s["mean_days"], color="#e9a23b")
    for i, (d, n) in enumerate(zip(s["mean_days"], s["shipments"])):
        right.annotate(f"{d:.2f} d  (n={n:,.0f})", (d, i), xytext=(3, 0),
                       textcoords="offset points", va="center", fontsize=8)
    right.set_xlabel("mean days per shipment at a stop with this cause", fontsize=9)
    right.margins(x=0.45)
    for ax in (left, right):
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_axisbelow(True)
    fig.suptitle("Where replenishment shipments spent their time, by cause "
                 "(n: shipment stops per replication)", fontsize=10, x=0.02, ha="left")
    return fig


def _thousands(v: float, _pos: object = None) -> str:
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.1f} M"
    if abs(v) >= 1e3:
        return f"{v / 1e3:,.0f} k"
    return f"{v:,.0f}"


def _formatter(unit: str) -> FuncFormatter:
    if unit.startswith("share"):
        return FuncFormatter(lambda v, _p: f"{100 * v:.1f}%")
    if unit == "USD":
        return FuncFormatter(lambda v, _p: f"{v / 1e6:.3f} M" if abs(v) >= 1e6 else f"{v:,.0f}")
    if unit == "days":
        return FuncFormatter(lambda v, _p: f"{v:.2f}")
    return FuncFormatter(_thousands)


def kpi_distributions(kpis: pd.DataFrame, names: Sequence[str],
                      units: dict[str, str] | None = None) -> Figure:
    """Small multiples: each KPI's values across replications (box, points, mean as a
    diamond). ``units``: KPI units for the axis labels (default: every KPI's)."""
    units = KPI_UNITS if units is None else units
    names = [n for n in names if n in kpis and kpis[n].notna().any()]
    fig = new_figure(2.8 * max(len(names), 1) + 0.4, 3.4)
    if not names:
        return _empty(fig, "no KPI values")
    axes = np.atleast_1d(fig.subplots(1, len(names)))
    for ax, name in zip(axes, names):
        x = kpis[name].dropna().to_numpy(dtype=float)
        ax.boxplot(x, widths=0.5, showfliers=False, medianprops={"color": "#e76f51"},
                   boxprops={"color": "#555555"}, whiskerprops={"color": "#555555"},
                   capprops={"color": "#555555"})
        jitter = np.linspace(-0.12, 0.12, x.size) if x.size > 1 else np.zeros(1)
        ax.scatter(1 + jitter, x, s=14, color="#1d3557", alpha=0.8, zorder=3, lw=0)
        ax.scatter([1.38], [x.mean()], marker="D", s=28, color="#e76f51", zorder=4)
        unit = units.get(name, "")
        ax.yaxis.set_major_formatter(_formatter(unit))
        ax.set_title(name, fontsize=9)
        ax.set_xticks([])
        ax.set_xlim(0.55, 1.5)
        ax.set_xlabel(unit, fontsize=8, color="#555555")
        ax.tick_params(labelsize=8)
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
    n = len(kpis)
    fig.suptitle(f"KPIs across {n} replication{'s' * (n != 1)} (box: quartiles; line: median; "
                 "diamond: mean)", fontsize=10, x=0.02, ha="left")
    return fig
