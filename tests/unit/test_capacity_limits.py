"""Capacity limits the curated scenarios need: a warehouse's daily put-away limit (its receiving
dock) and a partial factory outage that slows the line rather than stopping it."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

from sim.analysis import kpis
from sim.core.enums import Cause
from sim.model import build_model, handlers
from sim.run.replication import simulate

from ..conftest import same_kpis, scenario

QUICK = ["experiment=quick"]
LIMITS = {"WH_INLAND_EMPIRE": 300, "WH_JOLIET": 240, "WH_EDISON": 360}
DOCKS = [f"network.nodes.{w}.capacity={c}" for w, c in LIMITS.items()]


@pytest.mark.parametrize("unmet", ["backorder", "lost_sales"])
def test_put_away_never_exceeds_the_daily_limit_and_units_are_conserved(unmet):
    policy = ["policy=lost_sales"] if unmet == "lost_sales" else []
    sc, plan = scenario(QUICK + DOCKS + policy)
    m = build_model(sc, plan, 0, handlers.load(handlers.default_backend()))
    put_away: dict[tuple[str, int], int] = defaultdict(int)
    receive = m.receive

    def counting(wh, qty, expedite=False):
        put_away[wh.spec.id, math.floor(m.env.now)] += int(qty.sum())
        receive(wh, qty, expedite)

    m.receive = counting
    r = m.run()  # raises ConservationError if a unit went missing at the dock
    assert put_away, "nothing was put away"
    for (wid, day), units in put_away.items():
        assert units <= LIMITS[wid], (wid, day, units)
    # the limit binds: some days are at it, and shipments waited at the dock
    assert any(units == LIMITS[w] for (w, _), units in put_away.items())
    dock = r.waits[r.waits[:, 2] == Cause.DOCK_WAIT]
    assert len(dock) > 0 and (dock[:, 3] > 0).all() and (dock[:, 4] > 0).all()
    # what waits at the dock is still in transit at the end, not on the shelf or lost
    waiting = sum(d.units_waiting() for d in {id(wh.dock): wh.dock for wh in m.warehouses}.values())
    assert int(m.pipeline.sum()) >= waiting
    free = kpis.compute(simulate(*scenario(QUICK + policy), 0), sc)
    k = kpis.compute(r, sc)
    assert k["fill_rate"] < free["fill_rate"]
    short = "lost_sales" if unmet == "lost_sales" else "backorder_units"
    assert k[short] > free[short]


def test_a_dock_that_never_binds_changes_nothing(quick_scenario):
    sc, plan = quick_scenario
    roomy = [f"network.nodes.{w}.capacity=1000000000" for w in LIMITS]
    sc2, plan2 = scenario(QUICK + roomy)
    a, b = simulate(sc, plan, 0), simulate(sc2, plan2, 0)
    assert not (b.waits[:, 2] == Cause.DOCK_WAIT).any()
    assert same_kpis(kpis.compute(a, sc), kpis.compute(b, sc2))
    assert np.array_equal(a.on_hand, b.on_hand) and np.array_equal(a.backlog, b.backlog)


FAC = "FAC_SUZHOU"  # its capacity (units/day) and set-up per order are read from the network
START, DAYS = 10.0, 30.0


def _production(factor: float):
    sc, plan = scenario(
        QUICK
        + [
            "+disruption.scripted.f.kind=factory_outage",
            f"+disruption.scripted.f.target={FAC}",
            f"+disruption.scripted.f.start={START}",
            f"+disruption.scripted.f.duration={DAYS}",
            f"+disruption.scripted.f.capacity_factor={factor}",
        ]
    )
    r = simulate(sc, plan, 0)
    node = [n.id for n in sc.network.nodes].index(FAC)
    w = r.waits
    prod = w[(w[:, 1] == node) & (w[:, 2] == Cause.PRODUCTION)]
    lo, hi = sc.experiment.warmup_days + START, sc.experiment.warmup_days + START + DAYS
    inside = (prod[:, 0] >= lo) & (prod[:, 0] < hi)
    spec = sc.network.node_by_id[FAC]
    return prod, inside, spec.service_time.mean, float(spec.capacity)


@pytest.mark.parametrize("factor", [0.5, 0.25])
def test_partial_factory_outage_slows_the_line_by_its_factor(factor):
    prod, inside, setup, rate = _production(factor)
    assert inside.sum() >= 3, "production goes on during a partial outage"
    assert (~inside).sum() >= 3
    np.testing.assert_allclose(
        prod[inside, 3], setup + prod[inside, 4] / (rate * factor), rtol=1e-12
    )
    np.testing.assert_allclose(prod[~inside, 3], setup + prod[~inside, 4] / rate, rtol=1e-12)


def test_full_factory_outage_starts_nothing_in_its_window():
    prod, inside, _, _ = _production(0.0)
    assert inside.sum() == 0 and len(prod) > 0
