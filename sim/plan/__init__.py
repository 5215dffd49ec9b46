"""The network as a graph (routes, expected days, GraphML) and the fulfilment plan a strategy
derives from it: which pools hold stock, which pool serves which market, how each is
replenished. Routing errors (a market no factory can reach) are config errors here.

May import :mod:`sim.config` and :mod:`sim.core`.
"""

from .builder import make_plan
from .routes import Feed, Outlet, Plan, Pool, Route, Supply
from .supplies import route_of

__all__ = ["Feed", "Outlet", "Plan", "Pool", "Route", "Supply", "make_plan", "route_of"]
