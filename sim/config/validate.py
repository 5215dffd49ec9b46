"""The validation layer: a composed config (as a plain mapping) becomes a frozen Scenario.

Every check raises :class:`sim.errors.ConfigError` naming the dotted key, the bad value and what
was expected. Routing checks (a market no factory can reach) live in :mod:`sim.plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.enums import (
    BasketRule,
    DemandDist,
    Mode,
    NodeKind,
    PolicyKind,
    ReturnDisposal,
    Unmet,
)
from ..core.errors import ConfigError
from .checks import day_of_year, distribution, enum_value, integer, num
from .disruption_rules import disruptions_spec
from .history_rules import history_skus, history_spec
from .order_rules import orders_spec
from .spec import (
    DemandSpec,
    ExperimentSpec,
    LaneSpec,
    NetworkSpec,
    NodeSpec,
    PolicyParams,
    PolicySpec,
    Promotion,
    ReturnsSpec,
    Scenario,
    SkuSpec,
)
from .strategy_rules import strategy_spec
from .strict import unknown_key

_SERVING_KINDS = (NodeKind.PORT, NodeKind.CUSTOMS, NodeKind.FACTORY)
_STOCK_KINDS = (NodeKind.WAREHOUSE, NodeKind.HUB, NodeKind.FC, NodeKind.FACTORY)


def _node(key: str, node_id: str, c: Mapping[str, Any]) -> NodeSpec:
    kind = enum_value(f"{key}.kind", c.get("kind"), NodeKind)
    if kind in _SERVING_KINDS:
        capacity = integer(f"{key}.capacity", c["capacity"], 1)
    else:
        capacity = integer(f"{key}.capacity", c["capacity"], 0)
    util = num(
        f"{key}.background_utilisation",
        c["background_utilisation"],
        0.0,
        0.99,
        what="a number in [0, 0.99) (a share of berth capacity)",
    )
    if util >= 0.99:
        raise ConfigError(f"{key}.background_utilisation", util, "a number in [0, 0.99)")
    return NodeSpec(
        id=node_id,
        kind=kind,
        name=str(c.get("name") or node_id),
        lat=num(f"{key}.lat", c["lat"], -90.0, 90.0),
        lon=num(f"{key}.lon", c["lon"], -180.0, 180.0),
        region=str(c.get("region") or ""),
        capacity=capacity,
        service_time=distribution(f"{key}.service_time", c["service_time"]),
        inspection_prob=num(f"{key}.inspection_prob", c["inspection_prob"], 0.0, 1.0),
        inspection_time=distribution(f"{key}.inspection_time", c["inspection_time"]),
        background_utilisation=util,
        holding_cost=num(f"{key}.holding_cost", c["holding_cost"], 0.0),
        handling_cost=num(f"{key}.handling_cost", c["handling_cost"], 0.0),
        customs_fee=num(f"{key}.customs_fee", c["customs_fee"], 0.0),
        duty_rate=num(f"{key}.duty_rate", c["duty_rate"], 0.0, 1.0),
        makes=tuple(str(m) for m in c.get("makes") or ()),
        demand_scale=num(f"{key}.demand_scale", c["demand_scale"], 0.0),
        promise_days=num(f"{key}.promise_days", c["promise_days"], 0.0, lo_open=True),
    )


def _lane(key: str, lane_id: str, c: Mapping[str, Any], nodes: Mapping[str, NodeSpec]) -> LaneSpec:
    for end in ("src", "dst"):
        if c.get(end) not in nodes:
            raise ConfigError(f"{key}.{end}", c.get(end), "the id of a node in network.nodes")
    if c["src"] == c["dst"]:
        raise ConfigError(f"{key}.dst", c["dst"], "a node other than the lane's src")
    return LaneSpec(
        id=lane_id,
        src=c["src"],
        dst=c["dst"],
        mode=enum_value(f"{key}.mode", c.get("mode"), Mode),
        carrier=str(c.get("carrier") or ""),
        via=str(c.get("via") or ""),
        transit=distribution(f"{key}.transit", c["transit"]),
        sailings_per_week=num(f"{key}.sailings_per_week", c["sailings_per_week"], 0.0),
        first_sailing=num(f"{key}.first_sailing", c["first_sailing"], 0.0),
        capacity=integer(f"{key}.capacity", c["capacity"], 0),
        cost_per_kg=num(f"{key}.cost_per_kg", c["cost_per_kg"], 0.0),
        cost_per_shipment=num(f"{key}.cost_per_shipment", c["cost_per_shipment"], 0.0),
        loss_prob=num(f"{key}.loss_prob", c["loss_prob"], 0.0, 1.0),
        via_at=num(f"{key}.via_at", c.get("via_at", 0.0), 0.0, 1.0),
    )


def network_spec(c: Mapping[str, Any]) -> NetworkSpec:
    """Validate ``network``."""
    raw_nodes = c.get("nodes") or {}
    if not raw_nodes:
        raise ConfigError("network.nodes", raw_nodes, "at least one node")
    nodes = {nid: _node(f"network.nodes.{nid}", nid, nc) for nid, nc in raw_nodes.items()}
    lanes = [
        _lane(f"network.lanes.{lid}", lid, lc, nodes) for lid, lc in (c.get("lanes") or {}).items()
    ]
    return NetworkSpec(
        str(c.get("name")), str(c.get("description") or ""), tuple(nodes.values()), tuple(lanes)
    )


def demand_spec(c: Mapping[str, Any], network: NetworkSpec | None = None) -> DemandSpec:
    """Validate ``demand``: the SKU classes expanded into a catalogue or, with a sales history
    (``demand.history.path``), the history's catalogue and model (see :mod:`.history_rules`)."""
    dist = enum_value("demand.distribution", c.get("distribution"), DemandDist)
    dispersion = num("demand.dispersion", c["dispersion"], 0.0, lo_open=True)
    history = history_spec(c.get("history") or {}, network)
    if history is not None:
        skus = history_skus(history, network)
    else:
        skus = _catalogue(c.get("classes") or {})
    season = c.get("seasonality") or {}
    amplitude = num("demand.seasonality.amplitude", season.get("amplitude", 0.0), 0.0, 0.95)
    peak = day_of_year("demand.seasonality.peak_day", season.get("peak_day", 1))
    promos = []
    for i, p in enumerate(c.get("promotions") or ()):
        key = f"demand.promotions[{i}]"
        doy = day_of_year(f"{key}.day_of_year", p["day_of_year"])
        promos.append(
            Promotion(
                str(p.get("name") or f"promotion {i}"),
                doy,
                integer(f"{key}.days", p["days"], 1, "a number of days in [1, 365]", 365),
                num(f"{key}.multiplier", p["multiplier"], 0.0),
            )
        )
    speed = c.get("speed") or {}
    returns = c.get("returns") or {}
    uplift = num("demand.speed.uplift_per_day", speed.get("uplift_per_day", 0.0), 0.0, 1.0)
    return DemandSpec(
        str(c.get("name")),
        dist,
        dispersion,
        skus,
        amplitude,
        peak,
        tuple(promos),
        speed_reference_days=num(
            "demand.speed.reference_days", speed.get("reference_days", 2.0), 0.0
        ),
        speed_uplift_per_day=uplift,
        returns=ReturnsSpec(
            share=num("demand.returns.share", returns.get("share", 0.0), 0.0, 1.0),
            delay=distribution(
                "demand.returns.delay",
                returns.get("delay") or {"dist": "deterministic", "mean": 14.0},
            ),
            handling_cost=num(
                "demand.returns.handling_cost", returns.get("handling_cost", 0.0), 0.0
            ),
            overseas=enum_value(
                "demand.returns.overseas", returns.get("overseas", "write_off"), ReturnDisposal
            ),
        ),
        history=history,
        orders=orders_spec(c.get("orders") or {}, history is not None, uplift),
    )


def _catalogue(classes: Mapping[str, Any]) -> tuple[SkuSpec, ...]:
    """The synthetic catalogue: each class's SKUs with Zipf shares of its daily units."""
    if not classes:
        raise ConfigError("demand.classes", dict(classes), "at least one SKU class")
    skus: list[SkuSpec] = []
    for name, k in classes.items():
        key = f"demand.classes.{name}"
        count = integer(f"{key}.count", k["count"], 1)
        weight = num(f"{key}.weight_kg", k["weight_kg"], 0.0, lo_open=True)
        value = num(f"{key}.unit_value", k["unit_value"], 0.0)
        daily = num(f"{key}.daily_units", k["daily_units"], 0.0)
        alpha = num(f"{key}.popularity", k["popularity"], 0.0)
        price = num(f"{key}.price", k.get("price", 0.0), 0.0) or 2.0 * value
        shares = [1.0 / (i + 1) ** alpha for i in range(count)]
        total = sum(shares)
        for i, share in enumerate(shares):
            skus.append(
                SkuSpec(
                    len(skus),
                    f"{name}-{i + 1:03d}",
                    str(name),
                    weight,
                    value,
                    daily * share / total,
                    price,
                )
            )
    return tuple(skus)


def _params(key: str, c: Mapping[str, Any]) -> PolicyParams:
    initial_what = "a number >= 0 (days of mean demand), or -1: the order-up-to level"
    initial = num(f"{key}.initial_days", c.get("initial_days", -1.0), -1.0, what=initial_what)
    if -1.0 < initial < 0.0:
        raise ConfigError(f"{key}.initial_days", initial, initial_what)
    p = PolicyParams(
        kind=enum_value(f"{key}.kind", c.get("kind"), PolicyKind),
        review_days=integer(f"{key}.review_days", c["review_days"], 1),
        target_days=num(f"{key}.target_days", c["target_days"], 0.0),
        s_days=num(f"{key}.s_days", c["s_days"], 0.0),
        S_days=num(f"{key}.S_days", c["S_days"], 0.0),
        R_days=num(f"{key}.R_days", c["R_days"], 0.0),
        Q_days=num(f"{key}.Q_days", c["Q_days"], 0.0, lo_open=True),
        initial_days=None if initial == -1.0 else initial,
    )
    if p.kind is PolicyKind.S_S and p.S_days < p.s_days:
        raise ConfigError(f"{key}.S_days", p.S_days, f"a number >= s_days ({p.s_days:g})")
    return p


def policy_spec(c: Mapping[str, Any], network: NetworkSpec) -> PolicySpec:
    """Validate ``policy``; per-node overrides must name stocking nodes."""
    nodes = []
    for nid, pc in (c.get("nodes") or {}).items():
        node = network.node_by_id.get(nid)
        if node is None:
            raise ConfigError(f"policy.nodes.{nid}", nid, "the id of a warehouse in network.nodes")
        if node.kind not in _STOCK_KINDS:
            raise ConfigError(
                f"policy.nodes.{nid}",
                node.kind.value,
                "a node that holds stock (kind warehouse, hub, fc or factory)",
            )
        if not isinstance(pc, Mapping):
            raise ConfigError(f"policy.nodes.{nid}", pc, "a mapping of policy fields")
        unknown = set(pc) - set(c["default"])
        if unknown:
            bad = sorted(unknown)[0]
            raise unknown_key(f"policy.nodes.{nid}.{bad}", pc[bad], c["default"])
        nodes.append((nid, _params(f"policy.nodes.{nid}", {**c["default"], **pc})))
    return PolicySpec(
        name=str(c.get("name")),
        default=_params("policy.default", c["default"]),
        nodes=tuple(nodes),
        unmet=enum_value("policy.unmet", c.get("unmet"), Unmet),
        lost_sale_penalty=num("policy.lost_sale_penalty", c["lost_sale_penalty"], 0.0),
        # .get: run folders written before these keys existed still read back
        backorder_cost=num("policy.backorder_cost", c.get("backorder_cost", 0.005), 0.0, 1.0),
        capital_rate=num("policy.capital_rate", c.get("capital_rate", 0.10), 0.0, 1.0),
        reacting=_planner(c.get("planner", "static")),
        reaction_delay_days=num(
            "policy.reaction_delay_days", c.get("reaction_delay_days", 14.0), 0.0
        ),
        lead_time_window_days=num(
            "policy.lead_time_window_days", c.get("lead_time_window_days", 28.0), 0.0, lo_open=True
        ),
    )


def _planner(value: Any) -> bool:
    """Whether ``policy.planner`` is the reacting one."""
    if value not in ("static", "reacting"):
        raise ConfigError("policy.planner", value, "static or reacting")
    return value == "reacting"


def experiment_spec(c: Mapping[str, Any]) -> ExperimentSpec:
    """Validate ``experiment``."""
    executor = c.get("executor")
    if executor not in ("serial", "processes", "dask"):
        raise ConfigError("experiment.executor", executor, "serial, processes or dask")
    doy = day_of_year("experiment.start_day_of_year", c["start_day_of_year"])
    return ExperimentSpec(
        name=str(c.get("name")),
        replications=integer("experiment.replications", c["replications"], 1),
        warmup_days=integer("experiment.warmup_days", c["warmup_days"], 0),
        horizon_days=integer("experiment.horizon_days", c["horizon_days"], 1),
        start_day_of_year=doy,
        executor=executor,
        workers=integer("experiment.workers", c["workers"], 0),
        address=str(c.get("address") or ""),
        drain_days=integer("experiment.drain_days", c.get("drain_days", 120), 0),
    )


def scenario_from_mapping(c: Mapping[str, Any]) -> Scenario:
    """Validate a whole resolved config (a plain mapping) into a :class:`Scenario`."""
    network = network_spec(c["network"])
    demand = demand_spec(c["demand"], network)
    experiment = experiment_spec(c["experiment"])
    strategy = strategy_spec(c["strategy"], network)
    if strategy.basket is BasketRule.WHOLE and demand.orders is None:
        raise ConfigError(
            "strategy.basket", strategy.basket.value, "split unless demand.orders.enabled=true"
        )
    return Scenario(
        name=str(c.get("scenario") or "default"),
        seed=integer("seed", c.get("seed"), 0),
        network=network,
        demand=demand,
        policy=policy_spec(c["policy"], network),
        strategy=strategy,
        experiment=experiment,
        disruptions=disruptions_spec(
            c.get("disruption"), network, demand, float(experiment.warmup_days), experiment.end
        ),
    )
