"""The plain-text KPI table the CLI prints."""

from __future__ import annotations

import math

import pandas as pd


def _fmt(value: float, unit: str) -> str:
    if not math.isfinite(value):
        return "n/a"
    if unit.startswith("share"):
        return f"{100 * value:.2f}%"
    if unit == "USD":
        return f"{value:,.0f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def format_table(summary: pd.DataFrame) -> str:
    """KPI, unit, mean and 95% confidence interval, aligned."""
    rows = [("kpi", "unit", "mean", "95% CI")]
    for r in summary.itertuples():
        ci = f"[{_fmt(r.ci_low, r.unit)}, {_fmt(r.ci_high, r.unit)}]" if r.n > 1 else ""
        rows.append((r.kpi, r.unit, _fmt(r.mean, r.unit), ci))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    return "\n".join(lines)
