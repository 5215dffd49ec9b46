"""A port closed by a strike clears its backlog in about d rho / (1 - rho) days after it reopens
(fluid approximation), within 15% averaged over replications.

During a closure of d days ships arrive at rate lambda and none is served, so lambda d wait at
reopening; the c berths then work at c mu while lambda keep arriving, and the backlog drains at
c mu - lambda, taking lambda d / (c mu - lambda) = d rho / (1 - rho). The fluid limit needs many
ships, so the port has 50 berths with short calls (0.1 day): about 350-425 ships a day. The
backlog has cleared when, for the first time after reopening, no ship is waiting for a berth
(computed from the arrival and service-start times the wait log holds).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import handlers
from sim.enums import Cause
from sim.model import build_model

from .builders import build, dist, node, single_echelon

BERTHS = 50
CALL = 0.1  # days


def clearing_time(w: np.ndarray, port: int, reopen: float) -> float:
    sel = (w[:, 1] == port) & (w[:, 2] == Cause.BERTH_QUEUE) & (w[:, 4] == 0)
    arrive = w[sel, 0]
    order = np.argsort(arrive, kind="stable")
    arrive = arrive[order]
    start = (w[sel, 0] + w[sel, 3])[order]
    served_by = np.maximum.accumulate(start)  # every ship that arrived so far has a berth
    nxt = np.append(arrive[1:], np.inf)
    empty = (served_by >= reopen) & (served_by < nxt)  # queue empty on [served_by, next)
    return float(served_by[np.argmax(empty)] - reopen)


@pytest.mark.parametrize("rho", [0.7, 0.85])
def test_backlog_clears_in_fluid_time(rho):
    d, start, warmup = 10.0, 10.0, 20
    fluid = d * rho / (1 - rho)
    cfg = single_echelon(
        rate=1.0, transit=dist("deterministic", 1.0), target_days=5.0, warmup=warmup,
        horizon=int(start + d + 1.5 * fluid + 10),
        extra_nodes={"P": node("port", lat=33.7, lon=-118.2, capacity=BERTHS,
                               service_time=dist("exponential", CALL),
                               background_utilisation=rho)},
        disruption={"name": "strike", "random": {}, "scripted": {
            "s": {"kind": "port_strike", "target": "P", "start": start, "duration": d,
                  "capacity_factor": 0.0}}})
    sc, plan = build(cfg)
    h = handlers.load(handlers.default_backend())
    port = [n.id for n in sc.network.nodes].index("P")
    times = [clearing_time(build_model(sc, plan, rep, h).run().waits, port, warmup + start + d)
             for rep in range(4)]
    print(f"rho={rho}: cleared in {np.mean(times):.2f} days (sd {np.std(times):.2f}), "
          f"fluid {fluid:.2f}")
    assert np.mean(times) == pytest.approx(fluid, rel=0.15)
