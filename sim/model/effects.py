"""Disruption processes: each applies its effect to the one object it targets at its start and
lifts it at its end.

Capacity cuts (port strike, customs stop, factory stop) are other requests on the target's
``Slots`` (:mod:`sim.handlers`) with precedence over cargo: they take berths, officers or
the line as soon as the work in hand finishes, and hold them until the disruption ends. A
partial factory outage (``0 < capacity_factor < 1``) instead slows production: an order started
while it is in force takes ``units / (capacity * factor)`` days. Every other effect is a state
the target reads (service factor, inspection, loss, cost, closure).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import simpy

from ..config.disruption import Disruption
from ..core.enums import DisruptionKind
from .flows import Proc

if TYPE_CHECKING:
    from .runtime import Model

BLOCK_PRIORITY = -1  # before any cargo (priority 0)

CAPACITY_KINDS = (
    DisruptionKind.PORT_STRIKE,
    DisruptionKind.CUSTOMS_HOLD,
    DisruptionKind.FACTORY_OUTAGE,
)


def disruption(env: simpy.Environment, m: "Model", d: Disruption, targets: list[Any]) -> Proc:
    """Hold ``d`` over ``targets`` (one object, or every lane of a carrier or mode)."""
    if d.start > env.now:
        yield env.timeout(d.start - env.now)
    for t in targets:
        t.active.append(d)
        if d.kind is DisruptionKind.ROUTE_SUSPENSION:
            # Shipments already on the lane divert or wait, in the order they departed.
            for ship in list(t.riding):
                ship.interrupt(d)
        if d.kind in CAPACITY_KINDS and not d.effect.sku_class and not _slows(d):
            res = t.resource if hasattr(t, "resource") else t.line
            blocked = res.capacity - int(math.floor(res.capacity * d.effect.capacity_factor + 1e-9))
            for _ in range(blocked):
                env.process(_block(env, res, d.end))
    down = m.downtime.get(d.target)
    if down is None:
        down = m.downtime[d.target] = Downtime()
    down.start(env.now)
    yield env.timeout(max(d.end - env.now, 0.0))
    for t in targets:
        t.lifted(d)
    down.stop(env.now)


def _slows(d: Disruption) -> bool:
    """A partial factory outage slows the line's rate (:meth:`Factory.rate_factor`) instead of
    blocking it: the line is one server, so blocking a share of it would stop it."""
    return d.kind is DisruptionKind.FACTORY_OUTAGE and d.effect.capacity_factor > 0.0


class Downtime:
    """Days a target spent under at least one disruption (overlaps counted once)."""

    def __init__(self) -> None:
        self.active = 0
        self.days = 0.0
        self._since = 0.0

    def start(self, t: float) -> None:
        if self.active == 0:
            self._since = t
        self.active += 1

    def stop(self, t: float) -> None:
        self.active -= 1
        if self.active == 0:
            self.days += t - self._since

    def close(self, end: float) -> None:
        """Count a disruption still running at the end of the run up to ``end``."""
        if self.active > 0:
            self.days += end - self._since
            self._since = end


def _block(env: simpy.Environment, res: Any, until: float) -> Proc:
    yield res.request(priority=BLOCK_PRIORITY)
    if until > env.now:
        yield env.timeout(until - env.now)
    res.release()
