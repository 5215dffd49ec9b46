"""Hydra structured-config schema (dataclasses registered in the ConfigStore).

Values live in the YAML groups under ``configs/``; these dataclasses only give them types and
defaults. Nothing below :mod:`sim.validate` sees these objects: it turns them into frozen specs.
Units: time in days, money in USD, weight in kg, quantities in units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING


@dataclass
class DistConf:
    """A duration distribution: deterministic, exponential, lognormal, gamma or uniform."""

    dist: str = "deterministic"
    mean: float = 0.0
    cv: float = 0.0
    low: float | None = None
    high: float | None = None


@dataclass
class NodeConf:
    """A network node. Which fields matter depends on ``kind``."""

    kind: str = MISSING
    name: str = ""
    lat: float = 0.0
    lon: float = 0.0
    region: str = ""
    # port: berths; customs: officers; factory: production units per day;
    # warehouse: units put away per day at its receiving dock (0: unlimited).
    capacity: int = 1
    # port: berth time per ship call; customs: clearance per shipment; factory: set-up per order.
    service_time: DistConf = field(default_factory=DistConf)
    # customs: probability a shipment is inspected, and how long the hold lasts.
    inspection_prob: float = 0.0
    inspection_time: DistConf = field(default_factory=DistConf)
    # port: other carriers' ship calls as Poisson arrivals, as a share of berth capacity.
    background_utilisation: float = 0.0
    holding_cost: float = 0.0  # warehouse: USD per kg per day on hand
    handling_cost: float = 0.0  # port / warehouse: USD per unit handled
    customs_fee: float = 0.0  # customs: USD per shipment cleared
    duty_rate: float = 0.0  # customs: share of goods value
    makes: List[str] = field(default_factory=list)  # factory: SKU classes produced
    demand_scale: float = 1.0  # market: multiplier on the demand config's base rates
    promise_days: float = 3.0  # market: delivery promise, for on-time-in-full


@dataclass
class LaneConf:
    """A directed transport lane between two nodes; parallel lanes are alternatives."""

    src: str = MISSING
    dst: str = MISSING
    mode: str = MISSING
    carrier: str = ""  # operator of the lane
    via: str = ""  # chokepoint or corridor passed, e.g. "Suez" or "Cape of Good Hope"
    # Share of the transit after which the chokepoint is passed (0: a closure of it concerns the
    # whole voyage). Ships past it when it closes sail on; ships before it wait at it or divert.
    via_at: float = 0.0
    transit: DistConf = field(default_factory=DistConf)
    sailings_per_week: float = 0.0  # 0: departs as soon as cargo is ready
    first_sailing: float = 0.0  # day of the first departure
    capacity: int = 0  # units per departure; 0: unlimited
    cost_per_kg: float = 0.0
    cost_per_shipment: float = 0.0
    loss_prob: float = 0.0


@dataclass
class NetworkConf:
    """Nodes and lanes keyed by id."""

    name: str = MISSING
    description: str = ""
    # Nodes and lanes from tables (docs/own-supply-chain.md): a folder of nodes.csv and
    # lanes.csv, an .xlsx workbook or a .graphml file, relative to the project; entries under
    # nodes and lanes below are added to them, or replace a table's row of the same id.
    tables: str = ""
    nodes: Dict[str, NodeConf] = field(default_factory=dict)
    lanes: Dict[str, LaneConf] = field(default_factory=dict)


@dataclass
class SkuClassConf:
    """A size class of SKUs; per-SKU rates follow a Zipf popularity curve within the class."""

    count: int = 10
    weight_kg: float = 1.0
    unit_value: float = 10.0
    daily_units: float = 100.0  # mean units per day of the whole class, per market at scale 1
    popularity: float = 0.8  # Zipf exponent: share of SKU i is proportional to 1/(i+1)^popularity
    price: float = 0.0  # USD per unit paid by the customer; 0: twice unit_value


@dataclass
class PromotionConf:
    """A promotion peak: demand multiplied for ``days`` days from ``day_of_year``."""

    name: str = ""
    day_of_year: int = 1
    days: int = 1
    multiplier: float = 1.0


@dataclass
class SeasonalityConf:
    """Sinusoidal seasonality: multiplier 1 + amplitude * cos(2 pi (doy - peak_day) / 365)."""

    amplitude: float = 0.0
    peak_day: int = 335


@dataclass
class SpeedConf:
    """Demand that answers the delivery promise: a market served in ``D`` expected days buys
    ``(1 + uplift_per_day) ** (reference_days - D)`` times its base demand."""

    reference_days: float = 2.0
    uplift_per_day: float = 0.0  # 0.13: about 20% more sales for same-day than two-day


@dataclass
class ReturnsConf:
    """Customer returns: a share of delivered units comes back after ``delay`` days."""

    share: float = 0.0
    delay: DistConf = field(default_factory=lambda: DistConf("deterministic", 14.0))
    handling_cost: float = 2.0  # USD per returned unit (inspection, repackaging or disposal)
    # Where the strategy holds no stock in the customer's country: write_off or ship_back
    # (freight back along the delivery route at its cost per kg, then restocked at origin).
    overseas: str = "write_off"


@dataclass
class HistoryConf:
    """Demand from a sales history (see docs/own-supply-chain.md): ``path`` a folder with
    skus.csv, sales.csv (and promotions.csv) or an .xlsx workbook with those sheets; empty:
    the synthetic catalogue of ``classes``. Relative to the project folder."""

    path: str = ""
    mode: str = "fitted"  # fitted (a model per SKU and market) or replay (historical weeks)
    trend: bool = False  # fitted: a log-linear trend (rates at the history's last day)
    pooled: bool = False  # fitted: one weekly/yearly pattern for all markets
    level: float = 0.05  # fitted: size of the Poisson-versus-negative-binomial test
    block_weeks: int = 4  # replay: mean length of a block of consecutive weeks
    window_weeks: int = 3  # replay: a block starts within this many weeks of the time of
    #                        year (-1: anywhere)
    markets: Dict[str, str] = field(default_factory=dict)  # network market -> history market
    digest: str = ""  # set when read: a saved config refuses a history that has changed


@dataclass
class OrdersConf:
    """Demand as customer orders (baskets) rather than units per SKU (docs/model.md): a count
    of orders per market and day (``distribution``, with the seasonality and promotions), each
    a basket of one-unit lines drawn from the catalogue's mix."""

    enabled: bool = False
    basket: str = "poisson"  # lines per order: poisson (1 + Poisson), geometric or fixed
    lines_mean: float = 1.0  # mean lines per order (>= 1; 1: one-line orders)
    affinity: float = 0.0  # chance each further line comes from the first line's SKU class
    parcel_cost: float = 0.0  # USD per parcel packed (pick, pack, label), as handling cost


@dataclass
class DemandConf:
    """Daily demand per market as an SKU vector."""

    name: str = MISSING
    distribution: str = "poisson"
    dispersion: float = 10.0  # negbin: variance = mean + mean^2 / dispersion
    classes: Dict[str, SkuClassConf] = field(default_factory=dict)
    seasonality: SeasonalityConf = field(default_factory=SeasonalityConf)
    promotions: List[PromotionConf] = field(default_factory=list)
    speed: SpeedConf = field(default_factory=SpeedConf)
    returns: ReturnsConf = field(default_factory=ReturnsConf)
    history: HistoryConf = field(default_factory=HistoryConf)
    orders: OrdersConf = field(default_factory=OrdersConf)


@dataclass
class PolicyParamsConf:
    """Inventory policy parameters, in days of mean demand at the node."""

    kind: str = "base_stock"
    review_days: int = 1  # orders are placed only on days divisible by this
    target_days: float = 30.0  # base_stock: order-up-to level S
    s_days: float = 15.0  # sS: reorder point s
    S_days: float = 30.0  # sS: order-up-to level S
    R_days: float = 15.0  # RQ: reorder point R
    Q_days: float = 15.0  # RQ: order quantity Q
    initial_days: float = -1.0  # opening stock, days of mean demand (-1: the order-up-to level)


@dataclass
class PolicyConf:
    """Policy for every stocking node, with per-node overrides."""

    name: str = MISSING
    default: PolicyParamsConf = field(default_factory=PolicyParamsConf)
    # Per-warehouse overrides: only the fields that differ from ``default`` (kept loose so that
    # a partial entry is not filled with defaults; sim.config.strict checks them by ``entry``).
    nodes: Dict[str, Any] = field(default_factory=dict, metadata={"entry": PolicyParamsConf})
    unmet: str = "backorder"  # or lost_sales
    # The cost of unmet demand and of stock, which the cost KPIs count:
    lost_sale_penalty: float = 0.5  # goodwill per lost unit, as a share of its unit value
    backorder_cost: float = 0.005  # per unit and day on backorder, as a share of its price
    capital_rate: float = 0.10  # per year, on the value of stock on hand and in the pipeline
    # Who plans: "static" keeps the levels set for the planned lead time; "reacting"
    # re-estimates each pool's replenishment lead time from its receipts of the last
    # lead_time_window_days, as known reaction_delay_days ago, and moves every level (order-up-to,
    # reorder point) by the demand of the difference to the lead time seen in the warm-up.
    planner: str = "static"
    reaction_delay_days: float = 14.0
    lead_time_window_days: float = 28.0


@dataclass
class StrategyConf:
    """How orders are fulfilled. ``kind`` is one of overseas_warehouse, direct, forward_fc,
    source_hub, hybrid_by_size, pooled_multichannel (see configs/strategy/ and sim/plan.py)."""

    name: str = MISSING
    kind: str = "overseas_warehouse"
    replenishment_modes: List[str] = field(default_factory=lambda: ["road", "rail", "sea"])
    last_mile_modes: List[str] = field(default_factory=lambda: ["road", "parcel"])
    warehouses: List[str] = field(default_factory=list)  # empty: every warehouse
    # direct, source_hub: modes of the delivery route from origin stock to the customer.
    delivery_modes: List[str] = field(default_factory=lambda: ["road", "air", "parcel"])
    hub: str = ""  # source_hub: the hub node ("": the network's only node of kind hub)
    reservoir: str = ""  # forward_fc: the reservoir warehouse ("": fastest from the plants)
    fcs: List[str] = field(default_factory=list)  # forward_fc: fulfilment centres (empty: all)
    fc_modes: List[str] = field(default_factory=lambda: ["road", "rail"])  # reservoir -> FC
    fc_capacity_days: float = 0.0  # storage per SKU at an FC, days of its demand (0: no limit)
    peak_capacity_factor: float = 1.0  # FC storage limit multiplied in peak season
    peak_start_doy: int = 274  # peak season: day of year from (1 October) ...
    peak_end_doy: int = 365  # ... to (31 December), inclusive
    prestock_days: float = 0.0  # reservoir order-up-to raised by these days before the peak
    prestock_start_doy: int = 213  # ... from this day of year (1 August) to the peak's end
    forward_classes: List[str] = field(default_factory=lambda: ["small"])  # hybrid_by_size
    # With demand.orders: a basket whose SKU classes different pools stock ships split (a
    # parcel per pool) or whole from the pool serving its heaviest class (which then also
    # stocks the lighter classes such baskets bring it).
    basket: str = "split"
    channels: Dict[str, float] = field(default_factory=dict)  # pooled_multichannel: shares
    pooled: bool = True  # pooled_multichannel: one pool for all channels, or one per channel
    # Base-stock order-up-to level (days of demand) per tier, overriding the policy's
    # target_days: warehouse, origin, hub, reservoir, fc.
    target_days: Dict[str, float] = field(default_factory=dict)
    # Responses to what the network shows (a closed port or lane, a projected stock-out):
    reroute: bool = True  # avoid closed lanes and ports; ships at sea divert to an open port
    expedite: bool = False  # air freight when a warehouse's cover falls below a threshold
    expedite_cover_days: float = 10.0  # cover (on hand less backorders, days) that triggers it
    expedite_modes: List[str] = field(default_factory=lambda: ["road", "air"])
    transship: bool = False  # move stock from a warehouse with plenty to one running short
    transship_cover_days: float = 7.0  # cover below which a warehouse asks its neighbours
    transship_modes: List[str] = field(default_factory=lambda: ["road", "rail"])
    second_source_share: float = 0.0  # share of each order placed with a second origin


@dataclass
class EffectConf:
    """What a disruption changes (see :class:`DisruptionConf` for which field each kind reads)."""

    capacity_factor: float | None = None  # None: 0 for strikes and outages, 1 for holds
    service_factor: float = 1.0
    inspection_prob: float | None = None
    hold_factor: float = 1.0
    sku_class: str = ""
    on_closure: str = "reroute"
    loss_prob: float = 0.0
    stop: bool = False
    multiplier: float = 1.0
    surcharge_per_kg: float = 0.0  # freight_cost_shock: USD per kg on each departure
    surcharge_per_shipment: float = 0.0  # freight_cost_shock: USD per shipment departing


@dataclass
class DisruptionConf(EffectConf):
    """A scripted disruption: ``kind`` hits ``target`` from measured day ``start`` for
    ``duration`` days. Which effect fields matter depends on ``kind``:

    - port_strike: ``capacity_factor`` (share of berths working, 0 = closed);
    - port_congestion: ``service_factor`` (berth time multiplied);
    - customs_hold: ``inspection_prob`` (raised to), ``hold_factor`` (hold time multiplied),
      ``capacity_factor`` (0 = clearance stopped), optionally only for ``sku_class``;
    - route_suspension: the lane closes; ``on_closure``: reroute or wait;
    - carrier_failure: target is a carrier; ``loss_prob`` on its lanes, or ``stop`` taking cargo;
    - factory_outage: ``capacity_factor`` of the production line (0 = stopped; between 0 and 1
      the line works at that share of its rate);
    - demand_surge: target is a market; demand multiplied by ``multiplier``;
    - freight_cost_shock: target is a lane id or a mode; freight cost multiplied by ``multiplier``,
      plus ``surcharge_per_kg`` and ``surcharge_per_shipment`` (war-risk or emergency
      surcharges) on each departure.
    """

    kind: str = MISSING
    target: str = MISSING
    start: float = 0.0
    duration: float = 1.0
    label: str = ""


@dataclass
class RandomDisruptionConf(EffectConf):
    """Disruptions drawn per replication: each target alternates between up times, exponential
    with mean 365 / ``rate_per_year`` days, and disruptions lasting ``duration``."""

    kind: str = MISSING
    targets: List[str] = field(default_factory=list)
    rate_per_year: float = 1.0
    duration: DistConf = field(default_factory=DistConf)
    label: str = ""


@dataclass
class DisruptionsConf:
    """Scripted and random disruptions, keyed by a name of the user's choice."""

    name: str = "none"
    description: str = ""
    # Typed by DisruptionConf / RandomDisruptionConf (``entry``: sim.config.strict checks their
    # keys and types, sim.config.disruption_rules their values), kept loose here so that
    # `+disruption.scripted.NAME.kind=...` works from the command line.
    scripted: Dict[str, Any] = field(default_factory=dict, metadata={"entry": DisruptionConf})
    random: Dict[str, Any] = field(default_factory=dict, metadata={"entry": RandomDisruptionConf})


@dataclass
class ExperimentConf:
    """Replications, horizon and how they run."""

    name: str = MISSING
    replications: int = 8
    warmup_days: int = 120
    horizon_days: int = 365
    start_day_of_year: int = 1  # day of year of the first measured day
    executor: str = "processes"  # serial, processes or dask
    workers: int = 0  # 0: every core
    address: str = ""  # dask: scheduler address of an existing cluster ("": a LocalCluster)
    # A replication with a disruption, and its undisrupted twin, run on this many days past the
    # horizon, so that the costs and service the disruption pushed past it are compared too.
    drain_days: int = 120


@dataclass
class RippleConfig:
    """The root config."""

    network: NetworkConf = MISSING
    demand: DemandConf = MISSING
    policy: PolicyConf = MISSING
    strategy: StrategyConf = MISSING
    disruption: DisruptionsConf = field(default_factory=DisruptionsConf)
    experiment: ExperimentConf = MISSING
    seed: int = 20261123
    scenario: str = "default"
    out_dir: str = "results"


def register() -> None:
    """Register the schema in Hydra's ConfigStore (idempotent)."""
    cs = ConfigStore.instance()
    cs.store(name="ripple_schema", node=RippleConfig)
