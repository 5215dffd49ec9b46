"""A config's outside sources read in: a network's tables (``network.tables``) become its nodes
and lanes, so that the resolved config a run saves is whole and runs again anywhere.

Paths are relative to the project (or the working directory, see :func:`.paths.base_dir`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from .paths import base_dir
from .tables import read_network


def expand(plain: dict[str, Any], base: Path | None = None) -> dict[str, Any]:
    """``plain`` with its network's tables read in: the tables' nodes and lanes, then the ones
    the config itself lists (added, or replacing a row of the same id); ``tables`` emptied."""
    net = plain.get("network")
    if not isinstance(net, dict) or not net.get("tables"):
        return plain
    path = Path(str(net["tables"])).expanduser()
    if not path.is_absolute():
        path = (base or base_dir()) / path
    read = read_network(path)
    nodes = {**read["nodes"], **(net.get("nodes") or {})}
    lanes = {**read["lanes"], **(net.get("lanes") or {})}
    description = net.get("description") or f"from {path.name}"
    return {
        **plain,
        "network": {
            **net,
            "tables": "",
            "description": description,
            "nodes": nodes,
            "lanes": lanes,
        },
    }


def saved(cfg: DictConfig, plain: dict[str, Any]) -> DictConfig:
    """The config to save beside a run: ``cfg``, or the expanded ``plain`` when sources were
    read into it (a run folder's config then holds the network itself)."""
    tables = OmegaConf.select(cfg, "network.tables", default="")
    return OmegaConf.create(plain) if tables else cfg
