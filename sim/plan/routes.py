"""What a plan is made of: routes, stock pools, the outlets they serve and how each pool is
replenished (:class:`Plan`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.enums import Tier


@dataclass(frozen=True)
class Route:
    """A path of nodes and the lanes between them (lane ids)."""

    nodes: tuple[str, ...]
    lanes: tuple[str, ...]
    expected_days: float


@dataclass(frozen=True)
class Supply:
    """How one stock pool is replenished with one SKU class from a factory."""

    warehouse: str  # node id of the pool
    size_class: str
    factory: str
    route: Route
    pool: str = ""  # pool id ("" = the node id)

    @property
    def pool_id(self) -> str:
        return self.pool or self.warehouse


@dataclass(frozen=True)
class Pool:
    """A stock pool: where it is, its role, and the sales channel it keeps stock for."""

    id: str  # unique: the node id, or node/channel, or node/tier
    node: str
    tier: Tier
    channel: str = ""  # "" = every channel


@dataclass(frozen=True)
class Outlet:
    """Demand of one market (one channel, one SKU class or all) served from one pool."""

    market: str
    pool: str
    route: Route  # delivery route from the pool's node to the market
    size_class: str = ""  # "" = every class
    channel: str = ""  # "" = every channel
    local: bool = True  # the pool is in the market's country (returns go back to stock)


@dataclass(frozen=True)
class Feed:
    """A pool replenished from another pool's stock (a fulfilment centre from its reservoir)."""

    pool: str
    source: str
    route: Route


@dataclass(frozen=True)
class Plan:
    """Stock pools, the outlets they serve, and how each is replenished.

    ``warehouses`` are the nodes holding stock, in the order the recorder's per-node arrays use.
    """

    warehouses: tuple[str, ...]
    markets: tuple[str, ...]
    market_warehouse: tuple[tuple[str, str, str], ...]  # (market, node, first delivery lane)
    supply: tuple[Supply, ...]
    expedite: tuple[Supply, ...] = ()  # routes for expedited orders (when the strategy has them)
    secondary: tuple[Supply, ...] = ()  # second origin per warehouse and class (dual sourcing)
    transfers: tuple[tuple[str, str, Route], ...] = ()  # (from, to, route) between warehouses
    pools: tuple[Pool, ...] = ()
    outlets: tuple[Outlet, ...] = ()
    feeds: tuple[Feed, ...] = ()

    def served_by(self, warehouse: str) -> tuple[str, ...]:
        """Markets served from ``warehouse``."""
        pools = {p.id for p in self.pools if p.node == warehouse}
        return tuple(dict.fromkeys(o.market for o in self.outlets if o.pool in pools))

    def pool(self, pool_id: str) -> Pool:
        """The pool with id ``pool_id``."""
        return next(p for p in self.pools if p.id == pool_id)
