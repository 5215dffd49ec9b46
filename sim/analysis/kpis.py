"""Key performance indicators: the one place their formulas are defined.

Every KPI is a pure function of a :class:`~sim.recorder.RunRecord` over the measured window
``[warmup, end)`` (warm-up excluded). ``H`` is the horizon in days. Units in :data:`UNITS`.

- ``fill_rate`` = units shipped from stock on the day ordered / units demanded.
- ``line_fill_rate`` = order lines (market, day, SKU with demand) shipped complete on the day
  ordered / order lines.
- ``otif`` = order lines shipped complete on the day ordered *and* delivered within the
  market's promise (``promise_days``) / order lines.
- With demand as customer orders (``demand.orders``; NaN otherwise), over orders placed in the
  window: ``order_fill_rate`` = orders whose every line shipped from stock on the day ordered /
  orders; ``perfect_order_rate`` = those orders whose every parcel also arrived within the
  promise / orders; ``parcels_per_order`` = parcels / orders (one per pool shipping part of the
  order that day, one more per part put on backorder); ``split_shipments_per_order`` = parcels
  beyond each order's first / orders.
- ``lead_time_mean``, ``lead_time_p50``, ``lead_time_p95``: days from order to delivery at the
  customer, weighted by units, over units ordered in the window and shipped by its end
  (backorders included; units still on backorder at the end are not counted).
- ``backorder_units``: units of demand that waited on backorder; ``backlog_end``: units still on
  backorder at the end; ``lost_sales``: units of demand lost (``policy.unmet=lost_sales``).
- ``stockout_days``: SKU-location-days on which some demand could not be served from stock.
- The costs, USD in the window, and their sum ``total_cost`` (:func:`cost_parts`):
  ``cost_transport`` (freight as shipments leave), ``cost_handling``, ``cost_customs``
  (fees and duty as entries clear), ``cost_expedite`` (freight of air-expedited orders),
  ``cost_returns`` (freight back, handling and disposal of customer returns),
  ``cost_diversion`` (a diverted or switched ship's extra days at its lane's rate per kg and
  day), ``cost_surcharge`` (surcharges of a freight-cost shock), ``cost_demurrage`` (kg-days
  waiting at a port or customs office, in its queue, stopped or held, x its ``holding_cost``:
  storage and demurrage); ``cost_holding`` = warehouse
  kg-days x the node's ``holding_cost`` (USD/kg/day, storage); ``cost_carrying`` =
  ``policy.capital_rate`` / 365 x USD-days of stock on hand at every pool and in the pipeline
  towards them (the capital tied up, at unit value); ``cost_backorder`` =
  ``policy.backorder_cost`` x price-days on backorder (daily snapshots);
  ``cost_lost_sales_penalty`` = lost units x unit value x ``policy.lost_sale_penalty``
  (goodwill; the margin lost shows in ``revenue``).
- ``revenue`` = price x units delivered to customers, less refunds of returned units;
  ``cost_goods`` = unit value x units delivered, written off or lost in transit (restocked
  returns credited back); ``margin`` = ``revenue`` - ``cost_goods`` - ``total_cost``.
- ``returned_units``: units customers sent back; ``written_off_units``: returns not restocked
  (a strategy without stock in the customer's country and ``returns.overseas: write_off``).
- ``avg_on_hand`` = time-weighted units on hand at warehouses; ``avg_in_transit`` =
  time-weighted units between factory and warehouse (production done, not yet received).
- ``inventory_turns`` = units shipped to customers per year / ``avg_on_hand``.
- ``demand_units``, ``shipped_units``: units demanded and shipped to customers in the window.
"""

from __future__ import annotations

import numpy as np

from ..config.spec import Scenario
from ..core.enums import CostComponent
from ..model.recorder import RunRecord

UNITS: dict[str, str] = {
    "fill_rate": "share of units",
    "line_fill_rate": "share of order lines",
    "otif": "share of order lines",
    "order_fill_rate": "share of orders",
    "perfect_order_rate": "share of orders",
    "parcels_per_order": "parcels per order",
    "split_shipments_per_order": "extra parcels per order",
    "lead_time_mean": "days",
    "lead_time_p50": "days",
    "lead_time_p95": "days",
    "backorder_units": "units",
    "backlog_end": "units",
    "lost_sales": "units",
    "stockout_days": "SKU-location-days",
    "cost_transport": "USD",
    "cost_handling": "USD",
    "cost_customs": "USD",
    "cost_holding": "USD",
    "cost_lost_sales_penalty": "USD",
    "cost_expedite": "USD",
    "cost_returns": "USD",
    "cost_carrying": "USD",
    "cost_backorder": "USD",
    "cost_diversion": "USD",
    "cost_surcharge": "USD",
    "cost_demurrage": "USD",
    "total_cost": "USD",
    "revenue": "USD",
    "cost_goods": "USD",
    "margin": "USD",
    "returned_units": "units",
    "written_off_units": "units",
    "avg_on_hand": "units",
    "avg_in_transit": "units",
    "inventory_turns": "per year",
    "demand_units": "units",
    "shipped_units": "units",
}

KPI_NAMES: tuple[str, ...] = tuple(UNITS)
# The KPIs of customer orders, NaN when demand is units per SKU.
ORDER_NAMES = (
    "order_fill_rate",
    "perfect_order_rate",
    "parcels_per_order",
    "split_shipments_per_order",
)

# The KPI column of each cost component.
COST_KPI: dict[CostComponent, str] = {
    CostComponent.TRANSPORT: "cost_transport",
    CostComponent.HANDLING: "cost_handling",
    CostComponent.CUSTOMS: "cost_customs",
    CostComponent.HOLDING: "cost_holding",
    CostComponent.LOST_SALES_PENALTY: "cost_lost_sales_penalty",
    CostComponent.EXPEDITE: "cost_expedite",
    CostComponent.RETURNS: "cost_returns",
    CostComponent.CARRYING: "cost_carrying",
    CostComponent.BACKORDER: "cost_backorder",
    CostComponent.DIVERSION: "cost_diversion",
    CostComponent.SURCHARGE: "cost_surcharge",
    CostComponent.DEMURRAGE: "cost_demurrage",
}

# Where more is better; for every other KPI less is better (costs, lead times, shortages).
HIGHER_IS_BETTER = frozenset(
    {
        "fill_rate",
        "line_fill_rate",
        "otif",
        "order_fill_rate",
        "perfect_order_rate",
        "inventory_turns",
        "shipped_units",
        "time_to_survive",
        "recovered",
        "revenue",
        "margin",
    }
)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value whose cumulative weight share reaches ``q`` (NaN if no weight)."""
    if values.size == 0 or weights.sum() <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    idx = int(np.searchsorted(cum, q * cum[-1], side="left"))
    return float(values[order][min(idx, values.size - 1)])


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


# Cost components the model logs as they happen; the others are computed from levels.
LOGGED = (
    CostComponent.TRANSPORT,
    CostComponent.HANDLING,
    CostComponent.CUSTOMS,
    CostComponent.EXPEDITE,
    CostComponent.RETURNS,
    CostComponent.DIVERSION,
    CostComponent.SURCHARGE,
    CostComponent.DEMURRAGE,
)


def cost_parts(r: RunRecord, sc: Scenario, full: bool = False) -> dict[CostComponent, float]:
    """USD by component over the measured window, or (``full``) from the warm-up to the stop
    (the window and the drain a disruption's comparison adds)."""
    t1, days = (r.stop, r.full) if full else (r.end, r.window)
    on_hand = r.on_hand_area_full if full else r.on_hand_area
    pipeline = r.pipeline_value_area_full if full else r.pipeline_value_area
    c = r.costs
    c = c[(c[:, 0] >= r.warmup) & (c[:, 0] < t1)]
    by = {comp: float(c[c[:, 1] == comp, 2].sum()) for comp in LOGGED}
    pol = sc.policy
    hold_rate = np.array([sc.network.node_by_id[w].holding_cost for w in r.warehouse_ids])
    by[CostComponent.HOLDING] = float(((on_hand @ sc.demand.weight) * hold_rate).sum())
    stock_value = float((on_hand @ sc.demand.value).sum())
    by[CostComponent.CARRYING] = pol.capital_rate / 365.0 * (stock_value + pipeline)
    by[CostComponent.BACKORDER] = (
        pol.backorder_cost * float(r.backlog_price[days].sum()) if r.backorder else 0.0
    )
    by[CostComponent.LOST_SALES_PENALTY] = (
        0.0 if r.backorder else pol.lost_sale_penalty * float(r.unmet_value[days].sum())
    )
    return by


def lost_margin(r: RunRecord, full: bool = False) -> float:
    """Price less unit value of the demand lost (none under backorders), in the window or to
    the stop (USD)."""
    if r.backorder:
        return 0.0
    days = r.full if full else r.window
    return float(r.unmet_price[days].sum() - r.unmet_value[days].sum())


def order_kpis(r: RunRecord) -> dict[str, float]:
    """The customer-order KPIs over orders placed in the window (NaN without orders)."""
    if r.orders is None:
        n, complete, perfect, parcels, split = 0, 0, 0, 0, 0
    else:
        n, complete, perfect, parcels, split = r.orders[r.window].sum(axis=(0, 1)).tolist()
    return {
        "order_fill_rate": _ratio(complete, n),
        "perfect_order_rate": _ratio(perfect, n),
        "parcels_per_order": _ratio(parcels, n),
        "split_shipments_per_order": _ratio(split, n),
    }


def compute(r: RunRecord, sc: Scenario) -> dict[str, float]:
    """All KPIs of one replication, over its measured window."""
    w0, end = r.warmup, r.end
    days = r.window
    horizon = end - w0
    demand = r.demand[days].sum()
    kpi: dict[str, float] = {
        "fill_rate": _ratio(r.shipped[days].sum(), demand),
        "line_fill_rate": _ratio(r.full_lines[days].sum(), r.lines[days].sum()),
        "otif": _ratio(r.otif_lines[days].sum(), r.lines[days].sum()),
    }
    kpi.update(order_kpis(r))
    dl = r.deliveries
    in_window = (dl[:, 0] >= w0) & (dl[:, 0] < end) & (dl[:, 1] < end)
    lead = dl[in_window, 2] - dl[in_window, 0]
    units = dl[in_window, 4]
    kpi["lead_time_mean"] = _ratio((lead * units).sum(), units.sum())
    kpi["lead_time_p50"] = weighted_quantile(lead, units, 0.50)
    kpi["lead_time_p95"] = weighted_quantile(lead, units, 0.95)
    unmet = float(r.unmet[days].sum())
    kpi["backorder_units"] = unmet if r.backorder else 0.0
    kpi["backlog_end"] = float(r.backlog_end)
    kpi["lost_sales"] = 0.0 if r.backorder else unmet
    kpi["stockout_days"] = float(r.short_skus[days].sum())

    by = cost_parts(r, sc)
    for comp in CostComponent:
        kpi[COST_KPI[comp]] = by[comp]
    kpi["total_cost"] = sum(by[comp] for comp in CostComponent)
    kpi["revenue"] = r.revenue
    kpi["cost_goods"] = r.cost_goods
    kpi["margin"] = r.revenue - r.cost_goods - kpi["total_cost"]
    kpi["returned_units"] = float(r.returned_units)
    kpi["written_off_units"] = float(r.written_off_units)

    kpi["avg_on_hand"] = float(r.on_hand_area.sum()) / horizon
    kpi["avg_in_transit"] = r.in_transit_area / horizon
    shipped_out = dl[(dl[:, 1] >= w0) & (dl[:, 1] < end), 4].sum()
    kpi["inventory_turns"] = _ratio(shipped_out * 365.0 / horizon, kpi["avg_on_hand"])
    kpi["demand_units"] = float(demand)
    kpi["shipped_units"] = float(shipped_out)
    return {name: kpi[name] for name in KPI_NAMES}
