"""Shipments as chains of event callbacks: production, the legs to a warehouse, gateway visits
and multi-leg deliveries (pure-Python twin of ``ext/ship.pxi``).

A shipment is a small state machine, not a SimPy process: each wait schedules one event whose
callback is the next step, so no generator is resumed. It schedules the events a process doing
the same would (its start is an urgent event, as a process's is; only the process's end event,
which nobody waits for, is gone), in the same order, so the run is the one the processes gave.
What a shipment does is described in :mod:`sim.model.flows`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from ...core.enums import Cause, CostComponent, DisruptionKind, NodeKind
from .engine import after, start
from .gateway import GatewayVisit
from .keyed import combine, time_key
from .stock import add, split, total

if TYPE_CHECKING:
    from .freight import Freight

_PORT = NodeKind.PORT
SPLIT_KEY = 1 << 26  # a part split off at a full sailing: its key is its parent's and the lane


class Shipment(GatewayVisit):
    """One SKU vector of one class on its way (see :mod:`sim.model.flows`)."""

    __slots__ = (
        "f",
        "wh",
        "size_class",
        "legs",
        "qty",
        "expedite",
        "extra",
        "out",
        "factory",
        "units",
        "kg",
        "leg",
        "lane",
        "gate",
        "t0",
        "t1",
        "t_ready",
        "t_dep",
        "t_go",
        "transit",
        "lost",
        "left",
        "chokepoint",
        "target",
        "to_chokepoint",
        "detour",
        "service",
        "customs",
        "order_t",
        "full",
        "day",
        "t_ship",
        "divert_to",
        "sid",
        "t_order",
    )

    def __init__(
        self,
        f: Freight,
        wh: Any,
        size_class: str,
        legs: Any,
        qty: np.ndarray,
        expedite: bool,
        extra: bool,
        out: Any,
        sid: int,
    ) -> None:
        self.f, self.wh, self.size_class, self.legs, self.qty = f, wh, size_class, legs, qty
        self.sid = sid  # the shipment's key: its draws are keyed by it (see .keyed)
        self.t_order = f.env.now  # when it was ordered (a split-off part: its parent's)
        self.expedite, self.extra, self.out = expedite, extra, out
        self.factory: Any = None
        self.units = 0
        self.kg = 0.0
        self.leg = 0
        self.lane: Any = None
        self.gate: Any = None
        self.t0 = self.t1 = self.t_ready = self.t_dep = self.t_go = self.transit = 0.0
        self.lost = False
        self.left = self.chokepoint = self.to_chokepoint = self.detour = self.service = 0.0
        self.target: simpy.Event | None = None
        self.customs = False
        self.order_t, self.full, self.day, self.t_ship = 0.0, 0, -1, -1.0
        self.divert_to: Any = None

    # -- production ----------------------------------------------------------------------
    def _begin(self, _ev: Any) -> None:
        self.units = total(self.qty)
        self.t0 = self.f.env.now
        req = self.factory.line.request()
        if req.callbacks is None:
            self._line()
        else:
            req.callbacks.append(self._line_free)

    def _line_free(self, _ev: Any) -> None:
        self._line()

    def _line(self) -> None:
        fac, now = self.factory, self.f.env.now
        self.t1 = now
        self.f.waits.add(self.t0, fac.node, Cause.PRODUCTION_QUEUE, now - self.t0, self.units)
        after(
            self.f.env,
            fac.setup.at(self.sid, fac.node) + self.units / (fac.spec.capacity * fac.rate_factor()),
            self._produced,
        )

    def _produced(self, _ev: Any) -> None:
        fac, m, now = self.factory, self.f.m, self.f.env.now
        fac.line.release()
        self.f.waits.add(self.t1, fac.node, Cause.PRODUCTION, now - self.t1, self.units)
        add(m.produced, self.qty)
        m.send_towards(self.wh, self.qty)
        self._carry()

    # -- the legs ------------------------------------------------------------------------
    def _go(self, _ev: Any) -> None:
        if self.out is not None:
            if self.t_ship < 0:  # a part split off a delivery keeps its ship time
                self.t_ship = self.f.env.now
        else:
            self.units = total(self.qty)
        self._carry()

    def _carry(self) -> None:
        self.kg = self.f.ledger.kg(self.qty)
        self._next_leg()

    def _next_leg(self) -> None:
        """The top of the leg loop: look at the lane ahead, then wait for its departure."""
        f, env = self.f, self.f.env
        while self.leg < len(self.legs):
            lane, gate = self.legs[self.leg]
            self.lane, self.gate = lane, gate
            if (lane.active and lane.closed()) or (
                f.reroute and gate is not None and gate.active and gate.closed()
            ):
                other = None
                if f.reroute and lane.may_reroute():  # a delivery by the delivery modes
                    other = (
                        f.m.reroute(lane.spec.src, self.wh)
                        if self.out is None
                        else f.m.reroute_delivery(lane.spec.src, self.out)
                    )
                if other is not None:
                    self.legs, self.leg = other, 0
                    continue
                if lane.closed():
                    self.t0 = env.now
                    lane.opened(env).callbacks.append(self._reopened)
                    return
                # The gateway ahead is closed and there is no other way: sail and queue there.
            t_ready = env.now
            t_dep, room = lane.sailings.departure(t_ready, self.units)
            if room < self.units:  # the rest goes on by the next departure with room
                part, rest = split(self.qty, room)
                self._split_off(rest)
                self.qty, self.units = part, room
                self.kg = f.ledger.kg(self.qty)
            self.t_ready, self.t_dep = t_ready, t_dep
            if t_dep > t_ready:
                after(env, t_dep - t_ready, self._sailed)
                return
            self._depart()
            return
        self._arrived()

    def _split_off(self, rest: np.ndarray) -> None:
        """The part of the shipment the departure had no room for goes on as its own."""
        s = Shipment(
            self.f,
            self.wh,
            self.size_class,
            self.legs[self.leg :],
            rest,
            self.expedite,
            self.extra,
            self.out,
            combine(self.sid, SPLIT_KEY + self.lane.index),
        )
        s.t_order = self.t_order
        if self.out is not None:  # a delivery's part: its order, and its lines when it is last
            s.units, s.order_t, s.day, s.t_ship = total(rest), self.order_t, self.day, self.t_ship
            s.full, self.full = self.full, 0
        start(self.f.env, s._go)

    def _reopened(self, _ev: Any) -> None:
        lane = self.lane
        self.f.waits.add(
            self.t0, lane.index, Cause.CLOSURE_WAIT, self.f.env.now - self.t0, self.units
        )
        self._next_leg()

    def _sailed(self, _ev: Any) -> None:
        lane = self.lane
        self.f.waits.add(
            self.t_ready, lane.index, Cause.SAILING_WAIT, self.t_dep - self.t_ready, self.units
        )
        if lane.active and lane.closed():  # closed while it waited
            self._next_leg()
            return
        self._depart()

    def _depart(self) -> None:
        f, lane = self.f, self.lane
        s = lane.spec
        now = f.env.now
        kind = CostComponent.EXPEDITE if self.expedite else CostComponent.TRANSPORT
        f.costs.add(
            now,
            kind,
            (s.cost_per_kg * self.kg + s.cost_per_shipment) * lane.cost_factor(),
            lane.index,
            0,
        )
        surcharge = lane.surcharge(self.kg)
        if surcharge > 0:
            f.costs.add(now, CostComponent.SURCHARGE, surcharge, lane.index, 0)
        if self.out is None:
            p_loss = lane.loss_prob()
            self.lost = p_loss > 0 and lane.loss_u.uniform(self.sid, lane.index) < p_loss
            self.t_go = self.t_dep
        else:
            self.t_go = now
        # A sailing's cargo shares its voyage; any other departure is the shipment's own.
        self.transit = (
            lane.transit.at(time_key(self.t_go), 0)
            if lane.scheduled
            else lane.transit.at(self.sid, lane.index)
        )
        self._ride()

    def _rode(self) -> None:
        """The voyage on the lane is over: log it, then the gateway at its far end."""
        f, lane, gate = self.f, self.lane, self.gate
        f.waits.add(self.t_go, lane.index, Cause.TRANSIT, self.transit, self.units)
        if self.lost:
            f.m.lose(self.wh, self.qty, self.extra)
            return
        if gate is None:
            self.leg += 1
            self._next_leg()
            return
        if self.out is None and f.reroute and gate.spec.kind is _PORT and gate.closed():
            diverted = f.m.divert(gate, self.wh)
            if diverted is not None:
                days, self.divert_to, self.legs = diverted
                self.t0, self.detour = f.env.now, days
                after(f.env, days, self._diverted)
                return
        self._visit()

    def _diverted(self, _ev: Any) -> None:
        f, lane = self.f, self.lane
        f.waits.add(self.t0, self.gate.node, Cause.DIVERSION, self.detour, self.units)
        f.costs.add(
            f.env.now,
            CostComponent.DIVERSION,
            lane.detour_cost(self.kg, self.detour),
            lane.index,
            0,
        )
        self.gate, self.leg = self.divert_to, -1
        self._visit()

    def _arrived(self) -> None:
        f, now = self.f, self.f.env.now
        out = self.out
        if out is None:
            f.m.arrive(self.wh, self.qty, self.extra, self.t_order)
            return
        m = f.m
        m.rec.deliveries.add(self.order_t, self.t_ship, now, out.market.index, self.units)
        if self.full and now - self.order_t <= out.market.spec.promise_days:
            m.rec.otif_lines[self.day, out.market.index] += self.full
        if self.day >= 0 and m.book is not None:
            m.book.arrived(out.index, self.day, now)
        f.ledger.arrive(self.qty, now)
        if m.returns_delay is not None:
            m.returns_after(out, self.qty, now)

    # -- the voyage ----------------------------------------------------------------------
    def _ride(self) -> None:
        self.left = self.transit
        self.chokepoint = self.lane.spec.via_at * self.transit  # days in (0: not given)
        self._sail_on()

    def _sail_on(self) -> None:
        if self.left > 0:
            self.t0 = self.f.env.now
            self.lane.riding[self] = None
            self.target = after(self.f.env, self.left, self._landed)
        else:
            self._rode()

    def _landed(self, _ev: Any) -> None:
        self.target = None
        self.lane.riding.pop(self, None)
        self._rode()

    def interrupt(self, cause: Any) -> None:
        """A closure of the lane it sails (called while it is in the lane's ``riding``): it
        diverts or waits, at an urgent event of this instant, as a SimPy interrupt would."""
        start(self.f.env, lambda _ev: self._interrupted(cause))

    def _interrupted(self, cause: Any) -> None:
        target = self.target
        if target is None:  # no longer sailing
            return
        self.target = None
        if target.callbacks is not None:
            target.callbacks.remove(self._landed)
        f, lane, env = self.f, self.lane, self.f.env
        lane.riding.pop(self, None)
        self.left -= env.now - self.t0
        to_chokepoint = self.left - (self.transit - self.chokepoint)  # days still to sail to it
        at_chokepoint = self.chokepoint > 0 and _chokepoint_closure(cause)
        if at_chokepoint and to_chokepoint <= 0:
            self._sail_on()  # past the chokepoint: this closure does not concern the ship
            return
        alt = f.m.parallel_lane(lane) if f.reroute and lane.may_reroute() else None
        self.t1 = env.now
        if alt is not None:
            # Off this lane for good: the rest of the voyage is on the alternative.
            self.detour = max(alt.spec.transit.mean - lane.spec.transit.mean, 0.0)
            after(env, self.left + self.detour, self._switched)
            return
        if at_chokepoint:
            self.to_chokepoint = to_chokepoint
            after(env, to_chokepoint, self._at_chokepoint)
            return
        self._closed_wait()

    def _switched(self, _ev: Any) -> None:
        f, lane = self.f, self.lane
        f.waits.add(self.t1, lane.index, Cause.LANE_SWITCH, self.detour, self.units)
        f.costs.add(
            f.env.now,
            CostComponent.DIVERSION,
            lane.detour_cost(self.kg, self.detour),
            lane.index,
            0,
        )
        self._rode()

    def _at_chokepoint(self, _ev: Any) -> None:
        self.left -= self.to_chokepoint
        self.t1 = self.f.env.now
        self._closed_wait()

    def _closed_wait(self, _ev: Any = None) -> None:
        lane = self.lane
        if lane.closed():
            lane.opened(self.f.env).callbacks.append(self._closed_wait)
            return
        self.f.waits.add(
            self.t1, lane.index, Cause.CLOSURE_WAIT, self.f.env.now - self.t1, self.units
        )
        self._sail_on()  # back on the lane, where a later closure can stop it again


def _chokepoint_closure(d: Any) -> bool:
    """Whether interrupt cause ``d`` is a suspension of a chokepoint (``via:NAME``)."""
    return getattr(d, "kind", None) is DisruptionKind.ROUTE_SUSPENSION and str(
        getattr(d, "target", "")
    ).startswith("via:")
