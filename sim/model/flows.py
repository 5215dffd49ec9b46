"""Processes that move goods: production, shipments along their legs, gateway visits, and other
carriers' ships at a port.

Each is a small generator taking its collaborators as arguments (SimPy style). A shipment
process carries one SKU vector; where a departure has less room than the shipment, the shipment
is split and the rest continues as its own process.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from ..enums import Cause, CostComponent, NodeKind
from .nodes import Gateway, Supply, Warehouse

if TYPE_CHECKING:
    from .build import Model

Proc = Generator[simpy.Event, Any, None]


def replenish(env: simpy.Environment, m: "Model", wh: Warehouse, sup: Supply,
              qty: np.ndarray) -> Proc:
    """An order for ``qty`` of one class: produced at the factory, then shipped to ``wh``."""
    units = int(qty.sum())
    fac = sup.factory
    t0 = env.now
    with fac.line.request() as req:
        yield req
        t1 = env.now
        m.rec.waits.add(t0, fac.node, Cause.PRODUCTION_QUEUE, t1 - t0, units)
        yield env.timeout(fac.setup.next() + units / fac.spec.capacity)
        m.rec.waits.add(t1, fac.node, Cause.PRODUCTION, env.now - t1, units)
    m.produced += qty
    m.pipeline += qty
    m.in_transit.change(env.now, units)
    wh.inbound.change(env.now, units)
    yield from carry(env, m, wh, sup, 0, qty)


def carry(env: simpy.Environment, m: "Model", wh: Warehouse, sup: Supply, leg: int,
          qty: np.ndarray) -> Proc:
    """Carry ``qty`` from leg ``leg`` of ``sup`` to the warehouse."""
    weight = m.weight
    while leg < len(sup.legs):
        lane, gate = sup.legs[leg]
        units = int(qty.sum())
        t_ready = env.now
        t_dep, room = lane.departure(t_ready, units)
        if room < units:
            part, rest = m.h.split(qty, room)
            env.process(carry(env, m, wh, sup, leg, rest))
            qty, units = part, room
        if t_dep > t_ready:
            yield env.timeout(t_dep - t_ready)
            m.rec.waits.add(t_ready, lane.index, Cause.SAILING_WAIT, t_dep - t_ready, units)
        s = lane.spec
        kg = float(np.dot(qty, weight))
        m.rec.costs.add(env.now, CostComponent.TRANSPORT,
                        s.cost_per_kg * kg + s.cost_per_shipment, lane.index, 0)
        lost = s.loss_prob > 0 and lane.loss_u.next() < s.loss_prob
        transit = lane.transit.next()
        yield env.timeout(transit)
        m.rec.waits.add(t_dep, lane.index, Cause.TRANSIT, transit, units)
        if lost:
            m.lose(wh, qty)
            return
        if gate is not None:
            yield from visit(env, m, gate, qty, units)
        leg += 1
    m.receive(wh, qty)


def visit(env: simpy.Environment, m: "Model", gate: Gateway, qty: np.ndarray,
          units: int) -> Proc:
    """Queue at a port berth or customs officer, be served, and (customs) maybe be inspected."""
    spec = gate.spec
    customs = spec.kind is NodeKind.CUSTOMS
    t0 = env.now
    with gate.resource.request() as req:
        yield req
        t1 = env.now
        m.rec.waits.add(t0, gate.node, Cause.CUSTOMS_QUEUE if customs else Cause.BERTH_QUEUE,
                        t1 - t0, units)
        service = gate.service.next()
        yield env.timeout(service)
        m.rec.waits.add(t1, gate.node,
                        Cause.CUSTOMS_SERVICE if customs else Cause.BERTH_SERVICE, service, units)
    if customs:
        value = float(np.dot(qty, m.value))
        m.rec.costs.add(env.now, CostComponent.CUSTOMS,
                        spec.customs_fee + spec.duty_rate * value, gate.node, 0)
        if spec.inspection_prob > 0 and gate.inspect_u.next() < spec.inspection_prob:
            t2 = env.now
            hold = gate.hold.next()
            yield env.timeout(hold)
            m.rec.waits.add(t2, gate.node, Cause.INSPECTION_HOLD, hold, units)
    elif spec.handling_cost > 0:
        m.rec.costs.add(env.now, CostComponent.HANDLING, spec.handling_cost * units, gate.node, 0)


def background_ships(env: simpy.Environment, m: "Model", gate: Gateway, interarrival: Any,
                     service: Any) -> Proc:
    """Other carriers' ship calls at a port: Poisson arrivals holding a berth (waits logged
    with zero units)."""
    while True:
        yield env.timeout(interarrival.next())
        env.process(_ship_call(env, m, gate, service.next()))


def _ship_call(env: simpy.Environment, m: "Model", gate: Gateway, service: float) -> Proc:
    t0 = env.now
    with gate.resource.request() as req:
        yield req
        m.rec.waits.add(t0, gate.node, Cause.BERTH_QUEUE, env.now - t0, 0)
        yield env.timeout(service)
