"""Compose the Hydra config tree with overrides and hand back a validated :class:`Scenario`.

Only this module and the CLI know about files and DictConfigs. Hydra's own exceptions for a
bad override or a wrongly typed value are translated into :class:`ConfigError`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..core.errors import ConfigError
from .schema import register
from .spec import Scenario
from .validate import scenario_from_mapping

_ROOT = Path(__file__).resolve().parents[2]


def config_dir() -> Path:
    """The Hydra config tree: ``$RIPPLE_CONFIG_DIR`` or ``configs/`` of the checkout."""
    return Path(os.environ.get("RIPPLE_CONFIG_DIR", _ROOT / "configs")).resolve()


def scenario_dir() -> Path:
    """Curated scenarios: ``$RIPPLE_SCENARIO_DIR`` or ``scenarios/`` of the checkout."""
    return Path(os.environ.get("RIPPLE_SCENARIO_DIR", _ROOT / "scenarios")).resolve()


def scenarios() -> dict[str, str]:
    """Scenario name -> its one-line description (the YAML's first comment line)."""
    out = {}
    for f in sorted(scenario_dir().glob("*.yaml")):
        head = f.read_text().splitlines()[:3]
        desc = next(
            (ln.lstrip("# ").strip() for ln in head if ln.startswith("#") and "@package" not in ln),
            "",
        )
        out[f.stem] = desc
    return out


def scenario_network(name: str) -> str:
    """The network scenario ``name`` runs on: its ``override /network`` default, else the
    network of ``configs/config.yaml``."""
    import yaml

    def network_of(defaults: object, key: str) -> str | None:
        for d in defaults if isinstance(defaults, list) else []:
            if isinstance(d, dict) and key in d:
                return str(d[key])
        return None

    overlay = yaml.safe_load((scenario_dir() / f"{name}.yaml").read_text()) or {}
    found = network_of(overlay.get("defaults"), "override /network")
    if found is None:
        root = yaml.safe_load((config_dir() / "config.yaml").read_text()) or {}
        found = network_of(root.get("defaults"), "network") or ""
    return found


def _scenario_overrides(overrides: Sequence[str]) -> list[str]:
    """``scenario=NAME`` selects ``scenarios/NAME.yaml``, a global overlay (Hydra's experiment
    pattern); the overlay sets ``scenario`` to its own name."""
    out = []
    for o in overrides:
        key, _, value = o.partition("=")
        if key == "scenario" and value != "default":
            known = scenarios()
            if value not in known:
                raise ConfigError("scenario", value, "one of " + ", ".join(["default", *known]))
            root = scenario_dir().parent
            out += [f"+{scenario_dir().name}={value}", f"hydra.searchpath=[file://{root}]"]
        else:
            out.append(o)
    return out


def _override_value(overrides: Sequence[str], key: str) -> str:
    for o in overrides:
        k, _, v = o.lstrip("+~").partition("=")
        if k == key:
            return v
    return ""


def hydra_error(exc: Exception, overrides: Sequence[str]) -> ConfigError:
    """One line out of Hydra's and OmegaConf's messages."""
    cause: BaseException | None = exc
    while cause is not None and not getattr(cause, "full_key", None):
        cause = cause.__cause__
    if cause is not None and "." in str(getattr(cause, "full_key", "")):
        exc = cause  # type: ignore[assignment]
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    full_key = getattr(exc, "full_key", None)
    if full_key:
        value = getattr(exc, "value", None)
        if value is None:
            value = _override_value(overrides, full_key)
        return ConfigError(full_key, value, f"a value of the schema's type ({msg})")
    m = re.search(r"Could not override '([^']+)'", msg)
    if m:
        key = m.group(1)
        return ConfigError(
            key,
            _override_value(overrides, key),
            "a key that exists in the config (add new keys with +key=value)",
        )
    m = re.search(r"Could not load '([^/']+)/([^']+)'", msg) or re.search(
        r"In '[^']*': Could not find '([^/']+)/([^']+)'", msg
    )
    if m:
        return ConfigError(m.group(1), m.group(2), f"an option of the config group {m.group(1)}/")
    m = re.search(r"Key '([^']+)' not in", msg)
    if m:
        return ConfigError(
            m.group(1), _override_value(overrides, m.group(1)), "a key that exists in the config"
        )
    return ConfigError("overrides", " ".join(overrides), f"valid Hydra overrides ({msg})")


def compose_config(overrides: Sequence[str] = ()) -> DictConfig:
    """Compose ``configs/config.yaml`` with ``overrides`` (Hydra override grammar)."""
    register()
    for o in overrides:
        if "=" not in o and not o.startswith("~"):
            raise ConfigError(o, "", "an override of the form key=value")
    full = _scenario_overrides(overrides)
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            return compose(config_name="config", overrides=full)
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        raise hydra_error(exc, overrides) from None
    finally:
        GlobalHydra.instance().clear()


def to_scenario(cfg: DictConfig, overrides: Sequence[str] = ()) -> Scenario:
    """Resolve and validate a composed config."""
    try:
        plain = OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as exc:
        raise hydra_error(exc, overrides) from None
    return scenario_from_mapping(cast(dict[str, Any], plain))


def load(overrides: Sequence[str] = ()) -> tuple[Scenario, DictConfig]:
    """Compose, resolve and validate: the scenario and the resolved config to save beside it."""
    cfg = compose_config(overrides)
    return to_scenario(cfg, overrides), cfg
