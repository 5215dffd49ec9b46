"""What each historical scenario is about really happens in the model (one replication each, four
for Suez, against the same replication without its disruptions): the Suez blockage empties and then
bunches arrivals at European ports; the Red Sea closure sends every later departure round the
Cape; the West Coast lockout and the ILA strike stop the berths and leave a queue or a detour;
the Shanghai lockdown stops the plant, then slows it by its factor; the peak surge overflows the
docks."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config.compose import load
from sim.core.enums import Cause
from sim.plan import make_plan
from sim.run.replication import simulate


def _scenario(name: str):
    sc, _ = load([f"scenario={name}"])
    return sc, make_plan(sc)


def _runs(name: str, replication: int = 0):
    sc, plan = _scenario(name)
    return sc, simulate(sc, plan, replication), simulate(sc, plan, replication, disrupted=False)


def _node(sc, node_id: str) -> int:
    return [n.id for n in sc.network.nodes].index(node_id)


def _window(sc, key: str) -> tuple[float, float]:
    d = next(d for d in sc.disruptions.scripted if d.source.endswith("." + key))
    return d.start, d.end


def _own(w: np.ndarray, cause: Cause, nodes: list[int]) -> np.ndarray:
    return w[(w[:, 2] == cause) & (w[:, 4] > 0) & np.isin(w[:, 1], nodes)]


def test_suez_2021_empties_then_bunches_european_arrivals():
    sc, plan = _scenario("suez_2021")
    start, reopen = _window(sc, "ever_given")
    eu = [_node(sc, p) for p in ("PORT_ROTTERDAM", "PORT_HAMBURG", "PORT_FELIXSTOWE")]
    # Ships past the canal when it closed have the last 40% of a 22-24 day voyage left: they
    # are all in by about start + 10. Ships held at the canal need that 40% after it reopens:
    # none of them is in before reopen + 7, then they come together. Units arriving (own
    # shipments' berth queue rows), over four replications (a week's orders may fall either
    # side of a short window in any one of them).
    gap, bunch = (start + 10, reopen + 7), (reopen + 7, reopen + 12)

    def arrived(rec, lo, hi):
        w = _own(rec.waits, Cause.BERTH_QUEUE, eu)
        return w[(w[:, 0] >= lo) & (w[:, 0] < hi), 4].sum()

    runs = [(simulate(sc, plan, rep), simulate(sc, plan, rep, disrupted=False)) for rep in range(4)]
    assert sum(arrived(r, *gap) for r, _ in runs) < sum(arrived(b, *gap) for _, b in runs)
    for r, base in runs:
        assert arrived(r, *bunch) > arrived(base, *bunch)
        held = r.waits[(r.waits[:, 2] == Cause.CLOSURE_WAIT) & (r.waits[:, 3] > 0)]
        assert len(held) > 0 and np.allclose(held[:, 0] + held[:, 3], reopen)  # leave at once


def test_red_sea_2023_sends_every_later_departure_round_the_cape():
    sc, r, base = _runs("red_sea_2023")
    start, _ = _window(sc, "red_sea")
    lanes = {ln.id: i for i, ln in enumerate(sc.network.lanes)}
    suez = [i for lid, i in lanes.items() if lid.endswith("__suez")]
    cape = [i for lid, i in lanes.items() if lid.endswith("__cape")]
    transit = r.waits[(r.waits[:, 2] == Cause.TRANSIT) & (r.waits[:, 4] > 0)]
    later = transit[transit[:, 0] >= start]
    assert len(later) > 0 and not np.isin(later[:, 1], suez).any()
    assert np.isin(later[:, 1], cape).sum() > 0
    base_t = base.waits[(base.waits[:, 2] == Cause.TRANSIT) & (base.waits[:, 0] >= start)]
    assert not np.isin(base_t[:, 1], cape).any()
    assert r.in_transit_area > base.in_transit_area


@pytest.mark.parametrize(
    "name,keys,ports",
    [
        (
            "west_coast_lockout_2002",
            ("lalb", "oakland", "seatac"),
            ("PORT_LALB", "PORT_OAKLAND", "PORT_SEATAC"),
        ),
        (
            "us_east_gulf_strike_2024",
            ("nynj", "savannah", "houston"),
            ("PORT_NYNJ", "PORT_SAVANNAH", "PORT_HOUSTON"),
        ),
    ],
)
def test_port_stoppages_stop_the_berths_and_leave_a_queue(name, keys, ports):
    sc, r, base = _runs(name)
    start, end = _window(sc, keys[0])
    idx = [_node(sc, p) for p in ports]
    served = _own(r.waits, Cause.BERTH_SERVICE, idx)
    assert not ((served[:, 0] > start + 1e-9) & (served[:, 0] < end - 1e-9)).any()
    day = int(end)  # the daily queue (ships waiting or at a berth) on the day they reopen
    cols = [r.gateway_ids.index(p) for p in ports]
    assert r.queue[day, cols].sum() > base.queue[day, cols].sum()
    if name == "us_east_gulf_strike_2024":  # departures while shut take the LA/LB landbridge
        lalb = [_node(sc, "PORT_LALB")]
        assert len(_own(r.waits, Cause.BERTH_QUEUE, lalb)) > 0
        assert len(_own(base.waits, Cause.BERTH_QUEUE, lalb)) == 0


def test_shanghai_2022_stops_then_slows_the_plant_and_queues_the_port():
    sc, r, base = _runs("shanghai_lockdown_2022")
    stop, stop_end = _window(sc, "factory_stop")
    start, end = _window(sc, "factory")
    fac = _node(sc, "FAC_SUZHOU")
    spec = sc.network.node_by_id["FAC_SUZHOU"]
    factor = next(d for d in sc.disruptions.scripted if d.source.endswith(".factory")).effect
    prod = _own(r.waits, Cause.PRODUCTION, [fac])
    assert not ((prod[:, 0] >= stop) & (prod[:, 0] < stop_end)).any()  # nothing starts
    inside = (prod[:, 0] >= start) & (prod[:, 0] < end)
    assert inside.sum() > 0
    rate = spec.capacity * factor.capacity_factor
    setup = spec.service_time.mean  # deterministic set-up per order
    np.testing.assert_allclose(prod[inside, 3], setup + prod[inside, 4] / rate, rtol=1e-12)
    col = r.gateway_ids.index("PORT_SHANGHAI")
    days = slice(int(stop), int(end))
    assert r.queue[days, col].mean() > base.queue[days, col].mean()


def test_peak_surge_2021_overflows_the_docks():
    sc, r, base = _runs("peak_surge_2021")
    start, end = _window(sc, "west")
    dock = r.waits[r.waits[:, 2] == Cause.DOCK_WAIT]
    during = dock[(dock[:, 0] >= start) & (dock[:, 0] < end + 30)]
    before = dock[(dock[:, 0] >= start - 90) & (dock[:, 0] < start)]
    assert len(during) > 0 and len(before) > 0
    assert during[:, 3].mean() > before[:, 3].mean()
    days = slice(int(start), int(end) + 30)
    assert r.backlog[days].sum() > base.backlog[days].sum()
