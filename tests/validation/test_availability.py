"""A node failing and recovering with exponential up and down times is available
MTBF / (MTBF + MTTR) of the time, within 2 percentage points.

Random disruptions of a target alternate an exponential up time (mean 365 / rate_per_year days)
with a disruption of sampled duration; the model keeps, per target, the time-weighted level of
disruptions in force, the quantity a strategy observes as "closed".
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import handlers
from sim.model import build_model

from .builders import build, dist, node, single_echelon


@pytest.mark.parametrize("mtbf,mttr,kind,target", [
    (20.0, 5.0, "port_strike", "P"),
    (60.0, 3.0, "factory_outage", "F"),
])
def test_availability(mtbf, mttr, kind, target):
    cfg = single_echelon(
        rate=2.0, transit=dist("deterministic", 1.0), target_days=5.0, warmup=0,
        horizon=20_000,
        extra_nodes={"P": node("port", lat=33.7, lon=-118.2, capacity=2,
                               service_time=dist("exponential", 0.5))},
        disruption={"name": "random", "scripted": {}, "random": {
            "r": {"kind": kind, "targets": [target], "rate_per_year": 365.0 / mtbf,
                  "duration": dist("exponential", mttr), "capacity_factor": 0.0}}})
    sc, plan = build(cfg)
    h = handlers.load(handlers.default_backend())
    avail = []
    for rep in range(3):
        r = build_model(sc, plan, rep, h).run()
        down = dict(r.downtime)[target]
        avail.append(1.0 - down / r.end)
        # every window the model applied is one the process drew
        assert len(r.disruptions) > 100
    theory = mtbf / (mtbf + mttr)
    print(f"{kind}: availability {np.mean(avail):.4f} vs {theory:.4f}")
    assert abs(np.mean(avail) - theory) < 0.02
