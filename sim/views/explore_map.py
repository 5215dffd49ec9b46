"""The map geometry of the interactive page: an equirectangular projection of the network into
SVG pixel coordinates (Pacific-centred when that makes the network narrower, as on the report's
map), lanes drawn through their corridor's bends, and a light coastline when
:mod:`sim.geo` is installed (the map is drawn without one otherwise)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..config.spec import NetworkSpec
from .map_figure import KIND_COLOURS, MODE_COLOURS, VIA_POINTS, pacific_centred, unwrap_longitudes

log = logging.getLogger(__name__)

WIDTH = 960.0
MAX_HEIGHT = 560.0
ASPECT = 0.42  # the least height / width of the frame
MIN_PX = 1.5  # coastline points closer than this to the previous kept one are dropped


def _coast(bbox: tuple[float, float, float, float], pacific: bool) -> list[Sequence]:
    """Coastline polylines of (lon, lat) inside ``bbox``, or none without :mod:`sim.geo`."""
    try:
        from .geo import coastline_polylines
    except ImportError:
        log.info("sim.views.geo not available: the interactive map has no coastline")
        return []
    return list(coastline_polylines(bbox, pacific))


def _path(points: Sequence[tuple[float, float]]) -> str:
    """An SVG path through ``points`` (pixels, one decimal), thinned to :data:`MIN_PX`."""
    kept = [points[0]]
    for p in points[1:-1]:
        if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= MIN_PX:
            kept.append(p)
    kept.append(points[-1])
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in kept)


def layout(net: NetworkSpec) -> dict[str, Any]:
    """Pixel positions of nodes, lane polylines and coastline paths, and the frame."""
    pacific = pacific_centred(n.lon for n in net.nodes)
    pos = {n.id: ((n.lon % 360.0) if pacific else n.lon, n.lat) for n in net.nodes}
    lanes = []
    for ln in net.lanes:
        (x0, y0), (x1, y1) = pos[ln.src], pos[ln.dst]
        via = VIA_POINTS.get(ln.via, [])
        xs = unwrap_longitudes([x0, *(lon for _, lon in via), x1])
        ys = [y0, *(lat for lat, _ in via), y1]
        lanes.append((ln, list(zip(xs, ys))))
    xs = [p[0] for p in pos.values()] + [x for _, pts in lanes for x, _ in pts]
    ys = [p[1] for p in pos.values()] + [y for _, pts in lanes for _, y in pts]
    dx, dy = max(xs) - min(xs), max(ys) - min(ys)
    padx, pady = max(dx * 0.05, 2.0), max(dy * 0.1, 2.0)
    # a frame at least ASPECT as tall as wide, so that a wide network keeps its geography
    pady = max(pady, ((dx + 2 * padx) * ASPECT - dy) / 2)
    # labels run to the right of their node: more room on that side
    bbox = (
        min(xs) - padx,
        max(min(ys) - pady, -90.0),
        max(xs) + 2 * padx,
        min(max(ys) + pady, 90.0),
    )
    k = min(WIDTH / (bbox[2] - bbox[0]), MAX_HEIGHT / (bbox[3] - bbox[1]))

    def px(x: float, y: float) -> tuple[float, float]:
        return (x - bbox[0]) * k, (bbox[3] - y) * k

    coast = [_path([px(x, y) for x, y in line]) for line in _coast(bbox, pacific) if len(line) >= 2]
    return {
        "width": round((bbox[2] - bbox[0]) * k, 1),
        "height": round((bbox[3] - bbox[1]) * k, 1),
        "pacific": pacific,
        "bbox": [round(v, 3) for v in bbox],
        "nodes": {n: [round(c, 1) for c in px(*p)] for n, p in pos.items()},
        "lanes": [
            {
                "id": ln.id,
                "src": ln.src,
                "dst": ln.dst,
                "mode": ln.mode.value,
                "d": _path([px(x, y) for x, y in pts]),
            }
            for ln, pts in lanes
        ],
        "coast": coast,
        "kind_colours": {k.value: c for k, c in KIND_COLOURS.items()},
        "mode_colours": {m.value: c for m, c in MODE_COLOURS.items()},
    }
