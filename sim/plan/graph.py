"""Build a ``networkx.DiGraph`` from a :class:`NetworkSpec`, route over it, export GraphML."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

import networkx as nx

from ..config.spec import LaneSpec, NetworkSpec, NodeSpec
from ..core.distributions import Distribution
from ..core.enums import Mode, NodeKind


def _dist_attrs(prefix: str, d: Distribution) -> dict[str, float | str]:
    return {
        f"{prefix}_dist": d.name,
        f"{prefix}_mean": float(d.mean),
        f"{prefix}_sd": float(d.var) ** 0.5,
    }


def _node_attrs(n: NodeSpec) -> dict[str, object]:
    attrs: dict[str, object] = {
        "kind": n.kind.value,
        "name": n.name,
        "lat": n.lat,
        "lon": n.lon,
        "region": n.region,
        "capacity": n.capacity,
        "inspection_prob": n.inspection_prob,
        "background_utilisation": n.background_utilisation,
        "holding_cost": n.holding_cost,
        "handling_cost": n.handling_cost,
        "customs_fee": n.customs_fee,
        "duty_rate": n.duty_rate,
        "makes": ",".join(n.makes),
        "demand_scale": n.demand_scale,
        "promise_days": n.promise_days,
    }
    attrs.update(_dist_attrs("service_time", n.service_time))
    attrs.update(_dist_attrs("inspection_time", n.inspection_time))
    return attrs


def _lane_attrs(ln: LaneSpec) -> dict[str, object]:
    attrs: dict[str, object] = {
        "id": ln.id,
        "mode": ln.mode.value,
        "carrier": ln.carrier,
        "via": ln.via,
        "via_at": ln.via_at,
        "sailings_per_week": ln.sailings_per_week,
        "first_sailing": ln.first_sailing,
        "capacity": ln.capacity,
        "cost_per_kg": ln.cost_per_kg,
        "cost_per_shipment": ln.cost_per_shipment,
        "loss_prob": ln.loss_prob,
    }
    attrs.update(_dist_attrs("transit", ln.transit))
    return attrs


def build_graph(network: NetworkSpec) -> nx.MultiDiGraph:
    """The network as a MultiDiGraph (edge key = lane id; parallel lanes are alternative
    routes or carriers) with scalar attributes (GraphML-safe)."""
    g = nx.MultiDiGraph(name=network.name, description=network.description)
    for n in network.nodes:
        g.add_node(n.id, **_node_attrs(n))
    for ln in network.lanes:
        g.add_edge(ln.src, ln.dst, key=ln.id, **_lane_attrs(ln))
    return g


def expected_hop_days(g: nx.MultiDiGraph, u: str, v: str, lane: str) -> float:
    """Expected days to cross ``lane`` (u->v) and be served at v: mean sailing wait, transit,
    service and inspection."""
    e = g.edges[u, v, lane]
    spw = e["sailings_per_week"]
    wait = 3.5 / spw if spw > 0 else 0.0
    node = g.nodes[v]
    service = node["service_time_mean"] if node["kind"] in ("port", "customs") else 0.0
    inspect = node["inspection_prob"] * node["inspection_time_mean"]
    return wait + e["transit_mean"] + service + inspect


def best_lane(
    g: nx.MultiDiGraph, u: str, v: str, modes: Iterable[Mode], closed_lanes: Collection[str] = ()
) -> tuple[str, float] | None:
    """The open lane u->v of an allowed mode with the fewest expected days, and those days."""
    allowed = {m.value for m in modes}
    best = None
    for key, e in g[u][v].items():
        if e["mode"] not in allowed or key in closed_lanes:
            continue
        days = expected_hop_days(g, u, v, key)
        if best is None or days < best[1]:
            best = (key, days)
    return best


def shortest_route(
    g: nx.MultiDiGraph,
    src: str,
    dst: str,
    modes: Iterable[Mode],
    closed_nodes: Collection[str] = (),
    closed_lanes: Collection[str] = (),
) -> tuple[list[str], list[str]] | None:
    """Fastest expected path from ``src`` to ``dst`` over open lanes of ``modes``.

    Paths may not pass through factories, warehouses, markets or closed nodes on the way.
    Returns ``(nodes, lane ids)``, or None when there is no such path.
    """
    modes = tuple(modes)
    blocked = {
        NodeKind.WAREHOUSE.value,
        NodeKind.MARKET.value,
        NodeKind.FACTORY.value,
        NodeKind.HUB.value,
        NodeKind.FC.value,
    }

    def weight(u: str, v: str, _edges: dict) -> float | None:
        if v != dst and (g.nodes[v]["kind"] in blocked or v in closed_nodes):
            return None
        b = best_lane(g, u, v, modes, closed_lanes)
        return None if b is None else b[1]

    try:
        path = nx.shortest_path(g, src, dst, weight=weight)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    lanes = []
    for u, v in zip(path, path[1:]):
        b = best_lane(g, u, v, modes, closed_lanes)
        if b is None:  # only when src == dst
            return None
        lanes.append(b[0])
    return path, lanes


def export_graphml(network: NetworkSpec, path: Path) -> None:
    """Write the network as GraphML."""
    nx.write_graphml(build_graph(network), path)
