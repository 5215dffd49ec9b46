"""Key performance indicators: the one place their formulas are defined.

Every KPI is a pure function of a :class:`~sim.recorder.RunRecord` over the measured window
``[warmup, end)`` (warm-up excluded). ``H`` is the horizon in days. Units in :data:`UNITS`.

- ``fill_rate`` = units shipped from stock on the day ordered / units demanded.
- ``line_fill_rate`` = order lines (market, day, SKU with demand) shipped complete on the day
  ordered / order lines.
- ``otif`` = order lines shipped complete on the day ordered *and* delivered within the
  market's promise (``promise_days``) / order lines.
- ``lead_time_mean``, ``lead_time_p50``, ``lead_time_p95``: days from order to delivery at the
  customer, weighted by units, over units ordered in the window and shipped by its end
  (backorders included; units still on backorder at the end are not counted).
- ``backorder_units``: units of demand that waited on backorder; ``backlog_end``: units still on
  backorder at the end; ``lost_sales``: units of demand lost (``policy.unmet=lost_sales``).
- ``stockout_days``: SKU-location-days on which some demand could not be served from stock.
- ``cost_transport``, ``cost_handling``, ``cost_customs``, ``cost_holding``,
  ``cost_lost_sales_penalty``, ``cost_expedite`` (freight of air-expedited orders),
  ``total_cost``: USD in the window. Holding is warehouse unit-days
  x weight x ``holding_cost`` (USD/kg/day); the penalty is lost units x unit value x
  ``policy.lost_sale_penalty``.
- ``cost_returns``: freight back, handling and disposal of customer returns (in
  ``total_cost``).
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

# Where more is better; for every other KPI less is better (costs, lead times, shortages).
HIGHER_IS_BETTER = frozenset(
    {
        "fill_rate",
        "line_fill_rate",
        "otif",
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


def compute(r: RunRecord, sc: Scenario) -> dict[str, float]:
    """All KPIs of one replication."""
    w0, end = r.warmup, r.end
    days = slice(int(w0), int(end))
    horizon = end - w0
    demand = r.demand[days].sum()
    kpi: dict[str, float] = {
        "fill_rate": _ratio(r.shipped[days].sum(), demand),
        "line_fill_rate": _ratio(r.full_lines[days].sum(), r.lines[days].sum()),
        "otif": _ratio(r.otif_lines[days].sum(), r.lines[days].sum()),
    }
    dl = r.deliveries
    in_window = (dl[:, 0] >= w0) & (dl[:, 0] < end)
    lead = dl[in_window, 2] - dl[in_window, 0]
    units = dl[in_window, 4]
    kpi["lead_time_mean"] = _ratio((lead * units).sum(), units.sum())
    kpi["lead_time_p50"] = weighted_quantile(lead, units, 0.50)
    kpi["lead_time_p95"] = weighted_quantile(lead, units, 0.95)
    kpi["backorder_units"] = float(r.backordered.sum())
    kpi["backlog_end"] = float(r.backlog_end)
    kpi["lost_sales"] = float(r.lost_sales.sum())
    kpi["stockout_days"] = float(r.short_skus[days].sum())

    c = r.costs
    c = c[c[:, 0] >= w0]
    by = {comp: float(c[c[:, 1] == comp, 2].sum()) for comp in CostComponent}
    hold_rate = np.array([sc.network.node_by_id[w].holding_cost for w in r.warehouse_ids])
    kg_days = r.on_hand_area @ sc.demand.weight
    by[CostComponent.HOLDING] = float((kg_days * hold_rate).sum())
    by[CostComponent.LOST_SALES_PENALTY] = float(
        (r.lost_sales * sc.demand.value).sum() * sc.policy.lost_sale_penalty
    )
    kpi["cost_transport"] = by[CostComponent.TRANSPORT]
    kpi["cost_handling"] = by[CostComponent.HANDLING]
    kpi["cost_customs"] = by[CostComponent.CUSTOMS]
    kpi["cost_holding"] = by[CostComponent.HOLDING]
    kpi["cost_lost_sales_penalty"] = by[CostComponent.LOST_SALES_PENALTY]
    kpi["cost_expedite"] = by[CostComponent.EXPEDITE]
    kpi["cost_returns"] = by[CostComponent.RETURNS]
    kpi["total_cost"] = sum(by.values())
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
    return kpi
