# Pre-drawn samples, append-only logs, time-weighted levels and Poisson demand by inversion.


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
