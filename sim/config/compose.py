"""Compose the Hydra config tree with overrides and hand back a validated :class:`Scenario`.

Only this module and the CLI know about files and DictConfigs. Hydra's own exceptions for a
bad override, a bad config file or a wrongly typed value are translated into one
:class:`ConfigError` naming the key (and the file), with the closest keys or options for a
misspelt one. The resolved config is then checked whole before its values are: every key
known (:mod:`.strict`, whatever brought it: ``+key``, a file, an overlay), and a size that fits
in memory (:mod:`.footprint`). See docs/errors.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException, OverrideParseException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import (
    ConfigAttributeError,
    ConfigKeyError,
    MissingMandatoryValue,
    OmegaConfBaseException,
)

from ..core.errors import ConfigError
from .footprint import check_footprint
from .paths import (
    config_dir,
    group_options,
    primary,
    scenario_dir,
    scenario_dirs,
    scenario_file,
    scenarios,
    search_path,
)
from .schema import register
from .sources import expand, saved
from .spec import Scenario
from .strict import check_config, describe, schema_at, split_key, suggestion, unknown_path
from .validate import scenario_from_mapping


def _scenario_overrides(overrides: Sequence[str]) -> list[str]:
    """``scenario=NAME`` selects the overlay ``scenarios/NAME.yaml`` (a project's own first), a
    global overlay (Hydra's experiment pattern) that sets ``scenario`` to its own name; and the
    folders Hydra must search after the primary one (:func:`.paths.search_path`)."""
    out = []
    for o in overrides:
        key, _, value = o.partition("=")
        if key == "scenario" and value != "default":
            known = scenarios()
            if value not in known:
                raise ConfigError(
                    "scenario",
                    value,
                    "a curated scenario (ripple scenarios lists them): "
                    + suggestion(value, ["default", *known]),
                )
            out.append(f"+{scenario_dir().name}={value}")
        else:
            out.append(o)
    extra = search_path()
    if extra:
        out.append("hydra.searchpath=[" + ",".join(f"file://{d}" for d in extra) + "]")
    return out


def _override_value(overrides: Sequence[str], key: str) -> str:
    for o in overrides:
        k, _, v = o.lstrip("+~").partition("=")
        if split_key(k) == split_key(key):
            return v
    return ""


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from, outermost first."""
    out: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in out:
        out.append(cause)
        cause = cause.__cause__ or cause.__context__
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _source(message: str) -> Path | None:
    """The file of Hydra's ``In 'GROUP/OPTION': ...`` (a config group option or an overlay)."""
    m = re.match(r"In '([^']+)'", message)
    if not m:
        return None
    for root in (primary()[0], config_dir(), scenario_dir().parent):
        f = root / f"{m.group(1)}.yaml"
        if f.is_file():
            return f
    return None


def _file_value(path: Path, key: str) -> Any:
    """The value of dotted ``key`` in the YAML file ``path`` (a group file holds the keys below
    its group, an overlay the whole path), or None."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError):
        return None
    parts = key.split(".")
    for i in range(len(parts)):
        node: Any = data
        for p in parts[i:]:
            if not isinstance(node, dict) or p not in node:
                break
            node = node[p]
        else:
            return node
    return None


def _override_key(full_key: str, overrides: Sequence[str]) -> str:
    """The override's dotted key that ``full_key`` (OmegaConf's, at times only the last parts
    of it) belongs to."""
    keys = [o.lstrip("+~").partition("=")[0] for o in overrides]
    want = split_key(full_key)
    for k in keys:
        if split_key(k) == want:
            return full_key
    for k in keys:  # OmegaConf names only the node it could not create
        parts = split_key(k)
        if any(parts[i : i + len(want)] == want for i in range(len(parts))):
            return k
    return full_key


def _bad_override(overrides: Sequence[str], msg: str) -> ConfigError:
    """The first override Hydra's grammar cannot parse."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    for o in overrides:
        try:
            parser.parse_override(o)
        except HydraException as exc:
            key, _, value = o.partition("=")
            return ConfigError(
                key or o, value, f"an override key=value in Hydra's syntax ({_first_line(exc)})"
            )
    return ConfigError("overrides", " ".join(overrides), f"valid Hydra overrides ({msg})")


def _defaults_file(overrides: Sequence[str], group: str, option: str) -> str:
    """`` (in OVERLAY)`` when the chosen scenario's defaults list asks for ``group: option``
    (Hydra blames the root config for it)."""
    name = _override_value(overrides, "scenario")
    f = scenario_file(name) if name else None
    if f is not None:
        pattern = rf"override\s+/?{re.escape(group)}\s*:\s*{re.escape(option)}\b"
        if re.search(pattern, f.read_text()):
            return f" (in {f})"
    return ""


def _group_option(group: str, option: str, where: str) -> ConfigError:
    options = group_options(group)
    if not options:
        return unknown_path(group, option, where)
    return ConfigError(
        group,
        option,
        f"an option of the config group {group}/: {suggestion(option, options)}{where}",
    )


def _overlay_error(overrides: Sequence[str]) -> ConfigError:
    """An overlay without its package line lands under ``scenarios.``, a key nobody reads."""
    name = _override_value(overrides, "scenario")
    return ConfigError(
        "scenario",
        name,
        f"an overlay whose first line is '# @package _global_' ({scenario_dir() / name}.yaml)",
    )


def hydra_error(exc: Exception, overrides: Sequence[str]) -> ConfigError:
    """One line out of Hydra's and OmegaConf's messages, naming the key (and the file when the
    mistake is in one)."""
    chain = _chain(exc)
    top = _first_line(exc)
    source = _source(str(exc).strip())
    where = f" (in {source})" if source else ""
    if isinstance(exc, OverrideParseException):
        return _bad_override(overrides, top)
    messages = " ".join(_first_line(e) for e in chain)
    overlay = _override_value(overrides, "scenario") not in ("", "default")
    if overlay and f"@{scenario_dir().name}" in messages:  # its defaults, in the wrong package
        return _overlay_error(overrides)
    m = re.search(r"Could not (?:load|find) '([^/']+)/([^']+)'", messages)
    if m:
        group, option = m.group(1), m.group(2)
        typed = _override_value(overrides, group) == option  # else a file's defaults list
        return _group_option(
            group, option, "" if typed else _defaults_file(overrides, group, option) or where
        )
    keyed = next((e for e in chain if getattr(e, "full_key", None)), None)
    if keyed is not None:
        full_key = str(getattr(keyed, "full_key", ""))
        key = _override_key(full_key, overrides)
        value = getattr(keyed, "value", None)
        if value is None:
            value = _file_value(source, key) if source else _override_value(overrides, key)
        msg = _first_line(keyed)
        if overlay and scenario_dir().name in re.split(r"[.@]", key):
            return _overlay_error(overrides)
        if isinstance(keyed, MissingMandatoryValue):
            return ConfigError(key, "???", f"a value: the key is required{where}")
        if "does not support deletion" in msg:
            return ConfigError(key, "~", "a key that may be removed (the schema's keys stay)")
        if isinstance(keyed, (ConfigKeyError, ConfigAttributeError)):
            return unknown_path(key, value, f"in {source}" if source else "")
        if "Invalid type assigned: dict is not a subclass" in msg:
            return ConfigError(
                key,
                value,
                "an entry that exists: a new entry of a typed mapping goes in a config file"
                + where,
            )
        tp = schema_at(split_key(key))
        what = describe(tp) if tp is not None else "a value of the schema's type"
        return ConfigError(key, value, f"{what} ({msg}){where}")
    m = re.search(r"Could not append to config. An item is already at '([^']+)'", messages)
    if m:
        key = m.group(1)
        return ConfigError(
            key,
            _override_value(overrides, key),
            f"an override without '+': {key} exists already (+key=value adds a new key)",
        )
    m = re.search(r"Could not delete from config. '([^']+)' does not exist", messages)
    if m:
        return unknown_path(m.group(1), "~")
    m = re.search(r"Could not override '([^']+)'", messages)
    if m:
        return unknown_path(m.group(1), _override_value(overrides, m.group(1)))
    m = re.search(r"Key '([^']+)' not in", messages)
    if m:
        return unknown_path(m.group(1), _override_value(overrides, m.group(1)))
    if source:
        key, value = _file_key(source)
        return ConfigError(
            key, value, f"a config file Hydra can compose ({source}: {_first_line(chain[-1])})"
        )
    return ConfigError("overrides", " ".join(overrides), f"valid Hydra overrides ({top})")


def _yaml_error(exc: Exception) -> ConfigError:
    """A config file that is not YAML, named by its group option (or its path)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    path = Path(str(getattr(mark, "name", ""))) if mark is not None else None
    line = f", line {mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or _first_line(exc)
    key, value = _file_key(path)
    return ConfigError(key, value, f"a config file in YAML ({path}{line}: {problem})")


def _file_key(path: Path | None) -> tuple[str, str]:
    """A config file as the choice that reads it: ``policy=sS``, ``scenario=NAME``."""
    if path is not None and path.parent in scenario_dirs():
        return "scenario", path.stem
    if path is not None and path.parent.parent in (config_dir(), primary()[0]):
        return path.parent.name, path.stem
    return "config", str(path or "?")


def compose_config(overrides: Sequence[str] = ()) -> DictConfig:
    """Compose the primary config (the packaged ``config.yaml``, or a project's
    ``ripple.yaml``, see :mod:`.paths`) with ``overrides`` (Hydra override grammar)."""
    import yaml

    register()
    for o in overrides:
        if not isinstance(o, str):
            raise ConfigError("overrides", o, "overrides as texts key=value")
        if "=" not in o and not o.startswith("~"):
            raise ConfigError(o, "", "an override of the form key=value")
    if not (config_dir() / "config.yaml").is_file():
        raise ConfigError(
            "RIPPLE_CONFIG_DIR", str(config_dir()), "a folder holding Ripple's config.yaml"
        )
    root, name = primary()
    full = _scenario_overrides(overrides)
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(root), version_base="1.3"):
            return compose(config_name=name, overrides=full)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        yaml_cause = next((e for e in _chain(exc) if isinstance(e, yaml.YAMLError)), None)
        if yaml_cause is not None:
            raise _yaml_error(cast(Exception, yaml_cause)) from None
        raise hydra_error(exc, overrides) from None
    finally:
        GlobalHydra.instance().clear()


def resolved(cfg: DictConfig, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """A composed config resolved to a plain mapping, its outside sources read in
    (:mod:`.sources`: a network's tables)."""
    try:
        plain = OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as exc:
        raise hydra_error(exc, overrides) from None
    return expand(cast(dict[str, Any], plain))


def to_scenario(cfg: DictConfig, overrides: Sequence[str] = ()) -> Scenario:
    """Resolve and validate a composed config."""
    return validated(resolved(cfg, overrides), overrides)


def validated(plain: dict[str, Any], overrides: Sequence[str] = ()) -> Scenario:
    """The scenario of a resolved config: every key known, every value of its type, a size
    that fits in memory, then the values (:mod:`.validate`)."""
    chosen = _override_value(overrides, "scenario") not in ("", "default")
    if chosen and scenario_dir().name in plain:
        raise _overlay_error(overrides)
    check_config(plain)
    check_footprint(plain)
    return scenario_from_mapping(plain)


def load(overrides: Sequence[str] = ()) -> tuple[Scenario, DictConfig]:
    """Compose, resolve and validate: the scenario and the resolved config to save beside it
    (holding the network read from tables, when it comes from them)."""
    cfg = compose_config(overrides)
    plain = resolved(cfg, overrides)
    return validated(plain, overrides), saved(cfg, plain)
