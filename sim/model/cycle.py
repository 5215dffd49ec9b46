"""The daily cycle of a warehouse (serve each market's demand, then review the policy), the
last-mile deliveries it sends, and the daily snapshot of levels.

Demand of day ``k`` arrives at ``k + 0.5`` with :data:`~sim.model.timing.LATE` priority, so
receipts of that instant are already on the shelf.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import simpy

from ..enums import CostComponent
from .flows import Proc, carry, replenish
from .nodes import Market, Warehouse
from .timing import LateTimeout

if TYPE_CHECKING:
    from .build import Model

DEMAND_PHASE = 0.5


def daily_cycle(env: simpy.Environment, m: "Model", wh: Warehouse) -> Proc:
    """Serve the demand of every market ``wh`` serves, then review and order."""
    stock = wh.stock
    rec = m.rec
    for day in range(m.n_days):
        yield LateTimeout(env, day + DEMAND_PHASE - env.now)
        t = env.now
        counting = t >= m.warmup
        for mk in wh.markets:
            shipped, d_units, s_units, lines, full, short = stock.fill(t, mk.index,
                                                                      mk.demand[day])
            rec.demand[day, mk.index] = d_units
            rec.shipped[day, mk.index] = s_units
            rec.lines[day, mk.index] = lines
            rec.full_lines[day, mk.index] = full
            rec.short_skus[day, wh.index] += short
            if counting and short:
                short_vec = mk.demand[day] - shipped
                if stock.backorder:
                    m.backordered += short_vec
                else:
                    m.lost_sales += short_vec
            if s_units:
                arrive = deliver(env, m, mk, shipped, s_units, t)
                if arrive - t <= mk.spec.promise_days:
                    rec.otif_lines[day, mk.index] = full
        if day % wh.review_days == 0:
            order = stock.review(wh.kind, wh.low, wh.high, wh.qty)
            share = m.sc.strategy.second_source_share
            for i, sup in enumerate(wh.supplies):
                part = np.where(sup.mask, order, 0)
                if share > 0 and wh.secondary:
                    second = np.floor(part * share).astype(np.int64)
                    part = part - second
                    if second.any():
                        env.process(replenish(env, m, wh, wh.secondary[i], second))
                if part.any():
                    env.process(replenish(env, m, wh, sup, part))
        if wh.expedite:
            expedite(env, m, wh)
        if wh.transfers_in:
            transship(env, m, wh)


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
            env.process(replenish(env, m, wh, sup, part, expedite=True))


def transship(env: simpy.Environment, m: "Model", wh: Warehouse) -> None:
    """Ask the warehouses linked to ``wh`` for SKUs whose cover has fallen below the threshold;
    a donor gives what it holds above twice the threshold of its own demand."""
    stock = wh.stock
    threshold = m.sc.strategy.transship_cover_days
    cover = stock.on_hand + wh.expediting - stock.backlog
    need = np.where((wh.rate > 0) & (cover < wh.rate * threshold),
                    np.ceil(wh.rate * 2 * threshold).astype(np.int64) - cover, 0)
    if not need.any():
        return
    for donor, legs in wh.transfers_in:
        keep = np.ceil(donor.rate * 2 * threshold).astype(np.int64)
        spare = np.maximum(donor.stock.on_hand - donor.stock.backlog - keep, 0)
        qty = np.minimum(need, spare)
        if not qty.any():
            continue
        need = need - qty
        donor.stock.take(env.now, qty)
        stock.expect(qty)
        wh.expediting += qty
        units = int(qty.sum())
        m.pipeline += qty
        m.in_transit.change(env.now, units)
        wh.inbound.change(env.now, units)
        env.process(carry(env, m, wh, "", legs, qty, expedite=False, extra=True))
        if not need.any():
            return


def deliver(env: simpy.Environment, m: "Model", mk: Market, qty: np.ndarray, units: int,
            order_t: float) -> float:
    """Send ``qty`` to market ``mk`` on its last-mile lane; returns the arrival time."""
    lane = mk.last_mile
    t = env.now
    dt = lane.transit.next()
    s = lane.spec
    m.rec.costs.add(t, CostComponent.TRANSPORT,
                    s.cost_per_kg * float(np.dot(qty, m.weight)) + s.cost_per_shipment,
                    lane.index, 0)
    m.rec.deliveries.add(order_t, t, t + dt, mk.index, units)
    m.last_mile += qty
    ev = env.timeout(dt)
    ev.callbacks.append(lambda _ev: m.delivered_now(qty))
    return t + dt


def serve_backorders(env: simpy.Environment, m: "Model", wh: Warehouse, served: list) -> None:
    """Deliver the backorder rows a receipt served."""
    markets = m.markets
    for order_t, market, qty in served:
        deliver(env, m, markets[market], qty, int(qty.sum()), order_t)


def snapshot(env: simpy.Environment, m: "Model") -> Proc:
    """Record warehouse levels and gateway queues once a day, after the day's demand."""
    rec = m.rec
    for day in range(m.n_days):
        yield LateTimeout(env, day + DEMAND_PHASE - env.now)
        for wh in m.warehouses:
            rec.on_hand[day, wh.index] = int(wh.stock.on_hand.sum())
            rec.backlog[day, wh.index] = int(wh.stock.backlog.sum())
            rec.inbound[day, wh.index] = wh.inbound.level
        for g in m.gateways:
            rec.queue[day, g.index] = len(g.resource.queue) + g.resource.count
