"""Synthetic networks of a chosen size, for benchmarks and scaling studies.

The layout repeats the default scenario's shape (plant -> origin port -> ocean -> destination
port -> customs -> warehouse -> market) at any size; coordinates and transit times come from a
local generator seeded by the size, so a size always gives the same network.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from .schema import (
    DemandConf,
    DistConf,
    ExperimentConf,
    LaneConf,
    NodeConf,
    PolicyConf,
    PolicyParamsConf,
    SkuClassConf,
    StrategyConf,
)


def _d(name: str, mean: float, cv: float = 0.0) -> dict[str, Any]:
    return dataclasses.asdict(DistConf(dist=name, mean=mean, cv=cv))


def network_config(
    factories: int,
    dest_ports: int,
    warehouses: int,
    markets: int,
    skus: int,
    horizon_days: int = 365,
    warmup_days: int = 120,
    replications: int = 1,
    volume_skus: int | None = None,
    popularity: float | None = None,
) -> dict[str, Any]:
    """A validated-config-shaped mapping of a network with ``2 factories + 2 dest_ports +
    warehouses + markets`` nodes (each factory has its port, each port its customs office).

    ``volume_skus`` keeps the network (its seed) and the units sold per day of a catalogue of
    that many SKUs, spread over ``skus`` SKUs instead (None: ``skus``, the usual sizes); so the
    same network sells the same volume whatever the catalogue. ``popularity`` is the Zipf
    exponent of both classes (None: 0.8 for small SKUs, 0.6 for bulky ones).
    """
    volume = skus if volume_skus is None else volume_skus
    rng = np.random.default_rng(
        factories * 1_000_003 + dest_ports * 10_007 + warehouses * 101 + markets + volume
    )
    nodes: dict[str, Any] = {}
    lanes: dict[str, Any] = {}

    def node(i: str, kind: str, lat: float, lon: float, **kw: Any) -> None:
        d = dataclasses.asdict(NodeConf(kind=kind, name=i, lat=lat, lon=lon))
        d.update(kw)
        nodes[i] = d

    def lane(src: str, dst: str, mode: str, transit: dict, **kw: Any) -> None:
        d = dataclasses.asdict(LaneConf(src=src, dst=dst, mode=mode))
        d.update(transit=transit, **kw)
        lanes[f"{src}__{dst}"] = d

    classes = ("small", "bulky")
    scales = 0.5 + rng.random(markets)
    small = skus * 3 // 5
    # Class units per day, per market at scale 1: 2 per small and 0.5 per bulky SKU of the
    # volume catalogue (3/5 of its SKUs small).
    daily = {"small": 2.0 * (volume * 3 // 5), "bulky": 0.5 * (volume - volume * 3 // 5)}
    for f in range(factories):
        lat, lon = 20 + 12 * rng.random(), 105 + 17 * rng.random()
        makes = [classes[f % 2]] if factories > 1 else list(classes)
        # The plan may route a whole class to one plant: each can make all of its classes' demand.
        share = sum(daily[c] for c in makes) * scales.sum()
        node(
            f"F{f}",
            "factory",
            lat,
            lon,
            capacity=int(1.6 * share) + 1,
            service_time=_d("deterministic", 0.1),
            makes=makes,
        )
        node(
            f"OP{f}",
            "port",
            lat + 0.2,
            lon + 0.3,
            capacity=8,
            service_time=_d("exponential", 0.5),
            handling_cost=0.05,
        )
        lane(
            f"F{f}",
            f"OP{f}",
            "road",
            _d("lognormal", 0.5 + rng.random(), 0.3),
            cost_per_kg=0.02,
            cost_per_shipment=150.0,
        )
    for p in range(dest_ports):
        lat, lon = 30 + 18 * rng.random(), -124 + 6 * rng.random()
        node(
            f"DP{p}",
            "port",
            lat,
            lon,
            capacity=6,
            service_time=_d("exponential", 1.0),
            handling_cost=0.08,
        )
        node(
            f"CU{p}",
            "customs",
            lat + 0.05,
            lon + 0.05,
            capacity=4,
            service_time=_d("lognormal", 1.0, 0.5),
            inspection_prob=0.04,
            inspection_time=_d("gamma", 6.0, 0.5),
            customs_fee=150.0,
            duty_rate=0.075,
        )
        lane(f"DP{p}", f"CU{p}", "road", _d("deterministic", 0.1), cost_per_shipment=50.0)
    for f in range(factories):  # each origin port sails to three destination ports
        for k in range(min(3, dest_ports)):
            p = (f + k) % dest_ports
            lane(
                f"OP{f}",
                f"DP{p}",
                "sea",
                _d("lognormal", 13 + 6 * rng.random(), 0.1),
                sailings_per_week=1 + int(3 * rng.random()),
                first_sailing=7 * rng.random(),
                cost_per_kg=0.25,
                cost_per_shipment=400.0,
            )
    for w in range(warehouses):
        lat, lon = 30 + 15 * rng.random(), -120 + 45 * rng.random()
        node(f"W{w}", "warehouse", lat, lon, capacity=0, holding_cost=0.003, handling_cost=0.3)
        for k in range(min(2, dest_ports)):
            p = (w + k) % dest_ports
            lane(
                f"CU{p}",
                f"W{w}",
                "rail",
                _d("lognormal", 1 + 6 * rng.random(), 0.25),
                cost_per_kg=0.08,
                cost_per_shipment=500.0,
            )
    for m in range(markets):
        w = m % warehouses
        node(
            f"M{m}",
            "market",
            nodes[f"W{w}"]["lat"] + 0.3,
            nodes[f"W{w}"]["lon"] + 0.3,
            demand_scale=float(scales[m]),
            promise_days=3.0,
        )
        lane(f"W{w}", f"M{m}", "parcel", _d("lognormal", 1.5, 0.4), cost_per_kg=1.5)
    demand = dataclasses.asdict(
        DemandConf(
            name=f"synthetic-{skus}",
            classes={
                "small": SkuClassConf(
                    count=small,
                    weight_kg=0.8,
                    unit_value=25.0,
                    daily_units=daily["small"],
                    popularity=0.8 if popularity is None else popularity,
                ),
                "bulky": SkuClassConf(
                    count=skus - small,
                    weight_kg=18.0,
                    unit_value=180.0,
                    daily_units=daily["bulky"],
                    popularity=0.6 if popularity is None else popularity,
                ),
            },
        )
    )
    demand["seasonality"] = {"amplitude": 0.2, "peak_day": 340}
    return {
        "network": {
            "name": f"synthetic-{len(nodes)}",
            "description": "synthetic network",
            "nodes": nodes,
            "lanes": lanes,
        },
        "demand": demand,
        "policy": dataclasses.asdict(
            PolicyConf(
                name="base_stock",
                default=PolicyParamsConf(kind="base_stock", review_days=7, target_days=50.0),
            )
        ),
        "strategy": dataclasses.asdict(StrategyConf(name="overseas_warehouse")),
        "disruption": {"name": "none", "scripted": {}, "random": {}},
        "experiment": dataclasses.asdict(
            ExperimentConf(
                name="synthetic",
                replications=replications,
                warmup_days=warmup_days,
                horizon_days=horizon_days,
                executor="serial",
                workers=1,
            )
        ),
        "seed": 1,
        "scenario": f"synthetic-{len(nodes)}n-{skus}sku",
    }


SIZES = {
    # about 3x the default network's nodes, 100 SKUs
    "medium": dict(factories=8, dest_ports=8, warehouses=12, markets=20, skus=100),
    # about 200 nodes, 1,000 SKUs
    "large": dict(factories=30, dest_ports=20, warehouses=40, markets=60, skus=1000),
    # the large network selling the large size's units per day over 10,000 SKUs of a long tail
    # (Zipf 1.1): most SKUs sell less than a unit a week in a market
    "catalogue": dict(
        factories=30,
        dest_ports=20,
        warehouses=40,
        markets=60,
        skus=10_000,
        volume_skus=1000,
        popularity=1.1,
    ),
}


def daily_units(mapping: dict[str, Any]) -> float:
    """Mean units sold per day over the whole network (at seasonality 1) of a
    :func:`network_config` mapping."""
    classes = mapping["demand"]["classes"].values()
    per_market = sum(c["daily_units"] for c in classes)
    nodes = mapping["network"]["nodes"].values()
    return per_market * sum(n["demand_scale"] for n in nodes if n["kind"] == "market")
