"""A reacting planner moves a pool's levels with the lead time its receipts show, as it saw
them ``reaction_delay_days`` ago; a static one never does."""

from __future__ import annotations

import numpy as np

from sim.model.planner import LeadTimes
from sim.run.replication import run_replication

from ..conftest import scenario


def test_levels_follow_the_lead_time_seen_after_the_delay():
    rate = np.array([2.0, 0.5, 0.0])
    lt = LeadTimes(rate, delay=14.0, window=28.0)
    assert not lt.shift(5.0).any()  # nothing seen yet
    for t in range(10, 60, 5):  # warm-up receipts after 30 days
        lt.record(float(t), float(t) - 30.0)
    lt.mark_warmup()
    assert lt.reference == 30.0 and not lt.shift(70.0).any()
    for t in range(62, 120, 4):  # from day 62 receipts take 42 days
        lt.record(float(t), float(t) - 42.0)
    assert not lt.shift(75.0).any()  # day 62's receipt is seen only on day 76
    # Day 76 sees the receipts of days 35-62: five of 30 days and one of 42, 32 days on average.
    assert lt.shift(76.0).tolist() == [round(2.0 * (32.0 - 30.0)), round(0.5 * 2.0), 0]
    # Once only the long lead times are in the window, the levels carry all 12 days more.
    assert lt.shift(62 + 14 + 29).tolist() == [24, 6, 0]
    assert lt.receipts(62.0) == 15


def test_a_reacting_planner_keeps_more_service_through_the_red_sea_year():
    """Paired, replication by replication: same draws, only the planner differs."""
    base = ["experiment=quick", "scenario=red_sea_2023"]
    static = scenario([*base, "policy.planner=static"])
    reacting = scenario([*base, "policy.planner=reacting"])
    for rep in range(2):
        a = run_replication(*static, rep).kpis
        b = run_replication(*reacting, rep).kpis
        assert b["fill_rate"] > a["fill_rate"] + 0.02
        assert b["performance_loss"] < a["performance_loss"]
        assert b["avg_on_hand"] > a["avg_on_hand"]  # it holds more to cover the longer trip
