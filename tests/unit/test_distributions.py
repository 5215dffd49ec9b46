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


@pytest.mark.parametrize(
    "dist", [*CASES, Gamma(1.5, 2.0), Exponential(0.3)], ids=lambda d: f"{d.name}"
)
def test_keyed_draws_match_moments(dist):
    """Keyed draws (one per key, as the model's shipments and sailings make them) follow the
    distribution: mean within 4 standard errors, variance within 3% at 200,000 keys."""
    from sim.model.twin.keyed import Keyed, combine

    k = Keyed(*dist.keyed_params(), 0x5EED)
    x = np.array([k.at(combine(7, i), i % 13) for i in range(200_000)])
    assert (x >= 0).all()
    se = np.sqrt(dist.var / x.size)
    assert abs(x.mean() - dist.mean) <= 4 * se + 1e-12
    if dist.var > 0:
        assert x.var(ddof=1) == pytest.approx(dist.var, rel=0.03)
    else:
        assert x.var() == 0.0


def test_keyed_draws_depend_on_their_key_only():
    """Draw (a, b) is the same whatever was drawn before, and differs between keys."""
    from sim.model.twin.keyed import Keyed

    k = Keyed(*Exponential(2.0).keyed_params(), 99)
    first = k.at(5, 1)
    for i in range(100):
        k.at(i, 0)
    assert k.at(5, 1) == first
    assert len({k.at(5, b) for b in range(1000)}) == 1000
    assert len({Keyed(*Exponential(2.0).keyed_params(), s).at(5, 1) for s in range(100)}) == 100


@pytest.mark.parametrize("n,p", [(1, 0.3), (12, 0.1), (40, 0.5), (2000, 0.001)])
def test_binomial_by_inversion_is_binomial(n, p):
    """The returns' binomial from one keyed uniform has the binomial mean and variance."""
    from sim.model.returns import binomial

    u = np.random.default_rng(3).random(100_000)
    x = np.array([binomial(n, p, float(v)) for v in u])
    assert x.min() >= 0 and x.max() <= n
    mean, var = n * p, n * p * (1 - p)
    assert abs(x.mean() - mean) <= 4 * np.sqrt(var / x.size)
    assert x.var(ddof=1) == pytest.approx(var, rel=0.04)
