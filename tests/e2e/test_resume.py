"""Long runs stream finished replications to disk and resume: a run interrupted part way
(Ctrl-C, or killed outright) and rerun with the same command computes only what is missing and
ends with the same tables as an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ARGS = ["run", "experiment=quick", "experiment.replications=12", "experiment.executor=serial",
        "--no-progress"]


def _run(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *ARGS, f"out_dir={out}"],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_interrupt_then_resume_equals_uninterrupted(tmp_path, sig):
    out = tmp_path / "results"
    p = subprocess.Popen([sys.executable, "-m", "sim", *ARGS, f"out_dir={out}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        parts = list(out.glob(".partial-*/rep-*.kpis.json"))
        if len(parts) >= 3:
            break
        time.sleep(0.05)
    os.kill(p.pid, sig)
    p.communicate(timeout=60)
    kept = len(list(out.glob(".partial-*/rep-*.kpis.json")))
    assert 3 <= kept < 12, kept
    assert not [d for d in out.iterdir() if not d.name.startswith(".")]  # no run folder yet

    resumed = _run(out)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {kept} of 12" in resumed.stderr
    assert f"({12 - kept} run now)" in resumed.stdout
    run_dir = Path(resumed.stdout.strip().splitlines()[-1])
    assert not list(out.glob(".partial-*"))

    fresh = _run(tmp_path / "fresh")
    assert fresh.returncode == 0, fresh.stderr
    fresh_dir = Path(fresh.stdout.strip().splitlines()[-1])
    for table in ("kpis", "daily", "waits"):
        a = pd.read_parquet(run_dir / f"{table}.parquet")
        b = pd.read_parquet(fresh_dir / f"{table}.parquet")
        pd.testing.assert_frame_equal(a, b)
