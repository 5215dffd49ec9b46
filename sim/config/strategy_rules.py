"""Validate the ``strategy`` config against the network: its kind, modes, tiers, the nodes it
names (hub, reservoir, fulfilment centres), its seasons and its responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.enums import BasketRule, Mode, NodeKind, StrategyKind, Tier
from ..core.errors import ConfigError
from .checks import day_of_year, enum_value, num
from .spec import NetworkSpec, StrategySpec


def _modes(key: str, vals: Any, required: bool) -> frozenset[Mode]:
    vals = list(vals or [])
    if required and not vals:
        raise ConfigError(key, vals, "at least one lane mode")
    return frozenset(enum_value(f"{key}[{i}]", m, Mode) for i, m in enumerate(vals))


def _node_of(key: str, value: Any, network: NetworkSpec, kind: NodeKind) -> str:
    node = network.node_by_id.get(str(value))
    if node is None or node.kind is not kind:
        raise ConfigError(key, value, f"the id of a node of kind {kind.value}")
    return str(value)


def strategy_spec(c: Mapping[str, Any], network: NetworkSpec) -> StrategySpec:
    """Validate ``strategy`` (routes are checked by :mod:`sim.plan`)."""
    kind = enum_value("strategy.kind", c.get("kind"), StrategyKind)
    key = "strategy"
    warehouses = tuple(
        _node_of(f"{key}.warehouses[{i}]", w, network, NodeKind.WAREHOUSE)
        for i, w in enumerate(c.get("warehouses") or ())
    )
    fcs = tuple(
        _node_of(f"{key}.fcs[{i}]", w, network, NodeKind.FC)
        for i, w in enumerate(c.get("fcs") or ())
    )
    hub = str(c.get("hub") or "")
    if hub:
        _node_of(f"{key}.hub", hub, network, NodeKind.HUB)
    reservoir = str(c.get("reservoir") or "")
    if reservoir:
        _node_of(f"{key}.reservoir", reservoir, network, NodeKind.WAREHOUSE)
    channels = []
    for name, share in (c.get("channels") or {}).items():
        channels.append((str(name), num(f"{key}.channels.{name}", share, 0.0, 1.0, lo_open=True)))
    if channels and abs(sum(v for _, v in channels) - 1.0) > 1e-9:
        raise ConfigError(f"{key}.channels", dict(channels), "shares that sum to 1")
    if kind is StrategyKind.POOLED_MULTICHANNEL and len(channels) < 2:
        raise ConfigError(
            f"{key}.channels",
            dict(channels),
            "two or more sales channels with their shares of demand",
        )
    targets = []
    for tier, days in (c.get("target_days") or {}).items():
        t = enum_value(f"{key}.target_days.{tier}", tier, Tier)
        targets.append((t, num(f"{key}.target_days.{tier}", days, 0.0)))
    peak_start = day_of_year(f"{key}.peak_start_doy", c.get("peak_start_doy", 274))
    peak_end = day_of_year(f"{key}.peak_end_doy", c.get("peak_end_doy", 365))
    return StrategySpec(
        str(c.get("name")),
        kind,
        _modes(f"{key}.replenishment_modes", c.get("replenishment_modes"), True),
        _modes(f"{key}.last_mile_modes", c.get("last_mile_modes"), True),
        warehouses,
        reroute=bool(c.get("reroute", True)),
        expedite=bool(c.get("expedite", False)),
        expedite_cover_days=num(
            f"{key}.expedite_cover_days", c.get("expedite_cover_days", 10.0), 0.0
        ),
        expedite_modes=(
            _modes(f"{key}.expedite_modes", c.get("expedite_modes"), False)
            or frozenset({Mode.ROAD, Mode.AIR})
        ),
        transship=bool(c.get("transship", False)),
        transship_cover_days=num(
            f"{key}.transship_cover_days", c.get("transship_cover_days", 7.0), 0.0
        ),
        transship_modes=(
            _modes(f"{key}.transship_modes", c.get("transship_modes"), False)
            or frozenset({Mode.ROAD, Mode.RAIL})
        ),
        second_source_share=num(
            f"{key}.second_source_share", c.get("second_source_share", 0.0), 0.0, 1.0
        ),
        delivery_modes=_modes(
            f"{key}.delivery_modes", c.get("delivery_modes", ["road", "air", "parcel"]), True
        ),
        hub=hub,
        reservoir=reservoir,
        fcs=fcs,
        fc_modes=_modes(f"{key}.fc_modes", c.get("fc_modes", ["road", "rail"]), True),
        fc_capacity_days=num(f"{key}.fc_capacity_days", c.get("fc_capacity_days", 0.0), 0.0),
        peak_capacity_factor=num(
            f"{key}.peak_capacity_factor",
            c.get("peak_capacity_factor", 1.0),
            0.0,
            1.0,
            lo_open=True,
            what="a number in (0, 1]",
        ),
        basket=enum_value(f"{key}.basket", c.get("basket", "split"), BasketRule),
        peak_start_doy=peak_start,
        peak_end_doy=peak_end,
        prestock_days=num(f"{key}.prestock_days", c.get("prestock_days", 0.0), 0.0),
        prestock_start_doy=day_of_year(
            f"{key}.prestock_start_doy", c.get("prestock_start_doy", 213)
        ),
        forward_classes=tuple(str(x) for x in c.get("forward_classes") or ()),
        channels=tuple(channels),
        pooled=bool(c.get("pooled", True)),
        target_days=tuple(targets),
    )
