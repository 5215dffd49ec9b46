"""Ordering of simultaneous events.

SimPy orders events at the same time by priority, then by scheduling order. Ripple's daily
cycle (demand, then review) is scheduled with :data:`LATE` priority, so that at any instant
every arrival and release is processed before the day's demand is served: stock that arrives
at 10.5 is on the shelf for the demand of 10.5.
"""

from __future__ import annotations

LATE = 2  # after simpy's URGENT (0) and NORMAL (1)
