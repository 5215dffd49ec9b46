"""Ordering of simultaneous events.

SimPy orders events at the same time by priority, then by scheduling order. Ripple's daily
cycle (demand, then review) is scheduled with :data:`LATE` priority, so that at any instant
every arrival and release is processed before the day's demand is served: stock that arrives
at 10.5 is on the shelf for the demand of 10.5.
"""

from __future__ import annotations

import simpy
from simpy.events import Event

LATE = 2  # after simpy's URGENT (0) and NORMAL (1)


class LateTimeout(Event):
    """A timeout processed after every normal event of its instant."""

    def __init__(self, env: simpy.Environment, delay: float) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, LATE, delay)
