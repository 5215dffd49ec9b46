"""Processes that move goods: production, shipments along their legs, and gateway visits (other
carriers' ships at a port are the handlers' ``ShipCalls``).

Each is a small generator taking its collaborators as arguments (SimPy style). A shipment
process carries one SKU vector of one class; where a departure has less room than the
shipment, the shipment is split and the rest continues as its own process. Before each
departure a shipment looks at what the network shows: a closed lane, or a closed port or
customs office at the lane's far end, makes it take another route when the strategy reroutes
(or wait for the reopening). A ship arriving at a port closed by a strike diverts to the
nearest open port of the same region.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from ..enums import Cause, CostComponent, DisruptionKind, NodeKind
from . import dock
from .nodes import Gateway, Lane, Legs, Supply, Warehouse

if TYPE_CHECKING:
    from .build import Model

Proc = Generator[simpy.Event, Any, None]


def replenish(env: simpy.Environment, m: "Model", wh: Warehouse, sup: Supply,
              qty: np.ndarray, expedite: bool = False) -> Proc:
    """An order for ``qty`` of one class: produced at the factory, then shipped to ``wh``."""
    units = m.h.total(qty)
    fac = sup.factory
    t0 = env.now
    yield fac.line.request()
    t1 = env.now
    m.rec.waits.add(t0, fac.node, Cause.PRODUCTION_QUEUE, t1 - t0, units)
    yield env.timeout(fac.setup.next() + units / (fac.spec.capacity * fac.rate_factor()))
    fac.line.release()
    m.rec.waits.add(t1, fac.node, Cause.PRODUCTION, env.now - t1, units)
    m.h.add(m.produced, qty)
    m.h.add(m.pipeline, qty)
    m.in_transit.change(env.now, units)
    wh.inbound.change(env.now, units)
    yield from carry(env, m, wh, sup.size_class, sup.legs, qty, expedite, extra=expedite)


def carry(env: simpy.Environment, m: "Model", wh: Warehouse, size_class: str, legs: Legs,
          qty: np.ndarray, expedite: bool = False, extra: bool = False) -> Proc:
    """Carry ``qty`` along ``legs`` to the warehouse. ``expedite``: its freight is expedite
    cost; ``extra``: the units were ordered outside the policy (expedite or transfer) and count
    in the warehouse's ``expediting`` until they arrive."""
    cost_kind = CostComponent.EXPEDITE if expedite else CostComponent.TRANSPORT
    reroute = m.sc.strategy.reroute
    units = m.h.total(qty)
    kg = m.ledger.kg(qty)
    leg = 0
    while leg < len(legs):
        lane, gate = legs[leg]
        if (lane.active and lane.closed()) or (reroute and gate is not None and gate.active
                                               and gate.closed()):
            other = m.reroute(lane.spec.src, wh) if reroute and lane.may_reroute() else None
            if other is not None:
                legs, leg = other, 0
                continue
            if lane.closed():
                t_wait = env.now
                yield lane.opened(env)
                m.rec.waits.add(t_wait, lane.index, Cause.CLOSURE_WAIT, env.now - t_wait,
                                units)
                continue
            # The gateway ahead is closed and there is no other way: sail and queue there.
        t_ready = env.now
        t_dep, room = lane.departure(t_ready, units)
        if room < units:
            part, rest = m.h.split(qty, room)
            env.process(carry(env, m, wh, size_class, legs[leg:], rest, expedite, extra))
            qty, units = part, room
            kg = m.ledger.kg(qty)
        if t_dep > t_ready:
            yield env.timeout(t_dep - t_ready)
            m.rec.waits.add(t_ready, lane.index, Cause.SAILING_WAIT, t_dep - t_ready, units)
            if lane.active and lane.closed():  # closed while it waited for the sailing
                continue
        s = lane.spec
        m.rec.costs.add(env.now, cost_kind,
                        (s.cost_per_kg * kg + s.cost_per_shipment) * lane.cost_factor(),
                        lane.index, 0)
        p_loss = lane.loss_prob()
        lost = p_loss > 0 and lane.loss_u.next() < p_loss
        transit = lane.transit.next()
        yield from ride(env, m, lane, transit, units)
        m.rec.waits.add(t_dep, lane.index, Cause.TRANSIT, transit, units)
        if lost:
            m.lose(wh, qty, extra)
            return
        if gate is not None:
            if gate.closed() and gate.spec.kind is NodeKind.PORT and m.sc.strategy.reroute:
                diverted = m.divert(gate, wh)
                if diverted is not None:
                    days, new_gate, rest_legs = diverted
                    t_div = env.now
                    yield env.timeout(days)
                    m.rec.waits.add(t_div, gate.node, Cause.DIVERSION, days, units)
                    gate, legs, leg = new_gate, rest_legs, -1
            yield from visit(env, m, gate, qty, units, size_class)
        leg += 1
    if wh.dock is not None:
        dock.arrive(m, wh, qty, extra)
    else:
        m.receive(wh, qty, extra)


def ride(env: simpy.Environment, m: "Model", lane: Lane, transit: float, units: int) -> Proc:
    """Spend ``transit`` days on ``lane``. If the lane is suspended meanwhile, the shipment
    takes the parallel open lane when the strategy reroutes (arriving later by the difference of
    the two lanes' mean transits: it diverts at once), or waits for the reopening and then
    sails the rest. When the closure is of the lane's chokepoint (``via:NAME``) and the lane
    says where it passes it (``via_at`` > 0), a ship already past the chokepoint sails on, and
    one before it that waits sails on to the chokepoint and waits there (so the ships held
    there leave together when it reopens)."""
    proc = env.active_process
    left = transit
    chokepoint = lane.spec.via_at * transit  # days into the voyage (0: no position given)
    while left > 0:
        t0 = env.now
        lane.riding[proc] = None
        try:
            yield env.timeout(left)
            return
        except simpy.Interrupt as irq:
            left -= env.now - t0
            cause = irq.cause
        finally:
            lane.riding.pop(proc, None)
        to_chokepoint = left - (transit - chokepoint)  # days still to sail to it
        at_chokepoint = chokepoint > 0 and _chokepoint_closure(cause)
        if at_chokepoint and to_chokepoint <= 0:
            continue  # past the chokepoint: this closure does not concern the ship
        alt = m.parallel_lane(lane) if m.sc.strategy.reroute and lane.may_reroute() else None
        t1 = env.now
        if alt is not None:
            # Off this lane for good: the rest of the voyage is on the alternative.
            extra = max(alt.spec.transit.mean - lane.spec.transit.mean, 0.0)
            yield env.timeout(left + extra)
            m.rec.waits.add(t1, lane.index, Cause.LANE_SWITCH, extra, units)
            return
        if at_chokepoint:
            yield env.timeout(to_chokepoint)
            left -= to_chokepoint
            t1 = env.now
        while lane.closed():
            yield lane.opened(env)
        m.rec.waits.add(t1, lane.index, Cause.CLOSURE_WAIT, env.now - t1, units)
        # back on the lane for the rest of the voyage, where a later closure can stop it again


def _chokepoint_closure(d: Any) -> bool:
    """Whether interrupt cause ``d`` is a suspension of a chokepoint (``via:NAME``)."""
    return (getattr(d, "kind", None) is DisruptionKind.ROUTE_SUSPENSION
            and str(getattr(d, "target", "")).startswith("via:"))


def visit(env: simpy.Environment, m: "Model", gate: Gateway, qty: np.ndarray, units: int,
          size_class: str) -> Proc:
    """Queue at a port berth or customs officer, be served, and (customs) maybe be inspected."""
    spec = gate.spec
    customs = spec.kind is NodeKind.CUSTOMS
    if customs:
        while gate.stopped_for(size_class):
            t_stop = env.now
            yield gate.opened(env)
            m.rec.waits.add(t_stop, gate.node, Cause.CUSTOMS_STOP, env.now - t_stop, units)
    t0 = env.now
    yield gate.resource.request()
    t1 = env.now
    m.rec.waits.add(t0, gate.node, Cause.CUSTOMS_QUEUE if customs else Cause.BERTH_QUEUE,
                    t1 - t0, units)
    service = gate.service.next() * gate.service_factor()
    yield env.timeout(service)
    gate.resource.release()
    m.rec.waits.add(t1, gate.node,
                    Cause.CUSTOMS_SERVICE if customs else Cause.BERTH_SERVICE, service, units)
    if customs:
        value = m.ledger.worth(qty)
        m.rec.costs.add(env.now, CostComponent.CUSTOMS,
                        spec.customs_fee + spec.duty_rate * value, gate.node, 0)
        p, factor = gate.inspection(size_class)
        if p > 0 and gate.inspect_u.next() < p:
            t2 = env.now
            hold = gate.hold.next() * factor
            yield env.timeout(hold)
            m.rec.waits.add(t2, gate.node, Cause.INSPECTION_HOLD, hold, units)
    elif spec.handling_cost > 0:
        m.rec.costs.add(env.now, CostComponent.HANDLING, spec.handling_cost * units, gate.node, 0)
