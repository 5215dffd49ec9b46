"""The runtime model of one replication: the state every shipment and the daily cycle change
(stock on its way, lost, delivered, coming back from customers), running it to the end of the
horizon, and freezing what it recorded.

The model owns its environment, its handler backend and its random streams; nothing global.
It is built by :func:`sim.model.build.build_model`. Conservation is checked at the end of every
run: per SKU, ``produced (initial stock + factory output) = on hand + in transit + delivered +
lost + returning + written off`` (in transit: towards a pool or a customer).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np
import simpy

from ..config.disruption import Disruption
from ..config.spec import Scenario
from ..core.enums import CostComponent, ReturnDisposal
from ..core.errors import ConservationError
from ..core.rng import Streams
from .cycle import serve_backorders
from .dock import arrive_at_dock
from .effects import Downtime
from .flows import Proc
from .nodes import Gateway, Lane, Legs, Market, Outlet, Warehouse
from .recorder import Recorder, RunRecord
from .routing import Router


class Model:
    """One replication's SimPy environment, runtime objects and the state they change.

    ``stock_nodes`` are the nodes holding stock, in the order of the recorder's per-node rows;
    ``warehouses`` are the stock pools kept there (several may share a node)."""

    def __init__(
        self,
        sc: Scenario,
        h: ModuleType,
        env: simpy.Environment,
        streams: Streams,
        windows: list[Disruption],
        router: Router,
        doy: np.ndarray,
        markets: list[Market],
        stock_nodes: tuple[str, ...],
        warehouses: list[Warehouse],
        outlets: list[Outlet],
    ) -> None:
        self.h = h
        self.sc = sc
        self.env = env
        self.windows = windows
        ex = sc.experiment
        self.warmup = float(ex.warmup_days)
        self.end = ex.end
        self.n_days = ex.warmup_days + ex.horizon_days
        self.doy = doy
        self.downtime: dict[str, Downtime] = {}

        self.router = router
        self.network = network = router.network
        self.lanes = network.lanes
        self.gateways = network.gateways
        self.gate_by_id = network.gate_by_id
        self.factories = network.factories
        self.gate_slots = [g.resource for g in self.gateways]  # in the queue table's order
        self.markets = markets
        self.stock_nodes = stock_nodes
        self.warehouses = warehouses
        self.outlets = outlets

        d = sc.demand
        n_sku = len(d.skus)
        ret = d.returns
        self.returns_delay: Any = (
            h.Sampler(ret.delay, streams.lazy("returns", 0)) if ret.share else None
        )
        self._returns_rng = (
            [streams.get("returns", 1 + k) for k in range(len(outlets))] if ret.share else []
        )
        self.initial = sum(
            (w.stock.on_hand.copy() for w in self.warehouses), np.zeros(n_sku, dtype=np.int64)
        )
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
        self.rec = Recorder(h, self.n_days, len(self.markets), len(stock_nodes), len(self.gateways))
        for out in self.outlets:
            lane = out.last_mile  # None: a route of several legs, sent as a shipment
            transit, cpk, cps, li = (
                (None, 0.0, 0.0, 0)
                if lane is None
                else (lane.transit, lane.spec.cost_per_kg, lane.spec.cost_per_shipment, lane.index)
            )
            out.dispatch = h.Dispatch(
                out.index,
                out.market.index,
                out.demand,
                transit,
                cpk,
                cps,
                li,
                out.market.spec.promise_days,
            )
        for wh in self.warehouses:
            wh.cycle = h.Pool(
                wh.stock,
                [out.dispatch for out in wh.outlets],
                self.ledger,
                self.rec,
                self.backordered,
                self.lost_sales,
                wh.inbound,
                wh.index,
                wh.node,
                wh.spec.handling_cost,
                self.returns_delay is not None,
                int(CostComponent.TRANSPORT),
                int(CostComponent.HANDLING),
            )
        self.freight = h.Freight(self)  # the shipments (sim.model.flows)

    # -- the routes a strategy can take (sim.model.routing) ----------------------------------
    def legs(self, lanes: tuple[str, ...] | list[str]) -> Legs:
        """Runtime legs of a path given by lane ids."""
        return self.network.legs(lanes)

    def reroute(self, here: str, wh: Warehouse) -> Legs | None:
        """The fastest open route from ``here`` to ``wh``, or None."""
        return self.router.reroute(here, wh)

    def parallel_lane(self, lane: Lane) -> Lane | None:
        """The fastest open lane with the same ends and a mode the strategy uses, or None."""
        return self.router.parallel_lane(lane)

    def divert(self, gate: Gateway, wh: Warehouse) -> tuple[float, Gateway, Legs] | None:
        """For a ship arriving at closed port ``gate``: the nearest open port to go on from to
        ``wh``, the extra sailing days, and the legs from there (or None)."""
        return self.router.divert(gate, wh)

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

    def warmup_mark(self) -> Proc:
        """Process: at the end of the warm-up, note the level areas so far (the measured
        period's areas are taken from there)."""
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
            warmup=self.warmup,
            end=self.end,
            waits=r.waits.array(),
            costs=r.costs.array(),
            deliveries=r.deliveries.array(),
            demand=r.demand,
            shipped=r.shipped,
            lines=r.lines,
            full_lines=r.full_lines,
            otif_lines=r.otif_lines,
            short_skus=r.short_skus,
            on_hand=r.on_hand,
            backlog=r.backlog,
            inbound=r.inbound,
            queue=r.queue,
            on_hand_area=area,
            in_transit_area=self.in_transit.area - self._transit_area0,
            lost_sales=self.lost_sales.copy(),
            backordered=self.backordered.copy(),
            backlog_end=int(sum(int(wh.stock.backlog.sum()) for wh in self.warehouses)),
            revenue=self.ledger.revenue,
            cost_goods=self.ledger.cost_goods,
            returned_units=self.returned_units,
            written_off_units=self.written_off_units,
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
        on_hand = sum((wh.stock.on_hand for wh in self.warehouses), np.zeros_like(self.produced))
        rhs = (
            on_hand
            + self.pipeline
            + self.last_mile
            + self.delivered
            + self.lost
            + self.returning
            + self.written_off
        )
        if not np.array_equal(self.produced, rhs) or (self.pipeline < 0).any():
            bad = (
                int(np.flatnonzero(self.produced != rhs)[0])
                if not np.array_equal(self.produced, rhs)
                else -1
            )
            raise ConservationError(
                f"units not conserved (SKU index {bad}): produced {self.produced.tolist()} != "
                f"on hand + in transit + delivered + lost + returning + written off "
                f"{rhs.tolist()}"
            )


def _events(env: simpy.Environment) -> int:
    """Events scheduled so far (SimPy's event id counter)."""
    return next(env._eid)  # noqa: SLF001 - the only count SimPy keeps
