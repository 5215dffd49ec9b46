"""Whole replications: compiled and pure builds agree bit for bit; the same seed repeats."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.analysis import kpis
from sim.model import handlers
from sim.run.experiment import run_experiment
from sim.run.replication import simulate

from ..conftest import same_kpis, scenario


def _assert_same(a, b):
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y), f.name
        else:
            assert x == y, f.name


@pytest.mark.parametrize(
    "overrides",
    [
        ["experiment=quick"],
        ["experiment=quick", "policy=sS", "demand=negbin"],
        ["experiment=quick", "policy=RQ", "strategy=air_replenishment"],
        [
            "experiment=quick",
            "policy=lost_sales",
            "network.lanes.port_yantian__port_lalb.loss_prob=0.05",
            "network.lanes.port_yantian__port_lalb.capacity=3000",
        ],
        [
            "experiment=quick",
            "scenario=la_lb_strike",
            "disruption.scripted.strike.start=20",
            "strategy.expedite=true",
            "strategy.transship=true",
            "strategy.second_source_share=0.2",
        ],
        [
            "experiment=quick",
            "scenario=carrier_stop",
            "disruption.scripted.stop.start=10",
            "+disruption.random.c.kind=carrier_failure",
            "+disruption.random.c.targets=[Gemini]",
            "+disruption.random.c.rate_per_year=6",
            "+disruption.random.c.loss_prob=0.2",
            "+disruption.random.c.duration={dist: exponential, mean: 10}",
            "+disruption.random.w.kind=demand_surge",
            "+disruption.random.w.targets=[MKT_EAST]",
            "+disruption.random.w.rate_per_year=4",
            "+disruption.random.w.multiplier=2.5",
            "+disruption.random.w.duration={dist: deterministic, mean: 5}",
        ],
        ["experiment=quick", "scenario=red_sea_2023", "strategy.reroute=false"],
        ["experiment=quick", "strategy=direct", "demand=ecommerce"],
        [
            "experiment=quick",
            "strategy=source_hub",
            "demand=ecommerce",
            "demand.returns.overseas=ship_back",
            "scenario=la_lb_strike",
            "+disruption.scripted.air.kind=port_strike",
            "+disruption.scripted.air.target=AIR_LAX",
            "+disruption.scripted.air.start=10",
            "+disruption.scripted.air.duration=5",
        ],
        [
            "experiment=quick",
            "strategy=forward_fc",
            "demand=ecommerce",
            "scenario=la_lb_strike",
            "disruption.scripted.strike.start=20",
            "experiment.start_day_of_year=250",
        ],
        ["experiment=quick", "strategy=hybrid_by_size", "policy=lost_sales"],
        ["experiment=quick", "strategy=separate_channels", "demand=ecommerce"],
        [
            "experiment=quick",
            "scenario=peak_surge_2021",
            "disruption.scripted.west.start=20",
            "disruption.scripted.east.start=20",
            "policy=lost_sales",
        ],
        [
            "experiment=quick",
            "scenario=shanghai_lockdown_2022",
            "disruption.scripted.port.start=10",
            "disruption.scripted.factory.start=10",
        ],
        [
            "experiment=quick",
            "strategy=hybrid_by_size",
            "demand.orders.enabled=true",
            "demand.orders.lines_mean=2.5",
            "demand.orders.affinity=0.5",
            "strategy.basket=whole",
            "scenario=la_lb_strike",
            "disruption.scripted.strike.start=20",
        ],
        [
            "experiment=quick",
            "strategy=separate_channels",
            "demand=negbin",
            "policy=lost_sales",
            "demand.orders.enabled=true",
            "demand.orders.basket=geometric",
            "demand.orders.lines_mean=1.8",
        ],
        [
            "experiment=quick",
            "strategy=direct",
            "scenario=peak_surge_2021",
            "disruption.scripted.west.start=20",
            "demand.orders.enabled=true",
            "demand.orders.basket=fixed",
            "demand.orders.lines_mean=3",
        ],
    ],
    ids=[
        "base_stock",
        "sS-negbin",
        "RQ-air",
        "lost-sales-loss-capacity",
        "strike-responses",
        "carrier-random",
        "red-sea-wait",
        "direct",
        "hub-air-strike",
        "forward-fc-peak",
        "hybrid-lost-sales",
        "separate-channels",
        "dock-limit-surge",
        "partial-factory-port",
        "orders-hybrid-strike",
        "orders-channels-lost-sales",
        "orders-direct-surge",
    ],
)
def test_compiled_equals_pure(overrides):
    if not handlers.compiled_available():
        pytest.fail("compiled handlers not built")
    sc, plan = scenario(overrides)
    a = simulate(sc, plan, 1, handlers.COMPILED)
    b = simulate(sc, plan, 1, handlers.PURE)
    _assert_same(a, b)
    assert same_kpis(kpis.compute(a, sc), kpis.compute(b, sc))
    if sc.demand.orders is not None:
        assert a.orders is not None and a.orders[..., 0].sum() > 0


def test_same_seed_same_numbers_and_different_seed_differs(quick_scenario):
    sc, plan = quick_scenario
    a = simulate(sc, plan, 0)
    _assert_same(a, simulate(sc, plan, 0))
    assert not np.array_equal(a.demand, simulate(sc, plan, 1).demand)


def test_executors_agree(quick_scenario):
    """Serial, local processes and a Dask LocalCluster give identical tables."""
    sc, plan = quick_scenario
    backend = handlers.default_backend()
    serial = run_experiment(sc, plan, backend, executor="serial", replications=3)
    procs = run_experiment(sc, plan, backend, executor="processes", workers=2, replications=3)
    dask = run_experiment(sc, plan, backend, executor="dask", workers=2, replications=3)
    for other in (procs, dask):
        assert serial.kpis.equals(other.kpis)
        assert serial.daily.equals(other.daily)
        assert serial.waits.equals(other.waits)
