"""Records of a run in preallocated columns (the handlers' :class:`Log`) and daily arrays.

Logs (each row five float64 columns):

- ``waits``: start time, node index, :class:`~sim.enums.Cause`, duration (days), units
  (0 for other carriers' ships at a port);
- ``costs``: time, :class:`~sim.enums.CostComponent`, amount (USD), node or lane index, 0;
- ``deliveries``: order time, ship time, arrival time, market index, units.

Daily arrays have a row per simulated day, up to the run's stop (past the measured window's end
when a disruption is drained). The KPIs of the window read its rows and the values taken at its
end; the disruption's full cost reads everything up to the stop. The model freezes them into a
:class:`RunRecord`, the flat immutable value the KPI functions read.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np


@dataclass(frozen=True)
class RunRecord:
    """Everything a replication recorded; KPIs are pure functions of it."""

    warmup: float
    end: float  # the measured window is [warmup, end)
    stop: float  # when the run stopped (end, or later when a disruption is drained)
    waits: np.ndarray
    costs: np.ndarray
    deliveries: np.ndarray
    demand: np.ndarray  # (days, markets) units demanded
    shipped: np.ndarray  # (days, markets) units shipped from stock on the order day
    lines: np.ndarray  # (days, markets) order lines (market, day, SKU with demand)
    full_lines: np.ndarray  # (days, markets) lines shipped complete on the order day
    otif_lines: np.ndarray  # (days, markets) full lines delivered within the promise
    short_skus: np.ndarray  # (days, warehouses) SKUs with unmet demand
    on_hand: np.ndarray  # (days, warehouses) units on hand at the daily snapshot
    backlog: np.ndarray  # (days, warehouses) units on backorder
    inbound: np.ndarray  # (days, warehouses) units in transit towards the warehouse
    queue: np.ndarray  # (days, gateways) shipments waiting or in service at ports and customs
    unmet: np.ndarray  # (days, warehouses) units of demand not served from stock
    unmet_value: np.ndarray  # (days, warehouses) their unit value (USD)
    unmet_price: np.ndarray  # (days, warehouses) their price (USD)
    backlog_price: np.ndarray  # (days, warehouses) price of the units on backorder (USD)
    backorder: bool  # unmet demand waits on backorder (else it is lost)
    on_hand_area: np.ndarray  # (warehouses, SKUs) unit-days on hand in the window
    in_transit_area: float  # unit-days in transit (towards pools) in the window
    pipeline_value_area: float  # USD-days of goods in transit towards pools in the window
    on_hand_area_full: np.ndarray  # (warehouses, SKUs) unit-days on hand, warm-up to stop
    pipeline_value_area_full: float  # USD-days in transit towards pools, warm-up to stop
    backlog_end: int  # units on backorder at the window's end
    events: int  # SimPy events scheduled
    warehouse_ids: tuple[str, ...]  # column order of the warehouse arrays
    market_ids: tuple[str, ...]  # column order of the market arrays
    gateway_ids: tuple[str, ...]  # column order of ``queue``
    disruptions: tuple = ()  # the Disruption windows this run faced
    downtime: tuple[tuple[str, float], ...] = ()  # (target, days disrupted) per target
    revenue: float = 0.0  # USD paid for goods customers kept (after refunds), in the window
    cost_goods: float = 0.0  # USD of goods sold, written off or lost, in the window
    returned_units: int = 0  # units customers sent back, in the window
    written_off_units: int = 0  # returned units not restocked, in the window
    # (days, markets, orderbook.COLUMNS) customer orders and how they fared (None: demand as
    # units per SKU)
    orders: np.ndarray | None = None

    @property
    def window(self) -> slice:
        """The measured days' rows of the daily arrays."""
        return slice(int(self.warmup), int(self.end))

    @property
    def full(self) -> slice:
        """The rows from the warm-up to the stop (the window and any drain)."""
        return slice(int(self.warmup), int(self.stop))


class Recorder:
    """Mutable recording state of one replication (the model writes, nobody else)."""

    def __init__(
        self, h: ModuleType, n_days: int, n_markets: int, n_wh: int, n_gateways: int
    ) -> None:
        self.waits = h.Log(4096)
        self.costs = h.Log(4096)
        self.deliveries = h.Log(4096)
        shape_m = (n_days, n_markets)
        self.demand = np.zeros(shape_m, dtype=np.int64)
        self.shipped = np.zeros(shape_m, dtype=np.int64)
        self.lines = np.zeros(shape_m, dtype=np.int64)
        self.full_lines = np.zeros(shape_m, dtype=np.int64)
        self.otif_lines = np.zeros(shape_m, dtype=np.int64)
        shape_w = (n_days, n_wh)
        self.short_skus = np.zeros(shape_w, dtype=np.int64)
        self.on_hand = np.zeros(shape_w, dtype=np.int64)
        self.backlog = np.zeros(shape_w, dtype=np.int64)
        self.inbound = np.zeros(shape_w, dtype=np.int64)
        self.queue = np.zeros((n_days, n_gateways), dtype=np.int64)
        self.unmet = np.zeros(shape_w, dtype=np.int64)
        self.unmet_value = np.zeros(shape_w)
        self.unmet_price = np.zeros(shape_w)
        self.backlog_price = np.zeros(shape_w)
