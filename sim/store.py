"""Finished replications on disk, one file set per replication, written as they arrive.

A long experiment streams its results here instead of holding them in memory; rerunning the
same command after an interruption finds the replications already done and computes only the
rest. Each part is written to a temporary name and renamed, so a part is either whole or
absent. The store lives in a hidden folder under ``results/`` keyed by the experiment's
resolved config, and becomes the run folder's tables when the experiment is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .replication import ReplicationResult

TABLES = ("daily", "waits", "disruptions")


def run_key(resolved_config_yaml: str, backend: str) -> str:
    """A stable key of what an experiment computes (config and handler build)."""
    h = hashlib.sha256((resolved_config_yaml + "\0" + backend).encode()).hexdigest()
    return h[:16]


class PartStore:
    """Per-replication parts of one experiment in ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, rep: int, table: str) -> Path:
        return self.root / f"rep-{rep:06d}.{table}.parquet"

    def done(self) -> set[int]:
        """Replications whose parts are all written (the kpis part is written last)."""
        return {int(p.name[4:10]) for p in self.root.glob("rep-*.kpis.json")}

    def write(self, r: ReplicationResult) -> None:
        """Write one replication's parts, each atomically, the KPI row last."""
        for table in TABLES:
            df: pd.DataFrame = getattr(r, table)
            path = self._path(r.replication, table)
            tmp = path.with_suffix(".part")
            df.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        row = {"replication": r.replication, **r.kpis, "events": r.events}
        path = self.root / f"rep-{r.replication:06d}.kpis.json"
        tmp = path.with_suffix(".part")
        tmp.write_text(json.dumps(row))
        os.replace(tmp, path)

    def kpis(self) -> pd.DataFrame:
        """One row per finished replication, ordered by replication."""
        rows = [json.loads(p.read_text()) for p in sorted(self.root.glob("rep-*.kpis.json"))]
        return pd.DataFrame(rows)

    def frames(self, table: str, reps: list[int]) -> Iterator[pd.DataFrame]:
        """The parts of ``table`` for ``reps``, in that order."""
        for rep in reps:
            yield pd.read_parquet(self._path(rep, table))

    def read(self, table: str, reps: list[int]) -> pd.DataFrame:
        """``table`` of ``reps`` concatenated (use for samples, not for 10,000 replications)."""
        parts = list(self.frames(table, reps))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def write_table(self, table: str, reps: list[int], out: Path) -> None:
        """Stream ``table`` of ``reps`` into one Parquet file, a row group per replication."""
        stream_parquet(self.frames(table, reps), out)

    def remove(self) -> None:
        """Delete the store (after its tables became a run folder)."""
        shutil.rmtree(self.root, ignore_errors=True)


def write_tagged(stores: Mapping[str, PartStore], column: str, table: str, reps: list[int],
                 out: Path) -> None:
    """Stream ``table`` of ``reps`` from every store into one Parquet file, with ``column``
    holding the store's key (e.g. the strategy)."""
    stream_parquet((df.assign(**{column: key}) for key, store in stores.items()
                    for df in store.frames(table, reps)), out)


def stream_parquet(frames: Iterable[pd.DataFrame], out: Path) -> None:
    """Write ``frames`` into one Parquet file, a row group each (empty ones only lend their
    columns when every frame is empty)."""
    writer = None
    empty = None
    try:
        for df in frames:
            if df.empty:  # adds no rows, and its column types are unknown
                empty = df if empty is None else empty
                continue
            t = pa.Table.from_pandas(df, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(out, t.schema)
            writer.write_table(t.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        (empty if empty is not None else pd.DataFrame()).to_parquet(out, index=False)
