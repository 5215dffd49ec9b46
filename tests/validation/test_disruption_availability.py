"""A node failing and recovering at random is available MTBF / (MTBF + MTTR) of the time.

A random disruption process makes each target an alternating renewal process: an up time,
exponential with mean MTBF = 365 / rate_per_year days, then a disruption of sampled duration
(mean MTTR), and so on. By the renewal-reward theorem the long-run share of time up is
MTBF / (MTBF + MTTR) whatever the duration distribution; the measured availability is
1 - (days disrupted, the area of ``Model.downtime[target]`` from ``RunRecord.downtime``) / (days
simulated). The run has no warm-up, so days simulated = ``RunRecord.end``.

Tolerance (stated, asserted): |mean availability over replications - MTBF / (MTBF + MTTR)|
< 0.02. Statistical error: for exponential up and down times the time-average of the down
indicator over T days has variance about 2 MTBF^2 MTTR^2 / ((MTBF + MTTR)^3 T): with T = 20,000
days the standard deviation of one replication is 0.005-0.007 (measured: 0.004-0.006), so the
mean of 4 replications has a standard error of about 0.003, and 0.02 is over 6 of them. The
process starts up, which biases availability upwards by about A MTBF MTTR / ((MTBF+MTTR) T),
under 0.0002 here.

Exact bookkeeping is also checked: the downtime area equals the total length of the drawn
windows clipped to the horizon, and (factory) no production starts while the factory is out.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.enums import Cause

from .disruption_helpers import base_config, build, dist, node, node_index, rows, run

HORIZON = 20_000  # days
REPLICATIONS = 4
TOLERANCE = 0.02  # absolute, on availability


@pytest.mark.parametrize(
    "kind,target,mtbf,mttr,duration",
    [
        ("port_strike", "P", 30.0, 3.0, "exponential"),
        ("factory_outage", "F", 45.0, 5.0, "exponential"),
        ("factory_outage", "F", 20.0, 4.0, "lognormal"),  # renewal-reward: any duration law
    ],
)
def test_availability_is_mtbf_over_mtbf_plus_mttr(kind, target, mtbf, mttr, duration):
    cfg = base_config(warmup=0, horizon=HORIZON, daily_units=5.0, seed=int(mtbf * 10 + mttr))
    cfg["network"]["nodes"]["P"] = node(
        "port", lat=33.75, lon=-118.22, capacity=2, service_time=dist("exponential", 0.5)
    )
    cfg["disruption"]["random"]["failures"] = {
        "kind": kind,
        "targets": [target],
        "rate_per_year": 365.0 / mtbf,
        "duration": dist(duration, mttr, cv=1.0),
        "capacity_factor": 0.0,
    }
    sc, plan = build(cfg)
    theory = mtbf / (mtbf + mttr)
    avail = []
    for rep in range(REPLICATIONS):
        _, r = run(sc, plan, rep)
        windows = [w for w in r.disruptions if w.target == target]
        assert len(windows) > 0.5 * HORIZON / (mtbf + mttr)
        down = dict(r.downtime)[target]
        assert down == pytest.approx(sum(min(w.end, r.end) - w.start for w in windows), rel=1e-9)
        if kind == "factory_outage":
            started = rows(r.waits, node_index(sc, "F"), Cause.PRODUCTION)[:, 0]
            for w in windows:
                assert not np.any((started > w.start) & (started < w.end))
        avail.append(1.0 - down / r.end)
    mean = float(np.mean(avail))
    print(
        f"{kind} ({duration} durations): availability {mean:.4f} (sd "
        f"{np.std(avail, ddof=1):.4f} over {REPLICATIONS}) vs MTBF/(MTBF+MTTR) {theory:.4f}"
    )
    assert abs(mean - theory) < TOLERANCE
