"""Validation of ``demand.history``: its keys, the network's markets against the history's,
and the catalogue of the ``skus`` table checked against what the factories make.

With a history the catalogue and the demand come from the tables: the demand config's
``classes``, ``distribution``, ``dispersion``, ``seasonality`` and ``promotions`` are not used
(the history has its own); ``speed`` and ``returns`` still apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..core.enums import NodeKind
from ..core.errors import ConfigError
from .checks import integer, num
from .history_demand import MODES, HistoryDemand, load_history
from .sales import cell
from .spec import NetworkSpec, SkuSpec

KEY = "demand.history"


def history_spec(c: Mapping[str, Any], network: NetworkSpec | None) -> HistoryDemand | None:
    """The history of ``demand.history`` (its ``path`` absolute, see :mod:`.sources`), or None
    without a path; the other keys are checked either way."""
    mode = str(c.get("mode") or "fitted")
    if mode not in MODES:
        raise ConfigError(f"{KEY}.mode", mode, " or ".join(MODES))
    for flag in ("trend", "pooled"):
        if not isinstance(c.get(flag, False), bool):
            raise ConfigError(f"{KEY}.{flag}", c.get(flag), "true or false")
    test = "a test size in (0, 0.5)"
    level = num(f"{KEY}.level", c.get("level", 0.05), 0.0, 0.5, lo_open=True, what=test)
    if level >= 0.5:
        raise ConfigError(f"{KEY}.level", level, test)
    block = integer(f"{KEY}.block_weeks", c.get("block_weeks", 4), 1, hi=520)
    window = integer(f"{KEY}.window_weeks", c.get("window_weeks", 3), -1, hi=26)
    markets = {str(k): str(v) for k, v in (c.get("markets") or {}).items()}
    ids = tuple(n.id for n in network.of_kind(NodeKind.MARKET)) if network else ()
    for mid in markets:
        if network and mid not in ids:
            raise ConfigError(f"{KEY}.markets.{mid}", mid, f"a market: {', '.join(ids)}")
    if not c.get("path"):
        return None
    anywhere = window < 0
    options = (
        bool(c.get("trend")),
        bool(c.get("pooled")),
        level,
        block,
        None if anywhere else window,
    )
    return load_history(
        Path(str(c["path"])), str(c.get("digest") or ""), mode, options, markets, ids
    )


def history_skus(h: HistoryDemand, network: NetworkSpec | None) -> tuple[SkuSpec, ...]:
    """The ``skus`` table as the catalogue: a price of 0 is twice the unit value (as in a
    class), the base rate each SKU's mean units a day over a year, averaged over the
    markets. Every SKU's class must be made by a factory."""
    t = h.tables.skus
    makes = {m for n in network.of_kind(NodeKind.FACTORY) for m in n.makes} if network else set()
    where = _table_name(h.source, "skus")
    for i, size_class in enumerate(t["class"]):
        if network and str(size_class) not in makes:
            made = ", ".join(sorted(makes)) or "none"
            raise cell(
                where,
                t,
                i,
                "class",
                size_class,
                f"a class some factory makes (the nodes' makes column: {made})",
            )
    markets = h.model.market_names
    rate = np.mean([h.model.mean(m, h.days(np.arange(1, 366))).mean(axis=0) for m in markets], 0)
    rows = zip(t["sku"], t["class"], t["weight_kg"], t["unit_value"], t["price"])
    return tuple(
        SkuSpec(i, str(s), str(c), float(w), float(v), float(rate[i]), float(p) or 2.0 * float(v))
        for i, (s, c, w, v, p) in enumerate(rows)
    )


def _table_name(source: str, table: str) -> str:
    path = Path(source)
    return f"{path.name}[{table}]" if path.suffix.lower() == ".xlsx" else f"{table}.csv"
