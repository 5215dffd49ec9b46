"""The stock pools of the plan at runtime: a :class:`~sim.model.nodes.Warehouse` per pool,
with its stock handler (opening at the policy's ``initial_days``, else at its order-up-to level)
and policy levels, an FC's storage limits or a reservoir's pre-season levels, its supplies
(plants, expedites, second sources), its receiving dock, and the pool feeding it or lending to
it.

Several pools may share a node, and then its record row and its receiving dock.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from ..config.spec import Scenario
from ..core.enums import Tier, Unmet
from ..plan import Plan
from .dock import Dock
from .levels import (
    POLICY_CODE,
    cover_units,
    in_window,
    opening_units,
    policy_levels,
    pool_policy,
    space_units,
)
from .network import Network
from .nodes import Supply, Warehouse
from .planner import LeadTimes


def build_pools(
    sc: Scenario,
    plan: Plan,
    h: ModuleType,
    network: Network,
    pool_rate: dict[str, np.ndarray],
    doy: np.ndarray,
) -> tuple[list[Warehouse], dict[str, Warehouse], dict[str, Dock]]:
    """The plan's pools in its order, the same by pool id, and the docks by node id.

    ``pool_rate``: the mean demand per SKU and day each pool replenishes for; ``doy``: the day
    of year of each simulated day (for the peak and pre-season windows)."""
    d = sc.demand
    st = sc.strategy
    n_sku = len(d.skus)
    backorder = sc.policy.unmet is Unmet.BACKORDER
    wh_index = {wid: i for i, wid in enumerate(plan.warehouses)}
    node_index = network.node_index
    warehouses: list[Warehouse] = []
    by_pool: dict[str, Warehouse] = {}
    docks: dict[str, Dock] = {}
    peak = in_window(doy, st.peak_start_doy, st.peak_end_doy)
    prestock = in_window(doy, st.prestock_start_doy, st.peak_end_doy)
    for p in plan.pools:
        spec = sc.network.node_by_id[p.node]
        rate = pool_rate[p.id]
        params = pool_policy(sc, p.node, p.tier)
        low, high, qty = policy_levels(params, rate)
        opening = opening_units(params, rate, high)
        wh = Warehouse(
            wh_index[p.node],
            node_index[p.node],
            spec,
            h.Stock(opening, backorder),
            POLICY_CODE[params.kind],
            low,
            high,
            qty,
            params.review_days,
            h.Level(),
            rate,
            expediting=np.zeros(n_sku, dtype=np.int64),
            pool=p.id,
            uid=len(warehouses),
            tier=p.tier.value,
        )
        if p.tier is Tier.FC and st.fc_capacity_days > 0:
            wh.cap = space_units(st.fc_capacity_days, rate)
            wh.peak_cap = space_units(st.fc_capacity_days * st.peak_capacity_factor, rate)
            wh.peak_days = peak
            wh.stock = h.Stock(np.minimum(opening, wh.cap_on(0)), backorder)
        elif p.tier is Tier.RESERVOIR and st.prestock_days > 0:
            more = cover_units(st.prestock_days, rate)
            # Pre-season stock raises the order-up-to level and, for (s, S) and (R, Q), the
            # reorder point, so that an order goes out before the season, not after a stock-out.
            wh.alt_high, wh.alt_low, wh.alt_days = high + more, low + more, prestock
        if sc.policy.reacting:
            pol = sc.policy
            wh.planner = LeadTimes(rate, pol.reaction_delay_days, pol.lead_time_window_days)
        for g, (group, target) in enumerate(
            (
                (plan.supply, wh.supplies),
                (plan.expedite, wh.expedite),
                (plan.secondary, wh.secondary),
            )
        ):
            for s in group:
                if s.pool_id == p.id:
                    target.append(
                        Supply(
                            s.size_class,
                            d.class_mask(s.size_class),
                            network.factories[s.factory],
                            network.legs(s.route.lanes),
                            uid=3 * len(target) + g,
                        )
                    )
        if spec.capacity > 0:  # one receiving dock per node, shared by its pools
            wh.dock = docks.setdefault(p.node, Dock(node_index[p.node], spec.capacity))
        warehouses.append(wh)
        by_pool[p.id] = wh
    for fd in plan.feeds:
        by_pool[fd.pool].feed = (by_pool[fd.source], network.legs(fd.route.lanes))
    for a, b, route in plan.transfers:
        by_pool[b].transfers_in.append((by_pool[a], network.legs(route.lanes)))
    return warehouses, by_pool, docks
