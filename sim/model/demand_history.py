"""Demand drawn from a sales history (see :mod:`sim.config.history_demand`) on the model's
days: fitted per market from the market's own stream, or replayed for all markets at once from
one stream (so the markets keep the history's correlation); a market's ``demand_scale``
applied by adding or thinning units, never redrawing them.
"""

from __future__ import annotations

import numpy as np

from ..config.history_demand import HistoryDemand
from ..core.rng import Streams
from .demand import rescale


class HistoryMeans:
    """A market's mean demand on the model's days (days x SKUs), made when first needed."""

    def __init__(self, history: History, market: str, scale: float) -> None:
        self._history = history
        self._market = market
        self._scale = scale
        self._mean: np.ndarray | None = None

    @property
    def mean(self) -> np.ndarray:
        if self._mean is None:
            self._mean = self._scale * self._history.base_mean(self._market)
        return self._mean


class History:
    """One replication's demand from a history on the days of year ``doy``."""

    def __init__(self, demand: HistoryDemand, doy: np.ndarray, streams: Streams) -> None:
        self.demand = demand
        self.days = demand.days(doy)
        self.streams = streams
        self._replayed = (
            demand.replay(self.days, streams.get("replay")) if demand.mode == "replay" else None
        )
        self._base: dict[str, np.ndarray] = {}

    def base_mean(self, market: str) -> np.ndarray:
        """Mean demand of network market ``market`` at demand scale 1."""
        if market not in self._base:
            self._base[market] = self.demand.mean(market, self.days)
        return self._base[market]

    def means(self, market: str, scale: float) -> HistoryMeans:
        """The means of ``market`` at demand scale ``scale``."""
        return HistoryMeans(self, market, scale)

    def draw(self, market: str, scale: float, element: int) -> np.ndarray:
        """The demand of ``market`` (days x SKUs, int64); ``element`` keys its streams."""
        if self._replayed is not None:
            out = self._replayed[self.demand.market_of(market)].copy()
        else:
            out = self.demand.draw(market, self.days, self.streams.get("demand", element))
        if scale != 1.0:
            out = rescale(out, self.base_mean(market), scale, self.streams.get("scale", element))
        return out
