"""Intervals respect what a KPI can be: a duration's interval never goes below 0, a share's
stays in [0, 1]; a difference keeps its Student-t interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from sim.analysis.columns import KPI_UNITS
from sim.analysis.stats import MIN_BOOTSTRAP, summarize, support


def test_support_of_the_kpis():
    assert support("time_to_recover", KPI_UNITS["time_to_recover"]) == (0.0, None)
    assert support("fill_rate", KPI_UNITS["fill_rate"]) == (0.0, 1.0)
    assert support("recovered", KPI_UNITS["recovered"]) == (0.0, 1.0)
    assert support("cost_transport", "USD") == (0.0, None)
    for signed in ("extra_cost", "disruption_cost", "margin", "extra_peak_backlog"):
        assert support(signed, KPI_UNITS[signed]) == (None, None)


@pytest.mark.parametrize("n", [3, MIN_BOOTSTRAP, 30, 200])
def test_a_skewed_duration_keeps_a_non_negative_interval(n):
    """Mostly 0 days, now and then a long recovery: the t interval would dip below 0."""
    x = np.zeros(n)
    x[::7] = 150.0
    s = summarize(pd.DataFrame({"time_to_recover": x}), ["time_to_recover"], KPI_UNITS).iloc[0]
    half_t = st.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n)
    if n <= MIN_BOOTSTRAP:
        assert x.mean() - half_t < 0  # what Student-t would have said
    assert 0.0 <= s["ci_low"] <= s["mean"] <= s["ci_high"] <= 150.0
    if n < MIN_BOOTSTRAP:
        assert (s["ci_low"], s["ci_high"]) == (0.0, 150.0)  # the range


def test_a_bootstrap_interval_covers_like_a_95_percent_interval():
    """Over 300 samples of 40 exponential durations, the interval holds the true mean about
    95% of the time (within 90% to 99%)."""
    rng = np.random.default_rng(5)
    hits = 0
    for _ in range(300):
        x = rng.exponential(10.0, 40)
        s = summarize(pd.DataFrame({"d": x}), ["d"], {"d": "days"}).iloc[0]
        hits += s["ci_low"] <= 10.0 <= s["ci_high"]
    assert 0.90 <= hits / 300 <= 0.99


def test_a_difference_keeps_student_t():
    x = np.array([-3.0, 1.0, 2.0, 5.0])
    s = summarize(pd.DataFrame({"extra_cost": x}), ["extra_cost"], KPI_UNITS).iloc[0]
    half = st.t.ppf(0.975, 3) * x.std(ddof=1) / 2.0
    assert s["ci_low"] == pytest.approx(x.mean() - half) and s["ci_low"] < 0
