"""Small scenarios for validation against theory, built as plain config mappings with every
schema default filled in, then validated like any user config."""

from __future__ import annotations

import dataclasses
from typing import Any

from sim.config.schema import (
    DistConf,
    ExperimentConf,
    LaneConf,
    NodeConf,
    PolicyConf,
    PolicyParamsConf,
    StrategyConf,
)
from sim.config.validate import scenario_from_mapping
from sim.plan import make_plan


def dist(name: str, mean: float = 0.0, cv: float = 0.0) -> dict[str, Any]:
    return dataclasses.asdict(DistConf(dist=name, mean=mean, cv=cv))


def node(kind: str, **kw: Any) -> dict[str, Any]:
    d = dataclasses.asdict(NodeConf(kind=kind))
    d.update(kw)
    return d


def lane(src: str, dst: str, mode: str, transit: dict[str, Any], **kw: Any) -> dict[str, Any]:
    d = dataclasses.asdict(LaneConf(src=src, dst=dst, mode=mode))
    d["transit"] = transit
    d.update(kw)
    return d


def single_echelon(
    *,
    rate: float,
    transit: dict[str, Any],
    target_days: float,
    warmup: int,
    horizon: int,
    seed: int = 1,
    unmet: str = "backorder",
    extra_nodes: dict[str, Any] | None = None,
    disruption: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Factory -> warehouse (road, ``transit``) -> market (parcel): one SKU, Poisson demand of
    ``rate`` units a day, base-stock reviewed daily with S = ``target_days`` x ``rate``.
    Production takes no time (no set-up, unlimited capacity)."""
    nodes = {
        "F": node(
            "factory",
            lat=30.0,
            lon=120.0,
            capacity=10**9,
            service_time=dist("deterministic", 0.0),
            makes=["one"],
        ),
        "W": node("warehouse", lat=34.0, lon=-118.0, capacity=0),
        "M": node("market", lat=34.1, lon=-118.2, demand_scale=1.0, promise_days=3.0),
        **(extra_nodes or {}),
    }
    lanes = {
        "f_w": lane("F", "W", "road", transit),
        "w_m": lane("W", "M", "parcel", dist("deterministic", 1.0)),
    }
    policy = dataclasses.asdict(
        PolicyConf(
            name="v",
            default=PolicyParamsConf(kind="base_stock", review_days=1, target_days=target_days),
            unmet=unmet,
        )
    )
    return {
        "network": {"name": "v", "description": "validation", "nodes": nodes, "lanes": lanes},
        "demand": {
            "name": "v",
            "distribution": "poisson",
            "dispersion": 10.0,
            "classes": {
                "one": {
                    "count": 1,
                    "weight_kg": 1.0,
                    "unit_value": 10.0,
                    "daily_units": rate,
                    "popularity": 0.0,
                }
            },
            "seasonality": {"amplitude": 0.0, "peak_day": 1},
            "promotions": [],
        },
        "policy": policy,
        "strategy": dataclasses.asdict(
            StrategyConf(name="v", replenishment_modes=["road"], last_mile_modes=["parcel"])
        ),
        "disruption": disruption or {"name": "none", "scripted": {}, "random": {}},
        "experiment": dataclasses.asdict(
            ExperimentConf(
                name="v",
                replications=1,
                warmup_days=warmup,
                horizon_days=horizon,
                executor="serial",
                workers=1,
            )
        ),
        "seed": seed,
        "scenario": "validation",
    }


def build(config: dict[str, Any]):
    """Validate and plan a config mapping."""
    sc = scenario_from_mapping(config)
    return sc, make_plan(sc)
