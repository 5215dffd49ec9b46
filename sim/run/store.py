"""Finished replications on disk as they arrive: a journal, consolidated into parts.

A long experiment streams its results here instead of holding them in memory; rerunning the
same command after an interruption, or after the process was killed outright, finds the
replications already done and computes only the rest. The store lives in a hidden folder under
``results/`` keyed by the experiment's resolved config, and becomes the run folder's tables
when the experiment is complete::

    lock                                  flock'ed by the run writing here; holds its pid
    journal-4242.bin                      each finished replication, appended as it arrives
    part-000007-4242.daily.parquet        a part: the rows of up to ``batch`` replications,
    part-000007-4242.waits.parquet        ordered by replication (then as each produced them)
    part-000007-4242.disruptions.parquet
    part-000007-4242.kpis.json            a list of the part's KPI rows, written last

Each finished replication is appended to the journal (as the worker pickled it: the bytes that
came back from it) before anything else happens to it, so a process killed at any moment loses
only the replications still being computed. Once ``batch`` replications are in the journal they
are written as a part (every file synced to the disk, the KPI file last, each under a temporary
name and renamed) and the journal is emptied; the experiment writes the rest as a part at its
end. A replication is done when a KPI file lists it or a whole journal record holds it.

Only :meth:`PartStore.open` writes, holding the store's lock for as long as it is open: a second
run of the same config is refused in one line, and the lock dies with its holder. Opening the
store tidies what a killed writer left: its journal becomes a part, files cut short are removed.
Parts may overlap in replications (results arrive roughly in order from a process pool; a
resumed run fills gaps), so reading goes through an index of replication -> part and loads parts
lazily, a few at a time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import shutil
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pandas as pd
import pyarrow as pa

from ..core.errors import ConfigError
from .durable import Journal, Lock, disk_error, journaled, read_journal, sync_dir, write_atomic
from .parts import PartTable, concat, give_back, stream_parquet, write_part
from .replication import TABLES, ReplicationResult

log = logging.getLogger(__name__)

BATCH = 32  # replications per part (the gathering process holds one part of tables in memory)
BATCH_ENV = "RIPPLE_STORE_BATCH"  # overrides BATCH (tests use small parts)
CHUNK_ROWS = 1 << 17  # rows at most in one table slices() yields (unless one rep has more)
CACHED_PARTS = 2  # part tables in memory at once while reading (parts overlap little)
LOCK = "lock"


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
    """One replication in the journal, not yet in a part: its KPI row and its tables."""

    replication: int
    kpis: dict
    tables: dict[str, pa.Table]

    @classmethod
    def of(cls, r: ReplicationResult) -> "_Pending":
        row = {"replication": r.replication, **r.kpis, "events": r.events}
        return cls(r.replication, row, {t: r.tables[t] for t in TABLES})


class PartStore:
    """The parts and journal of one experiment in ``root``; see the module docstring.

    ``PartStore(root)`` reads what is on disk, also while another process writes it;
    :meth:`open` gives the store that writes, locked for this process until :meth:`close` or
    :meth:`remove` (or use it as a context manager).
    """

    def __init__(self, root: Path, batch: int | None = None) -> None:
        self.batch = batch_size() if batch is None else batch
        if self.batch < 1:
            raise ValueError(f"batch={self.batch}: expected a positive number of replications")
        self.root = root
        self._pending: list[_Pending] = []
        self._lock: Lock | None = None
        self._journal: Journal | None = None
        self._next = 0

    @classmethod
    def open(cls, root: Path, batch: int | None = None) -> "PartStore":
        """The store in ``root`` to write, created if need be and locked; a :class:`ConfigError`
        if another run holds it or it cannot be written. What a killed writer left is tidied
        first: its journal becomes a part, files it cut short are removed."""
        s = cls(root, batch)
        try:
            s._lock = _take(root)
            if s._lock is None:
                raise ConfigError(
                    "out_dir",
                    str(root.parent),
                    "one run of a config at a time: another run of this config "
                    f"(pid {Lock.holder(root / LOCK)}) is writing {root}",
                )
            s._tidy()
            s._recover()
            s._journal = Journal(root / f"journal-{os.getpid()}.bin")
        except OSError as exc:
            s.close()
            raise disk_error(exc, root) from None
        except BaseException:
            s.close()
            raise
        return s

    def __enter__(self) -> "PartStore":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _kpi_files(self) -> list[Path]:
        return sorted(self.root.glob("part-*.kpis.json"))

    def _rows(self) -> Iterator[tuple[str, dict]]:
        """(part name, KPI row) of every replication in a part, the first part listing it."""
        seen: set[int] = set()
        for path in self._kpi_files():
            name = path.name[: -len(".kpis.json")]
            try:
                rows = json.loads(path.read_text())
            except (OSError, ValueError):  # not whole (only after a crash of the machine)
                log.warning("%s: unreadable, its replications are not done", path)
                continue
            for row in rows:
                if row["replication"] not in seen:
                    seen.add(row["replication"])
                    yield name, row

    def _journals(self) -> list[Path]:
        return sorted(self.root.glob("journal-*.bin"))

    def done(self) -> set[int]:
        """Replications on disk: in a part or in a journal."""
        # The journals first: a writer empties its journal only once the part holding its
        # replications is in place, so no replication is missed while one becomes the other.
        reps: set[int] = set()
        for path in self._journals():
            reps.update(journaled(path))
        return reps | {row["replication"] for _, row in self._rows()}

    def _tidy(self) -> None:
        """Remove what a writer killed part way left: temporary files, and the tables of parts
        whose KPI file never came (their replications are in a journal, or not done)."""
        for path in self.root.glob("*.tmp"):
            path.unlink(missing_ok=True)
        parts = {path.name[: -len(".kpis.json")] for path in self._kpi_files()}
        for path in self.root.glob("part-*.parquet"):
            if path.name.split(".")[0] not in parts:
                path.unlink(missing_ok=True)
        # Numbers past every part here, so a new part never reuses a name.
        self._next = 1 + max((int(p.name[5:11]) for p in self.root.glob("part-*")), default=-1)

    def _recover(self) -> None:
        """Write the replications of journals left by a killed writer as a part."""
        journals = self._journals()
        if not journals:
            return
        done = {row["replication"] for _, row in self._rows()}
        for path in journals:
            for rep, payload in read_journal(path):
                if rep in done:  # killed after writing the part, before emptying the journal
                    continue
                try:
                    r = pickle.loads(payload)
                except Exception:  # written by another version of the code: compute it again
                    log.warning("%s: replication %d unreadable, not done", path, rep)
                    continue
                done.add(rep)
                self._pending.append(_Pending.of(r))
        if self._pending:
            log.info("%d replications recovered from %s", len(self._pending), self.root)
        self.flush()
        for path in journals:
            path.unlink()

    def write(self, r: ReplicationResult, pickled: bytes | None = None) -> None:
        """Append one replication to the journal (``pickled``: ``r`` as pickled already); write
        a part when ``batch`` are waiting. Needs the store :meth:`open`."""
        if self._journal is None:
            raise RuntimeError(f"{self.root}: open the store (PartStore.open) to write to it")
        blob = pickled if pickled is not None else pickle.dumps(r, pickle.HIGHEST_PROTOCOL)
        try:
            self._journal.append(r.replication, blob)
        except OSError as exc:
            raise self._failed(exc) from None
        self._pending.append(_Pending.of(r))
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write the journal's replications as one part: each table's file, the KPI file last,
        each synced and renamed into place; then empty the journal. If this fails, the journal
        still holds them."""
        if not self._pending:
            return
        batch = sorted(self._pending, key=lambda p: p.replication)
        name = f"part-{self._next:06d}-{os.getpid()}"
        try:
            for table in TABLES:
                parts = [p.tables[table] for p in batch]
                _write_atomic(
                    self.root / f"{name}.{table}.parquet", functools.partial(write_part, parts)
                )
            sync_dir(self.root)
            kpis = json.dumps([p.kpis for p in batch])
            _write_atomic(self.root / f"{name}.kpis.json", lambda tmp: tmp.write_text(kpis))
            sync_dir(self.root)
        except OSError as exc:
            raise self._failed(exc) from None
        self._next += 1
        self._pending = []
        del batch, parts
        give_back()  # the part's tables, to the system
        if self._journal is not None:
            self._journal.clear()

    def _failed(self, exc: OSError) -> ConfigError:
        kept = len(self.done())
        return disk_error(exc, self.root, kept=f"{kept} finished replications are kept in it")

    def close(self) -> None:
        """Stop writing and release the lock. The journal keeps what is not in a part yet (the
        next :meth:`open` makes it one); a store holding no replication is removed."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self._pending = []
        if self._lock is None:
            return
        try:
            if not self.done():
                shutil.rmtree(self.root, ignore_errors=True)
        finally:
            self._lock.release()
            self._lock = None

    def kpis(self) -> pd.DataFrame:
        """One row per replication in a part, ordered by replication (flush first)."""
        rows = sorted((row for _, row in self._rows()), key=lambda row: row["replication"])
        return pd.DataFrame(rows)

    def slices(self, table: str, reps: list[int]) -> Iterator[pa.Table]:
        """The rows of ``table`` for ``reps``, in that order: an Arrow table per run of
        consecutive requested replications stored together (at most :data:`CHUNK_ROWS` rows
        unless one replication has more), reading parts lazily, at most :data:`CACHED_PARTS`
        at a time."""
        where = {row["replication"]: name for name, row in self._rows()}
        cache: OrderedDict[str, PartTable] = OrderedDict()
        part: PartTable | None = None
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
                loaded = cache[name] = PartTable.read(self.root / f"{name}.{table}.parquet")
                lo, hi = loaded.span(rep)
                while len(cache) > CACHED_PARTS:
                    cache.popitem(last=False)
                    give_back()
            cache.move_to_end(name)
            part, start, end = loaded, lo, hi
        if part is not None:
            yield part.rows(start, end)

    def read(self, table: str, reps: list[int]) -> pd.DataFrame:
        """``table`` of ``reps`` concatenated (use for samples, not for 10,000 replications)."""
        tables = list(self.slices(table, reps))
        df = concat(tables).to_pandas() if tables else pd.DataFrame()
        del tables
        give_back()
        return df

    def write_table(self, table: str, reps: list[int], out: Path) -> None:
        """Stream ``table`` of ``reps`` into one Parquet file, a row group per slice."""
        stream_parquet(self.slices(table, reps), out)

    def remove(self) -> None:
        """Delete the store (after its tables became a run folder), then release its lock."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self._pending = []
        shutil.rmtree(self.root, ignore_errors=True)
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _take(root: Path) -> Lock | None:
    """The lock of the store in ``root`` (created if need be), or None if another run holds it."""
    for attempt in range(3):
        root.mkdir(parents=True, exist_ok=True)
        try:
            return Lock.take(root / LOCK)
        except FileNotFoundError:  # its holder finished and removed the store: make it again
            if attempt == 2:
                raise
    return None


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    write_atomic(path, write, sync=True)


def write_tagged(
    stores: Mapping[str, PartStore], column: str, table: str, reps: list[int], out: Path
) -> None:
    """Stream ``table`` of ``reps`` from every store into one Parquet file, with ``column``
    holding the store's key (e.g. the strategy)."""
    stream_parquet(
        (
            t.append_column(column, pa.array([key] * t.num_rows, pa.large_string()))
            for key, store in stores.items()
            for t in store.slices(table, reps)
        ),
        out,
    )
