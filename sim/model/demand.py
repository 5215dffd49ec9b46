"""Daily demand per market as an SKU vector: base rates x seasonality x promotions."""

from __future__ import annotations

from types import ModuleType

import numpy as np

from ..config.counts import poisson_quantile
from ..config.spec import DemandSpec
from ..core.enums import DemandDist


def day_of_year(first_measured_doy: int, warmup_days: int, n_days: int) -> np.ndarray:
    """Day of year (1..365) of each simulated day 0..n_days-1; day ``warmup_days`` is the first
    measured day."""
    k = np.arange(n_days)
    return (first_measured_doy - 1 - warmup_days + k) % 365 + 1


def multiplier(spec: DemandSpec, doy: np.ndarray) -> np.ndarray:
    """Demand multiplier per day: seasonality times any promotion running that day."""
    phase = 2.0 * np.pi * (doy - spec.season_peak_day) / 365.0
    season = 1.0 + spec.season_amplitude * np.cos(phase)
    promo = np.ones_like(season)
    for p in spec.promotions:
        on = ((doy - p.day_of_year) % 365) < p.days
        promo = np.where(on, promo * p.multiplier, promo)
    return season * promo


def mean_matrix(spec: DemandSpec, scale: float, doy: np.ndarray) -> np.ndarray:
    """Mean demand, shape (days, SKUs)."""
    return _scaled(spec, scale, multiplier(spec, doy))


def _scaled(spec: DemandSpec, scale: float, mult: np.ndarray) -> np.ndarray:
    """Mean demand of days with multipliers ``mult``, shape (days, SKUs)."""
    return scale * np.outer(mult, spec.base_rate)


INVERSION_MAX = 12.0  # Poisson means up to this are drawn by inversion, above by numpy


class Means:
    """Mean demand of a market (days x SKUs) and what drawing from it needs. Rows are kept
    once per distinct day multiplier (the warm-up repeats days of the year and the season is
    symmetric about its peak): ``exp`` is taken once per distinct row."""

    def __init__(self, spec: DemandSpec, scale: float, doy: np.ndarray) -> None:
        mult, rows = np.unique(multiplier(spec, doy), return_inverse=True)
        self.rows = rows.reshape(-1)  # the distinct row of each simulated day
        self.unique = _scaled(spec, scale, mult)  # mean_matrix's rows, once each
        small = self.unique <= INVERSION_MAX
        every = bool(small.all())
        self.lam = self.unique if every else np.where(small, self.unique, 0.0)  # by inversion
        self.e = np.exp(-self.lam)
        self.big = None if every else ~small  # drawn by numpy
        self._mean: np.ndarray | None = None

    @property
    def mean(self) -> np.ndarray:
        """The means, shape (days, SKUs) (equal to :func:`mean_matrix`)."""
        if self._mean is None:
            self._mean = self.unique[self.rows]
        return self._mean


def draw(
    spec: DemandSpec,
    means: Means,
    rng: np.random.Generator,
    h: ModuleType,
    scratch: np.ndarray | None = None,
) -> np.ndarray:
    """Draw a demand matrix (Poisson or negative binomial), int64. ``scratch``: a float array
    of the matrix's shape to draw the uniforms into (one for all markets spares the memory
    and the page faults of a fresh one each; the draws are the same).

    Poisson: one uniform per day and SKU, turned into a count by inversion: in the handlers for
    means up to :data:`INVERSION_MAX` (a few steps each, most daily SKU means being small), by
    :func:`~sim.config.counts.poisson_quantile` above (scipy's values). Day ``d``'s demand is
    a function of its row of uniforms alone, so a longer run (a drained one) draws the same
    demand for the days they share.
    """
    if spec.distribution is DemandDist.POISSON:
        u = rng.random((means.rows.size, means.unique.shape[1]), out=scratch)
        out = h.poisson_inversion(u, means.lam, means.e, means.rows)
        if means.big is not None:  # the cells above it, without the whole days x SKUs means
            day, sku = np.nonzero(means.big[means.rows])
            out[day, sku] = poisson_quantile(u[day, sku], means.unique[means.rows[day], sku])
        return out
    k = spec.dispersion
    # variance = mean + mean^2 / k
    return rng.negative_binomial(k, k / (k + np.maximum(means.mean, 1e-12))).astype(np.int64)


def surge(
    spec: DemandSpec,
    demand: np.ndarray,
    mean: np.ndarray,
    start: float,
    end: float,
    multiplier: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Demand with days whose demand instant (day + 0.5) lies in [start, end) multiplied.

    A rise adds independent Poisson demand of mean ``(multiplier - 1) * mean``; a fall thins the
    demand binomially. Either way the base draws are untouched, so the same replication without
    the surge sees the same demand on every other day (common random numbers).
    """
    days = np.arange(demand.shape[0])
    on = ((days + 0.5) >= start) & ((days + 0.5) < end)
    out = demand.copy()
    if multiplier >= 1.0:
        out[on] += rng.poisson(mean[on] * (multiplier - 1.0)).astype(np.int64)
    else:
        out[on] = rng.binomial(demand[on], multiplier).astype(np.int64)
    return out


def channels(
    demand: np.ndarray,
    mean: np.ndarray | None,
    shares: tuple[tuple[str, float], ...],
    rng: np.random.Generator | None,
) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Split a market's demand among sales channels: ``{channel: (demand, mean)}``.

    Each unit goes to a channel with the channel's share (a multinomial split drawn as a chain
    of binomials), so pooled and separate stock see the same channel demand. Without channels
    the whole demand is under the key ``""``.
    """
    if not shares or rng is None:
        return {"": (demand, mean)}
    out = {}
    left = demand
    rest = 1.0
    for i, (name, share) in enumerate(shares):
        if i == len(shares) - 1:
            part = left
        else:
            part = rng.binomial(left, min(share / rest, 1.0)).astype(np.int64)
            left = left - part
            rest -= share
        out[name] = (part, None if mean is None else mean * share)
    return out


def rescale(
    demand: np.ndarray, mean: np.ndarray, multiplier: float, rng: np.random.Generator
) -> np.ndarray:
    """Demand scaled by ``multiplier`` without redrawing it: a rise adds Poisson demand of mean
    ``(multiplier - 1) * mean``, a fall thins the units binomially."""
    if multiplier >= 1.0:
        return demand + rng.poisson(mean * (multiplier - 1.0)).astype(np.int64)
    return rng.binomial(demand, multiplier).astype(np.int64)
