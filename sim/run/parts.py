"""One table of a part of the replication store: written from the replications' frames, read
back with where each replication's rows are, and streamed into one Parquet file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


@dataclass(frozen=True)
class PartTable:
    """One part's table and where each replication's rows are in it."""

    table: pa.Table
    reps: np.ndarray  # the replication column, sorted
    spans: dict[int, tuple[int, int]]

    @classmethod
    def read(cls, path: Path) -> "PartTable":
        t = pq.read_table(path)
        reps = t.column("replication").to_numpy() if t.num_rows else np.empty(0, np.int64)
        keys, starts = np.unique(reps, return_index=True)
        ends = [*starts[1:].tolist(), len(reps)]
        return cls(t, reps, {int(k): (int(s), e) for k, s, e in zip(keys, starts, ends)})

    def span(self, rep: int) -> tuple[int, int]:
        """Rows ``[start, end)`` of ``rep`` (``end == start`` where it has none, at the place
        its rows would be)."""
        if rep in self.spans:
            return self.spans[rep]
        at = int(np.searchsorted(self.reps, rep))
        return at, at

    def rows(self, start: int, end: int) -> pd.DataFrame:
        return self.table.slice(start, end - start).to_pandas()


def concat(tables: list[pa.Table]) -> pa.Table:
    """The replications' rows in order, with the first's column types (as
    :func:`stream_parquet` casts them); empty tables only lend their columns when all are."""
    rows = [t for t in tables if t.num_rows]
    if not rows:
        return tables[0]
    first = rows[0].schema
    if all(t.schema.equals(first) for t in rows):  # the usual case, and fast
        return pa.concat_tables(rows)
    return pa.concat_tables([t.cast(first) for t in rows])


def write_part(tables: list[pa.Table], path: Path) -> None:
    """One part's table (:func:`concat`)."""
    pq.write_table(concat(tables), path)


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
