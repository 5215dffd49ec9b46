"""Resilience KPIs and conservation under disruptions, on the default trans-Pacific scenario.

Behaviour, not theory (see :mod:`sim.resilience` for the definitions):

- no disruption: every resilience KPI says so (0 disruptions and disrupted days, no stock-out
  caused, no performance loss, no extra cost or backlog, recovered at once);
- a 40-day strike at Los Angeles / Long Beach with ``strategy.reroute: false`` and only 30
  days of target stock: the disruption is counted exactly, it causes a stock-out and a loss of
  service (performance_loss > 0, at most one service-level-day per day from its start to the
  end of the drain the comparison runs on), and
  time_to_recover is either a finite number of days (recovered 1) or NaN (recovered 0);
- a carrier failing with ``loss_prob`` 0.3 (Ocean Alliance, three sea lanes): runs complete
  (the model checks produced = on hand + in transit + delivered + lost per SKU at the end and
  raises ConservationError otherwise; re-checked here), the lost units appear in
  ``Model.lost``, none are lost without the disruption, and no more are lost than left on the
  carrier's lanes while it was failing; with ``stop`` instead, nothing departs on its lanes
  while it is failing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis.resilience import NAMES
from sim.config.compose import load
from sim.core.enums import Cause
from sim.model import build_model, handlers
from sim.plan import make_plan
from sim.run.replication import run_replication

QUICK = ["experiment=quick"]  # 60 days of warm-up, 120 measured, 2 replications
STRIKE = [
    "+disruption.scripted.s.kind=port_strike",
    "+disruption.scripted.s.target=PORT_LALB",
    "+disruption.scripted.s.start=20",
    "+disruption.scripted.s.duration=40",
    "strategy.reroute=false",
    "policy.default.target_days=30",
]
CARRIER = "Ocean Alliance"
FAIL_START, FAIL_DAYS = 10.0, 60.0


def _scenario(overrides: list[str]):
    sc, _ = load([*QUICK, *overrides])
    return sc, make_plan(sc)


def test_no_disruption_no_resilience_impact():
    sc, plan = _scenario([])
    for rep in range(sc.experiment.replications):
        k = run_replication(sc, plan, rep).kpis
        assert set(NAMES) <= set(k)
        assert k["disruptions"] == 0 and k["disrupted_days"] == 0
        assert k["stockout_caused"] == 0 and math.isnan(k["time_to_survive"])
        assert k["performance_loss"] == 0
        assert k["time_to_recover"] == 0 and k["recovered"] == 1
        assert k["extra_cost"] == 0 and k["extra_peak_backlog"] == 0
        assert k["peak_backlog"] >= 0


def test_long_strike_without_rerouting_loses_service():
    sc, plan = _scenario(STRIKE)
    horizon = sc.experiment.horizon_days
    drain = sc.experiment.drain_days
    for rep in range(sc.experiment.replications):
        k = run_replication(sc, plan, rep).kpis
        print(f"replication {rep}: " + ", ".join(f"{n} {k[n]:.4g}" for n in NAMES))
        assert k["disruptions"] == 1 and k["disrupted_days"] == 40
        assert k["stockout_caused"] == 1
        assert 0 <= k["time_to_survive"] < horizon - 20
        assert 0 < k["performance_loss"] <= horizon + drain - 20
        assert k["extra_peak_backlog"] > 0 and k["peak_backlog"] >= k["extra_peak_backlog"]
        if k["recovered"] == 1:
            assert math.isfinite(k["time_to_recover"]) and k["time_to_recover"] > 0
        else:
            assert k["recovered"] == 0 and math.isnan(k["time_to_recover"])


def _carrier_failure(effect: str) -> list[str]:
    key = "+disruption.scripted.carrier"
    return [
        f"{key}.kind=carrier_failure",
        f'{key}.target="{CARRIER}"',
        f"{key}.start={FAIL_START}",
        f"{key}.duration={FAIL_DAYS}",
        f"{key}.{effect}",
    ]


def _conserved(m) -> None:
    on_hand = sum(wh.stock.on_hand for wh in m.warehouses)
    assert np.array_equal(m.produced, on_hand + m.pipeline + m.last_mile + m.delivered + m.lost)
    assert (m.pipeline >= 0).all()


@pytest.mark.parametrize("rep", [0, 1])
def test_carrier_losses_are_conserved(rep):
    sc, plan = _scenario(_carrier_failure("loss_prob=0.3"))
    h = handlers.load(handlers.default_backend())
    m = build_model(sc, plan, rep, h)
    r = m.run()  # raises ConservationError if a unit is created or destroyed
    _conserved(m)
    lanes = [i for i, ln in enumerate(sc.network.lanes) if ln.carrier == CARRIER]
    w = r.waits
    start, end = r.warmup + FAIL_START, r.warmup + FAIL_START + FAIL_DAYS
    carried = w[np.isin(w[:, 1], lanes) & (w[:, 2] == Cause.TRANSIT) & (w[:, 4] > 0)]
    at_risk = carried[(carried[:, 0] >= start) & (carried[:, 0] < end)]
    lost = int(m.lost.sum())
    print(
        f"replication {rep}: {lost} units lost of {int(at_risk[:, 4].sum())} that left on "
        f"{CARRIER} lanes while it was failing ({len(at_risk)} shipments)"
    )
    assert 0 < lost <= at_risk[:, 4].sum()
    base = build_model(sc, plan, rep, h, disrupted=False)
    base.run()
    _conserved(base)
    assert base.lost.sum() == 0


def test_carrier_stop_carries_nothing_and_is_conserved():
    sc, plan = _scenario(_carrier_failure("stop=true"))
    m = build_model(sc, plan, 0, handlers.load(handlers.default_backend()))
    r = m.run()
    _conserved(m)
    lanes = [i for i, ln in enumerate(sc.network.lanes) if ln.carrier == CARRIER]
    w = r.waits
    start, end = r.warmup + FAIL_START, r.warmup + FAIL_START + FAIL_DAYS
    carried = w[np.isin(w[:, 1], lanes) & (w[:, 2] == Cause.TRANSIT) & (w[:, 4] > 0)]
    assert len(carried) > 0
    assert not np.any((carried[:, 0] >= start) & (carried[:, 0] < end))
    assert m.lost.sum() == 0
