"""Pure-Python twin of the compiled hot handlers (``ext/_handlers.pyx``).

Same names, same arguments, same results bit for bit: the parity tests run both. Whole-array
numpy operations here, typed loops there. Quantities are int64 units; areas are float64
unit-days. Do not import this module directly: use :mod:`sim.handlers`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import numpy as np
import simpy

from .distributions import Distribution

BACKEND = "pure"

_KIND_BASE_STOCK = 0
_KIND_SS = 1
_KIND_RQ = 2


class Sampler:
    """Serves numbers drawn in blocks from ``dist`` with ``rng``, one at a time. ``rng`` may be a
    function that makes the generator: it is called at the first draw, so a sampler nobody
    draws from costs no generator."""

    def __init__(self, dist: Distribution,
                 rng: np.random.Generator | Callable[[], np.random.Generator],
                 block: int = 256) -> None:
        self._dist = dist
        self._block = block
        self._i = block
        self._buf: np.ndarray | None = None
        if isinstance(rng, np.random.Generator):
            self._rng: np.random.Generator | None = rng
            self._source = None
            self._refill()
        else:
            self._rng, self._source = None, rng

    def _refill(self) -> None:
        if self._rng is None:
            assert self._source is not None
            self._rng = self._source()
        self._buf = self._dist.sample(self._rng, self._block)
        self._i = 0

    def next(self) -> float:
        """The next number."""
        if self._i == self._block:
            self._refill()
        x = float(self._buf[self._i])  # type: ignore[index]
        self._i += 1
        return x


class Log:
    """An append-only table of five float64 columns in a preallocated, doubling array."""

    def __init__(self, capacity: int = 1024) -> None:
        self._data = np.zeros((max(capacity, 16), 5), dtype=np.float64)
        self._n = 0

    def add(self, a: float, b: float, c: float, d: float, e: float) -> None:
        """Append one row."""
        if self._n == self._data.shape[0]:
            grown = np.zeros((2 * self._n, 5), dtype=np.float64)
            grown[: self._n] = self._data
            self._data = grown
        row = self._data[self._n]
        row[0] = a
        row[1] = b
        row[2] = c
        row[3] = d
        row[4] = e
        self._n += 1

    def __len__(self) -> int:
        return self._n

    def array(self) -> np.ndarray:
        """A copy of the rows written so far, shape (n, 5)."""
        return self._data[: self._n].copy()


class Level:
    """A time-weighted level (units), integrated exactly between changes."""

    def __init__(self) -> None:
        self.level = 0
        self.area = 0.0
        self._t = 0.0

    def change(self, t: float, delta: int) -> None:
        """Move the level by ``delta`` at time ``t``."""
        self.area += self.level * (t - self._t)
        self._t = t
        self.level += delta

    def advance(self, t: float) -> None:
        """Integrate up to ``t`` without changing the level."""
        self.area += self.level * (t - self._t)
        self._t = t


class Stock:
    """Inventory of one stocking node as SKU vectors, with a FIFO of backorders."""

    def __init__(self, initial: np.ndarray, backorder: bool) -> None:
        n = initial.shape[0]
        self.on_hand = initial.astype(np.int64).copy()
        self.on_order = np.zeros(n, dtype=np.int64)
        self.backlog = np.zeros(n, dtype=np.int64)
        self.lost = np.zeros(n, dtype=np.int64)
        self.area = np.zeros(n, dtype=np.float64)
        self.backorder = backorder
        self._t = 0.0
        self._rows = np.zeros((16, n), dtype=np.int64)
        self._row_t = np.zeros(16, dtype=np.float64)
        self._row_m = np.zeros(16, dtype=np.int64)
        self._head = 0
        self._tail = 0

    def advance(self, t: float) -> None:
        """Integrate on-hand unit-days per SKU up to ``t``."""
        self.area += self.on_hand * (t - self._t)
        self._t = t

    def fill(self, t: float, market: int, demand: np.ndarray) -> tuple:
        """Serve ``demand`` from stock. Unmet units are backordered or lost.

        Returns ``(shipped, demanded_units, shipped_units, lines, full_lines, stockout_skus)``.
        """
        self.advance(t)
        d = demand.astype(np.int64)
        shipped = np.minimum(self.on_hand, d)
        self.on_hand -= shipped
        short = d - shipped
        lines = int(np.count_nonzero(d))
        short_lines = int(np.count_nonzero(short))
        if short_lines:
            if self.backorder:
                self.backlog += short
                self._push(t, market, short)
            else:
                self.lost += short
        return (shipped, int(d.sum()), int(shipped.sum()), lines, lines - short_lines, short_lines)

    def _push(self, t: float, market: int, qty: np.ndarray) -> None:
        if self._tail == self._rows.shape[0]:
            live = self._tail - self._head
            if live * 2 > self._rows.shape[0]:
                cap = 2 * self._rows.shape[0]
            else:
                cap = self._rows.shape[0]
            rows = np.zeros((cap, self._rows.shape[1]), dtype=np.int64)
            row_t = np.zeros(cap, dtype=np.float64)
            row_m = np.zeros(cap, dtype=np.int64)
            rows[:live] = self._rows[self._head : self._tail]
            row_t[:live] = self._row_t[self._head : self._tail]
            row_m[:live] = self._row_m[self._head : self._tail]
            self._rows, self._row_t, self._row_m = rows, row_t, row_m
            self._head, self._tail = 0, live
        self._rows[self._tail] = qty
        self._row_t[self._tail] = t
        self._row_m[self._tail] = market
        self._tail += 1

    def receive(self, t: float, qty: np.ndarray) -> list:
        """Put away ``qty`` that was on order, then serve backorders oldest first.

        Returns a list of ``(order_time, market, shipped)`` for each backorder row served.
        """
        self.advance(t)
        self.on_hand += qty
        self.on_order -= qty
        served = []
        i = self._head
        while i < self._tail and self.on_hand.any():
            row = self._rows[i]
            take = np.minimum(self.on_hand, row)
            if take.any():
                self.on_hand -= take
                row -= take
                self.backlog -= take
                served.append((float(self._row_t[i]), int(self._row_m[i]), take))
            if i == self._head and not row.any():
                self._head += 1
            i += 1
        return served

    def cancel_order(self, qty: np.ndarray) -> None:
        """Remove ``qty`` from on-order (the shipment carrying it was lost)."""
        self.on_order -= qty

    def take(self, t: float, qty: np.ndarray) -> None:
        """Remove ``qty`` (at most what is on hand) from the shelf, e.g. for a transfer."""
        self.advance(t)
        self.on_hand -= qty

    def expect(self, qty: np.ndarray) -> None:
        """Add ``qty`` to on-order (an order placed outside the policy, e.g. an expedite)."""
        self.on_order += qty

    def review(self, kind: int, low: np.ndarray, high: np.ndarray, qty: np.ndarray) -> np.ndarray:
        """Order per SKU against the inventory position; ``on_order`` grows by the order.

        base_stock: up to ``high``; sS: up to ``high`` when position <= ``low``;
        RQ: multiples of ``qty`` when position <= ``low``, until position > ``low``.
        """
        ip = self.on_hand + self.on_order - self.backlog
        if kind == _KIND_BASE_STOCK:
            order = np.maximum(high - ip, 0)
        elif kind == _KIND_SS:
            order = np.where(ip <= low, high - ip, 0)
        else:
            order = np.where(ip <= low, ((low - ip) // qty + 1) * qty, 0)
        self.on_order += order
        return order


def split(qty: np.ndarray, cap: int) -> tuple:
    """Split ``qty`` into a part of exactly ``cap`` units (in proportion) and the rest."""
    total = int(qty.sum())
    if total <= cap:
        return qty.copy(), np.zeros_like(qty)
    part = (qty * cap) // total
    left = cap - int(part.sum())
    for i in range(qty.shape[0]):
        if left == 0:
            break
        if part[i] < qty[i]:
            part[i] += 1
            left -= 1
    return part, qty - part


def dot(qty: np.ndarray, w: np.ndarray) -> float:
    """``sum(qty[i] * w[i])`` summed left to right (the order both builds share)."""
    if qty.shape[0] == 0:
        return 0.0
    return float(np.cumsum(qty * w)[-1])


class Ledger:
    """Goods sent to customers: units on their way and delivered, and the revenue and cost of
    the goods delivered after the warm-up. A delivery whose arrival time is known when it
    leaves is booked at once (nothing else depends on the moment it arrives): delivered if it
    arrives before the end of the run, else still on its way."""

    def __init__(self, weight: np.ndarray, value: np.ndarray, price: np.ndarray,
                 warmup: float, end: float) -> None:
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

    def kg(self, qty: np.ndarray) -> float:
        """Weight of ``qty``."""
        return dot(qty, self._w)

    def worth(self, qty: np.ndarray) -> float:
        """Value of ``qty`` (what the goods cost)."""
        return dot(qty, self._v)

    def _arrive(self, qty: np.ndarray, t: float) -> None:
        self.delivered += qty
        if t >= self.warmup:
            self.revenue += dot(qty, self._p)
            self.cost_goods += dot(qty, self._v)

    def dispatch(self, qty: np.ndarray, t_arrive: float) -> None:
        """Book a delivery that will arrive at ``t_arrive``."""
        if t_arrive < self.end:
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
        """Customers send ``qty`` back (delivered at ``t``): refunded after the warm-up."""
        self.delivered -= qty
        if t >= self.warmup:
            self.revenue -= dot(qty, self._p)


class Dispatch:
    """How one outlet is served: its demand (days x SKUs), its market's row, and, when its
    route is a single last-mile lane, that lane's transit sampler, freight rates and index
    (``transit`` None: a route of several legs, which the model runs as a process)."""

    def __init__(self, index: int, market: int, demand: np.ndarray, transit: Sampler | None,
                 cost_per_kg: float, cost_per_shipment: float, lane: int,
                 promise: float) -> None:
        self.index = index
        self.market = market
        self.demand = np.ascontiguousarray(demand, dtype=np.int64)
        self._transit = transit
        self._cpk = cost_per_kg
        self._cps = cost_per_shipment
        self._lane = lane
        self._promise = promise


class Pool:
    """The daily work of one stock pool: serve each outlet's demand from its stock, record the
    day, and send what was shipped (cost, delivery row, on-time lines, the ledger)."""

    def __init__(self, stock: Stock, outlets: list[Dispatch], ledger: Ledger, rec: object,
                 backordered: np.ndarray, lost_sales: np.ndarray, inbound: Level, row: int,
                 node: int, handling: float, hand_over: bool, transport_code: int,
                 handling_code: int) -> None:
        self._stock = stock
        self._outlets = outlets
        self._ledger = ledger
        self._rec = rec
        self._backordered = backordered
        self._lost_sales = lost_sales
        self._inbound = inbound
        self._row = row
        self._node = node
        self._handling = handling
        self._hand_over = hand_over
        self._c_transport = transport_code
        self._c_handling = handling_code

    def serve(self, day: int, t: float) -> list:
        """Serve day ``day``'s demand of every outlet at time ``t``. Returns the deliveries the
        model must go on with, ``(outlet, qty, units, full lines, arrival)``: routes of several
        legs (arrival -1), and every delivery when ``hand_over`` (customer returns)."""
        st, rec = self._stock, self._rec
        counting = t >= self._ledger.warmup
        pending = []
        for o in self._outlets:
            d = o.demand[day]
            mi = o.market
            shipped, d_units, s_units, lines, full, short = st.fill(t, o.index, d)
            rec.demand[day, mi] += d_units
            rec.shipped[day, mi] += s_units
            rec.lines[day, mi] += lines
            rec.full_lines[day, mi] += full
            rec.short_skus[day, self._row] += short
            if counting and short:
                acc = self._backordered if st.backorder else self._lost_sales
                acc += d - shipped
            if s_units:
                t_arr = self.send(o, shipped, s_units, t, t, full, day)
                if t_arr < 0 or self._hand_over:
                    pending.append((o.index, shipped, s_units, full, t_arr))
        return pending

    def send(self, o: Dispatch, qty: np.ndarray, units: int, t: float, order_t: float,
             full: int = 0, day: int = -1) -> float:
        """Send ``qty`` to outlet ``o`` at ``t`` (ordered at ``order_t``; ``full`` lines of day
        ``day``): its arrival time, or -1 for a route of several legs."""
        rec = self._rec
        if self._handling > 0:
            rec.costs.add(t, self._c_handling, self._handling * units, self._node, 0)
        if o._transit is None:
            return -1.0
        dt = o._transit.next()
        rec.costs.add(t, self._c_transport, o._cpk * self._ledger.kg(qty) + o._cps,
                      o._lane, 0)
        rec.deliveries.add(order_t, t, t + dt, o.market, units)
        if full and t + dt - order_t <= o._promise:
            rec.otif_lines[day, o.market] += full
        self._ledger.dispatch(qty, t + dt)
        return t + dt

    def snapshot(self, day: int) -> None:
        """Add the pool's units on hand, backordered and inbound to day ``day``'s row."""
        st, rec = self._stock, self._rec
        rec.on_hand[day, self._row] += int(st.on_hand.sum())
        rec.backlog[day, self._row] += int(st.backlog.sum())
        rec.inbound[day, self._row] += self._inbound.level


def after(env: simpy.Environment, delay: float, callback: Callable) -> simpy.Event:
    """A timeout of ``delay`` that calls ``callback`` (the event)."""
    ev = env.timeout(delay)
    ev.callbacks.append(callback)
    return ev


class Slots:
    """``capacity`` slots (berths, customs officers, a production line) shared first come,
    first served, lower ``priority`` first. A request granted at once returns an event SimPy has
    already processed, so the requester goes on without a trip through the event queue; a
    release schedules an event only when it wakes a waiter."""

    __slots__ = ("env", "capacity", "count", "queue", "_seq", "_granted")

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self.env = env
        self.capacity = capacity
        self.count = 0  # slots in use
        self.queue: list[tuple[int, int, simpy.Event]] = []  # waiters: (priority, seq, event)
        self._seq = 0
        granted = simpy.Event(env)  # an event already processed: yielding it does not wait
        granted._ok = True  # noqa: SLF001 - SimPy's own way of marking a processed event
        granted._value = None  # noqa: SLF001
        granted.callbacks = None
        self._granted = granted

    def request(self, priority: int = 0) -> simpy.Event:
        """An event that fires when a slot is the caller's (at once when one is free)."""
        if self.count < self.capacity:
            self.count += 1
            return self._granted
        ev = simpy.Event(self.env)
        heapq.heappush(self.queue, (priority, self._seq, ev))
        self._seq += 1
        return ev

    def release(self) -> None:
        """Give a slot back: to the first waiter, or free."""
        if self.queue:
            heapq.heappop(self.queue)[2].succeed()
        else:
            self.count -= 1


class ShipCalls:
    """Other carriers' ship calls at a port: Poisson arrivals each holding a berth for a
    service time, logged as berth waits with zero units. A chain of event callbacks, not a
    process per call: a ship call has nothing to decide."""

    def __init__(self, env: simpy.Environment, slots: Slots, waits: Log,
                 factor: Callable[[], float], node: int, cause: int, interarrival: Sampler,
                 service: Sampler) -> None:
        self._env, self._slots, self._waits, self._factor = env, slots, waits, factor
        self._node, self._cause = node, cause
        self._inter, self._service = interarrival, service
        after(env, interarrival.next(), self._arrive)

    def _arrive(self, _ev: simpy.Event) -> None:
        after(self._env, self._inter.next(), self._arrive)
        req = self._slots.request(0)
        t0, service = self._env.now, self._service.next()
        if req.callbacks is None:  # a berth was free
            self._berth(t0, service)
        else:
            req.callbacks.append(lambda _r: self._berth(t0, service))

    def _berth(self, t0: float, service: float) -> None:
        self._waits.add(t0, self._node, self._cause, self._env.now - t0, 0)
        after(self._env, service * self._factor(), self._release)

    def _release(self, _ev: simpy.Event) -> None:
        self._slots.release()


def poisson_inversion(u: np.ndarray, lam: np.ndarray, e: np.ndarray,
                      rows: np.ndarray) -> np.ndarray:
    """Poisson draws by inversion, one uniform ``u[d, s]`` each: the smallest ``k`` whose CDF
    (``e = exp(-lam)``, terms ``p_k = p_(k-1) * lam * (1 / k)``) reaches ``u``, at most 200.
    ``lam`` and ``e`` have a row per distinct mean row; day ``d`` uses row ``rows[d]``.
    Returns int64 of ``u``'s shape."""
    uu, ll = u.reshape(-1), lam[rows].reshape(-1)
    p = e[rows].astype(np.float64).reshape(-1)
    f = p.copy()
    out = np.zeros(uu.shape[0], dtype=np.int64)
    idx = np.flatnonzero(uu > f)
    k = 0
    while idx.size and k < 200:
        k += 1
        p[idx] = p[idx] * ll[idx] * (1.0 / k)
        f[idx] = f[idx] + p[idx]
        out[idx] = k
        idx = idx[uu[idx] > f[idx]]
    return out.reshape(u.shape)


def total(qty: np.ndarray) -> int:
    """Units in ``qty``."""
    return int(qty.sum())


def add(target: np.ndarray, qty: np.ndarray) -> int:
    """``target += qty`` in place; returns the units in ``qty``."""
    target += qty
    return int(qty.sum())


def sub(target: np.ndarray, qty: np.ndarray) -> int:
    """``target -= qty`` in place; returns the units in ``qty``."""
    target -= qty
    return int(qty.sum())


def run(env: simpy.Environment, until: float) -> None:
    """Run ``env`` until time ``until`` (SimPy's own loop)."""
    env.run(until=until)


def queues(table: np.ndarray, day: int, slots: list[Slots]) -> None:
    """Write into row ``day`` of ``table`` the requests waiting or served at each of ``slots``."""
    table[day] = [len(s.queue) + s.count for s in slots]
