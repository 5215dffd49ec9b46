"""The replication store writes parts of many replications: whatever order results arrive in
and however parts overlap, the tables read back are those of one replication at a time in
order; a flush on interruption keeps the finished replications, and a part cut short before
its KPI file is not done and is computed again."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.core.errors import ConfigError
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
    return ReplicationResult(rep, kpis, daily, waits, 100 + rep, dis)


RESULTS = {rep: _result(rep) for rep in range(N)}


def _expected(table: str, reps: list[int], out: Path) -> pd.DataFrame:
    """What a store of one file set per replication wrote: the replications' frames streamed
    in order, a row group each."""
    stream_parquet((getattr(RESULTS[r], table) for r in reps), out)
    return pd.read_parquet(out)


def _filled(root: Path, order: list[int], batch: int) -> PartStore:
    s = PartStore(root, batch=batch)
    for rep in order:
        s.write(RESULTS[rep])
    s.flush()
    return s


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


def test_frames_are_runs_of_a_part_loaded_once_each(tmp_path, monkeypatch):
    s = _filled(tmp_path / "s", list(range(N)), batch=8)
    reads: list[Path] = []
    real = store_mod._Loaded.read
    monkeypatch.setattr(
        store_mod._Loaded, "read", classmethod(lambda cls, path: reads.append(path) or real(path))
    )
    frames = list(s.frames("daily", list(range(N))))
    assert len(frames) == 3 and len(reads) == 3  # a frame per part, each part read once
    assert [sorted(set(f["replication"])) for f in frames] == [
        list(range(0, 8)),
        list(range(8, 16)),
        list(range(16, N)),
    ]
    # Frames are capped in rows, and the table is the same.
    monkeypatch.setattr(store_mod, "CHUNK_ROWS", 5)
    small = list(s.frames("daily", list(range(N))))
    assert len(small) > 3 and all(len(f) <= 6 for f in small)  # one replication has <= 6 rows
    pd.testing.assert_frame_equal(
        pd.concat(small, ignore_index=True), pd.concat(frames, ignore_index=True), check_exact=True
    )


def test_a_full_batch_or_a_long_wait_writes_a_part(tmp_path):
    s = PartStore(tmp_path / "s", batch=3)
    for rep in range(5):
        s.write(RESULTS[rep])
    assert s.done() == {0, 1, 2}  # 3 and 4 wait in memory for the batch
    s.flush()
    assert s.done() == set(range(5))
    t = PartStore(tmp_path / "t", batch=100, seconds=0.0)
    t.write(RESULTS[9])
    assert t.done() == {9}


def test_a_part_cut_short_before_its_kpis_is_not_done_and_is_written_again(tmp_path, monkeypatch):
    root = tmp_path / "s"
    s = _filled(root, [0, 1, 2], batch=3)
    real = store_mod._write_atomic

    def crash_at_kpis(path: Path, write) -> None:
        if path.name.endswith(".kpis.json"):
            raise KeyboardInterrupt
        real(path, write)

    monkeypatch.setattr(store_mod, "_write_atomic", crash_at_kpis)
    for rep in (5, 3):
        s.write(RESULTS[rep])
    with pytest.raises(KeyboardInterrupt):
        s.flush()
    assert len(list(root.glob("part-*.daily.parquet"))) == 2  # the tables are on disk, but
    assert s.done() == {0, 1, 2} == PartStore(root).done()  # without the KPI file: not done
    monkeypatch.setattr(store_mod, "_write_atomic", real)
    # A rerun computes 3 and 5 again (in another order, with 4) into a part of a new name.
    again = _filled(root, [4, 5, 3], batch=8)
    assert again.done() == set(range(6))
    assert len(list(root.glob("part-*.daily.parquet"))) == 3
    reps = list(range(6))
    for table in TABLES:
        again.write_table(table, reps, tmp_path / "got.parquet")
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "got.parquet"),
            _expected(table, reps, tmp_path / "want.parquet"),
            check_exact=True,
        )


def test_interrupted_flush_is_completed_by_the_next(tmp_path, monkeypatch):
    s = PartStore(tmp_path / "s", batch=10)
    s.write(RESULTS[1])
    monkeypatch.setattr(
        store_mod, "_write_part", lambda tables, path: (_ for _ in ()).throw(KeyboardInterrupt)
    )
    with pytest.raises(KeyboardInterrupt):
        s.flush()
    monkeypatch.undo()
    s.flush()  # the buffer was kept
    assert s.done() == {1}


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

    with pytest.raises(KeyboardInterrupt):
        run_experiment(
            sc,
            plan,
            "pure",
            executor="serial",
            replications=6,
            store=PartStore(root, batch=100),
            progress=ctrl_c_after_three,
        )
    assert PartStore(root).done() == {0, 1, 2}  # flushed although the batch was not full
    seen.clear()
    resumed = run_experiment(
        sc,
        plan,
        "pure",
        executor="serial",
        replications=6,
        store=PartStore(root, batch=2),
        progress=seen.append,
    )
    assert len(seen) == 3  # only the missing replications ran
    fresh = run_experiment(sc, plan, "pure", executor="serial", replications=6)
    pd.testing.assert_frame_equal(resumed.kpis, fresh.kpis, check_exact=True)
    for table in TABLES:
        pd.testing.assert_frame_equal(
            getattr(resumed, table), getattr(fresh, table), check_exact=True
        )
