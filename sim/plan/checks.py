"""Checks of a scenario against its network that need routes: every SKU class made somewhere,
every factory's classes known, and a way round every closure that must be rerouted."""

from __future__ import annotations

import networkx as nx

from ..config.spec import Scenario
from ..core.enums import BasketRule, DisruptionKind, NodeKind
from ..core.errors import ConfigError
from .graph import shortest_route
from .routes import Plan


def check_classes(sc: Scenario) -> None:
    """Every SKU class is made by some factory, and every factory makes known classes."""
    factories = sc.network.of_kind(NodeKind.FACTORY)
    for size_class in sc.demand.classes:
        if not any(size_class in f.makes for f in factories):
            raise ConfigError(
                f"demand.classes.{size_class}",
                size_class,
                "a class that some factory lists in its makes",
            )
    for f in factories:
        for made in f.makes:
            if made not in sc.demand.classes:
                raise ConfigError(
                    f"network.nodes.{f.id}.makes",
                    made,
                    "SKU classes of demand.classes: " + ", ".join(sc.demand.classes),
                )


def check_closures(g: nx.MultiDiGraph, sc: Scenario, plan: Plan) -> None:
    """A route suspension that must be rerouted needs another route for every supply on it."""
    if not sc.strategy.reroute:
        return
    closures = [
        (d.source, d.target, d.effect.reroute)
        for d in sc.disruptions.scripted
        if d.kind is DisruptionKind.ROUTE_SUSPENSION
    ]
    closures += [
        (r.key, t, r.effect.reroute)
        for r in sc.disruptions.random
        if r.kind is DisruptionKind.ROUTE_SUSPENSION
        for t in r.targets
    ]
    for source, target, must in closures:
        if not must:
            continue
        closed = (
            {ln.id for ln in sc.network.lanes if f"via:{ln.via}" == target}
            if target.startswith("via:")
            else {target}
        )
        for s in plan.supply:
            hit = [i for i, lane in enumerate(s.route.lanes) if lane in closed]
            if not hit:
                continue
            if (
                shortest_route(
                    g,
                    s.route.nodes[hit[0]],
                    s.warehouse,
                    sc.strategy.replenishment_modes,
                    closed_lanes=closed,
                )
                is None
            ):
                raise ConfigError(
                    f"{source}.target",
                    target,
                    f"a lane with another route to {s.warehouse} when closed (or on_closure: wait)",
                )


def check_whole_baskets(sc: Scenario, plan: Plan) -> None:
    """With ``strategy.basket=whole``, a basket ships from the pool serving its heaviest SKU
    class: that pool (or the pool feeding it) must be replenished with every lighter class a
    basket may bring it, else a ConfigError."""
    if sc.strategy.basket is not BasketRule.WHOLE:
        return
    d = sc.demand
    rank = dict(zip(d.classes, d.class_rank.tolist()))
    supplied = {(s.pool_id, s.size_class) for s in plan.supply}
    feeds = {f.pool: f.source for f in plan.feeds}
    for o in plan.outlets:
        if not o.size_class:
            continue
        others = {
            p.size_class
            for p in plan.outlets
            if p.market == o.market and p.channel == o.channel and p.pool != o.pool
        }
        for c in sorted(others):
            if rank[c] > rank[o.size_class]:
                continue
            source = feeds.get(o.pool, o.pool)
            if (source, c) not in supplied:
                raise ConfigError(
                    "strategy.basket",
                    "whole",
                    f"split: pool {o.pool} ships baskets whose heaviest class is "
                    f"{o.size_class} but cannot stock {c} (no supply of it)",
                )
