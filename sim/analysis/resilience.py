"""Resilience KPIs: a disrupted replication against the same replication without its
disruptions (same random streams), so that the impact is measured without sampling noise.

Days are measured days; ``t0`` is the start of the first disruption that overlaps the measured
window; the daily service level is units shipped from stock on the day / units demanded, over
all markets.

- ``time_to_survive``: days from ``t0`` to the first day with a stock-out the disruption caused
  (more SKU-locations short than without it); NaN when it caused none (``stockout_caused`` 0).
- ``time_to_recover``: days from ``t0`` until the service level (over a trailing
  :data:`SMOOTH_DAYS`-day window, so one bad day of random demand does not count) is back within
  :data:`BAND` of the undisrupted one: the first day, after it first fell below the band,
  that starts :data:`SETTLE_DAYS` days in a row within it; 0 when it never left the band;
  NaN when it never settled back before the horizon ends (``recovered`` 0).
- ``performance_loss``: sum over days from ``t0`` of (undisrupted - actual service level), in
  service-level-days (a 10-day total outage of all service is 10).
- ``peak_backlog``: the largest backlog (units, all warehouses) on any measured day;
  ``extra_peak_backlog`` the same less the undisrupted run's.
- ``extra_cost``: total cost less the undisrupted run's (USD).
"""

from __future__ import annotations

import math

import numpy as np

from ..model.recorder import RunRecord

BAND = 0.02  # service-level points
SETTLE_DAYS = 7
SMOOTH_DAYS = 7

UNITS = {
    "disruptions": "count",
    "disrupted_days": "days",
    "time_to_survive": "days",
    "stockout_caused": "0/1",
    "time_to_recover": "days",
    "recovered": "0/1",
    "performance_loss": "service-level-days",
    "peak_backlog": "units",
    "extra_peak_backlog": "units",
    "extra_cost": "USD",
}
NAMES = tuple(UNITS)


def service_level(shipped: np.ndarray, demand: np.ndarray, smooth: int = 1) -> np.ndarray:
    """Service level per day (units shipped / demanded, 1 without demand); with ``smooth`` > 1,
    over trailing windows of that many days."""
    s, d = np.asarray(shipped, dtype=float), np.asarray(demand, dtype=float)
    if smooth > 1:
        kernel = np.ones(smooth)
        d = np.convolve(d, kernel)[: d.size]
        s = np.convolve(s, kernel)[: s.size]
    return np.divide(s, d, out=np.ones_like(d), where=d > 0)


def _service(r: RunRecord, smooth: int = 1) -> np.ndarray:
    """Daily service level over measured days; with ``smooth`` > 1, over trailing windows."""
    days = slice(int(r.warmup), int(r.end))
    return service_level(r.shipped[days].sum(axis=1), r.demand[days].sum(axis=1), smooth)


def recovery_day(low: np.ndarray, first: int) -> int | None:
    """The recovery rule of ``time_to_recover`` on a series ``low`` (day below the band):
    ``first`` when no day from ``first`` on is low; else the first day after the first low one
    that starts :data:`SETTLE_DAYS` days in a row not low; None when there is none."""
    below = np.flatnonzero(low[first:])
    if below.size == 0:
        return first
    for day in range(first + int(below[0]) + 1, low.size - SETTLE_DAYS + 1):
        if not low[day : day + SETTLE_DAYS].any():
            return day
    return None


def compute(
    actual: RunRecord, baseline: RunRecord | None, cost: float, baseline_cost: float
) -> dict[str, float]:
    """Resilience KPIs of ``actual`` against ``baseline`` (None: no disruption in the window)."""
    w0, end = actual.warmup, actual.end
    windows = [d for d in actual.disruptions if d.end > w0 and d.start < end]
    days = slice(int(w0), int(end))
    peak = float(actual.backlog[days].sum(axis=1).max()) if end > w0 else 0.0
    out = {
        "disruptions": float(len(windows)),
        "disrupted_days": float(sum(min(d.end, end) - max(d.start, w0) for d in windows)),
        "peak_backlog": peak,
    }
    if baseline is None or not windows:
        out.update(
            time_to_survive=math.nan,
            stockout_caused=0.0,
            time_to_recover=0.0,
            recovered=1.0,
            performance_loss=0.0,
            extra_peak_backlog=0.0,
            extra_cost=0.0,
        )
        return out
    t0 = max(min(d.start for d in windows), w0) - w0
    first = int(math.floor(t0))
    sa, sb = _service(actual), _service(baseline)
    short_a = actual.short_skus[days].sum(axis=1)
    short_b = baseline.short_skus[days].sum(axis=1)
    caused = np.flatnonzero(short_a[first:] > short_b[first:])
    out["stockout_caused"] = float(caused.size > 0)
    out["time_to_survive"] = float(first + caused[0] + 0.5 - t0) if caused.size else math.nan
    ma, mb = _service(actual, SMOOTH_DAYS), _service(baseline, SMOOTH_DAYS)
    low = ma < mb - BAND
    day = recovery_day(low, first)
    out["time_to_recover"], out["recovered"] = math.nan, 0.0
    if day == first:  # never left the band (a recovery day is always later than ``first``)
        out["time_to_recover"], out["recovered"] = 0.0, 1.0
    elif day is not None:
        out["time_to_recover"], out["recovered"] = float(day - t0), 1.0
    out["performance_loss"] = float((sb[first:] - sa[first:]).sum())
    out["extra_peak_backlog"] = peak - float(baseline.backlog[days].sum(axis=1).max())
    out["extra_cost"] = cost - baseline_cost
    return out
