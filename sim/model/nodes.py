"""Runtime objects of the model: what each node and lane needs while the clock runs.

They hold resources, samplers and state; the processes in :mod:`sim.model.flows` and
:mod:`sim.model.cycle` act on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from ..spec import LaneSpec, NodeSpec


@dataclass
class Gateway:
    """A port (berths) or customs office (officers): a ``simpy.Resource`` and its samplers."""

    index: int  # row in the recorder's queue table
    node: int  # index of the node in the network
    spec: NodeSpec
    resource: simpy.Resource
    service: Any  # Sampler of own shipments' service times
    inspect_u: Any = None  # Sampler of U(0, 1), customs only
    hold: Any = None  # Sampler of inspection hold times, customs only


@dataclass
class Factory:
    """A capacity-limited plant: one production line working orders first come, first served."""

    node: int
    spec: NodeSpec
    line: simpy.Resource
    setup: Any  # Sampler of set-up times per order


@dataclass
class Lane:
    """A lane with its schedule bookings and samplers."""

    index: int
    spec: LaneSpec
    transit: Any
    loss_u: Any
    booked: dict[int, int] = field(default_factory=dict)

    def departure(self, now: float, units: int) -> tuple[float, int]:
        """Time of the first departure at or after ``now`` with room, and the room it has.

        Departures are at ``first_sailing + k * headway``, computed from ``k`` (no drift).
        Unscheduled lanes depart at once with unlimited room.
        """
        s = self.spec
        if s.sailings_per_week <= 0:
            return now, units
        h = s.headway
        k = max(0, math.ceil((now - s.first_sailing) / h - 1e-9))
        while True:
            t = s.first_sailing + k * h
            if t >= now - 1e-9:
                room = units if s.capacity <= 0 else s.capacity - self.booked.get(k, 0)
                if room > 0:
                    if s.capacity > 0:
                        self.booked[k] = self.booked.get(k, 0) + min(room, units)
                    return t, min(room, units)
            k += 1


@dataclass
class Supply:
    """Replenishment of one SKU class at one warehouse: a factory and the legs to the warehouse."""

    mask: np.ndarray  # SKUs of the class
    factory: Factory
    legs: tuple[tuple[Lane, Any], ...]  # (lane, gateway at its far end or None)


@dataclass
class Warehouse:
    """A stocking node: its stock handler, policy levels and supplies."""

    index: int
    node: int
    spec: NodeSpec
    stock: Any  # handlers.Stock
    kind: int  # 0 base_stock, 1 sS, 2 RQ
    low: np.ndarray
    high: np.ndarray
    qty: np.ndarray
    review_days: int
    inbound: Any  # handlers.Level: units in transit towards this warehouse
    supplies: list[Supply] = field(default_factory=list)
    markets: list["Market"] = field(default_factory=list)


@dataclass
class Market:
    """A customer region: its demand matrix and the last-mile lane from its warehouse."""

    index: int
    node: int
    spec: NodeSpec
    demand: np.ndarray  # (days, SKUs)
    last_mile: Lane
