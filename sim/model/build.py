"""Assemble the runtime model from a scenario and plan, run it, and freeze what it recorded.

The model owns its environment, its handler backend and its random streams; nothing global.
Conservation is checked at the end of every run: per SKU,
``produced (initial stock + factory output) = on hand + in transit + delivered + lost +
returning + written off`` (in transit: towards a pool or a customer).
"""

from __future__ import annotations

import math
from dataclasses import replace
from types import ModuleType

import numpy as np
import simpy

from ..config.disruption import Disruption
from ..config.spec import PolicyParams, Scenario
from ..config.targets import affected
from ..core.distributions import Exponential, Uniform
from ..core.enums import (
    Cause,
    CostComponent,
    DisruptionKind,
    Mode,
    NodeKind,
    PolicyKind,
    ReturnDisposal,
    Tier,
    Unmet,
)
from ..core.errors import ConservationError
from ..core.rng import Streams
from ..plan import Plan
from ..plan.graph import build_graph, shortest_route
from . import demand as demand_mod
from .cycle import Days, serve_backorders
from .dock import Dock, arrive_at_dock, daily_allowance
from .effects import Downtime, disruption
from .nodes import Factory, Gateway, Lane, Legs, Market, Outlet, Supply, Warehouse
from .recorder import Recorder, RunRecord
from .windows import realize

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

    def __init__(self, sc: Scenario, plan: Plan, replication: int, h: ModuleType,
                 disrupted: bool = True) -> None:
        self.h = h
        self.sc = sc
        self.env = simpy.Environment()
        streams = Streams(sc.seed, replication)
        ex = sc.experiment
        self.windows: list[Disruption] = (
            realize(sc.disruptions, lambda i: streams.get("disruption", i), ex.end)
            if disrupted else [])
        self.graph = build_graph(sc.network)
        self._routes: dict[tuple, Legs | None] = {}
        self.downtime: dict[str, Downtime] = {}
        self.warmup = float(ex.warmup_days)
        self.end = ex.end
        self.n_days = ex.warmup_days + ex.horizon_days
        d = sc.demand
        n_sku = len(d.skus)
        net = sc.network
        node_index = {n.id: i for i, n in enumerate(net.nodes)}
        lane_index = {ln.id: i for i, ln in enumerate(net.lanes)}

        # Lanes and gateways exist once, shared by every route through them.
        self.lanes: dict[str, Lane] = {}
        for ln in net.lanes:
            i = lane_index[ln.id]
            self.lanes[ln.id] = Lane(index=i, spec=ln,
                                     transit=h.Sampler(ln.transit, streams.lazy("transit", i)),
                                     loss_u=h.Sampler(_UNIT, streams.lazy("loss", i)),
                                     sailings=h.Sailings(ln.sailings_per_week > 0,
                                                         ln.first_sailing, ln.headway,
                                                         ln.capacity))
        self.gateways: list[Gateway] = []
        gate_by_id: dict[str, Gateway] = {}
        for n in net.nodes:
            if n.kind not in (NodeKind.PORT, NodeKind.CUSTOMS):
                continue
            i = node_index[n.id]
            res = h.Slots(self.env, n.capacity)
            g = Gateway(index=len(self.gateways), node=i, spec=n, resource=res,
                        service=h.Sampler(n.service_time, streams.lazy("service", i)))
            if n.kind is NodeKind.CUSTOMS:
                g.inspect_u = h.Sampler(_UNIT, streams.lazy("inspection", i))
                g.hold = h.Sampler(n.inspection_time, streams.lazy("inspection", 10_000 + i))
            self.gateways.append(g)
            gate_by_id[n.id] = g
        factories = {
            n.id: Factory(node=node_index[n.id], spec=n,
                          line=h.Slots(self.env, 1),
                          setup=h.Sampler(n.service_time,
                                          streams.lazy("production", node_index[n.id])))
            for n in net.of_kind(NodeKind.FACTORY)
        }
        self.factories = factories
        self.gate_by_id = gate_by_id
        self.gate_slots = [g.resource for g in self.gateways]  # in the queue table's order
        # Where a ship can divert to: ports that some sea lane reaches (not airports).
        self.seaports = {ln.dst for ln in net.lanes if ln.mode is Mode.SEA}

        # Demand per market, drawn whole from the market's own stream, then split into the
        # outlets serving it (channels, SKU classes) and scaled by their delivery speed.
        doy = demand_mod.day_of_year(ex.start_day_of_year, ex.warmup_days, self.n_days)
        self.doy = doy
        st = sc.strategy
        self.markets: list[Market] = []
        market_demand: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
        for mi, mid in enumerate(plan.markets):
            spec = net.node_by_id[mid]
            means = demand_mod.Means(d, spec.demand_scale, doy)
            dem = demand_mod.draw(d, means, streams.get("demand", node_index[mid]), h)
            for k, w in enumerate(self.windows):
                if w.kind is DisruptionKind.DEMAND_SURGE and w.target == mid:
                    dem = demand_mod.surge(d, dem, means.mean, w.start, w.end, w.effect.multiplier,
                                           streams.get("surge", node_index[mid] * 1000 + k))
            self.markets.append(Market(mi, node_index[mid], spec))
            # Mean demand is kept only where delivery speed rescales it (memory: a days x SKUs
            # matrix per market).
            market_demand[mid] = demand_mod.channels(
                dem, means.mean if d.speed_uplift_per_day > 0 else None, st.channels,
                streams.get("channel", node_index[mid]) if st.channels else None)
        market_by_id = {mk.spec.id: mk for mk in self.markets}

        # Stock pools, in the plan's order; several may share a node (and its record row).
        backorder = sc.policy.unmet is Unmet.BACKORDER
        self.stock_nodes = plan.warehouses
        wh_index = {wid: i for i, wid in enumerate(plan.warehouses)}
        pools = plan.pools
        pool_rate = {p.id: np.zeros(n_sku) for p in pools}
        outlet_demand: list[np.ndarray] = []
        for k, o in enumerate(plan.outlets):
            mspec = net.node_by_id[o.market]
            dem, mean = market_demand[o.market][o.channel]
            mask = d.class_mask(o.size_class) if o.size_class else np.ones(n_sku, dtype=bool)
            if o.size_class:
                dem = np.where(mask, dem, 0)
                mean = None if mean is None else np.where(mask, mean, 0.0)
            mult = d.speed_multiplier(o.route.expected_days)
            if d.speed_uplift_per_day > 0 and mult != 1.0:
                dem = demand_mod.rescale(dem, mean, mult,
                                         streams.get("speed", node_index[o.market] * 1000 + k))
            outlet_demand.append(dem)
            share = dict(st.channels).get(o.channel, 1.0) if o.channel else 1.0
            rate = mspec.demand_scale * d.base_rate * mask * share * mult
            pool_rate[o.pool] = pool_rate[o.pool] + rate
        for fd in plan.feeds:
            pool_rate[fd.source] = pool_rate[fd.source] + pool_rate[fd.pool]

        self.warehouses: list[Warehouse] = []
        by_pool: dict[str, Warehouse] = {}
        docks: dict[str, Dock] = {}
        peak = _in_window(doy, st.peak_start_doy, st.peak_end_doy)
        prestock = _in_window(doy, st.prestock_start_doy, st.peak_end_doy)
        for p in pools:
            spec = net.node_by_id[p.node]
            rate = pool_rate[p.id]
            params = sc.policy.for_node(p.node)
            tier_days = st.tier_target(p.tier)
            if (tier_days is not None and params.kind is PolicyKind.BASE_STOCK
                    and p.node not in dict(sc.policy.nodes)):
                params = replace(params, target_days=tier_days)
            low, high, qty = _levels(params, rate)
            wh = Warehouse(wh_index[p.node], node_index[p.node], spec, h.Stock(high.copy(),
                                                                                backorder),
                           _POLICY_CODE[params.kind], low, high, qty, params.review_days,
                           h.Level(), rate, expediting=np.zeros(n_sku, dtype=np.int64),
                           pool=p.id, tier=p.tier.value)
            if p.tier is Tier.FC and st.fc_capacity_days > 0:
                cap = np.floor(np.round(st.fc_capacity_days * rate, 9)).astype(np.int64)
                peak_cap = np.floor(np.round(
                    st.fc_capacity_days * st.peak_capacity_factor * rate, 9)).astype(np.int64)
                wh.cap, wh.peak_cap, wh.peak_days = cap, peak_cap, peak
                wh.stock = h.Stock(np.minimum(high, wh.cap_on(0)), backorder)
            elif p.tier is Tier.RESERVOIR and st.prestock_days > 0:
                extra = np.ceil(np.round(st.prestock_days * rate, 9)).astype(np.int64)
                wh.alt_high, wh.alt_days = high + extra, prestock
            for group, target in ((plan.supply, wh.supplies), (plan.expedite, wh.expedite),
                                  (plan.secondary, wh.secondary)):
                for s in group:
                    if s.pool_id == p.id:
                        target.append(Supply(s.size_class, d.class_mask(s.size_class),
                                             factories[s.factory], self.legs(s.route.lanes)))
            if spec.capacity > 0:  # one receiving dock per node, shared by its pools
                wh.dock = docks.setdefault(p.node, Dock(node_index[p.node], spec.capacity))
            self.warehouses.append(wh)
            by_pool[p.id] = wh
        for fd in plan.feeds:
            by_pool[fd.pool].feed = (by_pool[fd.source], self.legs(fd.route.lanes))
        for a, b, route in plan.transfers:
            by_pool[b].transfers_in.append((by_pool[a], self.legs(route.lanes)))

        self.outlets: list[Outlet] = []
        ret = d.returns
        self.returns_delay = h.Sampler(ret.delay, streams.lazy("returns", 0)) if ret.share else None
        self._returns_rng = ([streams.get("returns", 1 + k) for k in range(len(plan.outlets))]
                             if ret.share else [])
        for k, o in enumerate(plan.outlets):
            legs = self.legs(o.route.lanes)
            single = legs[0][0] if len(legs) == 1 and legs[0][1] is None else None
            out = Outlet(k, market_by_id[o.market], by_pool[o.pool], legs, outlet_demand[k],
                         o.local, sum(self.lanes[lid].spec.cost_per_kg for lid in o.route.lanes),
                         single)
            self.outlets.append(out)
            by_pool[o.pool].outlets.append(out)

        self.initial = sum((w.stock.on_hand.copy() for w in self.warehouses),
                           np.zeros(n_sku, dtype=np.int64))
        self.produced = self.initial.copy()
        self.pipeline = np.zeros(n_sku, dtype=np.int64)
        self.ledger = h.Ledger(d.weight, d.value, d.price, self.warmup, self.end)
        self.lost = np.zeros(n_sku, dtype=np.int64)
        self.lost_sales = np.zeros(n_sku, dtype=np.int64)
        self.returning = np.zeros(n_sku, dtype=np.int64)  # on their way back from customers
        self.written_off = np.zeros(n_sku, dtype=np.int64)  # returns not restocked
        self.returned_units = 0
        self.written_off_units = 0
        self.backordered = np.zeros(n_sku, dtype=np.int64)
        self.in_transit = h.Level()
        self._area0: list[np.ndarray] | None = None
        self._transit_area0 = 0.0
        self.rec = Recorder(h, self.n_days, len(self.markets), len(plan.warehouses),
                            len(self.gateways))
        for out in self.outlets:
            lane = out.last_mile  # None: a route of several legs, sent as a shipment
            transit, cpk, cps, li = ((None, 0.0, 0.0, 0) if lane is None else
                                     (lane.transit, lane.spec.cost_per_kg,
                                      lane.spec.cost_per_shipment, lane.index))
            out.dispatch = h.Dispatch(out.index, out.market.index, out.demand, transit, cpk,
                                      cps, li, out.market.spec.promise_days)
        for wh in self.warehouses:
            wh.cycle = h.Pool(wh.stock, [out.dispatch for out in wh.outlets], self.ledger,
                              self.rec, self.backordered, self.lost_sales, wh.inbound, wh.index,
                              wh.node, wh.spec.handling_cost, self.returns_delay is not None,
                              int(CostComponent.TRANSPORT), int(CostComponent.HANDLING))
        self.freight = h.Freight(self)  # the shipments (sim.model.flows)

        env = self.env
        for w in self.windows:
            targets = self._targets(w)
            if targets:
                env.process(disruption(env, self, w, targets))
        Days(env, self)
        for dock in docks.values():
            env.process(daily_allowance(env, self, dock))
        env.process(self._warmup_mark())
        for g in self.gateways:
            util = g.spec.background_utilisation
            if util > 0:
                mean_service = g.spec.service_time.mean
                rate = util * g.spec.capacity / mean_service
                h.ShipCalls(env, g, self.rec.waits, int(Cause.BERTH_QUEUE),
                            h.Sampler(Exponential(1.0 / rate), streams.lazy("background", g.node)),
                            h.Sampler(g.spec.service_time,
                                      streams.lazy("background", 10_000 + g.node)))

    def legs(self, lanes: tuple[str, ...] | list[str]) -> Legs:
        """Runtime legs of a path given by lane ids."""
        return tuple((self.lanes[lid], self.gate_by_id.get(self.lanes[lid].spec.dst))
                     for lid in lanes)

    def _targets(self, w: Disruption) -> list:
        """The runtime objects ``w`` acts on (lanes in config order); demand surges act on the
        demand drawn at build time and have none."""
        k = w.kind
        if k in (DisruptionKind.PORT_STRIKE, DisruptionKind.PORT_CONGESTION,
                 DisruptionKind.CUSTOMS_HOLD):
            return [self.gate_by_id[w.target]]
        if k is DisruptionKind.FACTORY_OUTAGE:
            return [self.factories[w.target]]
        _, lanes = affected(self.sc.network, k, w.target)
        return [ln for ln in self.lanes.values() if ln.spec.id in lanes]

    # -- what a strategy can observe, and the routes it can take -----------------------------
    def _closed(self) -> tuple[frozenset, frozenset]:
        nodes = frozenset(g.spec.id for g in self.gateways if g.active and g.closed())
        lanes = frozenset(ln.spec.id for ln in self.lanes.values() if ln.active and ln.closed())
        return nodes, lanes

    def reroute(self, here: str, wh: Warehouse) -> Legs | None:
        """The fastest open route from ``here`` to ``wh``, or None."""
        nodes, lanes = self._closed()
        key = (here, wh.spec.id, nodes, lanes)
        if key not in self._routes:
            found = shortest_route(self.graph, here, wh.spec.id,
                                   self.sc.strategy.replenishment_modes, nodes, lanes)
            self._routes[key] = None if found is None else self.legs(found[1])
        return self._routes[key]

    def parallel_lane(self, lane: Lane) -> Lane | None:
        """The fastest open lane with the same ends and a mode the strategy uses, or None."""
        s = lane.spec
        best = None
        for other in self.lanes.values():
            o = other.spec
            if (other is lane or o.src != s.src or o.dst != s.dst or other.closed()
                    or o.mode not in self.sc.strategy.replenishment_modes):
                continue
            if best is None or o.transit.mean < best.spec.transit.mean:
                best = other
        return best

    def divert(self, gate: Gateway, wh: Warehouse) -> tuple[float, Gateway, Legs] | None:
        """For a ship arriving at closed port ``gate``: the nearest open port of the same region
        with a route on to ``wh``, the extra sailing days, and the legs from there."""
        best = None
        for g in self.gateways:
            s = g.spec
            if (g is gate or s.kind is not NodeKind.PORT or s.region != gate.spec.region
                    or g.closed() or s.id not in self.seaports):
                continue
            legs = self.reroute(s.id, wh)
            if legs is None:
                continue
            km = great_circle_km(gate.spec.lat, gate.spec.lon, s.lat, s.lon)
            if best is None or km < best[0]:
                best = (km, g, legs)
        if best is None:
            return None
        return best[0] / SEA_KM_PER_DAY, best[1], best[2]

    # -- state changes the shipments and the daily cycle call ------------------------------
    def send_towards(self, wh: Warehouse, qty: np.ndarray) -> None:
        """``qty`` leaves for ``wh``: in the pipeline, in transit and inbound there."""
        now = self.env.now
        units = self.h.add(self.pipeline, qty)
        self.in_transit.change(now, units)
        wh.inbound.change(now, units)

    def _off_the_way(self, wh: Warehouse, qty: np.ndarray, expedite: bool) -> None:
        """``qty`` bound for ``wh`` is no longer on its way (received or lost)."""
        now = self.env.now
        if expedite:
            wh.expediting -= qty
        units = self.h.sub(self.pipeline, qty)
        self.in_transit.change(now, -units)
        wh.inbound.change(now, -units)

    def receive(self, wh: Warehouse, qty: np.ndarray, expedite: bool = False) -> None:
        """A shipment reached ``wh``: put away, then serve backorders."""
        now = self.env.now
        self._off_the_way(wh, qty, expedite)
        served = wh.stock.receive(now, qty)
        if served:
            serve_backorders(self.env, self, wh, served)

    def arrive(self, wh: Warehouse, qty: np.ndarray, expedite: bool = False) -> None:
        """A shipment reached ``wh``: through its dock when it has a put-away limit."""
        if wh.dock is not None:
            arrive_at_dock(self, wh, qty, expedite)
        else:
            self.receive(wh, qty, expedite)

    def lose(self, wh: Warehouse, qty: np.ndarray, expedite: bool = False) -> None:
        """A shipment to ``wh`` was lost on its lane."""
        self._off_the_way(wh, qty, expedite)
        self.lost += qty
        if self.env.now >= self.warmup:
            self.ledger.cost_goods += self.ledger.worth(qty)
        wh.stock.cancel_order(qty)

    @property
    def delivered(self) -> np.ndarray:
        """Units delivered to customers and kept so far, per SKU."""
        return self.ledger.delivered

    @property
    def last_mile(self) -> np.ndarray:
        """Units on their way to customers, per SKU."""
        return self.ledger.last_mile

    def returns_after(self, out: Outlet, qty: np.ndarray, t_arrive: float) -> None:
        """A delivery reaching its market at ``t_arrive``: a share of it comes back (customer
        returns), arriving where the returns go after the returns delay."""
        if t_arrive >= self.end:  # still on its way when the run ends
            return
        back = self._returns_rng[out.index].binomial(qty, self.sc.demand.returns.share)
        if not back.any():
            return
        back = back.astype(np.int64)
        self.ledger.take_back(back, t_arrive)
        self.returning += back
        if t_arrive >= self.warmup:
            self.returned_units += int(back.sum())
        ret = self.sc.demand.returns
        delay = self.returns_delay.next()
        kg = self.ledger.kg(back)
        restock = out.local or ret.overseas is ReturnDisposal.SHIP_BACK
        if out.local:
            freight = out.last_mile.spec.cost_per_kg * kg if out.last_mile is not None else 0.0
        elif restock:
            freight = out.route_cost_per_kg * kg
            delay += sum(lane.spec.transit.mean for lane, _ in out.legs)
        else:
            freight = 0.0
        cost = freight + ret.handling_cost * int(back.sum())
        ev = self.env.timeout(t_arrive + delay - self.env.now)
        ev.callbacks.append(lambda _ev: self._returned(out, back, restock, cost))

    def _returned(self, out: Outlet, qty: np.ndarray, restock: bool, cost: float) -> None:
        """Returned units arrive: back on the serving pool's shelf, or written off."""
        now = self.env.now
        self.returning -= qty
        self.rec.costs.add(now, CostComponent.RETURNS, cost, out.pool.node, 0)
        if not restock:
            self.written_off += qty
            if now >= self.warmup:
                self.written_off_units += int(qty.sum())
            return
        if now >= self.warmup:
            self.ledger.cost_goods -= self.ledger.worth(qty)
        wh = out.pool
        wh.stock.expect(qty)
        served = wh.stock.receive(now, qty)
        if served:
            serve_backorders(self.env, self, wh, served)

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
        self.h.run(env, self.end)
        for wh in self.warehouses:
            wh.stock.advance(self.end)
        self.in_transit.advance(self.end)
        for dt in self.downtime.values():
            dt.close(self.end)
        self.check_conservation()
        area0 = self._area0 or [np.zeros_like(wh.stock.area) for wh in self.warehouses]
        area = np.zeros((len(self.stock_nodes), len(self.sc.demand.skus)))
        for wh, a0 in zip(self.warehouses, area0):
            area[wh.index] += wh.stock.area - a0
        r = self.rec
        record = RunRecord(
            warmup=self.warmup, end=self.end,
            waits=r.waits.array(), costs=r.costs.array(), deliveries=r.deliveries.array(),
            demand=r.demand, shipped=r.shipped, lines=r.lines, full_lines=r.full_lines,
            otif_lines=r.otif_lines, short_skus=r.short_skus, on_hand=r.on_hand,
            backlog=r.backlog, inbound=r.inbound, queue=r.queue,
            on_hand_area=area,
            in_transit_area=self.in_transit.area - self._transit_area0,
            lost_sales=self.lost_sales.copy(), backordered=self.backordered.copy(),
            backlog_end=int(sum(int(wh.stock.backlog.sum()) for wh in self.warehouses)),
            revenue=self.ledger.revenue, cost_goods=self.ledger.cost_goods,
            returned_units=self.returned_units, written_off_units=self.written_off_units,
            events=_events(env),
            warehouse_ids=self.stock_nodes,
            market_ids=tuple(mk.spec.id for mk in self.markets),
            gateway_ids=tuple(g.spec.id for g in self.gateways),
            disruptions=tuple(self.windows),
            downtime=tuple((k, v.days) for k, v in self.downtime.items()),
        )
        self._release()
        return record

    def _release(self) -> None:
        """Drop the demand matrices, a replication's largest arrays, once the run is frozen:
        the model's objects form reference cycles (processes, callbacks) that wait for the
        garbage collector, but these arrays go at once."""
        for out in self.outlets:
            out.demand, out.dispatch = None, None  # type: ignore[assignment]
        for wh in self.warehouses:
            wh.cycle = None

    def check_conservation(self) -> None:
        """Per SKU: produced = on hand + in transit (to warehouses and customers) + delivered +
        lost + coming back from customers + written off, else raise."""
        on_hand = sum((wh.stock.on_hand for wh in self.warehouses),
                      np.zeros_like(self.produced))
        rhs = (on_hand + self.pipeline + self.last_mile + self.delivered + self.lost
               + self.returning + self.written_off)
        if not np.array_equal(self.produced, rhs) or (self.pipeline < 0).any():
            bad = int(np.flatnonzero(self.produced != rhs)[0]) if not np.array_equal(
                self.produced, rhs) else -1
            raise ConservationError(
                f"units not conserved (SKU index {bad}): produced {self.produced.tolist()} != "
                f"on hand + in transit + delivered + lost + returning + written off "
                f"{rhs.tolist()}")


def _events(env: simpy.Environment) -> int:
    """Events scheduled so far (SimPy's event id counter)."""
    return next(env._eid)  # noqa: SLF001 - the only count SimPy keeps


def build_model(sc: Scenario, plan: Plan, replication: int, h: ModuleType,
                disrupted: bool = True) -> Model:
    """Build the model of one replication with handler backend ``h``; ``disrupted=False``
    gives the same replication without its disruptions (the same random streams)."""
    return Model(sc, plan, replication, h, disrupted)


SEA_KM_PER_DAY = 800.0  # about 18 knots


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


__all__ = ["Model", "build_model"]


def _in_window(doy: np.ndarray, start: int, end: int) -> np.ndarray:
    """Days whose day of year lies in [start, end], wrapping over the new year."""
    if start <= end:
        return (doy >= start) & (doy <= end)
    return (doy >= start) | (doy <= end)
