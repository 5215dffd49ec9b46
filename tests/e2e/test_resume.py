"""Long runs stream finished replications to disk and resume: a run interrupted part way
(Ctrl-C, or killed outright) and rerun with the same command computes only what is missing and
ends with the same tables as an uninterrupted run. Each finished replication is in the store's
journal at once; the interrupted runs write parts of :data:`BATCH` replications, so the resumed
run reads tables from many parts and the journal a kill left behind (see also test_kill.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.run.store import PartStore

# Long enough that Ctrl-C lands part way whatever the machine's speed: a default-length
# replication takes about 50 ms, so the run lasts seconds after its first parts appear.
N_RUN = 40
ARGS = ["run", f"experiment.replications={N_RUN}", "experiment.executor=serial", "--no-progress"]


BATCH = 2
SMALL_PARTS = {**os.environ, "RIPPLE_STORE_BATCH": str(BATCH)}


def _kept(stores: str, out: Path) -> int:
    """Finished replications in the stores matching ``stores`` under ``out``."""
    return sum(len(PartStore(d).done()) for d in out.glob(stores))


def _sim(args: list[str], out: Path) -> subprocess.CompletedProcess:
    """Run ``python -m sim ARGS out_dir=OUT`` to the end."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *args, f"out_dir={out}"],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _hear_ctrl_c() -> None:
    """In the child before it starts: Ctrl-C stops it, as at a terminal. A test run started in
    the background by a non-interactive shell (``pytest &``, ``nohup ... &``) inherits SIGINT
    ignored, and Python then installs no KeyboardInterrupt handler: the child would finish its
    run and the test would see nothing kept and exit status 0."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupted(args: list[str], out: Path, stores: str, sig: int) -> tuple[int | None, str, int]:
    """Start ``python -m sim ARGS`` with small parts, send ``sig`` once 3 replications are in
    the stores matching ``stores``; its return code, stderr, and the replications kept."""
    p = subprocess.Popen(
        [sys.executable, "-m", "sim", *args, f"out_dir={out}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=SMALL_PARTS,
        preexec_fn=_hear_ctrl_c,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _kept(stores, out) < 3 and p.poll() is None:
        time.sleep(0.02)
    if p.poll() is not None:  # it ended before 3 were seen: nothing was interrupted
        _, err = p.communicate()
        raise AssertionError(f"the run ended (status {p.returncode}) before the signal: {err}")
    os.kill(p.pid, sig)
    _, err = p.communicate(timeout=60)
    return p.returncode, err, _kept(stores, out)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run folder of ``ARGS`` run once to the end: what every resumed run must equal."""
    fresh = _sim(ARGS, tmp_path_factory.mktemp("fresh"))
    assert fresh.returncode == 0, fresh.stderr
    return Path(fresh.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_interrupt_then_resume_equals_uninterrupted(tmp_path, sig, uninterrupted):
    out = tmp_path / "results"
    returncode, err, kept = _interrupted(ARGS, out, ".partial-*", sig)
    assert 3 <= kept < N_RUN, kept
    if sig == signal.SIGINT:
        assert returncode == 130, err
        assert f"{kept} finished replications kept" in err
    assert not [d for d in out.iterdir() if not d.name.startswith(".")]  # no run folder yet

    resumed = _sim(ARGS, out)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {kept} of {N_RUN}" in resumed.stderr
    assert f"({N_RUN - kept} run now)" in resumed.stdout
    run_dir = Path(resumed.stdout.strip().splitlines()[-1])
    assert not list(out.glob(".partial-*"))

    for table in ("kpis", "daily", "waits", "disruptions"):
        a = pd.read_parquet(run_dir / f"{table}.parquet")
        b = pd.read_parquet(uninterrupted / f"{table}.parquet")
        pd.testing.assert_frame_equal(a, b)
    assert (run_dir / "summary.csv").read_bytes() == (uninterrupted / "summary.csv").read_bytes()


N_CMP = 16  # per strategy
CMP = [
    "compare",
    "--strategies",
    "overseas_warehouse,transship",
    f"experiment.replications={N_CMP}",
    "experiment.executor=serial",
    "--no-progress",
]


def test_compare_interrupted_then_resumed_equals_uninterrupted(tmp_path):
    out = tmp_path / "results"
    returncode, err, kept = _interrupted(CMP, out, ".partial-compare-*/*", signal.SIGINT)
    assert returncode == 130, err
    assert 3 <= kept < 2 * N_CMP, kept
    assert f"{kept} finished replications kept" in err
    assert not [d for d in out.iterdir() if not d.name.startswith(".")]  # no compare folder yet

    resumed = _sim(CMP, out)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {kept} of 2 x {N_CMP} replications already done" in resumed.stderr
    run_dir = Path(resumed.stdout.strip().splitlines()[-1])
    assert not list(out.glob(".partial-*"))

    fresh = _sim(CMP, tmp_path / "fresh")
    assert fresh.returncode == 0, fresh.stderr
    fresh_dir = Path(fresh.stdout.strip().splitlines()[-1])
    for table in ("kpis", "daily", "waits", "disruptions", "summary", "paired"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(run_dir / f"{table}.parquet"),
            pd.read_parquet(fresh_dir / f"{table}.parquet"),
        )


def test_a_run_that_cannot_start_is_one_line_and_leaves_no_store(tmp_path):
    out = tmp_path / "results"
    t0 = time.monotonic()
    bad = ["run", "experiment.executor=dask", "experiment.address=tcp://127.0.0.1:9"]
    r = _sim([*bad, "--no-progress"], out)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("ripple: config error: experiment.address='tcp://127.0.0.1:9'")
    assert r.stderr.count("\n") == 1 and r.stdout == ""
    assert time.monotonic() - t0 < 30  # a few seconds to connect, not Dask's default 30
    assert list(out.iterdir()) == []  # no store left behind
    r = _sim(["run", "--no-progress"], Path("/proc/x"))
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("ripple: config error: out_dir='/proc/x'")
    assert r.stderr.count("\n") == 1
