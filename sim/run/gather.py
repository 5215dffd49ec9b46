"""Gather every finished job of a sweep into one tidy table.

One row per (job, replication): ``job``, a column per swept override (named by its key, e.g.
``disruption.scripted.strike.duration``, typed int, float, bool or string), then the job's
``kpis.parquet`` columns (``replication``, ``seed``, every KPI, ``events``). Works on a sweep
still running or partly failed (the jobs without a finished folder are reported missing) and on
job folders written by other machines into a shared directory: each job folder carries its own
``job.yaml``, the manifest only says which jobs to expect.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..analysis.columns import KPI_UNITS, kpis_shown
from ..analysis.stats import summarize
from ..core.errors import ConfigError
from .sweep_grid import JOB_FILE, MANIFEST, key_of, parse

TABLE = "sweep"
SUMMARY = "sweep_summary.csv"


@dataclass(frozen=True)
class Gathered:
    """The tidy table, its per-point summary, the override columns and the missing jobs."""

    table: pd.DataFrame
    summary: pd.DataFrame
    columns: list[str]
    jobs: list[str]
    missing: list[str] | None  # None: the sweeper chose the points, no list to compare with


def _values(overrides: list[str]) -> dict[str, Any]:
    """Key -> typed value of each override of one job."""
    return {key_of(ov): (None if ov.is_delete() else ov.value()) for ov in parse(overrides)}


def _column(values: list[Any]) -> pd.Series:
    """A sensibly typed column: bool, integer, float, else text."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="Int64")
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pd.Series([float("nan") if v is None else float(v) for v in values])
    return pd.Series([None if v is None else str(v) for v in values], dtype="string")


def _jobs(sweep_dir: Path) -> list[dict]:
    """The finished jobs: folders holding ``job.yaml`` (written last, atomically with the rest)."""
    out = []
    for d in sorted(p for p in sweep_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (d / JOB_FILE).is_file():
            job = yaml.safe_load((d / JOB_FILE).read_text())
            out.append({**job, "dir": d})
    return sorted(out, key=lambda j: int(j["num"]))


def gather(sweep_dir: Path) -> Gathered:
    """Read every finished job of ``sweep_dir``; raise :class:`ConfigError` if it is no sweep."""
    if not sweep_dir.is_dir():
        raise ConfigError(
            "SWEEP_DIR",
            str(sweep_dir),
            "an existing sweep directory (ripple sweep writes one under results/sweeps/)",
        )
    man_path = sweep_dir / MANIFEST
    man = yaml.safe_load(man_path.read_text()) if man_path.is_file() else None
    jobs = _jobs(sweep_dir)
    if man is None and not jobs:
        raise ConfigError(
            "SWEEP_DIR",
            str(sweep_dir),
            f"a sweep directory (with {MANIFEST} or job folders holding {JOB_FILE})",
        )
    if not jobs:
        raise ConfigError("SWEEP_DIR", str(sweep_dir), "a sweep with at least one finished job")
    values = [_values(j["overrides"]) for j in jobs]
    keys = list(man["swept"]) if man else []
    varying = sorted(
        {
            k
            for v in values
            for k in v
            if k not in keys and len({repr(x.get(k)) for x in values}) > 1
        }
    )
    keys += varying
    kpis = [pd.read_parquet(j["dir"] / "kpis.parquet") for j in jobs]
    columns = [k for k in keys if k != "job"]
    added = [k for k in columns if k not in kpis[0].columns]  # seed is in kpis.parquet already
    parts = []
    for job, vals, kp in zip(jobs, values, kpis):
        head = pd.DataFrame({"job": [int(job["num"])] * len(kp)})
        for k in added:
            head[k] = [vals.get(k)] * len(kp)
        parts.append(pd.concat([head, kp.reset_index(drop=True)], axis=1))
    table = pd.concat(parts, ignore_index=True)
    for k in added:  # type each column over the whole sweep
        table[k] = _column(table[k].tolist())
    table["job"] = table["job"].astype("int64")
    kpi_cols = kpis_shown(table)
    rows = []
    for job, vals, kp in zip(jobs, values, kpis):
        s = summarize(kp, kpi_cols, KPI_UNITS)
        s.insert(0, "job", int(job["num"]))
        for i, k in enumerate(columns):
            s.insert(1 + i, k, [vals.get(k)] * len(s))
        rows.append(s)
    summary = pd.concat(rows, ignore_index=True)
    for k in columns:
        summary[k] = _column(summary[k].tolist())
    expected = None if not man or man.get("jobs") is None else [j["name"] for j in man["jobs"]]
    names = [j["dir"].name for j in jobs]
    missing = None if expected is None else [n for n in expected if n not in names]
    return Gathered(table, summary, columns, names, missing)


def _replace(write, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.part")
    write(tmp)
    os.replace(tmp, path)


def write(sweep_dir: Path, g: Gathered) -> list[Path]:
    """Write ``sweep.parquet``, ``sweep.csv`` and ``sweep_summary.csv``, each atomically."""
    out = [sweep_dir / f"{TABLE}.parquet", sweep_dir / f"{TABLE}.csv", sweep_dir / SUMMARY]
    _replace(lambda p: g.table.to_parquet(p, index=False), out[0])
    _replace(lambda p: g.table.to_csv(p, index=False), out[1])
    _replace(lambda p: g.summary.to_csv(p, index=False), out[2])
    return out
