"""Inverting cumulative weights: the guide-table draw gives the binary search's answer."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.baskets import pick


def _reference(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, u * cdf[-1], side="right"), cdf.size - 1)


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(
        st.one_of(st.just(0.0), st.floats(1e-9, 1e6, allow_nan=False)), min_size=1, max_size=60
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_pick_is_the_binary_search(weights, seed):
    cdf = np.cumsum(np.array(weights))
    if cdf[-1] == 0.0:
        cdf[-1] = 1.0  # a positive total, as every mix has
    rng = np.random.default_rng(seed)
    u = rng.random(16 * cdf.size + 50)  # enough draws for the guide table
    u[:4] = [0.0, np.nextafter(1.0, 0.0), 0.5, 1e-300]
    np.testing.assert_array_equal(pick(cdf, u), _reference(cdf, u))


def test_pick_hits_every_edge_exactly():
    """Draws that land exactly on cumulative weights and on the table's bin edges."""
    cdf = np.cumsum(np.array([1.0, 2.0, 0.0, 0.5, 4.0, 0.25] * 20))
    total = cdf[-1]
    m = 4 * cdf.size
    u = np.concatenate([cdf / total, np.arange(m) / m, np.random.default_rng(1).random(5000)])
    u = u[u < 1.0]
    np.testing.assert_array_equal(pick(cdf, u), _reference(cdf, u))


def test_pick_follows_the_weights():
    """A Zipf mix over 10,000 SKUs: the shares drawn match the weights (500,000 draws)."""
    w = 1.0 / np.arange(1, 10_001) ** 1.1
    u = np.random.default_rng(7).random(500_000)
    got = np.bincount(pick(np.cumsum(w), u), minlength=w.size)
    p = w / w.sum()
    top = slice(0, 20)  # enough draws each for a 4.5-sigma band
    sd = np.sqrt(u.size * p[top] * (1 - p[top]))
    assert np.all(np.abs(got[top] - u.size * p[top]) < 4.5 * sd)
