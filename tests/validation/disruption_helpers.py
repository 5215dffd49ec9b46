"""Small scenarios for the disruption validation tests, built as plain config mappings.

``validate`` indexes most node and lane fields directly, so every node and lane starts from the
schema dataclass defaults (``dataclasses.asdict(NodeConf(...))``) and overrides only what the
test needs. The base network is a factory (one SKU class, unlimited capacity, no set-up time), a
warehouse and a market; tests add ports and lanes to it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from sim.config.schema import ExperimentConf, PolicyConf, PolicyParamsConf, StrategyConf
from sim.config.validate import scenario_from_mapping
from sim.core.enums import Cause
from sim.model import build_model, handlers
from sim.plan import make_plan

from .builders import dist, node
from .builders import lane as _lane


def lane(
    src: str, dst: str, mode: str, transit: float | dict[str, Any], **fields: Any
) -> dict[str, Any]:
    """A lane mapping with every schema default filled in (a number: deterministic transit)."""
    if isinstance(transit, (int, float)):
        transit = dist("deterministic", float(transit))
    return _lane(src, dst, mode, transit, **fields)


def base_config(
    *,
    warmup: int,
    horizon: int,
    daily_units: float = 20.0,
    target_days: float = 20.0,
    transit: float = 1.0,
    seed: int = 7,
    replenishment_modes: tuple[str, ...] = ("road",),
) -> dict[str, Any]:
    """Factory F -> warehouse W (road, deterministic ``transit``) -> market M (parcel, 1 day).

    One SKU class of one SKU, Poisson demand of ``daily_units`` a day, base-stock reviewed
    daily up to ``target_days`` of demand, backorders. No disruptions (tests add them).
    """
    nodes = {
        "F": node(
            "factory",
            lat=31.0,
            lon=121.0,
            capacity=10**9,
            service_time=dist("deterministic", 0.0),
            makes=["one"],
        ),
        "W": node("warehouse", lat=34.0, lon=-117.6, capacity=0),
        "M": node("market", lat=34.05, lon=-118.24, demand_scale=1.0, promise_days=3.0),
    }
    lanes = {
        "f_w": lane("F", "W", "road", transit),
        "w_m": lane("W", "M", "parcel", 1.0),
    }
    policy = dataclasses.asdict(
        PolicyConf(
            name="disruption-validation",
            default=PolicyParamsConf(kind="base_stock", review_days=1, target_days=target_days),
        )
    )
    strategy = dataclasses.asdict(
        StrategyConf(
            name="disruption-validation",
            replenishment_modes=list(replenishment_modes),
            last_mile_modes=["parcel"],
        )
    )
    experiment = dataclasses.asdict(
        ExperimentConf(
            name="disruption-validation",
            replications=1,
            warmup_days=warmup,
            horizon_days=horizon,
            executor="serial",
            workers=1,
        )
    )
    return {
        "network": {
            "name": "disruption-validation",
            "description": "",
            "nodes": nodes,
            "lanes": lanes,
        },
        "demand": {
            "name": "one",
            "distribution": "poisson",
            "dispersion": 10.0,
            "classes": {
                "one": {
                    "count": 1,
                    "weight_kg": 1.0,
                    "unit_value": 10.0,
                    "daily_units": daily_units,
                    "popularity": 0.0,
                }
            },
            "seasonality": {"amplitude": 0.0, "peak_day": 1},
            "promotions": [],
        },
        "policy": policy,
        "strategy": strategy,
        "disruption": {"name": "none", "description": "", "scripted": {}, "random": {}},
        "experiment": experiment,
        "seed": seed,
        "scenario": "disruption-validation",
    }


def build(config: dict[str, Any]):
    """Validate a config mapping and derive its plan."""
    sc = scenario_from_mapping(config)
    return sc, make_plan(sc)


def run(sc, plan, replication: int, disrupted: bool = True):
    """Build and run one replication with the default handler backend; (model, record)."""
    m = build_model(sc, plan, replication, handlers.load(handlers.default_backend()), disrupted)
    return m, m.run()


def node_index(sc, node_id: str) -> int:
    return [n.id for n in sc.network.nodes].index(node_id)


def lane_index(sc, lane_id: str) -> int:
    return [ln.id for ln in sc.network.lanes].index(lane_id)


def rows(waits: np.ndarray, index: int, cause: Cause, own: bool | None = None) -> np.ndarray:
    """Wait-log rows of ``cause`` at node or lane ``index`` (``own``: units > 0 only; False:
    other carriers' ships only, units == 0)."""
    sel = (waits[:, 1] == index) & (waits[:, 2] == int(cause))
    if own is True:
        sel &= waits[:, 4] > 0
    elif own is False:
        sel &= waits[:, 4] == 0
    return waits[sel]
