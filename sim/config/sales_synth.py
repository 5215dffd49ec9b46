"""Realistic sales histories to try the history-driven demand on: a long-tail (Zipf) mix of
SKUs, markets with their own weekly and yearly seasons, Prime-Day-like promotions, a trend and
a market-wide weekly shock that correlates the SKUs' sales. The truth is kept beside the tables,
so a fit can be compared with what generated them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .history import TREND_YEAR, YEAR, Days
from .sales import SalesTables


@dataclass(frozen=True, eq=False)
class SalesTruth:
    """What generates a history. Mean units of market ``m``, day ``t``, SKU ``s``:
    ``rate[m, s] x weekly[m, weekday] x (1 + amplitude[m] cos(2 pi (doy - peak_day[m]) / 365))
    x promotion multipliers x exp(growth x years after the last day) x weekly shock``; a count
    Poisson where ``inv_k`` is 0, else negative binomial of ``1 / k = inv_k``."""

    skus: pd.DataFrame  # sku, class, weight_kg, unit_value, price
    markets: tuple[str, ...]
    start: pd.Timestamp  # the first day
    n_days: int
    rate: np.ndarray  # (markets, SKUs)
    inv_k: np.ndarray  # (SKUs,)
    weekly: np.ndarray  # (markets, 7), Monday first, mean 1
    amplitude: np.ndarray  # (markets,)
    peak_day: np.ndarray  # (markets,)
    promotions: pd.DataFrame  # name, start, days
    multipliers: dict[str, float]  # promotion name -> multiplier
    growth: float = 0.0  # log growth per year
    shock_cv: float = 0.0  # coefficient of variation of a market's weekly shock (gamma)

    @property
    def days(self) -> Days:
        return Days.of_dates(pd.date_range(self.start, periods=self.n_days, freq="D"))

    def pattern(self) -> np.ndarray:
        """The multiplier of each market and day (without the shock), shape (markets, days)."""
        d = self.days
        assert d.date is not None
        out = np.empty((len(self.markets), self.n_days))
        for m in range(len(self.markets)):
            phase = 2.0 * np.pi * (d.doy - self.peak_day[m]) / YEAR
            out[m] = self.weekly[m][d.weekday] * (1.0 + self.amplitude[m] * np.cos(phase))
        for name, start, n in zip(
            self.promotions["name"], self.promotions["start"], self.promotions["days"]
        ):
            first = np.datetime64(start.date(), "D")
            on = (d.date >= first) & (d.date < first + int(n))
            out[:, on] *= self.multipliers[name]
        years = (d.date - d.date[-1]).astype(np.float64) / TREND_YEAR
        return out * np.exp(self.growth * years)


def draw_history(truth: SalesTruth, rng: np.random.Generator) -> SalesTables:
    """Sales drawn from ``truth``: a row per day, market and SKU with a sale."""
    n_m, n_s = truth.rate.shape
    pattern = truth.pattern()
    rows = []
    dates = pd.date_range(truth.start, periods=truth.n_days, freq="D")
    nb = truth.inv_k > 0
    for m in range(n_m):
        mean = np.outer(pattern[m], truth.rate[m])
        if truth.shock_cv > 0:
            shape = 1.0 / truth.shock_cv**2
            weeks = rng.gamma(shape, 1.0 / shape, size=truth.n_days // 7 + 1)
            mean *= np.repeat(weeks, 7)[: truth.n_days, None]
        y = np.zeros(mean.shape, dtype=np.int64)
        y[:, ~nb] = rng.poisson(mean[:, ~nb])
        k = 1.0 / truth.inv_k[nb]
        y[:, nb] = rng.negative_binomial(k, k / (k + mean[:, nb]))
        t, s = np.nonzero(y)
        rows.append(
            pd.DataFrame(
                {
                    "date": dates[t],
                    "market": truth.markets[m],
                    "sku": truth.skus["sku"].to_numpy()[s],
                    "units": y[t, s],
                }
            )
        )
    sales = pd.concat(rows, ignore_index=True)
    return SalesTables(truth.skus.copy(), sales, truth.promotions.copy())


def catalogue(rng: np.random.Generator, n_skus: int) -> pd.DataFrame:
    """A catalogue of ``n_skus``: seven in ten small (about 0.5 kg), the rest bulky."""
    small = rng.random(n_skus) < 0.7
    weight = np.where(
        small, rng.lognormal(np.log(0.5), 0.6, n_skus), rng.lognormal(2.5, 0.5, n_skus)
    )
    value = np.where(small, rng.lognormal(np.log(15), 0.7, n_skus), rng.lognormal(np.log(90), 0.6))
    return pd.DataFrame(
        {
            "sku": [f"SKU{i:04d}" for i in range(1, n_skus + 1)],
            "class": np.where(small, "small", "bulky"),
            "weight_kg": weight.round(3),
            "unit_value": value.round(2),
            "price": (value * rng.uniform(1.5, 2.5, n_skus)).round(2),
        }
    )


def realistic_truth(
    rng: np.random.Generator,
    n_skus: int = 200,
    start: str = "2023-01-02",
    years: int = 2,
    top_rate: float = 40.0,
    zipf: float = 1.1,
) -> SalesTruth:
    """Two markets (US, EU) over ``years`` from ``start``: Zipf rates from ``top_rate`` units a
    day (the EU at about 0.6 of the US, its own mix), half the SKUs negative binomial
    (``k`` in [0.7, 4]), Christmas peaks, Prime Day in July and Black Friday each year, 10 %
    growth a year and a weekly shock of CV 0.1."""
    first = pd.Timestamp(start)
    n_days = int(round(years * 365.25))
    base = top_rate * np.arange(1, n_skus + 1, dtype=np.float64) ** -zipf
    rate = np.vstack([base, 0.6 * base * rng.lognormal(0.0, 0.4, n_skus)])
    inv_k = np.where(rng.random(n_skus) < 0.5, 0.0, 1.0 / rng.uniform(0.7, 4.0, n_skus))
    weekly = np.array(
        [[1.05, 1.0, 0.98, 1.0, 1.08, 0.97, 0.92], [1.1, 1.04, 1.0, 1.0, 1.02, 0.9, 0.94]]
    )
    runs = []
    for y in range(first.year, first.year + years + 1):
        july = pd.Timestamp(y, 7, 8) + pd.Timedelta(days=(1 - pd.Timestamp(y, 7, 8).weekday()) % 7)
        nov = pd.Timestamp(y, 11, 22) + pd.Timedelta(
            days=(4 - pd.Timestamp(y, 11, 22).weekday()) % 7
        )
        runs += [("prime_day", july, 2), ("black_friday", nov, 4)]
    promotions = pd.DataFrame(runs, columns=["name", "start", "days"])
    last = first + pd.Timedelta(days=n_days - 1)
    promotions = promotions[promotions["start"] <= last].reset_index(drop=True)
    return SalesTruth(
        skus=catalogue(rng, n_skus),
        markets=("US", "EU"),
        start=first,
        n_days=n_days,
        rate=rate,
        inv_k=inv_k,
        weekly=weekly / weekly.mean(axis=1, keepdims=True),
        amplitude=np.array([0.3, 0.2]),
        peak_day=np.array([345.0, 355.0]),
        promotions=promotions,
        multipliers={"prime_day": 2.5, "black_friday": 1.6},
        growth=0.1,
        shock_cv=0.1,
    )
