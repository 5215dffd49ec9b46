"""The disruption windows one replication faces: the scripted ones and draws of the random
processes (an alternating renewal process per target: availability is MTBF / (MTBF + MTTR))."""

from __future__ import annotations

from typing import Any

from ..config.disruption import Disruption, DisruptionsSpec


def realize(spec: DisruptionsSpec, rng_for: Any, end: float) -> list[Disruption]:
    """The windows of one replication: scripted ones and random draws up to ``end``.

    ``rng_for(i)`` gives the generator of random process ``i`` and target ``j`` as
    ``rng_for(i * 1000 + j)``.
    """
    out = list(spec.scripted)
    for i, r in enumerate(spec.random):
        if r.rate_per_year <= 0:
            continue
        for j, target in enumerate(r.targets):
            rng = rng_for(i * 1000 + j)
            t = 0.0
            while True:
                t += float(rng.exponential(365.0 / r.rate_per_year))
                if t >= end:
                    break
                dur = float(r.duration.sample(rng, 1)[0])
                out.append(
                    Disruption(r.kind, target, t, t + dur, f"{r.label} {target}", r.effect, r.key)
                )
                t += dur
    out.sort(key=lambda d: (d.start, d.target, d.kind.value))
    return out
