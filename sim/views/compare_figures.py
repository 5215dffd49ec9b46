"""Figures comparing strategies, as matplotlib ``Figure`` objects on the Agg canvas: KPI
distributions by strategy, the cost-versus-service frontier, paired differences to the baseline
(a forest plot) and daily service-level bands. Data in, figure out."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from .canvas import empty_figure, new_figure, unit_formatter
from .daily_figures import Mark, shade_windows

BETTER, WORSE, UNSURE = "#2a9d8f", "#e63946", "#8d99ae"


def colours(strategies: Sequence[str]) -> dict[str, tuple[float, float, float, float]]:
    """A colour per strategy, the same in every figure."""
    cmap = colormaps["tab10"]
    return {s: cmap(i % 10) for i, s in enumerate(strategies)}


def _grid(fig: Figure, n: int, ncols: int) -> list:
    rows = math.ceil(n / ncols)
    axes = np.atleast_1d(fig.subplots(rows, ncols, squeeze=False)).ravel()
    for ax in axes[n:]:
        ax.set_axis_off()
    return list(axes[:n])


def kpi_by_strategy(
    kpis: pd.DataFrame, names: Sequence[str], units: dict[str, str], order: Sequence[str]
) -> Figure:
    """Small multiples: per KPI, each strategy's values across replications (box of quartiles,
    the replications as points, the mean as a diamond)."""
    names = [k for k in names if k in kpis and kpis[k].notna().any()]
    ncols = min(4, max(len(names), 1))
    rows = math.ceil(max(len(names), 1) / ncols)
    fig = new_figure(3.0 * ncols + 0.4, 3.3 * rows + 0.7)
    if not names:
        return empty_figure(fig, "no KPI values")
    col = colours(order)
    for ax, name in zip(_grid(fig, len(names), ncols), names):
        for i, s in enumerate(order):
            x = kpis.loc[kpis["strategy"] == s, name].dropna().to_numpy(dtype=float)
            if not x.size:
                continue
            ax.boxplot(
                x,
                positions=[i],
                widths=0.55,
                showfliers=False,
                medianprops={"color": "#333333"},
                boxprops={"color": "#777777"},
                whiskerprops={"color": "#777777"},
                capprops={"color": "#777777"},
            )
            jitter = np.linspace(-0.16, 0.16, x.size) if x.size > 1 else np.zeros(1)
            ax.scatter(i + jitter, x, s=12, color=col[s], alpha=0.75, lw=0, zorder=3)
            ax.scatter(
                [i + 0.36],
                [x.mean()],
                marker="D",
                s=26,
                color=col[s],
                edgecolor="#1d2433",
                lw=0.6,
                zorder=4,
            )
        ax.set_xticks(range(len(order)), list(order), rotation=30, ha="right", fontsize=7.5)
        ax.set_xlim(-0.6, len(order) - 0.3)
        unit = units.get(name, "")
        ax.yaxis.set_major_formatter(unit_formatter(unit))
        ax.set_title(f"{name} ({unit})" if unit else name, fontsize=9)
        ax.tick_params(axis="y", labelsize=8)
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
    n = kpis.groupby("strategy")["replication"].nunique().max()
    fig.suptitle(
        f"KPIs by strategy across {n} replications each (box: quartiles; line: "
        "median; points: replications; diamond: mean)",
        fontsize=10,
        x=0.02,
        ha="left",
    )
    return fig


def cost_service_frontier(
    front: pd.DataFrame, cost_unit: str = "USD", service_label: str = "fill rate"
) -> Figure:
    """Mean total cost (x) against mean service (y) per strategy with 95% intervals as bars;
    Pareto-efficient strategies filled and joined, dominated ones hollow."""
    fig = new_figure(9.5, 5.6)
    ok = front[np.isfinite(front["cost"]) & np.isfinite(front["service"])].assign(
        service_low=front["service_low"].clip(lower=0.0),  # a share's interval stays in 0-1
        service_high=front["service_high"].clip(upper=1.0),
    )
    if ok.empty:
        return empty_figure(fig, "no cost or service values")
    ax = fig.subplots()
    col = colours(list(front["strategy"]))
    for r in ok.itertuples():
        xerr = [[r.cost - r.cost_low], [r.cost_high - r.cost]] if np.isfinite(r.cost_low) else None
        yerr = (
            [[r.service - r.service_low], [r.service_high - r.service]]
            if np.isfinite(r.service_low)
            else None
        )
        c = col[r.strategy]
        ax.errorbar(
            [r.cost],
            [r.service],
            xerr=xerr,
            yerr=yerr,
            fmt="none",
            ecolor=c,
            elinewidth=1.3,
            capsize=3,
            zorder=2,
        )
        ax.scatter(
            [r.cost],
            [r.service],
            s=90 if r.efficient else 70,
            marker="o",
            facecolor=c if r.efficient else "white",
            edgecolor=c,
            lw=2,
            zorder=3,
        )
        ax.annotate(
            r.strategy + ("" if r.efficient else " (dominated)"),
            (r.cost, r.service),
            xytext=(7, 6),
            textcoords="offset points",
            fontsize=8.5,
            color="#1d2433",
        )
    eff = ok[ok["efficient"]].sort_values("cost")
    if len(eff) > 1:
        ax.plot(eff["cost"], eff["service"], color="#1d2433", lw=1, ls="--", zorder=1)
    ax.xaxis.set_major_formatter(unit_formatter(cost_unit))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ax.set_xlabel(f"total cost per replication ({cost_unit}), lower is better", fontsize=9)
    ax.set_ylabel(f"{service_label}, higher is better", fontsize=9)
    ax.margins(x=0.18, y=0.15)
    ax.grid(color="#eeeeee", lw=0.6)
    ax.tick_params(labelsize=8)
    ax.legend(
        handles=[
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                mfc="#555555",
                mec="#555555",
                markersize=8,
                label="Pareto-efficient (no other is cheaper and better)",
            ),
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                mfc="white",
                mec="#555555",
                mew=2,
                markersize=8,
                label="dominated",
            ),
            Line2D([], [], color="#555555", lw=1.3, label="95% CI of the mean"),
        ],
        loc="best",
        fontsize=8,
        frameon=False,
    )
    fig.suptitle(
        "Cost against service by strategy (means of replications)", fontsize=10, x=0.02, ha="left"
    )
    return fig


def _compact(v: float, _pos: object = None) -> str:
    """Three significant digits, thousands as k and millions as M: 150 k, -0.015, 2.45 k."""
    if abs(v) >= 1e6:
        return f"{v / 1e6:.3g} M"
    if abs(v) >= 1e3:
        return f"{v / 1e3:.3g} k"
    return f"{v:.3g}"


def _diff_formatter(unit: str) -> FuncFormatter:
    if unit.startswith("share"):
        return FuncFormatter(lambda v, _p: f"{100 * v:+.1f} pt")
    return FuncFormatter(_compact)


def paired_forest(diffs: pd.DataFrame, names: Sequence[str], units: dict[str, str]) -> Figure:
    """Per KPI, each strategy's mean paired difference to the baseline with its 95% interval;
    green where significantly better, red where significantly worse, grey otherwise."""
    names = [
        k
        for k in names
        if k in set(diffs["kpi"]) and np.isfinite(diffs.loc[diffs["kpi"] == k, "diff_mean"]).any()
    ]
    ncols = min(3, max(len(names), 1))
    strategies = list(dict.fromkeys(diffs["strategy"]))
    rows = math.ceil(max(len(names), 1) / ncols)
    fig = new_figure(4.0 * ncols + 0.6, (0.42 * len(strategies) + 1.5) * rows + 0.8)
    if not names:
        return empty_figure(fig, "no paired differences")
    y = np.arange(len(strategies))[::-1]
    for ax, name in zip(_grid(fig, len(names), ncols), names):
        d = diffs[diffs["kpi"] == name].set_index("strategy").reindex(strategies)
        for yi, (_, r) in zip(y, d.iterrows()):
            if not np.isfinite(r["diff_mean"]):
                continue
            lo, hi = r["diff_ci_low"], r["diff_ci_high"]
            sure = np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0)
            up = r["diff_mean"] > 0
            good = up == bool(r["higher_is_better"])
            c = (BETTER if good else WORSE) if sure else UNSURE
            if np.isfinite(lo) and np.isfinite(hi):
                ax.plot([lo, hi], [yi, yi], color=c, lw=2.2, solid_capstyle="butt")
            ax.scatter([r["diff_mean"]], [yi], s=36, color=c, zorder=3, edgecolor="white")
            ax.annotate(
                f"{100 * r['share_better']:.0f}%",
                (1.0, yi),
                xycoords=("axes fraction", "data"),
                xytext=(3, 0),
                textcoords="offset points",
                fontsize=7,
                color="#555555",
                va="center",
            )
        ax.axvline(0, color="#1d2433", lw=0.8)
        ax.set_yticks(y, strategies, fontsize=8)
        ax.set_ylim(-0.7, len(strategies) - 0.3)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.xaxis.set_major_formatter(_diff_formatter(units.get(name, "")))
        hib = (
            bool(d["higher_is_better"].dropna().iloc[0])
            if d["higher_is_better"].notna().any()
            else False
        )
        ax.set_title(f"{name} ({'higher' if hib else 'lower'} is better)", fontsize=9)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
        ax.margins(x=0.15)
    base = diffs["baseline"].iloc[0]
    fig.legend(
        handles=[
            Patch(color=BETTER, label="significantly better"),
            Patch(color=WORSE, label="significantly worse"),
            Patch(color=UNSURE, label="not significant (95% CI includes 0)"),
        ],
        loc="outside lower center",
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    fig.suptitle(
        f"Paired difference to {base} (strategy - {base}, same replications), mean "
        "and 95% CI; right: share of replications in which the strategy is better",
        fontsize=10,
        x=0.02,
        ha="left",
    )
    return fig


def overall_service(market_daily: pd.DataFrame) -> pd.DataFrame:
    """Per strategy, replication and day: units shipped from stock / units demanded over all
    markets."""
    g = market_daily.groupby(["strategy", "replication", "day"], sort=False)[
        ["shipped", "demand"]
    ].sum()
    sl = g["shipped"] / g["demand"].where(g["demand"] > 0)
    return sl.rename("service_level").reset_index()


def service_bands(
    market_daily: pd.DataFrame, order: Sequence[str], baseline: str, marks: Sequence[Mark] = ()
) -> Figure:
    """A panel per strategy: the daily service level over all markets, mean and the band
    between the 5th and 95th percentiles of replications, the baseline's mean dashed in the
    others; ``marks`` (disruption windows) shaded."""
    order = [s for s in order if s in set(market_daily["strategy"])]
    fig = new_figure(11, 1.7 * max(len(order), 1) + 1.2)
    if not order or market_daily.empty:
        return empty_figure(fig, "no market series recorded")
    sl = overall_service(market_daily)
    axes = np.atleast_1d(
        fig.subplots(len(order), 1, sharex=True, sharey=True, squeeze=False)
    ).ravel()
    col = colours(order)
    stats = {s: g.groupby("day")["service_level"] for s, g in sl.groupby("strategy", sort=False)}
    base_mean = stats[baseline].mean() if baseline in stats else None
    low = 1.0
    for ax, s in zip(axes, order):
        q = stats[s].quantile([0.05, 0.95]).unstack()
        mean = stats[s].mean()
        low = min(low, float(np.nanmin(q[0.05].to_numpy())))
        ax.fill_between(
            q.index, q[0.05], q[0.95], color=col[s], alpha=0.25, lw=0, label="5-95% of replications"
        )
        ax.plot(mean.index, mean.to_numpy(), color=col[s], lw=1.2, label="mean")
        if base_mean is not None and s != baseline:
            ax.plot(
                base_mean.index,
                base_mean.to_numpy(),
                color="#555555",
                lw=0.9,
                ls="--",
                label=f"mean of {baseline}",
            )
        reps = sl.loc[sl["strategy"] == s, "replication"].nunique()
        ax.text(
            0.005,
            0.05,
            f"{s} ({reps} replications)",
            transform=ax.transAxes,
            fontsize=8.5,
            fontweight="bold",
            color="#1d2433",
            va="bottom",
        )
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
        ax.tick_params(labelsize=8)
        ax.legend(loc="lower right", fontsize=7, ncol=3, frameon=False)
    axes[0].set_ylim(max(0.0, low - 0.05), 1.02)
    shaded = shade_windows(list(axes), marks)
    axes[-1].set_xlabel("measured day", fontsize=9)
    fig.supylabel("service level, all markets (shipped from stock / demanded)", fontsize=9)
    fig.suptitle(
        "Daily service level by strategy" + (" (disruption windows shaded)" if shaded else ""),
        fontsize=10,
        x=0.02,
        ha="left",
    )
    return fig
