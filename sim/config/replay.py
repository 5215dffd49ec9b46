"""Demand replayed from a sales history: whole historical weeks of all markets and SKUs,
resampled in blocks, so real baskets keep their cross-SKU and cross-market correlation.

The history is cut into whole weeks, Monday to Sunday; a simulated day takes the same weekday
of its historical week, so weekday patterns are kept. The blocks are the stationary bootstrap
of Politis and Romano (1994): ``arch.bootstrap.StationaryBootstrap`` draws where a new block
starts (a block continuing with probability ``1 - 1 / block_weeks`` a week). Within a block
the historical weeks follow each other as they did; a block starts at a historical week drawn
uniformly from those within ``window_weeks`` weeks of the simulated week's time of year (in
any year of the history), and a block reaching the end of the history starts anew. So the
season (a Christmas peak, Prime Day) stays at its time of year, within the window; with
``window_weeks=None`` a block may start anywhere, which loses the season but mixes more.

The draws come from one generator for all markets (a basket spans them); they are made a year
of weeks at a time, so a longer run replays the same weeks on the days it shares with a
shorter one. A day's demand is the history's, so there is no trend and no scaling here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from arch.bootstrap import StationaryBootstrap

from ..core.errors import ConfigError
from .history import YEAR, Days
from .sales import SalesTables

HALF_WEEK = 3  # days: the middle (Thursday) of a week, and the slack of its time of year
CHUNK = 52  # simulated weeks whose blocks are drawn at once


@dataclass(frozen=True, eq=False)
class Replay:
    """Whole historical weeks, shape (weeks, 7, markets, SKUs), Monday first, and how they
    are resampled."""

    market_names: tuple[str, ...]
    skus: tuple[str, ...]
    weeks: np.ndarray
    week_doy: np.ndarray  # day of year of each historical week's Thursday
    block_weeks: int = 4
    window_weeks: int | None = 3

    def __post_init__(self) -> None:
        self.weeks.flags.writeable = False
        self.week_doy.flags.writeable = False

    def candidates(self, doy: int) -> np.ndarray:
        """The historical weeks a block may start at for a simulated week whose Thursday is on
        day of year ``doy``: within the window, else the nearest in the year."""
        if self.window_weeks is None:
            return np.arange(self.weeks.shape[0])
        d = np.abs(self.week_doy - doy) % YEAR
        d = np.minimum(d, YEAR - d)
        reach = 7 * self.window_weeks + HALF_WEEK
        out = np.flatnonzero(d <= reach)
        return out if out.size else np.flatnonzero(d <= d.min() + reach)

    def _span(self, days: Days) -> tuple[int, np.ndarray]:
        """The first day's weekday and the Thursday day of year of each simulated week."""
        if len(days) == 0:
            raise ValueError("no simulated days")
        if len(days) > 1 and np.any(np.diff(days.weekday) % 7 != 1):
            raise ValueError("replayed days must be consecutive")
        w0 = int(days.weekday[0])
        n = -(-(w0 + len(days)) // 7)
        mid = (int(days.doy[0]) - w0 + HALF_WEEK + 7 * np.arange(n) - 1) % int(YEAR) + 1
        return w0, mid

    def week_indices(self, days: Days, rng: np.random.Generator) -> np.ndarray:
        """The historical week of each simulated week covering ``days`` (consecutive), the
        first simulated week being the one holding ``days``' first day. The weeks are drawn a
        year (:data:`CHUNK` weeks) at a time, so a longer run replays the same weeks on the
        weeks it shares with a shorter one."""
        _, mid = self._span(days)
        n = mid.size
        chunks = -(-n // CHUNK)
        mid = np.r_[mid, (mid[-1] + 7 * np.arange(1, chunks * CHUNK - n + 1) - 1) % int(YEAR) + 1]
        last = self.weeks.shape[0] - 1
        cache: dict[int, np.ndarray] = {}
        out = np.empty(chunks * CHUNK, dtype=np.int64)
        for c in range(chunks):
            # arch draws the blocks of the chunk: a week continues its block unless its index
            # does not follow the last (a new start that happens to follow it, 1 in 52,
            # continues the block); whether the chunk's first week starts one is drawn here
            idx = StationaryBootstrap(self.block_weeks, np.arange(CHUNK), seed=rng).update_indices()
            new = np.r_[rng.random() < 1.0 / self.block_weeks, idx[1:] != (idx[:-1] + 1) % CHUNK]
            for i in range(CHUNK):
                j = c * CHUNK + i
                if j > 0 and not new[i] and out[j - 1] < last:
                    out[j] = out[j - 1] + 1
                else:
                    d = int(mid[j])
                    cand = cache.setdefault(d, self.candidates(d))
                    out[j] = cand[rng.integers(cand.size)]
        return out[:n]

    def sample(self, days: Days, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Demand of every market on ``days`` (consecutive), each (days x SKUs) int64, from
        one resampling of weeks shared by all markets."""
        w0, _ = self._span(days)
        h = self.week_indices(days, rng)
        flat = self.weeks[h].reshape(-1, *self.weeks.shape[2:])[w0 : w0 + len(days)]
        return {m: flat[:, i, :].copy() for i, m in enumerate(self.market_names)}

    def mean(self, market: str, days: Days) -> np.ndarray:
        """Mean demand of ``market`` on ``days`` (days x SKUs): per weekday, the average of the
        historical weeks a block may start at for that time of year."""
        if market not in self.market_names:
            known = ", ".join(self.market_names)
            raise ConfigError("demand.market", market, f"a market of the sales history: {known}")
        i = self.market_names.index(market)
        w0, mid = self._span(days)
        per_week = np.stack([self.weeks[self.candidates(int(d)), :, i, :].mean(0) for d in mid])
        return per_week.reshape(-1, per_week.shape[-1])[w0 : w0 + len(days)].astype(np.float64)


def replay_history(
    tables: SalesTables, *, block_weeks: int = 4, window_weeks: int | None = 3
) -> Replay:
    """The whole weeks of ``tables``' sales, to be replayed in blocks of mean length
    ``block_weeks`` starting within ``window_weeks`` of the time of year (None: anywhere)."""
    if block_weeks < 1:
        raise ConfigError("demand.block_weeks", block_weeks, "a whole number of weeks >= 1")
    if window_weeks is not None and window_weeks < 0:
        raise ConfigError("demand.window_weeks", window_weeks, "a whole number of weeks >= 0")
    daily = tables.daily()
    offset = (7 - int(daily.dates[0].weekday())) % 7  # to the first Monday
    n = (len(daily.dates) - offset) // 7
    if n < 1:
        raise ConfigError(
            "demand.history", f"{len(daily.dates)} days", "a whole week (Monday to Sunday)"
        )
    units = daily.units[:, offset : offset + 7 * n, :]
    weeks = units.reshape(units.shape[0], n, 7, -1).transpose(1, 2, 0, 3).copy()
    thursdays = daily.dates[offset + HALF_WEEK : offset + 7 * n : 7]
    return Replay(
        daily.markets,
        daily.skus,
        weeks,
        thursdays.day_of_year.to_numpy(np.int64),
        int(block_weeks),
        window_weeks,
    )
