"""Every curated scenario has a written note with its sources, its measured effect and questions
for a class; the figures the note takes from its sources (dates, durations, capacity and service
factors, multipliers and surcharges, node settings, extra transit days, warehouse capacity) are
the ones the overlay and its network really use; and its ``effect`` block is complete and says
``hurts`` exactly when its cost and its performance loss are both above zero
(``test_effects.py`` measures the figures again)."""

from __future__ import annotations

import math

import pytest

from sim.config.compose import load, scenarios
from sim.config.paths import scenario_network
from sim.core.enums import NodeKind
from sim.plan import make_plan

from .effects import FIGURES, SIGNED
from .notes import EFFECT_COMMAND, SECTIONS, list_items, measured_day, note_path, read_note

NAMES = list(scenarios())
EFFECT_FIELDS = (
    "capacity_factor",
    "service_factor",
    "multiplier",
    "surcharge_per_kg",
    "surcharge_per_shipment",
    "inspection_prob",
    "hold_factor",
    "loss_prob",
    "stop",
)


def test_the_six_historical_scenarios_are_listed():
    assert {
        "suez_2021",
        "red_sea_2023",
        "west_coast_lockout_2002",
        "shanghai_lockdown_2022",
        "us_east_gulf_strike_2024",
        "peak_surge_2021",
    } <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_note_has_sources_and_questions(name):
    assert note_path(name).exists(), f"scenarios/{name}.md is missing"
    front, sections = read_note(name)
    for title in SECTIONS:
        assert sections.get(title), f"{name}.md: section '## {title}' missing or empty"
    sources = list_items(sections["Sources"])
    assert len(sources) >= 2, f"{name}.md: at least two sources"
    assert any("http" in s for s in sources), f"{name}.md: sources with an address"
    assert 2 <= len(list_items(sections["Questions for a class"])) <= 4
    assert front.get("title") and front.get("kind") in ("historical", "what-if")


@pytest.mark.parametrize("name", NAMES)
def test_note_figures_match_the_overlay(name):
    front, _ = read_note(name)
    sc, _ = load([f"scenario={name}"])
    assert front["network"] == sc.network.name == scenario_network(name)
    sdoy = front.get("start_day_of_year", 1)
    assert sc.experiment.start_day_of_year == sdoy
    warmup = sc.experiment.warmup_days
    by_key = {d.source.rsplit(".", 1)[1]: d for d in sc.disruptions.scripted}
    figures = front["disruptions"]
    assert set(figures) == set(by_key), "the note documents every scripted disruption"
    for key, f in figures.items():
        d = by_key[key]
        where = f"{name}.md disruptions.{key}"
        assert d.kind.value == f["kind"] and d.target == f["target"], where
        start, duration = d.start - warmup, d.end - d.start
        if "from" in f:
            assert start == measured_day(f["from"], sdoy), (where, "from", start)
            assert duration == (f["to"] - f["from"]).days, (where, "to", duration)
        else:
            assert start == f["start_day"] and duration == f["duration_days"], where
        for field in EFFECT_FIELDS:
            if field in f:
                assert getattr(d.effect, field) == f[field], (where, field)
        if "on_closure" in f:
            assert d.effect.reroute == (f["on_closure"] == "reroute"), where
    for node_id, settings in front.get("nodes", {}).items():
        node = sc.network.node_by_id[node_id]
        for key, value in settings.items():
            assert getattr(node, key) == value, (name, node_id, key)
    if "extra_transit_days" in front:
        lanes = sc.network.lanes
        pairs = [
            (a, b)
            for a in lanes
            for b in lanes
            if a.via == "Suez" and b.via == "Cape of Good Hope" and (a.src, a.dst) == (b.src, b.dst)
        ]
        assert pairs, "the network has Suez and Cape loops between the same ports"
        for a, b in pairs:
            assert b.transit.mean - a.transit.mean == front["extra_transit_days"], (a.id, b.id)
    if "warehouse_capacity_days" in front:
        plan = make_plan(sc)
        per_unit_scale = float(sc.demand.base_rate.sum())
        for wh in sc.network.of_kind(NodeKind.WAREHOUSE):
            scale = sum(sc.network.node_by_id[m].demand_scale for m in plan.served_by(wh.id))
            want = math.ceil(round(front["warehouse_capacity_days"] * scale * per_unit_scale, 9))
            assert wh.capacity == want, (wh.id, wh.capacity, want)


@pytest.mark.parametrize("name", NAMES)
def test_note_states_its_measured_effect(name):
    front, sections = read_note(name)
    effect = front.get("effect")
    assert effect, f"{name}.md: no effect block (python -m tests.scenarios.effects --yaml {name})"
    assert set(effect) == {"hurts", "replications", *FIGURES}, sorted(effect)
    assert effect["replications"] >= 30
    for key in FIGURES:
        f = effect[key]
        assert set(f) == {"mean", "low", "high"} and f["low"] <= f["mean"] <= f["high"], key
    assert effect["hurts"] == all(effect[key]["low"] > 0 for key in SIGNED), name
    text = sections["Measured effect"]
    assert f"{EFFECT_COMMAND} --replications {effect['replications']} {name}" in text
