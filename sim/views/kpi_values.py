"""A KPI summary's values for people: a KPI's row and mean in a summary table, its interval
(a 95% CI, or the replications' range for a bounded KPI with few of them) and numbers as
text (:func:`fmt`, :func:`money`, :func:`pct`). Used by the reports' HTML and by their plain
words."""

from __future__ import annotations

import math

import pandas as pd

from ..analysis.stats import MIN_BOOTSTRAP, support


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


def interval(r: pd.Series) -> tuple[float, float] | None:
    """The summary row's interval (inside the KPI's bounds already, see
    :mod:`sim.analysis.stats`), or None when there is none."""
    if r["n"] < 2 or not math.isfinite(r["half_width"]):
        return None
    return float(r["ci_low"]), float(r["ci_high"])


def is_range(r: pd.Series) -> bool:
    """Whether the row's interval is the replications' range (a bounded KPI with few of them)
    rather than a 95% confidence interval."""
    return support(str(r["kpi"]), str(r["unit"])) != (None, None) and r["n"] < MIN_BOOTSTRAP


def ci_label(r: pd.Series) -> str:
    """What the row's interval is: ``95% CI`` or ``range``."""
    return "range" if is_range(r) else "95% CI"


def ci_text(r: pd.Series) -> str:
    """A summary row's interval as "low to high" in its unit ("(range)" after a range); empty
    when there is none."""
    ci = interval(r)
    if ci is None:
        return ""
    text = f"{fmt(ci[0], r['unit'])} to {fmt(ci[1], r['unit'])}"
    return text + " (range)" if is_range(r) else text
