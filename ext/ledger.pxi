# Deliveries to customers: the ledger of goods sent, and a pool's daily serve-and-send.


cdef inline double _dot(i64[::1] q, double[::1] w):
    """Sum of ``q[i] * w[i]`` left to right."""
    cdef double s = 0.0
    cdef Py_ssize_t i = 0, j, n = q.shape[0]
    while i + 4 <= n:  # a zero term adds +0.0: skipping it leaves the sum's bits as they are
        if (q[i] | q[i + 1] | q[i + 2] | q[i + 3]) != 0:
            for j in range(i, i + 4):
                if q[j] != 0:
                    s += <double>q[j] * w[j]
        i += 4
    while i < n:
        if q[i] != 0:
            s += <double>q[i] * w[i]
        i += 1
    return s


cdef Py_ssize_t _support(i64[::1] q, i64[::1] idx):
    """Write the indices of ``q``'s non-zero entries, in order, to ``idx``; return how many
    (a delivery holds a few SKUs of the catalogue: the sums over it visit only those)."""
    cdef Py_ssize_t i = 0, j, m = 0, n = q.shape[0]
    while i + 4 <= n:
        if (q[i] | q[i + 1] | q[i + 2] | q[i + 3]) != 0:
            for j in range(i, i + 4):
                if q[j] != 0:
                    idx[m] = j
                    m += 1
        i += 4
    while i < n:
        if q[i] != 0:
            idx[m] = i
            m += 1
        i += 1
    return m


cdef inline double _dot_on(i64[::1] q, double[::1] w, i64[::1] idx, Py_ssize_t m):
    """``_dot`` over the entries ``idx[:m]`` (the non-zero ones: the same sum, bit for bit)."""
    cdef double s = 0.0
    cdef Py_ssize_t j
    for j in range(m):
        s += <double>q[idx[j]] * w[idx[j]]
    return s


def dot(qty, w):
    """``sum(qty[i] * w[i])`` summed left to right (the order both builds share)."""
    return _dot(np.asarray(qty, dtype=np.int64), np.asarray(w, dtype=np.float64))


cdef class Ledger:
    """Goods sent to customers: units on their way and delivered, and the revenue and cost of
    the goods delivered in the measured window ``[warmup, end)``. A delivery whose arrival time
    is known when it leaves is booked at once (nothing else depends on the moment it arrives):
    delivered if it arrives before the run stops (``stop``, after any drain), else still on its
    way."""

    cdef readonly object delivered
    cdef readonly object last_mile
    cdef i64[::1] _del
    cdef i64[::1] _lm
    cdef i64[::1] _idx  # the SKUs of the delivery being booked (see _support)
    cdef double[::1] _w
    cdef double[::1] _v
    cdef double[::1] _p
    cdef public double revenue
    cdef public double cost_goods
    cdef readonly double warmup
    cdef readonly double end
    cdef readonly double stop

    def __init__(self, weight, value, price, double warmup, double end, double stop):
        n = len(weight)
        self._w = np.ascontiguousarray(weight, dtype=np.float64)
        self._v = np.ascontiguousarray(value, dtype=np.float64)
        self._p = np.ascontiguousarray(price, dtype=np.float64)
        self.delivered = np.zeros(n, dtype=np.int64)
        self.last_mile = np.zeros(n, dtype=np.int64)
        self._del = self.delivered
        self._lm = self.last_mile
        self._idx = np.zeros(n, dtype=np.int64)
        self.revenue = 0.0
        self.cost_goods = 0.0
        self.warmup = warmup
        self.end = end
        self.stop = stop

    cpdef double kg(self, qty):
        """Weight of ``qty``."""
        return _dot(qty, self._w)

    cpdef double worth(self, qty):
        """Value of ``qty`` (what the goods cost)."""
        return _dot(qty, self._v)

    cdef void _arrive_on(self, i64[::1] q, double t, Py_ssize_t m):
        """Book ``q``, whose non-zero entries are ``_idx[:m]``, as delivered at ``t``: one pass
        for the two sums, as ``_dot`` makes them."""
        cdef Py_ssize_t j, i
        cdef double rv = 0.0, cg = 0.0
        if self.warmup <= t < self.end:
            for j in range(m):
                i = self._idx[j]
                self._del[i] += q[i]
                rv += <double>q[i] * self._p[i]
                cg += <double>q[i] * self._v[i]
            self.revenue += rv
            self.cost_goods += cg
        else:
            for j in range(m):
                self._del[self._idx[j]] += q[self._idx[j]]

    cdef void _dispatch_on(self, i64[::1] q, double t_arrive, Py_ssize_t m):
        """Book a delivery ``q`` (non-zero entries ``_idx[:m]``) that arrives at ``t_arrive``."""
        cdef Py_ssize_t j
        if t_arrive < self.stop:
            self._arrive_on(q, t_arrive, m)
        else:
            for j in range(m):
                self._lm[self._idx[j]] += q[self._idx[j]]

    def dispatch(self, qty, double t_arrive):
        """Book a delivery that will arrive at ``t_arrive``."""
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        self._dispatch_on(q, t_arrive, _support(q, self._idx))

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
        self._arrive_on(q, t, _support(q, self._idx))

    def take_back(self, qty, double t):
        """Customers send ``qty`` back (delivered at ``t``): refunded in the window."""
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t i
        for i in range(q.shape[0]):
            self._del[i] -= q[i]
        if self.warmup <= t < self.end:
            self.revenue -= _dot(q, self._p)


cdef class Dispatch:
    """How one outlet is served: its demand as the lines of each day (day ``d``'s are
    ``start[d]`` to ``start[d + 1]`` of ``sku``/``qty``, SKUs ascending), its market's row, and,
    when its route is a single last-mile lane, that lane's keyed transit draws, freight rates
    and index (``transit`` None: a route of several legs, which the model sends as a shipment)."""

    cdef readonly Py_ssize_t index
    cdef readonly Py_ssize_t market
    cdef i64[::1] _start
    cdef i32[::1] _sku
    cdef i32[::1] _qty
    cdef Keyed _transit
    cdef double _cpk
    cdef double _cps
    cdef double _lane
    cdef double _promise

    def __init__(self, Py_ssize_t index, Py_ssize_t market, start, sku, qty, transit,
                 double cost_per_kg, double cost_per_shipment, Py_ssize_t lane, double promise):
        self.index = index
        self.market = market
        self._start = np.ascontiguousarray(start, dtype=np.int64)
        self._sku = np.ascontiguousarray(sku, dtype=np.int32)
        self._qty = np.ascontiguousarray(qty, dtype=np.int32)
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
    cdef i64[:, ::1] _unmet
    cdef double[:, ::1] _unmet_value
    cdef double[:, ::1] _unmet_price
    cdef double[:, ::1] _backlog_price
    cdef i64[::1] _sh  # the outlet being served: units shipped per SKU
    cdef Py_ssize_t _row
    cdef double _node
    cdef double _handling
    cdef double _c_transport
    cdef double _c_handling
    cdef int _hand_over  # 0, 1 or 2: see serve

    def __init__(self, Stock stock, list outlets, Ledger ledger, rec, Level inbound,
                 Py_ssize_t row, Py_ssize_t node, double handling, int hand_over,
                 int transport_code, int handling_code):
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
        self._unmet = rec.unmet
        self._unmet_value = rec.unmet_value
        self._unmet_price = rec.unmet_price
        self._backlog_price = rec.backlog_price
        self._row = row
        self._node = node
        self._handling = handling
        self._hand_over = hand_over
        self._c_transport = transport_code
        self._c_handling = handling_code
        self._sh = np.zeros(stock._n, dtype=np.int64)

    def serve(self, Py_ssize_t day, double t):
        """Serve day ``day``'s demand of every outlet at time ``t``. Returns the deliveries the
        model must go on with, ``(outlet, qty, units, full lines, arrival)``: routes of several
        legs (arrival -1); with ``hand_over`` 1 every delivery's arrival (its goods None when
        it arrives by the last-mile lane: customer orders), 2 every delivery with its goods
        (customer returns)."""
        cdef Stock st = self._stock
        cdef Py_ssize_t k, a, b, i, m, mi
        cdef Dispatch o
        cdef i64 c[4]
        cdef i32[::1] sku, qty
        cdef i64[::1] sh = self._sh  # zero but on the lines being served
        cdef i64[::1] idx = self._ledger._idx
        cdef double[::1] v = self._ledger._v, p = self._ledger._p
        cdef double t_arr, uv, up
        cdef i64 u
        pending = []
        if self._outlets:
            st.advance(t)
        for o in self._outlets:
            a, b = o._start[day], o._start[day + 1]
            if a == b:
                continue
            sku, qty = o._sku, o._qty
            st._fill_on(t, o.index, sku, qty, a, b, sh, c)
            mi = o.market
            self._demand[day, mi] += c[0]
            self._shipped[day, mi] += c[1]
            self._lines[day, mi] += c[2]
            self._full[day, mi] += c[2] - c[3]
            self._short[day, self._row] += c[3]
            if c[3]:  # demand not met from stock: backordered or lost, at value and price
                uv, up = 0.0, 0.0
                for k in range(a, b):
                    i = sku[k]
                    u = qty[k] - sh[i]
                    if u != 0:
                        uv += <double>u * v[i]
                        up += <double>u * p[i]
                self._unmet[day, self._row] += c[0] - c[1]
                self._unmet_value[day, self._row] += uv
                self._unmet_price[day, self._row] += up
            if c[1]:
                m = 0
                for k in range(a, b):  # the SKUs shipped, ascending (see _support)
                    if sh[sku[k]] != 0:
                        idx[m] = sku[k]
                        m += 1
                t_arr = self._send_on(o, sh, m, c[1], t, t, c[2] - c[3], day)
                if t_arr < 0 or self._hand_over == 2:
                    pending.append((o.index, np.array(sh, dtype=np.int64), c[1], c[2] - c[3],
                                    t_arr))
                elif self._hand_over == 1:
                    pending.append((o.index, None, c[1], c[2] - c[3], t_arr))
            for k in range(a, b):
                sh[sku[k]] = 0
        return pending

    cdef double _send_on(self, Dispatch o, i64[::1] q, Py_ssize_t m, i64 units, double t,
                         double order_t, i64 full, Py_ssize_t day):
        """``send`` of ``q``, whose non-zero entries are the Ledger's ``_idx[:m]``."""
        if self._handling > 0:
            self._costs.add(t, self._c_handling, self._handling * units, self._node, 0)
        if o._transit is None:
            return -1.0
        cdef double dt = o._transit.at(_combine(o.index, time_key(t)), 0)  # the outlet's parcels that day
        cdef Ledger ledger = self._ledger
        self._costs.add(t, self._c_transport,
                        o._cpk * _dot_on(q, ledger._w, ledger._idx, m) + o._cps, o._lane, 0)
        self._deliveries.add(order_t, t, t + dt, o.market, units)
        if full and t + dt - order_t <= o._promise:
            self._otif[day, o.market] += full
        ledger._dispatch_on(q, t + dt, m)
        return t + dt

    def send(self, Dispatch o, qty, i64 units, double t, double order_t, i64 full=0,
             Py_ssize_t day=-1):
        """Send ``qty`` to outlet ``o`` at ``t`` (ordered at ``order_t``; ``full`` lines of day
        ``day``): its arrival time, or -1 for a route of several legs."""
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        return self._send_on(o, q, _support(q, self._ledger._idx), units, t, order_t, full, day)

    def send_served(self, served, list dispatches, double t, Py_ssize_t first,
                    Py_ssize_t last):
        """Send rows ``first`` to ``last`` of the backorder rows a receipt served
        (``Stock.receive``'s; ``dispatches``: every outlet's, by index) at ``t``. Returns those
        the model must go on with, ``(outlet, qty, units, order_time, arrival)``: routes of
        several legs (arrival -1), and every one when ``hand_over`` is 2 (customer returns)."""
        order_t, outlet, start, sku, qty, units = served
        cdef double[::1] o_t = order_t
        cdef i64[::1] o_k = outlet, o_start = start, s = sku, q = qty, o_u = units
        cdef i64[::1] sh = self._sh
        cdef i64[::1] idx = self._ledger._idx
        cdef Py_ssize_t r, j, m
        cdef double t_arr
        cdef Dispatch o
        follow = []
        for r in range(first, last):
            o = dispatches[o_k[r]]
            m = 0
            for j in range(o_start[r], o_start[r + 1]):
                sh[s[j]] = q[j]
                idx[m] = s[j]
                m += 1
            t_arr = self._send_on(o, sh, m, o_u[r], t, o_t[r], 0, -1)
            if t_arr < 0 or self._hand_over == 2:
                follow.append((o.index, np.array(sh, dtype=np.int64), o_u[r], o_t[r], t_arr))
            for j in range(o_start[r], o_start[r + 1]):
                sh[s[j]] = 0
        return follow

    def snapshot(self, Py_ssize_t day):
        """Add the pool's units on hand, backordered (and their price) and inbound to day
        ``day``'s row."""
        cdef Stock st = self._stock
        cdef double bp = 0.0  # no backlog: a sum of zeros, 0.0 as _dot would give
        if st.backlog_units != 0:
            bp = _dot(st._bl, self._ledger._p)  # most SKUs have no backlog: _dot skips them
        self._on_hand[day, self._row] += st.on_hand_units
        self._backlog[day, self._row] += st.backlog_units
        self._backlog_price[day, self._row] += bp
        self._inb[day, self._row] += self._inbound.level
