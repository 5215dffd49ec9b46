"""The fulfilment strategies: the plan each derives on the default network, and the mechanisms
they rely on (FC storage limits, pre-season stocking, sales channels, demand that answers
delivery speed, customer returns)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import kpis
from sim.core.enums import Cause, NodeKind, Tier
from sim.model import build_model, handlers
from sim.model.demand import day_of_year, mean_matrix
from sim.run.replication import simulate

from ..conftest import scenario

QUICK = ["experiment=quick"]


def _tiers(plan):
    return {p.id: p.tier for p in plan.pools}


def test_direct_keeps_stock_at_the_plants_and_ships_parcels_through_express_customs():
    sc, plan = scenario([*QUICK, "strategy=direct"])
    kinds = {sc.network.node_by_id[p.node].kind for p in plan.pools}
    assert kinds == {NodeKind.FACTORY} and set(_tiers(plan).values()) == {Tier.ORIGIN}
    assert len(plan.outlets) == len(plan.markets) * len(sc.demand.classes)
    for o in plan.outlets:
        assert "CUS_EXPRESS" in o.route.nodes and not o.local and o.route.expected_days > 5
    r = simulate(sc, plan, 0)
    lead = r.deliveries[:, 2] - r.deliveries[:, 0]
    assert lead.min() > 2.0  # never a one-lane last mile


def test_source_hub_is_one_pool_for_every_market():
    sc, plan = scenario([*QUICK, "strategy=source_hub"])
    assert [p.id for p in plan.pools] == ["HUB_SHENZHEN"]
    assert {o.market for o in plan.outlets} == set(plan.markets)
    assert all("CUS_LAX" in o.route.nodes for o in plan.outlets)
    assert {s.factory for s in plan.supply} == {"FAC_SHENZHEN", "FAC_SUZHOU"}


def test_forward_fc_reservoir_feeds_every_fc():
    sc, plan = scenario([*QUICK, "strategy=forward_fc"])
    tiers = _tiers(plan)
    assert tiers["WH_INLAND_EMPIRE/reservoir"] is Tier.RESERVOIR
    fcs = [p for p, t in tiers.items() if t is Tier.FC]
    assert sorted(fcs) == ["FC_CENTRAL", "FC_EAST", "FC_WEST"]
    assert sorted(f.pool for f in plan.feeds) == sorted(fcs)
    assert all(s.pool_id == "WH_INLAND_EMPIRE/reservoir" for s in plan.supply)


def test_hybrid_sends_small_forward_and_bulky_to_overseas_warehouses():
    sc, plan = scenario([*QUICK, "strategy=hybrid_by_size"])
    tiers = _tiers(plan)
    for o in plan.outlets:
        assert o.size_class in ("small", "bulky")
        assert tiers[o.pool] is (Tier.FC if o.size_class == "small" else Tier.WAREHOUSE)


def test_pooled_and_separate_channels_see_the_same_demand():
    a_sc, a_plan = scenario([*QUICK, "strategy=pooled_multichannel"])
    b_sc, b_plan = scenario([*QUICK, "strategy=separate_channels"])
    assert len(b_plan.pools) == 2 * len(a_plan.pools)
    h = handlers.load(handlers.default_backend())
    a = build_model(a_sc, a_plan, 0, h)
    b = build_model(b_sc, b_plan, 0, h)
    for x, y in zip(a.outlets, b.outlets):
        assert np.array_equal(x.demand.dense(), y.demand.dense())
    # the channel split is a partition of the market's demand
    whole = build_model(*scenario(QUICK), 0, h)
    total = sum(o.demand.dense() for o in a.outlets if o.market.index == 0)
    assert np.array_equal(total, whole.outlets[0].demand.dense())


def test_fc_stock_stays_within_its_storage_limit_tighter_in_peak():
    over = [
        "experiment.warmup_days=60",
        "experiment.horizon_days=365",
        "experiment.start_day_of_year=1",
        "strategy=forward_fc",
    ]
    sc, plan = scenario([*QUICK, *over])
    m = build_model(sc, plan, 0, handlers.load(handlers.default_backend()))
    r = m.run()
    st = sc.strategy
    doy = day_of_year(1, 60, m.n_days)
    for wh in m.warehouses:
        if wh.tier != "fc":
            continue
        cap = np.floor(st.fc_capacity_days * wh.rate).sum()
        peak_cap = np.floor(st.fc_capacity_days * st.peak_capacity_factor * wh.rate).sum()
        on_hand = r.on_hand[:, wh.index]
        assert on_hand.max() <= cap
        settled = (doy >= st.peak_start_doy + 30) & (doy <= st.peak_end_doy)
        assert settled.any() and on_hand[settled].max() <= peak_cap
        assert on_hand[~settled].max() > peak_cap  # the limit binds only in peak


@pytest.mark.parametrize("policy", ["base_stock", "RQ", "sS"])
def test_reservoir_stocks_up_before_the_peak(policy):
    """Under every policy: pre-season stocking raises the reorder point with the order-up-to
    level, so the reservoir holds more before the peak (under (R, Q) raising only the
    order-up-to level would change nothing)."""
    over = [
        *QUICK,
        "experiment.warmup_days=60",
        "experiment.horizon_days=300",
        "strategy=forward_fc",
        f"policy={policy}",
    ]
    res = {}
    for days in (0.0, 20.0):
        sc, plan = scenario([*over, f"strategy.prestock_days={days}"])
        r = simulate(sc, plan, 0)
        j = r.warehouse_ids.index("WH_INLAND_EMPIRE")
        doy = day_of_year(1, 60, r.on_hand.shape[0])
        res[days] = r.on_hand[(doy >= 240) & (doy < 274), j].mean()
    assert res[20.0] > 1.2 * res[0.0]


def test_demand_answers_delivery_speed():
    """Measured demand over the year matches the mean demand times each outlet's speed
    multiplier (1.13 ** (2 - expected delivery days)) within 1%."""
    for strategy in ("forward_fc", "direct"):
        sc, plan = scenario(
            ["experiment.replications=1", "demand=ecommerce", f"strategy={strategy}"]
        )
        r = simulate(sc, plan, 0)
        doy = day_of_year(
            sc.experiment.start_day_of_year, sc.experiment.warmup_days, r.demand.shape[0]
        )
        d = sc.demand
        expected = 0.0
        for o in plan.outlets:
            mean = mean_matrix(d, sc.network.node_by_id[o.market].demand_scale, doy)
            mask = d.class_mask(o.size_class) if o.size_class else np.ones(len(d.skus), bool)
            expected += mean[:, mask].sum() * d.speed_multiplier(o.route.expected_days)
        measured = r.demand.sum()
        mult = [d.speed_multiplier(o.route.expected_days) for o in plan.outlets]
        assert (min(mult) > 1.05) if strategy == "forward_fc" else (max(mult) < 0.7)
        assert measured == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize(
    "strategy,overseas,local",
    [
        ("overseas_warehouse", "write_off", True),
        ("direct", "write_off", False),
        ("direct", "ship_back", False),
    ],
)
def test_returns_share_and_disposal(strategy, overseas, local):
    sc, plan = scenario(
        [
            "experiment.replications=1",
            "demand=ecommerce",
            f"demand.returns.overseas={overseas}",
            f"strategy={strategy}",
        ]
    )
    m = build_model(sc, plan, 0, handlers.load(handlers.default_backend()))
    r = m.run()
    k = kpis.compute(r, sc)
    share = k["returned_units"] / k["shipped_units"]
    assert share == pytest.approx(sc.demand.returns.share, abs=0.005)
    written_off = k["written_off_units"]
    if local or overseas == "ship_back":
        assert written_off == 0 and m.returns.written_off.sum() == 0
    else:  # every return that arrived in the window was written off
        assert (
            0.8 * k["returned_units"]
            < written_off
            <= k["returned_units"] + m.returns.written_off.sum()
        )
    assert k["cost_returns"] > 0
    assert k["margin"] == pytest.approx(k["revenue"] - k["cost_goods"] - k["total_cost"])


@pytest.mark.parametrize("policy", ["sS", "RQ"])
def test_fc_storage_limit_cuts_orders_under_every_policy(policy):
    """Regression: an (s, S) reorder point above the FC's space gave negative orders."""
    sc, plan = scenario(
        [*QUICK, f"policy={policy}", "demand=ecommerce", "strategy=forward_fc", "seed=1000"]
    )
    m = build_model(sc, plan, 0, handlers.load(handlers.default_backend()))
    m.run()  # conservation is checked at the end
    for wh in m.warehouses:
        assert (wh.stock.on_order >= 0).all()
        if wh.cap is not None:  # on order never beyond the space (returns may fill it)
            assert (wh.stock.on_order <= wh.cap).all()


def test_deliveries_of_several_legs_reroute_around_a_closure():
    """Direct parcels whose first lane is suspended go by another open route of the delivery
    modes (the express parcel route) instead of waiting out the closure; without rerouting
    they wait."""
    over = [
        "experiment=quick",
        "strategy=direct",
        "strategy.delivery_modes=[parcel,road,air]",
        "+disruption.scripted.s.kind=route_suspension",
        "+disruption.scripted.s.target=fac_shenzhen__air_szx",
        "+disruption.scripted.s.start=100",
        "+disruption.scripted.s.duration=20",
    ]
    seen = {}
    for reroute in (True, False):
        sc, plan = scenario([*over, f"strategy.reroute={str(reroute).lower()}"])
        assert all(o.route.lanes[0] == "fac_shenzhen__air_szx" for o in plan.outlets[:3])
        r = simulate(sc, plan, 0)
        lane = {ln.id: i for i, ln in enumerate(sc.network.lanes)}
        w = r.waits[r.waits[:, 4] > 0]
        parcel = w[(w[:, 2] == Cause.TRANSIT) & (w[:, 1] == lane["fac_shenzhen__cus_express"])]
        waited = w[(w[:, 2] == Cause.CLOSURE_WAIT) & (w[:, 1] == lane["fac_shenzhen__air_szx"])]
        seen[reroute] = (parcel[:, 0], len(waited))
    start, end = 60 + 100, 60 + 120
    rerouted, waits = seen[True]
    assert len(rerouted) >= 3 * 19 and ((rerouted >= start) & (rerouted < end + 1)).all()
    assert waits <= 1  # at most a delivery already at the lane when it closed
    assert len(seen[False][0]) == 0 and seen[False][1] >= 3 * 19


def test_deliveries_split_by_a_lanes_room_per_departure():
    """The hub's daily air freight on a lane with room for 300 units a flight: what does not fit
    goes on the next flight, as its own part; no flight carries more than its room, and every
    unit shipped is delivered or still on its way (the model checks conservation)."""
    sc, plan = scenario(
        [
            "experiment=quick",
            "strategy=source_hub",
            "network.lanes.air_szx__air_lax.capacity=300",
        ]
    )
    r = simulate(sc, plan, 0)
    lane = [ln.id for ln in sc.network.lanes].index("air_szx__air_lax")
    w = r.waits[(r.waits[:, 2] == Cause.TRANSIT) & (r.waits[:, 1] == lane) & (r.waits[:, 4] > 0)]
    flights, booked = np.unique(w[:, 0], return_inverse=True)
    per_flight = np.bincount(booked, weights=w[:, 4])
    assert per_flight.max() <= 300 and (per_flight == 300).sum() > 10  # full flights, not more
    assert len(w) > len(flights)  # parts of split deliveries share flights with others
