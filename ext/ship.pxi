# Shipments as chains of event callbacks: production, the legs to a warehouse, gateway visits
# and multi-leg deliveries. What a shipment does is described in sim/model/flows.py.
#
# A shipment is a small state machine, not a SimPy process: each wait schedules one event whose
# callback is the next step, so no generator is resumed. It schedules the events a process
# doing the same would (its start is an urgent event, as a process's is; only the process's
# end event, which nobody waits for, is gone), in the same order, so the run is the one the
# processes gave.

from sim.core.enums import Cause as _Cause
from sim.core.enums import CostComponent as _Cost
from sim.core.enums import DisruptionKind as _DK
from sim.core.enums import NodeKind as _NK

cdef double _PRODUCTION_QUEUE = _Cause.PRODUCTION_QUEUE
cdef double _PRODUCTION = _Cause.PRODUCTION
cdef double _CLOSURE_WAIT = _Cause.CLOSURE_WAIT
cdef double _SAILING_WAIT = _Cause.SAILING_WAIT
cdef double _TRANSIT = _Cause.TRANSIT
cdef double _DIVERSION = _Cause.DIVERSION
cdef double _LANE_SWITCH = _Cause.LANE_SWITCH
cdef double _CUSTOMS_STOP = _Cause.CUSTOMS_STOP
cdef double _CUSTOMS_QUEUE = _Cause.CUSTOMS_QUEUE
cdef double _BERTH_QUEUE = _Cause.BERTH_QUEUE
cdef double _CUSTOMS_SERVICE = _Cause.CUSTOMS_SERVICE
cdef double _BERTH_SERVICE = _Cause.BERTH_SERVICE
cdef double _INSPECTION_HOLD = _Cause.INSPECTION_HOLD
cdef double _C_TRANSPORT = _Cost.TRANSPORT
cdef double _C_EXPEDITE = _Cost.EXPEDITE
cdef double _C_CUSTOMS = _Cost.CUSTOMS
cdef double _C_HANDLING = _Cost.HANDLING
cdef double _C_DIVERSION = _Cost.DIVERSION
cdef double _C_SURCHARGE = _Cost.SURCHARGE
cdef double _C_DEMURRAGE = _Cost.DEMURRAGE
cdef object _PORT = _NK.PORT
cdef object _CUSTOMS = _NK.CUSTOMS
cdef object _SUSPENSION = _DK.ROUTE_SUSPENSION


cdef class Shipment:
    """One SKU vector of one class on its way (see sim/model/flows.py)."""

    cdef Freight f
    cdef object env
    cdef object wh
    cdef object size_class
    cdef tuple legs
    cdef object qty
    cdef bint expedite
    cdef bint extra
    cdef object out
    cdef object factory
    cdef i64 units
    cdef double kg
    cdef Py_ssize_t leg
    cdef object lane
    cdef object gate
    cdef double t0, t1, t_ready, t_dep, t_go, transit
    cdef bint lost
    cdef double left, chokepoint, to_chokepoint, detour, service
    cdef object target
    cdef bint customs
    cdef double order_t, t_ship
    cdef i64 full
    cdef Py_ssize_t day
    cdef object divert_to
    cdef u64 sid  # the shipment's key: its draws are keyed by it (keyed.pxi)
    cdef double t_order  # when it was ordered (a split-off part: its parent's)

    def __init__(self, Freight f, wh, size_class, legs, qty, bint expedite, bint extra, out,
                 u64 sid):
        self.f = f
        self.env = f.env
        self.wh = wh
        self.size_class = size_class
        self.legs = tuple(legs)
        self.qty = qty
        self.expedite = expedite
        self.extra = extra
        self.out = out
        self.day = -1
        self.t_ship = -1.0
        self.sid = sid
        self.t_order = f.env._now

    # -- production ----------------------------------------------------------------------
    def _begin(self, _ev):
        self.units = total(self.qty)
        self.t0 = self.env._now
        req = (<Slots>self.factory.line).request(0)
        if req.callbacks is None:
            self._line()
        else:
            req.callbacks.append(self._line_free)

    def _line_free(self, _ev):
        self._line()

    cdef void _line(self):
        fac = self.factory
        cdef double now = self.env._now
        self.t1 = now
        self.f.waits.add(self.t0, fac.node, _PRODUCTION_QUEUE, now - self.t0, self.units)
        cdef double setup = (<Keyed>fac.setup).at(self.sid, <u64>fac.node)
        _after(self.env, setup + self.units / (fac.spec.capacity * fac.rate_factor()),
               self._produced)

    def _produced(self, _ev):
        fac, m = self.factory, self.f.m
        cdef double now = self.env._now
        (<Slots>fac.line).release()
        self.f.waits.add(self.t1, fac.node, _PRODUCTION, now - self.t1, self.units)
        add(m.produced, self.qty)
        m.send_towards(self.wh, self.qty)
        self._carry()

    # -- the legs ------------------------------------------------------------------------
    def _go(self, _ev):
        if self.out is not None:
            if self.t_ship < 0:  # a part split off a delivery keeps its ship time
                self.t_ship = self.env._now
        else:
            self.units = total(self.qty)
        self._carry()

    cdef void _carry(self):
        self.kg = self.f.ledger.kg(self.qty)
        self._next_leg()

    cdef void _next_leg(self):
        """The top of the leg loop: look at the lane ahead, then wait for its departure."""
        cdef Freight f = self.f
        cdef double t_ready, t_dep
        cdef i64 room
        while self.leg < len(self.legs):
            lane, gate = <tuple>self.legs[self.leg]
            self.lane, self.gate = lane, gate
            if (lane.active and lane.closed()) or (f.reroute and gate is not None
                                                   and gate.active and gate.closed()):
                other = None
                if f.reroute and lane.may_reroute():  # a delivery by the delivery modes
                    other = (f.m.reroute(lane.spec.src, self.wh) if self.out is None
                             else f.m.reroute_delivery(lane.spec.src, self.out))
                if other is not None:
                    self.legs, self.leg = tuple(other), 0
                    continue
                if lane.closed():
                    self.t0 = self.env._now
                    lane.opened(self.env).callbacks.append(self._reopened)
                    return
                # The gateway ahead is closed and there is no other way: sail and queue there.
            t_ready = self.env._now
            t_dep, room = (<Sailings>lane.sailings).departure(t_ready, self.units)
            if room < self.units:  # the rest goes on by the next departure with room
                part, rest = split(self.qty, room)
                self._split_off(rest)
                self.qty, self.units = part, room
                self.kg = f.ledger.kg(self.qty)
            self.t_ready, self.t_dep = t_ready, t_dep
            if t_dep > t_ready:
                _after(self.env, t_dep - t_ready, self._sailed)
                return
            self._depart()
            return
        self._arrived()

    cdef void _split_off(self, rest):
        """The part of the shipment the departure had no room for goes on as its own."""
        cdef Shipment s = Shipment(self.f, self.wh, self.size_class, self.legs[self.leg:], rest,
                                   self.expedite, self.extra, self.out,
                                   _combine(self.sid, _SPLIT_KEY + <u64>self.lane.index))
        s.t_order = self.t_order
        if self.out is not None:  # a delivery's part: its order, and its lines when it is last
            s.units, s.order_t, s.day, s.t_ship = total(rest), self.order_t, self.day, self.t_ship
            s.full, self.full = self.full, 0
        _start(self.env, s._go)

    def _reopened(self, _ev):
        self.f.waits.add(self.t0, self.lane.index, _CLOSURE_WAIT, self.env._now - self.t0,
                         self.units)
        self._next_leg()

    def _sailed(self, _ev):
        lane = self.lane
        self.f.waits.add(self.t_ready, lane.index, _SAILING_WAIT, self.t_dep - self.t_ready,
                         self.units)
        if lane.active and lane.closed():  # closed while it waited
            self._next_leg()
            return
        self._depart()

    cdef void _depart(self):
        cdef Freight f = self.f
        lane = self.lane
        s = lane.spec
        cdef double now = self.env._now
        cdef double factor = lane.cost_factor() if lane.active else 1.0
        cdef double p_loss, surcharge
        f.costs.add(now, _C_EXPEDITE if self.expedite else _C_TRANSPORT,
                    (<double>s.cost_per_kg * self.kg + <double>s.cost_per_shipment) * factor,
                    lane.index, 0)
        if lane.active:
            surcharge = lane.surcharge(self.kg)
            if surcharge > 0:
                f.costs.add(now, _C_SURCHARGE, surcharge, lane.index, 0)
        if self.out is None:
            p_loss = lane.loss_prob() if lane.active else s.loss_prob
            self.lost = p_loss > 0 and (<Keyed>lane.loss_u).uniform(self.sid,
                                                                     <u64>lane.index) < p_loss
            self.t_go = self.t_dep
        else:
            self.t_go = now
        # A sailing's cargo shares its voyage; any other departure is the shipment's own.
        if lane.scheduled:
            self.transit = (<Keyed>lane.transit).at(time_key(self.t_go), 0)
        else:
            self.transit = (<Keyed>lane.transit).at(self.sid, <u64>lane.index)
        self._ride()

    cdef void _rode(self):
        """The voyage on the lane is over: log it, then the gateway at its far end."""
        cdef Freight f = self.f
        lane, gate = self.lane, self.gate
        f.waits.add(self.t_go, lane.index, _TRANSIT, self.transit, self.units)
        if self.lost:
            f.m.lose(self.wh, self.qty, self.extra)
            return
        if gate is None:
            self.leg += 1
            self._next_leg()
            return
        if (self.out is None and f.reroute and gate.active and gate.spec.kind is _PORT
                and gate.closed()):
            diverted = f.m.divert(gate, self.wh)
            if diverted is not None:
                days, self.divert_to, legs = diverted
                self.legs = tuple(legs)
                self.t0, self.detour = self.env._now, days
                _after(self.env, self.detour, self._diverted)
                return
        self._visit()

    def _diverted(self, _ev):
        self.f.waits.add(self.t0, self.gate.node, _DIVERSION, self.detour, self.units)
        self.f.costs.add(self.env._now, _C_DIVERSION, self.lane.detour_cost(self.kg, self.detour),
                         self.lane.index, 0)
        self.gate, self.leg = self.divert_to, -1
        self._visit()

    cdef void _arrived(self):
        cdef Freight f = self.f
        cdef double now = self.env._now
        out = self.out
        if out is None:
            f.m.arrive(self.wh, self.qty, self.extra, self.t_order)
            return
        m = f.m
        market = out.market
        (<Log>m.rec.deliveries).add(self.order_t, self.t_ship, now, market.index, self.units)
        if self.full and now - self.order_t <= market.spec.promise_days:
            m.rec.otif_lines[self.day, market.index] += self.full
        if self.day >= 0 and m.book is not None:
            m.book.arrived(out.index, self.day, now)
        f.ledger.arrive(self.qty, now)
        if m.returns_delay is not None:
            m.returns_after(out, self.qty, now)

    # -- the voyage ----------------------------------------------------------------------
    cdef void _ride(self):
        self.left = self.transit
        self.chokepoint = <double>self.lane.spec.via_at * self.transit  # days in (0: none)
        self._sail_on()

    cdef void _sail_on(self):
        if self.left > 0:
            self.t0 = self.env._now
            self.lane.riding[self] = None
            self.target = _after(self.env, self.left, self._landed)
        else:
            self._rode()

    def _landed(self, _ev):
        self.target = None
        self.lane.riding.pop(self, None)
        self._rode()

    def interrupt(self, cause):
        """A closure of the lane it sails (called while it is in the lane's ``riding``): it
        diverts or waits, at an urgent event of this instant, as a SimPy interrupt would."""
        _start(self.env, lambda _ev: self._interrupted(cause))

    def _interrupted(self, cause):
        target = self.target
        if target is None:  # no longer sailing
            return
        self.target = None
        if target.callbacks is not None:
            target.callbacks.remove(self._landed)
        cdef Freight f = self.f
        lane = self.lane
        lane.riding.pop(self, None)
        self.left -= self.env._now - self.t0
        cdef double to_chokepoint = self.left - (self.transit - self.chokepoint)
        cdef bint at_chokepoint = self.chokepoint > 0 and _chokepoint_closure(cause)
        if at_chokepoint and to_chokepoint <= 0:
            self._sail_on()  # past the chokepoint: this closure does not concern the ship
            return
        alt = f.m.parallel_lane(lane) if f.reroute and lane.may_reroute() else None
        self.t1 = self.env._now
        if alt is not None:
            # Off this lane for good: the rest of the voyage is on the alternative.
            self.detour = max(<double>alt.spec.transit.mean - <double>lane.spec.transit.mean,
                              0.0)
            _after(self.env, self.left + self.detour, self._switched)
            return
        if at_chokepoint:
            self.to_chokepoint = to_chokepoint
            _after(self.env, to_chokepoint, self._at_chokepoint)
            return
        self._closed_wait(None)

    def _switched(self, _ev):
        self.f.waits.add(self.t1, self.lane.index, _LANE_SWITCH, self.detour, self.units)
        self.f.costs.add(self.env._now, _C_DIVERSION, self.lane.detour_cost(self.kg, self.detour),
                         self.lane.index, 0)
        self._rode()

    def _at_chokepoint(self, _ev):
        self.left -= self.to_chokepoint
        self.t1 = self.env._now
        self._closed_wait(None)

    def _closed_wait(self, _ev):
        lane = self.lane
        if lane.closed():
            lane.opened(self.env).callbacks.append(self._closed_wait)
            return
        self.f.waits.add(self.t1, lane.index, _CLOSURE_WAIT, self.env._now - self.t1,
                         self.units)
        self._sail_on()  # back on the lane, where a later closure can stop it again

    # -- a gateway -----------------------------------------------------------------------
    cdef void _dwell(self, double days):
        """Storage and demurrage of the goods for ``days`` waiting at the gateway."""
        gate = self.gate
        if days > 0 and gate.spec.holding_cost > 0:
            self.f.costs.add(self.env._now, _C_DEMURRAGE, gate.dwell_cost(self.kg, days),
                             gate.node, 0)

    def _visit_again(self, _ev):
        cdef double waited = self.env._now - self.t0
        self.f.waits.add(self.t0, self.gate.node, _CUSTOMS_STOP, waited, self.units)
        self._dwell(waited)
        self._visit()

    cdef void _visit(self):
        gate = self.gate
        self.customs = gate.spec.kind is _CUSTOMS
        self.t0 = self.env._now
        if self.customs and gate.active and gate.stopped_for(self.size_class):
            gate.opened(self.env).callbacks.append(self._visit_again)
            return
        req = (<Slots>gate.resource).request(0)
        if req.callbacks is None:
            self._served()
        else:
            req.callbacks.append(self._slot_free)

    def _slot_free(self, _ev):
        self._served()

    cdef void _served(self):
        gate = self.gate
        cdef double now = self.env._now
        self.t1 = now
        self.f.waits.add(self.t0, gate.node, _CUSTOMS_QUEUE if self.customs else _BERTH_QUEUE,
                         now - self.t0, self.units)
        self._dwell(now - self.t0)
        cdef double draw = (<Keyed>gate.service).at(self.sid, <u64>gate.node)
        self.service = draw * (gate.service_factor() if gate.active else 1.0)
        _after(self.env, self.service, self._cleared)

    def _cleared(self, _ev):
        cdef Freight f = self.f
        gate = self.gate
        spec = gate.spec
        cdef double now = self.env._now
        cdef double p, factor, handling
        (<Slots>gate.resource).release()
        f.waits.add(self.t1, gate.node, _CUSTOMS_SERVICE if self.customs else _BERTH_SERVICE,
                    self.service, self.units)
        if self.customs:
            value = f.ledger.worth(self.qty)
            f.costs.add(now, _C_CUSTOMS, <double>spec.customs_fee + <double>spec.duty_rate * value,
                        gate.node, 0)
            p, factor = gate.inspection(self.size_class)
            if p > 0 and (<Keyed>gate.inspect_u).uniform(self.sid, <u64>gate.node) < p:
                self.t0 = now
                self.service = (<Keyed>gate.hold).at(self.sid, <u64>gate.node) * factor
                _after(self.env, self.service, self._held)
                return
        else:
            handling = spec.handling_cost
            if handling > 0:
                f.costs.add(now, _C_HANDLING, handling * self.units, gate.node, 0)
        self.leg += 1
        self._next_leg()

    def _held(self, _ev):
        self.f.waits.add(self.t0, self.gate.node, _INSPECTION_HOLD, self.service, self.units)
        self._dwell(self.service)
        self.leg += 1
        self._next_leg()


cdef bint _chokepoint_closure(object d):
    """Whether interrupt cause ``d`` is a suspension of a chokepoint (``via:NAME``)."""
    return (getattr(d, "kind", None) is _SUSPENSION
            and str(getattr(d, "target", "")).startswith("via:"))
