"""A run killed outright (SIGKILL, no cleanup) at any moment loses only the replications in
flight and leaves no worker behind; the same command again computes only what is missing and
writes the same tables, bit for bit, as a run never interrupted. Also: a killed run's temporary
run folder is removed by the next run (a live run's is not), and a second run of the same config
at once is refused in one line, writing nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

from sim.run.durable import Lock
from sim.run.folder import OWNER, UNOWNED_SECONDS, RunFolder
from sim.run.store import PartStore

WORKERS = 2
WINDOW = 2 * WORKERS  # replications handed to the process pool at once (sim/run/executors.py)
N = 60  # a run of about 10-20 s on two cores
ARGS = [
    "run",
    "scenario=la_lb_strike",  # a disruption: the disruptions table has rows
    f"experiment.replications={N}",
    "experiment.executor=processes",
    f"experiment.workers={WORKERS}",
    "--no-progress",
]
KILLS = 5
SMALL_PARTS = {**os.environ, "RIPPLE_STORE_BATCH": "8"}  # kills land in part writes too


def _start(args: list[str], out: Path, log: Path, env: dict | None = None) -> subprocess.Popen:
    with log.open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "sim", *args, f"out_dir={out}"],
            stdout=err,
            stderr=subprocess.STDOUT,
            env=env,
        )


def _done(out: Path) -> set[int]:
    """Replications on disk in the stores under ``out``."""
    done: set[int] = set()
    for d in out.glob(".partial-*"):
        done |= PartStore(d).done()
    return done


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def _kill_and_watch(p: subprocess.Popen) -> list[int]:
    """SIGKILL ``p``; its descendants' pids, after checking they are all gone within 5 s."""
    children = [c.pid for c in psutil.Process(p.pid).children(recursive=True)]
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    deadline = time.monotonic() + 5
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(children), f"workers outlived the killed run: {_alive(children)}"
    return children


def _tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    tables = ("kpis", "daily", "waits", "disruptions")
    return {t: pd.read_parquet(run_dir / f"{t}.parquet") for t in tables}


def test_killed_five_times_then_resumed_equals_uninterrupted(tmp_path):
    out = tmp_path / "results"
    rng = random.Random(2024)
    # Five moments spread over the run, as replications on disk, each a little past the last.
    targets = sorted(rng.sample(range(2, N - WINDOW - 4, WINDOW + 1), KILLS))
    rows = []
    for k, target in enumerate(targets):
        log = tmp_path / f"kill{k}.log"
        start = len(_done(out))
        goal = max(target, start + 2)  # (this run has started its workers)
        p = _start(ARGS, out, log, SMALL_PARTS)
        deadline = time.monotonic() + 120
        while len(_done(out)) < goal and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.3))  # anywhere: computing, journaling, writing a part
        before = len(_done(out))
        assert p.poll() is None, log.read_text()
        assert len(_kill_and_watch(p)) >= WORKERS
        done = _done(out)
        after = len(done)
        # Nothing on disk was lost, and behind the newest replication on disk only those
        # still in flight (at most the pool's window) are missing: they, and any in flight
        # past it, are all that will be computed again.
        assert after >= before
        holes = [r for r in range(max(done)) if r not in done]
        assert len(holes) <= WINDOW, holes
        if start:
            assert f"resuming: {start} of {N} replications already done" in log.read_text()
        rows.append((goal, start, before, after, len(holes)))

    final = _start(ARGS, out, tmp_path / "final.log", SMALL_PARTS)
    assert final.wait(timeout=300) == 0, (tmp_path / "final.log").read_text()
    text = (tmp_path / "final.log").read_text()
    last = rows[-1][3]
    assert f"resuming: {last} of {N} replications already done" in text
    assert f"({N - last} run now)" in text
    assert not list(out.glob(".partial-*")) and not list(out.glob(".tmp-*"))
    run_dir = Path(text.strip().splitlines()[-1])

    fresh = _start(ARGS, tmp_path / "fresh", tmp_path / "fresh.log")
    assert fresh.wait(timeout=300) == 0, (tmp_path / "fresh.log").read_text()
    fresh_dir = Path((tmp_path / "fresh.log").read_text().strip().splitlines()[-1])
    got, want = _tables(run_dir), _tables(fresh_dir)
    for table, df in want.items():
        pd.testing.assert_frame_equal(got[table], df, check_exact=True)
    assert len(got["disruptions"]) == N  # one strike per replication
    assert (run_dir / "summary.csv").read_bytes() == (fresh_dir / "summary.csv").read_bytes()
    print("target, on disk at start, before kill, after kill, missing behind the newest:", rows)


def test_killed_dask_run_leaves_no_worker(tmp_path):
    out = tmp_path / "results"
    args = ["run", "experiment.replications=200", "experiment.executor=dask"]
    p = _start([*args, f"experiment.workers={WORKERS}", "--no-progress"], out, tmp_path / "log")
    deadline = time.monotonic() + 120
    while len(_done(out)) < 2 and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert p.poll() is None, (tmp_path / "log").read_text()
    assert len(_kill_and_watch(p)) >= WORKERS  # the nannies' worker processes, gone


def _holder(path: Path) -> subprocess.Popen:
    """A process holding the lock on ``path`` until killed."""
    p = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from sim.run.durable import Lock;"
            f"lock = Lock.take(Path({str(path)!r})); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert p.stdout is not None and p.stdout.readline().strip() == "held"
    return p


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_run(tmp_path):
    out = tmp_path / "results"
    live, dead = out / ".tmp-20240101-000000-live", out / ".tmp-20240101-000000-dead"
    old, new = out / ".tmp-20230101-000000-old", out / ".tmp-20240101-000001-new"
    for d in (live, dead, old, new):
        d.mkdir(parents=True)
        (d / "kpis.parquet").write_text("half written")
    owner = _holder(live / OWNER)
    killed = _holder(dead / OWNER)
    killed.kill()
    killed.wait()
    os.utime(old, (time.time() - 2 * UNOWNED_SECONDS,) * 2)  # no owner file: from long ago
    try:
        folder = RunFolder.create(out, "default")
        assert live.is_dir() and Lock.holder(live / OWNER) == str(owner.pid)  # its owner lives
        assert not dead.exists() and not old.exists()
        assert new.is_dir()  # no owner file yet, and new: being created this instant
        assert (folder.tmp / OWNER).read_text().strip() == str(os.getpid())
        final = folder.commit()
        assert not (final / OWNER).exists()
    finally:
        owner.kill()
        owner.wait()
    RunFolder.create(out, "default").discard()
    assert not live.exists()


def test_a_second_run_of_the_same_config_is_refused(tmp_path):
    out = tmp_path / "results"
    args = ["run", "experiment.replications=400", f"experiment.workers={WORKERS}", "--no-progress"]
    first = _start(args, out, tmp_path / "first.log")
    try:
        deadline = time.monotonic() + 120
        while not _done(out) and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first.poll() is None, (tmp_path / "first.log").read_text()
        store = next(out.glob(".partial-*"))
        second = subprocess.run(
            [sys.executable, "-m", "sim", *args, f"out_dir={out}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 2
        assert second.stdout == ""
        assert second.stderr.count("\n") == 1
        assert f"another run of this config (pid {first.pid}) is writing {store}" in second.stderr
        assert [p.name for p in out.iterdir()] == [store.name]  # nothing written beside it
        assert [p.name for p in store.glob("journal-*")] == [f"journal-{first.pid}.bin"]
    finally:
        first.kill()
        first.wait()
