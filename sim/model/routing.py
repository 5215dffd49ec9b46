"""Ways around closures, as a strategy observing the network sees them: the fastest open route
from a node to a stock pool, an open lane parallel to a suspended one, and the nearest open port
of the same region to divert a ship to.

What is closed is read from the runtime objects at the moment of asking; routes are cached per
set of closures.
"""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx

from ..core.enums import Mode, NodeKind
from ..plan.graph import shortest_route
from .geo import great_circle_km, sailing_days
from .network import Network
from .nodes import Gateway, Lane, Legs, Warehouse


class Router:
    """Open routes over ``network`` (its graph ``graph``): replenishment by its ``modes``,
    deliveries of several legs to a market by ``delivery_modes``."""

    def __init__(
        self,
        network: Network,
        graph: nx.MultiDiGraph,
        modes: Collection[Mode],
        delivery_modes: Collection[Mode] = (),
    ) -> None:
        self.network = network
        self.graph = graph
        self.modes = modes
        self.delivery_modes = delivery_modes
        self._routes: dict[tuple, Legs | None] = {}

    def closed(self) -> tuple[frozenset, frozenset]:
        """Ids of the gateways and of the lanes closed now."""
        nodes = frozenset(g.spec.id for g in self.network.gateways if g.active and g.closed())
        lanes = frozenset(
            ln.spec.id for ln in self.network.lanes.values() if ln.active and ln.closed()
        )
        return nodes, lanes

    def reroute(self, here: str, wh: Warehouse) -> Legs | None:
        """The fastest open route from ``here`` to ``wh``, or None."""
        return self._open_route(here, wh.spec.id, self.modes)

    def reroute_delivery(self, here: str, market: str) -> Legs | None:
        """The fastest open route of the delivery modes from ``here`` to ``market``, or None."""
        return self._open_route(here, market, self.delivery_modes)

    def _open_route(self, here: str, dest: str, modes: Collection[Mode]) -> Legs | None:
        nodes, lanes = self.closed()
        key = (here, dest, nodes, lanes, modes is self.modes)
        if key not in self._routes:
            found = shortest_route(self.graph, here, dest, modes, nodes, lanes)
            self._routes[key] = None if found is None else self.network.legs(found[1])
        return self._routes[key]

    def parallel_lane(self, lane: Lane) -> Lane | None:
        """The fastest open lane with the same ends and a mode the strategy uses, or None."""
        s = lane.spec
        best = None
        for other in self.network.lanes.values():
            o = other.spec
            if (
                other is lane
                or o.src != s.src
                or o.dst != s.dst
                or other.closed()
                or o.mode not in self.modes
            ):
                continue
            if best is None or o.transit.mean < best.spec.transit.mean:
                best = other
        return best

    def divert(self, gate: Gateway, wh: Warehouse) -> tuple[float, Gateway, Legs] | None:
        """For a ship arriving at closed port ``gate``: the nearest open port of the same region
        with a route on to ``wh``, the extra sailing days, and the legs from there."""
        best = None
        for g in self.network.gateways:
            s = g.spec
            if (
                g is gate
                or s.kind is not NodeKind.PORT
                or s.region != gate.spec.region
                or g.closed()
                or s.id not in self.network.seaports
            ):
                continue
            legs = self.reroute(s.id, wh)
            if legs is None:
                continue
            km = great_circle_km(gate.spec.lat, gate.spec.lon, s.lat, s.lon)
            if best is None or km < best[0]:
                best = (km, g, legs)
        if best is None:
            return None
        return sailing_days(best[0]), best[1], best[2]
