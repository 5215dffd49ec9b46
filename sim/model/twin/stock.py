"""Inventory of a stock pool as SKU vectors, and whole-vector unit arithmetic (pure-Python
twin of ``ext/stock.pxi``)."""

from __future__ import annotations

import numpy as np

_KIND_BASE_STOCK = 0
_KIND_SS = 1
_KIND_RQ = 2


class Stock:
    """Inventory of one stocking node as SKU vectors, with a FIFO of backorders.
    ``on_hand_units`` and ``backlog_units`` are the totals of ``on_hand`` and ``backlog``, kept
    as they change."""

    def __init__(self, initial: np.ndarray, backorder: bool) -> None:
        n = initial.shape[0]
        self.on_hand = initial.astype(np.int64).copy()
        self.on_order = np.zeros(n, dtype=np.int64)
        self.backlog = np.zeros(n, dtype=np.int64)
        self.lost = np.zeros(n, dtype=np.int64)
        self.area = np.zeros(n, dtype=np.float64)
        self.backorder = backorder
        self.on_hand_units = int(self.on_hand.sum())
        self.backlog_units = 0
        self._t = 0.0
        self._rows = np.zeros((16, n), dtype=np.int64)
        self._row_t = np.zeros(16, dtype=np.float64)
        self._row_m = np.zeros(16, dtype=np.int64)
        self._head = 0
        self._tail = 0

    def advance(self, t: float) -> None:
        """Integrate on-hand unit-days per SKU up to ``t``."""
        if t == self._t:  # adding on_hand * 0.0 would change nothing
            return
        self.area += self.on_hand * (t - self._t)
        self._t = t

    def fill(self, t: float, market: int, demand: np.ndarray) -> tuple:
        """Serve ``demand`` from stock. Unmet units are backordered or lost.

        Returns ``(shipped, demanded_units, shipped_units, lines, full_lines, stockout_skus)``.
        """
        self.advance(t)
        d = np.asarray(demand, dtype=np.int64)
        shipped = np.minimum(self.on_hand, d)
        self.on_hand -= shipped
        short = d - shipped
        lines = int(np.count_nonzero(d))
        short_lines = int(np.count_nonzero(short))
        units, units_shipped = int(d.sum()), int(shipped.sum())
        self.on_hand_units -= units_shipped
        if short_lines:
            if self.backorder:
                self.backlog += short
                self.backlog_units += units - units_shipped
                self._push(t, market, short)
            else:
                self.lost += short
        return (shipped, units, units_shipped, lines, lines - short_lines, short_lines)

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

    def receive(self, t: float, qty: np.ndarray) -> tuple | None:
        """Put away ``qty`` that was on order, then serve backorders oldest first.

        Returns the backorder rows served, ``(order_time, outlet, start, sku, shipped, units)``
        with a row per entry of ``order_time``, ``outlet`` and ``units``: row ``r`` got
        ``shipped[j]`` units of SKU ``sku[j]`` for ``j`` from ``start[r]`` to ``start[r + 1]``
        (SKUs ascending); None when no row got any unit.
        """
        self.advance(t)
        self.on_hand += qty
        self.on_order -= qty
        self.on_hand_units += int(qty.sum())
        # Only SKUs both on hand and backordered can be served.
        cand = np.flatnonzero((self.on_hand > 0) & (self.backlog > 0))
        if cand.size == 0:
            return None
        first = self._head
        block = self._rows[first : self._tail]
        want = block[:, cand]
        before = np.cumsum(want, axis=0) - want  # units owed to older rows, per SKU
        take = np.clip(self.on_hand[cand] - before, 0, want)  # oldest first
        got = take.sum(axis=0)
        self.on_hand[cand] -= got
        self.backlog[cand] -= got
        served = int(got.sum())
        self.on_hand_units -= served
        self.backlog_units -= served
        block[:, cand] = want - take
        while self._head < self._tail and not self._rows[self._head].any():
            self._head += 1
        units = take.sum(axis=1)
        hit = np.flatnonzero(units)
        if hit.size == 0:
            return None
        take = take[hit]
        row, col = np.nonzero(take)  # row by row, SKUs ascending within a row
        start = np.zeros(hit.size + 1, dtype=np.int64)
        start[1:] = np.cumsum(np.count_nonzero(take, axis=1))
        return (
            self._row_t[first + hit],
            self._row_m[first + hit],
            start,
            cand[col],
            take[row, col],
            units[hit],
        )

    def cancel_order(self, qty: np.ndarray) -> None:
        """Remove ``qty`` from on-order (the shipment carrying it was lost)."""
        self.on_order -= qty

    def take(self, t: float, qty: np.ndarray) -> None:
        """Remove ``qty`` (at most what is on hand) from the shelf, e.g. for a transfer."""
        self.advance(t)
        self.on_hand -= qty
        self.on_hand_units -= int(qty.sum())

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
