"""The typed results the API returns: a loaded scenario, a run or compare folder with its
tables, and a gathered sweep."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig

from ..analysis.columns import KPI_UNITS
from ..config.spec import Scenario
from ..plan import Plan
from ..run.read import RunTables, read_tables
from ..views.text import format_paired, format_table


@dataclass(frozen=True)
class Loaded:
    """A composed and validated scenario, its resolved config and the plan derived from it."""

    scenario: Scenario
    config: DictConfig
    plan: Plan
    overrides: tuple[str, ...] = ()
    project: Path | None = None  # the project folder it came from (relative paths' base)

    def describe(self) -> str:
        """One line: what the scenario holds."""
        sc, plan = self.scenario, self.plan
        return (
            f"scenario {sc.name}: {len(sc.network.nodes)} nodes, {len(sc.network.lanes)} "
            f"lanes, {len(sc.demand.skus)} SKUs, {len(plan.warehouses)} warehouses serving "
            f"{len(plan.markets)} markets"
        )

    @property
    def out_dir(self) -> Path:
        """Where runs of this scenario write their folders (in its project, when it has one
        and ``out_dir`` is relative)."""
        d = Path(str(self.config.out_dir))
        return self.project / d if self.project is not None and not d.is_absolute() else d


@dataclass(frozen=True)
class RunResult:
    """A folder written by :func:`sim.api.run` or :func:`sim.api.compare` (or opened with
    :func:`sim.api.open_run`) and its tables, read when first used. A compare folder's tables
    have a ``strategy`` column and ``paired`` holds the paired differences to the baseline."""

    folder: Path
    replications: int = 0  # per strategy
    ran: int = 0  # replications computed by this call (the rest were resumed)
    seconds: float = 0.0
    backend: str = ""
    precision: str = ""  # how sequential stopping ended ("" without --precision)

    @cached_property
    def tables(self) -> RunTables:
        """All tables of the folder."""
        return read_tables(self.folder)

    @property
    def kpis(self) -> pd.DataFrame:
        """A row per replication (and strategy), a column per KPI."""
        return self.tables.kpis

    @property
    def daily(self) -> pd.DataFrame:
        """A row per replication, measured day and node."""
        return self.tables.daily

    @property
    def waits(self) -> pd.DataFrame:
        """Where shipments waited, by place and cause."""
        return self.tables.waits

    @property
    def disruptions(self) -> pd.DataFrame:
        """The disruption windows each replication faced."""
        return self.tables.disruptions

    @property
    def paired(self) -> pd.DataFrame | None:
        """Paired differences to the baseline strategy (compare folders only)."""
        return self.tables.paired

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Per KPI (and strategy): unit, n, mean, sd and 95% interval."""
        return pd.read_csv(self.folder / "summary.csv")

    @property
    def strategies(self) -> list[str]:
        """The strategies compared, in order (the run's own for a run folder)."""
        return self.tables.strategies

    def kpi_table(self) -> str:
        """The KPI table ``ripple run`` prints: mean and 95% interval per KPI."""
        return format_table(self.summary)

    def paired_table(self) -> str:
        """The paired differences ``ripple compare`` prints (compare folders only)."""
        if self.paired is None:
            raise ValueError(f"{self.folder} is a run folder, not a compare folder")
        return format_paired(self.paired, KPI_UNITS)

    def explain(self, replication: int | None = None, strategy: str | None = None) -> str:
        """What happened, in plain words (``ripple explain``)."""
        from ..views.explain import explain

        return explain(self.folder, replication, strategy)


@dataclass(frozen=True)
class SweepResult:
    """A sweep directory gathered: the tidy table (a row per job and replication), the summary
    per point, the swept columns, the finished and missing jobs and the files written."""

    sweep_dir: Path
    table: pd.DataFrame
    summary: pd.DataFrame
    columns: list[str]
    jobs: list[str]
    missing: list[str] | None  # None: the sweeper chose the points
    files: list[Path]  # sweep.parquet, sweep.csv, sweep_summary.csv
    launched: int = 0  # jobs launched by this call (0 for a gather)
    seconds: float = 0.0
    backend: str = ""


def open_run(folder: Path | str) -> RunResult:
    """The folder written by ``ripple run`` or ``ripple compare``, its tables read now (a
    folder that is not one is a :class:`~sim.core.errors.ConfigError`)."""
    t = read_tables(folder)
    r = RunResult(t.path, int(t.kpis["replication"].nunique()))
    r.__dict__["tables"] = t  # the cached_property's slot: read once
    return r
