# Inventory of a stock pool as SKU vectors, and whole-vector unit arithmetic.


cdef class Stock:
    """Inventory of one stocking node as SKU vectors, with a FIFO of backorders.

    A backorder row keeps only its short SKUs (an outlet-day is short of a few SKUs of the
    catalogue): its entries of ``_bk_sku``/``_bk_qty`` run from ``_row_a[r]`` to the next
    row's start (the last row's: ``_bk_end``), in SKU order, so that serving it visits the
    SKUs in the order a full row would. ``on_hand_units`` and ``backlog_units`` are the totals
    of ``on_hand`` and ``backlog``, kept as they change (the daily snapshot reads them instead
    of summing the catalogue)."""

    cdef readonly object on_hand
    cdef readonly object on_order
    cdef readonly object backlog
    cdef readonly object lost
    cdef readonly object area
    cdef public bint backorder
    cdef readonly i64 on_hand_units
    cdef readonly i64 backlog_units
    cdef i64[::1] _oh
    cdef i64[::1] _oo
    cdef i64[::1] _bl
    cdef i64[::1] _lost
    cdef double[::1] _area
    cdef double _t
    cdef Py_ssize_t _n
    cdef object _bk_sku_arr
    cdef i64[::1] _bk_sku
    cdef object _bk_qty_arr
    cdef i64[::1] _bk_qty
    cdef Py_ssize_t _bk_end
    cdef object _row_a_arr
    cdef i64[::1] _row_a
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
        self.on_hand_units = int(self.on_hand.sum())
        self.backlog_units = 0
        self._t = 0.0
        self._bk_sku_arr = np.zeros(64, dtype=np.int64)
        self._bk_sku = self._bk_sku_arr
        self._bk_qty_arr = np.zeros(64, dtype=np.int64)
        self._bk_qty = self._bk_qty_arr
        self._bk_end = 0
        self._row_a_arr = np.zeros(16, dtype=np.int64)
        self._row_a = self._row_a_arr
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
        """Serve ``demand`` (units per SKU) from stock. Unmet units are backordered or lost.

        Returns ``(shipped, demanded_units, shipped_units, lines, full_lines, stockout_skus)``.
        """
        d = np.asarray(demand, dtype=np.int64)
        cdef i32[::1] sku = np.flatnonzero(d).astype(np.int32)
        cdef i32[::1] qty = d[np.asarray(sku)].astype(np.int32)
        shipped_arr = np.zeros(self._n, dtype=np.int64)
        cdef i64 c[4]
        self.advance(t)
        self._fill_on(t, market, sku, qty, 0, sku.shape[0], shipped_arr, c)
        return (shipped_arr, c[0], c[1], c[2], c[2] - c[3], c[3])

    cdef void _fill_on(self, double t, i64 market, i32[::1] sku, i32[::1] qty, Py_ssize_t a,
                       Py_ssize_t b, i64[::1] shipped, i64* c):
        """Serve the lines ``a`` to ``b`` of ``sku``/``qty`` (SKUs ascending, units > 0) from
        stock, on hand integrated up to ``t`` (``advance``): ``shipped`` gets the units shipped
        of those SKUs (its other entries are left alone), ``c`` demanded units, shipped units,
        lines and short lines."""
        cdef Py_ssize_t k, i
        cdef i64 take, total = 0, total_shipped = 0, short_lines = 0
        for k in range(a, b):
            i = sku[k]
            take = qty[k] if qty[k] < self._oh[i] else self._oh[i]
            shipped[i] = take
            self._oh[i] -= take
            total += qty[k]
            total_shipped += take
            short_lines += take != qty[k]
        self.on_hand_units -= total_shipped
        if short_lines:
            if self.backorder:
                for k in range(a, b):
                    self._bl[sku[k]] += qty[k] - shipped[sku[k]]
                self.backlog_units += total - total_shipped
                self._push_on(t, market, sku, qty, a, b, shipped, short_lines)
            else:
                for k in range(a, b):
                    self._lost[sku[k]] += qty[k] - shipped[sku[k]]
        c[0] = total
        c[1] = total_shipped
        c[2] = b - a
        c[3] = short_lines

    cdef void _push_on(self, double t, i64 market, i32[::1] sku, i32[::1] qty, Py_ssize_t a,
                       Py_ssize_t b, i64[::1] shipped, i64 short):
        """Queue the unmet part of the lines ``a`` to ``b`` (``short`` SKUs) as a backorder
        row."""
        cdef Py_ssize_t cap = self._row_t.shape[0]
        cdef Py_ssize_t live, new_cap, i, j, k, first
        if self._tail == cap:  # rows: drop the served ones before the head, or grow
            live = self._tail - self._head
            new_cap = 2 * cap if live * 2 > cap else cap
            row_t = np.zeros(new_cap, dtype=np.float64)
            row_m = np.zeros(new_cap, dtype=np.int64)
            row_a = np.zeros(new_cap, dtype=np.int64)
            row_t[:live] = self._row_t_arr[self._head : self._tail]
            row_m[:live] = self._row_m_arr[self._head : self._tail]
            row_a[:live] = self._row_a_arr[self._head : self._tail]
            self._row_t_arr, self._row_m_arr, self._row_a_arr = row_t, row_m, row_a
            self._row_t = row_t
            self._row_m = row_m
            self._row_a = row_a
            self._head = 0
            self._tail = live
        cap = self._bk_qty.shape[0]
        if self._bk_end + short > cap:  # entries: drop those of served rows, or grow
            first = self._row_a[self._head] if self._head < self._tail else self._bk_end
            live = self._bk_end - first
            new_cap = cap
            while (live + short) * 2 > new_cap:
                new_cap *= 2
            grown_sku = np.zeros(new_cap, dtype=np.int64)
            grown_qty = np.zeros(new_cap, dtype=np.int64)
            grown_sku[:live] = self._bk_sku_arr[first : self._bk_end]
            grown_qty[:live] = self._bk_qty_arr[first : self._bk_end]
            self._bk_sku_arr, self._bk_qty_arr = grown_sku, grown_qty
            self._bk_sku = grown_sku
            self._bk_qty = grown_qty
            for i in range(self._head, self._tail):
                self._row_a[i] -= first
            self._bk_end = live
        j = self._bk_end
        self._row_a[self._tail] = j
        for k in range(a, b):
            i = sku[k]
            if qty[k] != shipped[i]:
                self._bk_sku[j] = i
                self._bk_qty[j] = qty[k] - shipped[i]
                j += 1
        self._bk_end = j
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

        Returns the backorder rows served, ``(order_time, outlet, start, sku, shipped, units)``
        with a row per entry of ``order_time``, ``outlet`` and ``units``: row ``r`` got
        ``shipped[j]`` units of SKU ``sku[j]`` for ``j`` from ``start[r]`` to ``start[r + 1]``
        (SKUs ascending); None when no row got any unit.
        """
        self.advance(t)
        cdef i64[::1] q = np.asarray(qty, dtype=np.int64)
        cdef Py_ssize_t i, k
        cdef i64 put = 0
        for k in range(self._n):
            self._oh[k] += q[k]
            self._oo[k] -= q[k]
            put += q[k]
        self.on_hand_units += put
        if self._head == self._tail:
            return None
        cdef Py_ssize_t rows = self._tail - self._head
        cdef Py_ssize_t most = self._bk_end - self._row_a[self._head]
        t_arr = np.empty(rows, dtype=np.float64)
        m_arr = np.empty(rows, dtype=np.int64)
        u_arr = np.empty(rows, dtype=np.int64)
        start_arr = np.empty(rows + 1, dtype=np.int64)
        sku_arr = np.empty(most, dtype=np.int64)
        got_arr = np.empty(most, dtype=np.int64)
        cdef double[::1] o_t = t_arr
        cdef i64[::1] o_m = m_arr, o_u = u_arr, o_start = start_arr, o_sku = sku_arr
        cdef i64[::1] o_got = got_arr
        cdef i64 a, r, left, units, served = 0
        cdef Py_ssize_t j, end, n_rows = 0, n_lines = 0
        o_start[0] = 0
        i = self._head
        while i < self._tail and self._any_on_hand():
            left = 0
            units = 0
            end = self._row_a[i + 1] if i + 1 < self._tail else self._bk_end
            for j in range(self._row_a[i], end):
                r = self._bk_qty[j]
                if r == 0:  # served already
                    continue
                k = self._bk_sku[j]
                a = r if r < self._oh[k] else self._oh[k]
                if a != 0:
                    o_sku[n_lines] = k
                    o_got[n_lines] = a
                    n_lines += 1
                    units += a
                    self._oh[k] -= a
                    r -= a
                    self._bk_qty[j] = r
                    self._bl[k] -= a
                left |= r
            served += units
            if units:
                o_t[n_rows] = self._row_t[i]
                o_m[n_rows] = self._row_m[i]
                o_u[n_rows] = units
                n_rows += 1
                o_start[n_rows] = n_lines
            if i == self._head and left == 0:
                self._head += 1
            i += 1
        self.on_hand_units -= served
        self.backlog_units -= served
        if n_rows == 0:
            return None
        return (t_arr[:n_rows], m_arr[:n_rows], start_arr[:n_rows + 1], sku_arr[:n_lines],
                got_arr[:n_lines], u_arr[:n_rows])

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
        cdef i64 taken = 0
        for k in range(self._n):
            self._oh[k] -= q[k]
            taken += q[k]
        self.on_hand_units -= taken

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
