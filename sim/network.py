"""Build a ``networkx.DiGraph`` from a :class:`NetworkSpec`, route over it, export GraphML."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from .distributions import Distribution
from .enums import Mode, NodeKind
from .spec import LaneSpec, NetworkSpec, NodeSpec


def _dist_attrs(prefix: str, d: Distribution) -> dict[str, float | str]:
    return {f"{prefix}_dist": d.name, f"{prefix}_mean": float(d.mean),
            f"{prefix}_sd": float(d.var) ** 0.5}


def _node_attrs(n: NodeSpec) -> dict[str, object]:
    attrs: dict[str, object] = {
        "kind": n.kind.value, "name": n.name, "lat": n.lat, "lon": n.lon, "region": n.region,
        "capacity": n.capacity, "inspection_prob": n.inspection_prob,
        "background_utilisation": n.background_utilisation, "holding_cost": n.holding_cost,
        "handling_cost": n.handling_cost, "customs_fee": n.customs_fee,
        "duty_rate": n.duty_rate, "makes": ",".join(n.makes), "demand_scale": n.demand_scale,
        "promise_days": n.promise_days,
    }
    attrs.update(_dist_attrs("service_time", n.service_time))
    attrs.update(_dist_attrs("inspection_time", n.inspection_time))
    return attrs


def _lane_attrs(ln: LaneSpec) -> dict[str, object]:
    attrs: dict[str, object] = {
        "id": ln.id, "mode": ln.mode.value, "sailings_per_week": ln.sailings_per_week,
        "first_sailing": ln.first_sailing, "capacity": ln.capacity,
        "cost_per_kg": ln.cost_per_kg, "cost_per_shipment": ln.cost_per_shipment,
        "loss_prob": ln.loss_prob,
    }
    attrs.update(_dist_attrs("transit", ln.transit))
    return attrs


def build_graph(network: NetworkSpec) -> nx.DiGraph:
    """The network as a DiGraph with scalar attributes (GraphML-safe)."""
    g = nx.DiGraph(name=network.name, description=network.description)
    for n in network.nodes:
        g.add_node(n.id, **_node_attrs(n))
    for ln in network.lanes:
        g.add_edge(ln.src, ln.dst, **_lane_attrs(ln))
    return g


def expected_hop_days(g: nx.DiGraph, u: str, v: str) -> float:
    """Expected days to cross lane u->v and be served at v: mean sailing wait, transit, service."""
    e = g.edges[u, v]
    spw = e["sailings_per_week"]
    wait = 3.5 / spw if spw > 0 else 0.0
    node = g.nodes[v]
    service = node["service_time_mean"] if node["kind"] in ("port", "customs") else 0.0
    inspect = node["inspection_prob"] * node["inspection_time_mean"]
    return wait + e["transit_mean"] + service + inspect


def shortest_route(g: nx.DiGraph, src: str, dst: str, modes: Iterable[Mode],
                   through: Iterable[NodeKind] = ()) -> list[str] | None:
    """Fastest expected path from ``src`` to ``dst`` using only lanes of ``modes``.

    Paths may not pass through warehouses or markets on the way. Returns the node list, or None.
    """
    allowed = {m.value for m in modes}
    blocked = {NodeKind.WAREHOUSE.value, NodeKind.MARKET.value, NodeKind.FACTORY.value}

    def weight(u: str, v: str, e: dict) -> float | None:
        if e["mode"] not in allowed:
            return None
        if v != dst and g.nodes[v]["kind"] in blocked:
            return None
        return expected_hop_days(g, u, v)

    try:
        path = nx.shortest_path(g, src, dst, weight=weight)
    except nx.NetworkXNoPath:
        return None
    kinds = {g.nodes[n]["kind"] for n in path}
    if any(k.value not in kinds for k in through):
        return None
    return path


def export_graphml(network: NetworkSpec, path: Path) -> None:
    """Write the network as GraphML."""
    nx.write_graphml(build_graph(network), path)
