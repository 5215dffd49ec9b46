"""The Poisson quantile the demand draw uses for large means (and a sales history's counts) is
scipy.stats' own, value for value, without importing scipy.stats (a worker process saves some
50 MiB)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import poisson

from sim.config.counts import poisson_quantile
from sim.model.demand import INVERSION_MAX


def test_agrees_with_scipy_stats_on_a_million_draws():
    rng = np.random.default_rng(7)
    mean = rng.uniform(INVERSION_MAX, 5000.0, 1_000_000)
    u = rng.random(mean.size)
    expected = poisson.ppf(u, mean).astype(np.int64)
    assert np.array_equal(poisson_quantile(u, mean), expected)


@settings(max_examples=300, deadline=None)
@given(
    u=st.floats(0.0, 1.0, exclude_max=True),
    mean=st.floats(1e-3, 1e6, allow_nan=False, allow_infinity=False),
)
def test_agrees_with_scipy_stats_at_the_edges(u, mean):
    got = int(poisson_quantile(np.array([u]), np.array([mean]))[0])
    if u == 0.0:  # scipy gives -1 (the left end of the support less one); a count is at least 0
        assert got == 0
    else:
        assert got == int(poisson.ppf(u, mean))
