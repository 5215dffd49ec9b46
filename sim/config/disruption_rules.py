"""Validate the ``disruption`` config against the network: scripted windows and random
processes, each field checked and named by its dotted key.

Random processes are drawn per replication (:func:`sim.model.windows.realize`); each target
alternates an exponential up time (mean ``365 / rate_per_year`` days) with a disruption of
sampled duration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.enums import DisruptionKind, Mode
from ..core.errors import ConfigError
from .checks import distribution, num
from .disruption import NONE, Disruption, DisruptionsSpec, Effect, RandomDisruption
from .schema import DisruptionConf, RandomDisruptionConf
from .spec import DemandSpec, NetworkSpec
from .strict import unknown_key
from .targets import NODE_KIND


def _check_target(key: str, kind: DisruptionKind, target: Any, net: NetworkSpec) -> str:
    if kind in NODE_KIND:
        want = NODE_KIND[kind]
        node = net.node_by_id.get(target)
        if node is None or node.kind is not want:
            raise ConfigError(key, target, f"the id of a {want.value} node in network.nodes")
    elif kind is DisruptionKind.ROUTE_SUSPENSION:
        vias = sorted({ln.via for ln in net.lanes if ln.via})
        if target not in net.lane_by_id and not (
            isinstance(target, str) and target.startswith("via:") and target[4:] in vias
        ):
            raise ConfigError(
                key,
                target,
                "the id of a lane in network.lanes, or via:NAME for "
                "every lane through a chokepoint ("
                + (", ".join(f"via:{v}" for v in vias) or "no lane names one")
                + ")",
            )
    elif kind is DisruptionKind.CARRIER_FAILURE:
        carriers = sorted({ln.carrier for ln in net.lanes if ln.carrier})
        if target not in carriers:
            raise ConfigError(
                key,
                target,
                "a carrier named by some lane: "
                + (", ".join(carriers) or "(no lane names a carrier)"),
            )
    elif kind is DisruptionKind.FREIGHT_COST_SHOCK:
        if target not in net.lane_by_id and target not in {m.value for m in Mode}:
            raise ConfigError(key, target, "a lane id or a mode (sea, air, rail, road, parcel)")
    return str(target)


def _effect(key: str, kind: DisruptionKind, c: Mapping[str, Any], demand: DemandSpec) -> Effect:
    cap_kinds = (
        DisruptionKind.PORT_STRIKE,
        DisruptionKind.CUSTOMS_HOLD,
        DisruptionKind.FACTORY_OUTAGE,
    )
    cap = c.get("capacity_factor")
    if cap is None:  # a strike or an outage stops work; a customs hold slows it
        cap = 1.0 if kind is DisruptionKind.CUSTOMS_HOLD else 0.0
    cap = num(f"{key}.capacity_factor", cap, 0.0, 1.0)
    prob = c.get("inspection_prob")
    if prob is not None:
        prob = num(f"{key}.inspection_prob", prob, 0.0, 1.0)
    sku_class = str(c.get("sku_class") or "")
    if sku_class and sku_class not in demand.classes:
        raise ConfigError(
            f"{key}.sku_class", sku_class, "a class of demand.classes: " + ", ".join(demand.classes)
        )
    on_closure = c.get("on_closure", "reroute")
    if on_closure not in ("reroute", "wait"):
        raise ConfigError(f"{key}.on_closure", on_closure, "reroute or wait")
    return Effect(
        capacity_factor=cap if kind in cap_kinds else 1.0,
        service_factor=num(
            f"{key}.service_factor", c.get("service_factor", 1.0), 0.0, lo_open=True
        ),
        inspection_prob=prob,
        hold_factor=num(f"{key}.hold_factor", c.get("hold_factor", 1.0), 0.0),
        sku_class=sku_class,
        reroute=on_closure == "reroute",
        loss_prob=num(f"{key}.loss_prob", c.get("loss_prob", 0.0), 0.0, 1.0),
        stop=bool(c.get("stop", False)),
        multiplier=num(f"{key}.multiplier", c.get("multiplier", 1.0), 0.0),
        surcharge_per_kg=num(f"{key}.surcharge_per_kg", c.get("surcharge_per_kg", 0.0), 0.0),
        surcharge_per_shipment=num(
            f"{key}.surcharge_per_shipment", c.get("surcharge_per_shipment", 0.0), 0.0
        ),
    )


def _kind(key: str, value: Any) -> DisruptionKind:
    try:
        return DisruptionKind(value)
    except ValueError:
        raise ConfigError(
            key, value, "one of " + ", ".join(k.value for k in DisruptionKind)
        ) from None


def _fields(key: str, c: Any, conf: type) -> dict[str, Any]:
    """``c`` over the defaults of the schema dataclass ``conf``; unknown keys are an error."""
    import dataclasses

    from omegaconf import MISSING

    if not isinstance(c, Mapping):
        raise ConfigError(key, c, "a mapping of disruption fields")
    names = [f.name for f in dataclasses.fields(conf)]
    for k in c:
        if k not in names:
            raise unknown_key(f"{key}.{k}", c[k], names)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(conf):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            v = f.default_factory()
            out[f.name] = (
                dataclasses.asdict(v)
                if dataclasses.is_dataclass(v) and not isinstance(v, type)
                else v
            )
    for name, v in c.items():  # a nested field given in part keeps its other defaults
        given_part = isinstance(v, Mapping) and isinstance(out.get(name), Mapping)
        out[name] = {**out[name], **v} if given_part else v
    for name, v in out.items():
        if v == MISSING:
            raise ConfigError(f"{key}.{name}", None, "a value (this field is required)")
    return out


def disruptions_spec(
    c: Mapping[str, Any] | None, net: NetworkSpec, demand: DemandSpec, warmup: float, end: float
) -> DisruptionsSpec:
    """Validate the ``disruption`` config against the network."""
    if not c:
        return NONE
    scripted = []
    for name, d in (c.get("scripted") or {}).items():
        key = f"disruption.scripted.{name}"
        d = _fields(key, d, DisruptionConf)
        kind = _kind(f"{key}.kind", d.get("kind"))
        target = _check_target(f"{key}.target", kind, d.get("target"), net)
        horizon = end - warmup
        start = num(
            f"{key}.start",
            d.get("start"),
            -warmup,
            what=f"a measured day >= {-warmup:g} (0 is the first day after warm-up)",
        )
        if start >= horizon:  # it may end past the horizon: the drain follows what it costs
            raise ConfigError(
                f"{key}.start",
                d.get("start"),
                f"a measured day before the end of the horizon (experiment.horizon_days="
                f"{horizon:g}): a window starting later is never measured (lengthen the "
                "horizon or move the window; it may end past the horizon)",
            )
        duration = d.get("duration")
        if isinstance(duration, (int, float)) and not isinstance(duration, bool) and duration <= 0:
            raise ConfigError(
                f"{key}.duration",
                duration,
                "a duration > 0 days (a disruption must end after it starts)",
            )
        duration = num(f"{key}.duration", duration, 0.0, lo_open=True)
        scripted.append(
            Disruption(
                kind,
                target,
                warmup + start,
                warmup + start + duration,
                str(d.get("label") or f"{kind.value} {target}"),
                _effect(key, kind, d, demand),
                key,
            )
        )
    randoms = []
    for name, d in (c.get("random") or {}).items():
        key = f"disruption.random.{name}"
        d = _fields(key, d, RandomDisruptionConf)
        kind = _kind(f"{key}.kind", d.get("kind"))
        targets = tuple(
            _check_target(f"{key}.targets[{i}]", kind, t, net)
            for i, t in enumerate(d.get("targets") or ())
        )
        if not targets:
            raise ConfigError(f"{key}.targets", [], "at least one target")
        rate = num(f"{key}.rate_per_year", d.get("rate_per_year"), 0.0, what="a rate per year >= 0")
        randoms.append(
            RandomDisruption(
                key,
                kind,
                targets,
                rate,
                distribution(f"{key}.duration", d.get("duration") or {}),
                str(d.get("label") or kind.value),
                _effect(key, kind, d, demand),
            )
        )
    return DisruptionsSpec(
        str(c.get("name") or "none"),
        str(c.get("description") or ""),
        tuple(scripted),
        tuple(randoms),
    )
