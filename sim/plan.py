"""The fulfilment plan: which warehouse serves which market, and how each is replenished.

Derived once from a validated scenario, before any simulation: a market that no factory can
reach, or a class of SKUs no factory makes, is a config error here.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .enums import DisruptionKind, NodeKind
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
    expedite: tuple[Supply, ...] = ()  # routes for expedited orders (when the strategy has them)
    secondary: tuple[Supply, ...] = ()  # second origin per warehouse and class (dual sourcing)
    transfers: tuple[tuple[str, str, Route], ...] = ()  # (from, to, route) between warehouses

    def served_by(self, warehouse: str) -> tuple[str, ...]:
        """Markets served from ``warehouse``."""
        return tuple(m for m, w, _ in self.market_warehouse if w == warehouse)


def route_of(g: nx.MultiDiGraph, found: tuple[list[str], list[str]]) -> Route:
    """A :class:`Route` from a ``(nodes, lanes)`` path."""
    nodes, lanes = found
    days = sum(expected_hop_days(g, u, v, k) for u, v, k in zip(nodes, nodes[1:], lanes))
    return Route(tuple(nodes), tuple(lanes), days)


def _best_supply(g: nx.MultiDiGraph, sc: Scenario, w: str, size_class: str,
                 modes: frozenset, exclude: str = "") -> Supply | None:
    best = None
    for f in sc.network.of_kind(NodeKind.FACTORY):
        if size_class not in f.makes or f.id == exclude:
            continue
        found = shortest_route(g, f.id, w, modes)
        if found is not None:
            r = route_of(g, found)
            if best is None or r.expected_days < best.route.expected_days:
                best = Supply(w, size_class, f.id, r)
    return best


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
        found = [_best_supply(g, sc, w, c, sc.strategy.replenishment_modes)
                 for c in sc.demand.classes]
        if all(s is not None for s in found):
            supply.extend(s for s in found if s is not None)
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
    expedite: list[Supply] = []
    if sc.strategy.expedite:
        for w in used:
            for c in sc.demand.classes:
                s = _best_supply(g, sc, w, c, sc.strategy.expedite_modes)
                if s is None:
                    raise ConfigError("strategy.expedite_modes",
                                      sorted(m.value for m in sc.strategy.expedite_modes),
                                      f"modes with a route from a factory of {c} to {w}")
                expedite.append(s)
    primary = tuple(s for s in supply if s.warehouse in used)
    secondary: list[Supply] = []
    if sc.strategy.second_source_share > 0:
        for s in primary:
            other = _best_supply(g, sc, s.warehouse, s.size_class,
                                 sc.strategy.replenishment_modes, exclude=s.factory)
            if other is None:
                raise ConfigError("strategy.second_source_share", sc.strategy.second_source_share,
                                  f"0 unless a second factory makes {s.size_class} "
                                  f"with a route to {s.warehouse}")
            secondary.append(other)
    transfers = []
    if sc.strategy.transship:
        for a in used:
            for b in used:
                found = shortest_route(g, a, b, sc.strategy.transship_modes) if a != b else None
                if found is not None:
                    transfers.append((a, b, route_of(g, found)))
        if not transfers:
            raise ConfigError("strategy.transship", True,
                              "false unless some warehouses are linked by "
                              + "/".join(sorted(m.value for m in sc.strategy.transship_modes))
                              + " lanes")
    plan = Plan(used, markets, tuple(assignment), primary, tuple(expedite), tuple(secondary),
                tuple(transfers))
    _check_closures(g, sc, plan)
    return plan


def _check_closures(g: nx.MultiDiGraph, sc: Scenario, plan: Plan) -> None:
    """A route suspension that must be rerouted needs another route for every supply on it."""
    if not sc.strategy.reroute:
        return
    closures = [(d.source, d.target, d.effect.reroute) for d in sc.disruptions.scripted
                if d.kind is DisruptionKind.ROUTE_SUSPENSION]
    closures += [(r.key, t, r.effect.reroute) for r in sc.disruptions.random
                 if r.kind is DisruptionKind.ROUTE_SUSPENSION for t in r.targets]
    for source, target, must in closures:
        if not must:
            continue
        closed = ({ln.id for ln in sc.network.lanes if f"via:{ln.via}" == target}
                  if target.startswith("via:") else {target})
        for s in plan.supply:
            hit = [i for i, lane in enumerate(s.route.lanes) if lane in closed]
            if not hit:
                continue
            if shortest_route(g, s.route.nodes[hit[0]], s.warehouse,
                              sc.strategy.replenishment_modes, closed_lanes=closed) is None:
                raise ConfigError(f"{source}.target", target,
                                  f"a lane with another route to {s.warehouse} when closed "
                                  "(or on_closure: wait)")
