"""Which nodes and lanes a disruption acts on, resolved from the network spec."""

from __future__ import annotations

from ..core.enums import DisruptionKind, NodeKind
from .spec import NetworkSpec

# The node kind each node-targeted disruption kind hits.
NODE_KIND = {
    DisruptionKind.PORT_STRIKE: NodeKind.PORT,
    DisruptionKind.PORT_CONGESTION: NodeKind.PORT,
    DisruptionKind.CUSTOMS_HOLD: NodeKind.CUSTOMS,
    DisruptionKind.FACTORY_OUTAGE: NodeKind.FACTORY,
    DisruptionKind.DEMAND_SURGE: NodeKind.MARKET,
}


def affected(
    net: NetworkSpec, kind: DisruptionKind | str, target: str
) -> tuple[frozenset[str], frozenset[str]]:
    """The node ids and lane ids a disruption of ``kind`` on ``target`` acts on, as the model
    resolves them: a node; a lane or every lane through ``via:NAME``; a carrier's lanes; a
    lane or every lane of a mode (freight cost shock)."""
    kind = DisruptionKind(kind)
    if kind in NODE_KIND:
        return frozenset({target} & set(net.node_by_id)), frozenset()
    lanes = net.lanes
    if kind is DisruptionKind.ROUTE_SUSPENSION:
        hit = [ln for ln in lanes if ln.id == target or (ln.via and f"via:{ln.via}" == target)]
    elif kind is DisruptionKind.CARRIER_FAILURE:
        hit = [ln for ln in lanes if ln.carrier and ln.carrier == target]
    elif kind is DisruptionKind.FREIGHT_COST_SHOCK:
        hit = [ln for ln in lanes if target in (ln.id, ln.mode.value)]
    else:
        hit = []
    return frozenset(), frozenset(ln.id for ln in hit)
