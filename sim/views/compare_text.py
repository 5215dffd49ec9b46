"""Plain words for a strategy comparison: what each strategy changes against the baseline and
by how much, with 95% intervals; which strategy is best on each headline KPI and whether its
lead over the runner-up is significant; which strategies are on the cost-service frontier.

A difference is called significant when its 95% interval excludes zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from ..analysis.compare import paired
from ..analysis.kpis import HIGHER_IS_BETTER
from .kpi_values import fmt, money

LABELS = {
    "fill_rate": "fill rate",
    "line_fill_rate": "line fill rate",
    "otif": "OTIF",
    "lead_time_mean": "mean lead time",
    "lead_time_p50": "median lead time",
    "lead_time_p95": "95th-percentile lead time",
    "total_cost": "total cost",
    "avg_on_hand": "average stock on hand",
    "margin": "margin",
}


def label(kpi: str) -> str:
    """A KPI's name in words."""
    return LABELS.get(kpi, kpi.replace("_", " "))


def amount(x: float, unit: str, signed: bool = False) -> str:
    """A difference for people: shares in points, money in USD, days, counts with their unit."""
    if not math.isfinite(x):
        return "n/a"
    sign = ("+" if x > 0 else "-" if x < 0 else "") if signed else ""
    v = abs(x) if signed else x
    if unit.startswith("share"):
        p = 100 * v
        return f"{sign}{p:.2f} points" if abs(p) < 1 else f"{sign}{p:.1f} points"
    if unit == "USD":
        return sign + money(v)
    if unit == "days":
        return f"{sign}{v:.2f} days"
    return f"{sign}{fmt(v, unit)} {unit}".rstrip()


def value(x: float, unit: str) -> str:
    """A KPI level for people: shares in %, money in USD, days, counts with their unit."""
    if unit.startswith("share") or unit == "USD":
        return fmt(x, unit) if unit != "USD" else money(x)
    return f"{fmt(x, unit)} {unit}".rstrip()


def _bound(x: float, unit: str) -> str:
    if unit.startswith("share"):
        return f"{100 * x:.2f}" if abs(100 * x) < 1 else f"{100 * x:.1f}"
    if unit == "USD":
        return f"{x:,.0f}"
    if unit == "days":
        return f"{x:.2f}"
    return fmt(x, unit)


def ci_words(lo: float, hi: float, unit: str) -> str:
    """``95% CI 1.8 to 2.4`` (with the unit for money)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "no interval from a single replication"
    return f"95% CI {_bound(lo, unit)} to {_bound(hi, unit)}" + (" USD" if unit == "USD" else "")


def significant(lo: float, hi: float) -> bool:
    """The 95% interval excludes zero."""
    return math.isfinite(lo) and math.isfinite(hi) and (lo > 0 or hi < 0)


def _same(r: pd.Series) -> bool:
    return r["diff_mean"] == 0 and r["diff_ci_low"] == 0 and r["diff_ci_high"] == 0


def headline(r: pd.Series, unit: str) -> str:
    """One strategy against the baseline on one KPI, e.g. ``expedite_air raises fill rate by
    2.1 points (95% CI 1.8 to 2.4) over overseas_warehouse, better in 100% of replications``."""
    s, b, k = r["strategy"], r["baseline"], label(r["kpi"])
    lo, hi, d = r["diff_ci_low"], r["diff_ci_high"], r["diff_mean"]
    if _same(r):
        return f"{s} has the same {k} as {b} in every replication"
    better = f"better in {100 * r['share_better']:.0f}% of replications"
    if significant(lo, hi):
        verb = "raises" if d > 0 else "lowers"
        return (
            f"{s} {verb} {k} by {amount(abs(d), unit)} ({ci_words(lo, hi, unit)}) over "
            f"{b}, {better}"
        )
    return (
        f"{s} differs from {b} in {k} by {amount(d, unit, True)} "
        f"({ci_words(lo, hi, unit)}), not significant at 95% ({better})"
    )


def cost_clause(r: pd.Series, unit: str) -> str:
    """``at 83,024 USD more total cost (95% CI ...)``, ``saving ...`` or not significant."""
    lo, hi, d = r["diff_ci_low"], r["diff_ci_high"], r["diff_mean"]
    k = label(r["kpi"])
    if _same(r):
        return f"at the same {k}"
    if significant(lo, hi):
        return (
            f"at {amount(abs(d), unit)} {'more' if d > 0 else 'less'} {k} "
            f"({ci_words(lo, hi, unit)})"
        )
    return (
        f"with no significant difference in {k} ({amount(d, unit, True)}, {ci_words(lo, hi, unit)})"
    )


def _brief(r: pd.Series, unit: str) -> str:
    lo, hi, d = r["diff_ci_low"], r["diff_ci_high"], r["diff_mean"]
    if _same(r):
        return f"{label(r['kpi'])} the same"
    verdict = (
        "not significant"
        if not significant(lo, hi)
        else "better"
        if (d > 0) == bool(r["higher_is_better"])
        else "worse"
    )
    return f"{label(r['kpi'])} {amount(d, unit, True)} ({ci_words(lo, hi, unit)}, {verdict})"


def against_baseline(
    diffs: pd.DataFrame, units: dict[str, str], service: str, cost: str, others: Sequence[str]
) -> list[str]:
    """A sentence per strategy: its service change with the cost that goes with it, then the
    other headline KPIs briefly."""
    out = []
    for _, d in diffs.groupby("strategy", sort=False):
        rows = {r["kpi"]: r for _, r in d.iterrows()}
        parts = []
        if service in rows and cost in rows:
            parts.append(
                headline(rows[service], units.get(service, ""))
                + ", "
                + cost_clause(rows[cost], units.get(cost, ""))
                + "."
            )
        rest = [
            _brief(rows[k], units.get(k, ""))
            for k in others
            if k in rows and math.isfinite(rows[k]["diff_mean"])
        ]
        if rest:
            parts.append(
                "Also against " + str(d["baseline"].iloc[0]) + ": " + "; ".join(rest) + "."
            )
        if parts:
            out.append(" ".join(parts))
    return out


def winners(
    kpis: pd.DataFrame, summary: pd.DataFrame, names: Sequence[str], units: dict[str, str]
) -> list[str]:
    """Per KPI: the best strategy by mean and its paired lead over the runner-up, or that the
    strategies do not differ."""
    out = []
    for k in names:
        s = summary[summary["kpi"] == k].dropna(subset=["mean"])
        if len(s) < 2:
            continue
        hib = k in HIGHER_IS_BETTER
        s = s.sort_values("mean", ascending=not hib, kind="stable")
        best, second = s.iloc[0], s.iloc[1]
        if best["mean"] == s.iloc[-1]["mean"]:
            out.append(
                f"{label(k).capitalize()}: all strategies equal "
                f"({value(best['mean'], units.get(k, ''))})."
            )
            continue
        sub = kpis[kpis["strategy"].isin([best["strategy"], second["strategy"]])]
        r = paired(sub, str(second["strategy"]), [k]).iloc[0]
        sign = 1.0 if hib else -1.0  # the lead, positive when the best is better
        lo, hi = sorted((sign * r["diff_ci_low"], sign * r["diff_ci_high"]))
        unit = units.get(k, "")
        verdict = (
            "significant" if significant(lo, hi) else "tied" if _same(r) else "not significant"
        )
        out.append(
            f"Best {label(k)}: {best['strategy']} ({value(best['mean'], unit)}), ahead "
            f"of {second['strategy']} by {amount(sign * r['diff_mean'], unit)} "
            f"({ci_words(lo, hi, unit)}): {verdict}."
        )
    return out


def frontier_words(
    front: pd.DataFrame, service: str = "fill_rate", cost: str = "total_cost"
) -> str:
    """Which strategies are Pareto-efficient on cost and service, and who dominates the rest."""
    eff = list(front.loc[front["efficient"], "strategy"])
    dom = front[~front["efficient"] & (front["dominated_by"] != "")]
    words = f"On {label(cost)} against {label(service)} (means), " + (
        " and ".join([", ".join(eff[:-1]), eff[-1]] if len(eff) > 1 else eff)
        + (" are" if len(eff) > 1 else " is")
        + " Pareto-efficient"
        if eff
        else "no strategy is Pareto-efficient"
    )
    if dom.empty:
        return words + "; none is dominated."
    return (
        words
        + "; "
        + "; ".join(
            f"{r.strategy} is dominated by {r.dominated_by} (cheaper and at least as good)"
            for r in dom.itertuples()
        )
        + "."
    )
