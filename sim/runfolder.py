"""Reading a folder written by ``ripple run`` or ``ripple compare`` back into its tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from .errors import ConfigError

REQUIRED = ("config.yaml", "kpis.parquet", "daily.parquet", "disruptions.parquet")


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


def read_folder(path: Path | str) -> RunTables:
    """Read a folder written by ``ripple run`` or ``ripple compare``; ConfigError if it is not
    one."""
    path = Path(path)
    expected = "a run folder written by 'ripple run' or 'ripple compare'"
    if not path.is_dir():
        raise ConfigError("RUN_FOLDER", str(path), expected + " (no such folder)")
    missing = [f for f in REQUIRED if not (path / f).is_file()]
    if missing:
        raise ConfigError("RUN_FOLDER", str(path), f"{expected} (missing {missing[0]})")
    try:
        config = yaml.safe_load((path / "config.yaml").read_text())
        kpis = pd.read_parquet(path / "kpis.parquet")
        daily = pd.read_parquet(path / "daily.parquet")
        disruptions = pd.read_parquet(path / "disruptions.parquet")
        waits = (pd.read_parquet(path / "waits.parquet") if (path / "waits.parquet").is_file()
                 else pd.DataFrame(columns=["replication", "where", "cause", "mean_days"]))
        paired = pd.read_csv(path / "paired.csv") if (path / "paired.csv").is_file() else None
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError("RUN_FOLDER", str(path),
                          f"{expected} (unreadable: {type(exc).__name__})") from None
    need = {"replication", "fill_rate", "extra_cost"}
    if not isinstance(config, dict) or not need <= set(kpis.columns) or kpis.empty:
        raise ConfigError("RUN_FOLDER", str(path), f"{expected} (kpis.parquet or config.yaml "
                          "is not Ripple's)")
    return RunTables(path, config, kpis, daily, disruptions, waits, paired)
