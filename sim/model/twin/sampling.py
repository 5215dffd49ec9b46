"""Pre-drawn samples, append-only logs, time-weighted levels and Poisson demand by
inversion (pure-Python twin of ``ext/sampling.pxi``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...core.distributions import Distribution


class Sampler:
    """Serves numbers drawn in blocks from ``dist`` with ``rng``, one at a time. ``rng`` may be a
    function that makes the generator: it is called at the first draw, so a sampler nobody
    draws from costs no generator."""

    def __init__(
        self,
        dist: Distribution,
        rng: np.random.Generator | Callable[[], np.random.Generator],
        block: int = 256,
    ) -> None:
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


def poisson_inversion(
    u: np.ndarray, lam: np.ndarray, e: np.ndarray, rows: np.ndarray
) -> np.ndarray:
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
