"""A sales history against the demand model made from it (fitted or replayed), simulated over
the history's own whole weeks: per market, for all SKUs together and for its best sellers, the
weekly totals of the history, the model's mean and a band of its simulated weekly totals. What
``ripple demand DIR`` draws."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..config.history import Days
from ..config.sales import SalesTables
from .canvas import new_figure

HISTORY, MEAN, BAND = "#1d3557", "#e76f51", "#f4a261"


class DemandModel(Protocol):
    """What the figure needs of a demand model (a fitted or a replayed history)."""

    @property
    def market_names(self) -> tuple[str, ...]: ...

    def mean(self, market: str, days: Days) -> np.ndarray: ...

    def sample(self, days: Days, rng: np.random.Generator) -> dict[str, np.ndarray]: ...


def history_weeks(tables: SalesTables) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The Mondays of the history's whole weeks and the weekly units sold, shape (markets,
    weeks, SKUs)."""
    daily = tables.daily()
    offset = (7 - int(daily.dates[0].weekday())) % 7
    n = (len(daily.dates) - offset) // 7
    units = daily.units[:, offset : offset + 7 * n, :]
    weekly = units.reshape(units.shape[0], n, 7, -1).sum(axis=2)
    return daily.dates[offset : offset + 7 * n : 7], weekly


def demand_figure(
    tables: SalesTables,
    model: DemandModel,
    *,
    top: int = 3,
    reps: int = 40,
    band: float = 0.9,
    seed: int = 0,
) -> Figure:
    """A row per market: all its SKUs, then its ``top`` best-selling SKUs; in each panel the
    history's weekly totals, the model's mean and the central ``band`` of ``reps`` simulations
    of the same weeks (seeded by ``seed``)."""
    mondays, weekly = history_weeks(tables)
    markets = list(dict.fromkeys(tables.sales["market"]))
    if len(mondays) == 0:
        raise ValueError("the history holds no whole week (Monday to Sunday)")
    days = Days.of_dates(pd.date_range(mondays[0], periods=7 * len(mondays), freq="D"))
    rng = np.random.default_rng(seed)
    sims = {m: np.empty((reps, *weekly.shape[1:])) for m in markets}
    for r in range(reps):
        for m, d in model.sample(days, rng).items():
            if m in sims:
                sims[m][r] = d.reshape(len(mondays), 7, -1).sum(axis=1)
    skus = list(tables.skus["sku"])
    fig = new_figure(3.6 * (top + 1), 2.6 * len(markets))
    axes = fig.subplots(len(markets), top + 1, squeeze=False, sharex=True)
    lo, hi = (1.0 - band) / 2.0, (1.0 + band) / 2.0
    for i, m in enumerate(markets):
        hist = weekly[i]
        mean = model.mean(m, days).reshape(len(mondays), 7, -1).sum(axis=1)
        best = np.argsort(-hist.sum(axis=0), kind="stable")[:top]
        columns: list[tuple[str, np.ndarray | slice]] = [("all SKUs", slice(None))]
        columns += [(skus[s], np.array([s])) for s in best]
        for j, (title, cols) in enumerate(columns):
            ax = axes[i][j]
            sim = sims[m][:, :, cols].sum(axis=2)
            ax.fill_between(
                mondays,
                np.quantile(sim, lo, axis=0),
                np.quantile(sim, hi, axis=0),
                color=BAND,
                alpha=0.35,
                lw=0,
                label=f"simulated, central {band:.0%}",
            )
            ax.plot(mondays, mean[:, cols].sum(axis=1), color=MEAN, lw=1.2, label="model mean")
            ax.plot(mondays, hist[:, cols].sum(axis=1), color=HISTORY, lw=0.9, label="history")
            ax.set_title(f"{m}: {title}", fontsize=9)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
            ax.tick_params(labelsize=7)
            if j == 0:
                ax.set_ylabel("units a week", fontsize=8)
    for ax in axes[-1]:
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_ha("right")
    axes[0][0].legend(fontsize=7, loc="upper left")
    return fig
