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


def write_part(frames: list[pd.DataFrame], path: Path) -> None:
    """One part's table: the replications' rows in order, with the first's column types (as
    :func:`stream_parquet` casts them); empty frames only lend their columns when all are."""
    rows = [df for df in frames if not df.empty]
    if not rows:
        frames[0].to_parquet(path, index=False)
    elif all(df.dtypes.equals(rows[0].dtypes) for df in rows):  # the usual case, and fast
        df = pd.concat(rows, ignore_index=True)
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path)
    else:
        tables = [pa.Table.from_pandas(df, preserve_index=False) for df in rows]
        pq.write_table(pa.concat_tables([t.cast(tables[0].schema) for t in tables]), path)


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
