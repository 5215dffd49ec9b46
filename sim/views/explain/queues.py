"""Queues and waits in ``ripple explain``: the gateway queues that grew after a disruption
began, and the mean waits per shipment at the disrupted places (``waits.parquet``)."""

from __future__ import annotations

import math

import numpy as np

from .group import Group
from .windows import Anchor
from .words import Calendar, num, stat, two_decimals, when

QUEUE_BEFORE_DAYS = 28  # the "usual" gateway queue: mean over this many days before
QUEUE_AFTER_DAYS = 30  # a queue's peak is looked for until this many days after the end
TOP_QUEUES = 3
QUEUE_RISE = 5  # shipments: a queue "grew" when its peak exceeds its usual level by this


def grown_queues(g: Group, w: Anchor, horizon: int, cal: Calendar) -> list[str]:
    """Gateway queues whose peak after the start is well above their usual level."""
    start, end = w.start, w.end
    first = max(int(math.floor(start)), 0)
    last = min(int(math.ceil(end)) + QUEUE_AFTER_DAYS, horizon)
    q = g.daily[g.daily["queue"].notna() & g.daily["replication"].isin(w.reps)]
    rows = []
    for node, grp in q.groupby("node", sort=True):
        usual, peak, peak_day = [], [], []
        for _, r in grp.groupby("replication"):
            r = r.set_index("day")["queue"].sort_index()
            before = r.loc[max(first - QUEUE_BEFORE_DAYS, 0) : first - 1]
            usual.append(float(before.mean()) if not before.empty else 0.0)
            window = r.loc[first:last]
            peak.append(float(window.max()))
            peak_day.append(float(window.idxmax()))
        rise = float(np.mean(peak)) - float(np.mean(usual))
        if rise >= max(QUEUE_RISE, float(np.mean(usual))):
            rows.append((rise, node, usual, peak, peak_day))
    rows.sort(reverse=True)
    out = []
    for _, node, usual, peak, peak_day in rows[:TOP_QUEUES]:
        day = when(peak_day, cal)
        out.append(
            f"  - {node}: from {stat(usual, num)} shipments waiting or in service on "
            f"average in the {QUEUE_BEFORE_DAYS} days before to a peak of "
            f"{stat(peak, num)} on {day}."
        )
    return out


def target_waits(g: Group, targets: list[str]) -> list[str]:
    """Per disrupted place and cause: the mean wait per shipment over the whole run."""
    w = g.waits
    if w.empty or "where" not in w:
        return []
    out = []
    for t in targets:
        rows = w[w["where"] == t]
        for cause, grp in rows.groupby("cause", sort=False):
            out.append(
                f"  - at {t}, {cause.replace('_', ' ')}: "
                f"{stat(grp['mean_days'], two_decimals)}"
                " days per shipment on average over the whole run."
            )
    return out
