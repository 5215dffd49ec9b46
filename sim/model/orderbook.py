"""The book of customer orders: which outlet serves each line of a basket, which lines were
shipped from stock on the day ordered, how many parcels each order travels in and when they
arrive; at the end of a run, the orders of each day and market that were complete (every line
from stock on the order day), perfect (complete and every parcel within the market's promise),
and their parcels.

A pool serves its outlets' units with the handlers' serve (one compiled call a day), which
ships ``min(on hand, demanded)`` of each SKU, outlet after outlet. The book works out that fill
at the SKUs the day's lines name, just before the serve (it never reads the rest of the
catalogue): of the lines of a SKU at an outlet, the earliest orders' lines are the ones shipped.

Parcels: each outlet whose stock ships some of an order's lines on the day sends it one parcel
(an outlet's lines of the day travel together); a part put on backorder ships later as one
more parcel (a lower bound: a backorder served by two receipts travels in two). A basket whose
lines are stocked at different pools (a hybrid strategy's small and bulky SKUs) is split.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..config.spec import Scenario
from ..core.enums import BasketRule, CostComponent, Unmet
from ..plan import Plan
from .baskets import Orders, top_shares
from .daylines import DayLines, day_starts
from .nodes import Market, Warehouse

# Columns of :attr:`RunRecord.orders`, per day and market.
COLUMNS = ("orders", "complete", "perfect", "parcels", "split")


class _Market:
    """One market's orders and which of their lines shipped on the day ordered."""

    def __init__(
        self, orders: Orders, line_order: np.ndarray, line_outlet: np.ndarray, promise: float
    ) -> None:
        self.orders = orders
        self.line_order = line_order  # the order of each line
        self.line_outlet = line_outlet
        self.filled = np.zeros(orders.sku.size, dtype=bool)
        self.promise = promise


class OrderBook:
    """Every market's orders, each line routed to the outlet serving its SKU and channel."""

    def __init__(
        self,
        sc: Scenario,
        plan: Plan,
        markets: list[Market],
        orders: dict[str, Orders],
        n_days: int,
    ) -> None:
        d = sc.demand
        self.n_days = n_days
        self.backorder = sc.policy.unmet is Unmet.BACKORDER
        assert d.orders is not None
        self.parcel_cost = d.orders.parcel_cost
        self.handling = int(CostComponent.HANDLING)
        class_of = {c: i for i, c in enumerate(d.classes)}
        sku_class = np.array([class_of[s.size_class] for s in d.skus], dtype=np.int64)
        self.sku_class = sku_class
        channel_of = {c: i for i, (c, _) in enumerate(sc.strategy.channels)}
        whole = sc.strategy.basket is BasketRule.WHOLE
        rank = d.class_rank
        # the chance a line of class c goes to the outlet of class x: its own, or (whole) its
        # basket's heaviest class's
        self.to_class = top_shares(d, rank) if whole else np.eye(len(class_of))
        self.arrival = np.full((len(plan.outlets), n_days), np.inf)  # last parcel's arrival
        self.markets: list[_Market] = []
        self.routes: dict[str, np.ndarray] = {}  # market: outlet per (channel, class)
        for mk in markets:
            o = orders[mk.spec.id]
            route = np.full((max(len(channel_of), 1), len(class_of)), -1, dtype=np.int64)
            for k, po in enumerate(plan.outlets):
                if po.market != mk.spec.id:
                    continue
                ch = channel_of.get(po.channel, 0) if po.channel else slice(None)
                cl = class_of[po.size_class] if po.size_class else slice(None)
                route[ch, cl] = k
            self.routes[mk.spec.id] = route
            line_class = sku_class[o.sku]
            line_order = o.line_order
            if whole:  # every line of a basket to its heaviest class's outlet
                heaviest = np.maximum.reduceat(rank[line_class], o.line_start[:-1])
                line_class = np.argsort(rank)[heaviest][line_order]
            line_outlet = route[o.channel[line_order], line_class]
            if (line_outlet < 0).any():
                raise AssertionError(f"order lines of market {mk.spec.id} no outlet serves")
            self.markets.append(_Market(o, line_order, line_outlet, mk.spec.promise_days))
        self.plan = plan
        self.plan_channels = sc.strategy.channels
        # per outlet: its market, its lines (by day, then order), where each day's start, and
        # each line's rank among the outlet's lines of its day and SKU
        self.lines: list[tuple[_Market, np.ndarray, np.ndarray, np.ndarray]] = []
        self.day_lines: list[DayLines] = []  # per outlet: its units, as the lines of each day
        n_sku = len(d.skus)
        self._taken = np.zeros(n_sku, dtype=np.int64)  # serve's scratch, zero between calls
        for k, po in enumerate(plan.outlets):
            m = next(m for m, mk in zip(self.markets, markets) if mk.spec.id == po.market)
            rows = np.flatnonzero(m.line_outlet == k)
            key = m.orders.day[m.line_order[rows]] * n_sku + m.orders.sku[rows]
            by_key = np.argsort(key, kind="stable")
            lines = DayLines.from_keys(key[by_key], n_days, n_sku)  # a line per run of keys
            run = np.repeat(np.cumsum(lines.qty, dtype=np.int64) - lines.qty, lines.qty)
            rank = np.empty(rows.size, dtype=np.int64)
            rank[by_key] = np.arange(rows.size) - run  # position within its run
            start = day_starts(key // n_sku, n_days)
            self.lines.append((m, rows, start, rank))
            self.day_lines.append(lines)

    def units(self, outlet: int) -> DayLines:
        """The units of the lines routed to ``outlet``, as the lines of each day."""
        return self.day_lines[outlet]

    def share(self, outlet: int) -> np.ndarray:
        """Per SKU, the chance that a line of the SKU in the outlet's market and channel is
        routed to ``outlet`` (what its pool replenishes for)."""
        po = self.plan.outlets[outlet]
        route = self.routes[po.market]
        ch = [c for c, _ in self.plan_channels].index(po.channel) if po.channel else 0
        to_here = (route[ch] == outlet).astype(np.float64)  # the classes routed here
        return (self.to_class @ to_here)[self.sku_class]

    def serve(self, wh: Warehouse, day: int, t: float, costs: Any) -> None:
        """Which lines of day ``day`` the pool ``wh`` ships from stock, before it serves them:
        of the lines of a SKU at an outlet, the earliest orders' take what is on hand; outlets
        in the pool's order, as the handlers serve them (each ships ``min(left, demanded)``).
        Each parcel's packing cost is logged in ``costs`` at ``t`` (a part put on backorder:
        when it is ordered)."""
        on_hand = wh.stock.on_hand
        taken = self._taken  # per SKU, what the outlets served first demanded
        touched: list[np.ndarray] = []  # the SKUs of ``taken`` to zero again
        for i, out in enumerate(wh.outlets):
            m, rows, start, rank = self.lines[out.index]
            a, b = start[day], start[day + 1]
            if a != b:
                part = rows[a:b]
                sku = m.orders.sku[part]
                left = np.maximum(on_hand[sku] - taken[sku], 0) if i else on_hand[sku]
                self._fill(wh, m, part, rank[a:b] < left, t, costs)
            if i + 1 < len(wh.outlets):  # what it takes, before the next outlets
                sku, qty = out.demand.on(day)
                taken[sku] += qty  # a day's SKUs are distinct
                touched.append(sku)
        for sku in touched:
            taken[sku] = 0

    def _fill(
        self, wh: Warehouse, m: _Market, part: np.ndarray, filled: np.ndarray, t: float, costs: Any
    ) -> None:
        """The lines ``part`` of market ``m`` an outlet of ``wh`` served, ``filled`` from
        stock: their parcels' packing cost."""
        m.filled[part] = filled
        if self.parcel_cost > 0:
            order = m.line_order[part]
            n = _distinct(order[filled]) + (self.backorder and _distinct(order[~filled]))
            costs.add(t, self.handling, self.parcel_cost * n, wh.node, 0)

    def sent(self, pending: list, day: int) -> None:
        """The deliveries of day ``day`` a pool's serve handed back: last-mile arrivals."""
        for k, _qty, _units, _full, t_arr in pending:
            if t_arr >= 0:
                self.arrival[k, day] = t_arr

    def arrived(self, outlet: int, day: int, t: float) -> None:
        """A part of outlet ``outlet``'s delivery of day ``day`` reached the customer at ``t``
        (a route of several legs)."""
        a = self.arrival[outlet, day]
        self.arrival[outlet, day] = t if a == np.inf else max(a, t)

    def finish(self) -> np.ndarray:
        """Per day and market (days, markets, :data:`COLUMNS`): orders placed, complete,
        perfect, their parcels and their parcels beyond the first."""
        out = np.zeros((self.n_days, len(self.markets), len(COLUMNS)), dtype=np.int64)
        n_outlets = self.arrival.shape[0]
        for mi, m in enumerate(self.markets):
            day = m.orders.day  # ascending
            n = day.size
            if n == 0:
                continue
            line_day = day[m.line_order]
            late_line = self.arrival[m.line_outlet, line_day] - (line_day + 0.5) > m.promise
            late = np.bincount(m.line_order[late_line], minlength=n) > 0
            complete = np.bincount(m.line_order[~m.filled], minlength=n) == 0
            perfect = complete & ~late
            # a parcel per outlet shipping part of the order that day, and per part backordered
            local = np.flatnonzero(np.bincount(m.line_outlet, minlength=n_outlets))
            slot = np.zeros(n_outlets, dtype=np.int64)
            slot[local] = np.arange(local.size)
            pair = m.line_order * local.size + slot[m.line_outlet]
            size = n * local.size
            parcels = (np.bincount(pair[m.filled], minlength=size).reshape(n, -1) > 0).sum(1)
            if self.backorder:
                short = np.bincount(pair[~m.filled], minlength=size).reshape(n, -1) > 0
                parcels = parcels + short.sum(1)
            split = np.maximum(parcels - 1, 0)
            bounds = day_starts(day, self.n_days)  # each day's orders
            out[:, mi, 0] = np.diff(bounds)
            for c, w in enumerate((complete, perfect, parcels, split), start=1):
                run = np.zeros(n + 1, dtype=np.int64)
                np.cumsum(w, out=run[1:])
                out[:, mi, c] = run[bounds[1:]] - run[bounds[:-1]]
        return out


def _distinct(sorted_ids: np.ndarray) -> int:
    """How many distinct values a sorted array holds."""
    if sorted_ids.size == 0:
        return 0
    return 1 + int(np.count_nonzero(sorted_ids[1:] != sorted_ids[:-1]))
