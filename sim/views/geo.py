"""The coastline drawn under Ripple's maps, shipped with the package (no download at run time).

``sim/data/coastline.json`` holds the shores of Natural Earth's 1:110m land (public domain) as
open polylines of (longitude, latitude); ``tools/make_coastline.py`` made it. Maps of a
network that spans the Pacific run longitudes over 0..360 (see ``map_figure.pacific_centred``):
the coastline is shifted the same way and cut where it would jump across the frame.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

BBox = tuple[float, float, float, float]  # (lon_min, lat_min, lon_max, lat_max)
Polyline = list[tuple[float, float]]


@lru_cache(maxsize=1)
def _raw() -> tuple[np.ndarray, ...]:
    text = resources.files("sim").joinpath("data/coastline.json").read_text()
    return tuple(np.asarray(ln, dtype=float) for ln in json.loads(text)["lines"])


def _split(a: np.ndarray, jump: float = 180.0) -> list[np.ndarray]:
    """``a`` (n x 2) cut wherever consecutive longitudes differ by more than ``jump``."""
    cut = np.flatnonzero(np.abs(np.diff(a[:, 0])) > jump) + 1
    return [p for p in np.split(a, cut) if len(p) >= 2]


@lru_cache(maxsize=2)
def _frame(pacific: bool) -> tuple[np.ndarray, ...]:
    """The polylines in the map's longitude frame: -180..180, or 0..360 when ``pacific``."""
    if not pacific:
        return _raw()
    out: list[np.ndarray] = []
    for ln in _raw():
        shifted = np.column_stack([ln[:, 0] % 360.0, ln[:, 1]])
        out += _split(shifted)
    return tuple(out)


def _clip(a: np.ndarray, bbox: BBox) -> list[np.ndarray]:
    """The runs of ``a``'s segments that have an end inside ``bbox`` (so a line reaches the
    edge of the map, and may step one point out of it between two points inside)."""
    x0, y0, x1, y1 = bbox
    inside = (a[:, 0] >= x0) & (a[:, 0] <= x1) & (a[:, 1] >= y0) & (a[:, 1] <= y1)
    if inside.all():
        return [a]
    keep = inside.copy()
    keep[:-1] |= inside[1:]
    keep[1:] |= inside[:-1]
    if not keep.any():
        return []
    idx = np.flatnonzero(keep)
    cut = np.flatnonzero(np.diff(idx) > 1) + 1
    return [a[run] for run in np.split(idx, cut) if len(run) >= 2]


def coastline_polylines(bbox: BBox | None = None, pacific: bool = False) -> list[Polyline]:
    """The coastline as polylines of (lon, lat) in degrees.

    ``pacific``: longitudes in 0..360 (the Pacific in the middle, as a map of a transpacific
    network draws them), else -180..180. ``bbox``: (lon_min, lat_min, lon_max, lat_max) in that
    same frame; only segments with an end inside it are returned (so lines meet the box's
    edge: clip the drawing to the box), and a box reaching past the frame's edge gets the
    coastline repeated a turn east or west. No polyline crosses the frame's seam.
    """
    lines = _frame(pacific)
    if bbox is None:
        return [[(float(x), float(y)) for x, y in ln] for ln in lines]
    x0, y0, x1, y1 = bbox
    lo, hi = (0.0, 360.0) if pacific else (-180.0, 180.0)
    out: list[Polyline] = []
    for turn in range(int(np.floor((x0 - hi) / 360.0)) + 1, int(np.ceil((x1 - lo) / 360.0))):
        off = 360.0 * turn
        for ln in lines:
            xs = ln[:, 0] + off
            if xs.max() < x0 or xs.min() > x1 or ln[:, 1].max() < y0 or ln[:, 1].min() > y1:
                continue
            for part in _clip(np.column_stack([xs, ln[:, 1]]), bbox):
                out.append([(float(x), float(y)) for x, y in part])
    return out
