"""Demand from a sales history (``demand.history``), as the model draws it: the history read
from its tables and fitted (:mod:`.history_fit`) or cut into weeks to replay (:mod:`.replay`),
the network's markets mapped to the history's, and the model's calendar (days of the year,
without years) given weekdays.

The simulated year is the one after the history's: its day of year ``d`` falls on the weekday
that day has in that year, so weekday patterns and the season line up. A fitted trend stays at
the level of the history's last day (the model's days have no year to grow into).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..core.errors import ConfigError
from .history import YEAR, Days, FittedDemand

if TYPE_CHECKING:  # read when a history is (arch's import alone takes 0.4 s)
    from .replay import Replay
    from .sales import SalesTables

MODES = ("fitted", "replay")
TABLES = ("skus.csv", "sales.csv", "promotions.csv")


@dataclass(frozen=True, eq=False)
class HistoryDemand:
    """A sales history's demand model and how the network's markets draw from it."""

    mode: str  # fitted or replay
    model: FittedDemand | Replay
    tables: SalesTables
    markets: tuple[tuple[str, str], ...]  # (network market, history market)
    first_weekday: int  # weekday of day of year 1 of the simulated year (0 Monday)
    source: str
    digest: str

    @property
    def skus(self) -> tuple[str, ...]:
        return self.model.skus

    def market_of(self, market: str) -> str:
        """The history's market a network market draws from."""
        return dict(self.markets).get(market, market)

    def days(self, doy: np.ndarray) -> Days:
        """The model's consecutive days of year ``doy`` with their weekdays."""
        doy = np.asarray(doy, dtype=np.int64)
        return Days.of_cycle(doy, (self.first_weekday + int(doy[0]) - 1) % 7)

    def mean(self, market: str, days: Days) -> np.ndarray:
        """Mean demand of network market ``market`` on ``days``, shape (days, SKUs)."""
        return self.model.mean(self.market_of(market), days)

    def yearly_rate(self, market: str) -> np.ndarray:
        """Mean units a day of each SKU over a whole simulated year (what a stock level in days
        of demand is counted in)."""
        return _yearly(self, self.market_of(market))

    def draw(self, market: str, days: Days, rng: np.random.Generator) -> np.ndarray:
        """Fitted mode: demand of ``market`` on ``days`` (days x SKUs), one uniform per day and
        SKU of ``rng``, so a longer run draws the same demand on the days it shares."""
        assert isinstance(self.model, FittedDemand)
        u = rng.random((len(days), len(self.skus)))
        return self.model.draw(self.market_of(market), days, u)

    def replay(self, days: Days, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Replay mode: the demand of every history market on ``days``, from one resampling of
        historical weeks (so a basket's SKUs and markets move together)."""
        assert not isinstance(self.model, FittedDemand)
        return self.model.sample(days, rng)


@lru_cache(maxsize=64)
def _yearly(h: HistoryDemand, market: str) -> np.ndarray:
    days = h.days(np.arange(1, int(YEAR) + 1))
    out = h.model.mean(market, days).mean(axis=0)
    out.flags.writeable = False
    return out


def digest(path: Path) -> str:
    """SHA-256 of a history's files (a workbook, or a folder's tables), to pin a run to them."""
    h = hashlib.sha256()
    files = [path] if path.is_file() else [path / t for t in TABLES if (path / t).is_file()]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def resolve_path(raw: str, base: Path) -> Path:
    """A history path from the config, relative to ``base`` unless absolute."""
    path = Path(raw).expanduser()
    return path if path.is_absolute() else base / path


def load_history(
    path: Path,
    pinned: str,
    mode: str,
    options: tuple[bool, bool, float, int, int | None],
    markets: Mapping[str, str],
    market_ids: tuple[str, ...],
) -> HistoryDemand:
    """Read, check and fit (or cut into weeks) the history at ``path``: ``pinned`` the digest
    a saved config was made with ("" for none), ``options`` (trend, pooled, level, block_weeks,
    window_weeks) as in :class:`~sim.config.schema.HistoryConf`; every network market in
    ``market_ids`` must draw from a market of the history (``markets`` maps them)."""
    key = "demand.history"
    if mode not in MODES:
        raise ConfigError(f"{key}.mode", mode, "fitted or replay")
    if not path.exists():
        raise ConfigError(f"{key}.path", str(path), "a folder of sales tables or an .xlsx workbook")
    found = digest(path)
    if pinned and pinned != found:
        raise ConfigError(
            f"{key}.digest",
            found,
            f"the history this config was made with ({pinned}): {path} has changed since",
        )
    h = _load(str(path), found, mode, *options)
    mapping = tuple(sorted((str(k), str(v)) for k, v in markets.items()))
    h = HistoryDemand(h.mode, h.model, h.tables, mapping, h.first_weekday, h.source, h.digest)
    known = set(h.model.market_names)
    for mid in market_ids:
        if h.market_of(mid) not in known:
            raise ConfigError(
                f"{key}.markets.{mid}",
                h.market_of(mid),
                f"a market of the sales history ({', '.join(sorted(known))}): map the network's "
                f"market {mid} to one under demand.history.markets",
            )
    return h


@lru_cache(maxsize=8)
def _load(
    path: str,
    found: str,
    mode: str,
    trend: bool,
    pooled: bool,
    level: float,
    block: int,
    window: int | None,
) -> HistoryDemand:
    """The history at ``path`` (of digest ``found``), read and modelled once per process."""
    import pandas as pd

    from .history_fit import fit_history
    from .replay import replay_history
    from .sales import read_sales_tables

    tables = read_sales_tables(Path(path))
    model: FittedDemand | Replay
    if mode == "fitted":
        model = fit_history(tables, trend=trend, pooled=pooled, level=level)
    else:
        model = replay_history(tables, block_weeks=block, window_weeks=window)
    last = pd.Timestamp(tables.sales["date"].max())
    first_weekday = pd.Timestamp(last.year + 1, 1, 1).weekday()
    return HistoryDemand(mode, model, tables, (), first_weekday, path, found)
