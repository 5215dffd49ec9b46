"""The number, enum and distribution checks every validator shares.

Each raises :class:`sim.core.errors.ConfigError` naming the dotted key, the bad value and what
was expected.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import Enum
from typing import Any

from ..core.distributions import (
    DIST_NAMES,
    Deterministic,
    Distribution,
    Exponential,
    Gamma,
    LogNormal,
    Uniform,
)
from ..core.errors import ConfigError


def num(
    key: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    what: str = "",
) -> float:
    expected = what or range_text(lo, hi, lo_open)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(key, value, expected)
    if lo is not None and (value < lo or (lo_open and value == lo)):
        raise ConfigError(key, value, expected)
    if hi is not None and value > hi:
        raise ConfigError(key, value, expected)
    return float(value)


def integer(
    key: str, value: Any, lo: int | None = None, what: str = "", hi: int | None = None
) -> int:
    if what:
        expected = what
    elif lo is not None and hi is not None:
        expected = f"an integer in [{lo}, {hi}]"
    else:
        expected = f"an integer >= {lo}" if lo is not None else "an integer"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(key, value, expected)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ConfigError(key, value, expected)
    return int(value)


def day_of_year(key: str, value: Any) -> int:
    """A day of year in [1, 365]."""
    return integer(key, value, 1, "a day of year in [1, 365]", 365)


def range_text(lo: float | None, hi: float | None, lo_open: bool) -> str:
    if lo is not None and hi is not None:
        return f"a number in [{lo:g}, {hi:g}]"
    if lo is not None:
        return f"a number {'>' if lo_open else '>='} {lo:g}"
    return "a finite number"


def enum_value(key: str, value: Any, enum: type[Enum]) -> Any:
    """``enum(value)``, or a :class:`ConfigError` listing the choices."""
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise ConfigError(key, value, f"one of {choices}") from None


def distribution(key: str, conf: Mapping[str, Any]) -> Distribution:
    """Build a duration distribution from ``{dist, mean, cv, low, high}``."""
    name = conf.get("dist")
    if name not in DIST_NAMES:
        raise ConfigError(f"{key}.dist", name, "one of " + ", ".join(DIST_NAMES))
    for field in ("mean", "cv", "low", "high"):  # the fields this kind ignores are checked too
        if conf.get(field) is not None:
            num(f"{key}.{field}", conf[field], 0.0)
    if name == "uniform":
        low = num(f"{key}.low", conf.get("low"), 0.0)
        high = num(f"{key}.high", conf.get("high"), low, what=f"a number >= low ({low:g})")
        return Uniform(low, high)
    mean = num(f"{key}.mean", conf.get("mean"), 0.0)
    if name == "deterministic":
        return Deterministic(mean)
    mean = num(f"{key}.mean", mean, 0.0, lo_open=True)
    if name == "exponential":
        return Exponential(mean)
    cv = num(f"{key}.cv", conf.get("cv"), 0.0, lo_open=True)
    return LogNormal(mean, cv) if name == "lognormal" else Gamma(mean, cv)
