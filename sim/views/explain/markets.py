"""Service at the markets in ``ripple explain``: each market's worst daily service level after a
disruption began and how long until it recovered, by the rule of the ``time_to_recover`` KPI
(:func:`sim.analysis.resilience.recovery_day`) against its undisrupted level."""

from __future__ import annotations

import math

import numpy as np

from ...analysis import resilience
from .group import Group
from .windows import Anchor
from .words import Calendar, day_text, pct, share, stat, when


def market_service(g: Group, w: Anchor, served: dict[str, str], cal: Calendar) -> list[str]:
    """Per market: the worst daily service level from the start, and the recovery time."""
    start = w.start
    first = max(int(math.floor(start)), 0)
    mk = g.daily[(g.daily["kind"] == "market") & g.daily["replication"].isin(w.reps)]
    band, m = resilience.BAND, resilience.SMOOTH_DAYS
    lines = []
    for node, grp in mk.groupby("node", sort=True):
        worst, worst_day, base_at, rec, never_left, not_back = [], [], [], [], 0, 0
        for _, r in grp.groupby("replication"):
            r = r.sort_values("day")
            demand = r["demand"].to_numpy(float)
            shipped = r["shipped"].to_numpy(float)
            base = r["baseline_service_level"].fillna(0).to_numpy(float) * demand
            sl, sb = (
                resilience.service_level(shipped, demand),
                resilience.service_level(base, demand),
            )
            i = first + int(np.argmin(sl[first:]))
            worst.append(sl[i])
            worst_day.append(float(r["day"].iloc[i]))
            base_at.append(sb[i])
            low = (
                resilience.service_level(shipped, demand, m)
                < resilience.service_level(base, demand, m) - band
            )
            day = resilience.recovery_day(low, first)
            if day == first:
                never_left += 1
            elif day is None:
                not_back += 1
            else:
                rec.append(day - start)
        n = grp["replication"].nunique()
        who = f"{node} (served by {served[node]})" if node in served else node
        parts = [
            f"  - {who}: worst daily service {stat(worst, pct, bounded=True)} on "
            f"{when(worst_day, cal)}, against {stat(base_at, pct, bounded=True)} that day "
            "without the disruption"
        ]
        if rec:
            parts.append(
                f"back within {100 * band:.0f} points of the undisrupted level "
                f"{stat(rec, day_text, 'days')} after it began{share(len(rec), n)}"
            )
        if never_left:
            parts.append(
                f"never more than {100 * band:.0f} points below the undisrupted level"
                f"{share(never_left, n)}"
            )
        if not_back:
            parts.append(f"not back before the horizon ended{share(not_back, n)}")
        lines.append("; ".join(parts) + ".")
    return lines
