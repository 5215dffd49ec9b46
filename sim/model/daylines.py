"""An outlet's demand as the lines of each day: per day, the SKUs with demand (ascending) and
their units. A long-tail catalogue sells a few of its SKUs on a day, so the handlers' serve
visits those lines, not the catalogue (compressed sparse rows, one row a day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def day_starts(day: np.ndarray, n_days: int) -> np.ndarray:
    """Where each day's entries start in ``day`` (ascending), and where the last ends: day
    ``d``'s are ``start[d]`` to ``start[d + 1]`` (int64, ``n_days + 1``)."""
    return np.searchsorted(day, np.arange(n_days + 1)).astype(np.int64)


@dataclass(frozen=True)
class DayLines:
    """Day ``d``'s lines are ``start[d]`` to ``start[d + 1]``: SKU ``sku[k]``, ``qty[k]`` units
    (> 0), SKUs ascending within a day."""

    start: np.ndarray  # (days + 1,) int64
    sku: np.ndarray  # (lines,) int32
    qty: np.ndarray  # (lines,) int32
    n_sku: int

    @classmethod
    def from_dense(cls, units: np.ndarray) -> DayLines:
        """The lines of a (days, SKUs) matrix of units."""
        days, n_sku = units.shape
        flat = np.flatnonzero(units)
        day, sku = np.divmod(flat, n_sku) if n_sku else (flat, flat)
        start = day_starts(day, days)
        qty = units.reshape(-1)[flat].astype(np.int32)
        return cls(start, sku.astype(np.int32), qty, n_sku)

    @classmethod
    def from_keys(cls, key: np.ndarray, n_days: int, n_sku: int) -> DayLines:
        """The lines of one unit per key ``day * n_sku + sku`` (``key`` sorted)."""
        if key.size:
            first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            qty = np.diff(np.r_[first, key.size]).astype(np.int32)
            day, sku = np.divmod(key[first], n_sku)
        else:
            qty = day = sku = np.zeros(0, dtype=np.int64)
        start = day_starts(day, n_days)
        return cls(start, sku.astype(np.int32), qty.astype(np.int32), n_sku)

    @property
    def n_days(self) -> int:
        """Days covered."""
        return self.start.size - 1

    def on(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Day ``day``'s SKUs (distinct, ascending) and their units."""
        a, b = self.start[day], self.start[day + 1]
        return self.sku[a:b], self.qty[a:b]

    def dense(self) -> np.ndarray:
        """The (days, SKUs) matrix of units."""
        out = np.zeros((self.n_days, self.n_sku), dtype=np.int64)
        day = np.repeat(np.arange(self.n_days), np.diff(self.start))
        out[day, self.sku] = self.qty
        return out

    def total(self) -> int:
        """Units over all days."""
        return int(self.qty.sum())
