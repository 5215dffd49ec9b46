"""The one user-facing error type: a bad configuration value."""

from __future__ import annotations

from typing import Any


class ConfigError(ValueError):
    """A config value is invalid; the message names the key, the value and what was expected."""

    def __init__(self, key: str, value: Any, expected: str) -> None:
        self.key = key
        self.value = value
        self.expected = expected
        super().__init__(f"config error: {key}={value!r}: expected {expected}")


class ConservationError(RuntimeError):
    """Units were created or destroyed by the model: a bug, never a user mistake."""
