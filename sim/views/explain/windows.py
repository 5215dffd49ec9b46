"""The disruption windows of ``ripple explain``: which windows touched the measured days, how
each is told in one line, and the moments (windows starting together) the story is told from."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .group import Group
from .words import Calendar, day_text

MAX_LISTED = 8  # disruption windows listed one by one

KIND_WORDS = {
    "port_strike": "strike",
    "port_congestion": "port congestion",
    "customs_hold": "customs hold",
    "route_suspension": "route suspension",
    "carrier_failure": "carrier failure",
    "factory_outage": "factory outage",
    "demand_surge": "demand surge",
    "freight_cost_shock": "freight cost shock",
}


def measured_windows(g: Group, horizon: int) -> pd.DataFrame:
    """Disruption windows that overlap the measured days, with the replications they hit."""
    d = g.disruptions
    if d.empty:
        return d.assign(reps=[])
    d = d[(d["end"] > 0) & (d["start"] < horizon)]
    keys = ["kind", "target", "start", "end", "label"]
    return (
        d.groupby(keys, sort=False)["replication"]
        .agg(lambda r: sorted(set(r)))
        .rename("reps")
        .reset_index()
        .sort_values("start", kind="stable")
    )


def _reps_phrase(reps: list[int], n: int) -> str:
    if len(reps) == n:
        return "in every replication" if n > 1 else ""
    return (
        f"in {len(reps)} of {n} replications (replication{'s' * (len(reps) > 1)} "
        f"{', '.join(map(str, reps[:6]))}" + (", ...)" if len(reps) > 6 else ")")
    )


def _describe_window(w: pd.Series, names: dict[str, str], cal: Calendar, n: int) -> str:
    what = KIND_WORDS.get(w["kind"], str(w["kind"]).replace("_", " "))
    target = str(w["target"])
    where = f"{target} ({names[target]})" if target in names else target
    length = float(w["end"] - w["start"])
    reps = _reps_phrase(w["reps"], n)
    return (
        f"- {w['label'] or what}: a {what} ({w['kind']}) at {where}, from measured "
        f"{cal.on(w['start'])} to {cal.on(w['end'])}, {day_text(length)} days"
        + (f", {reps}" if reps else "")
        + "."
    )


def window_lines(windows: pd.DataFrame, names: dict[str, str], cal: Calendar, n: int) -> list[str]:
    """One line per measured window (the first :data:`MAX_LISTED`; then how many more)."""
    lines = [_describe_window(w, names, cal, n) for _, w in windows.head(MAX_LISTED).iterrows()]
    if len(windows) > MAX_LISTED:
        rest = windows.iloc[MAX_LISTED:]
        mean_len = round(float((rest["end"] - rest["start"]).mean()), 1)
        lines.append(
            f"- and {len(rest)} more windows ({day_text(mean_len)} days long on "
            "average; all in disruptions.parquet)."
        )
    return lines


def outside_lines(g: Group, horizon: int, cal: Calendar) -> list[str]:
    """One line per window scheduled in the warm-up or after the horizon."""
    d = g.disruptions
    if d.empty:
        return []
    out = d[(d["end"] <= 0) | (d["start"] >= horizon)].drop_duplicates(
        ["kind", "target", "start", "end"]
    )
    return [
        f"- {r.label or r.kind} at {r.target}, from measured {cal.on(r.start)}, fell "
        + ("in the warm-up" if r.end <= 0 else f"after the {horizon} measured days")
        + ": it did not touch the measured results."
        for r in out.itertuples()
    ]


def window_title(w: pd.Series) -> str:
    """A window's name: its quoted label, else its kind in words."""
    return f'"{w["label"]}"' if w["label"] else KIND_WORDS.get(w["kind"], str(w["kind"]))


@dataclass(frozen=True)
class Anchor:
    """Disruption windows that start together: the moment the story is told from."""

    start: float
    end: float  # the last of their ends
    reps: list[int]  # replications they hit
    title: str  # their names in words


def anchors(windows: pd.DataFrame) -> list[Anchor]:
    """The measured windows grouped by start day, earliest first."""
    out = []
    for start, grp in windows.groupby("start", sort=True):
        titles = [window_title(w) for _, w in grp.iterrows()]
        title = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
        reps = sorted({r for rs in grp["reps"] for r in rs})
        out.append(Anchor(float(start), float(grp["end"].max()), reps, title))
    return out
