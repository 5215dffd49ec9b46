# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled hot handlers: inventory arithmetic, allocation, pre-drawn sampling, recording.

The pure-Python twin is ``sim/_handlers_py.py``: same names, same results bit for bit. Built by
setup.py into ``sim._handlers``; chosen in one place, :mod:`sim.handlers`.
"""

import heapq

import numpy as np
cimport numpy as cnp
from simpy.events import NORMAL as _NORMAL
from simpy.events import Event as _Event
from simpy.events import Timeout as _Timeout

cnp.import_array()

BACKEND = "compiled"

ctypedef long long i64


cdef class Sampler:
    """Serves numbers drawn in blocks from ``dist`` with ``rng``, one at a time. ``rng`` may be a
    function that makes the generator: it is called at the first draw, so a sampler nobody
    draws from costs no generator."""

    cdef object _dist
    cdef object _rng
    cdef object _source
    cdef Py_ssize_t _block
    cdef Py_ssize_t _i
    cdef object _arr
    cdef double[::1] _buf

    def __init__(self, dist, rng, int block=256):
        self._dist = dist
        self._block = block
        self._i = block
        if isinstance(rng, np.random.Generator):
            self._rng, self._source = rng, None
            self._refill()
        else:
            self._rng, self._source = None, rng

    cdef void _refill(self):
        if self._rng is None:
            self._rng = self._source()
        self._arr = np.ascontiguousarray(self._dist.sample(self._rng, self._block), dtype=np.float64)
        self._buf = self._arr
        self._i = 0

    cpdef double next(self):
        """The next number."""
        if self._i == self._block:
            self._refill()
        cdef double x = self._buf[self._i]
        self._i += 1
        return x


cdef class Log:
    """An append-only table of five float64 columns in a preallocated, doubling array."""

    cdef object _arr
    cdef double[:, ::1] _data
    cdef Py_ssize_t _n

    def __init__(self, Py_ssize_t capacity=1024):
        self._arr = np.zeros((max(capacity, 16), 5), dtype=np.float64)
        self._data = self._arr
        self._n = 0

    cpdef void add(self, double a, double b, double c, double d, double e):
        """Append one row."""
        cdef Py_ssize_t cap = self._data.shape[0]
        if self._n == cap:
            grown = np.zeros((2 * cap, 5), dtype=np.float64)
            grown[:cap] = self._arr
            self._arr = grown
            self._data = grown
        self._data[self._n, 0] = a
        self._data[self._n, 1] = b
        self._data[self._n, 2] = c
        self._data[self._n, 3] = d
        self._data[self._n, 4] = e
        self._n += 1

    def __len__(self):
        return self._n

    def array(self):
        """A copy of the rows written so far, shape (n, 5)."""
        return self._arr[: self._n].copy()


cdef class Level:
    """A time-weighted level (units), integrated exactly between changes."""

    cdef public i64 level
    cdef public double area
    cdef double _t

    def __init__(self):
        self.level = 0
        self.area = 0.0
        self._t = 0.0

    cpdef void change(self, double t, i64 delta):
        """Move the level by ``delta`` at time ``t``."""
        self.area += <double>self.level * (t - self._t)
        self._t = t
        self.level += delta

    cpdef void advance(self, double t):
        """Integrate up to ``t`` without changing the level."""
        self.area += <double>self.level * (t - self._t)
        self._t = t


cdef class Stock:
    """Inventory of one stocking node as SKU vectors, with a FIFO of backorders."""

    cdef readonly object on_hand
    cdef readonly object on_order
    cdef readonly object backlog
    cdef readonly object lost
    cdef readonly object area
    cdef public bint backorder
    cdef i64[::1] _oh
    cdef i64[::1] _oo
    cdef i64[::1] _bl
    cdef i64[::1] _lost
    cdef double[::1] _area
    cdef double _t
    cdef Py_ssize_t _n
    cdef object _rows_arr
    cdef i64[:, ::1] _rows
    cdef object _row_t_arr
    cdef double[::1] _row_t
    cdef object _row_m_arr
    cdef i64[::1] _row_m
    cdef Py_ssize_t _head
    cdef Py_ssize_t _tail

    def __init__(self, initial, bint backorder):
        n = initial.shape[0]
        self._n = n
        self.on_hand = np.array(initial, dtype=np.int64)
        self.on_order = np.zeros(n, dtype=np.int64)
        self.backlog = np.zeros(n, dtype=np.int64)
        self.lost = np.zeros(n, dtype=np.int64)
        self.area = np.zeros(n, dtype=np.float64)
        self._oh = self.on_hand
        self._oo = self.on_order
        self._bl = self.backlog
        self._lost = self.lost
        self._area = self.area
        self.backorder = backorder
        self._t = 0.0
        self._rows_arr = np.zeros((16, n), dtype=np.int64)
        self._rows = self._rows_arr
        self._row_t_arr = np.zeros(16, dtype=np.float64)
        self._row_t = self._row_t_arr
        self._row_m_arr = np.zeros(16, dtype=np.int64)
        self._row_m = self._row_m_arr
        self._head = 0
        self._tail = 0

    cpdef void advance(self, double t):
        """Integrate on-hand unit-days per SKU up to ``t``."""
        cdef Py_ssize_t i
        cdef double dt = t - self._t
        if dt == 0.0:  # nothing to add (several outlets are served at one instant)
            return
        for i in range(self._n):
            self._area[i] += <double>self._oh[i] * dt
        self._t = t

    def fill(self, double t, i64 market, demand):
        """Serve ``demand`` from stock. Unmet units are backordered or lost.

        Returns ``(shipped, demanded_units, shipped_units, lines, full_lines, stockout_skus)``.
        """
        cdef i64[::1] d = np.asarray(demand, dtype=np.int64)
        shipped_arr = np.empty(self._n, dtype=np.int64)
        cdef i64 c[4]
        self._fill(t, market, d, shipped_arr, c)
        return (shipped_arr, c[0], c[1], c[2], c[2] - c[3], c[3])

    cdef void _fill(self, double t, i64 market, i64[::1] d, i64[::1] shipped, i64* c):
        """``fill`` into ``shipped``; ``c`` gets demanded units, shipped units, lines and short
        lines."""
        self.advance(t)
        cdef Py_ssize_t i
        cdef i64 take, total = 0, total_shipped = 0
        cdef i64 lines = 0, short_lines = 0
        for i in range(self._n):  # branch-free: most SKUs sell nothing on most days
            take = d[i] if d[i] < self._oh[i] else self._oh[i]
            shipped[i] = take
            self._oh[i] -= take
            total += d[i]
            total_shipped += take
            lines += d[i] != 0
            short_lines += take != d[i]
        if short_lines:
            if self.backorder:
                for i in range(self._n):
                    self._bl[i] += d[i] - shipped[i]
                self._push(t, market, d, shipped)
            else:
                for i in range(self._n):
                    self._lost[i] += d[i] - shipped[i]
        c[0] = total
        c[1] = total_shipped
        c[2] = lines
        c[3] = short_lines

    cdef void _push(self, double t, i64 market, i64[::1] d, i64[::1] shipped):
        """Queue the unmet part ``d - shipped`` as a backorder row."""
        cdef Py_ssize_t cap = self._rows.shape[0]
        cdef Py_ssize_t live, new_cap, i
        if self._tail == cap:
            live = self._tail - self._head
            new_cap = 2 * cap if live * 2 > cap else cap
            rows = np.zeros((new_cap, self._n), dtype=np.int64)
            row_t = np.zeros(new_cap, dtype=np.float64)
            row_m = np.zeros(new_cap, dtype=np.int64)
            rows[:live] = self._rows_arr[self._head : self._tail]
            row_t[:live] = self._row_t_arr[self._head : self._tail]
            row_m[:live] = self._row_m_arr[self._head : self._tail]
            self._rows_arr, self._row_t_arr, self._row_m_arr = rows, row_t, row_m
            self._rows = rows
            self._row_t = row_t
            self._row_m = row_m
            self._head = 0
            self._tail = live
        for i in range(self._n):
            self._rows[self._tail, i] = d[i] - shipped[i]
        self._row_t[self._tail] = t
        self._row_m[self._tail] = market
        self._tail += 1

    cdef bint _any_on_hand(self):
        cdef Py_ssize_t i
        for i in range(self._n):
            if self._oh[i] != 0:
                return True
        return False

    def receive(self, double t, qty):
        """Put away ``qty`` that was on order, then serve backorders oldest first.

        Returns a list of ``(order_time, market, shipped)`` for each backorder row served.
        """
        self.advance(t)
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t i, k
        for k in range(self._n):
            self._oh[k] += q[k]
            self._oo[k] -= q[k]
        served = []
        cdef i64 a, left
        cdef bint got
        cdef i64[::1] take
        i = self._head
        while i < self._tail and self._any_on_hand():
            take_arr = np.zeros(self._n, dtype=np.int64)
            take = take_arr
            got = False
            left = 0
            for k in range(self._n):
                a = self._rows[i, k] if self._rows[i, k] < self._oh[k] else self._oh[k]
                if a != 0:
                    got = True
                    take[k] = a
                    self._oh[k] -= a
                    self._rows[i, k] -= a
                    self._bl[k] -= a
                left |= self._rows[i, k]
            if got:
                served.append((self._row_t[i], self._row_m[i], take_arr))
            if i == self._head and left == 0:
                self._head += 1
            i += 1
        return served

    def cancel_order(self, qty):
        """Remove ``qty`` from on-order (the shipment carrying it was lost)."""
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t k
        for k in range(self._n):
            self._oo[k] -= q[k]

    def take(self, double t, qty):
        """Remove ``qty`` (at most what is on hand) from the shelf, e.g. for a transfer."""
        self.advance(t)
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t k
        for k in range(self._n):
            self._oh[k] -= q[k]

    def expect(self, qty):
        """Add ``qty`` to on-order (an order placed outside the policy, e.g. an expedite)."""
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t k
        for k in range(self._n):
            self._oo[k] += q[k]

    def review(self, int kind, low, high, qty):
        """Order per SKU against the inventory position; ``on_order`` grows by the order."""
        cdef i64[::1] lo = low
        cdef i64[::1] hi = high
        cdef i64[::1] qq = qty
        order_arr = np.zeros(self._n, dtype=np.int64)
        cdef i64[::1] order = order_arr
        cdef Py_ssize_t k
        cdef i64 ip, o
        for k in range(self._n):
            ip = self._oh[k] + self._oo[k] - self._bl[k]
            o = 0
            if kind == 0:
                if hi[k] > ip:
                    o = hi[k] - ip
            elif kind == 1:
                if ip <= lo[k]:
                    o = hi[k] - ip
            else:
                if ip <= lo[k]:
                    o = ((lo[k] - ip) // qq[k] + 1) * qq[k]
            order[k] = o
            self._oo[k] += o
        return order_arr


def split(qty, i64 cap):
    """Split ``qty`` into a part of exactly ``cap`` units (in proportion) and the rest."""
    cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
    cdef Py_ssize_t n = q.shape[0], i
    cdef i64 total = 0, left, s = 0
    for i in range(n):
        total += q[i]
    if total <= cap:
        return np.array(q, dtype=np.int64), np.zeros(n, dtype=np.int64)
    part_arr = np.empty(n, dtype=np.int64)
    cdef i64[::1] part = part_arr
    for i in range(n):
        part[i] = (q[i] * cap) // total
        s += part[i]
    left = cap - s
    for i in range(n):
        if left == 0:
            break
        if part[i] < q[i]:
            part[i] += 1
            left -= 1
    rest_arr = np.empty(n, dtype=np.int64)
    cdef i64[::1] rest = rest_arr
    for i in range(n):
        rest[i] = q[i] - part[i]
    return part_arr, rest_arr


cdef inline double _dot(i64[::1] q, double[::1] w):
    """Sum of ``q[i] * w[i]`` left to right."""
    cdef double s = 0.0
    cdef Py_ssize_t i
    for i in range(q.shape[0]):
        s += <double>q[i] * w[i]
    return s


def dot(qty, w):
    """``sum(qty[i] * w[i])`` summed left to right (the order both builds share)."""
    return _dot(np.asarray(qty, dtype=np.int64), np.asarray(w, dtype=np.float64))


cdef class Ledger:
    """Goods sent to customers: units on their way and delivered, and the revenue and cost of
    the goods delivered after the warm-up. A delivery whose arrival time is known when it
    leaves is booked at once (nothing else depends on the moment it arrives): delivered if it
    arrives before the end of the run, else still on its way."""

    cdef readonly object delivered
    cdef readonly object last_mile
    cdef i64[::1] _del
    cdef i64[::1] _lm
    cdef double[::1] _w
    cdef double[::1] _v
    cdef double[::1] _p
    cdef public double revenue
    cdef public double cost_goods
    cdef readonly double warmup
    cdef readonly double end

    def __init__(self, weight, value, price, double warmup, double end):
        n = len(weight)
        self._w = np.ascontiguousarray(weight, dtype=np.float64)
        self._v = np.ascontiguousarray(value, dtype=np.float64)
        self._p = np.ascontiguousarray(price, dtype=np.float64)
        self.delivered = np.zeros(n, dtype=np.int64)
        self.last_mile = np.zeros(n, dtype=np.int64)
        self._del = self.delivered
        self._lm = self.last_mile
        self.revenue = 0.0
        self.cost_goods = 0.0
        self.warmup = warmup
        self.end = end

    cpdef double kg(self, qty):
        """Weight of ``qty``."""
        return _dot(qty, self._w)

    cpdef double worth(self, qty):
        """Value of ``qty`` (what the goods cost)."""
        return _dot(qty, self._v)

    cdef void _arrive(self, i64[::1] q, double t):
        cdef Py_ssize_t i
        cdef double rv = 0.0, cg = 0.0
        if t >= self.warmup:  # one pass: the two sums as _dot makes them
            for i in range(q.shape[0]):
                self._del[i] += q[i]
                rv += <double>q[i] * self._p[i]
                cg += <double>q[i] * self._v[i]
            self.revenue += rv
            self.cost_goods += cg
        else:
            for i in range(q.shape[0]):
                self._del[i] += q[i]

    cdef void _dispatch(self, i64[::1] q, double t_arrive):
        cdef Py_ssize_t i
        if t_arrive < self.end:
            self._arrive(q, t_arrive)
        else:
            for i in range(q.shape[0]):
                self._lm[i] += q[i]

    def dispatch(self, qty, double t_arrive):
        """Book a delivery that will arrive at ``t_arrive``."""
        self._dispatch(np.asarray(qty, dtype=np.int64), t_arrive)

    def depart(self, qty):
        """A delivery left whose arrival is not known yet (a route of several legs)."""
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t i
        for i in range(q.shape[0]):
            self._lm[i] += q[i]

    def arrive(self, qty, double t):
        """A delivery that departed with :meth:`depart` arrived at ``t``."""
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t i
        for i in range(q.shape[0]):
            self._lm[i] -= q[i]
        self._arrive(q, t)

    def take_back(self, qty, double t):
        """Customers send ``qty`` back (delivered at ``t``): refunded after the warm-up."""
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t i
        for i in range(q.shape[0]):
            self._del[i] -= q[i]
        if t >= self.warmup:
            self.revenue -= _dot(q, self._p)


cdef class Dispatch:
    """How one outlet is served: its demand (days x SKUs), its market's row, and, when its
    route is a single last-mile lane, that lane's transit sampler, freight rates and index
    (``transit`` None: a route of several legs, which the model runs as a process)."""

    cdef readonly Py_ssize_t index
    cdef readonly Py_ssize_t market
    cdef readonly object demand
    cdef i64[:, ::1] _demand
    cdef Sampler _transit
    cdef double _cpk
    cdef double _cps
    cdef double _lane
    cdef double _promise

    def __init__(self, Py_ssize_t index, Py_ssize_t market, demand, transit,
                 double cost_per_kg, double cost_per_shipment, Py_ssize_t lane, double promise):
        self.index = index
        self.market = market
        self.demand = np.ascontiguousarray(demand, dtype=np.int64)
        self._demand = self.demand
        self._transit = transit
        self._cpk = cost_per_kg
        self._cps = cost_per_shipment
        self._lane = lane
        self._promise = promise


cdef class Pool:
    """The daily work of one stock pool: serve each outlet's demand from its stock, record the
    day, and send what was shipped (cost, delivery row, on-time lines, the ledger)."""

    cdef Stock _stock
    cdef list _outlets
    cdef Ledger _ledger
    cdef Log _costs
    cdef Log _deliveries
    cdef Level _inbound
    cdef i64[:, ::1] _demand
    cdef i64[:, ::1] _shipped
    cdef i64[:, ::1] _lines
    cdef i64[:, ::1] _full
    cdef i64[:, ::1] _otif
    cdef i64[:, ::1] _short
    cdef i64[:, ::1] _on_hand
    cdef i64[:, ::1] _backlog
    cdef i64[:, ::1] _inb
    cdef i64[::1] _backordered
    cdef i64[::1] _lost_sales
    cdef Py_ssize_t _row
    cdef double _node
    cdef double _handling
    cdef double _c_transport
    cdef double _c_handling
    cdef bint _hand_over

    def __init__(self, Stock stock, list outlets, Ledger ledger, rec, backordered, lost_sales,
                 Level inbound, Py_ssize_t row, Py_ssize_t node, double handling,
                 bint hand_over, int transport_code, int handling_code):
        self._stock = stock
        self._outlets = outlets
        self._ledger = ledger
        self._costs = rec.costs
        self._deliveries = rec.deliveries
        self._inbound = inbound
        self._demand = rec.demand
        self._shipped = rec.shipped
        self._lines = rec.lines
        self._full = rec.full_lines
        self._otif = rec.otif_lines
        self._short = rec.short_skus
        self._on_hand = rec.on_hand
        self._backlog = rec.backlog
        self._inb = rec.inbound
        self._backordered = backordered
        self._lost_sales = lost_sales
        self._row = row
        self._node = node
        self._handling = handling
        self._hand_over = hand_over
        self._c_transport = transport_code
        self._c_handling = handling_code

    def serve(self, Py_ssize_t day, double t):
        """Serve day ``day``'s demand of every outlet at time ``t``. Returns the deliveries the
        model must go on with, ``(outlet, qty, units, full lines, arrival)``: routes of several
        legs (arrival -1), and every delivery when ``hand_over`` (customer returns)."""
        cdef Stock st = self._stock
        cdef Py_ssize_t n = st._n, i, mi
        cdef Dispatch o
        cdef i64 c[4]
        cdef i64[::1] d
        cdef i64[::1] sh
        cdef i64[::1] acc
        cdef double t_arr
        cdef bint counting = t >= self._ledger.warmup
        pending = []
        for o in self._outlets:
            d = o._demand[day]
            shipped = np.empty(n, dtype=np.int64)
            sh = shipped
            st._fill(t, o.index, d, sh, c)
            mi = o.market
            self._demand[day, mi] += c[0]
            self._shipped[day, mi] += c[1]
            self._lines[day, mi] += c[2]
            self._full[day, mi] += c[2] - c[3]
            self._short[day, self._row] += c[3]
            if counting and c[3]:
                acc = self._backordered if st.backorder else self._lost_sales
                for i in range(n):
                    acc[i] += d[i] - sh[i]
            if c[1]:
                t_arr = self._send(o, sh, c[1], t, t, c[2] - c[3], day)
                if t_arr < 0 or self._hand_over:
                    pending.append((o.index, shipped, c[1], c[2] - c[3], t_arr))
        return pending

    cdef double _send(self, Dispatch o, i64[::1] q, i64 units, double t, double order_t,
                      i64 full, Py_ssize_t day):
        if self._handling > 0:
            self._costs.add(t, self._c_handling, self._handling * units, self._node, 0)
        if o._transit is None:
            return -1.0
        cdef double dt = o._transit.next()
        self._costs.add(t, self._c_transport, o._cpk * _dot(q, self._ledger._w) + o._cps,
                        o._lane, 0)
        self._deliveries.add(order_t, t, t + dt, o.market, units)
        if full and t + dt - order_t <= o._promise:
            self._otif[day, o.market] += full
        self._ledger._dispatch(q, t + dt)
        return t + dt

    def send(self, Dispatch o, qty, i64 units, double t, double order_t, i64 full=0,
             Py_ssize_t day=-1):
        """Send ``qty`` to outlet ``o`` at ``t`` (ordered at ``order_t``; ``full`` lines of day
        ``day``): its arrival time, or -1 for a route of several legs."""
        return self._send(o, np.asarray(qty, dtype=np.int64), units, t, order_t, full, day)

    def snapshot(self, Py_ssize_t day):
        """Add the pool's units on hand, backordered and inbound to day ``day``'s row."""
        cdef Stock st = self._stock
        cdef i64 oh = 0, bl = 0
        cdef Py_ssize_t i
        for i in range(st._n):
            oh += st._oh[i]
            bl += st._bl[i]
        self._on_hand[day, self._row] += oh
        self._backlog[day, self._row] += bl
        self._inb[day, self._row] += self._inbound.level


cdef object _heappush = heapq.heappush
cdef object _heappop = heapq.heappop


cdef object _after(object env, double delay, object callback):
    """A timeout of ``delay`` calling ``callback``: the event and queue entry
    ``env.timeout(delay)`` makes (same time, priority and id), built without Python frames."""
    ev = _Timeout.__new__(_Timeout)
    ev.env = env
    ev.callbacks = [callback]
    ev._value = None
    ev._delay = delay
    ev._ok = True
    _heappush(env._queue, (env._now + delay, _NORMAL, next(env._eid), ev))
    return ev


def after(env, double delay, callback):
    """A timeout of ``delay`` that calls ``callback`` (the event)."""
    return _after(env, delay, callback)


cdef class Slots:
    """``capacity`` slots (berths, customs officers, a production line) shared first come,
    first served, lower ``priority`` first. A request granted at once returns an event SimPy has
    already processed, so the requester goes on without a trip through the event queue; a
    release schedules an event only when it wakes a waiter."""

    cdef readonly object env
    cdef public Py_ssize_t capacity
    cdef public Py_ssize_t count
    cdef readonly list queue
    cdef i64 _seq
    cdef object _granted

    def __init__(self, env, Py_ssize_t capacity):
        self.env = env
        self.capacity = capacity
        self.count = 0
        self.queue = []
        self._seq = 0
        granted = _Event(env)  # an event already processed: yielding it does not wait
        granted._ok = True
        granted._value = None
        granted.callbacks = None
        self._granted = granted

    cpdef object request(self, int priority=0):
        """An event that fires when a slot is the caller's (at once when one is free)."""
        if self.count < self.capacity:
            self.count += 1
            return self._granted
        ev = _Event(self.env)
        _heappush(self.queue, (priority, self._seq, ev))
        self._seq += 1
        return ev

    cpdef void release(self):
        """Give a slot back: to the first waiter, or free."""
        if self.queue:
            _heappop(self.queue)[2].succeed()
        else:
            self.count -= 1


cdef class ShipCalls:
    """Other carriers' ship calls at a port: Poisson arrivals each holding a berth for a
    service time, logged as berth waits with zero units. A chain of event callbacks, not a
    process per call: a ship call has nothing to decide."""

    cdef object _env
    cdef Slots _slots
    cdef Log _waits
    cdef object _factor
    cdef double _node
    cdef double _cause
    cdef Sampler _inter
    cdef Sampler _service

    def __init__(self, env, Slots slots, Log waits, factor, Py_ssize_t node, int cause,
                 Sampler interarrival, Sampler service):
        self._env = env
        self._slots = slots
        self._waits = waits
        self._factor = factor
        self._node = node
        self._cause = cause
        self._inter = interarrival
        self._service = service
        _after(env, interarrival.next(), self._arrive)

    def _arrive(self, _ev):
        _after(self._env, self._inter.next(), self._arrive)
        req = self._slots.request(0)
        cdef double t0 = self._env._now
        cdef double service = self._service.next()
        if req.callbacks is None:  # a berth was free
            self._berth(t0, service)
        else:
            req.callbacks.append(lambda _r: self._berth(t0, service))

    cdef void _berth(self, double t0, double service):
        cdef double now = self._env._now
        self._waits.add(t0, self._node, self._cause, now - t0, 0)
        _after(self._env, service * self._factor(), self._release)

    def _release(self, _ev):
        self._slots.release()


cdef double _RECIP[201]
for _k in range(1, 201):
    _RECIP[_k] = 1.0 / <double>_k


def poisson_inversion(u, lam, e, rows):
    """Poisson draws by inversion, one uniform ``u[d, s]`` each: the smallest ``k`` whose CDF
    (``e = exp(-lam)``, terms ``p_k = p_(k-1) * lam * (1 / k)``) reaches ``u``, at most 200.
    ``lam`` and ``e`` have a row per distinct mean row; day ``d`` uses row ``rows[d]``.
    Returns int64 of ``u``'s shape."""
    cdef double[:, ::1] uu = np.ascontiguousarray(u, dtype=np.float64)
    cdef double[:, ::1] ll = np.ascontiguousarray(lam, dtype=np.float64)
    cdef double[:, ::1] ee = np.ascontiguousarray(e, dtype=np.float64)
    cdef i64[::1] rr = np.ascontiguousarray(rows, dtype=np.int64)
    out_arr = np.empty((uu.shape[0], uu.shape[1]), dtype=np.int64)
    cdef i64[:, ::1] out = out_arr
    cdef Py_ssize_t d, i, r
    cdef i64 k
    cdef double p, f, x, lm
    for d in range(uu.shape[0]):
        r = rr[d]
        for i in range(uu.shape[1]):
            x = uu[d, i]
            p = ee[r, i]
            f = p
            k = 0
            lm = ll[r, i]
            while x > f and k < 200:
                k += 1
                p = p * lm * _RECIP[k]
                f = f + p
            out[d, i] = k
    return out_arr


def total(qty):
    """Units in ``qty``."""
    cdef i64[::1] q = qty
    cdef i64 s = 0
    cdef Py_ssize_t i
    for i in range(q.shape[0]):
        s += q[i]
    return s


def add(target, qty):
    """``target += qty`` in place; returns the units in ``qty``."""
    cdef i64[::1] a = target
    cdef i64[::1] q = qty
    cdef i64 s = 0
    cdef Py_ssize_t i
    for i in range(q.shape[0]):
        a[i] += q[i]
        s += q[i]
    return s


def sub(target, qty):
    """``target -= qty`` in place; returns the units in ``qty``."""
    cdef i64[::1] a = target
    cdef i64[::1] q = qty
    cdef i64 s = 0
    cdef Py_ssize_t i
    for i in range(q.shape[0]):
        a[i] -= q[i]
        s += q[i]
    return s


def run(env, until):
    """Run ``env`` until time ``until``: what ``env.run(until=until)`` does (the same stop event
    and event ids, events processed in the same order, the clock left at ``until``), with the
    loop and the callback dispatch in C instead of a Python call per event."""
    at = until if isinstance(until, int) else float(until)
    if at <= env._now:
        raise ValueError(f"until ({at}) must be greater than the current simulation time")
    t_stop = env._now + (at - env._now)  # the time SimPy's stop event gets
    cdef object eid_stop = next(env._eid)  # SimPy's stop event takes the next id
    cdef list queue = env._queue
    cdef tuple item
    while queue:
        item = <tuple>queue[0]
        if item[0] > t_stop or (item[0] == t_stop and (item[1] > 0 or item[2] > eid_stop)):
            break
        _heappop(queue)
        env._now = item[0]
        event = item[3]
        callbacks = event.callbacks
        event.callbacks = None
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc
    env._now = t_stop
    next(env._eid)  # SimPy re-schedules its stop event when it stops, taking one more id


def queues(table, Py_ssize_t day, list slots):
    """Write into row ``day`` of ``table`` the requests waiting or served at each of ``slots``."""
    cdef i64[:, ::1] tab = table
    cdef Slots s
    cdef Py_ssize_t k = 0
    for s in slots:
        tab[day, k] = len(s.queue) + s.count
        k += 1
