"""One table of a part of the replication store: written from the replications' tables, read
back with where each replication's rows are, and streamed into one Parquet file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
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

    def rows(self, start: int, end: int) -> pa.Table:
        return self.table.slice(start, end - start)


def give_back() -> None:
    """Return the memory Arrow holds free to the system (its allocator keeps what tables
    freed, for reuse, and a process that has read and written 10,000 replications' tables
    would keep the most it ever held)."""
    pa.default_memory_pool().release_unused()


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


def stream_parquet(tables: Iterable[pa.Table], out: Path) -> None:
    """Write ``tables`` into one Parquet file, a row group each, with the first non-empty
    one's column types (empty ones only lend their columns when every table is empty)."""
    writer = None
    empty = None
    try:
        for t in tables:
            if not t.num_rows:  # adds no rows, and its column types may be unknown
                empty = t if empty is None else empty
                continue
            if writer is None:
                writer = pq.ParquetWriter(out, t.schema)
            writer.write_table(t if t.schema.equals(writer.schema) else t.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
        give_back()
    if writer is None:
        pq.write_table(empty if empty is not None else pa.table({}), out)
