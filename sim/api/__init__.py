"""What the ``ripple`` commands do, as Python functions on objects: compose a scenario, run it,
compare strategies, sweep, open a run folder. Each returns a typed result holding DataFrames
and the run folder, and raises :class:`~sim.core.errors.ConfigError` for bad input::

    from sim import api
    r = api.run(["scenario=la_lb_strike", "experiment=quick"])
    r.kpis["fill_rate"].mean(); print(r.explain())

The API layer may import every layer below it; only :mod:`sim.cli` imports it. Its functions
are loaded on first use, so ``import sim.api`` (and the command line's start) stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..config.paths import use_project
    from ..core.errors import ConfigError
    from .comparing import compare
    from .demand import DemandReport, demand
    from .pictures import animate, draw_map, explain, explore, network_map
    from .progress import Interrupted, Progress
    from .project import init_project
    from .results import Loaded, RunResult, SweepResult, open_run
    from .running import run
    from .scenario import export_network, load, replicate, scenarios
    from .sweeping import gather, sweep

_WHERE = {
    "ConfigError": "..core.errors",
    "compare": ".comparing",
    "demand": ".demand",
    "DemandReport": ".demand",
    "animate": ".pictures",
    "draw_map": ".pictures",
    "explain": ".pictures",
    "explore": ".pictures",
    "network_map": ".pictures",
    "init_project": ".project",
    "use_project": "..config.paths",
    "Interrupted": ".progress",
    "Progress": ".progress",
    "Loaded": ".results",
    "RunResult": ".results",
    "SweepResult": ".results",
    "open_run": ".results",
    "run": ".running",
    "export_network": ".scenario",
    "load": ".scenario",
    "replicate": ".scenario",
    "scenarios": ".scenario",
    "gather": ".sweeping",
    "sweep": ".sweeping",
}

__all__ = [
    "ConfigError",
    "DemandReport",
    "Interrupted",
    "Loaded",
    "Progress",
    "RunResult",
    "SweepResult",
    "animate",
    "compare",
    "demand",
    "draw_map",
    "explain",
    "explore",
    "export_network",
    "gather",
    "init_project",
    "load",
    "network_map",
    "open_run",
    "replicate",
    "run",
    "scenarios",
    "sweep",
    "use_project",
]


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` when it is first asked for."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value
