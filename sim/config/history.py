"""Demand fitted to a sales history (see :mod:`.history_fit`): the frozen result, its mean on
any simulated days and its draws.

Each market has a :class:`Pattern` shared by its SKUs: weekday factors, the yearly cosine
``1 + a cos(2 pi (doy - peak) / 365)`` of the synthetic model, a multiplier per promotion and an
optional log-linear trend. Each SKU then has a base rate (units per day on an average weekday,
at season factor 1, outside promotions, at the level of the history's last day) and one of two
models: a count about ``rate x pattern``, Poisson or negative binomial; or, for an SKU that
sells on few days (intermittent or lumpy), a sale on a day with probability
``1 - exp(-h x pattern)`` of size ``1 +`` a Poisson or negative binomial count.

A draw turns one uniform per day and SKU into a count by inversion, so a day's demand depends
on its own row of uniforms only and the cost is proportional to days x SKUs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..core.errors import ConfigError
from .intermittency import DemandClass
from .spec import Promotion

YEAR = 365.0  # days of the seasonal cycle, as in the synthetic model
TREND_YEAR = 365.25  # days of a year of growth


def _freeze(obj: Any) -> None:
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, np.ndarray):
            v.flags.writeable = False


@dataclass(frozen=True, eq=False)
class Days:
    """Simulated (or historical) days: day of year (1..366), weekday (0 Monday .. 6 Sunday)
    and, when known, the calendar date (datetime64[D])."""

    doy: np.ndarray
    weekday: np.ndarray
    date: np.ndarray | None = None

    @classmethod
    def of_dates(cls, dates: Any) -> Days:
        """The days of calendar ``dates`` (anything ``pandas.DatetimeIndex`` takes)."""
        import pandas as pd  # here only: a worker running a replication does without pandas

        d = pd.DatetimeIndex(dates)
        return cls(
            d.day_of_year.to_numpy(np.int64),
            d.day_of_week.to_numpy(np.int64),
            d.to_numpy().astype("datetime64[D]"),
        )

    @classmethod
    def of_cycle(cls, doy: np.ndarray, first_weekday: int) -> Days:
        """Consecutive days of days of year ``doy`` (the model's calendar without years), the
        first on weekday ``first_weekday``."""
        doy = np.asarray(doy, dtype=np.int64)
        return cls(doy, (int(first_weekday) + np.arange(doy.size, dtype=np.int64)) % 7)

    def __len__(self) -> int:
        return int(self.doy.size)


@dataclass(frozen=True, eq=False)
class PromoEffect:
    """A promotion and its fitted multiplier. A day of a year in ``years`` (the listed runs'
    years and the history's) is on when listed; any other day (or one without a date) by the
    day of year and length of the latest listed run, as the synthetic model's promotions."""

    name: str
    multiplier: float
    day_of_year: int
    days: int
    dates: np.ndarray  # every listed day, datetime64[D]
    years: tuple[int, ...]

    def on(self, days: Days) -> np.ndarray:
        """Whether the promotion runs on each of ``days``."""
        by_doy = ((days.doy - self.day_of_year) % int(YEAR)) < self.days
        if days.date is None:
            return by_doy
        year = days.date.astype("datetime64[Y]").astype(np.int64) + 1970
        listed = np.isin(days.date, self.dates)
        return np.where(np.isin(year, self.years), listed, by_doy)

    def promotion(self) -> Promotion:
        """As the synthetic model's :class:`~sim.config.spec.Promotion`."""
        return Promotion(self.name, self.day_of_year, self.days, self.multiplier)


@dataclass(frozen=True, eq=False)
class Pattern:
    """A market's demand multiplier by day: weekday x season x promotions x trend."""

    weekly: np.ndarray  # (7,), Monday first, mean 1
    amplitude: float
    peak_day: float
    promotions: tuple[PromoEffect, ...]
    growth: float  # log growth per year (0: no trend)
    end: np.datetime64  # the history's last day: the trend's reference

    def __post_init__(self) -> None:
        _freeze(self)

    def season(self, doy: np.ndarray) -> np.ndarray:
        """The yearly factor of days of year ``doy``."""
        return 1.0 + self.amplitude * np.cos(2.0 * np.pi * (doy - self.peak_day) / YEAR)

    def multiplier(self, days: Days) -> np.ndarray:
        """The multiplier of each day; without dates the trend stays at the history's end."""
        out = self.weekly[days.weekday] * self.season(days.doy)
        for p in self.promotions:
            out = np.where(p.on(days), out * p.multiplier, out)
        if self.growth and days.date is not None:
            years = (days.date - self.end).astype(np.float64) / TREND_YEAR
            out = out * np.exp(self.growth * years)
        return out


@dataclass(frozen=True, eq=False)
class MarketDemand:
    """The fitted demand of one market, one entry per SKU in the catalogue's order."""

    market: str
    pattern: Pattern
    rate: np.ndarray  # base rate, units per day
    rare: np.ndarray  # bool: occurrence x size (intermittent or lumpy)
    intensity: np.ndarray  # h of a rare SKU: a sale with probability 1 - exp(-h x pattern)
    size: np.ndarray  # mean size of a rare SKU's sale (>= 1)
    inv_k: np.ndarray  # 1 / k of the count (of size - 1 for a rare SKU); 0: Poisson
    adi: np.ndarray
    cv2: np.ndarray
    dispersion_z: np.ndarray  # Cameron-Trivedi statistic of a count SKU (NaN for rare ones)
    classes: tuple[DemandClass, ...]

    def __post_init__(self) -> None:
        _freeze(self)

    @property
    def models(self) -> tuple[str, ...]:
        """Each SKU's model in words."""
        count = np.where(self.inv_k > 0, "negbin", "poisson")
        return tuple(f"occurrence x (1+{c})" if r else str(c) for r, c in zip(self.rare, count))

    def mean(self, days: Days) -> np.ndarray:
        """Mean demand on ``days``, shape (days, SKUs)."""
        f = self.pattern.multiplier(days)
        out = np.outer(f, self.rate)
        if self.rare.any():
            r = self.rare
            out[:, r] = -np.expm1(-np.outer(f, self.intensity[r])) * self.size[r]
        return out

    def draw(self, days: Days, u: np.ndarray) -> np.ndarray:
        """Demand on ``days`` (int64, shape (days, SKUs)) from one uniform per day and SKU
        ``u`` of that shape, by inversion."""
        from .counts import quantile  # scipy.stats: imported when demand is drawn

        u = np.asarray(u, dtype=np.float64)
        if u.shape != (len(days), self.rate.size):
            raise ValueError(f"u has shape {u.shape}, expected {(len(days), self.rate.size)}")
        f = self.pattern.multiplier(days)
        out = np.zeros(u.shape, dtype=np.int64)
        c = ~self.rare
        if c.any():
            out[:, c] = quantile(u[:, c], np.outer(f, self.rate[c]), self.inv_k[c])
        r = np.flatnonzero(self.rare)
        if r.size:
            p = -np.expm1(-np.outer(f, self.intensity[r]))  # P(a sale)
            ur = u[:, r]
            sale = ur > 1.0 - p
            v = (ur[sale] - (1.0 - p[sale])) / p[sale]
            col = np.broadcast_to(np.arange(r.size), ur.shape)[sale]
            rest = quantile(v, self.size[r][col] - 1.0, self.inv_k[r][col])
            block = np.zeros(ur.shape, dtype=np.int64)
            block[sale] = 1 + rest
            out[:, r] = block
        return out


@dataclass(frozen=True, eq=False)
class FittedDemand:
    """Demand fitted per market to a sales history (see :func:`.history_fit.fit_history`)."""

    skus: tuple[str, ...]
    markets: tuple[MarketDemand, ...]
    level: float  # of the dispersion test
    pooled: bool  # one pattern for all markets

    @property
    def market_names(self) -> tuple[str, ...]:
        return tuple(m.market for m in self.markets)

    def market(self, name: str) -> MarketDemand:
        """The fitted demand of market ``name``."""
        for m in self.markets:
            if m.market == name:
                return m
        known = ", ".join(self.market_names)
        raise ConfigError("demand.market", name, f"a market of the sales history: {known}")

    def mean(self, market: str, days: Days) -> np.ndarray:
        """Mean demand of ``market`` on ``days``, shape (days, SKUs)."""
        return self.market(market).mean(days)

    def draw(self, market: str, days: Days, u: np.ndarray) -> np.ndarray:
        """Demand of ``market`` on ``days`` from uniforms ``u`` (days x SKUs), by inversion."""
        return self.market(market).draw(days, u)

    def sample(self, days: Days, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Demand of every market on ``days``, each from its own matrix of uniforms of
        ``rng`` (markets drawn in order, independent of each other)."""
        n = (len(days), len(self.skus))
        return {m.market: m.draw(days, rng.random(n)) for m in self.markets}
