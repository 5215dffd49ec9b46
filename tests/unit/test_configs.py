"""Every YAML in configs/ composes and validates; the default scenario is what the docs say."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config.compose import config_dir, load
from sim.core.enums import Mode, NodeKind
from sim.plan import make_plan

GROUPS = ("network", "demand", "policy", "strategy", "disruption", "experiment")


def _options():
    root = config_dir()
    for group in GROUPS:
        for f in sorted((root / group).glob("*.yaml")):
            yield f"{group}={f.stem}"


def test_every_group_has_options():
    root = config_dir()
    for group in GROUPS:
        assert list((root / group).glob("*.yaml")), group
    assert {p.name for p in Path(root).iterdir() if p.is_dir()} >= set(GROUPS)


@pytest.mark.parametrize("override", list(_options()))
def test_option_composes_and_validates(override):
    sc, _ = load([override])
    plan = make_plan(sc)
    assert plan.warehouses and plan.markets


def test_default_scenario_is_the_documented_network():
    sc, _ = load([])
    net = sc.network
    ids = set(net.node_by_id)
    assert {
        "PORT_YANTIAN",
        "PORT_SHANGHAI",
        "PORT_NINGBO",
        "PORT_LALB",
        "PORT_OAKLAND",
        "PORT_SEATAC",
    } <= ids
    assert len(net.of_kind(NodeKind.WAREHOUSE)) >= 3
    assert len(net.of_kind(NodeKind.MARKET)) >= 3
    assert len(net.of_kind(NodeKind.CUSTOMS)) >= 1
    regions = {f.region for f in net.of_kind(NodeKind.FACTORY)}
    assert {"CN-South", "CN-East"} <= regions
    assert len(sc.demand.skus) >= 20 and len(sc.demand.classes) == 2
    sea = [ln for ln in net.lanes if ln.mode is Mode.SEA]
    assert sea and all(10.0 <= ln.transit.mean <= 21.0 for ln in sea)
    assert any(ln.mode is Mode.AIR for ln in net.lanes)
    assert sc.experiment.horizon_days == 365 and sc.experiment.warmup_days > 0
