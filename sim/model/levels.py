"""A stock pool's levels in units, from its policy given in days of mean demand: the policy's
(low, high, order quantity), its opening stock, a fulfilment centre's storage limits in and out
of the peak, and a reservoir's pre-season order-up-to levels.

Days times rate is rounded to 9 decimals before rounding to whole units, so that a level meant
to be whole (say 10 days x 0.3/day) does not gain or lose a unit to floating-point error.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..config.spec import PolicyParams, Scenario
from ..core.enums import PolicyKind, Tier

POLICY_CODE = {PolicyKind.BASE_STOCK: 0, PolicyKind.S_S: 1, PolicyKind.R_Q: 2}  # Warehouse.kind


def cover_units(days: float, rate: np.ndarray) -> np.ndarray:
    """Units covering ``days`` of demand at ``rate`` (units/day), rounded up."""
    return np.ceil(np.round(days * rate, 9)).astype(np.int64)


def space_units(days: float, rate: np.ndarray) -> np.ndarray:
    """Units of space for ``days`` of demand at ``rate`` (units/day), rounded down."""
    return np.floor(np.round(days * rate, 9)).astype(np.int64)


def pool_policy(sc: Scenario, node: str, tier: Tier) -> PolicyParams:
    """The policy of a pool at ``node``: the node's own, else the strategy's base-stock target
    for ``tier`` over the default."""
    params = sc.policy.for_node(node)
    tier_days = sc.strategy.tier_target(tier)
    if (
        tier_days is not None
        and params.kind is PolicyKind.BASE_STOCK
        and node not in dict(sc.policy.nodes)
    ):
        params = replace(params, target_days=tier_days)
    return params


def policy_levels(p: PolicyParams, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-SKU (low, high, qty) in units from days of mean demand ``rate`` (units/day)."""
    if p.kind is PolicyKind.BASE_STOCK:
        high = cover_units(p.target_days, rate)
        return np.zeros_like(high), high, np.ones_like(high)
    if p.kind is PolicyKind.S_S:
        return (
            cover_units(p.s_days, rate),
            cover_units(p.S_days, rate),
            np.ones_like(rate, dtype=np.int64),
        )
    q = np.maximum(cover_units(p.Q_days, rate), 1)
    return cover_units(p.R_days, rate), cover_units(p.R_days, rate) + q, q


def opening_units(p: PolicyParams, rate: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Per-SKU opening stock in units: ``p.initial_days`` of mean demand ``rate`` (rounded up),
    or the order-up-to level ``high`` when the policy sets none."""
    if p.initial_days is None:
        return high.copy()
    return cover_units(p.initial_days, rate)


def in_window(doy: np.ndarray, start: int, end: int) -> np.ndarray:
    """Days whose day of year lies in [start, end], wrapping over the new year."""
    if start <= end:
        return (doy >= start) & (doy <= end)
    return (doy >= start) | (doy <= end)
