"""Read back a run folder written by ``ripple run`` (see :mod:`sim.rundir`): the scenario from
its resolved ``config.yaml``, the plan made from it, and the per-day and disruption tables
(:func:`read_run`); or all the tables of a run or compare folder as they are
(:func:`read_tables`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..analysis.columns import KPI_COLUMNS
from ..config.spec import Scenario
from ..core.errors import ConfigError
from ..plan import Plan, make_plan

_WHAT = "a run folder written by 'ripple run'"
_WINDOW_COLUMNS = ["replication", "kind", "target", "start", "end", "label", "source"]
HALF_WRITTEN = (".tmp-", ".partial-")  # folders a run writes before it renames them whole
REQUIRED = ("config.yaml", "kpis.parquet", "daily.parquet")


def check_folder(path: Path | str, what: str = _WHAT, need: tuple[str, ...] = REQUIRED) -> Path:
    """``path`` if it is a whole run or compare folder written by this version of Ripple;
    otherwise a :class:`ConfigError` saying why not (no such folder, a file, half-written,
    a file missing or unreadable, or from another version). Reads only the tables' schemas."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)

    def refuse(why: str) -> ConfigError:
        return ConfigError("RUN_FOLDER", str(path), f"{what} ({why})")

    if not path.exists():
        raise refuse("no such folder")
    if not path.is_dir():
        raise refuse("a file, not a folder")
    if path.name.startswith(HALF_WRITTEN):
        raise refuse(
            "a half-written folder: a run is written into a hidden .tmp- folder and renamed when "
            "whole; run it again"
        )
    missing = [f for f in need if not (path / f).is_file()]
    if missing:
        raise refuse(f"missing {missing[0]}: not a run folder, or one not written whole")
    columns: dict[str, list[str]] = {}
    for f in sorted(path.glob("*.parquet")):
        try:
            columns[f.name] = pq.read_schema(f).names
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise refuse(f"{f.name} is unreadable: {type(exc).__name__}") from None
    lacking = [c for c in KPI_COLUMNS if c not in columns.get("kpis.parquet", KPI_COLUMNS)]
    if lacking:
        raise refuse(
            f"by this version of Ripple: kpis.parquet lacks {lacking[0]}; run it again to "
            "rewrite it"
        )
    return path


@dataclass
class RunData:
    """What the maps and animations of a run need."""

    path: Path
    scenario: Scenario
    plan: Plan
    daily: pd.DataFrame  # replication, day, node, kind, on_hand, backlog, queue, ...
    disruptions: pd.DataFrame  # replication, kind, target, start, end (measured days), label

    @property
    def replications(self) -> list[int]:
        """Replications with daily series, in order."""
        return sorted(int(r) for r in self.daily["replication"].unique())

    def windows(self, replication: int) -> pd.DataFrame:
        """The disruption windows one replication faced."""
        return self.disruptions[self.disruptions["replication"] == replication]


def read_scenario(config_yaml: Path) -> Scenario:
    """The validated scenario of a resolved ``config.yaml``."""
    from ..config.validate import scenario_from_mapping

    try:
        plain = yaml.safe_load(config_yaml.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(
            "config.yaml", str(config_yaml), f"a readable resolved config ({type(exc).__name__})"
        ) from None
    if not isinstance(plain, dict):
        raise ConfigError("config.yaml", str(config_yaml), "a mapping of config keys")
    return scenario_from_mapping(plain)


def read_run(path: Path) -> RunData:
    """Load a run folder; a path that is not one is a :class:`ConfigError`."""
    path = check_folder(path)
    try:
        daily = pd.read_parquet(path / "daily.parquet")
        f = path / "disruptions.parquet"
        windows = pd.read_parquet(f) if f.is_file() else pd.DataFrame(columns=_WINDOW_COLUMNS)
    except (OSError, ValueError) as exc:
        raise ConfigError(
            "RUN_FOLDER", str(path), _WHAT + f" (unreadable: {type(exc).__name__})"
        ) from None
    if "strategy" in daily.columns:
        raise ConfigError("RUN_FOLDER", str(path), _WHAT + "; this is a 'ripple compare' folder")
    if daily.empty:
        raise ConfigError("RUN_FOLDER", str(path), _WHAT + "; its daily.parquet is empty")
    sc = read_scenario(path / "config.yaml")
    return RunData(path, sc, make_plan(sc), daily, windows)


def check_replication(run: RunData, replication: int | None) -> int:
    """``replication`` if the run has daily series for it; the first one when None."""
    reps = run.replications
    if replication is None:
        return reps[0]
    if replication not in reps:
        raise ConfigError(
            "--replication",
            replication,
            f"a replication with daily series in this run: {reps[0]}..{reps[-1]}"
            if reps == list(range(reps[0], reps[-1] + 1))
            else "one of " + ", ".join(map(str, reps)),
        )
    return replication


def check_day(run: RunData, day: int) -> int:
    """``day`` if it is a measured day of the run."""
    last = int(run.daily["day"].max())
    if not 0 <= day <= last:
        raise ConfigError("--day", day, f"a measured day from 0 to {last}")
    return day


_TABLES_REQUIRED = ("config.yaml", "kpis.parquet", "daily.parquet", "disruptions.parquet")


@dataclass(frozen=True)
class RunTables:
    """The tables of a run folder (``strategy`` columns where it is a compare folder)."""

    path: Path
    config: dict
    kpis: pd.DataFrame
    daily: pd.DataFrame
    disruptions: pd.DataFrame
    waits: pd.DataFrame
    paired: pd.DataFrame | None

    @property
    def strategies(self) -> list[str]:
        """Strategies of a compare folder in their order; the run's own for a run folder."""
        if "strategy" in self.kpis:
            return list(dict.fromkeys(self.kpis["strategy"]))
        return [str(self.config.get("strategy", {}).get("name", "?"))]


def read_tables(path: Path | str) -> RunTables:
    """Read a folder written by ``ripple run`` or ``ripple compare``; ConfigError if it is not
    one."""
    expected = "a run folder written by 'ripple run' or 'ripple compare'"
    path = check_folder(path, expected, _TABLES_REQUIRED)
    try:
        config = yaml.safe_load((path / "config.yaml").read_text())
        kpis = pd.read_parquet(path / "kpis.parquet")
        daily = pd.read_parquet(path / "daily.parquet")
        disruptions = pd.read_parquet(path / "disruptions.parquet")
        waits = (
            pd.read_parquet(path / "waits.parquet")
            if (path / "waits.parquet").is_file()
            else pd.DataFrame(columns=["replication", "where", "cause", "mean_days"])
        )
        paired = pd.read_csv(path / "paired.csv") if (path / "paired.csv").is_file() else None
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError(
            "RUN_FOLDER", str(path), f"{expected} (unreadable: {type(exc).__name__})"
        ) from None
    if not isinstance(config, dict) or "replication" not in kpis or kpis.empty:
        raise ConfigError(
            "RUN_FOLDER", str(path), f"{expected} (kpis.parquet or config.yaml is not Ripple's)"
        )
    return RunTables(path, config, kpis, daily, disruptions, waits, paired)
