"""Keyed draws: numbers tied to what they are for, not to their place in a stream (pure-Python
twin of ``ext/keyed.pxi``).

Draw ``(a, b)`` of a stream is a fixed function of the stream's 64-bit key and the two keys
``a`` and ``b`` (a shipment and its leg, a lane and its sailing), whatever was drawn before.
So a replication run without its disruption draws the same number for every shipment the
disruption did not touch (common random numbers that survive a disruption). The uniforms come
from the SplitMix64 finaliser of the combined key and a counter; a distribution turns them into
a draw by inversion (uniform, exponential), Box-Muller (log-normal) or Marsaglia and Tsang's
method (gamma), written identically in both builds so they agree bit for bit.
"""

from __future__ import annotations

import math
import struct

M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
_TWO_PI = 6.283185307179586
_SCALE = 1.0 / 9007199254740992.0  # 2^-53

DETERMINISTIC, UNIFORM, EXPONENTIAL, LOGNORMAL, GAMMA = range(5)


def mix(x: int) -> int:
    """SplitMix64's finaliser: a 64-bit integer to a well-mixed 64-bit integer."""
    x &= M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def combine(a: int, b: int) -> int:
    """One 64-bit key from two (order matters)."""
    return mix((mix(a) + (b & M64) * GOLDEN) & M64)


def time_key(t: float) -> int:
    """The bits of the float ``t``: equal times give equal keys."""
    return int(struct.unpack("<Q", struct.pack("<d", t))[0])


class Keyed:
    """Draws of one distribution, each keyed by two integers."""

    def __init__(self, code: int, p: float, q: float, key: int) -> None:
        self._code, self._p, self._q = code, p, q
        self._key = key & M64
        if code == GAMMA:
            a = p + 1.0 if p < 1.0 else p
            self._d = a - 1.0 / 3.0
            self._c = 1.0 / math.sqrt(9.0 * self._d)

    def _state(self, a: int, b: int) -> int:
        return combine(combine(self._key, a), b)

    @staticmethod
    def _u(state: int, i: int) -> float:
        """Uniform number ``i`` of a draw, in [0, 1)."""
        return (mix((state + (i + 1) * GOLDEN) & M64) >> 11) * _SCALE

    def uniform(self, a: int, b: int) -> float:
        """A uniform number in [0, 1) for key ``(a, b)``."""
        return self._u(self._state(a, b), 0)

    def at(self, a: int, b: int) -> float:
        """The distribution's draw for key ``(a, b)``."""
        code = self._code
        if code == DETERMINISTIC:
            return self._p
        s = self._state(a, b)
        if code == UNIFORM:
            return self._p + (self._q - self._p) * self._u(s, 0)
        if code == EXPONENTIAL:
            return -self._p * math.log1p(-self._u(s, 0))
        if code == LOGNORMAL:
            return math.exp(self._p + self._q * _normal(s, 0))
        return self._gamma(s)

    def _gamma(self, s: int) -> float:
        """Marsaglia and Tsang (2000); shape < 1 boosted by ``U ** (1 / shape)``."""
        d, c = self._d, self._c
        i = 0
        while True:
            z = _normal(s, i)
            v = 1.0 + c * z
            i += 3
            if v <= 0.0:
                continue
            v = v * v * v
            u = Keyed._u(s, i - 1)
            if math.log1p(-u) < 0.5 * z * z + d - d * v + d * math.log(v):
                x = d * v
                break
        if self._p < 1.0:
            x *= math.pow(1.0 - Keyed._u(s, i), 1.0 / self._p)
        return x * self._q


def _normal(s: int, i: int) -> float:
    """A standard normal from uniforms ``i`` and ``i + 1`` (Box-Muller, cosine branch)."""
    u1, u2 = Keyed._u(s, i), Keyed._u(s, i + 1)
    return math.sqrt(-2.0 * math.log1p(-u1)) * math.cos(_TWO_PI * u2)
