"""Little's law on a lane: mean in-transit inventory = throughput x mean transit time.

Orders leave the factory at once (no production time) and spend a lognormal transit (mean 20
days) on the lane; in steady state the throughput is the demand rate. The time-weighted
in-transit level the recorder integrates must equal throughput times the distribution's mean
within 2% (the issue's tolerance), averaged over replications.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import handlers, kpis
from sim.model import build_model

from .builders import build, dist, single_echelon


@pytest.mark.parametrize("transit", [dist("lognormal", 20.0, 0.3), dist("gamma", 8.0, 0.8)],
                         ids=["lognormal-20", "gamma-8"])
def test_in_transit_is_throughput_times_transit(transit):
    lam = 12.0
    cfg = single_echelon(rate=lam, transit=transit, target_days=40.0, warmup=200,
                         horizon=8000)
    sc, plan = build(cfg)
    h = handlers.load(handlers.default_backend())
    mean_transit = sc.network.lane_by_id["f_w"].transit.mean
    ratios = []
    for rep in range(3):
        r = build_model(sc, plan, rep, h).run()
        k = kpis.compute(r, sc)
        throughput = k["shipped_units"] / sc.experiment.horizon_days
        ratios.append(k["avg_in_transit"] / (throughput * mean_transit))
    print(f"{transit['dist']}: in transit / (throughput x E[T]) = {np.mean(ratios):.4f}")
    assert np.mean(ratios) == pytest.approx(1.0, abs=0.02)
