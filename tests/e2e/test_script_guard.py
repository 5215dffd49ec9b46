"""The process pool spawns its workers, which import the script that started them: a script
calling ``sim.api`` under ``if __name__ == "__main__":`` runs; one without the guard (which
would run again in every worker) stops with one message that says so, and leaves no run folder
behind."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sim.run.executors import WORKER_LOST

RUN = """
from sim import api

def go():
    r = api.run(["experiment.replications=2", "experiment.executor=processes",
                 "experiment.workers=2", "experiment.horizon_days=60",
                 "experiment.warmup_days=30", "out_dir={out}"])
    print("folder", r.folder)
"""


def _script(tmp_path: Path, guarded: bool) -> subprocess.CompletedProcess:
    body = RUN.format(out=tmp_path / "out")
    body += 'if __name__ == "__main__":\n    go()\n' if guarded else "go()\n"
    script = tmp_path / "study.py"
    script.write_text(textwrap.dedent(body))
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600, cwd=tmp_path
    )


def _folders(tmp_path: Path) -> list[Path]:
    out = tmp_path / "out"
    return [d for d in out.iterdir() if not d.name.startswith(".")] if out.is_dir() else []


def test_a_guarded_script_runs(tmp_path):
    p = _script(tmp_path, guarded=True)
    assert p.returncode == 0, p.stderr
    assert len(_folders(tmp_path)) == 1
    assert (_folders(tmp_path)[0] / "kpis.parquet").is_file()


def test_a_script_without_the_guard_is_stopped_with_one_message(tmp_path):
    p = _script(tmp_path, guarded=False)
    assert p.returncode != 0
    assert p.stderr.strip().splitlines()[-1].endswith(WORKER_LOST)
    assert _folders(tmp_path) == []
