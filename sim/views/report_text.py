"""The plain words at the top of the run report: a few sentences on what happened (service,
lead time, cost, shortages, and what the disruptions cost), with 95% intervals of the means."""

from __future__ import annotations

import math

import pandas as pd

from ..config.spec import Scenario
from .kpi_values import ci_label, fmt, interval, kpi_mean, kpi_row, money, pct


def summary_text(summary: pd.DataFrame, sc: Scenario) -> str:
    """A few plain sentences saying what happened, with 95% intervals of the means."""

    def r(k: str) -> pd.Series | None:
        row = kpi_row(summary, k)
        return None if row is None or not math.isfinite(row["mean"]) else row

    def share(k: str, what: str, with_ci: bool = True) -> str:
        row = r(k)
        if row is None:
            return f"n/a of {what}"
        ci = interval(row) if with_ci else None
        return f"{pct(row['mean'])} of {what}" + (
            f" ({ci_label(row)} {pct(ci[0])}-{pct(ci[1])})" if ci else ""
        )

    def days(k: str) -> str:
        row = r(k)
        return "n/a" if row is None else f"{row['mean']:.1f}"

    ex = sc.experiment
    fr = kpi_row(summary, "fill_rate")
    n = int(fr["n"]) if fr is not None else 0
    span = "a 365-day year" if ex.horizon_days == 365 else f"a {ex.horizon_days}-day horizon"
    parts = [
        f"Over {n} replication{'s' * (n != 1)} of {span} (after a {ex.warmup_days}-day "
        f"warm-up), {share('fill_rate', 'units')} were shipped from stock on the day ordered, "
        f"and {share('otif', 'order lines', False)} arrived on time and in full.",
        f"Customers waited {days('lead_time_mean')} days on average from order to delivery, "
        f"{days('lead_time_p95')} days at the 95th percentile.",
    ]
    tc = r("total_cost")
    if tc is not None:
        ci = interval(tc)
        parts.append(
            f"Total cost was {money(tc['mean'])}"
            + (f" ({ci_label(tc)} {money(ci[0])} to {money(ci[1])})" if ci else "")
            + f", holding {fmt(kpi_mean(summary, 'avg_on_hand'), 'units')} units on hand "
            f"and {fmt(kpi_mean(summary, 'avg_in_transit'), 'units')} in transit on "
            "average."
        )
    bo, lost = r("backorder_units"), r("lost_sales")
    if bo is not None and bo["mean"] > 0:
        parts.append(f"{bo['mean']:,.0f} units per replication waited on backorder.")
    if lost is not None and lost["mean"] > 0:
        parts.append(f"{lost['mean']:,.0f} units per replication were lost sales.")
    d = r("disruptions")
    loss = r("performance_loss")
    if d is not None and d["mean"] > 0 and loss is not None:
        rec = r("recovered")
        cost = r("disruption_cost")
        parts.append(
            f"The disruptions cost {loss['mean']:.2f} "
            "service-level-days against the same replications without them; service "
            f"recovered within {days('time_to_recover')} days of the first disruption's start "
            f"on average (in {pct(rec['mean']) if rec is not None else 'n/a'} of "
            f"replications), and they cost "
            f"{money(cost['mean']) if cost is not None else 'n/a'} (disruption_cost: the extra "
            "cost and the margin lost, up to the end of the drain past the horizon)."
        )
    return " ".join(parts)
