"""The one place where the compiled handlers or their pure-Python twin are chosen.

``RIPPLE_PURE_PYTHON=1`` forces the twin; otherwise the compiled ``sim.model._handlers`` is used
when it was built, and the twin (with one warning) when it was not. :func:`load` gives either by
name, for parity tests and benchmarks.
"""

from __future__ import annotations

import importlib
import logging
import os
from types import ModuleType

log = logging.getLogger(__name__)

COMPILED = "compiled"
PURE = "pure"


def load(backend: str) -> ModuleType:
    """Return the handler module for ``backend`` (``"compiled"`` or ``"pure"``)."""
    if backend == PURE:
        return importlib.import_module("sim.model.twin")
    if backend == COMPILED:
        return importlib.import_module("sim.model._handlers")
    raise ValueError(f"backend={backend!r}: expected 'compiled' or 'pure'")


def compiled_available() -> bool:
    """Whether the compiled extension was built and imports."""
    try:
        load(COMPILED)
    except ImportError:
        return False
    return True


_warned = False


def default_backend() -> str:
    """The backend a run uses unless told otherwise."""
    global _warned
    if os.environ.get("RIPPLE_PURE_PYTHON", "") not in ("", "0"):
        return PURE
    if compiled_available():
        return COMPILED
    if not _warned:
        log.warning("compiled handlers not built; running the pure-Python twin (slower)")
        _warned = True
    return PURE
