"""A small Python API for notebooks and scripts: the ``ripple`` commands, called in-process.

``run`` and ``compare`` go through the command line's own code (:func:`sim.cli.main`), so a
notebook gets exactly the folder ``ripple run`` / ``ripple compare`` would write, and reads its
tables back::

    from sim import api
    r = api.run(["scenario=la_lb_strike", "experiment=quick"])
    r.kpis["fill_rate"].mean(); print(r.explain())
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


class CommandError(RuntimeError):
    """A ``ripple`` command refused its input; the message is the command's one line."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RunResult:
    """A run or compare folder and its tables (``strategy`` columns for a compare folder;
    ``paired`` only there)."""

    folder: Path
    kpis: pd.DataFrame
    daily: pd.DataFrame
    waits: pd.DataFrame
    disruptions: pd.DataFrame
    summary: pd.DataFrame
    paired: pd.DataFrame | None = None
    printed: str = ""  # what the command printed (the KPI or paired-difference table)

    def explain(self, replication: int | None = None, strategy: str | None = None) -> str:
        """``ripple explain`` of this folder."""
        from .explain import explain

        return explain(self.folder, replication, strategy)


def open_folder(folder: Path | str, printed: str = "") -> RunResult:
    """The tables of a folder written by ``ripple run`` or ``ripple compare``."""
    from .runread import read_tables

    t = read_tables(folder)
    return RunResult(t.path, t.kpis, t.daily, t.waits, t.disruptions,
                     pd.read_csv(t.path / "summary.csv"), t.paired, printed)


def _call(argv: list[str]) -> RunResult:
    from .cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    if status != 0:
        lines = err.getvalue().strip().splitlines()
        raise CommandError(lines[-1] if lines else f"ripple {argv[0]} failed", status)
    printed, _, folder = out.getvalue().rstrip("\n").rpartition("\n")  # the folder is last
    return open_folder(folder, printed)


def run(overrides: Sequence[str] = (), backend: str | None = None) -> RunResult:
    """``ripple run OVERRIDES``: run the replications, write the run folder, return it."""
    return _call(["run", "--no-progress", *(["--backend", backend] if backend else []),
                  *overrides])


def compare(strategies: Sequence[str], overrides: Sequence[str] = (),
            baseline: str | None = None, backend: str | None = None) -> RunResult:
    """``ripple compare --strategies A,B OVERRIDES``: the strategies on common random numbers;
    ``paired`` holds each one's paired differences to the baseline (default: the first)."""
    argv = ["compare", "--no-progress", "--strategies", ",".join(strategies)]
    argv += ["--baseline", baseline] if baseline else []
    argv += ["--backend", backend] if backend else []
    return _call([*argv, *overrides])
