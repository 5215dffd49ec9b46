"""Every scenario of ``ripple scenarios`` runs with its seed, and its key figures match the saved
summary (``tests/scenarios/summary.json``) to a relative 1e-9: the model is deterministic, so a
change that moves a scenario's figures is seen here. If the change is intended, regenerate the
summary deliberately (``python -m tests.scenarios.regen NAME``) and commit it with the change."""

from __future__ import annotations

import pytest

from sim.config.compose import scenarios

from .summaries import same, saved, summarise

NAMES = list(scenarios())


def test_every_scenario_has_a_saved_summary():
    missing = sorted(set(NAMES) - set(saved()))
    assert not missing, f"no saved figures for {missing}: python -m tests.scenarios.regen NAME"
    stale = sorted(set(saved()) - set(NAMES))
    assert not stale, f"saved figures of scenarios that no longer exist: {stale}"


@pytest.mark.parametrize("name", NAMES)
def test_key_figures_match_the_saved_summary(name):
    want = saved().get(name)
    if want is None:
        pytest.fail(f"no saved figures for {name}: python -m tests.scenarios.regen {name}")
    got = summarise(name)
    assert set(got) == set(want), sorted(set(got) ^ set(want))
    moved = {k: (want[k], got[k]) for k in want if not same(got[k], want[k])}
    assert not moved, f"{name}: figures moved (saved, now): {moved}"
    assert 0.0 < got["fill_rate"] <= 1.0 and got["disrupted_days"] > 0
