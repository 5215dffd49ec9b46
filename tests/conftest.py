"""Shared fixtures: the default scenario composed once per session, small variants of it."""

from __future__ import annotations

import pytest

from sim.config.compose import load
from sim.plan import make_plan

QUICK = ["experiment=quick"]


@pytest.fixture(scope="session")
def default_scenario():
    sc, _ = load([])
    return sc, make_plan(sc)


@pytest.fixture(scope="session")
def quick_scenario():
    sc, _ = load(QUICK)
    return sc, make_plan(sc)


def scenario(overrides: list[str]):
    """Compose, validate and plan a scenario from overrides."""
    sc, _ = load(overrides)
    return sc, make_plan(sc)
