"""Stock at the warehouses in ``ripple explain``: when each warehouse first had units on
backorder after a disruption began."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .group import Group
from .windows import Anchor
from .words import Calendar, day_text, share, stat, when


@dataclass(frozen=True)
class Short:
    """When one warehouse first ran short after a disruption, over the replications it hit."""

    node: str
    days: list[float]  # first short day per replication that ran short
    start: float  # the disruption's start
    replications: int  # replications the disruption hit
    already: int  # replications already short on the day it began
    when: str  # the first short day in words

    def text(self) -> str:
        """The warehouse's line of the account."""
        if not self.days:
            return f"  - {self.node} never had orders on backorder after it began."
        delay = stat([x - self.start for x in self.days], day_text, "days")
        of = share(len(self.days), self.replications)
        return (
            f"  - {self.node} first had orders on backorder on {self.when}, {delay} after "
            f"it began{of}"
            + (f" (already on the day it began in {self.already})" if self.already else "")
            + "."
        )


def stock_after(g: Group, w: Anchor, cal: Calendar) -> list[Short]:
    """Per warehouse: first day with units on backorder from the disruption's start."""
    start = w.start
    first = max(int(math.floor(start)), 0)
    wh = g.daily[(g.daily["kind"] == "warehouse") & g.daily["replication"].isin(w.reps)]
    out = []
    for node, grp in wh.groupby("node", sort=True):
        days, already = [], 0
        for _, r in grp.groupby("replication"):
            after = r[r["day"] >= first].sort_values("day")
            short = after[after["backlog"] > 0]
            if not short.empty:
                days.append(float(short["day"].iloc[0]))
                already += int(short["day"].iloc[0] == first)
        out.append(
            Short(str(node), days, start, len(w.reps), already, when(days, cal) if days else "")
        )
    return out
