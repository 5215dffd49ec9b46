"""Ripple: a discrete-event supply-chain resilience simulator.

Layers, each a plain function call with a plain value (see DESIGN.md):
config (Hydra) -> :mod:`sim.validate` (frozen specs) -> :mod:`sim.network` ->
:mod:`sim.model` (SimPy) -> :mod:`sim.kpis` -> :mod:`sim.experiment` -> :mod:`sim.report`.
"""

__version__ = "0.1.0"
