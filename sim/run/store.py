"""Finished replications on disk, written in batches (parts) as they arrive.

A long experiment streams its results here instead of holding them in memory; rerunning the
same command after an interruption finds the replications already done and computes only the
rest. The store lives in a hidden folder under ``results/`` keyed by the experiment's resolved
config, and becomes the run folder's tables when the experiment is complete.

Results are buffered and written as a *part* when ``batch`` replications are waiting, when the
oldest has waited ``seconds`` (checked as the next arrives), or on :meth:`PartStore.flush` (the
experiment flushes at its end and on Ctrl-C or an error). A part is one file per table plus the
KPI rows::

    part-000007-4242.daily.parquet        the batch's rows, ordered by replication
    part-000007-4242.waits.parquet        (then as each replication produced them)
    part-000007-4242.disruptions.parquet
    part-000007-4242.kpis.json            a list of the batch's KPI rows, written last

(part number, then the writing process's id). Every file is written under a temporary name and
renamed, and the KPI file comes last, so a replication is done only when a KPI file lists it and
all its tables are on disk; the table files of a part cut short are ignored and their
replications computed again into a new part. Parts may overlap in replications (results arrive
roughly in order from a process pool; a resumed run fills gaps), so reading goes through an
index of replication -> part and loads parts lazily, a few at a time. A killed process loses
at most the buffered replications (fewer than ``batch``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..core.errors import ConfigError
from .replication import ReplicationResult

TABLES = ("daily", "waits", "disruptions")
BATCH = 64  # replications per part
SECONDS = 30.0  # the longest a finished replication waits in memory (checked on arrival)
BATCH_ENV = "RIPPLE_STORE_BATCH"  # overrides BATCH (tests use small parts)
CHUNK_ROWS = 1 << 17  # rows at most in one frame that frames() yields (unless one rep has more)
CACHED_PARTS = 2  # part tables in memory at once while reading (parts overlap little)


def run_key(resolved_config_yaml: str, backend: str) -> str:
    """A stable key of what an experiment computes (config and handler build)."""
    h = hashlib.sha256((resolved_config_yaml + "\0" + backend).encode()).hexdigest()
    return h[:16]


def batch_size() -> int:
    """Replications per part: :data:`BATCH`, or ``$RIPPLE_STORE_BATCH``."""
    raw = os.environ.get(BATCH_ENV, "")
    if not raw:
        return BATCH
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ConfigError(BATCH_ENV, raw, "a positive integer (replications per stored part)")
    return int(raw)


@dataclass(frozen=True)
class _Pending:
    """One buffered replication: its KPI row and its tables."""

    replication: int
    kpis: dict
    tables: dict[str, pd.DataFrame]


@dataclass(frozen=True)
class _Loaded:
    """One part's table and where each replication's rows are in it."""

    table: pa.Table
    reps: np.ndarray  # the replication column, sorted
    spans: dict[int, tuple[int, int]]

    @classmethod
    def read(cls, path: Path) -> "_Loaded":
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


class PartStore:
    """The parts of one experiment in ``root``; see the module docstring for the layout."""

    def __init__(self, root: Path, batch: int | None = None, seconds: float = SECONDS) -> None:
        self.batch = batch_size() if batch is None else batch
        if self.batch < 1:
            raise ValueError(f"batch={self.batch}: expected a positive number of replications")
        self.seconds = seconds
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._pending: list[_Pending] = []
        self._since = 0.0  # when the oldest pending replication arrived
        # Numbers past every file here, finished or not, so a new part never reuses a name.
        self._next = 1 + max((int(p.name[5:11]) for p in root.glob("part-*")), default=-1)

    def _kpi_files(self) -> list[Path]:
        return sorted(self.root.glob("part-*.kpis.json"))

    def _rows(self) -> Iterator[tuple[str, dict]]:
        """(part name, KPI row) of every finished replication, the first part listing it."""
        seen: set[int] = set()
        for path in self._kpi_files():
            name = path.name[: -len(".kpis.json")]
            for row in json.loads(path.read_text()):
                if row["replication"] not in seen:
                    seen.add(row["replication"])
                    yield name, row

    def done(self) -> set[int]:
        """Replications whose parts are all written (buffered ones are not done yet)."""
        return {row["replication"] for _, row in self._rows()}

    def write(self, r: ReplicationResult) -> None:
        """Buffer one replication; write a part when the batch is full or has waited long."""
        if not self._pending:
            self._since = time.monotonic()
        row = {"replication": r.replication, **r.kpis, "events": r.events}
        self._pending.append(_Pending(r.replication, row, {t: getattr(r, t) for t in TABLES}))
        if len(self._pending) >= self.batch or time.monotonic() - self._since >= self.seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffered replications as one part: each table's file, the KPI file last,
        each atomically. If interrupted, the buffer stays for another flush to write."""
        if not self._pending:
            return
        batch = sorted(self._pending, key=lambda p: p.replication)
        name = f"part-{self._next:06d}-{os.getpid()}"
        for table in TABLES:
            frames = [p.tables[table] for p in batch]
            _write_atomic(
                self.root / f"{name}.{table}.parquet", functools.partial(_write_part, frames)
            )
        _write_atomic(
            self.root / f"{name}.kpis.json",
            lambda tmp: tmp.write_text(json.dumps([p.kpis for p in batch])),
        )
        self._next += 1
        self._pending = []

    def kpis(self) -> pd.DataFrame:
        """One row per finished replication, ordered by replication."""
        rows = sorted((row for _, row in self._rows()), key=lambda row: row["replication"])
        return pd.DataFrame(rows)

    def frames(self, table: str, reps: list[int]) -> Iterator[pd.DataFrame]:
        """The rows of ``table`` for ``reps``, in that order: a frame per run of consecutive
        requested replications stored together (at most :data:`CHUNK_ROWS` rows unless one
        replication has more), reading parts lazily, at most :data:`CACHED_PARTS` at a time."""
        where = {row["replication"]: name for name, row in self._rows()}
        cache: OrderedDict[str, _Loaded] = OrderedDict()
        part: _Loaded | None = None
        start = end = 0
        for rep in reps:
            if rep not in where:
                raise KeyError(f"replication {rep} is not in the store {self.root}")
            name = where[rep]
            loaded = cache.get(name)
            lo, hi = loaded.span(rep) if loaded is not None else (-1, -1)
            if (
                part is not None
                and loaded is part
                and lo == end
                and (hi - start <= CHUNK_ROWS or start == end)
            ):
                end = hi
                continue
            if part is not None:
                yield part.rows(start, end)
            if loaded is None:
                loaded = cache[name] = _Loaded.read(self.root / f"{name}.{table}.parquet")
                lo, hi = loaded.span(rep)
                while len(cache) > CACHED_PARTS:
                    cache.popitem(last=False)
            cache.move_to_end(name)
            part, start, end = loaded, lo, hi
        if part is not None:
            yield part.rows(start, end)

    def read(self, table: str, reps: list[int]) -> pd.DataFrame:
        """``table`` of ``reps`` concatenated (use for samples, not for 10,000 replications)."""
        frames = list(self.frames(table, reps))
        rows = [df for df in frames if not df.empty] or frames[:1]
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()

    def write_table(self, table: str, reps: list[int], out: Path) -> None:
        """Stream ``table`` of ``reps`` into one Parquet file, a row group per frame."""
        stream_parquet(self.frames(table, reps), out)

    def remove(self) -> None:
        """Delete the store (after its tables became a run folder)."""
        shutil.rmtree(self.root, ignore_errors=True)


def _write_part(frames: list[pd.DataFrame], path: Path) -> None:
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


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


def write_tagged(
    stores: Mapping[str, PartStore], column: str, table: str, reps: list[int], out: Path
) -> None:
    """Stream ``table`` of ``reps`` from every store into one Parquet file, with ``column``
    holding the store's key (e.g. the strategy)."""
    stream_parquet(
        (
            df.assign(**{column: key})
            for key, store in stores.items()
            for df in store.frames(table, reps)
        ),
        out,
    )


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
