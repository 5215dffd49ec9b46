"""Resilience KPIs: a disrupted replication against the same replication without its
disruptions (its twin: the same keyed random draws, so everything the disruption did not touch
is drawn alike), so that the impact is measured without sampling noise.

A replication with a disruption in its measured window, and its twin, run ``experiment.
drain_days`` past the horizon; the comparison covers the window and that drain, so that costs
and shortfalls the disruption pushed past the horizon are counted (the flows of both runs are
the same once its effect has drained). Days are measured days; ``t0`` is the start of the first
disruption that overlaps the window; the daily service level is units shipped from stock on the
day / units demanded, over all markets.

- ``time_to_survive`` (Simchi-Levi's time-to-survive: how long supply keeps matching demand):
  days from ``t0`` to the first day with a stock-out the disruption caused (more SKU-locations
  short than in the twin); NaN when it caused none (``stockout_caused`` 0).
- ``time_to_recover`` (Simchi-Levi's time-to-recover, read off Sheffi's disruption profile):
  days from ``t0`` until the service level, over a trailing :data:`SMOOTH_DAYS`-day window
  (so one bad day of demand does not count), is back within :data:`BAND` of the twin's: the
  first day, after it first fell below the band, that starts :data:`SETTLE_DAYS` days in a row
  within it; 0 when it never left the band or there was no loss (a recovery needs a loss);
  NaN when it never settled back before the run stopped (``recovered`` 0).
- ``performance_loss``: sum over days from ``t0`` to the stop of (twin - actual service level),
  in service-level-days (a 10-day total outage of all service is 10): the area of the profile.
- ``peak_backlog``: the largest backlog (units, all warehouses) on any measured day;
  ``extra_peak_backlog`` the same less the twin's.
- ``extra_cost``: total cost less the twin's, from the warm-up to the stop (USD), with its
  parts ``extra_transport``, ``extra_carrying``, ... (one per cost KPI of :mod:`.kpis`).
- ``lost_margin``: price less unit value of the demand lost beyond the twin's (USD; 0 under
  backorders, where sales are late, not lost).
- ``disruption_cost`` = ``extra_cost`` + ``lost_margin``: what the disruption cost, the figure
  to quote.
"""

from __future__ import annotations

import math

import numpy as np

from ..config.spec import Scenario
from ..core.enums import CostComponent
from ..model.recorder import RunRecord
from .kpis import COST_KPI, cost_parts, lost_margin

BAND = 0.02  # service-level points
SETTLE_DAYS = 7
SMOOTH_DAYS = 7

# extra_transport, extra_handling, ...: each cost KPI's difference to the twin
PART_NAMES = {comp: "extra_" + COST_KPI[comp].removeprefix("cost_") for comp in CostComponent}

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
    "disruption_cost": "USD",
    "extra_cost": "USD",
    "lost_margin": "USD",
    **{name: "USD" for name in PART_NAMES.values()},
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
    """Daily service level from the warm-up to the stop; with ``smooth`` > 1, over trailing
    windows."""
    days = r.full
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


def _no_impact(out: dict[str, float]) -> dict[str, float]:
    out.update(
        time_to_survive=math.nan,
        stockout_caused=0.0,
        time_to_recover=0.0,
        recovered=1.0,
        performance_loss=0.0,
        extra_peak_backlog=0.0,
        disruption_cost=0.0,
        extra_cost=0.0,
        lost_margin=0.0,
    )
    out.update({name: 0.0 for name in PART_NAMES.values()})
    return out


def compute(actual: RunRecord, baseline: RunRecord | None, sc: Scenario) -> dict[str, float]:
    """Resilience KPIs of ``actual`` against its twin ``baseline`` (None: no disruption in the
    window)."""
    w0, end = actual.warmup, actual.end
    windows = [d for d in actual.disruptions if d.end > w0 and d.start < end]
    days = actual.window
    peak = float(actual.backlog[days].sum(axis=1).max()) if end > w0 else 0.0
    out = {
        "disruptions": float(len(windows)),
        "disrupted_days": float(sum(min(d.end, end) - max(d.start, w0) for d in windows)),
        "peak_backlog": peak,
    }
    if baseline is None or not windows:
        return _no_impact(out)
    t0 = max(min(d.start for d in windows), w0) - w0
    first = int(math.floor(t0))
    sa, sb = _service(actual), _service(baseline)
    short_a = actual.short_skus[actual.full].sum(axis=1)
    short_b = baseline.short_skus[baseline.full].sum(axis=1)
    caused = np.flatnonzero(short_a[first:] > short_b[first:])
    out["stockout_caused"] = float(caused.size > 0)
    out["time_to_survive"] = float(first + caused[0] + 0.5 - t0) if caused.size else math.nan
    loss = float((sb[first:] - sa[first:]).sum())
    out["performance_loss"] = loss
    ma, mb = _service(actual, SMOOTH_DAYS), _service(baseline, SMOOTH_DAYS)
    day = recovery_day(ma < mb - BAND, first)
    out["time_to_recover"], out["recovered"] = math.nan, 0.0
    if day == first or loss <= 0.0:  # never left the band, or nothing lost: nothing to recover
        out["time_to_recover"], out["recovered"] = 0.0, 1.0
    elif day is not None:
        out["time_to_recover"], out["recovered"] = float(day - t0), 1.0
    out["extra_peak_backlog"] = peak - float(baseline.backlog[days].sum(axis=1).max())
    pa, pb = cost_parts(actual, sc, full=True), cost_parts(baseline, sc, full=True)
    for comp, name in PART_NAMES.items():
        out[name] = pa[comp] - pb[comp]
    out["extra_cost"] = sum(pa.values()) - sum(pb.values())
    out["lost_margin"] = lost_margin(actual, full=True) - lost_margin(baseline, full=True)
    out["disruption_cost"] = out["extra_cost"] + out["lost_margin"]
    return {name: out[name] for name in NAMES}
