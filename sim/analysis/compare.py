"""Strategies compared on common random numbers: per strategy and KPI the mean with its 95%
interval, and each strategy's paired difference to a baseline.

Replication i of every strategy uses the same seed and replication number, hence the same
demand, transit, customs and disruption draws; the difference x_i(strategy) - x_i(baseline) then
carries little noise, and its Student-t interval is narrower than the unpaired (Welch) interval
of the difference of two means.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .kpis import HIGHER_IS_BETTER

LEVEL = 0.95


def _t_interval(x: np.ndarray) -> tuple[float, float]:
    """Mean and half-width of the t interval (NaN half-width below two values)."""
    n = x.size
    if n == 0:
        return math.nan, math.nan
    if n < 2:
        return float(x.mean()), math.nan
    half = stats.t.ppf(0.5 + LEVEL / 2, n - 1) * x.std(ddof=1) / math.sqrt(n)
    return float(x.mean()), float(half)


def paired(kpis: pd.DataFrame, baseline: str, names: list[str]) -> pd.DataFrame:
    """Per strategy (other than ``baseline``) and KPI: mean paired difference to the baseline,
    its 95% interval, and the share of replications in which the strategy is better."""
    wide = kpis.set_index(["strategy", "replication"])
    base = wide.loc[baseline]
    rows = []
    for strategy in dict.fromkeys(kpis["strategy"]):
        if strategy == baseline:
            continue
        other = wide.loc[strategy]
        common = other.index.intersection(base.index)
        for name in names:
            d = (other.loc[common, name] - base.loc[common, name]).to_numpy(dtype=float)
            d = d[np.isfinite(d)]
            mean, half = _t_interval(d)
            better = d > 0 if name in HIGHER_IS_BETTER else d < 0
            rows.append(
                {
                    "strategy": strategy,
                    "baseline": baseline,
                    "kpi": name,
                    "n": d.size,
                    "diff_mean": mean,
                    "diff_ci_low": mean - half,
                    "diff_ci_high": mean + half,
                    "share_better": float(better.mean()) if d.size else math.nan,
                    "higher_is_better": name in HIGHER_IS_BETTER,
                }
            )
    return pd.DataFrame(rows)


def unpaired_half_width(a: np.ndarray, b: np.ndarray) -> float:
    """Half-width of the Welch 95% interval of mean(a) - mean(b), as if the samples were
    independent (what common random numbers improve on)."""
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)) if se > 0 else 1.0
    return float(stats.t.ppf(0.5 + LEVEL / 2, df) * se)


def per_strategy(kpis: pd.DataFrame, names: list[str], units: dict[str, str]) -> pd.DataFrame:
    """Mean, sd and 95% interval per strategy and KPI."""
    from .stats import summarize

    frames = []
    for strategy, group in kpis.groupby("strategy", sort=False):
        s = summarize(group, names, units)
        s.insert(0, "strategy", strategy)
        frames.append(s)
    return pd.concat(frames, ignore_index=True)


def frontier(
    summary: pd.DataFrame, cost: str = "total_cost", service: str = "fill_rate"
) -> pd.DataFrame:
    """Per strategy: mean ``cost`` and ``service`` with their 95% intervals, whether the
    strategy is Pareto-efficient on the means (no other has cost <= and service >=, one of
    them strictly), and which strategies dominate it."""
    wide = {k: summary[summary["kpi"] == k].set_index("strategy") for k in (cost, service)}
    order = list(dict.fromkeys(summary["strategy"]))
    c = wide[cost]["mean"].reindex(order).to_numpy(dtype=float)
    s = wide[service]["mean"].reindex(order).to_numpy(dtype=float)
    by = []
    for i in range(len(order)):
        dom = [
            order[j]
            for j in range(len(order))
            if j != i and c[j] <= c[i] and s[j] >= s[i] and (c[j] < c[i] or s[j] > s[i])
        ]
        by.append(dom)
    return pd.DataFrame(
        {
            "strategy": order,
            "cost": c,
            "cost_low": wide[cost]["ci_low"].reindex(order).to_numpy(dtype=float),
            "cost_high": wide[cost]["ci_high"].reindex(order).to_numpy(dtype=float),
            "service": s,
            "service_low": wide[service]["ci_low"].reindex(order).to_numpy(dtype=float),
            "service_high": wide[service]["ci_high"].reindex(order).to_numpy(dtype=float),
            "efficient": [
                not d and np.isfinite(ci) and np.isfinite(si) for d, ci, si in zip(by, c, s)
            ],
            "dominated_by": [", ".join(d) for d in by],
        }
    )
