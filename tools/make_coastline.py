"""Build ``sim/data/coastline.json``, the light coastline drawn under Ripple's maps.

Run once by a developer, not at run time and not by an install (its inputs are not
dependencies of Ripple)::

    pip download --no-deps geopandas==0.14.4        # ships Natural Earth 1:110m countries
    unzip -q geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' -d gp
    pip install pyshp shapely
    python tools/make_coastline.py gp/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Source: Natural Earth 1:110m Admin 0 countries (public domain, naturalearthdata.com), as
shipped by geopandas 0.14.4 (BSD-3-Clause) in ``geopandas/datasets/naturalearth_lowres``. The
countries are merged into land, so only shores remain (no land borders); each ring is cut
where it runs along the antimeridian or the South Pole's edge (artefacts of the plate carree
frame, not coasts) and written as open polylines of (lon, lat) rounded to 0.01 degree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapefile  # pyshp
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import unary_union

OUT = Path(__file__).resolve().parents[1] / "sim" / "data" / "coastline.json"
EDGE = 179.99  # |lon| at or beyond this is the frame's edge, not a coast


def _artificial(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """A segment along the antimeridian or the bottom edge of the frame."""
    both_edge = abs(a[0]) >= EDGE and abs(b[0]) >= EDGE and (a[0] > 0) == (b[0] > 0)
    return both_edge or (a[1] <= -89.9 and b[1] <= -89.9)


def _lines(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A closed ring as open polylines, cut at the artificial segments."""
    pts = [(round(x, 2), round(y, 2)) for x, y in ring]
    cuts = [i for i in range(len(pts) - 1) if _artificial(pts[i], pts[i + 1])]
    if not cuts:
        return [pts]
    k = cuts[0] + 1  # start just after the first cut so no line wraps around the ring's end
    pts = pts[k:-1] + pts[:k]
    out, cur = [], [pts[0]]
    for a, b in zip(pts, pts[1:]):
        if _artificial(a, b):
            out.append(cur)
            cur = [b]
        else:
            cur.append(b)
    out.append(cur)
    return [ln for ln in out if len(ln) >= 2]


def main(shp: str) -> None:
    polys = [shape(s.__geo_interface__) for s in shapefile.Reader(shp).shapes()]
    land = unary_union([p.buffer(0) for p in polys])
    parts = land.geoms if isinstance(land, MultiPolygon) else [land]
    lines: list[list[tuple[float, float]]] = []
    for p in parts:
        assert isinstance(p, Polygon)
        for ring in (p.exterior, *p.interiors):
            lines += _lines(list(ring.coords))
    lines = [ln for ln in lines if len(set(ln)) >= 2]
    data = {
        "source": "Natural Earth 1:110m Admin 0 countries, merged into land "
        "(geopandas 0.14.4 naturalearth_lowres)",
        "licence": "public domain (Natural Earth)",
        "lines": [[[x, y] for x, y in ln] for ln in lines],
    }
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    n = sum(len(ln) for ln in lines)
    sys.stdout.write(f"{OUT}: {len(lines)} polylines, {n} points, {OUT.stat().st_size} bytes\n")


if __name__ == "__main__":
    main(sys.argv[1])
