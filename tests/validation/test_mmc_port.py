"""A port with c berths and Poisson arrivals against the Erlang C mean wait (M/M/c).

The port's berths serve other carriers' ships: Poisson arrivals at rate lambda = rho c / E[S]
with exponential berth times, exactly the M/M/c queue. The mean wait in queue of the ships
arriving after the warm-up must match Erlang C's Wq within 5% (tolerance of the issue), averaged
over replications; the replication count keeps three standard errors of the estimate under the
tolerance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import handlers
from sim.enums import Cause
from sim.model import build_model

from .builders import build, dist, node, single_echelon


def erlang_c_wait(c: int, rho: float, mean_service: float) -> float:
    """Mean wait in queue of M/M/c with utilisation rho (per server)."""
    a = c * rho
    tail = a**c / math.factorial(c) / (1 - rho)
    p_wait = tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)
    return p_wait * mean_service / (c * (1 - rho))


@pytest.mark.parametrize("c,rho", [(1, 0.7), (3, 0.8), (6, 0.8)])
def test_berth_wait_matches_erlang_c(c, rho):
    # Short berth times give many ship calls per simulated day: 35-45 a day here.
    mean_service = 0.02 * c
    cfg = single_echelon(rate=1.0, transit=dist("deterministic", 1.0), target_days=5.0,
                         warmup=200, horizon=4000,
                         extra_nodes={"P": node("port", lat=33.7, lon=-118.2, capacity=c,
                                                service_time=dist("exponential", mean_service),
                                                background_utilisation=rho)})
    sc, plan = build(cfg)
    h = handlers.load(handlers.default_backend())
    port = [n.id for n in sc.network.nodes].index("P")
    means = []
    for rep in range(6):
        r = build_model(sc, plan, rep, h).run()
        w = r.waits
        sel = (w[:, 1] == port) & (w[:, 2] == Cause.BERTH_QUEUE) & (w[:, 4] == 0) & (
            w[:, 0] >= r.warmup)
        means.append(w[sel, 3].mean())
    theory = erlang_c_wait(c, rho, mean_service)
    est = float(np.mean(means))
    se = float(np.std(means, ddof=1) / np.sqrt(len(means)))
    assert 3 * se < 0.05 * theory, f"too noisy to test: se={se:.4f}, Wq={theory:.4f}"
    print(f"c={c} rho={rho}: Wq simulated {est:.5f} +- {se:.5f}, Erlang C {theory:.5f}")
    assert est == pytest.approx(theory, rel=0.05), (est, theory)
