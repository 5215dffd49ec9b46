"""Frozen, typed specifications: what the validation layer hands to everything inward of it.

No DictConfig or raw dict crosses this line. Units: days, USD, kg, units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from ..core.distributions import Distribution
from ..core.enums import (
    BasketDist,
    BasketRule,
    DemandDist,
    Mode,
    NodeKind,
    PolicyKind,
    ReturnDisposal,
    StrategyKind,
    Tier,
    Unmet,
)
from .disruption import NONE, DisruptionsSpec

if TYPE_CHECKING:
    from .history_demand import HistoryDemand


@dataclass(frozen=True)
class NodeSpec:
    """A node of the network; fields unused by its kind keep their defaults."""

    id: str
    kind: NodeKind
    name: str
    lat: float
    lon: float
    region: str
    capacity: int
    service_time: Distribution
    inspection_prob: float
    inspection_time: Distribution
    background_utilisation: float
    holding_cost: float
    handling_cost: float
    customs_fee: float
    duty_rate: float
    makes: tuple[str, ...]
    demand_scale: float
    promise_days: float


@dataclass(frozen=True)
class LaneSpec:
    """A directed lane."""

    id: str
    src: str
    dst: str
    mode: Mode
    carrier: str  # who operates the lane ("" when it does not matter)
    via: str  # the chokepoint or corridor it passes ("Suez", "Cape of Good Hope", ...)
    transit: Distribution
    sailings_per_week: float
    first_sailing: float
    capacity: int
    cost_per_kg: float
    cost_per_shipment: float
    loss_prob: float
    # Share of the transit after which the lane passes its ``via`` chokepoint; 0: a closure of
    # the chokepoint concerns the whole voyage.
    via_at: float = 0.0

    @property
    def headway(self) -> float:
        """Days between departures (0 when the lane departs on demand)."""
        return 7.0 / self.sailings_per_week if self.sailings_per_week > 0 else 0.0


@dataclass(frozen=True)
class NetworkSpec:
    """All nodes and lanes, in config order."""

    name: str
    description: str
    nodes: tuple[NodeSpec, ...]
    lanes: tuple[LaneSpec, ...]

    @cached_property
    def node_by_id(self) -> dict[str, NodeSpec]:
        return {n.id: n for n in self.nodes}

    @cached_property
    def lane_by_id(self) -> dict[str, LaneSpec]:
        return {ln.id: ln for ln in self.lanes}

    def of_kind(self, kind: NodeKind) -> tuple[NodeSpec, ...]:
        """Nodes of one kind, in config order."""
        return tuple(n for n in self.nodes if n.kind is kind)


@dataclass(frozen=True)
class SkuSpec:
    """One SKU; ``base_rate`` is mean units per day per market at demand scale 1."""

    index: int
    id: str
    size_class: str
    weight_kg: float
    unit_value: float
    base_rate: float
    price: float = 0.0  # USD per unit paid by the customer


@dataclass(frozen=True)
class Promotion:
    """Demand multiplied by ``multiplier`` on ``days`` days from ``day_of_year``."""

    name: str
    day_of_year: int
    days: int
    multiplier: float


@dataclass(frozen=True)
class ReturnsSpec:
    """Customer returns (see :class:`sim.config.schema.ReturnsConf`)."""

    share: float = 0.0
    delay: Distribution | None = None
    handling_cost: float = 0.0
    overseas: ReturnDisposal = ReturnDisposal.WRITE_OFF


@dataclass(frozen=True)
class OrdersSpec:
    """Demand as customer orders (see :class:`sim.config.schema.OrdersConf`)."""

    basket: BasketDist = BasketDist.POISSON
    lines_mean: float = 1.0
    affinity: float = 0.0
    parcel_cost: float = 0.0


@dataclass(frozen=True)
class DemandSpec:
    """The SKU catalogue and how daily demand is drawn."""

    name: str
    distribution: DemandDist
    dispersion: float
    skus: tuple[SkuSpec, ...]
    season_amplitude: float
    season_peak_day: int
    promotions: tuple[Promotion, ...]
    speed_reference_days: float = 2.0
    speed_uplift_per_day: float = 0.0
    returns: ReturnsSpec = ReturnsSpec()
    history: HistoryDemand | None = None  # demand from a sales history (else synthetic)
    orders: OrdersSpec | None = None  # demand as customer orders (else units per SKU)

    def speed_multiplier(self, delivery_days: float) -> float:
        """Demand multiplier of a market served in ``delivery_days`` expected days."""
        return (1.0 + self.speed_uplift_per_day) ** (self.speed_reference_days - delivery_days)

    @cached_property
    def classes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.size_class for s in self.skus))

    @cached_property
    def weight(self) -> np.ndarray:
        return np.array([s.weight_kg for s in self.skus], dtype=np.float64)

    @cached_property
    def value(self) -> np.ndarray:
        return np.array([s.unit_value for s in self.skus], dtype=np.float64)

    @cached_property
    def price(self) -> np.ndarray:
        return np.array([s.price for s in self.skus], dtype=np.float64)

    @cached_property
    def base_rate(self) -> np.ndarray:
        return np.array([s.base_rate for s in self.skus], dtype=np.float64)

    def class_mask(self, size_class: str) -> np.ndarray:
        """Boolean mask of the SKUs in ``size_class``."""
        return np.array([s.size_class == size_class for s in self.skus])

    @cached_property
    def class_rank(self) -> np.ndarray:
        """Each SKU class's rank by weight (its SKUs' mean unit weight, by units; heaviest
        last, ties in catalogue order), in the order of :attr:`classes`."""
        heavy = []
        for c in self.classes:
            mask = self.class_mask(c)
            units = float(self.base_rate[mask].sum())
            w = self.weight[mask]
            heavy.append(float(w @ self.base_rate[mask]) / units if units > 0 else float(w.mean()))
        order = sorted(range(len(heavy)), key=lambda i: (heavy[i], i))
        rank = np.empty(len(heavy), dtype=np.int64)
        rank[order] = np.arange(len(heavy))
        return rank


@dataclass(frozen=True)
class PolicyParams:
    """Inventory policy at one node, levels in days of that node's mean demand."""

    kind: PolicyKind
    review_days: int
    target_days: float
    s_days: float
    S_days: float
    R_days: float
    Q_days: float
    initial_days: float | None = None  # opening stock (None: the order-up-to level)


@dataclass(frozen=True)
class PolicySpec:
    """Default policy, per-node overrides, and what happens to unmet demand."""

    name: str
    default: PolicyParams
    nodes: tuple[tuple[str, PolicyParams], ...]
    unmet: Unmet
    lost_sale_penalty: float
    backorder_cost: float = 0.0  # per unit-day, share of price
    capital_rate: float = 0.0  # per year, share of unit value
    reacting: bool = False  # the planner re-sizes levels for the lead time it observes
    reaction_delay_days: float = 14.0
    lead_time_window_days: float = 28.0

    def for_node(self, node_id: str) -> PolicyParams:
        """The policy at ``node_id``."""
        return dict(self.nodes).get(node_id, self.default)


@dataclass(frozen=True)
class StrategySpec:
    """How orders are fulfilled."""

    name: str
    kind: StrategyKind
    replenishment_modes: frozenset[Mode]
    last_mile_modes: frozenset[Mode]
    warehouses: tuple[str, ...]
    reroute: bool = True
    expedite: bool = False
    expedite_cover_days: float = 10.0
    expedite_modes: frozenset[Mode] = frozenset({Mode.ROAD, Mode.AIR})
    transship: bool = False
    transship_cover_days: float = 7.0
    transship_modes: frozenset[Mode] = frozenset({Mode.ROAD, Mode.RAIL})
    second_source_share: float = 0.0
    delivery_modes: frozenset[Mode] = frozenset({Mode.ROAD, Mode.AIR, Mode.PARCEL})
    hub: str = ""
    reservoir: str = ""
    fcs: tuple[str, ...] = ()
    fc_modes: frozenset[Mode] = frozenset({Mode.ROAD, Mode.RAIL})
    fc_capacity_days: float = 0.0
    peak_capacity_factor: float = 1.0
    peak_start_doy: int = 274
    peak_end_doy: int = 365
    prestock_days: float = 0.0
    prestock_start_doy: int = 213
    forward_classes: tuple[str, ...] = ("small",)
    channels: tuple[tuple[str, float], ...] = ()  # (channel, share of each market's demand)
    pooled: bool = True
    target_days: tuple[tuple[Tier, float], ...] = ()
    basket: BasketRule = BasketRule.SPLIT

    def tier_target(self, tier: Tier) -> float | None:
        """The strategy's base-stock target for ``tier`` (days), or None."""
        return dict(self.target_days).get(tier)


@dataclass(frozen=True)
class ExperimentSpec:
    """Replications, horizon and executor."""

    name: str
    replications: int
    warmup_days: int
    horizon_days: int
    start_day_of_year: int
    executor: str
    workers: int
    address: str = ""
    drain_days: int = 0

    @property
    def end(self) -> float:
        """Simulated time at which a replication stops (days)."""
        return float(self.warmup_days + self.horizon_days)


@dataclass(frozen=True)
class Scenario:
    """Everything one experiment needs, validated."""

    name: str
    seed: int
    network: NetworkSpec
    demand: DemandSpec
    policy: PolicySpec
    strategy: StrategySpec
    experiment: ExperimentSpec
    disruptions: DisruptionsSpec = NONE
