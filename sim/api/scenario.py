"""Scenarios from overrides: compose and validate one, list the curated ones, export its
network, and run replications in memory without writing a folder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

from omegaconf import OmegaConf

from ..config import compose, paths
from ..config.table_writer import write_network
from ..core.errors import ConfigError
from ..model import handlers
from ..plan import make_plan
from ..run.replication import ReplicationResult, run_replication
from .results import Loaded

Scenarioish = Sequence[str] | Loaded


def load(overrides: Sequence[str] = (), project: Path | str | None = None) -> Loaded:
    """Compose the config tree with Hydra ``overrides`` (``["scenario=suez_2021", "seed=7"]``),
    validate it and derive the plan; a :class:`ConfigError` names what is wrong.

    ``project``: a project folder (``ripple init``) whose configs are layered over the packaged
    ones; by default the one in force (:func:`sim.config.paths.use_project`), else the working
    directory when it is one."""
    if isinstance(overrides, str):
        raise ConfigError("overrides", overrides, "a list of overrides, e.g. ['seed=7']")
    overrides = list(overrides)
    folder = paths.pick_project(project)
    with paths.use_project(folder):
        sc, cfg = compose.load(overrides)
    return Loaded(sc, cfg, make_plan(sc), tuple(overrides), folder)


def loaded(what: Scenarioish) -> Loaded:
    """``what`` itself when already loaded, else :func:`load` of it."""
    return what if isinstance(what, Loaded) else load(what)


def scenarios() -> dict[str, tuple[str, str]]:
    """Curated scenario name -> (the network it runs on, its one-line description)."""
    return {name: (paths.scenario_network(name), desc) for name, desc in paths.scenarios().items()}


def pick_backend(name: str | None = None) -> str:
    """The handler build to use: ``name`` (``compiled`` or ``pure``) or the default."""
    if name is None:
        return handlers.default_backend()
    if name not in (handlers.COMPILED, handlers.PURE):
        raise ConfigError("backend", name, f"{handlers.COMPILED} or {handlers.PURE}")
    if name == handlers.COMPILED and not handlers.compiled_available():
        raise ConfigError("--backend", name, "pure (the compiled handlers are not built)")
    return name


def export_network(what: Scenarioish, out: Path | str, template: bool = False) -> Path:
    """Write the scenario's network (``template``: an empty one) as tables Ripple reads back:
    a ``.graphml`` file, an ``.xlsx`` workbook (with a sheet explaining every column), or a
    folder of ``nodes.csv`` and ``lanes.csv`` (a path without a suffix); with the config's
    per-node policies (``policy.nodes``) as a ``stock`` table (sheet or ``stock.csv``; not in
    GraphML). A file appears whole or not at all."""
    out = Path(out)
    if not out.parent.exists():
        raise ConfigError("--out", str(out), "a path in an existing directory")
    if out.suffix.lower() not in ("", ".graphml", ".xlsx"):
        raise ConfigError("--out", str(out), "a .graphml or .xlsx file, or a folder for CSV")
    if out.suffix == "" and out.exists() and not out.is_dir():
        raise ConfigError("--out", str(out), "a folder for the CSV tables (it is a file)")
    ld = None if template else loaded(what)
    net = ld.scenario.network if ld else None
    stock: dict[str, Any] = {}  # validated: node id -> the policy fields it sets
    if ld is not None:
        stock = cast(dict[str, Any], OmegaConf.to_container(ld.config.policy.nodes, resolve=True))
    if out.suffix == "":
        return write_network(net, out, stock)
    tmp = out.with_name(f".{out.stem}.part{out.suffix}")
    try:
        write_network(net, tmp, stock)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def replicate(
    what: Scenarioish, replications: Iterable[int], backend: str | None = None
) -> list[ReplicationResult]:
    """Run the given replications in this process and return them (KPIs, tables, event
    counts) without writing anything: for checks and notebooks."""
    ld = loaded(what)
    b = pick_backend(backend)
    return [run_replication(ld.scenario, ld.plan, r, b) for r in replications]
