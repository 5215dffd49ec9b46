"""Units are conserved in every run: produced = on hand + in transit + delivered + lost +
returning + written off, whatever the strategy, policy, demand and returns."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.core.errors import ConservationError
from sim.model import build_model, handlers

from ..conftest import scenario

variant = st.fixed_dictionaries(
    {
        "policy": st.sampled_from(["base_stock", "sS", "RQ", "lost_sales"]),
        "demand": st.sampled_from(["consumer_goods", "negbin", "ecommerce"]),
        "strategy": st.sampled_from(
            [
                "overseas_warehouse",
                "air_replenishment",
                "direct",
                "source_hub",
                "forward_fc",
                "hybrid_by_size",
                "pooled_multichannel",
                "separate_channels",
            ]
        ),
        "overseas": st.sampled_from(["write_off", "ship_back"]),
        "loss": st.sampled_from([0.0, 0.1]),
        "capacity": st.sampled_from([0, 500, 4000]),
        "seed": st.integers(0, 10_000),
    }
)


@settings(max_examples=24, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v=variant)
def test_conservation_holds(v):
    sc, plan = scenario(
        [
            "experiment=quick",
            f"policy={v['policy']}",
            f"demand={v['demand']}",
            f"strategy={v['strategy']}",
            f"seed={v['seed']}",
            f"network.lanes.port_yantian__port_lalb.loss_prob={v['loss']}",
            f"network.lanes.air_szx__air_lax.loss_prob={v['loss']}",
            f"network.lanes.port_shanghai__port_lalb.capacity={v['capacity']}",
            f"network.lanes.air_pvg__air_lax.capacity={v['capacity']}",
            f"demand.returns.overseas={v['overseas']}",
        ]
    )
    m = build_model(sc, plan, 0, handlers.load(handlers.default_backend()))
    m.run()  # raises ConservationError on any imbalance
    on_hand = sum(wh.stock.on_hand for wh in m.warehouses)
    assert np.array_equal(
        m.produced,
        on_hand
        + m.pipeline
        + m.last_mile
        + m.delivered
        + m.lost
        + m.returns.returning
        + m.returns.written_off,
    )
    assert m.delivered.sum() > 0
    if v["demand"] != "ecommerce":
        assert m.returns.returning.sum() == 0 and m.returns.written_off.sum() == 0
    if v["loss"] == 0:
        assert m.lost.sum() == 0


def test_check_catches_a_leak(quick_scenario):
    sc, plan = quick_scenario
    m = build_model(sc, plan, 0, handlers.load(handlers.default_backend()))
    m.env.run(until=30)
    m.delivered[0] += 1
    with pytest.raises(ConservationError):
        m.check_conservation()
