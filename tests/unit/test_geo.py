"""The shipped coastline (both longitude frames, clipping to a box, no seam-crossing lines)
and the resolution of disruption targets to the nodes and lanes a map highlights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config.targets import affected
from sim.views.geo import coastline_polylines
from sim.views.map_figure import disrupted_on

from ..conftest import scenario

LOS_ANGELES = (-118.2, 33.7)
SHANGHAI = (121.5, 31.2)


def _near(lines, lon: float, lat: float, tol: float = 1.5) -> bool:
    pts = np.concatenate([np.asarray(ln) for ln in lines])
    return bool((np.hypot(pts[:, 0] - lon, pts[:, 1] - lat) < tol).any())


@pytest.mark.parametrize("pacific", [False, True])
def test_whole_coastline_in_its_frame_without_seam_jumps(pacific):
    lines = coastline_polylines(pacific=pacific)
    assert len(lines) > 100 and sum(len(ln) for ln in lines) > 4000
    pts = np.concatenate([np.asarray(ln) for ln in lines])
    lo, hi = (0.0, 360.0) if pacific else (-180.0, 180.0)
    assert pts[:, 0].min() >= lo and pts[:, 0].max() <= hi
    assert pts[:, 1].min() >= -90 and pts[:, 1].max() <= 84
    for ln in lines:
        assert len(ln) >= 2
        assert np.abs(np.diff(np.asarray(ln)[:, 0])).max() < 180.0
    la = (LOS_ANGELES[0] % 360.0, LOS_ANGELES[1]) if pacific else LOS_ANGELES
    assert _near(lines, *la) and _near(lines, *SHANGHAI)


def test_bbox_clips_and_repeats_across_the_frame_edge():
    box = (100.0, 0.0, 300.0, 60.0)  # the transpacific map's box in the 0..360 frame
    for pacific in (True, False):  # in -180..180 the eastern part comes a turn east
        lines = coastline_polylines(box, pacific=pacific)
        assert _near(lines, LOS_ANGELES[0] + 360.0, LOS_ANGELES[1]), pacific
        assert _near(lines, *SHANGHAI), pacific
        for ln in lines:  # every segment has an end in the box (it may reach one point out)
            a = np.asarray(ln)
            inside = (
                (a[:, 0] >= box[0])
                & (a[:, 0] <= box[2])
                & (a[:, 1] >= box[1])
                & (a[:, 1] <= box[3])
            )
            assert (inside[:-1] | inside[1:]).all()
    assert not _near(coastline_polylines(box, pacific=True), 10.0, 50.0, tol=20)  # no Europe
    assert coastline_polylines((-170.0, -10.0, -160.0, -5.0)) == []  # open Pacific


def test_targets_resolve_to_nodes_and_lanes():
    net = scenario(["experiment=quick", "scenario=red_sea_2023"])[0].network
    suez = {ln.id for ln in net.lanes if ln.via == "Suez"}
    assert suez and affected(net, "route_suspension", "via:Suez") == (frozenset(), suez)
    lane = sorted(suez)[0]
    assert affected(net, "route_suspension", lane) == (frozenset(), {lane})
    carrier = next(ln.carrier for ln in net.lanes if ln.carrier)
    assert affected(net, "carrier_failure", carrier)[1] == {
        ln.id for ln in net.lanes if ln.carrier == carrier
    }
    assert affected(net, "freight_cost_shock", "air")[1] == {
        ln.id for ln in net.lanes if ln.mode.value == "air"
    }
    port = next(n.id for n in net.nodes if n.kind.value == "port")
    assert affected(net, "port_strike", port) == ({port}, frozenset())


def test_a_window_is_on_during_the_days_it_overlaps():
    net = scenario(["experiment=quick"])[0].network
    w = pd.DataFrame(
        {
            "kind": ["port_strike", "carrier_failure"],
            "target": ["PORT_LALB", "Gemini"],
            "start": [30.0, 50.5],
            "end": [40.0, 51.2],
        }
    )
    gemini = {ln.id for ln in net.lanes if ln.carrier == "Gemini"}
    assert disrupted_on(net, w, 29) == set()
    assert disrupted_on(net, w, 30) == disrupted_on(net, w, 39) == {"PORT_LALB"}
    assert disrupted_on(net, w, 40) == set()
    assert disrupted_on(net, w, 50) == disrupted_on(net, w, 51) == gemini
    assert disrupted_on(net, w.iloc[:0], 35) == set()
