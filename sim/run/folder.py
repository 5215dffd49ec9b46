"""A run folder that appears whole or not at all.

Everything is written into a hidden temporary folder beside the final one and renamed into
place at the end, so an error or Ctrl-C leaves nothing half-written under ``results/``. The
temporary folder holds an ``.owner`` file, locked by the process writing it and naming its pid:
a temporary folder whose owner is gone (killed before it could remove it) is removed by the
next run that creates a folder beside it; one whose owner lives is left alone.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig, OmegaConf, open_dict

from ..analysis.columns import KPI_COLUMNS, KPI_UNITS, reported
from ..analysis.stats import summarize
from ..config.spec import Scenario
from ..core.errors import ConfigError
from ..plan.graph import export_graphml
from .durable import Lock
from .experiment import ExperimentResult
from .precision import Outcome
from .store import TABLES, PartStore

log = logging.getLogger(__name__)

OWNER = ".owner"  # in a temporary run folder: locked by the process writing it, with its pid
UNOWNED_SECONDS = 60.0  # a temporary folder without an owner file is stale once this old


def resolved_yaml(cfg: DictConfig, replications: int | None = None) -> str:
    """The resolved config as YAML, with the replications actually run when given (sequential
    stopping may run more than configured): rerunning it reproduces the numbers."""
    if replications is not None:
        cfg = cfg.copy()
        with open_dict(cfg):
            cfg.experiment.replications = replications
    return OmegaConf.to_yaml(cfg, resolve=True)


@dataclass
class RunFolder:
    """The temporary and final paths of one run's folder."""

    tmp: Path
    final: Path
    owner: Lock | None = field(default=None, repr=False)

    @classmethod
    def create(cls, out_dir: Path, scenario: str) -> "RunFolder":
        """Reserve a new, unique run folder name under ``out_dir`` (removing the temporary
        folders of killed runs there first)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale(out_dir)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in scenario)
        base = out_dir / f"{stamp}-{safe}"
        final, i = base, 1
        while True:
            tmp = out_dir / f".tmp-{final.name}"
            if not final.exists():
                try:
                    tmp.mkdir()
                    break
                except FileExistsError:  # another run of the same scenario, this second
                    pass
            i += 1
            final = base.with_name(f"{base.name}-{i}")
        return cls(tmp, final, _own(tmp))

    @classmethod
    def at(cls, tmp: Path, final: Path) -> "RunFolder":
        """The run folder ``final``, written in ``tmp``: a killed run's leftover there is
        removed; a :class:`ConfigError` if a live process writes it."""
        if tmp.exists() and not _remove_if_stale(tmp):
            raise ConfigError(
                "out_dir", str(tmp.parent), f"one run writing {tmp.name} at a time ({tmp})"
            )
        tmp.mkdir()
        return cls(tmp, final, _own(tmp))

    def write_tables(
        self,
        sc: Scenario,
        result: ExperimentResult,
        config_yaml: str,
        store: PartStore | None = None,
        precision: Outcome | None = None,
    ) -> pd.DataFrame:
        """Write config, tables, summary and network into the temporary folder and return the
        summary; with a store, the per-replication tables stream from it (all replications,
        little memory); with a sequential-stopping outcome, ``precision.csv`` too. The pages
        (report, explore) are written by the caller before :meth:`commit`."""
        d = self.tmp
        (d / "config.yaml").write_text(config_yaml)
        result.kpis.to_parquet(d / "kpis.parquet", index=False)
        reps = result.kpis["replication"].astype(int).tolist()
        for table in TABLES:
            if store is not None:
                store.write_table(table, reps, d / f"{table}.parquet")
            else:
                getattr(result, table).to_parquet(d / f"{table}.parquet", index=False)
        shown = reported(KPI_COLUMNS, sc.demand.orders is not None)
        summary = summarize(result.kpis, shown, KPI_UNITS)
        summary.to_csv(d / "summary.csv", index=False)
        export_graphml(sc.network, d / "network.graphml")
        if precision is not None:
            precision.status.to_csv(d / "precision.csv", index=False)
        return summary

    def commit(self) -> Path:
        """Move the finished folder into place."""
        (self.tmp / OWNER).unlink(missing_ok=True)
        self.tmp.rename(self.final)
        self._disown()
        return self.final

    def discard(self) -> None:
        """Remove the temporary folder after a failure."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        self._disown()

    def _disown(self) -> None:
        if self.owner is not None:
            self.owner.release()
            self.owner = None


def _own(tmp: Path) -> Lock | None:
    return Lock.take(tmp / OWNER)


def _remove_if_stale(tmp: Path) -> bool:
    """Remove the temporary folder ``tmp`` if no live process owns it; whether it is gone."""
    if (tmp / OWNER).exists():
        try:  # (not created: a folder being committed has just lost its owner file)
            lock = Lock.take(tmp / OWNER, create=False)
        except FileNotFoundError:  # being committed or discarded this instant
            return not tmp.exists()
        if lock is None:  # its owner lives
            return False
        try:
            shutil.rmtree(tmp, ignore_errors=True)
        finally:
            lock.release()
    else:  # from an older version, or being created this instant
        try:
            age = time.time() - tmp.stat().st_mtime
        except FileNotFoundError:
            return True
        if age < UNOWNED_SECONDS:
            return False
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("removed %s, left by a run that was killed", tmp)
    return not tmp.exists()


def remove_stale(out_dir: Path) -> None:
    """Remove the temporary run folders under ``out_dir`` whose owners are gone."""
    for tmp in out_dir.glob(".tmp-*"):
        if tmp.is_dir():
            _remove_if_stale(tmp)
