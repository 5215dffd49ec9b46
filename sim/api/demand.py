"""What a scenario's sales history became (``ripple demand``): the fitted model per market and
SKU, or the replay's weeks, as a table and a figure of history against simulated demand."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..config.history import FittedDemand
from ..config.history_demand import HistoryDemand
from ..config.history_fit import demand_summary
from ..core.errors import ConfigError
from ..views.demand_figure import demand_figure
from .scenario import load


@dataclass(frozen=True)
class DemandReport:
    """The history's model: ``summary`` (a row per market and SKU), the files written."""

    history: HistoryDemand
    summary: pd.DataFrame
    folder: Path
    table: Path
    figure: Path

    def text(self, top: int = 5) -> str:
        """What was fitted (or what is replayed), per market, in a few lines."""
        h = self.history
        t = h.tables
        first, last = t.sales["date"].min(), t.sales["date"].max()
        lines = [
            f"{h.mode} demand from {h.source}: {len(t.skus)} SKUs, "
            f"{first:%Y-%m-%d} to {last:%Y-%m-%d}, markets {', '.join(h.model.market_names)}"
        ]
        if h.markets:
            lines.append("network markets drawing from it: " + _mapping(h))
        if not isinstance(h.model, FittedDemand):
            m = h.model
            lines.append(
                f"{m.weeks.shape[0]} whole weeks replayed in blocks of {m.block_weeks} weeks on "
                f"average, starting within "
                + ("any week" if m.window_weeks is None else f"{m.window_weeks} weeks")
                + " of the time of year"
            )
        s = self.summary
        for market, g in s.groupby("market", sort=False):
            lines.append(f"{market}: {_pattern(g)}")
            if "class" in g:
                counts = g["class"].value_counts().to_dict()
                models = g["model"].value_counts().to_dict()
                lines.append(
                    "  classes "
                    + ", ".join(f"{k} {v}" for k, v in counts.items())
                    + "; models "
                    + ", ".join(f"{k} {v}" for k, v in models.items())
                )
            best = g.nlargest(top, "rate")
            for _, r in best.iterrows():
                extra = f", {r['model']}" if "model" in r else ""
                lines.append(f"  {r['sku']}: {r['rate']:.2f} units a day{extra}")
        lines += [f"table: {self.table}", f"figure: {self.figure}"]
        return "\n".join(lines)


def _mapping(h: HistoryDemand) -> str:
    return ", ".join(f"{k} <- {v}" for k, v in h.markets)


def _pattern(g: pd.DataFrame) -> str:
    if "season_amplitude" not in g:
        return f"{g['rate'].sum():,.1f} units a day in all (historical mean)"
    r = g.iloc[0]
    promos = [c for c in g.columns if c.startswith("promo_")]
    text = (
        f"{g['rate'].sum():,.1f} units a day in all; season amplitude "
        f"{r['season_amplitude']:.2f} peaking on day {r['season_peak_day']:.0f}"
    )
    if r["growth_per_year"]:
        text += f"; trend {np.expm1(r['growth_per_year']):+.1%} a year"
    if promos:
        text += "; " + ", ".join(f"{c[6:]} x{r[c]:.2f}" for c in promos)
    return text


def _replay_summary(h: HistoryDemand) -> pd.DataFrame:
    """The replay's historical mean units a day per market and SKU."""
    daily = h.tables.daily()
    rows = []
    for i, m in enumerate(daily.markets):
        rows.append(pd.DataFrame({"market": m, "sku": daily.skus, "rate": daily.units[i].mean(0)}))
    return pd.concat(rows, ignore_index=True)


def demand(
    overrides: Sequence[str] = (),
    project: Path | str | None = None,
    out: Path | str | None = None,
    top: int = 3,
) -> DemandReport:
    """Model the scenario's sales history (``demand.history``) and write ``demand.csv`` and
    ``demand.png`` into ``out`` (default: ``OUT_DIR/demand/STAMP``)."""
    ld = load(overrides, project)
    h = ld.scenario.demand.history
    if h is None:
        raise ConfigError(
            "demand.history.path",
            "",
            "a sales history (a folder of skus.csv and sales.csv, or an .xlsx workbook)",
        )
    folder = Path(out) if out else ld.out_dir / "demand" / time.strftime("%Y%m%d-%H%M%S")
    if folder.exists() and not folder.is_dir():
        raise ConfigError("--out", str(folder), "a folder")
    summary = demand_summary(h.model) if isinstance(h.model, FittedDemand) else _replay_summary(h)
    fig = demand_figure(h.tables, h.model, top=top, seed=int(ld.scenario.seed))
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "demand.csv"
    summary.to_csv(table, index=False)
    figure = folder / "demand.png"
    part = folder / ".demand.png.part"
    fig.savefig(part, format="png", dpi=110)
    part.replace(figure)
    return DemandReport(h, summary, folder, table, figure)
