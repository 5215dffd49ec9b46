"""An outlet's demand as the lines of each day: the same units as the days x SKUs matrix."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.model.daylines import DayLines

MATRICES = st.tuples(st.integers(1, 6), st.integers(1, 9)).flatmap(
    lambda s: arrays(np.int64, s, elements=st.integers(0, 3))
)


@settings(max_examples=200, deadline=None)
@given(MATRICES)
def test_from_dense_keeps_every_unit_in_sku_order(units):
    lines = DayLines.from_dense(units)
    assert np.array_equal(lines.dense(), units)
    assert lines.total() == units.sum()
    assert (lines.qty > 0).all()
    for day in range(units.shape[0]):
        sku, qty = lines.on(day)
        assert np.array_equal(sku, np.flatnonzero(units[day]))
        assert np.array_equal(qty, units[day][sku])


@settings(max_examples=200, deadline=None)
@given(MATRICES)
def test_from_keys_counts_one_unit_per_key(units):
    days, n_sku = units.shape
    flat = np.arange(units.size)
    key = np.repeat(flat, units.reshape(-1))  # sorted: a key per unit
    lines = DayLines.from_keys(key, days, n_sku)
    assert np.array_equal(lines.dense(), units)
    assert np.array_equal(lines.start, DayLines.from_dense(units).start)
