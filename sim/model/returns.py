"""Customer returns: a share of each delivery comes back after a delay, onto the serving pool's
shelf when it is in the customer's country (or shipped back), else written off.

Each delivery's returns are keyed by the delivery (its outlet and arrival time), so a run
without a disruption that did not touch a delivery has the same returns from it.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.enums import CostComponent, ReturnDisposal
from .cycle import serve_backorders
from .network import UNIT, keyed
from .nodes import Outlet

if TYPE_CHECKING:
    from .runtime import Model


class Returns:
    """The returns of one replication: what is on its way back, written off and counted."""

    def __init__(self, m: Model, n_sku: int) -> None:
        self.m = m
        ret = m.sc.demand.returns
        self.delay: Any = (
            keyed(m.h, ret.delay, m.streams.key("returns", 0))
            if ret.share and ret.delay is not None
            else None
        )
        self._u = keyed(m.h, UNIT, m.streams.key("returns", 1))
        self.returning = np.zeros(n_sku, dtype=np.int64)  # on their way back from customers
        self.written_off = np.zeros(n_sku, dtype=np.int64)  # returns not restocked
        self.returned_units = 0  # in the measured window
        self.written_off_units = 0  # in the measured window

    def after(self, out: Outlet, qty: np.ndarray, t_arrive: float) -> None:
        """A delivery reaching its market at ``t_arrive``: a share of it comes back (customer
        returns), arriving where the returns go after the returns delay."""
        m = self.m
        if t_arrive >= m.end:  # delivered after the window: its returns are not followed
            return
        h, ret = m.h, m.sc.demand.returns
        key = h.combine(out.index, h.time_key(t_arrive))
        back = np.zeros_like(qty)
        for sku in np.flatnonzero(qty):
            back[sku] = binomial(int(qty[sku]), ret.share, self._u.uniform(key, int(sku)))
        if not back.any():
            return
        m.ledger.take_back(back, t_arrive)
        self.returning += back
        if m.in_window(t_arrive):
            self.returned_units += int(back.sum())
        delay = self.delay.at(key, 0)
        kg = m.ledger.kg(back)
        restock = out.local or ret.overseas is ReturnDisposal.SHIP_BACK
        if out.local:
            freight = out.last_mile.spec.cost_per_kg * kg if out.last_mile is not None else 0.0
        elif restock:
            freight = out.route_cost_per_kg * kg
            delay += sum(lane.spec.transit.mean for lane, _ in out.legs)
        else:
            freight = 0.0
        cost = freight + ret.handling_cost * int(back.sum())
        ev = m.env.timeout(t_arrive + delay - m.env.now)
        ev.callbacks.append(lambda _ev: self._returned(out, back, restock, cost))

    def _returned(self, out: Outlet, qty: np.ndarray, restock: bool, cost: float) -> None:
        """Returned units arrive: back on the serving pool's shelf, or written off."""
        m = self.m
        now = m.env.now
        self.returning -= qty
        m.rec.costs.add(now, CostComponent.RETURNS, cost, out.pool.node, 0)
        if not restock:
            self.written_off += qty
            if m.in_window(now):
                self.written_off_units += int(qty.sum())
            return
        if m.in_window(now):
            m.ledger.cost_goods -= m.ledger.worth(qty)
        wh = out.pool
        wh.stock.expect(qty)
        served = wh.stock.receive(now, qty)
        if served is not None:
            serve_backorders(m.env, m, wh, served)


def binomial(n: int, p: float, u: float) -> int:
    """The ``u``-quantile of Binomial(``n``, ``p``): the smallest ``k`` whose CDF reaches ``u``
    (by inversion, so one keyed uniform per draw; a normal quantile for large ``n`` where the
    first term would underflow)."""
    if p <= 0.0 or n == 0:
        return 0
    if p >= 1.0:
        return n
    q = 1.0 - p
    pmf = q**n
    if pmf < 1e-300:
        z = NormalDist().inv_cdf(min(max(u, 1e-12), 1 - 1e-12))
        return min(max(round(n * p + math.sqrt(n * p * q) * z), 0), n)
    cdf, k, ratio = pmf, 0, p / q
    while u > cdf and k < n:
        pmf *= (n - k) / (k + 1) * ratio
        k += 1
        cdf += pmf
    return k
