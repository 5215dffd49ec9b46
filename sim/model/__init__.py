"""The SimPy runtime of one replication: nodes, lanes and stock built from a scenario and its
plan, the daily cycle, disruption windows and the recorder, with the hot handlers compiled
(``ext/``) or their pure-Python twin (:mod:`sim.model.twin`), chosen in :mod:`sim.model.handlers`.

May import :mod:`sim.plan`, :mod:`sim.config` and :mod:`sim.core`.
"""

from .build import build_model
from .runtime import Model

__all__ = ["Model", "build_model"]
