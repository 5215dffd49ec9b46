"""What the disruption did and cost in ``ripple explain``: the headline KPIs of
``kpis.parquet`` (``sim/analysis/resilience.py``) against the same replications run without
their disruptions, service and cost, and the closing sentence."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ...analysis import resilience
from ...analysis.columns import KPI_UNITS
from ...analysis.stats import summarize, support
from .group import Group
from .stock import Short
from .windows import KIND_WORDS, window_title
from .words import Calendar, day_text, num, pct, share, signed_usd, stat, two_decimals, usd


def _kpi(g: Group, name: str) -> pd.Series:
    return summarize(g.kpis, [name], KPI_UNITS).iloc[0]


def _kpi_text(g: Group, name: str, show: Callable[[float], str], unit: str = "") -> str:
    lo, hi = support(name, KPI_UNITS.get(name, ""))
    return stat(g.kpis[name], show, unit, bounded=hi is not None, signed=lo is None)


def service_and_cost(g: Group) -> list[str]:
    """Service (fill rate, OTIF, lead time) and cost, each with its interval."""
    return [
        f"Service: {_kpi_text(g, 'fill_rate', pct)} of units were shipped from stock on "
        f"the day ordered (fill_rate); {_kpi_text(g, 'otif', pct)} of order lines arrived "
        f"on time and in full (otif); customers waited "
        f"{_kpi_text(g, 'lead_time_mean', two_decimals, 'days')} on average "
        "(lead_time_mean).",
        f"Cost: total {_kpi_text(g, 'total_cost', usd)} (total_cost), of which air "
        f"expedites {_kpi_text(g, 'cost_expedite', usd)} (cost_expedite).",
    ]


def resilience_lines(g: Group) -> list[str]:
    """The resilience KPIs in words: survival, recovery, service lost, peak backlog, cost."""
    k = g.kpis
    n = g.n
    caused = int(k["stockout_caused"].sum())
    rec = int(k["recovered"].sum())
    lines = [
        "Against the same replications run without the disruption (same random numbers; "
        "sim/analysis/resilience.py):"
    ]
    if caused:
        lines.append(
            f"  - the first stock-out it caused (more SKU-locations short than without "
            f"it) came {_kpi_text(g, 'time_to_survive', two_decimals, 'days')} after "
            f"it began{share(caused, n)} (time_to_survive);"
        )
    else:
        lines.append(
            "  - it caused no stock-out beyond those of the undisrupted run (stockout_caused 0);"
        )
    pts = f"{100 * resilience.BAND:.0f} points"
    band = f"{pts} of the undisrupted level"
    if rec and float(k["time_to_recover"].max()) == 0:
        lines.append(
            f"  - service (7-day average, all markets) never fell more than {pts} "
            "below the undisrupted level (time_to_recover 0);"
        )
    elif rec:
        lines.append(
            f"  - service (7-day average, all markets) was back within {band} "
            f"{_kpi_text(g, 'time_to_recover', two_decimals, 'days')} after it began "
            f"(time_to_recover), recovering before the horizon ended"
            f"{share(rec, n)};"
        )
    else:
        lines.append(
            f"  - service (7-day average, all markets) was not back within {band} "
            "before the horizon ended (recovered 0, time_to_recover n/a);"
        )
    lines.append(
        f"  - service lost: {_kpi_text(g, 'performance_loss', two_decimals)} "
        "service-level-days (performance_loss; 1 = one whole day without any service);"
    )
    peak = float(_kpi(g, "extra_peak_backlog")["mean"])
    change = ("more" if peak > 0 else "fewer") + " units on backorder at the worst moment"
    lines.append(
        f"  - peak backlog: {_kpi_text(g, 'extra_peak_backlog', num, 'units')} "
        f"(extra_peak_backlog; "
        f"{change + ' than' if peak else 'the same peak as'} without it);"
    )
    cost = _kpi(g, "disruption_cost")
    lines.append(
        f"  - cost: disruption_cost {signed_usd(float(cost['mean']))} per replication"
        + (
            f" (95% CI {signed_usd(cost['ci_low'])} to {signed_usd(cost['ci_high'])})"
            if cost["n"] > 1
            else ""
        )
        + ", the extra cost and the margin lost against the same replications without it, up "
        "to the end of the drain past the horizon"
        + (f"; mostly {_largest_parts(g)}" if _largest_parts(g) else "")
        + "."
    )
    return lines


def _largest_parts(g: Group, top: int = 3) -> str:
    """The parts of disruption_cost that weigh most, in words."""
    parts = {"lost margin": float(_kpi(g, "lost_margin")["mean"])}
    for name in resilience.PART_NAMES.values():
        parts[name.removeprefix("extra_").replace("_", " ")] = float(_kpi(g, name)["mean"])
    big = sorted((p for p in parts.items() if p[1] != 0), key=lambda p: -abs(p[1]))[:top]
    return ", ".join(f"{name} {signed_usd(v)}" for name, v in big)


def closing(g: Group, windows: pd.DataFrame, cal: Calendar, stock: list[Short]) -> str:
    """The account in one sentence: the first disruption, the first warehouse short, the
    recovery and the extra cost."""
    w = windows.iloc[0]
    what = KIND_WORDS.get(w["kind"], str(w["kind"]))
    parts = [
        f"In short: {window_title(w)}, a {what} at {w['target']}, lasted "
        f"{day_text(float(w['end'] - w['start']))} days from {cal.date(w['start'])}"
    ]
    short = [x for x in stock if x.days]
    if short:
        first = min(short, key=lambda x: float(np.mean(x.days)))
        lag = float(np.mean(first.days)) - first.start
        parts.append(
            f"{first.node} was the first warehouse to run short, "
            + (f"about {lag:.0f} days after it began" if lag >= 0.5 else "on the day it began")
        )
    else:
        parts.append("no warehouse ran short afterwards")
    ttr = _kpi(g, "time_to_recover")
    if not math.isfinite(ttr["mean"]):
        parts.append("service had not recovered by the end")
    elif ttr["mean"] == 0:
        parts.append(
            f"service never fell more than {100 * resilience.BAND:.0f} points below "
            "its undisrupted level"
        )
    else:
        parts.append(
            f"service was back to normal about {float(ttr['mean']):.0f} days after it began"
        )
    extra = float(_kpi(g, "disruption_cost")["mean"])
    more = len(windows) - 1
    return (
        "; ".join(parts) + f"; and it cost {abs(extra):,.0f} USD "
        f"{'more' if extra >= 0 else 'less'} per replication than the same run without it"
        + (f" ({more} more disruption window{'s' * (more != 1)} in all)" if more else "")
        + "."
    )
