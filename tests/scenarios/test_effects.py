"""Every curated scenario still does what its note says it does: the ``effect`` block of the
note's front matter holds the figures measured by ``python -m tests.scenarios.effects`` (mean
and 95% interval over its replications), and this test measures them again, on the same
replications, and compares.

- A figure whose documented interval lies above zero (or below) must still lie above (below)
  zero, with a mean within a factor :data:`FACTOR` of the documented one. So a scenario whose
  note says it hurts (``hurts: true``: disruption cost and performance loss both above zero,
  with the lower ends of their 95% intervals above zero) fails here when it stops hurting.
- A figure whose documented interval contains zero (an effect the note says is not there) must
  keep its mean within the documented interval widened by the interval's own width on each
  side: a small change may tip an interval that barely contains zero over it, a change that
  makes the effect real moves the mean out.
- :data:`FACTOR` is 2: the model is deterministic, so on the same replications any difference is
  a change of the model (the saved summaries catch every such change to 1e-9); one that halves
  or doubles a documented effect changes what the note tells a reader, who must then see it
  re-measured (``python -m tests.scenarios.effects --yaml NAME``). The widest 95% intervals of
  the documented figures span about half their mean either side, so a factor 2 is also about
  what a different set of 30 replications could move them by.
- The fill rate must be within :data:`FILL_TOLERANCE` of the documented one.

The scenarios run on the processes executor (two workers), as many replications as the notes
say (30): about 60 CPU-seconds for all of them.
"""

from __future__ import annotations

import math

import pytest

from sim.config.compose import scenarios

from .effects import SIGNED, figures, hurts, kpis
from .notes import read_note

NAMES = list(scenarios())
FACTOR = 2.0
FILL_TOLERANCE = 0.01


def within(documented: float, measured: float) -> bool:
    """``measured`` has the sign of ``documented`` and is within a factor FACTOR of it."""
    return documented / FACTOR <= measured <= documented * FACTOR or (
        documented * FACTOR <= measured <= documented / FACTOR
    )


@pytest.mark.parametrize("name", NAMES)
def test_scenario_keeps_its_documented_effect(name):
    front, _ = read_note(name)
    doc = front["effect"]
    got = figures(kpis(name, doc["replications"]))
    for key in SIGNED:
        d, (mean, lo, hi) = doc[key], got[key]
        where = f"{name} {key}: documented {d}, measured {mean:.4g} [{lo:.4g}, {hi:.4g}]"
        if d["low"] > 0:
            assert lo > 0 and within(d["mean"], mean), where
        elif d["high"] < 0:
            assert hi < 0 and within(d["mean"], mean), where
        else:
            width = d["high"] - d["low"]
            assert d["low"] - width <= mean <= d["high"] + width, where
    if doc["hurts"]:
        assert hurts(got), f"{name}: the note says it hurts; measured {got}"
    fill = got["fill_rate"][0]
    assert math.isclose(fill, doc["fill_rate"]["mean"], abs_tol=FILL_TOLERANCE), (name, fill)
