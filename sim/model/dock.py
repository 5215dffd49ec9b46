"""A warehouse's receiving dock with a daily put-away limit (``capacity`` units per day).

A shipment reaching a stocking node whose ``capacity`` is above 0 is put away at once while the
day's allowance lasts (one dock per node, shared by the stock pools kept there); what exceeds
it waits at the dock, first come first served, for the allowance of the next days (the
allowance resets at each whole day; it is not carried over). Units waiting at the dock are not
on the shelf, so demand they could have met is backordered or lost as ``policy.unmet`` says;
they stay in transit (the pipeline) until put away, so units are conserved. Each wait is logged
as :attr:`~sim.enums.Cause.DOCK_WAIT` at the node.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np
import simpy

from ..core.enums import Cause
from .flows import Proc
from .nodes import Warehouse

if TYPE_CHECKING:
    from .runtime import Model


class Dock:
    """The put-away allowance of one node and the shipments waiting for it."""

    def __init__(self, node: int, per_day: int) -> None:
        self.node = node
        self.per_day = per_day
        self.left = per_day  # allowance left today
        # (arrival time, pool, units, expedite flag) in arrival order
        self.waiting: deque[tuple[float, Warehouse, np.ndarray, bool]] = deque()

    def units_waiting(self) -> int:
        return int(sum(int(q.sum()) for _, _, q, _ in self.waiting))


def arrive_at_dock(m: "Model", wh: Warehouse, qty: np.ndarray, extra: bool) -> None:
    """A shipment reached ``wh``: put away what today's allowance takes, queue the rest."""
    dock = wh.dock
    if dock.waiting:
        dock.waiting.append((m.env.now, wh, qty, extra))
        return
    _put_away(m, dock, m.env.now, wh, qty, extra)


def _put_away(
    m: "Model", dock: Dock, t_arrived: float, wh: Warehouse, qty: np.ndarray, extra: bool
) -> bool:
    """Put away as much of ``qty`` as the allowance takes; queue the rest at the front (it
    arrived first). Returns whether all of it went in."""
    units = int(qty.sum())
    if units <= dock.left:
        part, rest = qty, None
    elif dock.left > 0:
        part, rest = m.h.split(qty, dock.left)
    else:
        part, rest = None, qty
    now = m.env.now
    if part is not None:
        n = int(part.sum())
        dock.left -= n
        if now > t_arrived:
            m.rec.waits.add(t_arrived, dock.node, Cause.DOCK_WAIT, now - t_arrived, n)
        m.receive(wh, part, extra)
    if rest is not None:
        dock.waiting.appendleft((t_arrived, wh, rest, extra))
        return False
    return True


def daily_allowance(env: simpy.Environment, m: "Model", dock: Dock) -> Proc:
    """At each whole day: renew the allowance and put away the waiting shipments in order."""
    for day in range(1, m.n_days + 1):
        yield env.timeout(day - env.now)
        dock.left = dock.per_day
        while dock.waiting:
            t_arrived, wh, qty, extra = dock.waiting.popleft()
            if not _put_away(m, dock, t_arrived, wh, qty, extra):
                break
