"""A single warehouse under base-stock with Poisson demand and a fixed lead time, against the
exact fill rate and expected on-hand inventory.

Timing in the model (documented in sim/model/cycle.py): day k's demand is served at k + 0.5,
then the warehouse orders up to S; with a lane of deterministic transit L - 0.5 and instant
production, the order arrives at k + L, half a day before the demand of day k + L. So the net
stock met by day t's demand is S minus the demand of the L - 1 days before it, and

    fill rate = E[min(D, (S - Y)^+)] / lambda,  D ~ Poisson(lambda), Y ~ Poisson(lambda (L-1))

On hand is (S - Poisson(lambda L))^+ from a demand instant to the next receipt half a day
later, then (S - Poisson(lambda (L - 1)))^+ until the next demand instant, so the time-weighted
mean is the average of the two expectations.

Tolerances of the issue: fill rate within 1 percentage point, on-hand within 3%.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim import handlers, kpis
from sim.model import build_model

from .builders import build, dist, single_echelon


def exact(lam: float, lead: int, s: int) -> tuple[float, float]:
    y = np.arange(0, int(lam * lead * 4 + 50))
    d = y
    p_y = stats.poisson.pmf(y, lam * (lead - 1))
    p_d = stats.poisson.pmf(d, lam)
    served = np.minimum.outer(d, np.maximum(s - y, 0))  # [d, y]
    fill = float(p_d @ served @ p_y) / lam
    on_hand = 0.5 * float((stats.poisson.pmf(y, lam * lead) * np.maximum(s - y, 0)).sum()) + \
        0.5 * float((p_y * np.maximum(s - y, 0)).sum())
    return fill, on_hand


@pytest.mark.parametrize("lam,lead,s", [(10.0, 4, 44), (4.0, 7, 33)])
def test_fill_rate_and_on_hand(lam, lead, s):
    cfg = single_echelon(rate=lam, transit=dist("deterministic", lead - 0.5),
                         target_days=s / lam, warmup=100, horizon=12_000)
    sc, plan = build(cfg)
    h = handlers.load(handlers.default_backend())
    fills, on_hands = [], []
    for rep in range(3):
        r = build_model(sc, plan, rep, h).run()
        k = kpis.compute(r, sc)
        fills.append(k["fill_rate"])
        on_hands.append(k["avg_on_hand"])
    fill, on_hand = exact(lam, lead, s)
    print(f"lambda={lam} L={lead} S={s}: fill {np.mean(fills):.4f} vs {fill:.4f}, "
          f"on hand {np.mean(on_hands):.3f} vs {on_hand:.3f}")
    assert abs(np.mean(fills) - fill) < 0.01
    assert np.mean(on_hands) == pytest.approx(on_hand, rel=0.03)
