"""The event machinery the model drives: timeouts with a callback, FIFO slots, other
carriers' ship calls, the run loop and the daily queue snapshot (pure-Python twin of
``ext/engine.pxi``)."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

import numpy as np
import simpy
from simpy.events import NORMAL, URGENT

from .sampling import Log, Sampler


def after(
    env: simpy.Environment, delay: float, callback: Callable, priority: int = NORMAL
) -> simpy.Event:
    """A timeout of ``delay`` that calls ``callback`` (the event), processed among the events of
    its instant by ``priority`` (SimPy's, or the model's LATE)."""
    ev: simpy.Event
    if priority == NORMAL:
        ev = env.timeout(delay)
    else:
        ev = _triggered(env)
        env.schedule(ev, priority, delay)  # type: ignore[arg-type]  # the model's LATE is an int
    ev.callbacks.append(callback)
    return ev


def start(env: simpy.Environment, callback: Callable) -> simpy.Event:
    """An event at ``now``, before the instant's normal events, calling ``callback``: what
    starting a SimPy process schedules."""
    ev = _triggered(env)
    ev.callbacks.append(callback)
    env.schedule(ev, URGENT)
    return ev


def _triggered(env: simpy.Environment) -> simpy.Event:
    """An event that succeeded, not yet scheduled."""
    ev = simpy.Event(env)
    ev._ok = True  # noqa: SLF001 - SimPy's own way of marking a triggered event
    ev._value = None  # noqa: SLF001
    return ev


class Slots:
    """``capacity`` slots (berths, customs officers, a production line) shared first come,
    first served, lower ``priority`` first. A request granted at once returns an event SimPy has
    already processed, so the requester goes on without a trip through the event queue; a
    release schedules an event only when it wakes a waiter."""

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
        granted.callbacks = None  # type: ignore[assignment]  # SimPy's mark of a processed event
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


class ShipCalls:
    """Other carriers' ship calls at a port: Poisson arrivals each holding a berth for a
    service time, logged as berth waits with zero units. A chain of event callbacks, not a
    process per call: a ship call has nothing to decide. ``gate``: the port (its ``resource``
    slots, ``node``, ``active`` disruptions and ``service_factor()``)."""

    def __init__(
        self,
        env: simpy.Environment,
        gate: Any,
        waits: Log,
        cause: int,
        interarrival: Sampler,
        service: Sampler,
    ) -> None:
        self._env, self._gate, self._slots, self._waits = env, gate, gate.resource, waits
        self._node, self._cause = gate.node, cause
        self._inter, self._service = interarrival, service
        after(env, interarrival.next(), self._arrive)

    def _arrive(self, _ev: simpy.Event) -> None:
        after(self._env, self._inter.next(), self._arrive)
        req = self._slots.request(0)
        t0, service = self._env.now, self._service.next()
        if req.callbacks is None:  # a berth was free
            self._berth(t0, service)
        else:
            req.callbacks.append(lambda _r: self._berth(t0, service))

    def _berth(self, t0: float, service: float) -> None:
        self._waits.add(t0, self._node, self._cause, self._env.now - t0, 0)
        after(self._env, service * self._gate.service_factor(), self._release)

    def _release(self, _ev: simpy.Event) -> None:
        self._slots.release()


def run(env: simpy.Environment, until: float) -> None:
    """Run ``env`` until time ``until`` (SimPy's own loop)."""
    env.run(until=until)


def queues(table: np.ndarray, day: int, slots: list[Slots]) -> None:
    """Write into row ``day`` of ``table`` the requests waiting or served at each of ``slots``."""
    table[day] = [len(s.queue) + s.count for s in slots]
