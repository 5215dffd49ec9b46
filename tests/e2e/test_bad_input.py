"""Bad input, case by case (the corpus is in ``bad_inputs.py``): every case gets exactly one
line on stderr naming the key or argument at fault, exit status 2, no traceback, and nothing
written or changed, neither in the case's working folder (the current directory, which also
holds ``out_dir``) nor in the run folder the cases share.

The cases run in-process through ``sim.cli.main``; a few run again as a real
``python -m sim`` to show the same end to end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim import cli

from .bad_inputs import CASES, Case

BY_ID = {c.id: c for c in CASES}
END_TO_END = [
    "cli-unknown-command",
    "cli-fps-zero",
    "override-unknown-experiment-key-plus",
    "override-memory-replications",
    "config-bad-yaml",
    "overlay-unknown-disruption-field",
    "folder-corrupt-parquet-explain",
]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    """A small whole run folder, the one the run-folder cases start from."""
    out = tmp_path_factory.mktemp("run")
    argv = [
        "run",
        "experiment=quick",
        "experiment.replications=1",
        "experiment.warmup_days=10",
        "experiment.horizon_days=30",
        f"out_dir={out}",
        "--no-progress",
    ]
    assert cli.main(argv) == 0
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    return folder


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``root``: its size (-1 for a folder) and modification time."""
    return {
        str(p.relative_to(root)): (p.stat().st_size if p.is_file() else -1, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


def prepare(case: Case, tmp_path: Path, run: Path, monkeypatch) -> tuple[Path, list[str]]:
    work = tmp_path / "work"
    work.mkdir()
    env = case.setup(work, run) if case.setup else {}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(work)
    return work, case.args(work, run)


def check(code: int, err: str, case: Case) -> None:
    assert code == 2, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ripple: "), err
    at = 0
    for part in case.names.split(" ... "):  # each part, in order
        found = lines[0].find(part, at)
        assert found >= 0, (case.names, err)
        at = found + len(part)


def main(argv: list[str]) -> int:
    """``cli.main``, with argparse's exit for a usage error as its status."""
    try:
        return cli.main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = {c.id.split("-")[0] for c in CASES}
    assert kinds == {"cli", "override", "config", "overlay", "folder", "tables"}
    assert len(CASES) >= 60 and len(BY_ID) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, run_folder, tmp_path, monkeypatch, capsys):
    work, argv = prepare(case, tmp_path, run_folder, monkeypatch)
    before = tree(work), tree(run_folder)
    capsys.readouterr()
    code = main(argv)
    check(code, capsys.readouterr().err, case)
    assert (tree(work), tree(run_folder)) == before


@pytest.mark.parametrize("name", END_TO_END)
def test_bad_input_end_to_end(name, run_folder, tmp_path, monkeypatch):
    case = BY_ID[name]
    work, argv = prepare(case, tmp_path, run_folder, monkeypatch)
    before = tree(work), tree(run_folder)
    p = subprocess.run(
        [sys.executable, "-m", "sim", *argv],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )
    check(p.returncode, p.stderr, case)
    assert p.stdout == ""
    assert (tree(work), tree(run_folder)) == before
