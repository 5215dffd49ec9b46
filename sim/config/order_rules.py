"""The rules of ``demand.orders``: demand as customer orders (baskets of lines)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.enums import BasketDist
from ..core.errors import ConfigError
from .checks import enum_value, num
from .spec import OrdersSpec

KEY = "demand.orders"


def orders_spec(c: Mapping[str, Any], history: bool, speed: float) -> OrdersSpec | None:
    """The orders model of ``demand.orders``, or None when not enabled; every key is checked
    either way. ``history``: demand comes from a sales history; ``speed``: the speed uplift."""
    enabled = c.get("enabled", False)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{KEY}.enabled", enabled, "true or false")
    basket = enum_value(f"{KEY}.basket", c.get("basket", "poisson"), BasketDist)
    mean = num(f"{KEY}.lines_mean", c.get("lines_mean", 1.0), 1.0, 1000.0)
    if basket is BasketDist.FIXED and mean != int(mean):
        raise ConfigError(f"{KEY}.lines_mean", mean, "a whole number of lines with basket fixed")
    affinity = num(f"{KEY}.affinity", c.get("affinity", 0.0), 0.0, 1.0)
    parcel_cost = num(f"{KEY}.parcel_cost", c.get("parcel_cost", 0.0), 0.0)
    if not enabled:
        return None
    if history:
        raise ConfigError(
            f"{KEY}.enabled",
            enabled,
            "false with demand.history.path (orders from a sales "
            "history are not modelled yet: the history gives units per SKU)",
        )
    if speed > 0:
        raise ConfigError(
            f"{KEY}.enabled",
            enabled,
            "false with demand.speed.uplift_per_day > 0 (a basket's "
            "lines may be served at different speeds)",
        )
    return OrdersSpec(basket, mean, affinity, parcel_cost)
