"""The data behind ``explore.html``, the interactive page of a run or compare folder.

Per strategy and measured day: the mean over replications (the first
:data:`~sim.experiment.REPORT_SAMPLE` of a folder, as in the report; or one chosen) of each
node's on hand, backlog and in-transit units (warehouses), queue (ports and customs) and
service level (markets), with the network-wide totals the timeline draws; the disruption
windows resolved to the node and lane ids they act on (:func:`sim.disruptions.affected`), and
per element and day the share of replications in which it is disrupted. Days are measured days
as in ``daily.parquet`` (0 = first day after warm-up); a window covers day ``d`` when it
overlaps ``[d, d + 1)``. The page itself is rendered by :mod:`sim.views.explore_page`.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from ..config.spec import Scenario
from ..config.targets import affected
from ..core.enums import NodeKind
from ..core.errors import ConfigError
from ..core.rng import Streams
from ..model.windows import realize
from ..run.experiment import REPORT_SAMPLE
from .explore_map import layout

log = logging.getLogger(__name__)

UNITS = ("on_hand", "backlog", "in_transit", "queue", "demand")
NODE_METRICS = {
    NodeKind.WAREHOUSE.value: ("on_hand", "backlog", "in_transit"),
    NodeKind.MARKET.value: ("service_level", "demand"),
    NodeKind.PORT.value: ("queue",),
    NodeKind.CUSTOMS.value: ("queue",),
}
TOTALS = ("service_level", "on_hand", "backlog", "in_transit", "queue")
# Shares are kept to 5 decimals: the page shows them as percentages with one decimal, and a
# share rounded to 4 decimals first (0.99949 -> 0.9995) would show 100.0% for 99.9%.
SHARE_DIGITS = 5
MAX_WINDOWS = 80  # windows listed per strategy (every window still counts in the shares)
_WINDOW_COLUMNS = ["replication", "kind", "target", "start", "end", "label"]
_COLUMNS = [
    "replication",
    "day",
    "node",
    "kind",
    "service_level",
    "demand",
    "shipped",
    "on_hand",
    "in_transit",
    "backlog",
    "queue",
]


def _num(x: float, digits: int) -> float | None:
    """A JSON-friendly rounded number (None for NaN)."""
    return None if x is None or not math.isfinite(x) else round(float(x), digits)


def _series(values: np.ndarray, digits: int) -> list[float | None]:
    return [_num(v, digits) for v in values]


def _with_strategy(df: pd.DataFrame, name: str) -> pd.DataFrame:
    return df if "strategy" in df.columns else df.assign(strategy=name)


def _pick(daily: pd.DataFrame, replication: int | None) -> pd.DataFrame:
    if replication is None:
        return daily
    reps = sorted(int(r) for r in daily["replication"].unique())
    if replication not in reps:
        span = f"{reps[0]}..{reps[-1]}" if reps else "none"
        raise ConfigError(
            "--replication",
            replication,
            f"a replication of the folder ({span}), or none for the mean",
        )
    return daily[daily["replication"] == replication]


def node_series(daily: pd.DataFrame, days: np.ndarray) -> dict[str, dict[str, list]]:
    """Per node and metric of its kind: the mean over replications, one value per day.

    Node by node (in order of appearance), through a mask of its rows and only the columns of
    its kind: grouping the table by its text columns would hold a Python string per row."""
    out: dict[str, dict[str, list]] = {}
    node = daily["node"]
    for name in pd.unique(node):
        rows = (node == name).to_numpy(bool)
        cols = NODE_METRICS.get(str(daily["kind"].to_numpy()[rows.argmax()]), ())
        if not cols:
            continue
        m = daily.loc[rows, ["day", *cols]].groupby("day")[list(cols)].mean().reindex(days)
        out[str(name)] = {
            c: _series(m[c].to_numpy(float), SHARE_DIGITS if c == "service_level" else 1)
            for c in cols
        }
    return out


def totals(daily: pd.DataFrame, days: np.ndarray) -> dict[str, list]:
    """Network-wide figures per day, mean over replications: service level over all markets
    (units shipped / demanded that day), and units on hand, on backorder and inbound summed over
    warehouses, and shipments queued summed over gateways."""
    kind = daily["kind"]
    keys = ["replication", "day"]
    mk = daily.loc[(kind == NodeKind.MARKET.value).to_numpy(bool), [*keys, "shipped", "demand"]]
    g = mk.groupby(keys)[["shipped", "demand"]].sum()
    sl = (g["shipped"] / g["demand"].where(g["demand"] > 0)).groupby("day").mean()
    stock = ["on_hand", "backlog", "in_transit"]
    wh = (
        daily.loc[(kind == NodeKind.WAREHOUSE.value).to_numpy(bool), [*keys, *stock]]
        .groupby(keys)[stock]
        .sum()
        .groupby("day")
        .mean()
    )
    at_gates = kind.isin([NodeKind.PORT.value, NodeKind.CUSTOMS.value]).to_numpy(bool)
    gates = daily.loc[at_gates, [*keys, "queue"]]
    q = gates.groupby(keys)["queue"].sum().groupby("day").mean()
    out = {"service_level": _series(sl.reindex(days).to_numpy(float), SHARE_DIGITS)}
    for c in stock:
        out[c] = _series(
            wh[c].reindex(days).to_numpy(float) if c in wh else np.full(len(days), np.nan), 1
        )
    out["queue"] = _series(q.reindex(days).to_numpy(float), 1)
    return out


def realized_windows(sc: Scenario, replications: list[int]) -> pd.DataFrame:
    """The disruption windows of ``replications`` drawn again from the config (the same
    streams the model draws them from), in measured days: for a folder without
    ``disruptions.parquet``."""
    warmup = float(sc.experiment.warmup_days)
    rows = []
    for rep in replications:
        streams = Streams(sc.seed, rep)
        for d in realize(
            sc.disruptions, lambda i, s=streams: s.get("disruption", i), sc.experiment.end
        ):
            rows.append(
                {
                    "replication": rep,
                    "kind": d.kind.value,
                    "target": d.target,
                    "start": d.start - warmup,
                    "end": d.end - warmup,
                    "label": d.label,
                }
            )
    return pd.DataFrame(rows, columns=_WINDOW_COLUMNS)


def windows(
    sc: Scenario, table: pd.DataFrame, replications: list[int], days: np.ndarray
) -> tuple[list[dict], dict[str, list[float | None]]]:
    """The distinct windows of ``table`` that overlap the measured days, each with the node and
    lane ids it acts on and the share of ``replications`` it occurred in (most frequent first,
    at most :data:`MAX_WINDOWS`); and per disrupted node or lane id, the share of replications
    in which it is disrupted on each day."""
    t = table[table["replication"].isin(replications)]
    t = t[(t["end"] > days[0]) & (t["start"] < days[-1] + 1)]
    n, d0 = len(replications), int(days[0])
    row_of = {r: i for i, r in enumerate(replications)}
    hit: dict[str, np.ndarray] = {}
    listed: list[dict[str, Any]] = []
    for key, g in t.groupby(["kind", "target", "start", "end", "label"], sort=False):
        kind, target, start, end, label = key
        nodes, lanes = affected(sc.network, str(kind), str(target))
        lo = max(int(math.floor(start)) - d0, 0)
        hi = min(int(math.ceil(end)) - d0, len(days))
        for rep in g["replication"].unique():
            for e in (*sorted(nodes), *sorted(lanes)):
                hit.setdefault(e, np.zeros((n, len(days)), dtype=bool))[row_of[rep], lo:hi] = True
        listed.append(
            {
                "kind": str(kind),
                "target": str(target),
                "label": str(label),
                "start": _num(start, 2),
                "end": _num(end, 2),
                "nodes": sorted(nodes),
                "lanes": sorted(lanes),
                "share": _num(g["replication"].nunique() / n, 3),
            }
        )
    listed.sort(key=lambda w: (-w["share"], w["start"], w["target"]))
    shares = {e: _series(a.mean(axis=0), 3) for e, a in hit.items()}
    return listed[:MAX_WINDOWS], shares


def explore_data(
    sc: Scenario,
    daily: pd.DataFrame,
    disruptions: pd.DataFrame | None = None,
    replication: int | None = None,
    title: str = "",
) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data (see the module docstring).

    ``daily`` and ``disruptions`` as in a run folder, with a ``strategy`` column in a compare
    folder; ``disruptions=None`` draws the windows again from the scenario's config.
    """
    daily = _pick(daily, replication)
    if daily.empty:
        raise ConfigError("daily.parquet", "no rows", "the daily series of a run")
    lo, hi = int(daily["day"].min()), int(daily["day"].max())
    days = np.arange(lo, hi + 1)
    # A run's table has no strategy column: it is used as it is (not copied with one added).
    tagged = "strategy" in daily.columns
    strategies = (
        [str(s) for s in dict.fromkeys(daily["strategy"])] if tagged else [sc.strategy.name]
    )
    series, hot, listed, reps_of = {}, {}, {}, {}
    for s in strategies:
        d = daily[daily["strategy"] == s] if tagged else daily
        reps = sorted(int(r) for r in d["replication"].unique())
        table = (
            realized_windows(sc, reps)
            if disruptions is None
            else _with_strategy(disruptions, s).query("strategy == @s")
        )
        series[s] = {"nodes": node_series(d, days), "total": totals(d, days)}
        listed[s], hot[s] = windows(sc, table, reps, days)
        reps_of[s] = len(reps)
    peak = _peaks(series)
    ex = sc.experiment
    return {
        "title": title or f"Ripple: {sc.name}",
        "scenario": sc.name,
        "network": {"name": sc.network.name, "description": sc.network.description},
        "replication": replication,
        "replications": reps_of,
        "of_replications": reps_of,  # write_explore: all the folder has, shown or not
        "days": [int(days[0]), int(days[-1])],
        "start_day_of_year": ex.start_day_of_year,
        "strategies": strategies,
        "map": layout(sc.network),
        "nodes": [
            {"id": n.id, "name": n.name, "kind": n.kind.value, "peak": peak.get(n.id)}
            for n in sc.network.nodes
        ],
        "series": series,
        "windows": listed,
        "disrupted": hot,
    }


def _peaks(series: dict[str, dict]) -> dict[str, float]:
    """Per node, the largest value over strategies and days of what sizes it on the map (on
    hand for a warehouse, queue for a gateway), so sizes compare across days and strategies."""
    out: dict[str, float] = {}
    for s in series.values():
        for node, m in s["nodes"].items():
            col = m.get("on_hand") or m.get("queue")
            if col:
                vals = [v for v in col if v is not None]
                out[node] = max(out.get(node, 0.0), max(vals, default=0.0))
    return out


# -- a folder -------------------------------------------------------------------------------


def _folder_error(folder: Path) -> ConfigError:
    return ConfigError(
        "RUN_FOLDER",
        str(folder),
        "a folder written by ripple run or ripple compare (with config.yaml and daily.parquet)",
    )


def load_scenario(folder: Path) -> Scenario:
    """The validated scenario of a run folder, from its resolved ``config.yaml``."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from ..config.validate import scenario_from_mapping

    path = folder / "config.yaml"
    if not path.is_file():
        raise _folder_error(folder)
    try:
        plain = OmegaConf.to_container(OmegaConf.load(path), resolve=True)
    except (OmegaConfBaseException, OSError, ValueError) as exc:
        raise ConfigError(str(path), type(exc).__name__, "a config written by ripple") from None
    if not isinstance(plain, dict) or "network" not in plain:
        raise ConfigError(str(path), "not a run config", "a config written by ripple")
    return scenario_from_mapping(cast(dict[str, Any], plain))


def _table(
    path: Path, columns: list[str] | None = None, filters: list[tuple] | None = None
) -> pd.DataFrame:
    """A parquet table (only those of ``columns`` it has, rows passing ``filters``); a bad
    file is a one-line error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        have = set(pq.read_schema(path).names)
        if columns:
            columns = [c for c in columns if c in have]
        if filters and not all(f[0] in have for f in filters):
            filters = None
        return pd.read_parquet(path, columns=columns, filters=filters)
    except (OSError, pa.ArrowException) as exc:
        raise ConfigError(str(path), type(exc).__name__, "a table written by ripple") from None


def write_explore(
    folder: Path | str,
    replication: int | None = None,
    sc: Scenario | None = None,
    sample: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> Path:
    """(Re)write ``explore.html`` in a run or compare folder; return its path. The page is
    written beside its final name and renamed into place, so a failure leaves the old one.
    ``sample``: the daily and disruption rows of the first replications, as the folder holds
    them, already in memory (the run that writes the folder has them: not read twice)."""
    from .explore_page import render

    folder = Path(folder)
    if not folder.is_dir() or not (folder / "daily.parquet").is_file():
        raise _folder_error(folder)
    # a row group per replication: the filter reads only the replications shown
    rows = (
        [("replication", "==", replication)]
        if replication is not None
        else [("replication", "<", REPORT_SAMPLE)]
    )
    held = sample if replication is None else None
    if held is not None:
        daily = held[0]
    else:
        daily = _table(folder / "daily.parquet", [*_COLUMNS, "strategy"], rows)
    missing = [c for c in ("replication", "day", "node", "kind") if c not in daily.columns]
    if missing:
        raise ConfigError(
            str(folder / "daily.parquet"),
            f"no column {missing[0]}",
            "a daily table written by ripple",
        )
    sc = sc or load_scenario(folder)
    dis_path = folder / "disruptions.parquet"
    if held is not None:
        disruptions = held[1]
    else:
        disruptions = _table(dis_path, None, rows) if dis_path.is_file() else None
    if disruptions is not None and not set(_WINDOW_COLUMNS) <= set(disruptions.columns):
        if not disruptions.empty:
            raise ConfigError(
                str(dis_path),
                "columns " + ", ".join(disruptions.columns),
                "a table of windows: " + ", ".join(_WINDOW_COLUMNS),
            )
        disruptions = pd.DataFrame(columns=_WINDOW_COLUMNS)
    data = explore_data(sc, daily, disruptions, replication)
    kpis = folder / "kpis.parquet"
    if kpis.is_file():
        k = _with_strategy(_table(kpis, ["replication", "strategy"]), sc.strategy.name)
        data["of_replications"] = {
            str(s): int(n)
            for s, n in k.groupby("strategy", sort=False)["replication"].nunique().items()
        }
    out = folder / "explore.html"
    tmp = folder / ".explore.html.part"
    tmp.write_text(render(data), encoding="utf-8")
    os.replace(tmp, out)
    log.info("interactive page written to %s (%.0f kB)", out, out.stat().st_size / 1e3)
    return out
