"""The columns of a network's tables: ``nodes`` and ``lanes``, as CSV files, sheets of one
workbook or GraphML attributes, and the optional ``stock`` table of per-node policies beside
them (CSV or workbook only). Each column has a type, a default (None: required), a unit and
what it means; a table may leave out every column that has a default.

A duration is four columns named after it: ``<name>_dist`` (deterministic, exponential,
lognormal, gamma or uniform), ``<name>_mean`` and ``<name>_cv``, or ``<name>_low`` and
``<name>_high`` for a uniform one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    name: str
    kind: type  # str, float, int
    default: Any  # None: the column is required
    unit: str
    what: str
    low: float | None = None  # least value (numbers)
    high: float | None = None  # greatest value (numbers)
    choices: tuple[str, ...] = ()  # the values a text may take besides empty (none listed: any)


def _duration(prefix: str, what: str) -> list[Column]:
    return [
        Column(f"{prefix}_dist", str, "deterministic", "", f"{what}: distribution"),
        Column(f"{prefix}_mean", float, 0.0, "days", f"{what}: mean", 0.0),
        Column(f"{prefix}_cv", float, 0.0, "", f"{what}: coefficient of variation", 0.0),
        Column(f"{prefix}_low", float, "", "days", f"{what}: least (uniform only)", 0.0),
        Column(f"{prefix}_high", float, "", "days", f"{what}: greatest (uniform only)", 0.0),
    ]


NODE_COLUMNS: list[Column] = [
    Column("id", str, None, "", "the node's id, unique (e.g. PORT_LALB)"),
    Column("kind", str, None, "", "factory, port, customs, warehouse, hub, fc or market"),
    Column("name", str, "", "", "the name shown in reports"),
    Column("lat", float, 0.0, "degrees", "latitude (WGS84)", -90.0, 90.0),
    Column("lon", float, 0.0, "degrees", "longitude (WGS84)", -180.0, 360.0),
    Column("region", str, "", "", "region (ports divert within theirs; COUNTRY-part)"),
    Column(
        "capacity",
        int,
        1,
        "berths, officers, units/day",
        "port berths, customs officers, factory units a day, warehouse put-away a day (0: none)",
        0,
    ),
    *_duration("service_time", "port berth time, customs clearance or factory set-up"),
    Column("inspection_prob", float, 0.0, "share", "customs: share of entries inspected", 0, 1),
    *_duration("inspection_time", "customs: hold of an inspected entry"),
    Column(
        "background_utilisation",
        float,
        0.0,
        "share",
        "port: other carriers' ships as a share of berths",
        0.0,
        0.99,
    ),
    Column("holding_cost", float, 0.0, "USD/kg/day", "storage (and demurrage at gateways)", 0.0),
    Column("handling_cost", float, 0.0, "USD/unit", "handling per unit", 0.0),
    Column("customs_fee", float, 0.0, "USD/shipment", "customs: fee per entry", 0.0),
    Column("duty_rate", float, 0.0, "share", "customs: duty on goods value", 0.0),
    Column("makes", str, "", "", "factory: SKU classes made, separated by ';'"),
    Column("demand_scale", float, 1.0, "", "market: multiplier of the base demand", 0.0),
    Column("promise_days", float, 3.0, "days", "market: delivery promise", 0.0),
]

LANE_COLUMNS: list[Column] = [
    Column("id", str, "", "", "the lane's id, unique ('': SRC__DST in lower case)"),
    Column("src", str, None, "", "the node it leaves from"),
    Column("dst", str, None, "", "the node it goes to"),
    Column("mode", str, None, "", "sea, air, rail, road or parcel"),
    Column("carrier", str, "", "", "the operator (a carrier failure targets it)"),
    Column("via", str, "", "", "a chokepoint passed (e.g. Suez)"),
    Column("via_at", float, 0.0, "share", "share of the transit before the chokepoint", 0, 1),
    *_duration("transit", "time on the lane"),
    Column("sailings_per_week", float, 0.0, "per week", "departures a week (0: at once)", 0.0),
    Column("first_sailing", float, 0.0, "days", "day of the first departure", 0.0),
    Column("capacity", int, 0, "units", "room per departure (0: unlimited)", 0),
    Column("cost_per_kg", float, 0.0, "USD/kg", "freight per kg", 0.0),
    Column("cost_per_shipment", float, 0.0, "USD", "freight per shipment", 0.0),
    Column("loss_prob", float, 0.0, "share", "share of shipments lost on the lane", 0, 1),
]


def _days(name: str, what: str, low: float = 0.0) -> Column:
    """A per-node policy level in days of the pool's mean demand; empty: the policy's."""
    return Column(name, float, "", "days of demand", f"{what} (empty: the policy's)", low)


STOCK_COLUMNS: list[Column] = [
    Column("node", str, None, "", "a node that holds stock: warehouse, hub, fc or factory"),
    Column(
        "kind",
        str,
        "",
        "",
        "base_stock, sS or RQ (empty: the policy's)",
        choices=("base_stock", "sS", "RQ"),
    ),
    Column(
        "review_days",
        int,
        "",
        "days",
        "orders only on days divisible by this (empty: the policy's)",
        1,
    ),
    _days("target_days", "base_stock: order-up-to level S"),
    _days("s_days", "sS: reorder point s"),
    _days("S_days", "sS: order-up-to level S"),
    _days("R_days", "RQ: reorder point R"),
    _days("Q_days", "RQ: order quantity Q"),
    Column(
        "initial_days",
        float,
        "",
        "days of demand",
        "opening stock (empty: the order-up-to level)",
        0.0,
    ),
]
STOCK_KINDS = ("warehouse", "hub", "fc", "factory")  # node kinds that hold stock

ORDER = "order"  # a GraphML lane's place in the lanes table (lane order keys its random draws)
TABLES = {"nodes": NODE_COLUMNS, "lanes": LANE_COLUMNS}  # a network's tables, both required
OPTIONAL = {"stock": STOCK_COLUMNS}  # tables that may be left out
ALL_TABLES = {**TABLES, **OPTIONAL}
KEYS = {"nodes": "id", "stock": "node"}  # a table's column whose values must not repeat
DURATIONS = {"nodes": ("service_time", "inspection_time"), "lanes": ("transit",), "stock": ()}
