"""The demand side of the model: each market's demand, drawn whole from the market's own
stream (with its surges), then split into the outlets serving it (sales channels, SKU classes)
and scaled by their delivery speed; the mean rate each stock pool replenishes for; and the
runtime outlets linking a market, the pool serving it and the delivery route.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from ..config.disruption import Disruption
from ..config.spec import Scenario
from ..core.enums import DisruptionKind
from ..core.rng import Streams
from ..plan import Plan
from . import baskets
from . import demand as demand_mod
from .daylines import DayLines
from .demand_history import History, HistoryMeans
from .network import Network
from .nodes import Market, Outlet, Warehouse
from .orderbook import OrderBook

ChannelDemand = dict[str, tuple[np.ndarray, np.ndarray | None]]  # channel -> (demand, mean)


def market_orders(
    sc: Scenario,
    mid: str,
    windows: list[Disruption],
    doy: np.ndarray,
    streams: Streams,
    node: int,
) -> baskets.Orders:
    """The customer orders of market ``mid`` (node ``node``)."""
    d = sc.demand
    surges = [
        (w.start, w.end, w.effect.multiplier, streams.get("surge", node * 1000 + k))
        for k, w in enumerate(windows)
        if w.kind is DisruptionKind.DEMAND_SURGE and w.target == mid
    ]
    return baskets.draw_orders(
        d,
        sc.network.node_by_id[mid].demand_scale,
        demand_mod.multiplier(d, doy),
        surges,
        sc.strategy.channels,
        streams.get("orders", node),
    )


def draw_markets(
    sc: Scenario,
    plan: Plan,
    windows: list[Disruption],
    doy: np.ndarray,
    streams: Streams,
    node_index: dict[str, int],
    h: ModuleType,
) -> tuple[list[Market], dict[str, ChannelDemand], dict[str, baskets.Orders]]:
    """The plan's markets and the demand of each, split by sales channel, on the days ``doy``;
    when demand comes as orders (``demand.orders``), the customer orders of each market instead
    (their units are the outlets', :func:`split_demand`).

    The mean demand is kept only where delivery speed rescales it (memory: a days x SKUs
    matrix per market)."""
    d = sc.demand
    st = sc.strategy
    markets: list[Market] = []
    market_demand: dict[str, ChannelDemand] = {}
    orders: dict[str, baskets.Orders] = {}
    history = History(d.history, doy, streams) if d.history else None
    scratch: np.ndarray | None = None  # the uniforms of every market's draw, in turn
    for mi, mid in enumerate(plan.markets):
        spec = sc.network.node_by_id[mid]
        markets.append(Market(mi, node_index[mid], spec))
        if d.orders is not None:
            orders[mid] = market_orders(sc, mid, windows, doy, streams, node_index[mid])
            continue
        means: demand_mod.Means | HistoryMeans
        if history is None:
            means = demand_mod.Means(d, spec.demand_scale, doy)
            if scratch is None:
                scratch = np.empty((doy.size, len(d.skus)))
            dem = demand_mod.draw(d, means, streams.get("demand", node_index[mid]), h, scratch)
        else:
            means = history.means(mid, spec.demand_scale)
            dem = history.draw(mid, spec.demand_scale, node_index[mid])
        for k, w in enumerate(windows):
            if w.kind is DisruptionKind.DEMAND_SURGE and w.target == mid:
                dem = demand_mod.surge(
                    d,
                    dem,
                    means.mean,
                    w.start,
                    w.end,
                    w.effect.multiplier,
                    streams.get("surge", node_index[mid] * 1000 + k),
                )
        market_demand[mid] = demand_mod.channels(
            dem,
            means.mean if d.speed_uplift_per_day > 0 else None,
            st.channels,
            streams.get("channel", node_index[mid]) if st.channels else None,
        )
    return markets, market_demand, orders


def split_demand(
    sc: Scenario,
    plan: Plan,
    market_demand: dict[str, ChannelDemand],
    streams: Streams,
    node_index: dict[str, int],
    book: OrderBook | None = None,
) -> tuple[list[DayLines], dict[str, np.ndarray]]:
    """The demand of each of the plan's outlets (the lines of each day), and the mean demand
    per SKU and day each pool replenishes for (its outlets', plus the pools it feeds); with
    customer orders, the units of the lines ``book`` routes to each outlet.

    Each of ``market_demand``'s matrices is dropped from it once the last outlet it feeds has
    its lines (memory: the matrices are a replication's largest arrays)."""
    d = sc.demand
    st = sc.strategy
    n_sku = len(d.skus)
    pool_rate = {p.id: np.zeros(n_sku) for p in plan.pools}
    outlet_demand: list[DayLines] = []
    last = {(o.market, o.channel): k for k, o in enumerate(plan.outlets)}
    for k, o in enumerate(plan.outlets):
        mspec = sc.network.node_by_id[o.market]
        share = dict(st.channels).get(o.channel, 1.0) if o.channel else 1.0
        if book is not None:
            outlet_demand.append(book.units(k))
            rate = mspec.demand_scale * d.base_rate * book.share(k) * share
            pool_rate[o.pool] = pool_rate[o.pool] + rate
            continue
        dem, mean = market_demand[o.market][o.channel]
        if last[o.market, o.channel] == k:
            del market_demand[o.market][o.channel]
        mask = d.class_mask(o.size_class) if o.size_class else np.ones(n_sku, dtype=bool)
        if o.size_class:
            dem = np.where(mask, dem, 0)
            mean = None if mean is None else np.where(mask, mean, 0.0)
        mult = d.speed_multiplier(o.route.expected_days)
        if d.speed_uplift_per_day > 0 and mult != 1.0 and mean is not None:
            dem = demand_mod.rescale(
                dem, mean, mult, streams.get("speed", node_index[o.market] * 1000 + k)
            )
        outlet_demand.append(DayLines.from_dense(dem))
        base = d.base_rate if d.history is None else d.history.yearly_rate(o.market)
        rate = mspec.demand_scale * base * mask * share * mult
        pool_rate[o.pool] = pool_rate[o.pool] + rate
    for fd in plan.feeds:
        pool_rate[fd.source] = pool_rate[fd.source] + pool_rate[fd.pool]
    return outlet_demand, pool_rate


def build_outlets(
    plan: Plan,
    markets: list[Market],
    by_pool: dict[str, Warehouse],
    outlet_demand: list[DayLines],
    network: Network,
) -> list[Outlet]:
    """The runtime outlets of the plan, each added to the outlets of the pool serving it."""
    market_by_id = {mk.spec.id: mk for mk in markets}
    outlets: list[Outlet] = []
    for k, o in enumerate(plan.outlets):
        legs = network.legs(o.route.lanes)
        single = legs[0][0] if len(legs) == 1 and legs[0][1] is None else None
        out = Outlet(
            k,
            market_by_id[o.market],
            by_pool[o.pool],
            legs,
            outlet_demand[k],
            o.local,
            sum(network.lanes[lid].spec.cost_per_kg for lid in o.route.lanes),
            single,
        )
        outlets.append(out)
        by_pool[o.pool].outlets.append(out)
    return outlets
