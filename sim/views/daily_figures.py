"""Figures of a run's daily series: per market the service level across replications, per
warehouse the units on hand, in transit and on backorder; windows such as promotions or
disruptions shaded and named on them (:func:`shade_windows`, shared with the compare figures)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MultipleLocator, PercentFormatter

from .canvas import empty_figure, new_figure

METRIC_COLOURS = {"on_hand": "#219ebc", "in_transit": "#8d99ae", "backlog": "#d62828"}

Mark = tuple[str, float, float]  # (label, first day, end day) shaded on the daily figures


def shade_windows(axes: Sequence[Axes], marks: Sequence[Mark]) -> int:
    """Shade the marked windows on every axis and name them on the first; how many fell
    inside the plotted days."""
    lo, hi = axes[0].get_xlim()
    shown = 0
    for label, start, end in marks:
        end = max(end, start + 1.0)
        if end < lo or start > hi:
            continue
        shown += 1
        for ax in axes:
            ax.axvspan(start, end, color="#f4a261", alpha=0.22, lw=0, zorder=0)
        right = start > lo + 0.7 * (hi - lo)  # name it leftwards near the right edge
        axes[0].annotate(
            label,
            xy=(end if right else start, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-2 if right else 2, 2),
            textcoords="offset points",
            fontsize=7,
            color="#9c4a00",
            ha="right" if right else "left",
            va="bottom",
            annotation_clip=False,
        )
    return shown


def _nodes(daily: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, list[str]]:
    """The rows of nodes of ``kind`` and those nodes in order of first appearance."""
    d = daily[daily["kind"] == kind]
    return d, list(dict.fromkeys(d["node"]))


def daily_service(daily: pd.DataFrame, marks: Sequence[Mark] = ()) -> Figure:
    """Per market: daily service level (units shipped from stock / demanded), mean over
    replications with the band between their 10th and 90th percentiles. ``marks``: windows
    to shade, such as promotions."""
    m, markets = _nodes(daily, "market")
    fig = new_figure(11, 1.9 * max(len(markets), 1) + 1.1)
    if not markets:
        return empty_figure(fig, "no market series recorded")
    axes = np.atleast_1d(fig.subplots(len(markets), 1, sharex=True, sharey=True))
    reps = m["replication"].nunique()
    for ax, node in zip(axes, markets):
        g = m[m["node"] == node].groupby("day")["service_level"]
        q = g.quantile([0.1, 0.9]).unstack()
        mean = g.mean()
        ax.fill_between(
            q.index,
            q[0.1],
            q[0.9],
            color="#8ecae6",
            alpha=0.6,
            lw=0,
            label="10th-90th percentile of replications",
            zorder=1,
        )
        ax.plot(mean.index, mean.values, color="#023047", lw=1.0, label="mean", zorder=2)
        ax.set_ylim(0, 1.04)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.yaxis.set_major_locator(MultipleLocator(0.25))
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
        ax.tick_params(labelsize=8)
        sub = m[m["node"] == node]
        fill = sub["shipped"].sum() / sub["demand"].sum() if sub["demand"].sum() > 0 else np.nan
        ax.text(
            0.005,
            0.04,
            f"{node}  (fill rate {fill:.1%} of units)",
            transform=ax.transAxes,
            fontsize=8.5,
            fontweight="bold",
            color="#023047",
            va="bottom",
            path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
        )
    shaded = shade_windows(list(axes), marks)
    axes[-1].set_xlabel("measured day", fontsize=9)
    fig.supylabel("fill rate (shipped from stock / demanded)", fontsize=9)
    handles, labels = axes[0].get_legend_handles_labels()
    if shaded:
        handles.append(Patch(color="#f4a261", alpha=0.35, lw=0))
        labels.append("promotion")
    fig.legend(handles, labels, loc="outside upper right", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(
        f"Daily service level by market ({reps} replication{'s' * (reps != 1)})",
        fontsize=10,
        x=0.02,
        ha="left",
    )
    return fig


def daily_inventory(daily: pd.DataFrame, marks: Sequence[Mark] = ()) -> Figure:
    """Per warehouse: units on hand, in transit towards it and on backorder by day, each the
    mean over replications."""
    w, nodes = _nodes(daily, "warehouse")
    fig = new_figure(11, 1.9 * max(len(nodes), 1) + 1.1)
    if not nodes:
        return empty_figure(fig, "no warehouse series recorded")
    axes = np.atleast_1d(fig.subplots(len(nodes), 1, sharex=True))
    reps = w["replication"].nunique()
    for ax, node in zip(axes, nodes):
        g = w[w["node"] == node].groupby("day")[list(METRIC_COLOURS)].mean()
        for col, colour in METRIC_COLOURS.items():
            ax.plot(g.index, g[col].values, color=colour, lw=1.1, label=col.replace("_", " "))
        top = float(np.nanmax(g.values)) if g.size else 1.0
        ax.set_ylim(0, max(top, 1.0) * 1.22)  # head room for the node name
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
        ax.tick_params(labelsize=8)
        ax.text(
            0.005,
            0.97,
            node,
            transform=ax.transAxes,
            fontsize=8.5,
            fontweight="bold",
            color="#1d2433",
            va="top",
        )
    shade_windows(list(axes), marks)
    axes[-1].set_xlabel("measured day", fontsize=9)
    fig.supylabel("units (mean of replications)", fontsize=9)
    fig.legend(
        *axes[0].get_legend_handles_labels(),
        loc="outside upper right",
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    fig.suptitle(
        f"Inventory by warehouse ({reps} replication{'s' * (reps != 1)})",
        fontsize=10,
        x=0.02,
        ha="left",
    )
    return fig
