"""The pieces of the compare report on constructed tables: the cost-service frontier marks the
dominated strategies, and the plain words name the winner with its interval and say when a
difference is not significant."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.columns import KPI_UNITS
from sim.analysis.compare import frontier, paired, per_strategy
from sim.views import compare_text as ct


def _summary(points: dict[str, tuple[float, float]]) -> pd.DataFrame:
    rows = []
    for s, (cost, fill) in points.items():
        for kpi, mean, half in (("total_cost", cost, 5.0), ("fill_rate", fill, 0.01)):
            rows.append(
                {
                    "strategy": s,
                    "kpi": kpi,
                    "unit": "",
                    "n": 10,
                    "mean": mean,
                    "sd": 1.0,
                    "ci_low": mean - half,
                    "ci_high": mean + half,
                    "half_width": half,
                }
            )
    return pd.DataFrame(rows)


def test_frontier_marks_dominated_strategies():
    points = {
        "cheap": (100.0, 0.90),  # efficient: nothing is as cheap and better
        "premium": (150.0, 0.99),  # efficient: the best service
        "middle": (120.0, 0.95),  # efficient
        "wasteful": (130.0, 0.93),  # dominated by middle (cheaper, better)
        "same_cost": (100.0, 0.85),  # dominated by cheap (same cost, worse service)
        "same_fill": (160.0, 0.99),  # dominated by premium (same service, dearer)
        "twin": (120.0, 0.95),  # identical to middle: neither dominates the other
    }
    f = frontier(_summary(points)).set_index("strategy")
    assert f["efficient"].to_dict() == {
        "cheap": True,
        "premium": True,
        "middle": True,
        "wasteful": False,
        "same_cost": False,
        "same_fill": False,
        "twin": True,
    }
    assert f.loc["wasteful", "dominated_by"] == "middle, twin"
    assert f.loc["same_cost", "dominated_by"] == "cheap"
    assert f.loc["same_fill", "dominated_by"] == "premium"
    assert f.loc["middle", "dominated_by"] == ""
    assert f.loc["cheap", "cost_low"] == 95.0 and f.loc["cheap", "service_high"] == 0.91
    words = ct.frontier_words(f.reset_index())
    assert "wasteful is dominated by middle, twin" in words
    assert "cheap, premium, middle and twin are Pareto-efficient" in words


def _kpis() -> pd.DataFrame:
    """Two strategies on 20 paired replications: ``fast`` has a fill rate 2 points higher in
    every replication and costs 1,000 USD more; OTIF differs only by noise."""
    rng = np.random.default_rng(5)
    n = 20
    base_fill = rng.uniform(0.90, 0.95, n)
    base_cost = rng.normal(50_000, 3_000, n)
    base_otif = rng.uniform(0.85, 0.95, n)
    frames = []
    for s, fill, cost, otif in (
        ("slow", base_fill, base_cost, base_otif),
        (
            "fast",
            base_fill + 0.02 + rng.normal(0, 0.002, n),
            base_cost + 1_000 + rng.normal(0, 100, n),
            base_otif + rng.normal(0, 0.03, n),
        ),
    ):
        frames.append(
            pd.DataFrame(
                {
                    "strategy": s,
                    "replication": np.arange(n),
                    "fill_rate": fill,
                    "total_cost": cost,
                    "otif": otif,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_words_name_the_winner_with_interval_and_flag_noise():
    kpis = _kpis()
    names = ["fill_rate", "total_cost", "otif"]
    diffs = paired(kpis, "slow", names)
    fill = diffs.set_index("kpi").loc["fill_rate"]
    assert 0.019 < fill["diff_mean"] < 0.021 and fill["share_better"] == 1.0
    [text] = ct.against_baseline(diffs, KPI_UNITS, "fill_rate", "total_cost", ["otif"])
    lo, hi = 100 * fill["diff_ci_low"], 100 * fill["diff_ci_high"]
    print(text)
    assert text.startswith(
        f"fast raises fill rate by {100 * fill['diff_mean']:.1f} points "
        f"(95% CI {lo:.1f} to {hi:.1f}) over slow, better in 100% of "
        "replications, at "
    )
    assert "USD more total cost (95% CI" in text
    assert "OTIF" in text and "not significant" in text
    wins = ct.winners(kpis, per_strategy(kpis, names, KPI_UNITS), names, KPI_UNITS)
    print(wins)
    assert wins[0].startswith("Best fill rate: fast (") and wins[0].endswith(": significant.")
    assert wins[1].startswith("Best total cost: slow (") and "significant" in wins[1]
    assert "not significant" in wins[2]


def test_words_for_a_difference_whose_interval_crosses_zero():
    row = pd.Series(
        {
            "strategy": "b",
            "baseline": "a",
            "kpi": "fill_rate",
            "diff_mean": 0.004,
            "diff_ci_low": -0.003,
            "diff_ci_high": 0.011,
            "share_better": 0.6,
            "higher_is_better": True,
        }
    )
    text = ct.headline(row, "share of units")
    assert text == (
        "b differs from a in fill rate by +0.40 points (95% CI -0.30 to 1.1), "
        "not significant at 95% (better in 60% of replications)"
    )
    cost = row.copy()
    cost[["kpi", "diff_mean", "diff_ci_low", "diff_ci_high"]] = [
        "total_cost",
        -500.0,
        -900.0,
        -100.0,
    ]
    assert ct.cost_clause(cost, "USD") == "at 500 USD less total cost (95% CI -900 to -100 USD)"
