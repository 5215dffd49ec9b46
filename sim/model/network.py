"""The runtime network of one replication: the lanes, gateways (ports and customs offices) and
factories built from the network spec, each with its resources and random samplers, and the
objects a disruption window acts on. Their draws are keyed (a shipment and the node or lane,
a sailing), so a run without its disruption draws the same for what the disruption left alone.

Lanes and gateways exist once, shared by every route through them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import simpy

from ..config.disruption import Disruption
from ..config.spec import NetworkSpec
from ..config.targets import affected
from ..core.distributions import Distribution, Uniform
from ..core.enums import DisruptionKind, Mode, NodeKind
from ..core.rng import Streams
from .nodes import Factory, Gateway, Lane, Legs

UNIT = Uniform(0.0, 1.0)  # draws compared with a probability (loss, inspection)


@dataclass
class Network:
    """The runtime lanes, gateways and factories, and the node indices they are recorded by."""

    spec: NetworkSpec
    node_index: dict[str, int]  # node id -> index in the network's node list
    lanes: dict[str, Lane]  # by lane id, in config order
    gateways: list[Gateway]  # ports and customs offices, in the queue table's order
    gate_by_id: dict[str, Gateway]
    factories: dict[str, Factory]  # by node id
    seaports: set[str]  # where a ship can divert to: ports some sea lane reaches (not airports)

    def legs(self, lanes: tuple[str, ...] | list[str]) -> Legs:
        """Runtime legs of a path given by lane ids."""
        return tuple(
            (self.lanes[lid], self.gate_by_id.get(self.lanes[lid].spec.dst)) for lid in lanes
        )

    def targets(self, w: Disruption) -> list[Any]:
        """The runtime objects ``w`` acts on (lanes in config order); demand surges act on the
        demand drawn at build time and have none."""
        k = w.kind
        if k in (
            DisruptionKind.PORT_STRIKE,
            DisruptionKind.PORT_CONGESTION,
            DisruptionKind.CUSTOMS_HOLD,
        ):
            return [self.gate_by_id[w.target]]
        if k is DisruptionKind.FACTORY_OUTAGE:
            return [self.factories[w.target]]
        _, lanes = affected(self.spec, k, w.target)
        return [ln for ln in self.lanes.values() if ln.spec.id in lanes]


def keyed(h: ModuleType, dist: Distribution, key: int) -> Any:
    """The handlers' keyed draws of ``dist`` under stream key ``key`` (see twin/keyed.py)."""
    return h.Keyed(*dist.keyed_params(), key)


def build_network(
    net: NetworkSpec, env: simpy.Environment, h: ModuleType, streams: Streams
) -> Network:
    """The runtime network of ``net`` on ``env`` with handler backend ``h``; each lane, gateway
    and factory draws from its own streams (keyed by its index in the spec)."""
    node_index = {n.id: i for i, n in enumerate(net.nodes)}
    lane_index = {ln.id: i for i, ln in enumerate(net.lanes)}
    lanes: dict[str, Lane] = {}
    for ln in net.lanes:
        i = lane_index[ln.id]
        lanes[ln.id] = Lane(
            index=i,
            spec=ln,
            transit=keyed(h, ln.transit, streams.key("transit", i)),
            loss_u=keyed(h, UNIT, streams.key("loss", i)),
            sailings=h.Sailings(
                ln.sailings_per_week > 0, ln.first_sailing, ln.headway, ln.capacity
            ),
            scheduled=ln.sailings_per_week > 0,
        )
    gateways: list[Gateway] = []
    gate_by_id: dict[str, Gateway] = {}
    for n in net.nodes:
        if n.kind not in (NodeKind.PORT, NodeKind.CUSTOMS):
            continue
        i = node_index[n.id]
        res = h.Slots(env, n.capacity)
        g = Gateway(
            index=len(gateways),
            node=i,
            spec=n,
            resource=res,
            service=keyed(h, n.service_time, streams.key("service", i)),
        )
        if n.kind is NodeKind.CUSTOMS:
            g.inspect_u = keyed(h, UNIT, streams.key("inspection", i))
            g.hold = keyed(h, n.inspection_time, streams.key("inspection", 10_000 + i))
        gateways.append(g)
        gate_by_id[n.id] = g
    factories = {
        n.id: Factory(
            node=node_index[n.id],
            spec=n,
            line=h.Slots(env, 1),
            setup=keyed(h, n.service_time, streams.key("production", node_index[n.id])),
        )
        for n in net.of_kind(NodeKind.FACTORY)
    }
    seaports = {ln.dst for ln in net.lanes if ln.mode is Mode.SEA}
    return Network(net, node_index, lanes, gateways, gate_by_id, factories, seaports)
