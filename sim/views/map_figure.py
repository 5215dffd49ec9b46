"""The network map: nodes by kind at (longitude, latitude) over a light coastline, lanes by mode
and plan use, disrupted elements ringed in red, a legend and greedily placed node labels; with
the colours, markers and longitude helpers the other maps share."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MultipleLocator
from matplotlib.transforms import Bbox

from ..config.spec import NetworkSpec, NodeSpec, Scenario
from ..config.targets import affected
from ..core.enums import Mode, NodeKind
from ..plan import Plan
from .canvas import new_figure
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
KIND_SIZES = {
    NodeKind.FACTORY: 55,
    NodeKind.PORT: 55,
    NodeKind.CUSTOMS: 16,
    NodeKind.WAREHOUSE: 70,
    NodeKind.MARKET: 150,
    NodeKind.HUB: 70,
    NodeKind.FC: 50,
}
MODE_COLOURS = {
    Mode.SEA: "#1d3557",
    Mode.AIR: "#e76f51",
    Mode.RAIL: "#6d597a",
    Mode.ROAD: "#2a9d8f",
    Mode.PARCEL: "#e9a23b",
}
HIGHLIGHT = "#d00000"
COAST = "#c3c9d1"

# Where a lane's named corridor bends on the map (lat, lon): drawn through these points.
VIA_POINTS = {
    "Suez": [(12.6, 43.3), (29.9, 32.6), (36.0, -5.6)],
    "Cape of Good Hope": [(-34.4, 18.5), (36.0, -5.6)],
    "Panama": [(9.1, -79.7)],
}

# Id prefixes that name a node's kind (FAC_SHENZHEN -> "Shenzhen").
_ID_PREFIXES = ("FAC_", "PORT_", "AIR_", "CUS_", "WH_", "DC_", "MKT_")
_MAX_LABELS = 40


def pacific_centred(lons: Iterable[float]) -> bool:
    """Whether longitudes in 0..360 (Pacific in the middle) span less than in -180..180."""
    a = np.asarray(list(lons), dtype=float)
    return a.size > 0 and float(np.ptp(a % 360.0)) < float(np.ptp(a))


def unwrap_longitudes(xs: Sequence[float]) -> list[float]:
    """Each longitude moved by whole turns to within 180 degrees of the previous one, so a line
    through them takes the short way round (across the date line rather than around the
    world)."""
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
            rest = node.id[len(p) :]
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
    """A tick step in degrees giving at most 12 ticks over ``span`` (45 beyond that)."""
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
                line.set(
                    color=HIGHLIGHT, lw=max(1.6 * style["lw"], 3.0), ls="-", alpha=1.0, zorder=2.5
                )
            else:
                line.set(**style)
        hot = [xy for nid, xy in self.pos.items() if nid in ids]
        self.rings.set_offsets(np.asarray(hot, dtype=float).reshape(-1, 2))


def draw_network(ax: Axes, sc: Scenario, plan: Plan, highlight: Collection[str] = ()) -> MapArtists:
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
        xs = unwrap_longitudes([x0, *(lon for _, lon in via), x1])
        ys = [y0, *(lat for lat, _ in via), y1]
        drawn.append((xs, ys))
        on = ln.id in used
        style: dict[str, Any] = dict(
            color=MODE_COLOURS[ln.mode],
            lw=2.2 if on else 0.8,
            ls="-" if on else (0, (4, 3)),
            alpha=0.9 if on else 0.4,
            zorder=2 if on else 1,
        )
        (line,) = ax.plot(xs, ys, solid_capstyle="round", **style)
        lanes[ln.id] = (line, style)
    for kind in NodeKind:
        nodes = [n for n in net.nodes if n.kind is kind]
        if nodes:
            ax.scatter(
                [pos[n.id][0] for n in nodes],
                [pos[n.id][1] for n in nodes],
                s=KIND_SIZES[kind],
                marker=KIND_MARKERS[kind],
                color=KIND_COLOURS[kind],
                edgecolor="white",
                lw=0.7,
                zorder=3 if kind is NodeKind.CUSTOMS else 4,
            )
    rings = ax.scatter(
        np.empty(0), np.empty(0), s=260, facecolor="none", edgecolor=HIGHLIGHT, lw=2.2, zorder=5
    )
    xs = [*(p[0] for p in pos.values()), *(x for d in drawn for x in d[0])]
    ys = [*(p[1] for p in pos.values()), *(y for d in drawn for y in d[1])]
    padx, pady = max(np.ptp(xs) * 0.06, 2.0), max(np.ptp(ys) * 0.12, 2.0)
    bbox = (min(xs) - padx, min(ys) - pady, max(xs) + padx, max(ys) + pady)
    ax.add_collection(
        LineCollection(
            [np.asarray(c) for c in coastline_polylines(bbox, pacific=shift)],
            colors=COAST,
            linewidths=0.7,
            zorder=0.5,
        )
    )
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


def network_map(
    sc: Scenario, plan: Plan, highlight: Collection[str] | None = None, title: str | None = None
) -> Figure:
    """The network over a light coastline (see :func:`draw_network`), with a legend and node
    labels. ``highlight``: node or lane ids drawn in red (see :func:`disrupted_on` for those of
    one day); ``title``: replaces the network's name and description."""
    highlight = set(highlight or ())
    net = sc.network
    fig = new_figure(12, 6.4)
    ax = fig.subplots()
    art = draw_network(ax, sc, plan, highlight)
    ax.set_title(title or textwrap.fill(f"{net.name}: {net.description}", 110), fontsize=10)
    ax.legend(
        handles=map_legend(sc, bool(highlight)),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        framealpha=0.95,
        borderaxespad=0.0,
    )
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
    handles: list = [
        Line2D(
            [],
            [],
            ls="none",
            marker=KIND_MARKERS[k],
            color=KIND_COLOURS[k],
            markersize=9 if k is NodeKind.MARKET else 6,
            label=k.value,
        )
        for k in NodeKind
        if sc.network.of_kind(k)
    ]
    handles += [
        Line2D([], [], color=MODE_COLOURS[m], lw=2.2, label=f"{m.value} lane")
        for m in Mode
        if any(ln.mode is m for ln in sc.network.lanes)
    ]
    handles += [
        Line2D([], [], color="#555555", lw=2.2, label="used by the plan"),
        Line2D([], [], color="#555555", lw=0.8, ls=(0, (4, 3)), alpha=0.6, label="not used"),
    ]
    if hot:
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                markersize=11,
                mfc="none",
                mec=HIGHLIGHT,
                mew=2,
                label="disrupted",
            )
        )
    return handles


def label_nodes(
    fig: Figure, ax: Axes, sc: Scenario, plan: Plan, pos: dict[str, tuple[float, float]]
) -> None:
    """Short labels beside the nodes, placed greedily where they overlap no other label or
    marker and stay inside the axes; a node without room is left unlabelled."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    inside = ax.get_window_extent(renderer)
    on_plan = (
        {n for s in (*plan.supply, *plan.secondary, *plan.expedite) for n in s.route.nodes}
        | set(plan.warehouses)
        | set(plan.markets)
        | {n for o in plan.outlets for n in o.route.nodes}
    )
    rank = {NodeKind.MARKET: 0, NodeKind.WAREHOUSE: 1, NodeKind.FACTORY: 2, NodeKind.PORT: 3}
    nodes = sorted(
        (n for n in sc.network.nodes if n.kind is not NodeKind.CUSTOMS),
        key=lambda n: (n.id not in on_plan, rank.get(n.kind, 9)),
    )[:_MAX_LABELS]
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
            t = ax.annotate(
                short_name(n),
                pos[n.id],
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=7.5 if important else 6.5,
                color="#1d2433" if important else "#6c757d",
                zorder=6,
                path_effects=halo,
                arrowprops=dict(arrowstyle="-", color="#999999", lw=0.5, shrinkA=0, shrinkB=3)
                if far
                else None,
            )
            t.update_positions(renderer)
            bb = Text.get_window_extent(t, renderer).padded(1.5)  # the text, not its leader
            if (
                inside.contains(bb.x0, bb.y0)
                and inside.contains(bb.x1, bb.y1)
                and not any(bb.overlaps(o) for o in taken)
            ):
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
        out += [
            (r, r * 0.5),
            (r, -r * 0.5),
            (-r, r * 0.5),
            (-r, -r * 0.5),
            (0.0, r),
            (0.0, -r),
            (r * 1.3, 0.0),
            (-r * 1.3, 0.0),
        ]
    for r in (30.0, 45.0, 65.0):
        out += [
            (r * float(np.cos(a)), r * float(np.sin(a)))
            for a in np.deg2rad(np.arange(0.0, 360.0, 22.5))
        ]
    return out
