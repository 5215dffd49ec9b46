"""The fulfilment plan: which warehouse serves which market, and how each is replenished.

Derived once from a validated scenario, before any simulation: a market that no factory can
reach, or a class of SKUs no factory makes, is a config error here.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .enums import NodeKind
from .errors import ConfigError
from .network import best_lane, build_graph, expected_hop_days, shortest_route
from .spec import Scenario


@dataclass(frozen=True)
class Route:
    """A path of nodes and the lanes between them (lane ids)."""

    nodes: tuple[str, ...]
    lanes: tuple[str, ...]
    expected_days: float


@dataclass(frozen=True)
class Supply:
    """How one warehouse is replenished with one SKU class."""

    warehouse: str
    size_class: str
    factory: str
    route: Route


@dataclass(frozen=True)
class Plan:
    """Warehouses in use, the market each serves, and their supply routes."""

    warehouses: tuple[str, ...]
    markets: tuple[str, ...]
    market_warehouse: tuple[tuple[str, str, str], ...]  # (market, warehouse, last-mile lane)
    supply: tuple[Supply, ...]

    def served_by(self, warehouse: str) -> tuple[str, ...]:
        """Markets served from ``warehouse``."""
        return tuple(m for m, w, _ in self.market_warehouse if w == warehouse)


def route_of(g: nx.MultiDiGraph, found: tuple[list[str], list[str]]) -> Route:
    """A :class:`Route` from a ``(nodes, lanes)`` path."""
    nodes, lanes = found
    days = sum(expected_hop_days(g, u, v, k) for u, v, k in zip(nodes, nodes[1:], lanes))
    return Route(tuple(nodes), tuple(lanes), days)


def make_plan(sc: Scenario) -> Plan:
    """Derive the plan, raising :class:`ConfigError` where the network cannot serve it."""
    g = build_graph(sc.network)
    net = sc.network
    warehouses = sc.strategy.warehouses or tuple(n.id for n in net.of_kind(NodeKind.WAREHOUSE))
    if not warehouses:
        raise ConfigError("network.nodes", "no warehouse", "at least one node of kind warehouse")
    markets = tuple(n.id for n in net.of_kind(NodeKind.MARKET))
    if not markets:
        raise ConfigError("network.nodes", "no market", "at least one node of kind market")
    factories = net.of_kind(NodeKind.FACTORY)
    for size_class in sc.demand.classes:
        if not any(size_class in f.makes for f in factories):
            raise ConfigError(f"demand.classes.{size_class}", size_class,
                              "a class that some factory lists in its makes")
    for f in factories:
        for made in f.makes:
            if made not in sc.demand.classes:
                raise ConfigError(f"network.nodes.{f.id}.makes", made,
                                  "SKU classes of demand.classes: " + ", ".join(sc.demand.classes))

    supply: list[Supply] = []
    reachable: set[str] = set()
    for w in warehouses:
        ok = True
        for size_class in sc.demand.classes:
            best = None
            for f in factories:
                if size_class not in f.makes:
                    continue
                found = shortest_route(g, f.id, w, sc.strategy.replenishment_modes)
                if found is not None:
                    r = route_of(g, found)
                    if best is None or r.expected_days < best[1].expected_days:
                        best = (f.id, r)
            if best is None:
                ok = False
                break
            supply.append(Supply(w, size_class, best[0], best[1]))
        if ok:
            reachable.add(w)

    assignment = []
    for m in markets:
        options = []
        for w in warehouses:
            if w in reachable and g.has_edge(w, m):
                b = best_lane(g, w, m, sc.strategy.last_mile_modes)
                if b is not None:
                    options.append((b[1], w, b[0]))
        if not options:
            raise ConfigError(f"network.nodes.{m}", m,
                              "a market with a path from a factory through a warehouse "
                              "(by the strategy's replenishment and last-mile modes)")
        _, w, lane = min(options)
        assignment.append((m, w, lane))
    used = tuple(w for w in warehouses if any(w == a[1] for a in assignment))
    return Plan(used, markets, tuple(assignment),
                tuple(s for s in supply if s.warehouse in used))
