"""Utilisation of factories, ports and customs offices (sim/analysis/utilisation.py) on a
hand-made record: which waits occupy a server, clipping to the measured window, other carriers'
ships at their mean service time times the service factor in force, and the peak."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.analysis.utilisation import busy_by_day, utilisation
from sim.config.disruption import Disruption, Effect
from sim.core.enums import Cause, DisruptionKind, NodeKind
from sim.run.replication import simulate

from ..conftest import scenario


def _row(t: float, node: int, cause: Cause, days: float, units: int) -> list[float]:
    return [t, float(node), float(cause), days, float(units)]


@pytest.fixture(scope="module")
def case():
    """The quick scenario's record with a window of days [10, 20) and these waits only."""
    sc, plan = scenario(["experiment=quick"])
    idx = {n.id: i for i, n in enumerate(sc.network.nodes)}
    fac, port, cus = idx["FAC_SUZHOU"], idx["PORT_OAKLAND"], idx["CUS_OAKLAND"]
    waits = np.array(
        [
            _row(8.0, fac, Cause.PRODUCTION, 4.0, 100),  # 2 of its 4 days in the window
            _row(12.0, fac, Cause.PRODUCTION_QUEUE, 3.0, 50),  # waiting: not busy
            _row(15.0, fac, Cause.PRODUCTION, 2.0, 50),
            _row(11.0, port, Cause.BERTH_QUEUE, 0.5, 10),  # own shipment queueing: not busy
            _row(11.5, port, Cause.BERTH_SERVICE, 1.5, 10),
            _row(14.0, port, Cause.BERTH_QUEUE, 1.0, 0),  # another line's ship: berth at 15
            _row(19.5, port, Cause.BERTH_QUEUE, 0.0, 0),  # half its day in the window
            _row(12.0, cus, Cause.CUSTOMS_SERVICE, 1.0, 10),
            _row(13.0, cus, Cause.INSPECTION_HOLD, 5.0, 10),  # holds goods, not an officer
        ]
    )
    slow = Disruption(
        DisruptionKind.PORT_CONGESTION,
        "PORT_OAKLAND",
        14.5,
        16.0,
        "slow",
        Effect(service_factor=2.0),
        "disruption.scripted.slow",
    )
    r = dataclasses.replace(
        simulate(sc, plan, 0), warmup=10.0, end=20.0, stop=20.0, waits=waits, disruptions=(slow,)
    )
    return sc, r


def test_busy_share_of_each_kind_of_node(case):
    sc, r = case
    use = utilisation(r, sc, peak_days=3)
    assert {u.kind for u in use.values()} == {NodeKind.FACTORY, NodeKind.PORT, NodeKind.CUSTOMS}
    fac = use["FAC_SUZHOU"]
    assert fac.servers == 1 and fac.own == pytest.approx(4.0) and fac.other == 0.0
    assert fac.share == pytest.approx(0.4)
    assert fac.peak == pytest.approx(2.0 / 3.0)  # days 10-11 busy, 12-14 idle, 15-16 busy

    net = sc.network.node_by_id
    port = use["PORT_OAKLAND"]
    mean = net["PORT_OAKLAND"].service_time.mean
    # own: 1.5 days; other lines: 2 x mean (at a berth from 15, under the service factor 2)
    # and the first half day of the call at 19.5
    assert port.own == pytest.approx(1.5)
    assert port.other == pytest.approx(2.0 * mean + min(0.5, mean))
    assert port.servers == net["PORT_OAKLAND"].capacity
    assert port.share == pytest.approx(port.busy / (port.servers * 10.0))

    cus = use["CUS_OAKLAND"]
    assert cus.own == pytest.approx(1.0) and cus.other == 0.0
    assert cus.share == pytest.approx(1.0 / (net["CUS_OAKLAND"].capacity * 10.0))
    assert use["PORT_LALB"].busy == 0.0 and use["PORT_LALB"].peak == 0.0


def test_busy_by_day_splits_intervals_at_whole_days():
    got = busy_by_day(np.array([0.5, 1.25, 3.0]), np.array([1.0, 0.5, 2.5]), 6)
    np.testing.assert_allclose(got, [0.5, 1.0, 0.0, 1.0, 1.0, 0.5])
    np.testing.assert_allclose(busy_by_day(np.array([]), np.array([]), 3), [0.0, 0.0, 0.0])


def test_the_default_network_is_busy_but_not_overloaded(default_scenario):
    """On the default scenario every plant, port and customs office the strategy uses works,
    and none is busier than its capacity."""
    sc, plan = default_scenario
    use = utilisation(simulate(sc, plan, 0), sc)
    assert all(0.0 <= u.share <= u.peak <= 1.0 for u in use.values())
    for node in ("FAC_SHENZHEN", "FAC_SUZHOU", "PORT_LALB", "CUS_LALB"):
        assert use[node].share > 0.3, node
