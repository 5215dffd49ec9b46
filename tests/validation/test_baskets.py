"""Demand as customer orders against the unit model it refines (``sim/model/baskets.py``).

With one-line baskets and a Poisson count of orders, each order's SKU is drawn from the
catalogue's mix ``p_i = rate_i / sum(rate)``; by Poisson thinning the daily units of SKU ``i``
are then independent Poisson draws of mean ``mult_d * rate_i``: the unit model's. The tests
draw both models for the default catalogue (20 SKUs over a year with seasonality and two
promotions) and check, per SKU:

- the mean: the sum of the draws over days and replications against the sum of the means,
  as a z-score (Poisson: the variance of the sum is the sum of the means);
- the variance: the mean of ``(x - mu)^2 / mu`` is 1 for a Poisson count, with standard error
  ``sqrt((2 + 1 / mu) / n)`` (the Poisson's fourth central moment is ``mu + 3 mu^2``);
- the two models against each other: per-SKU means and variances of the two samples agree
  within 4.5 standard errors of their difference;
- independence: the two best sellers' daily units are uncorrelated (|r| under 4.5 / sqrt(n)).

Larger baskets keep the means (the mix is per line) and add variance: checked too, and
``affinity`` (further lines from the first line's class) keeps the means.

4.5 standard errors over 20 SKUs and a handful of checks: a false alarm about once in 10,000
runs; the draws are seeded, so a run is reproducible.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.config.spec import OrdersSpec
from sim.core.enums import BasketDist
from sim.model import demand as demand_mod
from sim.model import handlers
from sim.model.baskets import draw_orders

REPS = 60
Z = 4.5


@pytest.fixture(scope="module")
def catalogue(default_scenario):
    sc, _ = default_scenario
    d = sc.demand
    doy = demand_mod.day_of_year(1, 0, 365)
    mu = demand_mod.mean_matrix(d, 1.0, doy)  # (days, SKUs)
    return d, doy, mu


def _orders(d, doy, spec: OrdersSpec, reps: int, seed: int) -> np.ndarray:
    d = dataclasses.replace(d, orders=spec)
    mult = demand_mod.multiplier(d, doy)
    return np.stack(
        [
            draw_orders(d, 1.0, mult, [], (), np.random.default_rng([seed, r])).units(
                doy.size, len(d.skus)
            )
            for r in range(reps)
        ]
    )


def _units(d, doy, reps: int, seed: int) -> np.ndarray:
    means = demand_mod.Means(d, 1.0, doy)
    h = handlers.load(handlers.default_backend())
    return np.stack(
        [demand_mod.draw(d, means, np.random.default_rng([seed, r]), h) for r in range(reps)]
    )


def _check_poisson(x: np.ndarray, mu: np.ndarray) -> None:
    """Per SKU: mean and variance of a sample (reps, days, SKUs) against Poisson(mu)."""
    n = x.shape[0] * x.shape[1]
    z_mean = (x.sum(axis=(0, 1)) - x.shape[0] * mu.sum(axis=0)) / np.sqrt(x.shape[0] * mu.sum(0))
    assert np.abs(z_mean).max() < Z, z_mean
    r2 = ((x - mu) ** 2 / mu).mean(axis=(0, 1))  # 1 for Poisson
    se = np.sqrt((2 + 1 / mu.mean(axis=0)) / n)
    assert np.abs((r2 - 1) / se).max() < Z, (r2, se)


def test_one_line_baskets_are_poisson_per_sku(catalogue):
    d, doy, mu = catalogue
    x = _orders(d, doy, OrdersSpec(), REPS, 1)
    _check_poisson(x, mu)
    a, b = np.argsort(d.base_rate)[-2:]  # the two best sellers: uncorrelated (thinning)
    ra = (x[:, :, a] - mu[:, a]) / np.sqrt(mu[:, a])
    rb = (x[:, :, b] - mu[:, b]) / np.sqrt(mu[:, b])
    r = float((ra * rb).mean())
    assert abs(r) < Z / np.sqrt(ra.size), r


def test_one_line_baskets_match_the_unit_model(catalogue):
    d, doy, mu = catalogue
    x = _orders(d, doy, OrdersSpec(), REPS, 2)
    y = _units(d, doy, REPS, 3)
    _check_poisson(y, mu)  # the unit model itself, the same checks
    n = x.shape[0] * x.shape[1]
    # means: per SKU, the difference of two sums of independent Poisson draws
    diff = x.sum(axis=(0, 1)) - y.sum(axis=(0, 1))
    assert np.abs(diff / np.sqrt(2 * REPS * mu.sum(axis=0))).max() < Z
    # variances of the standardised draws: the same in both models
    rx = ((x - mu) ** 2 / mu).mean(axis=(0, 1))
    ry = ((y - mu) ** 2 / mu).mean(axis=(0, 1))
    se = np.sqrt(2 * (2 + 1 / mu.mean(axis=0)) / n)
    assert np.abs((rx - ry) / se).max() < Z


@pytest.mark.parametrize(
    "spec",
    [
        OrdersSpec(BasketDist.POISSON, 2.5),
        OrdersSpec(BasketDist.GEOMETRIC, 1.8),
        OrdersSpec(BasketDist.FIXED, 3.0, affinity=0.7),
    ],
    ids=["poisson-2.5", "geometric-1.8", "fixed-3-affinity"],
)
def test_baskets_keep_the_means_and_add_variance(catalogue, spec):
    d, doy, mu = catalogue
    x = _orders(d, doy, spec, REPS, 4)
    # the variance of a SKU's daily units is at most mean x (E[L^2] / E[L]) lines-per-order:
    # a z-score with that bound is conservative
    m = spec.lines_mean
    second = {
        BasketDist.POISSON: (m - 1) + (m - 1) ** 2 + 2 * (m - 1) + 1,
        BasketDist.GEOMETRIC: (2 - 1 / m) * m**2,
        BasketDist.FIXED: m * m,
    }[spec.basket]
    bound = second / m
    z = (x.sum(axis=(0, 1)) - REPS * mu.sum(axis=0)) / np.sqrt(bound * REPS * mu.sum(axis=0))
    assert np.abs(z).max() < Z, z
    # baskets of several lines: the best seller's units over-dispersed against Poisson, and
    # no SKU's beyond the bound
    r2 = ((x - mu) ** 2 / mu).mean(axis=(0, 1))
    se = np.sqrt(2 * bound**2 / (x.shape[0] * x.shape[1]))
    assert r2[np.argmax(d.base_rate)] > 1 + Z * se, r2
    assert (r2 < bound + Z * se).all(), r2


def test_the_share_of_baskets_mixing_classes_is_theirs(catalogue):
    """Baskets of 1 + Poisson(1.5) lines: the share holding both small and bulky SKUs is
    ``1 - E[ps^L + pb^L]`` (ps, pb the classes' shares of units); ``affinity`` lowers it."""
    from scipy.stats import poisson

    d, doy, _ = catalogue
    small = d.class_mask("small")
    ps = d.base_rate[small].sum() / d.base_rate.sum()
    size = np.arange(1, 80)
    want = 1 - (poisson.pmf(size - 1, 1.5) * (ps**size + (1 - ps) ** size)).sum()
    mult = demand_mod.multiplier(d, doy)
    got = []
    for affinity in (0.0, 0.8):
        spec = dataclasses.replace(d, orders=OrdersSpec(BasketDist.POISSON, 2.5, affinity))
        o = draw_orders(spec, 1.0, mult, [], (), np.random.default_rng(5))
        is_small = small[o.sku].astype(np.int64)
        n_small = np.add.reduceat(is_small, o.line_start[:-1])
        mixed = (n_small > 0) & (n_small < np.diff(o.line_start))
        got.append((mixed.mean(), mixed.size))
    share, n = got[0]
    assert abs(share - want) < Z * np.sqrt(want * (1 - want) / n), (share, want)
    assert got[1][0] < share - 0.1  # further lines mostly from the first line's class


@pytest.mark.parametrize(
    "spec",
    [
        OrdersSpec(BasketDist.POISSON, 2.5),
        OrdersSpec(BasketDist.GEOMETRIC, 1.8, affinity=0.6),
        OrdersSpec(BasketDist.FIXED, 3.0, affinity=0.3),
    ],
    ids=["poisson-2.5", "geometric-1.8-affinity", "fixed-3-affinity"],
)
def test_whole_baskets_route_as_top_shares_says(catalogue, spec):
    """``strategy.basket=whole`` sends a small SKU's line to the bulky pool when its basket
    holds a bulky line: the share of small lines so sent, counted on drawn baskets, against
    :func:`top_shares` (which the pools' replenishment rates use). The standard error is by
    basket (lines of one basket move together)."""
    from sim.model.baskets import top_shares

    d, _, _ = catalogue
    assert d.classes == ("small", "bulky")
    spec_d = dataclasses.replace(d, orders=spec)
    want = top_shares(spec_d, d.class_rank)[0, 1]
    o = draw_orders(spec_d, 1.0, np.ones(4000), [], (), np.random.default_rng(6))
    small = d.class_mask("small")[o.sku]
    has_bulky = np.add.reduceat((~small).astype(np.int64), o.line_start[:-1]) > 0
    moved = np.bincount(o.line_order, weights=small & has_bulky[o.line_order])
    lines = np.bincount(o.line_order, weights=small)
    share = moved.sum() / lines.sum()
    se = np.sqrt(((moved - share * lines) ** 2).sum()) / lines.sum()
    assert abs(share - want) < Z * se, (share, want, se)
    assert se < 0.002  # a test that could fail: the share is pinned to a fifth of a point
