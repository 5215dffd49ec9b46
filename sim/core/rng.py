"""Random streams: one ``numpy.random.Generator`` per concern and element, per replication.

Streams are keyed, not drawn in sequence, so that two strategies run on the same seed and
replication see the same demand, transit and customs draws (common random numbers) even when
their event orders differ.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

CONCERNS = {
    "demand": 0,
    "transit": 1,
    "service": 2,
    "inspection": 3,
    "loss": 4,
    "background": 5,
    "production": 6,
    "last_mile": 7,
    "disruption": 8,
    "surge": 9,
    "channel": 10,
    "speed": 11,
    "returns": 12,
    "replay": 13,
    "scale": 14,
    "orders": 15,
}


class Streams:
    """Generators for one replication of one root seed."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication

    def get(self, concern: str, element: int = 0) -> np.random.Generator:
        """The generator of ``concern`` (a key of :data:`CONCERNS`) for element ``element``."""
        ss = np.random.SeedSequence(
            self.seed, spawn_key=(self.replication, CONCERNS[concern], element)
        )
        return np.random.Generator(np.random.PCG64(ss))

    def key(self, concern: str, element: int = 0) -> int:
        """A 64-bit key for the keyed draws of ``concern`` and ``element`` (see
        :class:`sim.model.twin.keyed.Keyed`): a function of the seed, the replication, the
        concern and the element only."""
        # The extra spawn-key word keeps the key apart from :meth:`get`'s generator state.
        ss = np.random.SeedSequence(
            self.seed, spawn_key=(self.replication, CONCERNS[concern], element, 1)
        )
        return int(ss.generate_state(1, np.uint64)[0])

    def lazy(self, concern: str, element: int = 0) -> Callable[[], np.random.Generator]:
        """A function making :meth:`get`'s generator when first needed (a stream costs tens of
        microseconds to set up; a model has many it may never draw from)."""
        return partial(self.get, concern, element)
