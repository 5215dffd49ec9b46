"""Shared fixtures: the default scenario composed once per session, small variants of it; and
:func:`require`, for the tests that need a program from the system."""

from __future__ import annotations

import math
import os
import shutil

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


def same_kpis(a: dict[str, float], b: dict[str, float]) -> bool:
    """Two KPI dicts hold the same numbers, bit for bit (an empty KPI is NaN in both)."""
    return a.keys() == b.keys() and all(
        a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a
    )


# Set by .ci/run: there, a missing program fails the test that needs it instead of skipping it.
REQUIRE_TOOLS = "RIPPLE_REQUIRE_TOOLS"


def require(program: str, package: str, *aliases: str) -> str:
    """The path of ``program`` (or one of its ``aliases``). Missing, the test is skipped with a
    reason naming the Debian package to install, or fails where ``RIPPLE_REQUIRE_TOOLS`` is
    set (CI must run it)."""
    for name in (program, *aliases):
        path = shutil.which(name)
        if path is not None:
            return path
    why = f"{program} not found: install it (apt-get install {package}) to run this test"
    if os.environ.get(REQUIRE_TOOLS, "") not in ("", "0"):
        pytest.fail(f"{why}; {REQUIRE_TOOLS} is set, so a missing program is a failure")
    pytest.skip(why)
