"""Slots: berths, customs officers or a production line, first come first served, with
precedence for disruptions that take capacity away.

A lighter stand-in for ``simpy.Resource`` / ``simpy.PriorityResource`` with the same queueing:
``capacity`` slots; a request is granted at once when a slot is free, else it waits in order of
(priority, arrival); a release hands the slot straight to the first waiter. A request granted at
once returns an event that has already been processed, so the requesting process goes on
without a round trip through the event queue, and a release schedules an event only when it
wakes a waiter. On the default scenario this halves the events a port call costs.
"""

from __future__ import annotations

import heapq

import simpy


class Slots:
    """``capacity`` slots shared first come, first served (lower ``priority`` first)."""

    __slots__ = ("env", "capacity", "count", "queue", "_seq", "_granted")

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self.env = env
        self.capacity = capacity
        self.count = 0  # slots in use
        self.queue: list[tuple[int, int, simpy.Event]] = []  # waiters: (priority, seq, event)
        self._seq = 0
        granted = simpy.Event(env)  # an event already processed: yielding it does not wait
        granted._ok = True  # noqa: SLF001 - SimPy's own way of marking a processed event
        granted._value = None  # noqa: SLF001
        granted.callbacks = None
        self._granted = granted

    def request(self, priority: int = 0) -> simpy.Event:
        """An event that fires when a slot is the caller's (at once when one is free)."""
        if self.count < self.capacity:
            self.count += 1
            return self._granted
        ev = simpy.Event(self.env)
        heapq.heappush(self.queue, (priority, self._seq, ev))
        self._seq += 1
        return ev

    def release(self) -> None:
        """Give a slot back: to the first waiter, or free."""
        if self.queue:
            heapq.heappop(self.queue)[2].succeed()
        else:
            self.count -= 1
