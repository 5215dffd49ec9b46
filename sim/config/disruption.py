"""Disruption specs: what a disruption changes (:class:`Effect`), a scripted window
(:class:`Disruption`), a random process of them (:class:`RandomDisruption`) and a scenario's set
(:class:`DisruptionsSpec`). Times are simulation days; config gives measured days (0 = the
first day after warm-up), which :mod:`sim.config.disruption_rules` converts.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.distributions import Distribution
from ..core.enums import DisruptionKind


@dataclass(frozen=True)
class Effect:
    """What a disruption changes; fields unused by its kind keep neutral values."""

    capacity_factor: float = 1.0
    service_factor: float = 1.0
    inspection_prob: float | None = None
    hold_factor: float = 1.0
    sku_class: str = ""
    reroute: bool = True
    loss_prob: float = 0.0
    stop: bool = False
    multiplier: float = 1.0
    surcharge_per_kg: float = 0.0
    surcharge_per_shipment: float = 0.0


@dataclass(frozen=True)
class Disruption:
    """One window: ``kind`` hits ``target`` from ``start`` to ``end`` (simulation days)."""

    kind: DisruptionKind
    target: str
    start: float
    end: float
    label: str
    effect: Effect
    source: str  # the config key it came from


@dataclass(frozen=True)
class RandomDisruption:
    """A random process of disruptions of one kind over a set of targets."""

    key: str
    kind: DisruptionKind
    targets: tuple[str, ...]
    rate_per_year: float
    duration: Distribution
    label: str
    effect: Effect


@dataclass(frozen=True)
class DisruptionsSpec:
    """All disruptions of a scenario."""

    name: str
    description: str
    scripted: tuple[Disruption, ...]
    random: tuple[RandomDisruption, ...]

    @property
    def empty(self) -> bool:
        return not self.scripted and not self.random


NONE = DisruptionsSpec("none", "no disruptions", (), ())
