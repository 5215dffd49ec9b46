"""The tables one account of ``ripple explain`` is told from: a folder's rows of one strategy
(or the whole run), optionally one replication, and the names the folder's config gives."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...core.errors import ConfigError
from ...run.read import RunTables


@dataclass(frozen=True)
class Group:
    """The tables of one strategy (or the whole run), optionally one replication."""

    name: str
    kpis: pd.DataFrame
    daily: pd.DataFrame
    disruptions: pd.DataFrame
    waits: pd.DataFrame

    @property
    def n(self) -> int:
        """The number of replications in the group."""
        return len(self.kpis)


def select(df: pd.DataFrame, strategy: str | None, replication: int | None) -> pd.DataFrame:
    """The rows of ``strategy`` and ``replication`` (each when given and the table has it)."""
    if strategy is not None and "strategy" in df:
        df = df[df["strategy"] == strategy]
    if replication is not None and "replication" in df:
        df = df[df["replication"] == replication]
    return df


def node_names(config: dict) -> dict[str, str]:
    """Node id -> its name in the folder's config (``network.nodes.<id>.name``)."""
    nodes = config.get("network", {}).get("nodes", {}) or {}
    return {k: str(v.get("name", k)) for k, v in nodes.items() if isinstance(v, dict)}


def served_by(t: RunTables, strategy: str) -> dict[str, str]:
    """Market -> the node serving it in the fulfilment plan, when the folder's config is of
    ``strategy`` and still validates (else empty: the text then names markets only)."""
    if str(t.config.get("strategy", {}).get("name")) != strategy:
        return {}
    from ...plan import make_plan
    from ...run.read import read_scenario

    try:
        plan = make_plan(read_scenario(t.path / "config.yaml"))
    except (ConfigError, KeyError, TypeError, ValueError, AttributeError):
        # an older or foreign config: the mapping is a nicety, not a need
        return {}
    return {m: w for m, w, _ in plan.market_warehouse}
