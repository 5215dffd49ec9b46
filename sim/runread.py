"""Read back a run folder written by ``ripple run`` (see :mod:`sim.rundir`): the scenario from
its resolved ``config.yaml``, the plan made from it, and the per-day and disruption tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import ConfigError
from .plan import Plan, make_plan
from .spec import Scenario

_WHAT = "a run folder written by 'ripple run' (with config.yaml and daily.parquet)"
_WINDOW_COLUMNS = ["replication", "kind", "target", "start", "end", "label", "source"]


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
    import yaml

    from .validate import scenario_from_mapping

    try:
        plain = yaml.safe_load(config_yaml.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("config.yaml", str(config_yaml),
                          f"a readable resolved config ({type(exc).__name__})") from None
    if not isinstance(plain, dict):
        raise ConfigError("config.yaml", str(config_yaml), "a mapping of config keys")
    return scenario_from_mapping(plain)


def read_run(path: Path) -> RunData:
    """Load a run folder; a path that is not one is a :class:`ConfigError`."""
    path = Path(path)
    for name in ("config.yaml", "daily.parquet"):
        if not (path / name).is_file():
            raise ConfigError("RUN_FOLDER", str(path), _WHAT + f"; no {name} there")
    daily = pd.read_parquet(path / "daily.parquet")
    if "strategy" in daily.columns:
        raise ConfigError("RUN_FOLDER", str(path), _WHAT + "; this is a 'ripple compare' folder")
    if daily.empty:
        raise ConfigError("RUN_FOLDER", str(path), _WHAT + "; its daily.parquet is empty")
    sc = read_scenario(path / "config.yaml")
    f = path / "disruptions.parquet"
    windows = pd.read_parquet(f) if f.is_file() else pd.DataFrame(columns=_WINDOW_COLUMNS)
    return RunData(path, sc, make_plan(sc), daily, windows)


def check_replication(run: RunData, replication: int | None) -> int:
    """``replication`` if the run has daily series for it; the first one when None."""
    reps = run.replications
    if replication is None:
        return reps[0]
    if replication not in reps:
        raise ConfigError("--replication", replication,
                          f"a replication with daily series in this run: {reps[0]}..{reps[-1]}"
                          if reps == list(range(reps[0], reps[-1] + 1)) else
                          "one of " + ", ".join(map(str, reps)))
    return replication


def check_day(run: RunData, day: int) -> int:
    """``day`` if it is a measured day of the run."""
    last = int(run.daily["day"].max())
    if not 0 <= day <= last:
        raise ConfigError("--day", day, f"a measured day from 0 to {last}")
    return day
