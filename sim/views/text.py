"""The plain-text KPI table the CLI prints."""

from __future__ import annotations

import math

import pandas as pd

from ..analysis.kpis import ORDER_NAMES


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
        lines.append(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))
            ).rstrip()
        )
    return "\n".join(lines)


PAIRED_KPIS = (
    "fill_rate",
    "otif",
    "lead_time_p95",
    "avg_on_hand",
    "total_cost",
    "performance_loss",
)


def format_paired(diffs: pd.DataFrame, units: dict[str, str]) -> str:
    """Paired differences to the baseline for the headline KPIs, aligned; with customer
    orders, the order KPIs too."""
    orders = diffs[diffs["kpi"].isin(ORDER_NAMES)]
    shown = PAIRED_KPIS + ORDER_NAMES if orders["diff_mean"].notna().any() else PAIRED_KPIS
    rows = [
        (
            "strategy",
            "kpi",
            "diff vs " + (diffs["baseline"].iloc[0] if len(diffs) else ""),
            "95% CI",
            "better in",
        )
    ]
    for r in diffs[diffs["kpi"].isin(shown)].itertuples():
        unit = units.get(r.kpi, "")
        rows.append(
            (
                r.strategy,
                r.kpi,
                _fmt(r.diff_mean, unit),
                f"[{_fmt(r.diff_ci_low, unit)}, {_fmt(r.diff_ci_high, unit)}]",
                f"{100 * r.share_better:.0f}%" if math.isfinite(r.share_better) else "n/a",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))
        ).rstrip()
        for row in rows
    )
