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

import numpy as np
import simpy

from ..config.disruption import Disruption
from ..config.spec import Scenario
from ..core.enums import CostComponent, Unmet
from ..core.errors import ConservationError
from ..core.rng import Streams
from .cycle import serve_backorders
from .dock import arrive_at_dock
from .effects import Downtime
from .flows import Proc
from .nodes import Gateway, Lane, Legs, Market, Outlet, Warehouse
from .orderbook import OrderBook
from .recorder import Recorder, RunRecord
from .returns import Returns
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
        drain_days: int = 0,
        book: OrderBook | None = None,
    ) -> None:
        self.h = h
        self.sc = sc
        self.env = env
        self.windows = windows
        ex = sc.experiment
        self.warmup = float(ex.warmup_days)
        self.end = ex.end  # the measured window is [warmup, end)
        # The run goes on ``drain_days`` past the window when a disruption is compared with its
        # undisrupted twin, so that what it pushed past the horizon is counted in both.
        self.stop = ex.end + drain_days
        self.n_days = ex.warmup_days + ex.horizon_days + drain_days
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
        self.book = book  # the customer orders (None: demand as units per SKU)

        d = sc.demand
        n_sku = len(d.skus)
        self.streams = streams
        self.initial = sum(
            (w.stock.on_hand.copy() for w in self.warehouses), np.zeros(n_sku, dtype=np.int64)
        )
        self.produced = self.initial.copy()
        self.pipeline = np.zeros(n_sku, dtype=np.int64)
        self.ledger = h.Ledger(d.weight, d.value, d.price, self.warmup, self.end, self.stop)
        self.lost = np.zeros(n_sku, dtype=np.int64)
        self.in_transit = h.Level()
        self.pipeline_value = 0.0  # value of the units in the pipeline (USD)
        self.pipeline_value_area = 0.0  # its integral over time (USD-days)
        self._pipeline_t = 0.0
        self._area0: list[np.ndarray] | None = None
        self._transit_area0 = 0.0
        self._value_area0 = 0.0
        self._window: dict | None = None  # what the window's KPIs read, taken at its end
        self.returns = Returns(self, n_sku)
        self.returns_delay = self.returns.delay  # None: no customer returns
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
                out.demand.start,
                out.demand.sku,
                out.demand.qty,
                transit,
                cpk,
                cps,
                li,
                out.market.spec.promise_days,
            )
        self.dispatches = [out.dispatch for out in self.outlets]  # by outlet index
        for wh in self.warehouses:
            wh.cycle = h.Pool(
                wh.stock,
                [out.dispatch for out in wh.outlets],
                self.ledger,
                self.rec,
                wh.inbound,
                wh.index,
                wh.node,
                wh.spec.handling_cost,
                2 if self.returns_delay is not None else int(book is not None),
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

    def reroute_delivery(self, here: str, out: Outlet) -> Legs | None:
        """The fastest open route of the delivery modes from ``here`` to ``out``'s market."""
        return self.router.reroute_delivery(here, out.market.spec.id)

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
        self._pipeline_change(now, self.ledger.worth(qty))
        wh.inbound.change(now, units)

    def _off_the_way(self, wh: Warehouse, qty: np.ndarray, expedite: bool) -> None:
        """``qty`` bound for ``wh`` is no longer on its way (received or lost)."""
        now = self.env.now
        if expedite:
            wh.expediting -= qty
        units = self.h.sub(self.pipeline, qty)
        self.in_transit.change(now, -units)
        self._pipeline_change(now, -self.ledger.worth(qty))
        wh.inbound.change(now, -units)

    def _pipeline_change(self, now: float, value: float) -> None:
        """The pipeline's value moves by ``value`` at ``now`` (integrated exactly)."""
        self.pipeline_value_area += self.pipeline_value * (now - self._pipeline_t)
        self._pipeline_t = now
        self.pipeline_value += value

    def receive(self, wh: Warehouse, qty: np.ndarray, expedite: bool = False) -> None:
        """A shipment reached ``wh``: put away, then serve backorders."""
        now = self.env.now
        self._off_the_way(wh, qty, expedite)
        served = wh.stock.receive(now, qty)
        if served is not None:
            serve_backorders(self.env, self, wh, served)

    def arrive(
        self, wh: Warehouse, qty: np.ndarray, expedite: bool = False, t_ordered: float = -1.0
    ) -> None:
        """A shipment reached ``wh``: through its dock when it has a put-away limit. A regular
        replenishment (not an expedite or transfer) ordered at ``t_ordered`` tells a reacting
        planner its lead time."""
        if wh.planner is not None and not expedite and t_ordered >= 0:
            wh.planner.record(self.env.now, t_ordered)
        if wh.dock is not None:
            arrive_at_dock(self, wh, qty, expedite)
        else:
            self.receive(wh, qty, expedite)

    def lose(self, wh: Warehouse, qty: np.ndarray, expedite: bool = False) -> None:
        """A shipment to ``wh`` was lost on its lane."""
        self._off_the_way(wh, qty, expedite)
        self.lost += qty
        if self.in_window(self.env.now):
            self.ledger.cost_goods += self.ledger.worth(qty)
        wh.stock.cancel_order(qty)

    def in_window(self, t: float) -> bool:
        """Whether ``t`` is in the measured window ``[warmup, end)``."""
        return self.warmup <= t < self.end

    @property
    def delivered(self) -> np.ndarray:
        """Units delivered to customers and kept so far, per SKU."""
        return self.ledger.delivered

    @property
    def last_mile(self) -> np.ndarray:
        """Units on their way to customers, per SKU."""
        return self.ledger.last_mile

    def returns_after(self, out: Outlet, qty: np.ndarray, t_arrive: float) -> None:
        """A delivery reaching its market at ``t_arrive``: a share of it comes back."""
        self.returns.after(out, qty, t_arrive)

    def warmup_mark(self) -> Proc:
        """Process: at the end of the warm-up, note the level areas so far (the measured
        period's areas are taken from there)."""
        yield self.env.timeout(self.warmup)
        now = self.env.now
        for wh in self.warehouses:
            wh.stock.advance(now)
        self.in_transit.advance(now)
        self._pipeline_change(now, 0.0)
        self._area0 = [wh.stock.area.copy() for wh in self.warehouses]
        for wh in self.warehouses:
            if wh.planner is not None:
                wh.planner.mark_warmup()
        self._transit_area0 = self.in_transit.area
        self._value_area0 = self.pipeline_value_area

    def window_mark(self) -> Proc:
        """Process: at the end of the measured window, take what its KPIs read (when the run
        goes on past it to drain a disruption)."""
        yield self.env.timeout(self.end)
        self._take_window()

    def _areas(self, now: float) -> tuple[np.ndarray, float, float]:
        """Per node row and SKU the unit-days on hand, the unit-days in transit and the
        USD-days of the pipeline, from the warm-up to ``now``."""
        for wh in self.warehouses:
            wh.stock.advance(now)
        self.in_transit.advance(now)
        self._pipeline_change(now, 0.0)
        area0 = self._area0 or [np.zeros_like(wh.stock.area) for wh in self.warehouses]
        area = np.zeros((len(self.stock_nodes), len(self.sc.demand.skus)))
        for wh, a0 in zip(self.warehouses, area0):
            area[wh.index] += wh.stock.area - a0
        return (
            area,
            self.in_transit.area - self._transit_area0,
            self.pipeline_value_area - self._value_area0,
        )

    def _take_window(self) -> None:
        area, transit, value = self._areas(self.end)
        self._window = {
            "on_hand_area": area,
            "in_transit_area": transit,
            "pipeline_value_area": value,
            "backlog_end": int(sum(int(wh.stock.backlog.sum()) for wh in self.warehouses)),
            "revenue": self.ledger.revenue,
            "cost_goods": self.ledger.cost_goods,
            "returned_units": self.returns.returned_units,
            "written_off_units": self.returns.written_off_units,
        }

    # -- running ----------------------------------------------------------------------------
    def run(self) -> RunRecord:
        """Run to the end of the horizon (and the drain), check conservation, and freeze the
        records."""
        env = self.env
        self.h.run(env, self.stop)
        if self._window is None:
            self._take_window()
        area, transit, value = self._areas(self.stop)
        for dt in self.downtime.values():
            dt.close(self.end)
        self.check_conservation()
        r = self.rec
        w = self._window
        assert w is not None
        record = RunRecord(
            warmup=self.warmup,
            end=self.end,
            stop=self.stop,
            waits=r.waits.array(),
            costs=r.costs.array(),
            deliveries=r.deliveries.array(),
            demand=r.demand,
            shipped=r.shipped,
            lines=r.lines,
            full_lines=r.full_lines,
            otif_lines=r.otif_lines,
            orders=None if self.book is None else self.book.finish(),
            short_skus=r.short_skus,
            on_hand=r.on_hand,
            backlog=r.backlog,
            inbound=r.inbound,
            queue=r.queue,
            unmet=r.unmet,
            unmet_value=r.unmet_value,
            unmet_price=r.unmet_price,
            backlog_price=r.backlog_price,
            backorder=self.sc.policy.unmet is Unmet.BACKORDER,
            on_hand_area=w["on_hand_area"],
            in_transit_area=w["in_transit_area"],
            pipeline_value_area=w["pipeline_value_area"],
            on_hand_area_full=area,
            pipeline_value_area_full=value,
            backlog_end=w["backlog_end"],
            revenue=w["revenue"],
            cost_goods=w["cost_goods"],
            returned_units=w["returned_units"],
            written_off_units=w["written_off_units"],
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
        self.dispatches = []
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
            + self.returns.returning
            + self.returns.written_off
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
