# A lane's sailings and what every shipment of a replication shares (the model, its clock and
# logs), and the keys shipments are given. Twin: sim/model/twin/freight.py. Included before
# ship.pxi, whose Shipment it creates.

cdef class Sailings:
    """A lane's departures: at ``first + k * headway`` (``k`` computed from the time, so no
    drift), each with room for ``capacity`` units (0: unlimited) shared in booking order; an
    unscheduled lane (``scheduled`` false) departs at once with unlimited room."""

    cdef bint _scheduled
    cdef double _first
    cdef double _headway
    cdef i64 _capacity
    cdef dict _booked

    def __init__(self, bint scheduled, double first, double headway, i64 capacity):
        self._scheduled = scheduled
        self._first = first
        self._headway = headway
        self._capacity = capacity
        self._booked = {}

    cpdef tuple departure(self, double now, i64 units):
        """Time of the first departure at or after ``now`` with room, and the room it books
        for the shipment (at most ``units``)."""
        if not self._scheduled:
            return now, units
        cdef double h = self._headway
        cdef i64 k = max(0, <i64>ceil((now - self._first) / h - 1e-9))
        cdef double t
        cdef i64 room
        while True:
            t = self._first + k * h
            if t >= now - 1e-9:
                room = units if self._capacity <= 0 else self._capacity - self._booked.get(k, 0)
                if room > 0:
                    if self._capacity > 0:
                        self._booked[k] = self._booked.get(k, 0) + min(room, units)
                    return t, min(room, units)
            k += 1


# Offsets that keep the first part of a shipment's key apart by what sent it (a pool's uid is
# small): a transfer or feed, a delivery of several legs; a part split off at a full sailing.
cdef u64 _CARRY_KEY = 1 << 24
cdef u64 _DELIVERY_KEY = 1 << 25
cdef u64 _SPLIT_KEY = 1 << 26


cdef class Freight:
    """What every shipment of one replication shares: the model, its clock and its logs.

    Each shipment gets a key from what sent it and when (a pool and its supply, a transfer's
    first lane, an outlet and its day), so that the same order, run without a disruption that
    did not touch it, draws the same numbers (see keyed.pxi)."""

    cdef readonly object m
    cdef readonly object env
    cdef Log waits
    cdef Log costs
    cdef Ledger ledger
    cdef bint reroute

    def __init__(self, m):
        self.m = m
        self.env = m.env
        self.waits = m.rec.waits
        self.costs = m.rec.costs
        self.ledger = m.ledger
        self.reroute = bool(m.sc.strategy.reroute)

    def produce(self, wh, sup, qty, bint expedite=False):
        """An order for ``qty`` of one class: produced at the factory, then shipped to ``wh``
        (``expedite``: its freight is expedite cost and it counts in ``wh.expediting``)."""
        cdef u64 sid = _combine(_combine(wh.uid, sup.uid), time_key(self.env._now))
        s = Shipment(self, wh, sup.size_class, sup.legs, qty, expedite, expedite, None, sid)
        s.factory = sup.factory
        _start(self.env, s._begin)

    def carry(self, wh, legs, qty, bint extra):
        """Carry ``qty`` along ``legs`` to ``wh`` (``extra``: ordered outside the policy)."""
        cdef u64 sid = _combine(_combine(wh.uid, _CARRY_KEY + <u64>legs[0][0].index),
                                time_key(self.env._now))
        _start(self.env, Shipment(self, wh, "", legs, qty, False, extra, None, sid)._go)

    def deliver(self, out, qty, i64 units, double order_t, i64 full, Py_ssize_t day):
        """Deliver ``qty`` along the outlet's route of several legs to its market."""
        cdef u64 sid = _combine(_combine(_DELIVERY_KEY + <u64>out.index, <u64>day),
                                time_key(self.env._now))
        s = Shipment(self, None, "", out.legs, qty, False, False, out, sid)
        s.units, s.order_t, s.full, s.day = units, order_t, full, day
        _start(self.env, s._go)
