"""The one user-facing error type: a bad configuration value."""

from __future__ import annotations

from typing import Any


def shown(value: Any) -> str:
    """``value`` as the message shows it: as the config wrote it for a boolean or a missing
    value (``true``, ``null``), Python's repr otherwise (a text in quotes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return repr(value)


class ConfigError(ValueError):
    """A config value is invalid; the message names the key, the value and what was expected."""

    def __init__(self, key: str, value: Any, expected: str) -> None:
        self.key = key
        self.value = value
        self.expected = expected
        super().__init__(f"config error: {key}={shown(value)}: expected {expected}")


class ConservationError(RuntimeError):
    """Units were created or destroyed by the model: a bug, never a user mistake."""
