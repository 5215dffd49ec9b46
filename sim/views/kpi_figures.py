"""Figures of a run's totals across replications: where replenishment shipments spent their
time, by cause, and how the headline KPIs spread over the replications."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..analysis.columns import KPI_UNITS
from .canvas import empty_figure, new_figure, thousands, unit_formatter


def wait_summary(waits: pd.DataFrame) -> pd.DataFrame:
    """Per cause: unit-days per replication (mean over replications), shipments delayed by it
    per replication and the mean days per such shipment; largest first."""
    reps = max(waits["replication"].nunique(), 1)
    by = (
        waits.assign(days=waits["mean_days"] * waits["shipments"])
        .groupby("cause")[["unit_days", "shipments", "days"]]
        .sum()
    )
    out = pd.DataFrame(
        {
            "unit_days": by["unit_days"] / reps,
            "shipments": by["shipments"] / reps,
            "mean_days": by["days"] / by["shipments"].where(by["shipments"] > 0),
        }
    )
    return out.sort_values("unit_days", ascending=False)


def waits_by_cause(waits: pd.DataFrame) -> Figure:
    """Where the time went: unit-days per cause (mean over replications, left) and mean days
    per shipment at each stop with that cause (right)."""
    fig = new_figure(11, 4.6)
    if waits.empty:
        return empty_figure(fig, "no waits recorded")
    s = wait_summary(waits).iloc[::-1]  # largest on top
    labels = [c.replace("_", " ") for c in s.index]
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[1.6, 1])
    y = np.arange(len(s))
    total = float(s["unit_days"].sum())
    left.barh(y, s["unit_days"], color="#457b9d")
    for i, u in enumerate(s["unit_days"]):
        left.annotate(
            f"{u:,.0f}  ({u / total:.0%})" if total > 0 else f"{u:,.0f}",
            (u, i),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    left.set_yticks(y, labels, fontsize=9)
    left.xaxis.set_major_formatter(FuncFormatter(thousands))
    left.set_xlabel("unit-days per replication (share of all waiting)", fontsize=9)
    left.margins(x=0.28)
    right.barh(y, s["mean_days"], color="#e9a23b")
    for i, (d, n) in enumerate(zip(s["mean_days"], s["shipments"])):
        right.annotate(
            f"{d:.2f} d  (n={n:,.0f})",
            (d, i),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    right.set_xlabel("mean days per shipment at a stop with this cause", fontsize=9)
    right.margins(x=0.45)
    for ax in (left, right):
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_axisbelow(True)
    fig.suptitle(
        "Where replenishment shipments spent their time, by cause "
        "(n: shipment stops per replication)",
        fontsize=10,
        x=0.02,
        ha="left",
    )
    return fig


def kpi_distributions(
    kpis: pd.DataFrame, names: Sequence[str], units: dict[str, str] | None = None
) -> Figure:
    """Small multiples: each KPI's values across replications (box, points, mean as a
    diamond). ``units``: KPI units for the axis labels (default: every KPI's)."""
    units = KPI_UNITS if units is None else units
    names = [n for n in names if n in kpis and kpis[n].notna().any()]
    fig = new_figure(2.8 * max(len(names), 1) + 0.4, 3.4)
    if not names:
        return empty_figure(fig, "no KPI values")
    axes = np.atleast_1d(fig.subplots(1, len(names)))
    for ax, name in zip(axes, names):
        x = kpis[name].dropna().to_numpy(dtype=float)
        ax.boxplot(
            x,
            widths=0.5,
            showfliers=False,
            medianprops={"color": "#e76f51"},
            boxprops={"color": "#555555"},
            whiskerprops={"color": "#555555"},
            capprops={"color": "#555555"},
        )
        jitter = np.linspace(-0.12, 0.12, x.size) if x.size > 1 else np.zeros(1)
        ax.scatter(1 + jitter, x, s=14, color="#1d3557", alpha=0.8, zorder=3, lw=0)
        ax.scatter([1.38], [x.mean()], marker="D", s=28, color="#e76f51", zorder=4)
        unit = units.get(name, "")
        ax.yaxis.set_major_formatter(unit_formatter(unit))
        ax.set_title(name, fontsize=9)
        ax.set_xticks([])
        ax.set_xlim(0.55, 1.5)
        ax.set_xlabel(unit, fontsize=8, color="#555555")
        ax.tick_params(labelsize=8)
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
    n = len(kpis)
    fig.suptitle(
        f"KPIs across {n} replication{'s' * (n != 1)} (box: quartiles; line: median; "
        "diamond: mean)",
        fontsize=10,
        x=0.02,
        ha="left",
    )
    return fig
