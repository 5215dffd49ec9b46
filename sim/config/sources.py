"""A config's outside sources read in: a network's tables (``network.tables``) become its nodes
and lanes, and its ``stock`` table entries of ``policy.nodes``, so that the resolved config a
run saves is whole and runs again anywhere; a sales history (``demand.history.path``, too large
to copy in) is pinned by its absolute path and the digest of its files, so a run folder refuses
a history that has changed since.

Paths are relative to the project (or the working directory, see :func:`.paths.base_dir`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from .history_demand import digest, resolve_path
from .paths import base_dir
from .tables import read_network, read_stock


def expand(plain: dict[str, Any], base: Path | None = None) -> dict[str, Any]:
    """``plain`` with its sources read in (see the module)."""
    return _pin_history(_network_tables(plain, base), base)


def _pin_history(plain: dict[str, Any], base: Path | None) -> dict[str, Any]:
    """``demand.history.path`` made absolute, and its digest set unless a saved config set it
    (then :func:`.history_demand.load_history` checks it)."""
    demand = plain.get("demand")
    if not isinstance(demand, dict):
        return plain
    history = demand.get("history")
    if not isinstance(history, dict) or not history.get("path"):
        return plain
    path = resolve_path(str(history["path"]), base or base_dir())
    pinned = history.get("digest") or (digest(path) if path.exists() else "")
    history = {**history, "path": str(path), "digest": pinned}
    return {**plain, "demand": {**demand, "history": history}}


def _network_tables(plain: dict[str, Any], base: Path | None) -> dict[str, Any]:
    """``plain`` with its network's tables read in: the tables' nodes and lanes, then the ones
    the config itself lists (added, or replacing a row of the same id); ``tables`` emptied; the
    stock table's rows as ``policy.nodes`` entries (see :func:`_with_stock`)."""
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
    kinds = {nid: str(n.get("kind")) for nid, n in nodes.items() if isinstance(n, dict)}
    plain = _with_stock(plain, read_stock(path, kinds))
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


def _with_stock(plain: dict[str, Any], stock: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``plain`` with the stock table's rows as ``policy.nodes`` entries: a field the config's
    own entry for the node sets wins over the row's cell."""
    policy = plain.get("policy")
    if not stock or not isinstance(policy, dict):
        return plain
    own = policy.get("nodes") or {}
    if not isinstance(own, dict):  # validation names it
        return plain
    nodes: dict[str, Any] = {}
    for nid in {**stock, **own}:
        mine = own.get(nid, {})
        nodes[nid] = {**stock.get(nid, {}), **mine} if isinstance(mine, dict) else mine
    return {**plain, "policy": {**policy, "nodes": nodes}}


def saved(cfg: DictConfig, plain: dict[str, Any]) -> DictConfig:
    """The config to save beside a run: ``cfg``, or the expanded ``plain`` when sources were
    read into it (a run folder's config then holds the network itself and the history's
    absolute path and digest)."""
    tables = OmegaConf.select(cfg, "network.tables", default="")
    history = OmegaConf.select(cfg, "demand.history.path", default="")
    return OmegaConf.create(plain) if tables or history else cfg
