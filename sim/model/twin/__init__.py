"""Pure-Python twin of the compiled hot handlers (``ext/_handlers.pyx``).

Same names, same arguments, same results bit for bit: the parity tests run both. Whole-array
numpy operations here, typed loops there. Quantities are int64 units; areas are float64
unit-days. Do not import this package directly: use :mod:`sim.model.handlers`.
"""

from __future__ import annotations

from .engine import ShipCalls, Slots, after, queues, run, start
from .freight import Freight, Sailings
from .keyed import Keyed, combine, mix, time_key
from .ledger import Dispatch, Ledger, Pool, dot
from .sampling import Level, Log, Sampler, poisson_inversion
from .ship import Shipment
from .stock import Stock, add, split, sub, total

BACKEND = "pure"

__all__ = [
    "BACKEND",
    "Dispatch",
    "Freight",
    "Keyed",
    "Ledger",
    "Level",
    "Log",
    "Pool",
    "Sailings",
    "Sampler",
    "ShipCalls",
    "Shipment",
    "Slots",
    "Stock",
    "add",
    "after",
    "combine",
    "dot",
    "mix",
    "poisson_inversion",
    "queues",
    "run",
    "split",
    "start",
    "sub",
    "time_key",
    "total",
]
