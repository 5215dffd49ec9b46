"""How much memory a run would need, estimated from its sizes before anything is built.

A count typed one digit too long (``experiment.replications=100000000``, a horizon of a
million days, a million SKUs) would run until memory is gone. :func:`check_footprint`
estimates the bytes from the resolved config and refuses a run above this machine's memory,
naming the count that weighs most and the estimate. The estimate is deliberately plain (a
few bytes per cell of the tables and arrays a run holds at once, see ``docs/errors.md``):

- the KPI table of every replication (in the main process), about ``KPI_CELLS`` cells per
  replication at ``KPI_CELL_BYTES`` each (the rows pass through Python records);
- the daily tables of the sampled replications the report draws (``DAILY_SAMPLE``):
  measured days x the markets, stock nodes and gateways x ``DAILY_COLUMNS`` floats;
- in each worker process at once: a process's own size (``PROCESS_BYTES``) and one
  replication's arrays, run twice (with and without its disruptions): demand drawn per
  simulated day, SKU, market and sales channel (draws and means), and the recorder's daily
  arrays per node.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import ConfigError

KPI_CELLS = 60  # KPI columns and the replication's number, seed and event count
KPI_CELL_BYTES = 64
DAILY_SAMPLE = 100  # replications whose daily series the report keeps (sim.run.experiment)
DAILY_COLUMNS = 12
PROCESS_BYTES = 150 * 2**20  # a worker's interpreter, numpy, pandas and the model
DEMAND_ARRAYS = 3  # draws, means and the shares per market and channel
RECORDER_ARRAYS = 16  # daily arrays per node in the recorder
FALLBACK_LIMIT = 16 * 2**30


def memory_limit() -> int:
    """This machine's physical memory in bytes (16 GiB where it cannot be asked)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return FALLBACK_LIMIT


def size(n: float) -> str:
    """Bytes for a person: ``1.2 GB``."""
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} PB"


@dataclass(frozen=True)
class Footprint:
    """The parts of a run's estimated memory, in bytes."""

    kpi_table: int
    daily_tables: int
    processes: int  # worker processes' own size
    arrays: int  # one replication's arrays in every worker at once
    workers: int

    @property
    def total(self) -> int:
        return self.kpi_table + self.daily_tables + self.processes + self.arrays

    def describe(self) -> str:
        return (
            f"about {size(self.total)}: KPI table {size(self.kpi_table)}, daily tables "
            f"{size(self.daily_tables)}, {self.workers} worker(s) {size(self.processes)} "
            f"plus {size(self.arrays)} of replication arrays"
        )


def _int(v: Any) -> int:
    return max(int(v), 0) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0


def estimate(c: Mapping[str, Any], replications: int | None = None) -> tuple[Footprint, str, Any]:
    """The footprint of the resolved config ``c`` (keys and types already checked), with the
    key and value of the count that weighs most; ``replications``: as many as that instead
    of ``experiment.replications`` (``--max-replications``)."""
    ex = c.get("experiment") or {}
    reps = _int(ex.get("replications") if replications is None else replications)
    horizon = _int(ex.get("horizon_days"))
    day_keys = {k: _int(ex.get(k)) for k in ("warmup_days", "horizon_days", "drain_days")}
    days = sum(day_keys.values())
    classes = (c.get("demand") or {}).get("classes") or {}
    counts = {name: _int((k or {}).get("count")) for name, k in classes.items()}
    skus = sum(counts.values())
    kinds = [
        str((n or {}).get("kind")) for n in ((c.get("network") or {}).get("nodes") or {}).values()
    ]
    markets = kinds.count("market")
    shown = sum(k in ("market", "warehouse", "hub", "fc", "port", "customs") for k in kinds)
    channels = max(len((c.get("strategy") or {}).get("channels") or {}), 1)
    requested = _int(ex.get("workers")) or (os.cpu_count() or 1)
    workers = 1 if ex.get("executor") == "serial" else max(min(requested, reps), 1)
    per_replication = (
        2 * days * 8 * (skus * markets * channels * DEMAND_ARRAYS + len(kinds) * RECORDER_ARRAYS)
    )
    fp = Footprint(
        kpi_table=reps * KPI_CELLS * KPI_CELL_BYTES,
        daily_tables=min(reps, DAILY_SAMPLE) * horizon * shown * DAILY_COLUMNS * 8,
        processes=workers * PROCESS_BYTES,
        arrays=workers * per_replication,
        workers=workers,
    )
    heaviest = max(fp.kpi_table, fp.daily_tables, fp.processes, fp.arrays)
    if heaviest == fp.kpi_table:
        if replications is not None:
            return fp, "--max-replications", replications
        return fp, "experiment.replications", ex.get("replications")
    if heaviest == fp.processes:
        return fp, "experiment.workers", ex.get("workers")
    if heaviest == fp.daily_tables:
        return fp, "experiment.horizon_days", ex.get("horizon_days")
    if days >= skus:
        key = max(day_keys, key=lambda k: day_keys[k])
        return fp, f"experiment.{key}", ex.get(key)
    name = max(counts, key=lambda k: counts[k])
    return fp, f"demand.classes.{name}.count", counts[name]


def check_footprint(
    c: Mapping[str, Any], limit: int | None = None, replications: int | None = None
) -> Footprint:
    """The footprint of ``c`` (with ``replications`` instead of the configured number when
    given), or a :class:`ConfigError` when it exceeds ``limit`` (default: this machine's
    memory)."""
    fp, key, value = estimate(c, replications)
    limit = memory_limit() if limit is None else limit
    if fp.total > limit:
        raise ConfigError(
            key,
            value,
            f"a run that fits in memory: {fp.describe()}, more than this machine's {size(limit)}",
        )
    return fp
