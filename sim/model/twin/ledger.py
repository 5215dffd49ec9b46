"""Deliveries to customers: the ledger of goods sent, and a pool's daily serve-and-send
(pure-Python twin of ``ext/ledger.pxi``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .keyed import Keyed, combine, time_key
from .sampling import Level
from .stock import Stock


def dot(qty: np.ndarray, w: np.ndarray) -> float:
    """``sum(qty[i] * w[i])`` summed left to right (the order both builds share)."""
    if qty.shape[0] == 0:
        return 0.0
    return float(np.cumsum(qty * w)[-1])


class Ledger:
    """Goods sent to customers: units on their way and delivered, and the revenue and cost of
    the goods delivered in the measured window ``[warmup, end)``. A delivery whose arrival time
    is known when it leaves is booked at once (nothing else depends on the moment it arrives):
    delivered if it arrives before the run stops (``stop``, after any drain), else still on its
    way."""

    def __init__(
        self,
        weight: np.ndarray,
        value: np.ndarray,
        price: np.ndarray,
        warmup: float,
        end: float,
        stop: float,
    ) -> None:
        n = len(weight)
        self._w = np.asarray(weight, dtype=np.float64)
        self._v = np.asarray(value, dtype=np.float64)
        self._p = np.asarray(price, dtype=np.float64)
        self.delivered = np.zeros(n, dtype=np.int64)
        self.last_mile = np.zeros(n, dtype=np.int64)
        self.revenue = 0.0
        self.cost_goods = 0.0
        self.warmup = warmup
        self.end = end
        self.stop = stop

    def kg(self, qty: np.ndarray) -> float:
        """Weight of ``qty``."""
        return dot(qty, self._w)

    def worth(self, qty: np.ndarray) -> float:
        """Value of ``qty`` (what the goods cost)."""
        return dot(qty, self._v)

    def _arrive(self, qty: np.ndarray, t: float) -> None:
        self.delivered += qty
        if self.warmup <= t < self.end:
            self.revenue += dot(qty, self._p)
            self.cost_goods += dot(qty, self._v)

    def dispatch(self, qty: np.ndarray, t_arrive: float) -> None:
        """Book a delivery that will arrive at ``t_arrive``."""
        if t_arrive < self.stop:
            self._arrive(qty, t_arrive)
        else:
            self.last_mile += qty

    def depart(self, qty: np.ndarray) -> None:
        """A delivery left whose arrival is not known yet (a route of several legs)."""
        self.last_mile += qty

    def arrive(self, qty: np.ndarray, t: float) -> None:
        """A delivery that departed with :meth:`depart` arrived at ``t``."""
        self.last_mile -= qty
        self._arrive(qty, t)

    def take_back(self, qty: np.ndarray, t: float) -> None:
        """Customers send ``qty`` back (delivered at ``t``): refunded in the window."""
        self.delivered -= qty
        if self.warmup <= t < self.end:
            self.revenue -= dot(qty, self._p)


class Dispatch:
    """How one outlet is served: its demand as the lines of each day (day ``d``'s are
    ``start[d]`` to ``start[d + 1]`` of ``sku``/``qty``, SKUs ascending), its market's row, and,
    when its route is a single last-mile lane, that lane's keyed transit draws, freight rates
    and index (``transit`` None: a route of several legs, which the model sends as a shipment)."""

    def __init__(
        self,
        index: int,
        market: int,
        start: np.ndarray,
        sku: np.ndarray,
        qty: np.ndarray,
        transit: Keyed | None,
        cost_per_kg: float,
        cost_per_shipment: float,
        lane: int,
        promise: float,
    ) -> None:
        self.index = index
        self.market = market
        self._start = np.asarray(start, dtype=np.int64)
        self._sku = np.asarray(sku, dtype=np.intp)  # numpy index width: no conversion a day
        self._qty = np.asarray(qty, dtype=np.int32)
        self._transit = transit
        self._cpk = cost_per_kg
        self._cps = cost_per_shipment
        self._lane = lane
        self._promise = promise


class Pool:
    """The daily work of one stock pool: serve each outlet's demand from its stock, record the
    day, and send what was shipped (cost, delivery row, on-time lines, the ledger)."""

    def __init__(
        self,
        stock: Stock,
        outlets: list[Dispatch],
        ledger: Ledger,
        rec: object,
        inbound: Level,
        row: int,
        node: int,
        handling: float,
        hand_over: int,
        transport_code: int,
        handling_code: int,
    ) -> None:
        self._stock = stock
        self._outlets = outlets
        self._ledger = ledger
        self._rec: Any = rec
        self._inbound = inbound
        self._row = row
        self._node = node
        self._handling = handling
        self._hand_over = hand_over
        self._c_transport = transport_code
        self._c_handling = handling_code
        self._d = np.zeros(stock.on_hand.size, dtype=np.int64)  # an outlet's day, dense

    def serve(self, day: int, t: float) -> list:
        """Serve day ``day``'s demand of every outlet at time ``t``. Returns the deliveries the
        model must go on with, ``(outlet, qty, units, full lines, arrival)``: routes of several
        legs (arrival -1); with ``hand_over`` 1 every delivery's arrival (its goods None when
        it arrives by the last-mile lane: customer orders), 2 every delivery with its goods
        (customer returns)."""
        st, rec = self._stock, self._rec
        v, p = self._ledger._v, self._ledger._p
        pending = []
        if self._outlets:
            st.advance(t)
        for o in self._outlets:
            a, b = o._start[day], o._start[day + 1]
            if a == b:
                continue
            d, skus = self._d, o._sku[a:b]
            d[skus] = o._qty[a:b]
            mi = o.market
            shipped, d_units, s_units, lines, full, short = st.fill(t, o.index, d)
            rec.demand[day, mi] += d_units
            rec.shipped[day, mi] += s_units
            rec.lines[day, mi] += lines
            rec.full_lines[day, mi] += full
            rec.short_skus[day, self._row] += short
            if short:  # demand not met from stock: backordered or lost, at value and price
                u = d - shipped
                rec.unmet[day, self._row] += d_units - s_units
                rec.unmet_value[day, self._row] += dot(u, v)
                rec.unmet_price[day, self._row] += dot(u, p)
            d[skus] = 0
            if s_units:
                t_arr = self.send(o, shipped, s_units, t, t, full, day)
                if t_arr < 0 or self._hand_over == 2:
                    pending.append((o.index, shipped, s_units, full, t_arr))
                elif self._hand_over == 1:
                    pending.append((o.index, None, s_units, full, t_arr))
        return pending

    def send(
        self,
        o: Dispatch,
        qty: np.ndarray,
        units: int,
        t: float,
        order_t: float,
        full: int = 0,
        day: int = -1,
    ) -> float:
        """Send ``qty`` to outlet ``o`` at ``t`` (ordered at ``order_t``; ``full`` lines of day
        ``day``): its arrival time, or -1 for a route of several legs."""
        rec = self._rec
        if self._handling > 0:
            rec.costs.add(t, self._c_handling, self._handling * units, self._node, 0)
        if o._transit is None:
            return -1.0
        dt = o._transit.at(combine(o.index, time_key(t)), 0)  # the outlet's parcels that day
        rec.costs.add(t, self._c_transport, o._cpk * self._ledger.kg(qty) + o._cps, o._lane, 0)
        rec.deliveries.add(order_t, t, t + dt, o.market, units)
        if full and t + dt - order_t <= o._promise:
            rec.otif_lines[day, o.market] += full
        self._ledger.dispatch(qty, t + dt)
        return t + dt

    def send_served(
        self, served: tuple, dispatches: list[Dispatch], t: float, first: int, last: int
    ) -> list:
        """Send rows ``first`` to ``last`` of the backorder rows a receipt served
        (``Stock.receive``'s; ``dispatches``: every outlet's, by index) at ``t``. Returns those
        the model must go on with, ``(outlet, qty, units, order_time, arrival)``: routes of
        several legs (arrival -1), and every one when ``hand_over`` is 2 (customer returns)."""
        order_t, outlet, start, sku, qty, units = served
        follow = []
        for r in range(first, last):
            o = dispatches[int(outlet[r])]
            q = np.zeros(self._ledger._w.size, dtype=np.int64)
            q[sku[start[r] : start[r + 1]]] = qty[start[r] : start[r + 1]]
            u, ot = int(units[r]), float(order_t[r])
            t_arr = self.send(o, q, u, t, ot)
            if t_arr < 0 or self._hand_over == 2:
                follow.append((o.index, q, u, ot, t_arr))
        return follow

    def snapshot(self, day: int) -> None:
        """Add the pool's units on hand, backordered (and their price) and inbound to day
        ``day``'s row."""
        st, rec = self._stock, self._rec
        rec.on_hand[day, self._row] += st.on_hand_units
        rec.backlog[day, self._row] += st.backlog_units
        if st.backlog_units:  # else a sum of zeros: 0.0, as dot would give
            rec.backlog_price[day, self._row] += dot(st.backlog, self._ledger._p)
        rec.inbound[day, self._row] += self._inbound.level
