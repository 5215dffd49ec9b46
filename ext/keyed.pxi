# Keyed draws: numbers tied to what they are for (a shipment and its leg, a lane and its
# sailing), not to their place in a stream. Twin: sim/model/twin/keyed.py (same results bit for
# bit: the same SplitMix64 mixing, counters and libm calls).

from libc.math cimport cos, exp, log, log1p, pow, sqrt
from libc.string cimport memcpy

ctypedef unsigned long long u64

cdef u64 _GOLDEN = 0x9E3779B97F4A7C15ULL
cdef double _TWO_PI = 6.283185307179586
cdef double _SCALE = 1.0 / 9007199254740992.0  # 2^-53
# Distribution codes (Distribution.keyed_params): 0 deterministic, 1 uniform, 2 exponential,
# 3 log-normal, 4 gamma.


cdef inline u64 _mix(u64 x) noexcept nogil:
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL
    return x ^ (x >> 31)


cdef inline u64 _combine(u64 a, u64 b) noexcept nogil:
    return _mix(_mix(a) + b * _GOLDEN)


cdef inline double _unit(u64 state, u64 i) noexcept nogil:
    return <double>(_mix(state + (i + 1) * _GOLDEN) >> 11) * _SCALE


cdef inline double _normal(u64 s, u64 i) noexcept nogil:
    cdef double u1 = _unit(s, i), u2 = _unit(s, i + 1)
    return sqrt(-2.0 * log1p(-u1)) * cos(_TWO_PI * u2)


def mix(u64 x):
    """SplitMix64's finaliser: a 64-bit integer to a well-mixed 64-bit integer."""
    return _mix(x)


def combine(u64 a, u64 b):
    """One 64-bit key from two (order matters)."""
    return _combine(a, b)


cpdef u64 time_key(double t):
    """The bits of the float ``t``: equal times give equal keys."""
    cdef u64 b
    memcpy(&b, &t, 8)
    return b


cdef class Keyed:
    """Draws of one distribution, each keyed by two integers."""

    cdef int _code
    cdef double _p, _q, _d, _c
    cdef u64 _key

    def __init__(self, int code, double p, double q, u64 key):
        self._code, self._p, self._q, self._key = code, p, q, key
        cdef double a
        if code == 4:
            a = p + 1.0 if p < 1.0 else p
            self._d = a - 1.0 / 3.0
            self._c = 1.0 / sqrt(9.0 * self._d)

    cpdef double uniform(self, u64 a, u64 b):
        """A uniform number in [0, 1) for key ``(a, b)``."""
        return _unit(_combine(_combine(self._key, a), b), 0)

    cpdef double at(self, u64 a, u64 b):
        """The distribution's draw for key ``(a, b)``."""
        if self._code == 0:
            return self._p
        cdef u64 s = _combine(_combine(self._key, a), b)
        if self._code == 1:
            return self._p + (self._q - self._p) * _unit(s, 0)
        if self._code == 2:
            return -self._p * log1p(-_unit(s, 0))
        if self._code == 3:
            return exp(self._p + self._q * _normal(s, 0))
        return self._gamma(s)

    cdef double _gamma(self, u64 s):
        """Marsaglia and Tsang (2000); shape < 1 boosted by ``U ** (1 / shape)``."""
        cdef double d = self._d, c = self._c, z, v, u, x
        cdef u64 i = 0
        while True:
            z = _normal(s, i)
            v = 1.0 + c * z
            i += 3
            if v <= 0.0:
                continue
            v = v * v * v
            u = _unit(s, i - 1)
            if log1p(-u) < 0.5 * z * z + d - d * v + d * log(v):
                x = d * v
                break
        if self._p < 1.0:
            x *= pow(1.0 - _unit(s, i), 1.0 / self._p)
        return x * self._q
