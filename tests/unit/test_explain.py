"""The pieces ``ripple explain`` builds on: measured days as dates, the recovery rule shared
with the time_to_recover KPI, and means with their intervals."""

from __future__ import annotations

import numpy as np

from sim.analysis.resilience import SETTLE_DAYS, recovery_day
from sim.views.explain import Calendar, stat


def test_calendar_dates():
    cal = Calendar(1)
    assert cal.date(0) == "1 January"
    assert cal.date(273) == "1 October"  # the LA/LB strike's start
    assert cal.date(364.9) == "31 December"
    assert cal.date(365) == "1 January of year 2"
    assert Calendar(182).date(0) == "1 July"
    assert cal.on(59.5) == "day 59.5 (1 March)"


def test_recovery_rule():
    low = np.zeros(40, dtype=bool)
    assert recovery_day(low, 5) == 5  # never left the band
    low[10:15] = True
    assert recovery_day(low, 5) == 15  # first day of SETTLE_DAYS days in a row within it
    low[18] = True  # a relapse before settling: the settled stretch starts after it
    assert recovery_day(low, 5) == 19
    low[40 - SETTLE_DAYS + 1 :] = True
    low[19:] = True
    assert recovery_day(low, 5) is None  # never settles before the end
    assert recovery_day(low, 0) is None


def test_stat_mean_and_interval():
    assert stat([3.0], str) == "3.0"
    assert stat([2.0, 2.0], lambda x: f"{x:.0f}", "days") == "2 days"
    text = stat([1.0, 2.0, 3.0], lambda x: f"{x:.2f}", signed=True)
    # mean 2, sd 1, t(0.975, 2) = 4.303: half-width 2.484
    assert text == "2.00 (95% CI -0.48 to 4.48)"
    # Days cannot be negative: few values give their range, many a bootstrap inside it.
    assert stat([1.0, 2.0, 3.0], lambda x: f"{x:.2f}") == "2.00 (range 1.00 to 3.00)"
    many = stat(np.r_[np.zeros(25), np.full(5, 100.0)], lambda x: f"{x:.1f}", "days")
    assert many.startswith("16.7 days (95% CI ") and "CI -" not in many
    assert stat([0.9, 1.0, 1.1], lambda x: f"{x:.2f}", bounded=True).endswith("to 1.10)")
    assert stat([float("nan")], str) == "n/a"
