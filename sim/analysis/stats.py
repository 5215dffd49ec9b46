"""Summary statistics across replications: mean, standard deviation and a 95% interval of the
mean that respects what the KPI can be.

A KPI that can take any value (a difference to a baseline, a margin) gets the Student-t
interval. A KPI with bounds (days, units and counts are >= 0; shares lie in [0, 1]) gets an
interval inside them: the percentile bootstrap of the mean (:data:`RESAMPLES` resamples, drawn
by a generator of fixed seed, so a summary is reproducible) from :data:`MIN_BOOTSTRAP`
replications on, and the range of the replications below that, where a t interval would run
past the bound (no "95% CI -183 to 312 days" for a duration).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.special import stdtrit

RESAMPLES = 2000
MIN_BOOTSTRAP = 10
BLOCK_VALUES = 1 << 20  # resampled values drawn at a time
_SEED = 20261207
# Units whose values cannot be negative; "share" units and "0/1" are also at most 1.
NON_NEGATIVE_UNITS = frozenset({"days", "units", "count", "0/1", "SKU-location-days", "per year"})
# KPIs in those units that are differences, and so can be negative.
SIGNED = frozenset({"extra_peak_backlog"})


def support(kpi: str, unit: str) -> tuple[float | None, float | None]:
    """The bounds a KPI's values (and so its mean) cannot leave; None: unbounded."""
    if kpi in SIGNED:
        return None, None
    if unit.startswith("share") or unit == "0/1":
        return 0.0, 1.0
    if unit in NON_NEGATIVE_UNITS or (unit == "USD" and kpi.startswith(("cost_", "total_"))):
        return 0.0, None
    return None, None


def interval(
    x: np.ndarray, bounds: tuple[float | None, float | None] = (None, None), level: float = 0.95
) -> tuple[float, float, float]:
    """(mean, low, high) of the finite values ``x``: Student-t, or inside ``bounds`` (a
    percentile bootstrap, or the range where there are few values)."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    if n == 1:
        return mean, float("nan"), float("nan")
    if bounds == (None, None):
        half = float(stdtrit(n - 1, 0.5 + level / 2) * x.std(ddof=1) / np.sqrt(n))
        return mean, mean - half, mean + half
    if n < MIN_BOOTSTRAP or np.all(x == x[0]):
        return mean, float(x.min()), float(x.max())
    rng = np.random.default_rng(_SEED)
    # Resamples in blocks of about a million values (the same draws as all at once): 2,000 of
    # 10,000 replications at once would hold 320 MB.
    block = max(1, BLOCK_VALUES // n)
    means = np.concatenate(
        [
            x[rng.integers(0, n, (min(block, RESAMPLES - i), n))].mean(axis=1)
            for i in range(0, RESAMPLES, block)
        ]
    )
    lo, hi = np.quantile(means, [0.5 - level / 2, 0.5 + level / 2])
    return mean, float(lo), float(hi)


def summarize(
    kpis: pd.DataFrame, columns: list[str], units: Mapping[str, str], level: float = 0.95
) -> pd.DataFrame:
    """One row per KPI: n, mean, sd and the 95% interval of the mean (see the module);
    ``half_width`` is half the interval's width."""
    rows = []
    for col in columns:
        x = kpis[col].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        unit = units.get(col, "")
        mean, lo, hi = interval(x, support(col, unit), level)
        rows.append(
            {
                "kpi": col,
                "unit": unit,
                "n": x.size,
                "mean": mean,
                "sd": float(x.std(ddof=1)) if x.size > 1 else float("nan"),
                "ci_low": lo,
                "ci_high": hi,
                "half_width": (hi - lo) / 2.0,
            }
        )
    return pd.DataFrame(rows)
