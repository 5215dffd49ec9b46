"""Numbers, days and dates in words for ``ripple explain``: the formatters every section of the
account shares, a mean with its 95% interval, and measured days as calendar dates."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

import numpy as np

from ...analysis.stats import MIN_BOOTSTRAP, interval


def usd(x: float) -> str:
    """An amount of money, whole dollars: ``1,234 USD``."""
    return f"{x:,.0f} USD"


def signed_usd(x: float) -> str:
    """A difference in money, with its sign: ``+1,234 USD``."""
    return f"{x:+,.0f} USD"


def pct(x: float) -> str:
    """A share as a percentage with one decimal: ``97.5%``."""
    return f"{100 * x:.1f}%"


def num(x: float) -> str:
    """A count: whole with thousands separators from 100, else one decimal."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.1f}"


def day_text(x: float) -> str:
    """A day or a number of days: whole when it is, else one decimal."""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def two_decimals(x: float) -> str:
    """A number with two decimals (mean days and service-level-days)."""
    return f"{x:.2f}"


def stat(
    values: Sequence[float] | np.ndarray,
    show: Callable[[float], str],
    unit: str = "",
    bounded: bool = False,
    signed: bool = False,
) -> str:
    """Mean of the finite values with its 95% interval (one value: just it). The interval stays
    where the values can be: in [0, 1] for a share (``bounded``), at or above 0 unless
    ``signed`` (see :func:`sim.analysis.stats.interval`)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return "n/a"
    u = f" {unit}" if unit else ""
    if x.size == 1 or np.all(x == x[0]):
        return f"{show(float(x[0]))}{u}"
    bounds = (0.0, 1.0) if bounded else (None, None) if signed else (0.0, None)
    mean, lo, hi = interval(x, bounds)
    what = "range" if bounds != (None, None) and x.size < MIN_BOOTSTRAP else "95% CI"
    return f"{show(mean)}{u} ({what} {show(lo)} to {show(hi)})"


def share(k: int, n: int) -> str:
    """ " in k of n replications", or nothing for a single replication."""
    if n == 1:
        return ""
    return " in every replication" if k == n else f" in {k} of {n} replications"


class Calendar:
    """Measured day -> calendar date (day 0 is ``experiment.start_day_of_year``; 365-day
    years, as the demand seasonality)."""

    def __init__(self, start_day_of_year: int) -> None:
        self.first = int(start_day_of_year) - 1

    def date(self, day: float) -> str:
        """The calendar date of a measured day: ``1 October``, ``3 May of year 2``."""
        offset = self.first + int(math.floor(day))
        d = dt.date(2025, 1, 1) + dt.timedelta(days=offset % 365)  # 2025: not a leap year
        year = offset // 365
        which = "" if year == 0 else " of the year before" if year < 0 else f" of year {year + 1}"
        return f"{d.day} {d:%B}{which}"

    def on(self, day: float) -> str:
        """A measured day with its date: ``day 273 (1 October)``."""
        return f"day {day_text(day)} ({self.date(day)})"


def when(days: list[float], cal: Calendar) -> str:
    """The day something happened: the date when every replication agrees, else the mean day
    and the range across replications."""
    if len(set(days)) == 1:
        return cal.on(days[0])
    return (
        f"day {day_text(round(float(np.mean(days)), 1))} on average (days "
        f"{day_text(min(days))} to {day_text(max(days))})"
    )
