"""Where configs come from: the tree shipped inside the package (``sim/configs/``, with the
curated scenarios in its ``scenarios/`` group), a user's project folder layered over it, or a
whole tree of one's own (``RIPPLE_CONFIG_DIR``).

A project is a folder holding ``ripple.yaml`` (what ``ripple init`` writes): its primary config,
whose groups (``network/``, ``demand/``, ... and ``scenarios/``) add options to the packaged
ones and override those of the same name; the packaged tree stays on Hydra's search path after
it. Paths in a project's configs (tables, sales history, ``out_dir``) are relative to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import yaml

from ..core.errors import ConfigError

PACKAGED = Path(__file__).resolve().parents[1] / "configs"
PROJECT_FILE = "ripple.yaml"  # a project's primary config
SCENARIOS = "scenarios"  # the group of the curated scenarios (global overlays)

# The project the config calls of this context compose with (None: the packaged tree).
_PROJECT: ContextVar[Path | None] = ContextVar("ripple_project", default=None)


def config_dir() -> Path:
    """The config tree: ``$RIPPLE_CONFIG_DIR`` or the one shipped in the package."""
    return Path(os.environ.get("RIPPLE_CONFIG_DIR", PACKAGED)).resolve()


def scenario_dir() -> Path:
    """The curated scenarios: ``$RIPPLE_SCENARIO_DIR`` or the config tree's ``scenarios/``."""
    env = os.environ.get("RIPPLE_SCENARIO_DIR")
    return Path(env).resolve() if env else config_dir() / SCENARIOS


def project() -> Path | None:
    """The project folder in force (see :func:`use_project`), or None."""
    return _PROJECT.get()


def find_project(folder: Path | str | None = None) -> Path | None:
    """``folder`` (default: the working directory) when it holds ``ripple.yaml``, else None."""
    d = Path(folder) if folder is not None else Path.cwd()
    return d.resolve() if (d / PROJECT_FILE).is_file() else None


def check_project(folder: Path | str) -> Path:
    """``folder`` as a project, or a ConfigError saying what it lacks."""
    d = Path(folder)
    if not d.is_dir():
        raise ConfigError("--project", str(d), "a project folder (ripple init DIR makes one)")
    if not (d / PROJECT_FILE).is_file():
        raise ConfigError(
            "--project", str(d), f"a project folder holding {PROJECT_FILE} (ripple init DIR)"
        )
    return d.resolve()


def pick_project(folder: Path | str | None = None) -> Path | None:
    """The project to compose with: ``folder`` (checked), else the one in force (see
    :func:`use_project`), else the working directory when it is one; None: the packaged tree."""
    return check_project(folder) if folder else project() or find_project()


@contextmanager
def use_project(folder: Path | None) -> Iterator[Path | None]:
    """Compose with ``folder``'s project (None: the packaged tree) inside the block."""
    token = _PROJECT.set(None if folder is None else check_project(folder))
    try:
        yield _PROJECT.get()
    finally:
        _PROJECT.reset(token)


def base_dir() -> Path:
    """What relative paths in configs are relative to: the project, else the working dir."""
    return project() or Path.cwd()


def scenario_dirs() -> list[Path]:
    """Where scenarios are looked for, first first: the project's, then the curated ones."""
    p = project()
    own = [p / SCENARIOS] if p is not None and (p / SCENARIOS).is_dir() else []
    return [*own, scenario_dir()]


def scenario_file(name: str) -> Path | None:
    """The overlay of scenario ``name`` (a project's own first), or None."""
    for d in scenario_dirs():
        f = d / f"{name}.yaml"
        if f.is_file():
            return f
    return None


def scenarios() -> dict[str, str]:
    """Scenario name -> its one-line description (the YAML's first comment line)."""
    out: dict[str, str] = {}
    for d in reversed(scenario_dirs()):  # a project's own replaces a curated one
        for f in sorted(d.glob("*.yaml")):
            head = f.read_text().splitlines()[:3]
            out[f.stem] = next(
                (
                    ln.lstrip("# ").strip()
                    for ln in head
                    if ln.startswith("#") and "@package" not in ln
                ),
                "",
            )
    return dict(sorted(out.items()))


def primary() -> tuple[Path, str]:
    """The primary config's folder and name: the project's ``ripple.yaml``, else the config
    tree's ``config.yaml``."""
    p = project()
    return (p, PROJECT_FILE.removesuffix(".yaml")) if p is not None else (config_dir(), "config")


def group_options(group: str) -> list[str]:
    """The options of config group ``group``: the project's own and the packaged ones."""
    roots = (primary()[0], config_dir())
    return sorted({f.stem for d in roots for f in (d / group).glob("*.yaml")})


def search_path() -> list[Path]:
    """Folders Hydra must search after the primary one: the config tree under a project, and
    the scenarios' parent when they live outside it."""
    out = [config_dir()] if project() is not None else []
    if scenario_dir().parent != config_dir():
        out.append(scenario_dir().parent)
    return out


def scenario_network(name: str) -> str:
    """The network scenario ``name`` runs on: its ``override /network`` default, else the
    network of the primary config."""

    def network_of(defaults: object, key: str) -> str | None:
        for d in defaults if isinstance(defaults, list) else []:
            if isinstance(d, dict) and key in d:
                return str(d[key])
        return None

    f = scenario_file(name)
    overlay = _yaml(f) if f is not None else {}
    found = network_of(overlay.get("defaults"), "override /network")
    if found is None:
        folder, config = primary()
        found = network_of(_yaml(folder / f"{config}.yaml").get("defaults"), "network") or ""
    return found


def _yaml(path: Path) -> dict:
    """A config file's mapping, or a ConfigError naming the file."""
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            "config", str(path), f"a config file in YAML ({type(exc).__name__}{line})"
        ) from None
    return data if isinstance(data, dict) else {}
