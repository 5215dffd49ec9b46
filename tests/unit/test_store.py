"""The replication store journals each replication as it arrives and writes parts of many:
whatever order results arrive in and however parts overlap, the tables read back are those of
one replication at a time in order; a journaled replication is done at once and survives its
writer (the next writer makes it a part); a journal record or a part cut short is not done and
is removed; one writer at a time; a failed write is one line and keeps what is finished."""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from sim.core.errors import ConfigError
from sim.run import durable
from sim.run import parts as parts_mod
from sim.run import store as store_mod
from sim.run.experiment import run_experiment
from sim.run.replication import ReplicationResult
from sim.run.store import TABLES, PartStore, stream_parquet

N = 23


def _result(rep: int) -> ReplicationResult:
    """A cheap replication result with the real tables' shapes: a varying number of rows per
    replication, replications without waits or disruptions (empty tables), and one whose
    column types differ from the others'."""
    rng = np.random.default_rng(rep)
    n = int(rng.integers(1, 7))
    daily = pd.DataFrame(
        {
            "replication": np.full(n, rep),
            "day": np.arange(n),
            "node": [f"n{int(i)}" for i in rng.integers(0, 9, n)],
            "service_level": rng.random(n),
        }
    )
    waits = pd.DataFrame(
        [
            {
                "replication": rep,
                "where": f"lane-{i}",
                "shipments": i + 1,
                "mean_days": float(rng.random()),
            }
            for i in range(rep % 3)
        ],
        columns=["replication", "where", "shipments", "mean_days"],
    )
    if rep == 7:  # another type than the others': cast to the first's, as one at a time was
        waits["shipments"] = waits["shipments"].astype(float)
    dis = pd.DataFrame(
        [{"replication": rep, "kind": "strike", "start": 3.5 * rep} for _ in range(rep % 5 == 2)],
        columns=["replication", "kind", "start"],
    )
    kpis = {"fill_rate": float(rng.random()), "total_cost": float("nan") if rep == 4 else 1.0}
    tables = {
        name: pa.Table.from_pandas(df, preserve_index=False)
        for name, df in (("daily", daily), ("waits", waits), ("disruptions", dis))
    }
    return ReplicationResult(rep, kpis, 100 + rep, tables)


RESULTS = {rep: _result(rep) for rep in range(N)}


def _expected(table: str, reps: list[int], out: Path) -> pd.DataFrame:
    """What a store of one file set per replication wrote: the replications' frames streamed
    in order, a row group each."""
    stream_parquet((RESULTS[r].tables[table] for r in reps), out)
    return pd.read_parquet(out)


def _filled(root: Path, order: list[int], batch: int) -> PartStore:
    with PartStore.open(root, batch=batch) as s:
        for rep in order:
            s.write(RESULTS[rep])
        s.flush()
    return s


def _check_tables(s: PartStore, reps: list[int], tmp: Path) -> None:
    """The store's tables of ``reps`` are those of one replication at a time, in order."""
    for table in TABLES:
        s.write_table(table, reps, tmp / "got.parquet")
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp / "got.parquet"),
            _expected(table, reps, tmp / "want.parquet"),
            check_exact=True,
        )


def test_shuffled_arrival_in_overlapping_parts_reads_back_in_replication_order(tmp_path):
    order = list(range(N))
    random.Random(7).shuffle(order)
    shuffled = _filled(tmp_path / "shuffled", order, batch=4)
    one_by_one = _filled(tmp_path / "one", list(range(N)), batch=1)
    parts = sorted(shuffled.root.glob("part-*.kpis.json"))
    assert len(parts) == 6  # 23 replications in parts of 4, overlapping in their ranges
    assert shuffled.done() == set(range(N))
    reps = list(range(N))
    for table in TABLES:
        want = _expected(table, reps, tmp_path / f"want-{table}.parquet")
        for s in (shuffled, one_by_one):
            s.write_table(table, reps, tmp_path / "got.parquet")
            pd.testing.assert_frame_equal(
                pd.read_parquet(tmp_path / "got.parquet"), want, check_exact=True
            )
    assert (shuffled.kpis()["replication"] == reps).all()
    pd.testing.assert_frame_equal(shuffled.kpis(), one_by_one.kpis(), check_exact=True)
    assert np.isnan(shuffled.kpis()["total_cost"][4])
    # Any requested order, a replication's rows as it produced them.
    pick = [17, 3, 4, 5, 0, 22, 9]
    for table in TABLES:
        want = pd.concat(
            [getattr(RESULTS[r], table) for r in pick if not getattr(RESULTS[r], table).empty],
            ignore_index=True,
        )
        pd.testing.assert_frame_equal(
            shuffled.read(table, pick), want, check_exact=True, check_dtype=False
        )


def test_empty_tables_keep_their_columns(tmp_path):
    s = _filled(tmp_path / "s", [0, 1, 3, 4], batch=2)  # replications without disruptions
    s.write_table("disruptions", [0, 1, 3, 4], tmp_path / "d.parquet")
    got = pd.read_parquet(tmp_path / "d.parquet")
    assert got.empty and list(got.columns) == ["replication", "kind", "start"]


def test_slices_are_runs_of_a_part_loaded_once_each(tmp_path, monkeypatch):
    s = _filled(tmp_path / "s", list(range(N)), batch=8)
    reads: list[Path] = []
    real = parts_mod.PartTable.read
    monkeypatch.setattr(
        parts_mod.PartTable,
        "read",
        classmethod(lambda cls, path: reads.append(path) or real(path)),
    )
    frames = [t.to_pandas() for t in s.slices("daily", list(range(N)))]
    assert len(frames) == 3 and len(reads) == 3  # a slice per part, each part read once
    assert [sorted(set(f["replication"])) for f in frames] == [
        list(range(0, 8)),
        list(range(8, 16)),
        list(range(16, N)),
    ]
    # Frames are capped in rows, and the table is the same.
    monkeypatch.setattr(store_mod, "CHUNK_ROWS", 5)
    small = [t.to_pandas() for t in s.slices("daily", list(range(N)))]
    assert len(small) > 3 and all(len(f) <= 6 for f in small)  # one replication has <= 6 rows
    pd.testing.assert_frame_equal(
        pd.concat(small, ignore_index=True), pd.concat(frames, ignore_index=True), check_exact=True
    )


def test_a_full_batch_writes_a_part_and_the_rest_are_done_in_the_journal(tmp_path):
    root = tmp_path / "s"
    s = PartStore.open(root, batch=3)
    for rep in range(5):
        s.write(RESULTS[rep])
    assert len(list(root.glob("part-*.kpis.json"))) == 1  # 0, 1, 2; 3 and 4 in the journal
    assert PartStore(root).done() == set(range(5))  # done at once, for any reader
    s.close()  # as if killed: no flush; the journal keeps 3 and 4
    assert PartStore(root).done() == set(range(5))
    again = PartStore.open(root, batch=3)  # makes the journal a part
    assert [p.stat().st_size for p in root.glob("journal-*")] == [0]  # its own, new journal
    assert len(list(root.glob("part-*.kpis.json"))) == 2
    assert set(again.kpis()["replication"]) == set(range(5))
    again.close()
    _check_tables(PartStore(root), list(range(5)), tmp_path)


def test_a_journal_record_cut_short_is_not_done(tmp_path):
    root = tmp_path / "s"
    s = PartStore.open(root, batch=10)
    for rep in (0, 1, 2):
        s.write(RESULTS[rep])
    journal = next(root.glob("journal-*.bin"))
    s.close()
    with journal.open("r+b") as f:  # killed in the middle of writing replication 2
        f.truncate(journal.stat().st_size - 100)
    assert PartStore(root).done() == {0, 1}
    with PartStore.open(root, batch=10) as again:
        assert again.done() == {0, 1}
        again.write(RESULTS[2])  # computed again
        again.flush()
    assert not list(root.glob("journal-*"))
    _check_tables(PartStore(root), [0, 1, 2], tmp_path)


def test_a_failed_append_leaves_no_torn_record_in_front_of_the_next(tmp_path, monkeypatch):
    j = durable.Journal(tmp_path / "j.bin")
    j.append(1, b"one")
    real = os.write
    calls = [0]

    def half_then_full(fd, data):
        calls[0] += 1
        if calls[0] == 2:  # the payload: half of it, then the disk is full
            real(fd, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(durable.os, "write", half_then_full)
    with pytest.raises(OSError):
        j.append(2, b"two-two-two")
    monkeypatch.undo()
    j.append(3, b"three")
    j.close()
    assert list(durable.read_journal(tmp_path / "j.bin")) == [(1, b"one"), (3, b"three")]
    assert durable.journaled(tmp_path / "j.bin") == [1, 3]


def test_a_part_cut_short_before_its_kpis_is_not_done_and_is_removed(tmp_path, monkeypatch):
    root = tmp_path / "s"
    _filled(root, [0, 1, 2], batch=3)
    real = store_mod._write_atomic

    def crash_at_kpis(path: Path, write) -> None:
        if path.name.endswith(".kpis.json"):
            raise KeyboardInterrupt
        real(path, write)

    s = PartStore.open(root, batch=3)
    monkeypatch.setattr(store_mod, "_write_atomic", crash_at_kpis)
    for rep in (5, 3):
        s.write(RESULTS[rep])
    with pytest.raises(KeyboardInterrupt):
        s.flush()
    s.close()
    monkeypatch.setattr(store_mod, "_write_atomic", real)
    assert len(list(root.glob("part-*.daily.parquet"))) == 2  # the tables are on disk, but
    assert set(PartStore(root).kpis()["replication"]) == {0, 1, 2}  # not as a part: not done
    assert PartStore(root).done() == {0, 1, 2, 3, 5}  # (3 and 5 are done in the journal)
    # The next writer removes the tables cut short and makes the journal a part of a new name.
    again = _filled(root, [4], batch=8)
    assert again.done() == set(range(6))
    assert len(list(root.glob("part-*.daily.parquet"))) == 3  # 0-2, 3 and 5, 4
    assert not list(root.glob("*.tmp")) and not list(root.glob("journal-*"))
    _check_tables(again, list(range(6)), tmp_path)


def test_interrupted_flush_is_completed_by_the_next(tmp_path, monkeypatch):
    with PartStore.open(tmp_path / "s", batch=10) as s:
        s.write(RESULTS[1])
        monkeypatch.setattr(
            store_mod, "write_part", lambda tables, path: (_ for _ in ()).throw(KeyboardInterrupt)
        )
        with pytest.raises(KeyboardInterrupt):
            s.flush()
        monkeypatch.undo()
        s.flush()  # the buffer was kept
        assert s.done() == {1} and set(s.kpis()["replication"]) == {1}


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_failed_write_is_one_line_and_keeps_what_is_finished(tmp_path, monkeypatch, code):
    root = tmp_path / "s"
    s = PartStore.open(root, batch=2)
    s.write(RESULTS[0])

    def fail(*args) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(store_mod, "write_part", fail)  # writing a part: 0 and 1 are journaled
    why = "disk is full" if code == errno.ENOSPC else "read-only"
    with pytest.raises(ConfigError, match=f"{root}'.*{why}.*; 2 finished replications are kept"):
        s.write(RESULTS[1])
    monkeypatch.setattr(durable.Journal, "append", fail)  # appending to the journal
    with pytest.raises(ConfigError, match=why):
        s.write(RESULTS[2])
    s.close()
    monkeypatch.undo()
    assert PartStore(root).done() == {0, 1}  # both in the journal
    with PartStore.open(root, batch=2) as again:
        assert set(again.kpis()["replication"]) == {0, 1}


def test_a_full_disk_while_writing_the_run_folder_keeps_the_store(tmp_path, monkeypatch):
    from sim import api
    from sim.api import running

    def full(*args, **kwargs) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "results"
    args = ["experiment=quick", "experiment.replications=3", f"out_dir={out}"]
    monkeypatch.setattr(running, "write_run_folder", full)
    with pytest.raises(ConfigError, match=r"out_dir=.*disk is full.*kept in .*\.partial-"):
        api.run(args)
    stores = list(out.iterdir())  # no run folder, no temporary one: only the store
    assert [p.name.startswith(".partial-") for p in stores] == [True]
    assert PartStore(stores[0]).done() == {0, 1, 2}
    monkeypatch.undo()
    assert api.run(args).ran == 0


def test_one_writer_at_a_time_and_the_lock_dies_with_its_holder(tmp_path):
    root = tmp_path / "s"
    first = PartStore.open(root)
    with pytest.raises(ConfigError, match=f"another run of this config .pid {os.getpid()}"):
        PartStore.open(root)
    first.write(RESULTS[0])
    first.close()
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sim.run.store import PartStore;"
            f"s = PartStore.open(Path({str(root)!r})); print('open', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        with pytest.raises(ConfigError, match=f"pid {child.pid}"):
            PartStore.open(root)
    finally:
        child.kill()
        child.wait()
    with PartStore.open(root) as s:  # killed: its lock went with it
        assert s.done() == {0}


def test_a_store_holding_nothing_is_removed_when_closed(tmp_path):
    PartStore.open(tmp_path / "empty").close()
    assert not (tmp_path / "empty").exists()
    with pytest.raises(RuntimeError, match="open the store"):
        PartStore(tmp_path / "view").write(RESULTS[0])


def test_batch_size_from_the_environment(monkeypatch):
    monkeypatch.setenv("RIPPLE_STORE_BATCH", "5")
    assert store_mod.batch_size() == 5
    for bad in ("0", "-2", "many", "1.5"):
        monkeypatch.setenv("RIPPLE_STORE_BATCH", bad)
        with pytest.raises(ConfigError, match="RIPPLE_STORE_BATCH"):
            store_mod.batch_size()


def test_interrupted_experiment_keeps_its_finished_replications(tmp_path, quick_scenario):
    sc, plan = quick_scenario
    root = tmp_path / "store"
    seen: list[int] = []

    def ctrl_c_after_three(k: int) -> None:
        seen.append(k)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), PartStore.open(root, batch=100) as store:
        run_experiment(
            sc,
            plan,
            "pure",
            executor="serial",
            replications=6,
            store=store,
            progress=ctrl_c_after_three,
        )
    assert PartStore(root).done() == {0, 1, 2}  # in the journal although the batch was not full
    seen.clear()
    with PartStore.open(root, batch=2) as store:
        resumed = run_experiment(
            sc,
            plan,
            "pure",
            executor="serial",
            replications=6,
            store=store,
            progress=seen.append,
        )
    assert len(seen) == 3  # only the missing replications ran
    fresh = run_experiment(sc, plan, "pure", executor="serial", replications=6)
    pd.testing.assert_frame_equal(resumed.kpis, fresh.kpis, check_exact=True)
    for table in TABLES:
        pd.testing.assert_frame_equal(
            getattr(resumed, table), getattr(fresh, table), check_exact=True
        )
