"""Where stock comes from: routes as :class:`Route` values, the fastest factory for a pool and
SKU class, and the routes a strategy keeps ready for its responses (air expedites, a second
source, transfers between warehouses)."""

from __future__ import annotations

import networkx as nx

from ..config.spec import Scenario
from ..core.enums import NodeKind
from ..core.errors import ConfigError
from .graph import expected_hop_days, shortest_route
from .routes import Pool, Route, Supply


def route_of(g: nx.MultiDiGraph, found: tuple[list[str], list[str]]) -> Route:
    """A :class:`Route` from a ``(nodes, lanes)`` path."""
    nodes, lanes = found
    days = sum(expected_hop_days(g, u, v, k) for u, v, k in zip(nodes, nodes[1:], lanes))
    return Route(tuple(nodes), tuple(lanes), days)


def best_supply(
    g: nx.MultiDiGraph,
    sc: Scenario,
    w: str,
    size_class: str,
    modes: frozenset,
    exclude: str = "",
    pool: str = "",
) -> Supply | None:
    """The supply of ``size_class`` to pool ``w`` from the factory with the fastest route by
    ``modes`` (not ``exclude``), or None when none has a route."""
    best = None
    for f in sc.network.of_kind(NodeKind.FACTORY):
        if size_class not in f.makes or f.id == exclude:
            continue
        found = shortest_route(g, f.id, w, modes)
        if found is not None:
            r = route_of(g, found)
            if best is None or r.expected_days < best.route.expected_days:
                best = Supply(w, size_class, f.id, r, pool)
    return best


def expedite_supplies(
    g: nx.MultiDiGraph, sc: Scenario, primary: tuple[Supply, ...]
) -> tuple[Supply, ...]:
    """Per primary supply, its fastest route by the expedite modes (when the strategy
    expedites)."""
    st = sc.strategy
    expedite: list[Supply] = []
    if st.expedite:
        for s in primary:
            e = best_supply(g, sc, s.warehouse, s.size_class, st.expedite_modes, pool=s.pool)
            if e is None:
                raise ConfigError(
                    "strategy.expedite_modes",
                    sorted(m.value for m in st.expedite_modes),
                    f"modes with a route from a factory of {s.size_class} to {s.warehouse}",
                )
            expedite.append(e)
    return tuple(expedite)


def second_sources(
    g: nx.MultiDiGraph, sc: Scenario, primary: tuple[Supply, ...]
) -> tuple[Supply, ...]:
    """Per primary supply, another factory's route (when the strategy dual-sources)."""
    st = sc.strategy
    secondary: list[Supply] = []
    if st.second_source_share > 0:
        for s in primary:
            other = best_supply(
                g,
                sc,
                s.warehouse,
                s.size_class,
                st.replenishment_modes,
                exclude=s.factory,
                pool=s.pool,
            )
            if other is None:
                raise ConfigError(
                    "strategy.second_source_share",
                    st.second_source_share,
                    f"0 unless a second factory makes {s.size_class} with a route to {s.warehouse}",
                )
            secondary.append(other)
    return tuple(secondary)


def transfer_routes(
    g: nx.MultiDiGraph, sc: Scenario, warehouse_pools: list[Pool]
) -> tuple[tuple[str, str, Route], ...]:
    """Routes between linked warehouse pools of one channel (when the strategy transships)."""
    st = sc.strategy
    transfers = []
    if st.transship:
        for a in warehouse_pools:
            for dest in warehouse_pools:
                if a.node == dest.node or a.channel != dest.channel:
                    continue
                found = shortest_route(g, a.node, dest.node, st.transship_modes)
                if found is not None:
                    transfers.append((a.id, dest.id, route_of(g, found)))
        if not transfers:
            raise ConfigError(
                "strategy.transship",
                True,
                "false unless some warehouses are linked by "
                + "/".join(sorted(m.value for m in st.transship_modes))
                + " lanes",
            )
    return tuple(transfers)
