"""Resilience KPIs say "nothing happened" without disruptions, and measure a strike's damage
against the same replication without it."""

from __future__ import annotations

import math

import pytest

from sim.analysis.resilience import NAMES
from sim.run.replication import run_replication

from ..conftest import scenario

STRIKE = [
    "+disruption.scripted.s.kind=port_strike",
    "+disruption.scripted.s.target=PORT_LALB",
    "+disruption.scripted.s.start=20",
    "+disruption.scripted.s.duration=40",
    "strategy.reroute=false",
    "policy.default.target_days=30",
]


def test_no_disruption_no_impact(quick_scenario):
    sc, plan = quick_scenario
    k = run_replication(sc, plan, 0).kpis
    assert k["disruptions"] == 0 and k["disrupted_days"] == 0
    assert k["stockout_caused"] == 0 and math.isnan(k["time_to_survive"])
    assert k["time_to_recover"] == 0 and k["recovered"] == 1
    assert k["performance_loss"] == 0 and k["extra_cost"] == 0 and k["extra_peak_backlog"] == 0


def test_strike_has_a_cost_and_a_recovery():
    sc, plan = scenario(["experiment=quick", *STRIKE])
    for rep in range(2):
        res = run_replication(sc, plan, rep)
        k = res.kpis
        assert k["disruptions"] == 1 and k["disrupted_days"] == 40
        assert k["performance_loss"] > 0
        assert k["stockout_caused"] == 1 and 0 <= k["time_to_survive"] < 80
        assert (k["recovered"] == 1 and math.isfinite(k["time_to_recover"])) or (
            k["recovered"] == 0 and math.isnan(k["time_to_recover"])
        )
        assert k["extra_peak_backlog"] > 0
        # the undisrupted run is the same replication: identical before the strike
        m = res.daily[res.daily["kind"] == "market"]
        before = m[m["day"] < 20]
        assert (
            before["service_level"].fillna(1) == before["baseline_service_level"].fillna(1)
        ).all()


def test_strike_with_reroute_diverts_ships():
    sc, plan = scenario(["experiment=quick", *STRIKE[:-2]])
    res = run_replication(sc, plan, 0)
    assert "diversion" in set(res.waits["cause"])


def test_customs_wave_raises_inspections_without_stopping_clearance():
    sc, plan = scenario(
        [
            "experiment=quick",
            "scenario=customs_wave",
            "disruption.scripted.lalb.start=10",
            "disruption.scripted.oakland.start=10",
            "disruption.scripted.seatac.start=10",
            # most of the year, so that the entries it sees outnumber the year's others
            "disruption.scripted.lalb.duration=300",
            "disruption.scripted.oakland.duration=300",
            "disruption.scripted.seatac.duration=300",
        ]
    )
    assert all(
        d.effect.capacity_factor == 1.0 and d.effect.inspection_prob == 0.5
        for d in sc.disruptions.scripted
    )
    res = run_replication(sc, plan, 0)
    w = res.waits
    holds = w[w["cause"] == "inspection_hold"]["shipments"].sum()
    base = run_replication(*scenario(["experiment=quick"]), 0).waits
    assert holds > 3 * base[base["cause"] == "inspection_hold"]["shipments"].sum()
    assert "closure_wait" not in set(w["cause"])


def test_diverted_ships_leave_expediting_untouched():
    """A diversion must not be mistaken for an expedite arriving (a regression test)."""
    from sim.model import build_model, handlers

    sc, plan = scenario(["experiment=quick", *STRIKE[:-2], "strategy.expedite=true"])
    m = build_model(sc, plan, 0, handlers.load(handlers.default_backend()))
    r = m.run()
    assert any(int(c) == 10 for c in r.waits[:, 2])  # some ships diverted
    for wh in m.warehouses:
        assert (wh.expediting >= 0).all()


def test_ships_divert_to_seaports_not_airports():
    """Regression: a ship diverted from a struck LA/LB goes to Oakland or Seattle/Tacoma, never
    to the LAX air cargo terminal next door."""
    from sim.core.enums import Cause

    sc, plan = scenario(["experiment=quick", *STRIKE[:-2]])
    res = run_replication(sc, plan, 0)
    assert "diversion" in set(res.waits["cause"])
    at = set(res.waits["where"])
    assert "AIR_LAX" not in at and "CUS_LAX" not in at
    assert {"PORT_OAKLAND", "PORT_SEATAC"} & at
    assert Cause.DIVERSION.name.lower() == "diversion"


def test_overlapping_disruptions_count_downtime_once():
    from sim.model import build_model, handlers

    sc, plan = scenario(
        [
            "experiment=quick",
            "+disruption.scripted.a.kind=port_strike",
            "+disruption.scripted.a.target=PORT_OAKLAND",
            "+disruption.scripted.a.start=0",
            "+disruption.scripted.a.duration=10",
            "+disruption.scripted.b.kind=port_congestion",
            "+disruption.scripted.b.target=PORT_OAKLAND",
            "+disruption.scripted.b.start=5",
            "+disruption.scripted.b.duration=10",
            "+disruption.scripted.b.service_factor=2",
        ]
    )
    r = build_model(sc, plan, 0, handlers.load(handlers.default_backend())).run()
    assert dict(r.downtime)["PORT_OAKLAND"] == 15.0


ZERO_EFFECT = {
    "port_strike": ["target=PORT_LALB", "capacity_factor=1.0"],
    "factory_outage": ["target=FAC_SUZHOU", "capacity_factor=1.0"],
    "port_congestion": ["target=PORT_OAKLAND", "service_factor=1.0"],
    "customs_hold": ["target=CUS_LALB", "capacity_factor=1.0"],
    "demand_surge": ["target=MKT_WEST", "multiplier=1.0"],
    "freight_cost_shock": ["target=sea", "multiplier=1.0"],
}


@pytest.mark.parametrize("kind", sorted(ZERO_EFFECT))
def test_a_disruption_of_no_effect_costs_exactly_nothing(kind):
    """Keyed draws: a disruption that changes nothing leaves every draw of its run equal to its
    twin's, so every resilience figure is exactly 0 (not merely small), replication by
    replication, over the window and the drain."""
    fields = [f"+disruption.scripted.z.{f}" for f in [f"kind={kind}", *ZERO_EFFECT[kind]]]
    sc, plan = scenario(
        [
            "experiment=quick",
            *fields,
            "+disruption.scripted.z.start=30",
            "+disruption.scripted.z.duration=40",
        ]
    )
    for rep in range(3):
        k = run_replication(sc, plan, rep).kpis
        assert k["disruptions"] == 1
        assert k["performance_loss"] == 0.0 and k["extra_peak_backlog"] == 0.0
        assert k["stockout_caused"] == 0 and math.isnan(k["time_to_survive"])
        assert k["time_to_recover"] == 0 and k["recovered"] == 1
        parts = [n for n in NAMES if n.startswith("extra_") or n.endswith("_cost")]
        assert {n: k[n] for n in [*parts, "lost_margin"]} == dict.fromkeys(
            [*parts, "lost_margin"], 0.0
        )
