"""The fulfilment plan: the stock pools a strategy keeps, which pool serves which market (and
channel, and SKU class), and how each pool is replenished.

Derived once from a validated scenario, before any simulation: a market that no factory can
reach, a class of SKUs no factory makes, or a strategy the network cannot carry (no hub, no
fulfilment centre, no parcel route) is a config error here.

Strategies (``strategy.kind``):

- ``overseas_warehouse``: regional warehouses, bulk-replenished, serve markets by last mile;
- ``direct``: stock stays at the plant; each day's orders go as cross-border parcels along the
  fastest route of ``delivery_modes``;
- ``source_hub``: one pool at an origin hub serves every market on demand (the platform's
  consolidated air freight and customs entry, then domestic parcel);
- ``forward_fc``: a reservoir warehouse feeds fulfilment centres next to the customers;
- ``hybrid_by_size``: ``forward_classes`` through the FCs, the other classes through overseas
  warehouses;
- ``pooled_multichannel``: overseas warehouses whose stock serves several sales channels, as
  one pool (``pooled: true``) or one pool per channel.
"""

from __future__ import annotations

import networkx as nx

from ..config.spec import Scenario
from ..core.enums import BasketRule, NodeKind, StrategyKind, Tier
from ..core.errors import ConfigError
from .checks import check_classes, check_closures, check_whole_baskets
from .graph import best_lane, build_graph, shortest_route
from .routes import Feed, Outlet, Plan, Pool, Route, Supply
from .supplies import best_supply, expedite_supplies, route_of, second_sources, transfer_routes


def _pool_id(node: str, channel: str = "", suffix: str = "") -> str:
    """A pool's id: the node, then the suffix and channel that tell pools at it apart."""
    return "/".join(x for x in (node, suffix, channel) if x)


def _country(region: str) -> str:
    return region.split("-")[0]


class _Builder:
    """Collects pools, outlets, supplies and feeds while a strategy's plan is derived."""

    def __init__(self, sc: Scenario, g: nx.MultiDiGraph) -> None:
        self.sc, self.g = sc, g
        self.net = sc.network
        self.classes = sc.demand.classes
        self.markets = tuple(n.id for n in self.net.of_kind(NodeKind.MARKET))
        st = sc.strategy
        self.channels = tuple(c for c, _ in st.channels) if st.channels else ("",)
        self.pools: dict[str, Pool] = {}
        self.outlets: list[Outlet] = []
        self.supply: list[Supply] = []
        self.feeds: list[Feed] = []

    def pool(self, node: str, tier: Tier, channel: str = "", suffix: str = "") -> str:
        pid = _pool_id(node, channel, suffix)
        self.pools.setdefault(pid, Pool(pid, node, tier, channel))
        return pid

    def outlet(
        self, market: str, pool: str, route: Route, size_class: str = "", channel: str = ""
    ) -> None:
        node = self.net.node_by_id[self.pools[pool].node]
        local = _country(node.region) == _country(self.net.node_by_id[market].region)
        self.outlets.append(Outlet(market, pool, route, size_class, channel, local))

    def supplied(
        self, node: str, pool: str, classes: tuple[str, ...], modes: frozenset, key: str
    ) -> None:
        """Factory supply of ``classes`` to ``pool``, or a ConfigError naming ``key``."""
        for c in classes:
            s = best_supply(self.g, self.sc, node, c, modes, pool=pool)
            if s is None:
                raise ConfigError(
                    key,
                    sorted(m.value for m in modes),
                    f"modes with a route from a plant making {c} to {node}",
                )
            self.supply.append(s)

    def route(self, src: str, dst: str, modes: frozenset, key: str) -> Route:
        found = shortest_route(self.g, src, dst, modes)
        if found is None:
            raise ConfigError(
                key, sorted(m.value for m in modes), f"modes with a route from {src} to {dst}"
            )
        return route_of(self.g, found)

    def nearest(self, sources, market: str, expected: str) -> tuple[float, str, str]:
        """(days, source, lane) of the fastest last-mile lane from ``sources`` to ``market``."""
        options = []
        for w in sources:
            if self.g.has_edge(w, market):
                b = best_lane(self.g, w, market, self.sc.strategy.last_mile_modes)
                if b is not None:
                    options.append((b[1], w, b[0]))
        if not options:
            raise ConfigError(f"network.nodes.{market}", market, expected)
        return min(options)

    # -- the building blocks of the strategies ---------------------------------------------
    def overseas(self, classes: tuple[str, ...], stocked: tuple[str, ...] = ()) -> None:
        """Regional warehouses replenished from the plants; each market served by the warehouse
        with its fastest last-mile lane, for the SKUs of ``classes``; the warehouses stock
        ``stocked`` (default ``classes``): more when whole baskets bring them lighter SKUs."""
        stocked = stocked or classes
        sc, g = self.sc, self.g
        st = sc.strategy
        warehouses = st.warehouses or tuple(n.id for n in self.net.of_kind(NodeKind.WAREHOUSE))
        if not warehouses:
            raise ConfigError(
                "network.nodes", "no warehouse", "at least one node of kind warehouse"
            )
        found = {
            w: [best_supply(g, sc, w, c, st.replenishment_modes) for c in stocked]
            for w in warehouses
        }
        reachable = [w for w in warehouses if all(s is not None for s in found[w])]
        assign = {
            m: self.nearest(
                reachable,
                m,
                "a market with a path from a factory "
                "through a warehouse (by the strategy's replenishment and "
                "last-mile modes)",
            )
            for m in self.markets
        }
        split = classes if len(classes) < len(self.classes) else ("",)
        for w in reachable:  # pools and their supply in the config's warehouse order
            if not any(a[1] == w for a in assign.values()):
                continue
            for ch in ("",) if st.pooled else self.channels:
                pid = self.pool(w, Tier.WAREHOUSE, ch)
                self.supply.extend(
                    Supply(w, s.size_class, s.factory, s.route, pid)
                    for s in found[w]
                    if s is not None
                )
        for m, (days, w, lane) in assign.items():
            route = Route((w, m), (lane,), days)
            for ch in self.channels:
                pid = _pool_id(w, "" if st.pooled else ch)
                for c in split:
                    self.outlet(m, pid, route, c, ch)

    def forward(self, classes: tuple[str, ...]) -> None:
        """A reservoir warehouse replenished from the plants feeds fulfilment centres; each
        market is served by the FC with its fastest last-mile lane."""
        sc, g = self.sc, self.g
        st = sc.strategy
        fcs = st.fcs or tuple(n.id for n in self.net.of_kind(NodeKind.FC))
        if not fcs:
            raise ConfigError(
                "strategy.fcs",
                list(st.fcs),
                f"fulfilment centres for {st.kind.value}, but the network has no node of kind fc",
            )
        reservoir = st.reservoir
        if not reservoir:
            best = None
            for w in self.net.of_kind(NodeKind.WAREHOUSE):
                sup = [best_supply(g, sc, w.id, c, st.replenishment_modes) for c in classes]
                if all(s is not None for s in sup):
                    days = sum(s.route.expected_days for s in sup if s is not None)
                    if best is None or days < best[0]:
                        best = (days, w.id)
            if best is None:
                raise ConfigError(
                    "strategy.reservoir",
                    "",
                    "a warehouse the plants can reach by the strategy's replenishment modes",
                )
            reservoir = best[1]
        res_pool = self.pool(reservoir, Tier.RESERVOIR, suffix="reservoir")
        self.supplied(
            reservoir, res_pool, classes, st.replenishment_modes, "strategy.replenishment_modes"
        )
        for m in self.markets:
            days, f, lane = self.nearest(
                fcs,
                m,
                "a market with a last-mile lane from a "
                "fulfilment centre (strategy.fcs, last_mile_modes)",
            )
            pid = self.pool(f, Tier.FC)
            for c in classes if len(classes) < len(self.classes) else ("",):
                self.outlet(m, pid, Route((f, m), (lane,), days), c)
            if not any(fd.pool == pid for fd in self.feeds):
                self.feeds.append(
                    Feed(pid, res_pool, self.route(reservoir, f, st.fc_modes, "strategy.fc_modes"))
                )

    def origin(self, tier: Tier) -> None:
        """Stock at origin (each class at its plant, or all at the hub), shipped to each
        market on demand along a delivery route."""
        sc = self.sc
        st = sc.strategy
        if tier is Tier.HUB:
            hubs = self.net.of_kind(NodeKind.HUB)
            hub = st.hub or (hubs[0].id if len(hubs) == 1 else "")
            if not hub:
                raise ConfigError(
                    "strategy.hub",
                    st.hub,
                    f"the id of a node of kind hub (the network has {len(hubs)})",
                )
            pid = self.pool(hub, Tier.HUB)
            self.supplied(
                hub, pid, self.classes, st.replenishment_modes, "strategy.replenishment_modes"
            )
            for m in self.markets:
                self.outlet(
                    m, pid, self.route(hub, m, st.delivery_modes, "strategy.delivery_modes")
                )
            return
        for c in self.classes:
            options = []
            for f in self.net.of_kind(NodeKind.FACTORY):
                if c not in f.makes:
                    continue
                routes = [shortest_route(self.g, f.id, m, st.delivery_modes) for m in self.markets]
                if all(r is not None for r in routes):
                    rs = [route_of(self.g, r) for r in routes if r is not None]
                    options.append((sum(r.expected_days for r in rs), f.id, rs))
            if not options:
                raise ConfigError(
                    "strategy.delivery_modes",
                    sorted(m.value for m in st.delivery_modes),
                    f"modes with a route from a plant making {c} to every market",
                )
            _, plant, rs = min(options, key=lambda o: o[:2])
            pid = self.pool(plant, Tier.ORIGIN)
            self.supply.append(Supply(plant, c, plant, Route((plant,), (), 0.0), pid))
            for m, r in zip(self.markets, rs):
                self.outlet(m, pid, r, c)


def make_plan(sc: Scenario) -> Plan:
    """Derive the plan of the scenario's strategy, raising :class:`ConfigError` where the
    network cannot serve it."""
    g = build_graph(sc.network)
    net = sc.network
    markets = tuple(n.id for n in net.of_kind(NodeKind.MARKET))
    if not markets:
        raise ConfigError("network.nodes", "no market", "at least one node of kind market")
    check_classes(sc)
    st = sc.strategy
    b = _Builder(sc, g)
    kind = st.kind
    if kind in (StrategyKind.OVERSEAS_WAREHOUSE, StrategyKind.POOLED_MULTICHANNEL):
        b.overseas(b.classes)
    elif kind is StrategyKind.FORWARD_FC:
        b.forward(b.classes)
    elif kind is StrategyKind.HYBRID_BY_SIZE:
        fwd = tuple(c for c in b.classes if c in st.forward_classes)
        for c in st.forward_classes:
            if c not in b.classes:
                raise ConfigError(
                    "strategy.forward_classes",
                    c,
                    "SKU classes of demand.classes: " + ", ".join(b.classes),
                )
        rest = tuple(c for c in b.classes if c not in fwd)
        if not fwd or not rest:
            raise ConfigError(
                "strategy.forward_classes",
                list(st.forward_classes),
                "some but not all of the SKU classes " + ", ".join(b.classes),
            )
        b.forward(fwd)
        heaviest = max(sc.demand.class_rank[b.classes.index(c)] for c in rest)
        lighter = tuple(c for i, c in enumerate(b.classes) if sc.demand.class_rank[i] < heaviest)
        whole = st.basket is BasketRule.WHOLE
        b.overseas(rest, tuple(dict.fromkeys((*rest, *lighter))) if whole else rest)
    elif kind is StrategyKind.SOURCE_HUB:
        b.origin(Tier.HUB)
    else:
        b.origin(Tier.ORIGIN)

    pools = tuple(b.pools.values())
    used = tuple(dict.fromkeys(p.node for p in pools))
    market_warehouse = []
    for m in markets:
        o = next(o for o in b.outlets if o.market == m)
        market_warehouse.append((m, b.pools[o.pool].node, o.route.lanes[0]))
    primary = tuple(b.supply)
    warehouse_pools = [p for p in pools if p.tier is Tier.WAREHOUSE]
    expedite = expedite_supplies(g, sc, primary)
    secondary = second_sources(g, sc, primary)
    transfers = transfer_routes(g, sc, warehouse_pools)
    plan = Plan(
        used,
        markets,
        tuple(market_warehouse),
        primary,
        tuple(expedite),
        tuple(secondary),
        tuple(transfers),
        pools,
        tuple(b.outlets),
        tuple(b.feeds),
    )
    check_closures(g, sc, plan)
    check_whole_baskets(sc, plan)
    return plan
