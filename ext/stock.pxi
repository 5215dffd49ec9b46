# Inventory of a stock pool as SKU vectors, and whole-vector unit arithmetic.


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
