"""A route suspension adds exactly the detour's extra transit time to shipments that reroute,
and makes the others wait exactly until the lane reopens.

Two parallel lanes join port A to port B, via Suez (10 days) and via the Cape of Good Hope
(22 days), everything deterministic. While the Suez lane is suspended, shipments reaching A
take the Cape lane: their transit is exactly 22 days, 12 more than by Suez. With
``on_closure: wait`` none takes the Cape and each waits at A until the reopening.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.enums import Cause
from sim.model import build_model, handlers

from .builders import build, dist, lane, node, single_echelon

SUEZ, CAPE = 10.0, 22.0


def _config(on_closure: str) -> dict:
    cfg = single_echelon(
        rate=5.0, transit=dist("deterministic", 1.0), target_days=60.0, warmup=30, horizon=200
    )
    net = cfg["network"]
    gate = {"capacity": 50, "service_time": dist("deterministic", 0.0)}
    net["nodes"]["A"] = node("port", lat=1.3, lon=103.8, **gate)
    net["nodes"]["B"] = node("port", lat=51.9, lon=4.1, **gate)
    del net["lanes"]["f_w"]
    net["lanes"]["f_a"] = lane("F", "A", "road", dist("deterministic", 1.0))
    net["lanes"]["suez"] = lane("A", "B", "sea", dist("deterministic", SUEZ), via="Suez")
    net["lanes"]["cape"] = lane(
        "A", "B", "sea", dist("deterministic", CAPE), via="Cape of Good Hope"
    )
    net["lanes"]["b_w"] = lane("B", "W", "road", dist("deterministic", 1.0))
    cfg["strategy"]["replenishment_modes"] = ["road", "sea"]
    cfg["disruption"] = {
        "name": "closure",
        "random": {},
        "scripted": {
            "red_sea": {
                "kind": "route_suspension",
                "target": "via:Suez",
                "start": 20.0,
                "duration": 40.0,
                "on_closure": on_closure,
            }
        },
    }
    return cfg


def _rows(r, sc, lane_id: str, cause: Cause) -> np.ndarray:
    idx = [ln.id for ln in sc.network.lanes].index(lane_id)
    w = r.waits
    return w[(w[:, 1] == idx) & (w[:, 2] == cause)]


def test_reroute_adds_exactly_the_detour():
    sc, plan = build(_config("reroute"))
    r = build_model(sc, plan, 0, handlers.load(handlers.default_backend())).run()
    suez, cape = _rows(r, sc, "suez", Cause.TRANSIT), _rows(r, sc, "cape", Cause.TRANSIT)
    closed_from, closed_to = r.warmup + 20.0, r.warmup + 60.0
    assert len(cape) > 20 and len(suez) > 20
    assert np.all(cape[:, 3] == CAPE) and np.all(suez[:, 3] == SUEZ)
    assert np.all((cape[:, 0] >= closed_from) & (cape[:, 0] < closed_to))
    assert not np.any((suez[:, 0] >= closed_from) & (suez[:, 0] < closed_to))
    assert float(cape[0, 3] - suez[0, 3]) == CAPE - SUEZ  # exactly the detour
    assert len(_rows(r, sc, "suez", Cause.CLOSURE_WAIT)) == 0


@pytest.mark.parametrize("how", ["wait", "no-reroute-strategy"])
def test_wait_for_reopening(how):
    cfg = _config("wait" if how == "wait" else "reroute")
    if how != "wait":
        cfg["strategy"]["reroute"] = False
    sc, plan = build(cfg)
    r = build_model(sc, plan, 0, handlers.load(handlers.default_backend())).run()
    waits = _rows(r, sc, "suez", Cause.CLOSURE_WAIT)
    reopen = r.warmup + 60.0
    assert len(waits) > 20
    assert np.allclose(waits[:, 0] + waits[:, 3], reopen)  # each waits exactly until reopening
    assert len(_rows(r, sc, "cape", Cause.TRANSIT)) == 0


def test_shipments_already_on_the_lane_divert_or_wait():
    """A shipment on the Suez lane when it closes diverts at once and arrives exactly the
    detour later (reroute), or waits out the closure and then sails the rest (wait)."""
    for on_closure in ("reroute", "wait"):
        sc, plan = build(_config(on_closure))
        r = build_model(sc, plan, 0, handlers.load(handlers.default_backend())).run()
        closed_from, reopen = r.warmup + 20.0, r.warmup + 60.0
        idx = [ln.id for ln in sc.network.lanes].index("suez")
        w = r.waits
        riding = w[
            (w[:, 1] == idx)
            & (w[:, 2] == Cause.TRANSIT)
            & (w[:, 0] < closed_from)
            & (w[:, 0] + SUEZ > closed_from)
        ]
        assert len(riding) > 0
        if on_closure == "reroute":
            div = w[(w[:, 1] == idx) & (w[:, 2] == Cause.LANE_SWITCH)]
            assert len(div) == len(riding) and np.all(div[:, 3] == CAPE - SUEZ)
        else:
            hold = w[(w[:, 1] == idx) & (w[:, 2] == Cause.CLOSURE_WAIT) & (w[:, 0] == closed_from)]
            assert len(hold) == len(riding)
            assert np.allclose(hold[:, 0] + hold[:, 3], reopen)


def test_a_second_closure_stops_a_ship_that_waited_out_the_first():
    """Regression: a ship that waited out one closure at sea is on the lane again for the rest
    of its voyage, so a second closure stops it too: nothing reaches B while the lane is shut."""
    cfg = _config("wait")
    cfg["disruption"]["scripted"] = {
        "a": {
            "kind": "route_suspension",
            "target": "suez",
            "start": 20.0,
            "duration": 2.0,
            "on_closure": "wait",
        },
        "b": {
            "kind": "route_suspension",
            "target": "suez",
            "start": 24.0,
            "duration": 20.0,
            "on_closure": "wait",
        },
    }
    sc, plan = build(cfg)
    r = build_model(sc, plan, 0, handlers.load(handlers.default_backend())).run()
    b_node = [n.id for n in sc.network.nodes].index("B")
    w = r.waits
    arrivals = w[(w[:, 1] == b_node) & (w[:, 2] == Cause.BERTH_QUEUE), 0]
    b_from, b_to = r.warmup + 24.0, r.warmup + 44.0
    assert len(arrivals) > 20
    assert not np.any((arrivals > b_from + 1e-9) & (arrivals < b_to - 1e-9))
