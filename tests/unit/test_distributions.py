"""Distributions know their moments; samples agree with them (Ciw-style)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.distributions import Deterministic, Exponential, Gamma, LogNormal, Uniform

CASES = [
    Deterministic(3.0),
    Exponential(2.0),
    LogNormal(16.0, 0.1),
    LogNormal(1.0, 0.5),
    Gamma(6.0, 0.5),
    Uniform(1.0, 4.0),
]


@pytest.mark.parametrize("dist", CASES, ids=lambda d: f"{d.name}")
def test_sample_moments_match(dist):
    rng = np.random.default_rng(12345)
    x = dist.sample(rng, 200_000)
    assert x.dtype == np.float64 and (x >= 0).all()
    # Sample mean within 4 standard errors, sample variance within 3%.
    se = np.sqrt(dist.var / x.size)
    assert abs(x.mean() - dist.mean) <= 4 * se + 1e-12
    if dist.var > 0:
        assert x.var(ddof=1) == pytest.approx(dist.var, rel=0.03)
    else:
        assert x.var() == 0.0
