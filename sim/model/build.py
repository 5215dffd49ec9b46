"""Build one replication's model from a scenario and its plan: the runtime network, the demand
of every market and outlet, the stock pools, the :class:`~sim.model.runtime.Model` holding
them, and the processes that drive it.

The processes are started in a fixed order (disruptions, the daily cycle, the docks' daily
allowance, the warm-up mark, other carriers' ships), since SimPy serves simultaneous events in
the order they were scheduled.
"""

from __future__ import annotations

from types import ModuleType

import simpy

from ..config.spec import Scenario
from ..core.distributions import Exponential
from ..core.enums import Cause
from ..core.rng import Streams
from ..plan import Plan
from ..plan.graph import build_graph
from .cycle import Days
from .demand import day_of_year
from .dock import Dock, daily_allowance
from .effects import disruption
from .network import Network, build_network
from .orderbook import OrderBook
from .outlets import build_outlets, draw_markets, split_demand
from .pools import build_pools
from .routing import Router
from .runtime import Model
from .windows import realize


def build_model(
    sc: Scenario,
    plan: Plan,
    replication: int,
    h: ModuleType,
    disrupted: bool = True,
    drain: bool = False,
) -> Model:
    """Build the model of one replication with handler backend ``h``; ``disrupted=False``
    gives the same replication without its disruptions (the same random streams); ``drain``
    runs it ``experiment.drain_days`` past the horizon (a disruption and its twin compared)."""
    env = simpy.Environment()
    streams = Streams(sc.seed, replication)
    ex = sc.experiment
    windows = (
        realize(sc.disruptions, lambda i: streams.get("disruption", i), ex.end) if disrupted else []
    )
    network = build_network(sc.network, env, h, streams)
    st = sc.strategy
    router = Router(network, build_graph(sc.network), st.replenishment_modes, st.delivery_modes)
    drain_days = ex.drain_days if drain else 0
    doy = day_of_year(
        ex.start_day_of_year, ex.warmup_days, ex.warmup_days + ex.horizon_days + drain_days
    )
    markets, market_demand, orders = draw_markets(
        sc, plan, windows, doy, streams, network.node_index, h
    )
    book = OrderBook(sc, plan, markets, orders, doy.size) if orders else None
    outlet_demand, pool_rate = split_demand(
        sc, plan, market_demand, streams, network.node_index, book
    )
    warehouses, by_pool, docks = build_pools(sc, plan, h, network, pool_rate, doy)
    outlets = build_outlets(plan, markets, by_pool, outlet_demand, network)
    m = Model(
        sc,
        h,
        env,
        streams,
        windows=windows,
        router=router,
        doy=doy,
        markets=markets,
        stock_nodes=plan.warehouses,
        warehouses=warehouses,
        outlets=outlets,
        drain_days=drain_days,
        book=book,
    )
    _start_processes(m, network, docks, streams)
    return m


def _start_processes(m: Model, network: Network, docks: dict[str, Dock], streams: Streams) -> None:
    """Start the processes driving ``m``, in the order that breaks ties between them."""
    env = m.env
    h = m.h
    for w in m.windows:
        targets = network.targets(w)
        if targets:
            env.process(disruption(env, m, w, targets))
    Days(env, m)
    for dock in docks.values():
        env.process(daily_allowance(env, m, dock))
    env.process(m.warmup_mark())
    if m.stop > m.end:
        env.process(m.window_mark())
    for g in m.gateways:
        util = g.spec.background_utilisation
        if util > 0:
            mean_service = g.spec.service_time.mean
            rate = util * g.spec.capacity / mean_service
            h.ShipCalls(
                env,
                g,
                m.rec.waits,
                int(Cause.BERTH_QUEUE),
                h.Sampler(Exponential(1.0 / rate), streams.lazy("background", g.node)),
                h.Sampler(g.spec.service_time, streams.lazy("background", 10_000 + g.node)),
            )
