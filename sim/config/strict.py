"""Every key is known or refused: a resolved config checked against the schema dataclasses.

Hydra refuses an unknown key only where the schema types the node and the key came without a
``+``; a ``+key=value`` override, a scenario overlay or a user's config file may still bring keys
the schema does not have, and nothing checks the entries of the ``Dict[str, Any]`` fields. So
:func:`check_config` walks the whole resolved mapping along :class:`~.schema.RippleConfig`:

- a mapping typed by a dataclass may hold only that dataclass's fields; a ``Dict[str, X]``
  holds entries of free names (node ids, market names), each checked against ``X``; a
  ``Dict[str, Any]`` names its entries' dataclass in its field's ``metadata["entry"]``;
- every value has its field's type: a finite number (NaN and infinities are refused
  everywhere), a whole number, true or false, a text, a list or a mapping.

Ranges and cross-field sense are the validators' (:mod:`.validate` and the rules modules); a
mistake is one :class:`ConfigError` naming the key, its value and, for an unknown key, the
closest known ones.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from ..core.errors import ConfigError
from .schema import RippleConfig

ENTRY = "entry"  # a Dict[str, Any] field's metadata key: the dataclass of its entries
IGNORED = ("hydra",)  # root keys Hydra itself may leave in a composed config


def close(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The choices closest to ``word`` (ignoring case), best first."""
    by_lower: dict[str, str] = {}
    for c in choices:
        by_lower.setdefault(c.lower(), c)
    word = str(word).lower()
    found = difflib.get_close_matches(word, list(by_lower), n=n, cutoff=0.6)
    if len(word) >= 3:  # an abbreviation: `mult` for `multiplier`
        found += [c for c in by_lower if c.startswith(word) and c not in found]
    return [by_lower[f] for f in found[:n]]


def suggestion(word: str, choices: Iterable[str]) -> str:
    """``did you mean `x`?`` for the closest choices, else the list of them all."""
    choices = list(choices)
    near = close(word, choices)
    if near:
        return "did you mean " + " or ".join(f"`{c}`" for c in near) + "?"
    return "one of " + ", ".join(choices)


def unknown_key(key: str, value: Any, names: Iterable[str], where: str = "") -> ConfigError:
    """The error for ``key`` (dotted), which is not one of ``names`` of its parent."""
    parent, _, last = key.rpartition(".")
    owner = where or parent or "the config"
    return ConfigError(key, value, f"a known key of {owner}: {suggestion(last, names)}")


@cache
def _hints(conf: type) -> dict[str, Any]:
    return typing.get_type_hints(conf)


def field_names(conf: type) -> list[str]:
    """The fields of a schema dataclass, in order."""
    return [f.name for f in dataclasses.fields(conf)]


def _entry(conf: type, name: str) -> Any:
    """The declared type of ``conf.name``; for a ``Dict[str, Any]``, Dict[str, its entry]."""
    tp = _hints(conf)[name]
    entry = next(f for f in dataclasses.fields(conf) if f.name == name).metadata.get(ENTRY)
    if entry is not None:
        return dict[str, entry]  # type: ignore[valid-type]
    return tp


def split_key(key: str) -> list[str]:
    """``demand.promotions[0].days`` -> ``["demand", "promotions", "0", "days"]``."""
    return [p for p in re.split(r"[.\[\]]+", key) if p]


def schema_at(parts: list[str]) -> Any:
    """The schema type of the node at a dotted path (entry names of mappings and list indices
    matched by anything), or None when the path leaves the schema."""
    tp: Any = RippleConfig
    for part in parts:
        tp = _plain(tp)
        origin = typing.get_origin(tp)
        if dataclasses.is_dataclass(tp):
            if part not in field_names(tp):  # type: ignore[arg-type]
                return None
            tp = _entry(tp, part)  # type: ignore[arg-type]
        elif origin in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return None
    return tp


def unknown_path(key: str, value: Any, where: str = "") -> ConfigError:
    """The error for a dotted key Hydra found nowhere: the closest keys of its parent, or how
    to add an entry to a mapping of free names (``+key=value``)."""
    parts = split_key(key)
    parent = _plain(schema_at(parts[:-1]))
    suffix = f" ({where})" if where else ""
    if dataclasses.is_dataclass(parent):
        err = unknown_key(key, value, field_names(parent))  # type: ignore[arg-type]
        return ConfigError(key, value, err.expected + suffix)
    if typing.get_origin(parent) is dict:
        return ConfigError(
            key,
            value,
            f"an entry that {'.'.join(parts[:-1])} has (add a new one with +{key}=...)" + suffix,
        )
    if parent is not None:
        what = describe(parent)
        return ConfigError(key, value, f"no key under {'.'.join(parts[:-1])} ({what})" + suffix)
    for i in range(len(parts) - 2, -1, -1):  # the deepest part of the path the schema knows
        if schema_at(parts[:i]) is not None and schema_at(parts[: i + 1]) is None:
            return unknown_path(".".join(parts[: i + 1]), value, where)
    return ConfigError(key, value, "a key the schema knows" + suffix)


def _plain(tp: Any) -> Any:
    """``X`` of ``X | None``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def describe(tp: Any) -> str:
    tp = _plain(tp)
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return "a mapping of " + ", ".join(field_names(tp))  # type: ignore[arg-type]
    if origin is dict:
        return f"a mapping of names to {describe(typing.get_args(tp)[1])}"
    if origin is list:
        return f"a list of {describe(typing.get_args(tp)[0]).removeprefix('a ')}s"
    return {
        float: "a finite number",
        int: "a whole number",
        bool: "true or false",
        str: "a text",
    }.get(tp, "a value")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scalar_ok(value: Any, tp: Any) -> bool:
    if tp is float:
        return _number(value) and math.isfinite(value)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is bool:
        return isinstance(value, bool)
    if tp is str:  # a number where a name is expected is taken as that name
        return isinstance(value, str) or (_number(value) and math.isfinite(value))
    return True


def _check(key: str, value: Any, tp: Any) -> None:
    optional = _plain(tp) is not tp
    tp = _plain(tp)
    if value is None and optional:
        return
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, Mapping):
            raise ConfigError(key, value, describe(tp))
        _fields(key, value, tp)  # type: ignore[arg-type]
    elif origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(key, value, describe(tp))
        for name, v in value.items():
            if not isinstance(name, str):
                raise ConfigError(f"{key}.{name}", v, "an entry named by a text")
            _check(f"{key}.{name}", v, typing.get_args(tp)[1])
    elif origin is list:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(key, value, describe(tp))
        for i, v in enumerate(value):
            _check(f"{key}[{i}]", v, typing.get_args(tp)[0])
    elif not _scalar_ok(value, tp):
        what = describe(tp)
        if _number(value) and not math.isfinite(value):
            what += " (not NaN or infinite)"
        raise ConfigError(key, value, what)


def _fields(key: str, value: Mapping[str, Any], conf: type, ignored: tuple[str, ...] = ()) -> None:
    names = field_names(conf)
    for name, v in value.items():
        sub = f"{key}.{name}" if key else str(name)
        if name in ignored:
            continue
        if name not in names:
            raise unknown_key(sub, v, names)
        _check(sub, v, _entry(conf, name))


def check_config(plain: Mapping[str, Any]) -> None:
    """Refuse a key the schema does not know, or a value not of its field's type, anywhere in
    the resolved config ``plain``."""
    if not isinstance(plain, Mapping):
        raise ConfigError("config", plain, describe(RippleConfig))
    _fields("", plain, RippleConfig, IGNORED)
