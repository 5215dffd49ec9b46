"""A run folder that appears whole or not at all.

Everything is written into a hidden temporary folder beside the final one and renamed into
place at the end, so an error or Ctrl-C leaves nothing half-written under ``results/``.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig, OmegaConf, open_dict

from ..analysis.columns import KPI_COLUMNS, KPI_UNITS
from ..analysis.stats import summarize
from ..config.spec import Scenario
from ..plan.graph import export_graphml
from .experiment import ExperimentResult
from .precision import Outcome
from .store import TABLES, PartStore


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

    @classmethod
    def create(cls, out_dir: Path, scenario: str) -> "RunFolder":
        """Reserve a new, unique run folder name under ``out_dir``."""
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in scenario)
        base = out_dir / f"{stamp}-{safe}"
        final, i = base, 1
        while final.exists():
            i += 1
            final = base.with_name(f"{base.name}-{i}")
        tmp = out_dir / f".tmp-{final.name}"
        tmp.mkdir()
        return cls(tmp, final)

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
        summary = summarize(result.kpis, list(KPI_COLUMNS), KPI_UNITS)
        summary.to_csv(d / "summary.csv", index=False)
        export_graphml(sc.network, d / "network.graphml")
        if precision is not None:
            precision.status.to_csv(d / "precision.csv", index=False)
        return summary

    def commit(self) -> Path:
        """Move the finished folder into place."""
        self.tmp.rename(self.final)
        return self.final

    def discard(self) -> None:
        """Remove the temporary folder after a failure."""
        shutil.rmtree(self.tmp, ignore_errors=True)
