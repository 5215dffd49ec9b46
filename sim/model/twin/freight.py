"""A lane's sailings and what every shipment of a replication shares (pure-Python twin of
``ext/ship.pxi``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .engine import start
from .keyed import combine, time_key
from .ship import Shipment


class Sailings:
    """A lane's departures: at ``first + k * headway`` (``k`` computed from the time, so no
    drift), each with room for ``capacity`` units (0: unlimited) shared in booking order; an
    unscheduled lane (``scheduled`` false) departs at once with unlimited room."""

    def __init__(self, scheduled: bool, first: float, headway: float, capacity: int) -> None:
        self._scheduled, self._first, self._headway = scheduled, first, headway
        self._capacity = capacity
        self._booked: dict[int, int] = {}

    def departure(self, now: float, units: int) -> tuple[float, int]:
        """Time of the first departure at or after ``now`` with room, and the room it books
        for the shipment (at most ``units``)."""
        if not self._scheduled:
            return now, units
        h = self._headway
        k = max(0, math.ceil((now - self._first) / h - 1e-9))
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
# small): a transfer or feed, a delivery of several legs.
CARRY_KEY = 1 << 24
DELIVERY_KEY = 1 << 25


class Freight:
    """What every shipment of one replication shares: the model, its clock and its logs.

    Each shipment gets a key from what sent it and when (a pool and its supply, a transfer's
    first lane, an outlet and its day), so that the same order, run without a disruption that
    did not touch it, draws the same numbers (see :mod:`.keyed`)."""

    def __init__(self, m: Any) -> None:
        self.m = m
        self.env = m.env
        self.waits = m.rec.waits
        self.costs = m.rec.costs
        self.ledger = m.ledger
        self.reroute = bool(m.sc.strategy.reroute)

    def produce(self, wh: Any, sup: Any, qty: np.ndarray, expedite: bool = False) -> None:
        """An order for ``qty`` of one class: produced at the factory, then shipped to ``wh``
        (``expedite``: its freight is expedite cost and it counts in ``wh.expediting``)."""
        sid = combine(combine(wh.uid, sup.uid), time_key(self.env.now))
        s = Shipment(self, wh, sup.size_class, sup.legs, qty, expedite, expedite, None, sid)
        s.factory = sup.factory
        start(self.env, s._begin)

    def carry(self, wh: Any, legs: Any, qty: np.ndarray, extra: bool) -> None:
        """Carry ``qty`` along ``legs`` to ``wh`` (``extra``: ordered outside the policy)."""
        sid = combine(combine(wh.uid, CARRY_KEY + legs[0][0].index), time_key(self.env.now))
        start(self.env, Shipment(self, wh, "", legs, qty, False, extra, None, sid)._go)

    def deliver(
        self, out: Any, qty: np.ndarray, units: int, order_t: float, full: int, day: int
    ) -> None:
        """Deliver ``qty`` along the outlet's route of several legs to its market."""
        sid = combine(combine(DELIVERY_KEY + out.index, day), time_key(self.env.now))
        s = Shipment(self, None, "", out.legs, qty, False, False, out, sid)
        s.units, s.order_t, s.full, s.day = units, order_t, full, day
        start(self.env, s._go)
