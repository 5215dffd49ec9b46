"""Enumerations for kinds and states, so that strings are compared in exactly one place."""

from __future__ import annotations

from enum import Enum, IntEnum


class NodeKind(str, Enum):
    """What a network node is."""

    FACTORY = "factory"
    PORT = "port"
    CUSTOMS = "customs"
    WAREHOUSE = "warehouse"
    MARKET = "market"
    HUB = "hub"  # an origin hub holding one stock pool for every market (source_hub)
    FC = "fc"  # a fulfilment centre close to customers, fed by a reservoir (forward_fc)


class Mode(str, Enum):
    """Transport mode of a lane."""

    SEA = "sea"
    AIR = "air"
    RAIL = "rail"
    ROAD = "road"
    PARCEL = "parcel"


class PolicyKind(str, Enum):
    """Inventory policy at a stocking node (see :mod:`sim.model.policy`)."""

    BASE_STOCK = "base_stock"
    S_S = "sS"
    R_Q = "RQ"


class Unmet(str, Enum):
    """What happens to demand that cannot be filled from stock."""

    BACKORDER = "backorder"
    LOST_SALES = "lost_sales"


class DemandDist(str, Enum):
    """Distribution of daily demand per SKU."""

    POISSON = "poisson"
    NEGBIN = "negbin"


class BasketDist(str, Enum):
    """Distribution of the number of lines in a customer order (each at least one)."""

    POISSON = "poisson"  # 1 + Poisson(mean - 1)
    GEOMETRIC = "geometric"  # geometric on 1, 2, ... with the mean
    FIXED = "fixed"  # always the mean (a whole number)


class BasketRule(str, Enum):
    """Where a customer order whose lines different pools stock ships from."""

    SPLIT = "split"  # each line from the pool stocking its SKU class: a parcel per pool
    WHOLE = "whole"  # every line from the pool serving the basket's heaviest class


class Cause(IntEnum):
    """Why a shipment waited; the integer is what the wait log stores."""

    PRODUCTION_QUEUE = 0
    PRODUCTION = 1
    BERTH_QUEUE = 2
    BERTH_SERVICE = 3
    SAILING_WAIT = 4
    TRANSIT = 5
    CUSTOMS_QUEUE = 6
    CUSTOMS_SERVICE = 7
    INSPECTION_HOLD = 8
    CLOSURE_WAIT = 9  # waiting for a suspended lane (or its carrier) to take cargo again
    DIVERSION = 10  # extra sailing to an open port of the same region (at the closed port)
    DOCK_WAIT = 11  # at a warehouse's receiving dock, beyond its daily put-away capacity
    LANE_SWITCH = 12  # extra days after leaving a suspended lane for a parallel one
    CUSTOMS_STOP = 13  # waiting for a customs office to clear the shipment's class again


# Causes whose wait log rows name a lane (the others name a node).
LANE_CAUSES = frozenset({Cause.SAILING_WAIT, Cause.TRANSIT, Cause.CLOSURE_WAIT, Cause.LANE_SWITCH})


class CostComponent(IntEnum):
    """Cost ledger components (USD); the integer is what the cost log stores."""

    TRANSPORT = 0
    HANDLING = 1
    CUSTOMS = 2
    HOLDING = 3
    LOST_SALES_PENALTY = 4
    EXPEDITE = 5  # freight of air-expedited shipments
    RETURNS = 6  # reverse logistics of customer returns (freight back, handling, disposal)
    CARRYING = 7  # capital tied up in stock on hand and in the pipeline
    BACKORDER = 8  # demand waiting on backorder, per unit-day
    DIVERSION = 9  # extra sailing of ships diverted or switched round a closure
    SURCHARGE = 10  # freight surcharges of a freight-cost shock (war risk, emergency)
    DEMURRAGE = 11  # goods waiting at a port or customs office (storage, demurrage)


class StrategyKind(str, Enum):
    """How orders are fulfilled (see :mod:`sim.plan`)."""

    OVERSEAS_WAREHOUSE = "overseas_warehouse"
    DIRECT = "direct"
    FORWARD_FC = "forward_fc"
    SOURCE_HUB = "source_hub"
    HYBRID_BY_SIZE = "hybrid_by_size"
    POOLED_MULTICHANNEL = "pooled_multichannel"


class Tier(str, Enum):
    """The role of a stock pool in a strategy."""

    WAREHOUSE = "warehouse"  # overseas warehouse serving markets by last-mile lanes
    ORIGIN = "origin"  # the seller's stock at the plant (direct parcels)
    HUB = "hub"  # one origin pool for every market (source hub)
    RESERVOIR = "reservoir"  # regional bulk stock feeding fulfilment centres
    FC = "fc"  # fulfilment centre close to customers


class ReturnDisposal(str, Enum):
    """What happens to a returned unit where the strategy has no stock in the market."""

    WRITE_OFF = "write_off"
    SHIP_BACK = "ship_back"


class DisruptionKind(str, Enum):
    """What a disruption does (see :mod:`sim.disruptions`)."""

    PORT_STRIKE = "port_strike"
    PORT_CONGESTION = "port_congestion"
    CUSTOMS_HOLD = "customs_hold"
    ROUTE_SUSPENSION = "route_suspension"
    CARRIER_FAILURE = "carrier_failure"
    FACTORY_OUTAGE = "factory_outage"
    DEMAND_SURGE = "demand_surge"
    FREIGHT_COST_SHOCK = "freight_cost_shock"
