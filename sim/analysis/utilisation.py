"""How busy the network's capacity was: per factory, port and customs office, the share of its
servers' time spent working over the measured window ``[warmup, end)``.

- A factory has one production line: its busy time is the time its orders were in production
  (set-up and units / rate, the wait log's ``PRODUCTION`` rows), over 1 line x the window's days.
- A port's berths are busy while a shipment is served (``BERTH_SERVICE``) and while another
  carrier's ship is at a berth (``background_utilisation``); a customs office's officers while
  an entry is cleared (``CUSTOMS_SERVICE``; an inspection hold keeps the goods, not an officer,
  and is not counted). Busy time over ``capacity`` x the window's days.
- Other carriers' ships are logged when they take a berth (a ``BERTH_QUEUE`` row with zero
  units: its start and wait), not when they leave, so each is counted at its service time's
  mean (the node's ``service_time``) times the service factor of the disruptions in force at
  the node when it took the berth: the expected busy time of the calls that happened.
- Capacity a disruption takes (a strike holding berths) is not busy: it is capacity lost, not
  used, and stays in the denominator.

``share`` is the whole window's; ``peak`` the largest share over any :data:`PEAK_DAYS`
consecutive days of it (the season's and the promotions' peaks). A service still running when
the run stopped is not in the log and not counted (at most one service time per server at the
end of a run that stops at the window's end).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config.spec import NodeSpec, Scenario
from ..core.enums import Cause, NodeKind
from ..model.recorder import RunRecord

PEAK_DAYS = 28

KINDS = (NodeKind.FACTORY, NodeKind.PORT, NodeKind.CUSTOMS)
SERVICE = {
    NodeKind.FACTORY: Cause.PRODUCTION,
    NodeKind.PORT: Cause.BERTH_SERVICE,
    NodeKind.CUSTOMS: Cause.CUSTOMS_SERVICE,
}


@dataclass(frozen=True)
class Use:
    """What one node's capacity did in the measured window."""

    node: str
    kind: NodeKind
    servers: int  # production lines (1), berths or officers
    own: float  # server-days serving own shipments
    other: float  # server-days serving other carriers' ships (expected; see the module)
    share: float  # (own + other) / (servers x days)
    peak: float  # the largest share over any PEAK_DAYS consecutive days

    @property
    def busy(self) -> float:
        """Server-days busy."""
        return self.own + self.other


def busy_by_day(start: np.ndarray, duration: np.ndarray, days: int) -> np.ndarray:
    """Server-days busy on each whole day ``0 .. days-1`` of intervals ``[start, start +
    duration)`` (each may span several days)."""
    edges = np.arange(days + 1, dtype=float)

    def ramp(x: np.ndarray) -> np.ndarray:
        """sum over i of max(edge - x_i, 0), at every edge."""
        xs = np.sort(np.asarray(x, dtype=float))
        below = np.searchsorted(xs, edges, side="left")
        cum = np.concatenate(([0.0], np.cumsum(xs)))
        return below * edges - cum[below]

    start = np.asarray(start, dtype=float)
    if start.size == 0:
        return np.zeros(days)
    return np.diff(ramp(start) - ramp(start + np.asarray(duration, dtype=float)))


def _factor_at(r: RunRecord, node: str, t: np.ndarray) -> np.ndarray:
    """Product of the service factors of the disruptions in force at ``node`` at times ``t``."""
    f = np.ones_like(t)
    for d in r.disruptions:
        if d.target == node and d.effect.service_factor != 1.0:
            f = np.where((t >= d.start) & (t < d.end), f * d.effect.service_factor, f)
    return f


def _intervals(r: RunRecord, n: NodeSpec, index: int) -> tuple[tuple, tuple]:
    """(start, duration) of own services and of other carriers' calls at node ``n``."""
    w = r.waits[r.waits[:, 1] == index]
    own = w[(w[:, 2] == SERVICE[n.kind]) & (w[:, 4] > 0)]
    calls = w[(w[:, 2] == Cause.BERTH_QUEUE) & (w[:, 4] == 0)]
    begin = calls[:, 0] + calls[:, 3]
    mean = n.service_time.mean if n.kind is not NodeKind.FACTORY else 0.0
    return (own[:, 0], own[:, 3]), (begin, mean * _factor_at(r, n.id, begin))


def utilisation(r: RunRecord, sc: Scenario, peak_days: int = PEAK_DAYS) -> dict[str, Use]:
    """Utilisation of every factory, port and customs office of ``sc`` in ``r``'s measured
    window, by node id in config order."""
    w0, w1 = int(r.warmup), int(r.end)
    n_days = max(w1 - w0, 1)
    span = max(int(np.ceil(r.stop)), w1)
    out: dict[str, Use] = {}
    for index, n in enumerate(sc.network.nodes):
        if n.kind not in KINDS:
            continue
        servers = 1 if n.kind is NodeKind.FACTORY else n.capacity
        (s0, d0), (s1, d1) = _intervals(r, n, index)
        own = busy_by_day(s0, d0, span)[w0:w1]
        other = busy_by_day(s1, d1, span)[w0:w1]
        daily = (own + other) / servers
        k = min(peak_days, daily.size)
        rolling = np.convolve(daily, np.ones(k), mode="valid") / k if k else np.zeros(1)
        out[n.id] = Use(
            node=n.id,
            kind=n.kind,
            servers=servers,
            own=float(own.sum()),
            other=float(other.sum()),
            share=float(daily.sum()) / n_days,
            peak=float(rolling.max()),
        )
    return out
