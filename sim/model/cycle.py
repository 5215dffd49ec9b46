"""The daily cycle of a stock pool (serve each outlet's demand, then review the policy and order
from the plants or the upstream pool), the deliveries it sends, and the daily snapshot of levels.

The serve and the last-mile sends are the handlers' ``Pool`` (one compiled call a day per
pool); what they hand back runs here: a route of several legs (parcels from origin, the hub's
air freight) as a shipment, and customer returns.

Demand of day ``k`` arrives at ``k + 0.5`` with :data:`~sim.model.timing.LATE` priority, so
receipts of that instant are already on the shelf.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import simpy

from .nodes import Legs, Outlet, Warehouse
from .timing import LATE

if TYPE_CHECKING:
    from .runtime import Model

DEMAND_PHASE = 0.5


class Days:
    """Every day at ``day + 0.5`` (:data:`~sim.model.timing.LATE` priority): each pool in turn
    serves its outlets and reviews its policy, then the levels are recorded (one event a day for
    the whole network, a chain of callbacks that schedules what a daily process would)."""

    def __init__(self, env: simpy.Environment, m: "Model") -> None:
        self.env, self.m, self.day = env, m, 0
        m.h.start(env, self._next)

    def _next(self, _ev: object) -> None:
        if self.day < self.m.n_days:
            self.m.h.after(self.env, self.day + DEMAND_PHASE - self.env.now, self._run, LATE)

    def _run(self, _ev: object) -> None:
        env, m, day = self.env, self.m, self.day
        for wh in m.warehouses:
            pool_day(env, m, wh, day)
        record_levels(m, day)
        self.day += 1
        self._next(None)


def pool_day(env: simpy.Environment, m: "Model", wh: Warehouse, day: int) -> None:
    """Serve the day's demand of every outlet the pool ``wh`` serves, then review and order."""
    stock = wh.stock
    book = m.book
    if book is not None:
        book.serve(wh, day, env.now, m.rec.costs)
    pending = wh.cycle.serve(day, env.now)
    if book is not None:
        book.sent(pending, day)
    for k, shipped, units, full, t_arr in pending:
        follow(env, m, m.outlets[k], shipped, units, env.now, full, day, t_arr)
    if day % wh.review_days == 0:
        low, high = wh.low_on(day), wh.high_on(day)
        if wh.planner is not None:  # levels moved with the lead time the planner sees
            shift = wh.planner.shift(env.now)
            if shift.any():
                low, high = np.maximum(low + shift, 0), np.maximum(high + shift, 0)
        order = stock.review(wh.kind, low, high, wh.qty)
        if wh.cap is not None:  # no more than the space: cut what would overfill it
            position = stock.on_hand + stock.on_order - stock.backlog
            over = np.minimum(order, np.maximum(position - wh.cap_on(day), 0))
            if over.any():
                stock.cancel_order(over)
                order = order - over
        if wh.feed is not None:
            pull(env, m, wh, order)
        else:
            share = m.sc.strategy.second_source_share
            for i, sup in enumerate(wh.supplies):
                part = np.where(sup.mask, order, 0)
                if share > 0 and wh.secondary:
                    second = np.floor(part * share).astype(np.int64)
                    part = part - second
                    if second.any():
                        m.freight.produce(wh, wh.secondary[i], second)
                if part.any():
                    m.freight.produce(wh, sup, part)
    if wh.expedite:
        expedite(env, m, wh)
    if wh.transfers_in:
        transship(env, m, wh)


def pull(env: simpy.Environment, m: "Model", wh: Warehouse, order: np.ndarray) -> None:
    """Order ``order`` from the upstream pool (a fulfilment centre from its reservoir): what
    the reservoir holds is sent at once; the rest is cancelled and ordered again at the next
    review."""
    assert wh.feed is not None
    source, legs = wh.feed
    if not order.any():
        return
    qty = np.minimum(order, np.maximum(source.stock.on_hand, 0))
    rest = order - qty
    if rest.any():
        wh.stock.cancel_order(rest)
    if not qty.any():
        return
    _transfer(env, m, source, wh, legs, qty, False)


def _transfer(
    env: simpy.Environment,
    m: "Model",
    source: Warehouse,
    wh: Warehouse,
    legs: Legs,
    qty: np.ndarray,
    extra: bool,
) -> None:
    """Take ``qty`` off ``source``'s shelf and carry it along ``legs`` to ``wh`` (``extra``:
    outside the policy, a transfer)."""
    source.stock.take(env.now, qty)
    m.send_towards(wh, qty)
    m.freight.carry(wh, legs, qty, extra)


EXPEDITE_EXTRA_DAYS = 7.0  # an expedite tops cover up to the threshold plus a week


def expedite(env: simpy.Environment, m: "Model", wh: Warehouse) -> None:
    """Air-freight the SKUs whose cover (on hand and already expedited, less backorders) has
    fallen below the strategy's threshold: a projected stock-out the warehouse can see."""
    stock = wh.stock
    threshold = m.sc.strategy.expedite_cover_days
    cover = stock.on_hand + wh.expediting - stock.backlog
    short = (wh.rate > 0) & (cover < wh.rate * threshold)
    if not short.any():
        return
    target = np.ceil(wh.rate * (threshold + EXPEDITE_EXTRA_DAYS)).astype(np.int64)
    qty = np.where(short, np.maximum(target - cover, 0), 0)
    for sup in wh.expedite:
        part = np.where(sup.mask, qty, 0)
        if part.any():
            stock.expect(part)
            wh.expediting += part
            m.freight.produce(wh, sup, part, True)


def transship(env: simpy.Environment, m: "Model", wh: Warehouse) -> None:
    """Ask the warehouses linked to ``wh`` for SKUs whose cover has fallen below the threshold;
    a donor gives what it holds above twice the threshold of its own demand."""
    stock = wh.stock
    threshold = m.sc.strategy.transship_cover_days
    cover = stock.on_hand + wh.expediting - stock.backlog
    need = np.where(
        (wh.rate > 0) & (cover < wh.rate * threshold),
        np.ceil(wh.rate * 2 * threshold).astype(np.int64) - cover,
        0,
    )
    if not need.any():
        return
    for donor, legs in wh.transfers_in:
        keep = np.ceil(donor.rate * 2 * threshold).astype(np.int64)
        spare = np.maximum(donor.stock.on_hand - donor.stock.backlog - keep, 0)
        qty = np.minimum(need, spare)
        if not qty.any():
            continue
        need = need - qty
        stock.expect(qty)
        wh.expediting += qty
        _transfer(env, m, donor, wh, legs, qty, True)
        if not need.any():
            return


def follow(
    env: simpy.Environment,
    m: "Model",
    out: Outlet,
    qty: np.ndarray,
    units: int,
    order_t: float,
    full: int,
    day: int,
    t_arr: float,
) -> None:
    """What the handlers leave to the model after sending a delivery: a route of several legs
    goes as a shipment (``t_arr`` < 0); a last-mile delivery arriving at ``t_arr`` may bring
    customer returns."""
    if t_arr < 0:
        m.ledger.depart(qty)
        m.freight.deliver(out, qty, units, order_t, full, day)
    elif m.returns_delay is not None:
        m.returns_after(out, qty, t_arr)


def serve_backorders(env: simpy.Environment, m: "Model", wh: Warehouse, served: tuple) -> None:
    """Deliver the backorder rows a receipt served (``Stock.receive``'s rows, labelled by
    outlet): the handlers send them; routes of several legs and, with customer returns, every
    delivery go on here, row after row as they were sent."""
    send, outlets, now = wh.cycle.send_served, m.outlets, env.now
    rows = (
        [(0, served[0].size)]
        if m.returns_delay is None
        else [(r, r + 1) for r in range(served[0].size)]
    )
    for first, last in rows:
        for k, qty, units, order_t, t_arr in send(served, m.dispatches, now, first, last):
            follow(env, m, outlets[k], qty, units, order_t, 0, -1, t_arr)


def record_levels(m: "Model", day: int) -> None:
    """Record stock levels per node and gateway queues, after the day's demand."""
    rec = m.rec
    for wh in m.warehouses:
        wh.cycle.snapshot(day)
    m.h.queues(rec.queue, day, m.gate_slots)
