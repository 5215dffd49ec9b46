"""A KPI summary's values for people: a KPI's row and mean in a summary table, its 95% interval
(clipped to 0-1 for shares and 0/1 indicators) and numbers as text (:func:`fmt`, :func:`money`,
:func:`pct`). Used by the reports' HTML and by their plain words."""

from __future__ import annotations

import math

import pandas as pd


def fmt(value: float | None, unit: str) -> str:
    """A KPI value for people: shares as %, money with separators, days with 2 decimals."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit.startswith("share"):
        return f"{100 * value:.2f}%"
    if unit == "USD":
        return f"{value:,.0f}"
    if unit in ("days", "per year"):
        return f"{value:.2f}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def money(value: float | None) -> str:
    """USD in words-sized units: 3.47 M USD, 12,345 USD."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} M USD"
    return f"{value:,.0f} USD"


def pct(x: float) -> str:
    """A share as a percentage with one decimal: 0.9731 -> 97.3%."""
    return f"{100 * x:.1f}%"


def kpi_row(summary: pd.DataFrame, kpi: str) -> pd.Series | None:
    """The summary row of ``kpi`` (mean, ci_low, ci_high, half_width, sd, n, unit), or None."""
    r = summary[summary["kpi"] == kpi]
    return None if r.empty else r.iloc[0]


def kpi_mean(summary: pd.DataFrame, kpi: str) -> float | None:
    """The mean of ``kpi`` in the summary, or None when it is not there."""
    r = kpi_row(summary, kpi)
    return None if r is None else float(r["mean"])


def _bounded(unit: str) -> bool:
    return unit.startswith("share") or unit == "0/1"


def interval(r: pd.Series) -> tuple[float, float] | None:
    """The 95% interval, clipped to [0, 1] for shares and 0/1 indicators."""
    if r["n"] < 2 or not math.isfinite(r["half_width"]):
        return None
    lo, hi = float(r["ci_low"]), float(r["ci_high"])
    if _bounded(str(r["unit"])):
        lo, hi = max(lo, 0.0), min(hi, 1.0)
    return lo, hi


def ci_text(r: pd.Series) -> str:
    """A summary row's 95% interval as "low to high" in its unit; empty when there is none."""
    ci = interval(r)
    return "" if ci is None else f"{fmt(ci[0], r['unit'])} to {fmt(ci[1], r['unit'])}"
