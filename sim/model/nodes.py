"""Runtime objects of the model: what each node and lane needs while the clock runs.

They hold resources, samplers, state, and the disruptions active on them; the shipments
(:mod:`sim.model.flows`), the daily cycle (:mod:`sim.model.cycle`) and the disruptions
(:mod:`sim.model.effects`) act on them. A disruption changes the model only through the object
it targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from ..config.disruption import Disruption
from ..config.spec import LaneSpec, NodeSpec
from ..core.enums import DisruptionKind
from .daylines import DayLines


@dataclass
class Disruptable:
    """The disruptions active on an object, and an event that fires when a closure ends."""

    active: list[Disruption] = field(default_factory=list, init=False)
    _reopen: simpy.Event | None = field(default=None, init=False)

    def opened(self, env: simpy.Environment) -> simpy.Event:
        """An event that fires when the object next reopens."""
        if self._reopen is None:
            self._reopen = env.event()
        return self._reopen

    def lifted(self, d: Disruption) -> None:
        """Remove ``d`` and wake whoever waits for a reopening."""
        self.active.remove(d)
        if self._reopen is not None:
            ev, self._reopen = self._reopen, None
            ev.succeed()


@dataclass(kw_only=True)
class Gateway(Disruptable):
    """A port (berths) or customs office (officers): a resource and its samplers."""

    index: int = 0  # row in the recorder's queue table
    node: int = 0  # index of the node in the network
    spec: NodeSpec
    resource: Any = None  # simpy.Resource, or PriorityResource where disruptions may block it
    service: Any = None  # Sampler of own shipments' service times
    inspect_u: Any = None  # Sampler of U(0, 1), customs only
    hold: Any = None  # Sampler of inspection hold times, customs only

    def closed(self) -> bool:
        """Whether a disruption has stopped all work here (what a strategy can observe)."""
        return bool(self.active) and any(
            d.effect.capacity_factor == 0.0 and not d.effect.sku_class for d in self.active
        )

    def dwell_cost(self, kg: float, days: float) -> float:
        """Storage and demurrage of ``kg`` waiting here ``days`` (USD)."""
        return self.spec.holding_cost * kg * days

    def service_factor(self) -> float:
        """Product of the service-time factors in force (1 when nothing is)."""
        f = 1.0
        for d in self.active:
            f *= d.effect.service_factor
        return f

    def stopped_for(self, size_class: str) -> bool:
        """Customs stopped clearing ``size_class`` only (a class-specific hold)."""
        return bool(self.active) and any(
            d.effect.stop or d.effect.capacity_factor == 0.0
            for d in self.active
            if d.effect.sku_class == size_class
        )

    def inspection(self, size_class: str) -> tuple[float, float]:
        """(inspection probability, hold-time factor) for a shipment of ``size_class``."""
        p, f = self.spec.inspection_prob, 1.0
        for d in self.active:
            if d.effect.sku_class in ("", size_class):
                if d.effect.inspection_prob is not None:
                    p = max(p, d.effect.inspection_prob)
                f *= d.effect.hold_factor
        return p, f


@dataclass(kw_only=True)
class Factory(Disruptable):
    """A capacity-limited plant: one production line working orders first come, first served."""

    node: int = 0
    spec: NodeSpec
    line: Any = None
    setup: Any = None  # Sampler of set-up times per order

    def rate_factor(self) -> float:
        """Share of the production rate working: the product of the partial outages' capacity
        factors in force (a full stop, factor 0, holds the line instead; see effects)."""
        f = 1.0
        for d in self.active:
            if 0.0 < d.effect.capacity_factor < 1.0:
                f *= d.effect.capacity_factor
        return f


@dataclass(kw_only=True)
class Lane(Disruptable):
    """A lane with its schedule bookings, samplers and disruptions."""

    index: int = 0
    spec: LaneSpec
    transit: Any = None
    loss_u: Any = None
    sailings: Any = None  # handlers.Sailings: its departures and the room booked on each
    scheduled: bool = False  # sails on a timetable: a sailing's cargo shares its transit
    # Shipments now on the lane, in the order they departed (a dict keeps order).
    riding: dict = field(default_factory=dict)

    def closed(self) -> bool:
        """Suspended, or its carrier stopped taking cargo."""
        return bool(self.active) and any(
            d.effect.stop or d.kind is DisruptionKind.ROUTE_SUSPENSION for d in self.active
        )

    def may_reroute(self) -> bool:
        """Whether every closure here lets shipments take another route."""
        return all(d.effect.reroute for d in self.active)

    def loss_prob(self) -> float:
        p = self.spec.loss_prob
        for d in self.active:
            p = max(p, d.effect.loss_prob)
        return p

    def cost_factor(self) -> float:
        """Product of the freight-cost shocks' multipliers in force (1 when none is)."""
        f = 1.0
        for d in self.active:
            if d.kind is DisruptionKind.FREIGHT_COST_SHOCK:
                f *= d.effect.multiplier
        return f

    def surcharge(self, kg: float) -> float:
        """Surcharges of the freight-cost shocks in force on a departure of ``kg`` (USD)."""
        s = 0.0
        for d in self.active:
            if d.kind is DisruptionKind.FREIGHT_COST_SHOCK:
                s += d.effect.surcharge_per_kg * kg + d.effect.surcharge_per_shipment
        return s

    def detour_cost(self, kg: float, days: float) -> float:
        """What ``days`` more at sea cost for ``kg``: the lane's rate per kg, per day of its
        mean transit (a diverted or switched ship's extra sailing)."""
        return self.spec.cost_per_kg * kg * days / max(self.spec.transit.mean, 1e-9)


Legs = tuple[tuple[Lane, Any], ...]  # (lane, gateway at its far end or None)


@dataclass
class Supply:
    """Replenishment of one SKU class at one warehouse: a factory and the legs to the warehouse."""

    size_class: str
    mask: np.ndarray  # SKUs of the class
    factory: Factory
    legs: Legs
    uid: int = 0  # tells the pool's supplies apart in shipment keys (see twin/keyed.py)


@dataclass
class Warehouse:
    """A stock pool at a node: its stock handler, policy levels, supplies and the outlets it
    serves. Several pools may share a node (one per channel, or a reservoir beside a
    warehouse); ``index`` is the node's row in the recorder's per-node arrays."""

    index: int
    node: int
    spec: NodeSpec
    stock: Any  # handlers.Stock
    kind: int  # 0 base_stock, 1 sS, 2 RQ
    low: np.ndarray
    high: np.ndarray
    qty: np.ndarray
    review_days: int
    inbound: Any  # handlers.Level: units in transit towards this pool
    rate: np.ndarray  # mean demand per SKU per day
    supplies: list[Supply] = field(default_factory=list)
    secondary: list[Supply] = field(default_factory=list)  # second origins (dual sourcing)
    expedite: list[Supply] = field(default_factory=list)
    transfers_in: list[tuple["Warehouse", Legs]] = field(default_factory=list)  # donors, route
    expediting: np.ndarray | None = None  # units on their way by expedite or transfer
    outlets: list["Outlet"] = field(default_factory=list)
    pool: str = ""  # pool id in the plan
    uid: int = 0  # the pool's position in the plan: a key of its shipments (twin/keyed.py)
    tier: str = "warehouse"
    feed: tuple["Warehouse", Legs] | None = None  # upstream pool and the route from it
    # Order-up-to levels on the days ``alt_days`` marks (pre-season stocking); ``high`` on the
    # others.
    alt_high: np.ndarray | None = None
    alt_low: np.ndarray | None = None  # reorder points on those days ((R, Q) and (s, S))
    alt_days: np.ndarray | None = None
    planner: Any = None  # sim.model.planner.LeadTimes when the planner reacts
    dock: Any = None  # sim.model.dock.Dock when the warehouse has a daily put-away limit
    cycle: Any = None  # handlers.Pool: the compiled daily serve-and-send of this pool

    # Storage limit per SKU (units), ``peak_cap`` on the days ``peak_days`` marks; orders are
    # cut so that the inventory position stays within it (an FC's space).
    cap: np.ndarray | None = None
    peak_cap: np.ndarray | None = None
    peak_days: np.ndarray | None = None

    def cap_on(self, day: int) -> np.ndarray:
        """The storage limit in force on simulated day ``day``."""
        assert self.cap is not None and self.peak_cap is not None and self.peak_days is not None
        return self.peak_cap if self.peak_days[day] else self.cap

    def high_on(self, day: int) -> np.ndarray:
        """Order-up-to levels in force on simulated day ``day``."""
        if self.alt_days is not None and self.alt_days[day]:
            assert self.alt_high is not None
            return self.alt_high
        return self.high

    def low_on(self, day: int) -> np.ndarray:
        """Reorder points in force on simulated day ``day``."""
        if self.alt_days is not None and self.alt_days[day] and self.alt_low is not None:
            return self.alt_low
        return self.low


@dataclass
class Market:
    """A customer region (its demand is drawn per :class:`Outlet`)."""

    index: int
    node: int
    spec: NodeSpec


@dataclass
class Outlet:
    """The demand of one market (channel, SKU class) and the pool and route serving it."""

    index: int
    market: Market
    pool: Warehouse
    legs: Legs  # delivery route; one lane and no gateway: a plain last-mile delivery
    demand: DayLines  # units per day and SKU
    local: bool  # the pool is in the market's country
    route_cost_per_kg: float  # freight per kg along the whole delivery route
    last_mile: Lane | None = None  # the lane, when the route is a single last-mile lane
    dispatch: Any = None  # handlers.Dispatch: its demand and last-mile lane for the handlers
