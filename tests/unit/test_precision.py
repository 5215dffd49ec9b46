"""Sequential stopping on synthetic replications: targets are parsed strictly, the experiment
grows until every half-width is under its target (or the cap) and stops at the first size
that meets them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.core.errors import ConfigError
from sim.run.precision import Sequential, next_size, parse_targets, status

KNOWN = ("fill_rate", "total_cost")
UNITS = {"fill_rate": "share of units", "total_cost": "USD"}


def test_parse_targets():
    assert parse_targets("fill_rate=0.005, total_cost=2000", KNOWN) == {
        "fill_rate": 0.005,
        "total_cost": 2000.0,
    }
    for bad in (
        "fill=0.1",
        "fill_rate=0",
        "fill_rate=-1",
        "fill_rate=abc",
        "fill_rate",
        "fill_rate=nan",
        "fill_rate=inf",
        "fill_rate=1,fill_rate=2",
        ",",
        "=1",
    ):
        with pytest.raises(ConfigError) as e:
            parse_targets(bad, KNOWN)
        assert "--precision" in str(e.value), bad


def _population(seed: int = 3, size: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "replication": np.arange(size),
            "fill_rate": rng.normal(0.95, 0.02, size),
            "total_cost": rng.normal(1e6, 2e4, size),
        }
    )


def test_grows_until_met_and_stops_at_the_first_size_that_meets():
    pop = _population()
    calls: list[int] = []

    def run_to(n: int) -> pd.DataFrame:
        calls.append(n)
        return pop.iloc[:n]

    targets = {"fill_rate": 0.004, "total_cost": 5000.0}
    result, out = Sequential(run_to, lambda df: df, targets, UNITS).run(4, 400)
    print(out.describe())
    assert out.met and out.n == len(result) == calls[-1] and out.sizes == calls
    assert 4 < out.n < 400 and calls == sorted(calls)
    assert (out.status["half_width"] < out.status["target"]).all()
    for n in calls[:-1]:  # every earlier size missed some target
        assert not status(pop.iloc[:n], targets, UNITS)["met"].all()
    # each round at least half the starting size more, at most double
    assert all(b - a >= 2 and b <= 2 * a for a, b in zip(calls, calls[1:]))
    assert "precision targets met" in out.describe() and f"after {out.n} " in out.describe()


def test_stops_at_the_cap_when_the_target_is_out_of_reach():
    pop = _population()
    grouped = pd.concat([pop.assign(strategy="a"), pop.assign(strategy="b")])
    result, out = Sequential(
        lambda n: grouped[grouped["replication"] < n],
        lambda df: df,
        {"total_cost": 1.0},
        UNITS,
        by="strategy",
    ).run(8, 50)
    assert not out.met and out.n == 50 and out.sizes[-1] == 50
    assert len(result) == 100 and set(out.status["strategy"]) == {"a", "b"}
    assert "NOT met after the cap of 50" in out.describe()


def test_next_size_bounds():
    st = pd.DataFrame({"half_width": [0.02, 1.0], "target": [0.01, 10.0]})
    assert next_size(st, 10, 2, 1000) == 20  # predicted 40: at most double
    st = pd.DataFrame({"half_width": [0.0105], "target": [0.01]})
    assert next_size(st, 10, 3, 1000) == 13  # predicted 12: at least n + step
    st = pd.DataFrame({"half_width": [0.012], "target": [0.01]})
    assert next_size(st, 10, 2, 1000) == 15  # ceil(10 x 1.2^2)
    assert next_size(st, 10, 2, 13) == 13  # never past the cap
    st = pd.DataFrame({"half_width": [np.nan], "target": [0.01]})
    assert next_size(st, 10, 2, 1000) == 20
