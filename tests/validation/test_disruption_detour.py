"""A route suspension with a parallel detour: exact timing, everything deterministic.

Network: factory F -(road, 1 d)-> port A, then two parallel sea lanes A -> port B, via Suez
(``T1`` days) and via the Cape of Good Hope (``T2`` > ``T1`` days), then B -(road, 1 d)-> W
-(parcel)-> market. Ports have ample berths and no service time, so nothing queues; every
transit is deterministic. One replenishment shipment leaves F each day (daily base-stock review).

The Suez lane is suspended from measured day ``CLOSE`` for ``DAYS`` days.

Theory (exact, tolerance: equality of the logged durations; arrival times to 1e-7 days, i.e.
float rounding only):

- ``on_closure: reroute``: a shipment reaching A while Suez is closed takes the Cape lane; its
  TRANSIT row is exactly ``T2`` days, every Suez TRANSIT row exactly ``T1``, so its factory-to-B
  time is exactly ``T2 - T1`` longer than a Suez shipment's. A shipment already on the Suez
  lane when it closes diverts at once and reaches B ``T2 - T1`` days late (a DIVERSION row of
  exactly ``T2 - T1``). Nobody waits for the reopening.
- ``on_closure: wait`` (or ``strategy.reroute: false``): nobody uses the Cape lane; a shipment
  reaching A during the closure waits at A exactly until the reopening (a CLOSURE_WAIT row
  ending at the reopening) and reaches B ``T1`` days after it; one on the lane when it closes
  waits out the closure at sea and arrives ``DAYS`` days late.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.enums import Cause

from .disruption_helpers import base_config, build, dist, lane, lane_index, node, rows, run

T1, T2 = 10.0, 24.0  # Suez, Cape (days)
WARMUP, HORIZON = 30, 170
CLOSE, DAYS = 40.25, 30.0  # measured day the Suez lane closes, and for how long
ATOL = 1e-7  # days: float rounding of sums of deterministic durations


def _config(on_closure: str, strategy_reroute: bool = True) -> dict:
    cfg = base_config(
        warmup=WARMUP,
        horizon=HORIZON,
        daily_units=20.0,
        target_days=60.0,
        replenishment_modes=("road", "sea"),
    )
    net = cfg["network"]
    port = {"capacity": 100, "service_time": dist("deterministic", 0.0)}
    net["nodes"]["A"] = node("port", lat=1.26, lon=103.84, region="SEA", **port)
    net["nodes"]["B"] = node("port", lat=51.95, lon=4.14, region="EU", **port)
    del net["lanes"]["f_w"]
    net["lanes"]["f_a"] = lane("F", "A", "road", 1.0)
    net["lanes"]["suez"] = lane("A", "B", "sea", T1, via="Suez", carrier="Line")
    net["lanes"]["cape"] = lane("A", "B", "sea", T2, via="Cape of Good Hope", carrier="Line")
    net["lanes"]["b_w"] = lane("B", "W", "road", 1.0)
    cfg["strategy"]["reroute"] = strategy_reroute
    cfg["disruption"] = {
        "name": "red sea",
        "description": "",
        "random": {},
        "scripted": {
            "red_sea": {
                "kind": "route_suspension",
                "target": "via:Suez",
                "start": CLOSE,
                "duration": DAYS,
                "on_closure": on_closure,
            }
        },
    }
    return cfg


def _expected_at_b(t_a: float, close: float, reopen: float, reroute: bool) -> float:
    """When a shipment leaving A at ``t_a`` reaches B (the theory in the module docstring)."""
    if close <= t_a < reopen:  # reaches A while Suez is closed
        return t_a + T2 if reroute else reopen + T1
    if t_a < close < t_a + T1:  # on the Suez lane when it closes
        return t_a + T2 if reroute else t_a + T1 + (reopen - close)
    return t_a + T1


def _check_end_to_end(r, sc, reroute: bool) -> dict[str, int]:
    """Match every shipment leaving F (its road TRANSIT row) to the road TRANSIT row leaving B
    that it must produce, by units and the predicted time; every one must be found."""
    close, reopen = r.warmup + CLOSE, r.warmup + CLOSE + DAYS
    w = r.waits
    out = rows(w, lane_index(sc, "f_a"), Cause.TRANSIT, own=True)
    back = rows(w, lane_index(sc, "b_w"), Cause.TRANSIT, own=True)
    assert np.all(out[:, 3] == 1.0) and np.all(back[:, 3] == 1.0)
    unmatched = [list(x) for x in back[:, [0, 4]]]
    kinds = {"suez": 0, "detour": 0, "held": 0}
    for t_f, units in out[:, [0, 4]]:
        t_a = t_f + 1.0
        t_b = _expected_at_b(t_a, close, reopen, reroute)
        if t_b + 1.0 >= r.end:  # its B -> W row is logged on arrival at W, after the run
            continue
        hit = next(
            (i for i, (t, u) in enumerate(unmatched) if u == units and abs(t - t_b) < ATOL), None
        )
        assert hit is not None, f"no shipment of {units:g} units left B at {t_b} (left A {t_a})"
        unmatched.pop(hit)
        late = t_b - (t_a + T1)
        if late == 0:
            kinds["suez"] += 1
        elif reroute:
            assert late == pytest.approx(T2 - T1, abs=ATOL)  # exactly the detour
            kinds["detour"] += 1
        else:
            kinds["held"] += 1
    assert unmatched == []  # no shipment reached B other than those predicted
    return kinds


def test_reroute_takes_the_cape_and_adds_exactly_the_detour():
    sc, plan = build(_config("reroute"))
    _, r = run(sc, plan, 0)
    close, reopen = r.warmup + CLOSE, r.warmup + CLOSE + DAYS
    w = r.waits
    suez, cape = lane_index(sc, "suez"), lane_index(sc, "cape")
    on_suez = rows(w, suez, Cause.TRANSIT, own=True)
    on_cape = rows(w, cape, Cause.TRANSIT, own=True)
    # Transit by lane is exactly its deterministic time.
    assert len(on_cape) >= DAYS - 1 and len(on_suez) > 100
    assert np.all(on_cape[:, 3] == T2) and np.all(on_suez[:, 3] == T1)
    # The Cape is used exactly by the shipments that left A while Suez was closed, all of them.
    assert np.all((on_cape[:, 0] >= close) & (on_cape[:, 0] < reopen))
    assert not np.any((on_suez[:, 0] >= close) & (on_suez[:, 0] < reopen))
    departures = rows(w, lane_index(sc, "f_a"), Cause.TRANSIT, own=True)[:, 0] + 1.0
    assert len(on_cape) == np.count_nonzero((departures >= close) & (departures < reopen))
    # Shipments at sea on Suez when it closed divert at once: exactly T2 - T1 more.
    riding = on_suez[(on_suez[:, 0] < close) & (on_suez[:, 0] + T1 > close)]
    diverted = rows(w, suez, Cause.LANE_SWITCH, own=True)
    assert len(riding) > 0 and len(diverted) == len(riding)
    assert np.all(diverted[:, 0] == close) and np.all(diverted[:, 3] == T2 - T1)
    assert len(rows(w, suez, Cause.CLOSURE_WAIT)) == 0
    kinds = _check_end_to_end(r, sc, reroute=True)
    print(
        f"reroute: {kinds['suez']} shipments by Suez ({T1:g} d), {kinds['detour']} by the "
        f"Cape or diverted (exactly {T2 - T1:g} d more)"
    )
    assert kinds["detour"] == len(on_cape) + len(riding)


@pytest.mark.parametrize("on_closure,strategy_reroute", [("wait", True), ("reroute", False)])
def test_without_rerouting_shipments_wait_for_the_reopening(on_closure, strategy_reroute):
    sc, plan = build(_config(on_closure, strategy_reroute))
    _, r = run(sc, plan, 0)
    close, reopen = r.warmup + CLOSE, r.warmup + CLOSE + DAYS
    w = r.waits
    suez, cape = lane_index(sc, "suez"), lane_index(sc, "cape")
    assert len(rows(w, cape, Cause.TRANSIT)) == 0  # nobody takes the Cape
    assert len(rows(w, suez, Cause.LANE_SWITCH)) == 0
    on_suez = rows(w, suez, Cause.TRANSIT, own=True)
    assert np.all(on_suez[:, 3] == T1)
    assert not np.any((on_suez[:, 0] >= close) & (on_suez[:, 0] < reopen))
    held = rows(w, suez, Cause.CLOSURE_WAIT, own=True)
    # Every closure wait ends exactly at the reopening: at A (started during the closure) or
    # at sea (started when the lane closed, by those riding it).
    assert len(held) >= DAYS
    assert np.allclose(held[:, 0] + held[:, 3], reopen, rtol=0, atol=ATOL)
    assert np.all((held[:, 0] >= close) & (held[:, 0] < reopen))
    riding = on_suez[(on_suez[:, 0] < close) & (on_suez[:, 0] + T1 > close)]
    assert np.count_nonzero(held[:, 0] == close) >= len(riding) > 0
    kinds = _check_end_to_end(r, sc, reroute=False)
    print(
        f"{on_closure}/strategy.reroute={strategy_reroute}: {kinds['held']} shipments held "
        f"until the reopening, {kinds['suez']} on time by Suez"
    )
    assert kinds["held"] == len(held)
