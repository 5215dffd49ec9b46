"""Summary statistics across replications: mean, standard deviation, 95% confidence interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def summarize(
    kpis: pd.DataFrame, columns: list[str], units: dict[str, str], level: float = 0.95
) -> pd.DataFrame:
    """One row per KPI: n, mean, sd and the Student-t confidence interval of the mean."""
    rows = []
    for col in columns:
        x = kpis[col].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        n = x.size
        mean = float(x.mean()) if n else float("nan")
        sd = float(x.std(ddof=1)) if n > 1 else float("nan")
        half = (
            float(stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)) if n > 1 else float("nan")
        )
        rows.append(
            {
                "kpi": col,
                "unit": units.get(col, ""),
                "n": n,
                "mean": mean,
                "sd": sd,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "half_width": half,
            }
        )
    return pd.DataFrame(rows)
