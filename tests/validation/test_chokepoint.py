"""A chokepoint closure (``via:Suez``) on a lane that says where it passes it (``via_at``):
exact timing, everything deterministic.

The network and closure of :mod:`test_disruption_detour` (A -> B via Suez in ``T1`` days or
via the Cape in ``T2`` days, Suez suspended from ``CLOSE`` for ``DAYS`` days), but the Suez lane
passes the canal after ``V`` of its transit (``via_at``). Theory for a shipment leaving A at
``t_a`` (tolerance: float rounding only, 1e-7 days):

- on the lane when the canal closes and already past it (``close - t_a >= V * T1``): unaffected,
  reaches B at ``t_a + T1``, with or without rerouting;
- on the lane and not yet past it: ``wait`` sails to the canal (``t_a + V * T1``), waits there
  until the reopening (a CLOSURE_WAIT row from ``t_a + V * T1`` to the reopening) and reaches B
  ``(1 - V) * T1`` after it, so every held ship arrives within ``(1 - V) * T1`` of the reopening;
  ``reroute`` diverts at once and reaches B at ``t_a + T2``;
- reaching A while the canal is closed: ``wait`` waits at A and reaches B at ``reopen + T1``;
  ``reroute`` takes the Cape, ``t_a + T2``.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.enums import Cause

from .disruption_helpers import build, lane_index, rows, run
from .test_disruption_detour import ATOL, CLOSE, DAYS, T1, T2, _config

V = 0.4  # share of the Suez transit before the canal


def _expected_at_b(t_a: float, close: float, reopen: float, reroute: bool) -> float:
    if close <= t_a < reopen:
        return t_a + T2 if reroute else reopen + T1
    if t_a < close < t_a + T1:
        if close - t_a >= V * T1:
            return t_a + T1
        return t_a + T2 if reroute else reopen + (1 - V) * T1
    return t_a + T1


@pytest.mark.parametrize("on_closure", ["wait", "reroute"])
def test_ships_past_the_chokepoint_sail_on_the_others_wait_at_it(on_closure):
    cfg = _config(on_closure)
    cfg["network"]["lanes"]["suez"]["via_at"] = V
    sc, plan = build(cfg)
    _, r = run(sc, plan, 0)
    close, reopen = r.warmup + CLOSE, r.warmup + CLOSE + DAYS
    w = r.waits
    out = rows(w, lane_index(sc, "f_a"), Cause.TRANSIT, own=True)
    back = rows(w, lane_index(sc, "b_w"), Cause.TRANSIT, own=True)
    unmatched = [list(x) for x in back[:, [0, 4]]]
    past = held = 0
    for t_f, units in out[:, [0, 4]]:
        t_a = t_f + 1.0
        t_b = _expected_at_b(t_a, close, reopen, on_closure == "reroute")
        if t_b + 1.0 >= r.end:
            continue
        hit = next(
            (i for i, (t, u) in enumerate(unmatched) if u == units and abs(t - t_b) < ATOL), None
        )
        assert hit is not None, f"no shipment of {units:g} units left B at {t_b} (left A {t_a})"
        unmatched.pop(hit)
        if t_a < close < t_a + T1:
            past += close - t_a >= V * T1
            held += close - t_a < V * T1
    assert unmatched == []
    assert past > 0 and held > 0  # both kinds of ship were at sea when the canal closed
    suez = lane_index(sc, "suez")
    at_canal = rows(w, suez, Cause.CLOSURE_WAIT, own=True)
    if on_closure == "wait":
        # one wait per ship held at the canal, and per shipment held at A; all end at reopening
        t_as = out[:, 0] + 1.0
        at_a = int(np.count_nonzero((t_as >= close) & (t_as < reopen)))
        assert len(at_canal) == held + at_a
        np.testing.assert_allclose(at_canal[:, 0] + at_canal[:, 3], reopen, atol=ATOL)
        assert np.all(at_canal[:, 0] >= close - ATOL)
    else:
        assert len(at_canal) == 0 and len(rows(w, suez, Cause.LANE_SWITCH, own=True)) == held
