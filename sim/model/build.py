"""Assemble the runtime model from a scenario and plan, run it, and freeze what it recorded.

The model owns its environment, its handler backend and its random streams; nothing global.
Conservation is checked at the end of every run: per SKU,
``produced (initial stock + factory output) = on hand + in transit + delivered + lost``.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import simpy

from ..distributions import Exponential, Uniform
from ..enums import NodeKind, PolicyKind, Unmet
from ..errors import ConservationError
from ..plan import Plan
from ..recorder import Recorder, RunRecord
from ..rng import Streams
from ..spec import PolicyParams, Scenario
from . import demand as demand_mod
from .cycle import daily_cycle, serve_backorders, snapshot
from .flows import background_ships
from .nodes import Factory, Gateway, Lane, Market, Supply, Warehouse

_POLICY_CODE = {PolicyKind.BASE_STOCK: 0, PolicyKind.S_S: 1, PolicyKind.R_Q: 2}
_UNIT = Uniform(0.0, 1.0)


def _levels(p: PolicyParams, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-SKU (low, high, qty) in units from days of mean demand ``rate`` (units/day)."""

    def units(days: float) -> np.ndarray:
        return np.ceil(np.round(days * rate, 9)).astype(np.int64)

    if p.kind is PolicyKind.BASE_STOCK:
        high = units(p.target_days)
        return np.zeros_like(high), high, np.ones_like(high)
    if p.kind is PolicyKind.S_S:
        return units(p.s_days), units(p.S_days), np.ones_like(rate, dtype=np.int64)
    q = np.maximum(units(p.Q_days), 1)
    return units(p.R_days), units(p.R_days) + q, q


class Model:
    """One replication's SimPy environment and runtime objects."""

    def __init__(self, sc: Scenario, plan: Plan, replication: int, h: ModuleType) -> None:
        self.h = h
        self.sc = sc
        self.env = simpy.Environment()
        streams = Streams(sc.seed, replication)
        ex = sc.experiment
        self.warmup = float(ex.warmup_days)
        self.end = ex.end
        self.n_days = ex.warmup_days + ex.horizon_days
        d = sc.demand
        n_sku = len(d.skus)
        self.weight = d.weight
        self.value = d.value
        net = sc.network
        node_index = {n.id: i for i, n in enumerate(net.nodes)}
        lane_index = {ln.id: i for i, ln in enumerate(net.lanes)}

        # Lanes and gateways exist once, shared by every route through them.
        self.lanes: dict[str, Lane] = {}
        for ln in net.lanes:
            i = lane_index[ln.id]
            self.lanes[ln.id] = Lane(i, ln, h.Sampler(ln.transit, streams.get("transit", i)),
                                     h.Sampler(_UNIT, streams.get("loss", i)))
        self.gateways: list[Gateway] = []
        gate_by_id: dict[str, Gateway] = {}
        for n in net.nodes:
            if n.kind not in (NodeKind.PORT, NodeKind.CUSTOMS):
                continue
            i = node_index[n.id]
            g = Gateway(len(self.gateways), i, n, simpy.Resource(self.env, n.capacity),
                        h.Sampler(n.service_time, streams.get("service", i)))
            if n.kind is NodeKind.CUSTOMS:
                g.inspect_u = h.Sampler(_UNIT, streams.get("inspection", i))
                g.hold = h.Sampler(n.inspection_time, streams.get("inspection", 10_000 + i))
            self.gateways.append(g)
            gate_by_id[n.id] = g
        factories = {
            n.id: Factory(node_index[n.id], n, simpy.Resource(self.env, 1),
                          h.Sampler(n.service_time, streams.get("production", node_index[n.id])))
            for n in net.of_kind(NodeKind.FACTORY)
        }

        # Demand per market, drawn whole from the market's own stream.
        doy = demand_mod.day_of_year(ex.start_day_of_year, ex.warmup_days, self.n_days)
        self.markets: list[Market] = []
        market_wh: dict[str, str] = {}
        for mi, (mid, wid, lane_id) in enumerate(plan.market_warehouse):
            spec = net.node_by_id[mid]
            mean = demand_mod.mean_matrix(d, spec.demand_scale, doy)
            dem = demand_mod.draw(d, mean, streams.get("demand", node_index[mid]))
            self.markets.append(Market(mi, node_index[mid], spec, dem, self.lanes[lane_id]))
            market_wh[mid] = wid

        backorder = sc.policy.unmet is Unmet.BACKORDER
        self.warehouses: list[Warehouse] = []
        for wi, wid in enumerate(plan.warehouses):
            spec = net.node_by_id[wid]
            served = [mk for mk in self.markets if market_wh[mk.spec.id] == wid]
            rate = sum((mk.spec.demand_scale for mk in served), 0.0) * d.base_rate
            p = sc.policy.for_node(wid)
            low, high, qty = _levels(p, rate)
            stock = h.Stock(high.copy(), backorder)
            wh = Warehouse(wi, node_index[wid], spec, stock, _POLICY_CODE[p.kind], low, high,
                           qty, p.review_days, h.Level(), markets=served)
            for s in plan.supply:
                if s.warehouse != wid:
                    continue
                legs = tuple(
                    (self.lanes[lid], gate_by_id.get(self.lanes[lid].spec.dst))
                    for lid in s.route.lanes
                )
                wh.supplies.append(Supply(d.class_mask(s.size_class), factories[s.factory], legs))
            self.warehouses.append(wh)

        self.initial = sum((w.stock.on_hand.copy() for w in self.warehouses),
                           np.zeros(n_sku, dtype=np.int64))
        self.produced = self.initial.copy()
        self.pipeline = np.zeros(n_sku, dtype=np.int64)
        self.last_mile = np.zeros(n_sku, dtype=np.int64)
        self.delivered = np.zeros(n_sku, dtype=np.int64)
        self.lost = np.zeros(n_sku, dtype=np.int64)
        self.lost_sales = np.zeros(n_sku, dtype=np.int64)
        self.backordered = np.zeros(n_sku, dtype=np.int64)
        self.in_transit = h.Level()
        self._area0: list[np.ndarray] | None = None
        self._transit_area0 = 0.0
        self.rec = Recorder(h, self.n_days, len(self.markets), len(self.warehouses),
                            len(self.gateways))

        env = self.env
        for wh in self.warehouses:
            env.process(daily_cycle(env, self, wh))
        env.process(snapshot(env, self))
        env.process(self._warmup_mark())
        for g in self.gateways:
            util = g.spec.background_utilisation
            if util > 0:
                mean_service = g.spec.service_time.mean
                rate = util * g.spec.capacity / mean_service
                env.process(background_ships(
                    env, self, g,
                    h.Sampler(Exponential(1.0 / rate), streams.get("background", g.node)),
                    h.Sampler(g.spec.service_time, streams.get("background", 10_000 + g.node))))

    # -- state changes the processes call -------------------------------------------------
    def receive(self, wh: Warehouse, qty: np.ndarray) -> None:
        """A shipment reached ``wh``: put away, then serve backorders."""
        units = int(qty.sum())
        now = self.env.now
        self.pipeline -= qty
        self.in_transit.change(now, -units)
        wh.inbound.change(now, -units)
        served = wh.stock.receive(now, qty)
        if served:
            serve_backorders(self.env, self, wh, served)

    def lose(self, wh: Warehouse, qty: np.ndarray) -> None:
        """A shipment to ``wh`` was lost on its lane."""
        units = int(qty.sum())
        now = self.env.now
        self.pipeline -= qty
        self.lost += qty
        self.in_transit.change(now, -units)
        wh.inbound.change(now, -units)
        wh.stock.cancel_order(qty)

    def delivered_now(self, qty: np.ndarray) -> None:
        """A last-mile delivery reached its market."""
        self.last_mile -= qty
        self.delivered += qty

    def _warmup_mark(self):
        yield self.env.timeout(self.warmup)
        now = self.env.now
        for wh in self.warehouses:
            wh.stock.advance(now)
        self.in_transit.advance(now)
        self._area0 = [wh.stock.area.copy() for wh in self.warehouses]
        self._transit_area0 = self.in_transit.area

    # -- running ----------------------------------------------------------------------------
    def run(self) -> RunRecord:
        """Run to the end of the horizon, check conservation, and freeze the records."""
        env = self.env
        env.run(until=self.end)
        for wh in self.warehouses:
            wh.stock.advance(self.end)
        self.in_transit.advance(self.end)
        self.check_conservation()
        area0 = self._area0 or [np.zeros_like(wh.stock.area) for wh in self.warehouses]
        r = self.rec
        return RunRecord(
            warmup=self.warmup, end=self.end,
            waits=r.waits.array(), costs=r.costs.array(), deliveries=r.deliveries.array(),
            demand=r.demand, shipped=r.shipped, lines=r.lines, full_lines=r.full_lines,
            otif_lines=r.otif_lines, short_skus=r.short_skus, on_hand=r.on_hand,
            backlog=r.backlog, inbound=r.inbound, queue=r.queue,
            on_hand_area=np.array([wh.stock.area - a0 for wh, a0 in zip(self.warehouses, area0)]),
            in_transit_area=self.in_transit.area - self._transit_area0,
            lost_sales=self.lost_sales.copy(), backordered=self.backordered.copy(),
            backlog_end=int(sum(int(wh.stock.backlog.sum()) for wh in self.warehouses)),
            events=_events(env),
            warehouse_ids=tuple(wh.spec.id for wh in self.warehouses),
            market_ids=tuple(mk.spec.id for mk in self.markets),
            gateway_ids=tuple(g.spec.id for g in self.gateways),
        )

    def check_conservation(self) -> None:
        """Per SKU: produced = on hand + in transit + delivered + lost, else raise."""
        on_hand = sum((wh.stock.on_hand for wh in self.warehouses),
                      np.zeros_like(self.produced))
        rhs = on_hand + self.pipeline + self.last_mile + self.delivered + self.lost
        if not np.array_equal(self.produced, rhs) or (self.pipeline < 0).any():
            bad = int(np.flatnonzero(self.produced != rhs)[0]) if not np.array_equal(
                self.produced, rhs) else -1
            raise ConservationError(
                f"units not conserved (SKU index {bad}): produced {self.produced.tolist()} != "
                f"on hand + in transit + delivered + lost {rhs.tolist()}")


def _events(env: simpy.Environment) -> int:
    """Events scheduled so far (SimPy's event id counter)."""
    return next(env._eid)  # noqa: SLF001 - the only count SimPy keeps


def build_model(sc: Scenario, plan: Plan, replication: int, h: ModuleType) -> Model:
    """Build the model of one replication with handler backend ``h``."""
    return Model(sc, plan, replication, h)


__all__ = ["Model", "build_model"]
